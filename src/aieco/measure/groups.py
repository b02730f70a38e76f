"""Country groups with dated membership, and the countries and patent offices codes may name.

A group's value for year Y uses its members in Y: a country counts for Y when it is a member on 31 December
of Y. Groups ship as package data (``data/groups/groups.yaml``, with sources); users add their own from a
YAML file of the same shape.

>>> sorted(members(get_group("SCO"), 2016))[:3]
['CN', 'KG', 'KZ']
>>> "IN" in members(get_group("SCO"), 2017)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import yaml

from aieco.errors import InputError, UnknownName
from aieco.model import Group, Membership
from aieco.sources.fields import HISTORICAL_COUNTRY_NAMES, PATENT_OFFICE_NAMES


def patent_offices() -> dict[str, str]:
    """Regional and international offices (EP, WO, EA, …): publication authorities, not countries."""
    return dict(PATENT_OFFICE_NAMES)


def country_name(code: str) -> str | None:
    """The ISO 3166-1 name of an alpha-2 code, a historical code's name, or None."""
    c = pycountry.countries.get(alpha_2=code.upper())
    if c is not None:
        return str(getattr(c, "common_name", None) or c.name)
    return HISTORICAL_COUNTRY_NAMES.get(code.upper())


def is_country(code: str) -> bool:
    return country_name(code) is not None


def check_country(code: str, *, allow_offices: bool = True) -> str:
    """The upper-case alpha-2 code, or UnknownName. Patent offices (EP, WO, …) pass when allowed."""
    c = code.strip().upper()
    if allow_offices and c in patent_offices():
        return c
    if len(c) == 2 and is_country(c):
        return c
    hint = ""
    match = None
    try:
        match = pycountry.countries.lookup(code.strip())
    except LookupError:
        pass
    if match is not None:
        hint = f"; did you mean {match.alpha_2} ({match.name})?"
    raise UnknownName(f"unknown country code {code!r}: use an ISO 3166-1 alpha-2 code{hint}")


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"not a date: {value!r}", path=where) from None


def _parse_group(name: str, spec: dict[str, Any], origin: str) -> Group:
    where = f"{origin} [{name}]"
    if not isinstance(spec, dict) or not spec.get("members"):
        raise InputError("a group needs `members`: a list of {countries: [..], joined: YYYY-MM-DD}", path=where)
    memberships: list[Membership] = []
    for entry in spec["members"]:
        joined = _as_date(entry.get("joined"), where)
        left = _as_date(entry["left"], where) if entry.get("left") else None
        for code in entry.get("countries") or []:
            if isinstance(code, bool):  # YAML reads an unquoted NO (Norway) as false
                raise InputError("a country code read as true/false: quote it (\"NO\" for Norway)", path=where)
            cc = str(code).upper()
            if not is_country(cc):
                raise InputError(f"{code!r} is not an ISO 3166-1 alpha-2 country code", path=where)
            memberships.append(Membership(country=cc, joined=joined, left=left, note=str(entry.get("note", ""))))
    invited = tuple(Membership(country=str(c).upper(), joined=_as_date(e.get("invited"), where),
                               note=str(e.get("note", "")))
                    for e in spec.get("invited") or [] for c in e.get("countries") or [])
    return Group(name=name, title=str(spec.get("name", name)), memberships=tuple(memberships),
                 sources=tuple(str(s) for s in spec.get("sources") or []),
                 notes=tuple(str(s) for s in spec.get("notes") or []), invited=invited,
                 blocs=tuple(str(b["bloc"]) for b in spec.get("blocs") or []), origin=origin)


def parse_groups(text: str, origin: str) -> dict[str, Group]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise InputError(f"not valid YAML ({err})", path=origin) from err
    if not isinstance(data, dict):
        raise InputError("a groups file maps group names to {name, sources, members}", path=origin)
    return {str(k).upper(): _parse_group(str(k).upper(), v, origin) for k, v in data.items()}


@cache
def builtin_groups() -> dict[str, Group]:
    text = resources.files("aieco.data").joinpath("groups").joinpath("groups.yaml").read_text("utf-8")
    return parse_groups(text, "aieco:data/groups/groups.yaml")


def load_groups(path: str | Path | None = None) -> dict[str, Group]:
    """The package groups, plus (overriding by name) those of a user's YAML file."""
    groups = dict(builtin_groups())
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise InputError("no such groups file", path=str(p))
        groups.update(parse_groups(p.read_text("utf-8"), str(p)))
    return groups


def get_group(name: str, path: str | Path | None = None) -> Group:
    groups = load_groups(path)
    try:
        return groups[name.upper()]
    except KeyError:
        raise UnknownName(f"unknown group {name!r}; known groups: {', '.join(sorted(groups))}") from None


def is_member(m: Membership, year: int) -> bool:
    end = date(year, 12, 31)
    return m.joined <= end and (m.left is None or m.left > end)


def members(group: Group, year: int) -> frozenset[str]:
    """The countries that count for ``group`` in ``year`` (members on 31 December of that year)."""
    return frozenset(m.country for m in group.memberships if is_member(m, year))


def member_rows(group: Group, years: Iterable[int]) -> list[tuple[int, str]]:
    """(year, country) for every year and member: the table a year-correct group count joins."""
    return [(y, c) for y in years for c in sorted(members(group, y))]


def describe(group: Group, year: int | None = None) -> list[dict[str, Any]]:
    """One row per membership (or per member in ``year``): code, name, joined, left, note, source file."""
    rows = []
    for m in group.memberships:
        if year is not None and not is_member(m, year):
            continue
        rows.append({"group": group.name, "country": m.country, "name": country_name(m.country),
                     "joined": m.joined.isoformat(), "left": m.left.isoformat() if m.left else None,
                     "note": m.note})
    return rows
