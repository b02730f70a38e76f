"""The verdict catalogue: stable kebab-case ids, titles and message templates (package data)."""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from typing import Any

import yaml

from aieco.errors import UnknownName
from aieco.model import Verdict

SUPPORTED = "supported"
SOME = "supported-under-some-methods"
CONTRADICTED = "contradicted"
NOT_CHECKABLE = "not-checkable-with-loaded-data"
PUBLISHED = "matches-published-figure"
AMBIGUOUS = "ambiguous"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Verdict id → {id, title, message} from ``data/verdicts.yaml``."""
    text = resources.files("aieco").joinpath("data/verdicts.yaml").read_text("utf-8")
    return {v["id"]: v for v in yaml.safe_load(text)["verdicts"]}


_DEFAULTS: dict[str, Any] = {
    "what": "method(s)",
    "interval": "",
    "scope": ", although the data covers its period, subject and measure",
    "reading": "",
    "decided_by": "",
}


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "?"


def verdict(vid: str, **fields: Any) -> Verdict:
    """The catalogue verdict ``vid`` with its message filled from ``fields``.

    >>> verdict("ambiguous", why="no measure").message
    'The claim cannot be mapped onto a method: no measure.'
    """
    cat = catalogue()
    if vid not in cat:
        raise UnknownName(f"unknown verdict {vid!r}; known: {', '.join(cat)}")
    entry = cat[vid]
    fields = {**_DEFAULTS, **fields}
    if fields["interval"] and not str(fields["interval"]).startswith((" ", ",")):
        fields["interval"] = f" {fields['interval']}"
    if fields["reading"] and not str(fields["reading"]).startswith(" "):
        fields["reading"] = f" ({fields['reading']})"
    # every message names what decided it: the methods' sources, else the methods themselves
    fields["decided_by"] = f" Decided by {fields['decided_by'] or fields['what']}."
    message = string.Formatter().vformat(entry["message"], (), _Blank(fields))
    return Verdict(id=vid, title=entry["title"], message=message)
