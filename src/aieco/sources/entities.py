"""Names and codes of countries and aggregates, as publishers write them, to aieco entity ids.

The table is package data (``data/countries/aliases.yaml``) with pycountry underneath: a country is its
ISO 3166-1 alpha-2 code; anything else (World, a region, a group, an income class, a patent office) has an
id of its own and a kind, so that it is never summed with countries. There is no fuzzy matching: a name
found nowhere is ``None``, which readers turn into a reject naming the file, line and name.

>>> resolve_name("China (mainland)").id
'CN'
>>> resolve_name("EU", publisher="eto").kind
'aggregate'
>>> resolve_code("WLD", publisher="worldbank").id
'WORLD'
>>> resolve_name("Atlantis") is None
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from aieco.sources.fields import HISTORICAL_COUNTRIES, PATENT_OFFICE_NAMES

KINDS = ("country", "aggregate", "office", "other")
_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, kw_only=True)
class Entity:
    """What a name in a published table stands for: an id, its kind and its title."""

    id: str
    kind: str
    title: str


def patent_offices() -> dict[str, str]:
    """Regional and international patent offices (EP, WO, EA, …) with their names."""
    return dict(PATENT_OFFICE_NAMES)


def clean_name(raw: str) -> str:
    """HTML entities decoded, footnote marks (``<sup>a</sup>``) and other tags removed, spaces collapsed."""
    text = _TAG.sub("", _SUP.sub("", html.unescape(html.unescape(raw))))
    return " ".join(text.split())


def _key(name: str) -> str:
    return clean_name(name).casefold()


@dataclass(frozen=True)
class _Table:
    names: dict[tuple[str, str], Entity]  # (publisher or "", folded name) -> entity
    codes: dict[tuple[str, str], Entity]  # (publisher or "", code) -> entity
    categories: frozenset[str]
    version: int


def _country(code: str) -> Entity:
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        raise ValueError(f"aliases.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
    return Entity(id=code, kind="country", title=str(getattr(c, "common_name", None) or c.name))


@cache
def _table() -> _Table:
    text = resources.files("aieco.data").joinpath("countries").joinpath("aliases.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    names: dict[tuple[str, str], Entity] = {}
    codes: dict[tuple[str, str], Entity] = {}
    for name, code in (data.get("countries") or {}).items():
        names[("", _key(str(name)))] = _country(str(code))
    for spec in data.get("entities") or []:
        if spec["kind"] not in KINDS:
            raise ValueError(f"aliases.yaml: entity {spec['id']!r} has kind {spec['kind']!r}")
        ent = Entity(id=str(spec["id"]), kind=str(spec["kind"]), title=str(spec.get("title", spec["id"])))
        scope = str(spec.get("publisher", ""))
        for name in spec.get("names") or []:
            names[(scope, _key(str(name)))] = ent
        for code in spec.get("codes") or []:
            codes[(scope, str(code).upper())] = ent
    cats = frozenset(_key(str(c)) for c in data.get("categories") or [])
    return _Table(names=names, codes=codes, categories=cats, version=int(data.get("version", 1)))


def aliases_version() -> int:
    return _table().version


@cache
def _pycountry_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("official_name", "name", "common_name"):  # the later ones win
            value = getattr(c, attr, None)
            if value:
                out[_key(value)] = c.alpha_2
    return out


def resolve_name(name: str, *, publisher: str | None = None) -> Entity | None:
    """The entity a published name stands for, or None when neither the table nor ISO 3166 knows it."""
    t = _table()
    key = _key(name)
    if not key:
        return None
    for scope in ((publisher or ""), ""):
        hit = t.names.get((scope, key))
        if hit is not None:
            return hit
    code = _pycountry_names().get(key)
    return _country(code) if code else None


def resolve_code(code: str, *, publisher: str | None = None) -> Entity | None:
    """An ISO alpha-3 or alpha-2 code, a patent office code, or a publisher's own code (WLD, OWID_WRL, EAS)."""
    c = code.strip().upper()
    if not c:
        return None
    t = _table()
    for scope in ((publisher or ""), ""):
        hit = t.codes.get((scope, c))
        if hit is not None:
            return hit
    if len(c) == 3 and c.isalpha():
        found = pycountry.countries.get(alpha_3=c)
        return _country(found.alpha_2) if found is not None else None
    if len(c) == 2 and c.isalpha():
        if c in patent_offices():
            return Entity(id=c, kind="office", title=patent_offices()[c])
        if pycountry.countries.get(alpha_2=c) is not None:
            return _country(c)
    return None


def is_category(segment: str) -> bool:
    """A path segment that names a breakdown of a measure (``Total articles``), not a place."""
    return _key(segment) in _table().categories


def code_kind(code: str) -> str:
    """The kind of a code in a counts table: country (ISO 3166-1 alpha-2 or a former state), office, or
    unknown (XX, CHN, 中国, …)."""
    c = code.strip().upper()
    if c in patent_offices():
        return "office"
    if len(c) == 2 and c.isascii() and (c in HISTORICAL_COUNTRIES or pycountry.countries.get(alpha_2=c) is not None):
        return "country"
    return "unknown"
