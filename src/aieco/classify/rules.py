"""Rule kinds: each a small class with a stable ``type``, a set-based ``to_sql`` and a ``label`` in words.

A rule's SQL selects the ``doc_id`` of the documents it matches from three relations named by a
:class:`Tables` (so the same rule runs over the whole store, one document for ``explain``, or the hits of
a classification run):

- ``keys(doc_id, scheme, symbol_norm, key)``: classification symbols with their sortable key
  (:mod:`aieco.classify.symbols`);
- ``texts(doc_id, title, abstract, title_lang, abstract_lang)``: lower-cased titles and abstracts;
- ``docs(doc_id)``: every document (for ``not``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from aieco.classify.keywords import compile_terms, required_pieces, witness
from aieco.classify.symbols import display, pattern_interval, range_interval

SCHEMES = ("cpc", "ipc")
TEXT_FIELDS = ("title", "abstract")
# Text in a CJK script; Chinese terms apply to a field whose language is zh, or unknown and written so.
_CJK = "[\u4e00-\u9fff]"


@dataclass(frozen=True, kw_only=True)
class Tables:
    keys: str = "classify_keys"
    texts: str = "classify_texts"
    docs: str = "classify_docs"
    # When set, a leaf rule reads its matches from here instead of evaluating itself (see compiler).
    leaf_sql: Callable[[Rule], str | None] | None = None


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _witness_sql(f: str, text: str, whole: bool) -> str:
    """SQL true when ``text`` occurs in field ``f`` at the start of a word (and as a whole word)."""
    if whole:
        return (f"contains({f}, {_quote(' ' + text + ' ')}) OR starts_with({f}, {_quote(text + ' ')}) "
                f"OR {f} = {_quote(text)}")
    return f"contains({f}, {_quote(' ' + text)}) OR starts_with({f}, {_quote(text)})"


@dataclass(frozen=True, kw_only=True, eq=False)
class Rule:
    """Base of the rule kinds. ``line`` is the line of the rule in its definition file."""

    type: ClassVar[str] = ""
    line: int | None = None
    source: str = ""   # the definition file the rule was read from
    note: str = ""

    def label(self) -> str:
        raise NotImplementedError

    def leaves(self) -> Iterator[Rule]:
        yield self

    def to_sql(self, t: Tables) -> str:
        if t.leaf_sql is not None:
            sql = t.leaf_sql(self)
            if sql is not None:
                return sql
        return self.leaf_to_sql(t)

    def leaf_to_sql(self, t: Tables) -> str:
        raise NotImplementedError

    def where(self) -> str:
        """Where the rule is written: ``cset-1790.yaml:41``."""
        return f"{self.source}:{self.line}" if self.line else self.source

    def evidence_sql(self, t: Tables) -> str:
        """``SELECT doc_id, evidence``: what in a document the rule matched (a symbol, a phrase)."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True, eq=False)
class _SymbolBase(Rule):
    schemes: tuple[str, ...] = SCHEMES
    successors: tuple[str, ...] = ()     # codes the published ones moved to in later CPC versions
    predecessors: tuple[str, ...] = ()   # older codes of the same content

    def own_intervals(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def intervals(self) -> list[tuple[str, str]]:
        """Key intervals matched: the published codes, then their successors and predecessors."""
        return self.own_intervals() + [pattern_interval(p) for p in self.successors + self.predecessors]

    def leaf_to_sql(self, t: Tables) -> str:
        cond = " OR ".join(f"key BETWEEN {_quote(lo)} AND {_quote(hi)}" for lo, hi in self.intervals())
        schemes = ", ".join(_quote(s) for s in self.schemes)
        return f"SELECT DISTINCT doc_id FROM {t.keys} WHERE scheme IN ({schemes}) AND ({cond})"

    def evidence_sql(self, t: Tables) -> str:
        return self.leaf_to_sql(t).replace("SELECT DISTINCT doc_id FROM",
                                           "SELECT DISTINCT doc_id, upper(scheme) || ' ' || symbol_norm FROM")

    def _scheme_words(self) -> str:
        return "/".join(s.upper() for s in self.schemes)

    def _moved_words(self) -> str:
        out = ""
        if self.successors:
            out += f" or its successor{'s' if len(self.successors) > 1 else ''} " + ", ".join(
                display(p) for p in self.successors)
        if self.predecessors:
            out += " or the earlier " + ", ".join(display(p) for p in self.predecessors)
        return out


@dataclass(frozen=True, kw_only=True, eq=False)
class SymbolRule(_SymbolBase):
    """A CPC/IPC symbol; ``*`` truncates on the right (``G06N 20*``, ``G05*``, ``G06N 5/02*``)."""

    type: ClassVar[str] = "symbol"
    pattern: str

    def own_intervals(self) -> list[tuple[str, str]]:
        return [pattern_interval(self.pattern)]

    def label(self) -> str:
        p = display(self.pattern)
        kind = "codes under" if p.endswith("*") or "/" not in p else "code"
        return f"{self._scheme_words()} {kind} {p}{self._moved_words()}"


@dataclass(frozen=True, kw_only=True, eq=False)
class RangeRule(_SymbolBase):
    """Every symbol from ``low`` to ``high`` (both inclusive, truncation allowed): ``>=A AND <=B``."""

    type: ClassVar[str] = "range"
    low: str
    high: str
    published: str = ""   # the range as the source wrote it, when it was corrected

    def own_intervals(self) -> list[tuple[str, str]]:
        return [range_interval(self.low, self.high)]

    def label(self) -> str:
        fixed = f" (published as {self.published!r})" if self.published else ""
        return (f"{self._scheme_words()} range {display(self.low)} to {display(self.high)}{fixed}"
                f"{self._moved_words()}")


@dataclass(frozen=True, kw_only=True, eq=False)
class KeywordRule(Rule):
    """Keywords (1790 Analytics syntax) in titles and abstracts; ``lang='zh'`` for Chinese terms."""

    type: ClassVar[str] = "keyword"
    terms: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    lang: str = "en"

    def regex(self) -> str:
        return compile_terms(self.terms, lang=self.lang)

    def condition(self) -> str:
        """SQL true for a text row (of ``Tables.texts``) that the rule matches."""
        return " OR ".join(self.field_conditions())

    def field_conditions(self) -> list[str]:
        """One SQL condition per field of the rule, in the order of ``fields``."""
        rx = _quote(self.regex())
        if self.lang == "zh":
            # Only texts in Chinese get as far as the terms, few in most stores: one regular expression, not a
            # substring test per term (hundreds of them made the statement slow to plan). strlen <> length: a
            # character outside ASCII, cheaper to test than the CJK regular expression.
            return [f"((({f}_lang LIKE 'zh%') OR ({f}_lang IS NULL AND strlen({f}) <> length({f}) "
                    f"AND regexp_matches({f}, '{_CJK}'))) AND regexp_matches({f}, {rx}))" for f in self.fields]
        conds = []
        pieces = [required_pieces(t) for t in self.terms]
        witnesses = [w for w in (witness(t) for t in self.terms) if w]
        for f in self.fields:
            cond = f"regexp_matches({f}, {rx})"
            if witnesses:
                # A written form that proves a match, tested as substrings: the regular expression runs only
                # where none is found.
                cond = " OR ".join([_witness_sql(f, w, whole) for w, whole in witnesses] + [cond])
                cond = f"({cond})"
            if all(pieces):
                # Cheap substring tests first (every literal of some term): the regular expression runs only
                # where it can match.
                guard = " OR ".join(dict.fromkeys(
                    "(" + " AND ".join(f"contains({f}, {_quote(x)})" for x in term) + ")" for term in pieces))
                cond = f"({guard}) AND {cond}"
            conds.append(f"({cond})")
        return conds

    def leaf_to_sql(self, t: Tables) -> str:
        return f"SELECT doc_id FROM {t.texts} WHERE {self.condition()}"

    def evidence_sql(self, t: Tables) -> str:
        rx = _quote(self.regex())
        parts = [f"SELECT doc_id, '{f}: “' || regexp_extract({f}, {rx}) || '”' FROM {t.texts} WHERE {cond}"
                 for f, cond in zip(self.fields, self.field_conditions(), strict=True)]
        return " UNION ALL ".join(parts)

    def label(self) -> str:
        where = " or ".join(self.fields)
        if self.lang == "zh":
            return f"any of {len(self.terms)} Chinese terms in a Chinese {where}"
        if len(self.terms) == 1:
            return f"keyword “{self.terms[0]}” in {where}"
        return f"any of the keywords {', '.join('“' + x + '”' for x in self.terms)} in {where}"


@dataclass(frozen=True, kw_only=True, eq=False)
class _Composite(Rule):
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    joiner: ClassVar[str] = ""

    def leaves(self) -> Iterator[Rule]:
        for r in self.rules:
            yield from r.leaves()

    def to_sql(self, t: Tables) -> str:
        return f"\n{self.joiner}\n".join(f"({r.to_sql(t)})" for r in self.rules)


@dataclass(frozen=True, kw_only=True, eq=False)
class AnyRule(_Composite):
    """Boolean OR of rules (a classification OR a keyword)."""

    type: ClassVar[str] = "any"
    joiner: ClassVar[str] = "UNION"

    def label(self) -> str:
        return "any of: " + "; ".join(r.label() for r in self.rules)


@dataclass(frozen=True, kw_only=True, eq=False)
class AllRule(_Composite):
    """Boolean AND of rules."""

    type: ClassVar[str] = "all"
    joiner: ClassVar[str] = "INTERSECT"

    def label(self) -> str:
        return "all of: " + "; ".join(r.label() for r in self.rules)


@dataclass(frozen=True, kw_only=True, eq=False)
class NotRule(_Composite):
    """Documents that the rule does not match."""

    type: ClassVar[str] = "not"

    def to_sql(self, t: Tables) -> str:
        return f"SELECT doc_id FROM {t.docs} EXCEPT ({self.rules[0].to_sql(t)})"

    def label(self) -> str:
        return "not " + self.rules[0].label()


RULE_TYPES: dict[str, type[Rule]] = {c.type: c for c in (SymbolRule, RangeRule, KeywordRule, AnyRule, AllRule,
                                                           NotRule)}
# Options each kind accepts besides its own key (anything else is a load error).
RULE_OPTIONS: dict[str, frozenset[str]] = {
    "symbol": frozenset({"schemes", "successors", "predecessors", "note"}),
    "range": frozenset({"schemes", "successors", "predecessors", "note", "published"}),
    "keyword": frozenset({"fields", "lang", "note", "source_sha256"}),
    "any": frozenset({"note"}), "all": frozenset({"note"}), "not": frozenset({"note"}),
}


def describe(rule: Rule) -> dict[str, Any]:
    """A rule as plain data (for JSON output)."""
    out: dict[str, Any] = {"type": rule.type, "line": rule.line, "label": rule.label()}
    if rule.note:
        out["note"] = rule.note
    return out
