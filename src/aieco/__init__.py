"""aieco — an observatory of national AI ecosystems.

Reproducible AI patent numbers from primary data, with every counting method side by side.
"""

__version__ = "0.1.0"
