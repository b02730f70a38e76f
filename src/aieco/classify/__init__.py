"""AI definitions side by side: definitions as data, the rule compiler, and a measured ML classifier.

>>> from aieco.classify import load_definitions
>>> sorted(d.id for d in load_definitions())[:2]
['core-ai-cpc', 'cset-1790']
"""

from aieco.classify.definitions import get_definition, load_definitions

__all__ = ["get_definition", "load_definitions"]
