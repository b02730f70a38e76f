"""AI definitions are data: one YAML file per definition in ``aieco/data/definitions/``.

A file has ``id``, ``version``, ``title``, ``citation``, ``cpc_version`` (the CPC scheme version its codes
refer to), ``universe`` (rules: a document matching any is an AI patent under the definition) and
``categories`` (each with ``id``, ``title``, ``dimension`` and ``rules``, or ``otherwise: true``). A rule is a
mapping whose first key is its kind::

    - symbol: G06N 20*                         # CPC/IPC, right truncation
      schemes: [cpc, ipc]
    - range: ">=G06N 3/02* AND <=G06N 3/126*"
    - symbol: G06K 9*
      successors: [G06V*, G06F 18*]            # moved by a later CPC revision
    - keyword: artificial +1w intelligen*      # 1790 Analytics syntax, title and abstract
    - any: [...]                               # also all, not

Errors name the file and line: ``cset-1790.yaml:41: unknown rule type 'cpcx'``.

>>> [d.id for d in load_definitions()][:2]
['core-ai-cpc', 'cset-1790']
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from aieco.classify.rules import (
    RULE_OPTIONS,
    RULE_TYPES,
    SCHEMES,
    TEXT_FIELDS,
    AnyRule,
    KeywordRule,
    NotRule,
    RangeRule,
    Rule,
    SymbolRule,
)
from aieco.classify.symbols import parse_pattern, range_interval
from aieco.errors import DefinitionError, UnknownName
from aieco.model import Category, Definition
from aieco.results import CategoryInfo, DefinitionInfo

LINE = "__line__"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CATEGORY_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_RANGE = re.compile(r"^\s*>=\s*(.+?)\s+AND\s+<=\s*(.+?)\s*$", re.IGNORECASE)
REQUIRED = ("id", "version", "title", "citation", "cpc_version", "universe")
TOP_KEYS = frozenset(REQUIRED) | {"categories", "url", "notes", "extends"}


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records the line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = dict(loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Reader:
    """Builds a Definition from parsed YAML, raising DefinitionError with the file and line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, line: int | None, message: str) -> DefinitionError:
        where = f"{self.path}:{line}" if line else self.path
        return DefinitionError(f"{where}: {message}")

    def strings(self, value: Any, line: int | None, what: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
            raise self.fail(line, f"{what} must be a string or a list of strings")
        return tuple(items)

    def patterns(self, value: Any, line: int | None, what: str) -> tuple[str, ...]:
        out = self.strings(value, line, what)
        for p in out:
            try:
                parse_pattern(p)
            except ValueError as err:
                raise self.fail(line, str(err)) from None
        return out

    def rule(self, data: Any, default_line: int | None) -> Rule:
        if not isinstance(data, dict):
            raise self.fail(default_line, f"a rule must be a mapping like `symbol: G06N 20*`, not {data!r}")
        line = data.get(LINE, default_line)
        keys = [k for k in data if k != LINE]
        if not keys:
            raise self.fail(line, "empty rule")
        kind = keys[0]
        if kind not in RULE_TYPES:
            raise self.fail(line, f"unknown rule type {kind!r} (known: {', '.join(RULE_TYPES)})")
        extra = set(keys[1:]) - RULE_OPTIONS[kind]
        if extra:
            raise self.fail(line, f"rule {kind!r} does not take {', '.join(sorted(map(str, extra)))} "
                                  f"(it takes {', '.join(sorted(RULE_OPTIONS[kind]))})")
        value, note = data[kind], str(data.get("note", "") or "")
        if kind in ("symbol", "range"):
            schemes = self.strings(data.get("schemes", list(SCHEMES)), line, "schemes")
            if set(schemes) - set(SCHEMES):
                raise self.fail(line, f"unknown scheme in {list(schemes)} (known: {', '.join(SCHEMES)})")
            common: dict[str, Any] = {
                "line": line, "source": self.path, "note": note, "schemes": schemes,
                "successors": self.patterns(data["successors"], line, "successors") if "successors" in data
                else (),
                "predecessors": self.patterns(data["predecessors"], line, "predecessors")
                if "predecessors" in data else (),
            }
            if kind == "symbol":
                if not isinstance(value, str):
                    raise self.fail(line, "symbol must be one symbol, e.g. `symbol: G06N 20*`")
                if value.lstrip().startswith(">="):
                    raise self.fail(line, f"{value!r} is a range: write `range: {value!r}`")
                return SymbolRule(pattern=self.patterns(value, line, "symbol")[0], **common)
            m = _RANGE.match(value) if isinstance(value, str) else None
            if not m:
                raise self.fail(line, f"malformed range {value!r}: write \">=G06N 3/02* AND <=G06N 3/126*\"")
            low, high = self.patterns([m.group(1), m.group(2)], line, "range")
            try:
                range_interval(low, high)
            except ValueError as err:
                raise self.fail(line, str(err)) from None
            return RangeRule(low=low, high=high, published=str(data.get("published", "") or ""), **common)
        if kind == "keyword":
            terms = self.strings(value, line, "keyword")
            fields = self.strings(data.get("fields", list(TEXT_FIELDS)), line, "fields")
            if set(fields) - set(TEXT_FIELDS):
                raise self.fail(line, f"unknown field in {list(fields)} (known: {', '.join(TEXT_FIELDS)})")
            lang = str(data.get("lang", "en"))
            if lang not in ("en", "zh"):
                raise self.fail(line, f"unknown keyword language {lang!r} (known: en, zh)")
            rule = KeywordRule(terms=terms, fields=fields, lang=lang, line=line, source=self.path, note=note)
            try:
                rule.regex()
            except ValueError as err:
                raise self.fail(line, str(err)) from None
            return rule
        if not isinstance(value, list) or not value:
            raise self.fail(line, f"{kind!r} needs a list of rules")
        children = tuple(self.rule(v, line) for v in value)
        if kind == "not":
            if len(children) != 1:
                raise self.fail(line, "'not' takes a list of exactly one rule")
            return NotRule(rules=children, line=line, source=self.path, note=note)
        return RULE_TYPES[kind](rules=children, line=line, source=self.path, note=note)  # type: ignore[call-arg]

    def rules(self, value: Any, line: int | None, what: str) -> tuple[Rule, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(line, f"{what} must be a non-empty list of rules")
        return tuple(self.rule(v, line) for v in value)

    def definition(self, data: Any, base: Definition | None = None) -> Definition:
        if not isinstance(data, dict):
            raise self.fail(1, "a definition file must be a mapping")
        unknown = set(data) - TOP_KEYS - {LINE}
        if unknown:
            raise self.fail(1, f"unknown key(s) {', '.join(sorted(unknown))}")
        for key in REQUIRED:
            if key not in data and not (base is not None and key in ("cpc_version",)):
                raise self.fail(1, f"missing {key!r}")
        if not isinstance(data["id"], str) or not _ID.match(data["id"]):
            raise self.fail(1, f"id {data['id']!r} must be kebab-case")
        universe = self.rules(data["universe"], 1, "universe")
        categories = list(base.categories) if base else []
        seen = {c.id for c in categories}
        for c in data.get("categories") or []:
            cl = c.get(LINE) if isinstance(c, dict) else None
            if not isinstance(c, dict) or not all(k in c for k in ("id", "title", "dimension")):
                raise self.fail(cl, "a category needs id, title and dimension")
            if not _CATEGORY_ID.match(str(c["id"])) or c["id"] in seen:
                raise self.fail(cl, f"category id {c['id']!r} is not snake_case or is repeated")
            seen.add(c["id"])
            otherwise = bool(c.get("otherwise", False))
            if otherwise == ("rules" in c):
                raise self.fail(cl, f"category {c['id']!r} needs either rules or `otherwise: true`")
            rules = () if otherwise else self.rules(c["rules"], cl, f"rules of {c['id']}")
            categories.append(Category(id=c["id"], title=str(c["title"]), dimension=str(c["dimension"]),
                                       rules=rules, otherwise=otherwise, note=str(c.get("note", "") or "")))
        return Definition(
            id=data["id"], version=str(data["version"]), title=str(data["title"]),
            citation=" ".join(str(data["citation"]).split()),
            cpc_version=str(data.get("cpc_version") or (base.cpc_version if base else "")),
            universe=((AnyRule(rules=base.universe, line=None, note=f"the universe of {base.id}"),)
                      if base else ()) + universe,
            categories=tuple(categories), url=str(data.get("url", "") or ""),
            notes=str(data.get("notes", "") or ""), path=self.path)


def _parse(path: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DefinitionError(f"{path}:{line}: not valid YAML: {getattr(err, 'problem', err)}") from None


def load_definition_text(text: str, path: str = "<string>",
                         others: dict[str, Definition] | None = None) -> Definition:
    """A definition from YAML text (``extends: ID`` takes the universe and categories of another)."""
    data = _parse(path, text)
    base = None
    if isinstance(data, dict) and data.get("extends"):
        known = others or {}
        if data["extends"] not in known:
            raise DefinitionError(f"{path}:1: extends unknown definition {data['extends']!r}")
        base = known[data["extends"]]
    return _Reader(path).definition(data, base)


def load_definition_file(path: str | Path, others: dict[str, Definition] | None = None) -> Definition:
    p = Path(path)
    return load_definition_text(p.read_text("utf-8"), p.name, others)


@lru_cache(maxsize=1)
def _shipped() -> tuple[Definition, ...]:
    folder = resources.files("aieco").joinpath("data", "definitions")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    texts = {e.name: e.read_text("utf-8") for e in entries}
    loaded: dict[str, Definition] = {}
    pending = dict(texts)
    # Files that extend another load after it; a few passes settle any order.
    for _ in range(len(pending) + 1):
        for name in list(pending):
            data = _parse(name, pending[name])
            parent = data.get("extends") if isinstance(data, dict) else None
            if parent and parent not in loaded:
                continue
            d = load_definition_text(pending.pop(name), name, loaded)
            if d.id in loaded:
                raise DefinitionError(f"{name}:1: definition id {d.id!r} is used by two files")
            loaded[d.id] = d
    if pending:
        raise DefinitionError(f"{', '.join(pending)}: extends a definition that is not shipped")
    return tuple(sorted(loaded.values(), key=lambda d: d.id))


def load_definitions() -> list[Definition]:
    """Every shipped definition, sorted by id."""
    return list(_shipped())


def get_definition(definition_id: str) -> Definition:
    """One shipped definition by id; UnknownName lists the known ids."""
    for d in _shipped():
        if d.id == definition_id:
            return d
    known = ", ".join(d.id for d in _shipped())
    raise UnknownName(f"unknown definition {definition_id!r}; known definitions: {known}")


def definition_infos(applied: Collection[str] | None = None) -> tuple[DefinitionInfo, ...]:
    """Every shipped definition as a typed result; with ``applied`` (ids whose results the store holds), each
    says whether it is applied."""
    return tuple(
        DefinitionInfo(
            id=d.id,
            version=str(d.version),
            title=d.title,
            cpc_version=d.cpc_version,
            citation=d.citation,
            file=d.path,
            categories=tuple(CategoryInfo(id=c.id, title=c.title, dimension=c.dimension) for c in d.categories),
            applied=None if applied is None else d.id in applied,
        )
        for d in load_definitions()
    )
