"""Firms: registries of companies, normalised names for matching patent applicants to them.

``registry_answer(con, programme=..., batch=..., province=..., firm=..., definition=...)`` is what the claims
checker asks (see :mod:`aieco.firms.answer`).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # lazily: the pure name functions must not pull in the store
    if name == "registry_answer":
        from aieco.firms.answer import registry_answer

        return registry_answer
    raise AttributeError(name)


__all__ = ["registry_answer"]
