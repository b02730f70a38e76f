"""The domain as frozen, keyword-only dataclasses. No I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Reject:
    """One input row that was not accepted, with where and why."""

    file: str
    line: int
    field: str
    reason: str
    raw: str = ""


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A data-quality finding of a run: a catalogue id, how often, and a few examples."""

    run_id: int
    finding: str
    count: int
    examples: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class Run:
    """One ingest run: what was read, from where, and what came of it."""

    run_id: int
    kind: str
    path: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    started_at: str
    seconds: float
    aieco_version: str
    encoding: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class IngestResult:
    """What `ingest` did: a new run, or nothing because the same file is already loaded."""

    run: Run
    noop: bool = False
    replaced_run_id: int | None = None


# The canonical row layout that readers stage and the store merges (column -> DuckDB type).
# Document columns a reader may stage (besides `line`, `row_hash`).
DOCUMENT_COLUMNS: dict[str, str] = {
    "source": "VARCHAR", "office": "VARCHAR", "number": "VARCHAR", "number_raw": "VARCHAR",
    "number_mangled": "BOOLEAN", "kind": "VARCHAR", "family_id": "VARCHAR", "extended_family_id": "VARCHAR",
    "lens_id": "VARCHAR", "application_number": "VARCHAR", "application_date": "DATE",
    "filing_year": "INTEGER", "publication_date": "DATE", "publication_year": "INTEGER",
    "priority_date": "DATE", "priority_year": "INTEGER", "priority_office": "VARCHAR", "doc_type": "VARCHAR",
    "granted": "BOOLEAN", "title": "VARCHAR", "title_lang": "VARCHAR", "abstract": "VARCHAR",
    "abstract_lang": "VARCHAR", "simple_family_size": "INTEGER", "extended_family_size": "INTEGER",
    "extra": "JSON",
}
# Child tables: staged with the `line` of their document; `dedupe` names the columns that make a child
# row already present when a document is enriched by a later run.
CHILD_TABLES: dict[str, dict[str, Any]] = {
    "classifications": {"columns": {"scheme": "VARCHAR", "symbol": "VARCHAR", "symbol_norm": "VARCHAR",
                                    "seq": "INTEGER", "weight": "DOUBLE"},
                        "dedupe": ("scheme", "symbol")},
    "parties": {"columns": {"role": "VARCHAR", "seq": "INTEGER", "name": "VARCHAR", "country": "VARCHAR",
                            "country_raw": "VARCHAR"},
                "dedupe": ("role", "seq", "name")},
    "priorities": {"columns": {"seq": "INTEGER", "office": "VARCHAR", "number": "VARCHAR", "kind": "VARCHAR",
                               "priority_date": "DATE", "raw": "VARCHAR"},
                   "dedupe": ("raw",)},
    "categories": {"columns": {"scheme": "VARCHAR", "dimension": "VARCHAR", "category": "VARCHAR"},
                   "dedupe": ("scheme", "category")},
}


# --- claims and money (issue 6) ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Interval:
    """The values a quantitative claim allows: "nearly 40%" is [36, 40), "more than 1.5 million" is (1.5e6, ∞).

    ``None`` bounds are unbounded; ``tolerance`` is the relative tolerance used (None when none applies) and
    ``rule`` says in words how the interval was derived.
    """

    lo: float | None
    hi: float | None
    lo_open: bool = False
    hi_open: bool = False
    tolerance: float | None = None
    rule: str = ""

    def contains(self, x: float) -> bool:
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        return not (self.hi is not None and (x > self.hi or (self.hi_open and x == self.hi)))

    def label(self) -> str:
        lo = "-inf" if self.lo is None else f"{self.lo:.6g}"
        hi = "inf" if self.hi is None else f"{self.hi:.6g}"
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        return f"{left}{lo}, {hi}{right}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label()}


@dataclass(frozen=True, kw_only=True)
class Amount:
    """One number as written in a text: its value, unit (count, percent or an ISO currency) and interval."""

    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None
    interval: Interval
    form: str = "digits"  # digits | words | fraction | multiple | zh: how the number was written
    half_unit: float = 0.0  # half a unit of its last significant digit (its rounding)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "interval": self.interval.to_dict()}


@dataclass(frozen=True, kw_only=True)
class Period:
    """When a claim holds: a year range, a point ("as of April 2025") or unstated."""

    kind: str  # range | as-of | since | unstated
    text: str = ""
    start: str | None = None  # ISO date
    end: str | None = None  # ISO date
    part_of_year: bool = False  # "the first half of 2016": finer than the years the data counts by


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One quantitative claim found in a text, with character offsets into it."""

    kind: str  # count | share | growth | ratio | rank | per-capita | money | firm-count | membership
    text: str
    start: int
    end: int
    amounts: tuple[Amount, ...]
    subject: str | None  # ISO country code, group id, firm or programme name
    subject_kind: str | None  # country | group | firm | program | world
    measure: str | None  # patents | applications | families | grants | share-of-global | industry-size | firms
    period: Period
    sentence: str = ""
    links: tuple[int, ...] = ()  # indexes of other claims about the same quantity (money pairs, "This …")
    notes: tuple[str, ...] = ()
    # the parts of the claim apart (aieco.claims.resolve), each with where it came from in ``provenance``
    unit: str | None = None  # documents | applications | families | grants | in-force-patents | patents | papers …
    attribution: str | None = None  # office | applicant | inventor | None (not said)
    date_basis: str | None = None  # priority | publication | grant | None (not said)
    category: str | None = None  # an AI technique or field the claim is about ("Machine_Learning")
    members: tuple[str, ...] = ()  # coordinated subjects ("Germany and France")
    combine: str | None = None  # together | each (coordinated subjects)
    versus: str | None = None  # the other subject of a ratio ("60% more than the US")
    base: str | None = None  # world | subject (a share of the world, or of the subject's own total)
    provenance: tuple[tuple[str, str], ...] = ()  # (part, where it came from)

    @property
    def interval(self) -> Interval:
        return self.amounts[0].interval if self.amounts else Interval(lo=None, hi=None, rule="no number")


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """A catalogue outcome (stable kebab-case id) with its rendered message."""

    id: str
    title: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Rate:
    """An exchange rate: ``rate`` units of ``quote`` per one ``base``, with where it came from and the rule used."""

    base: str
    quote: str
    rate: float
    rate_source: str  # ecb | hmrc
    method: str  # day | month-mean | year-mean
    date: str  # the date asked for (ISO)
    used: str  # the date or period the rate is from
    rule: str  # in words: exact day, previous working day, mean of N days, HMRC monthly table, ...


# -- measure: counting methods and country groups ------------------------------------------------------
UNITS: tuple[str, ...] = ("document", "application", "family", "granted-family")
ATTRIBUTIONS: tuple[str, ...] = ("office", "priority-office", "applicant", "inventor")
COUNTINGS: tuple[str, ...] = ("whole", "fractional")
DATE_BASES: tuple[str, ...] = ("priority", "filing", "publication")


@dataclass(frozen=True, kw_only=True)
class Method:
    """How a patent number is counted: unit × attribution × counting × date basis × definition."""

    unit: str = "document"
    attribution: str = "office"
    counting: str = "whole"
    date_basis: str = "priority"
    definition: str = "all"
    definition_version: str = ""
    category: str = ""

    def label(self) -> str:
        what = f"{self.definition}:{self.category}" if self.category else self.definition
        return f"{self.unit} by {self.attribution}, {self.counting}, {self.date_basis} year, {what}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Membership:
    """One country's membership of a group: from ``joined`` until the day before ``left``."""

    country: str
    joined: Any  # datetime.date
    left: Any = None  # datetime.date | None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Group:
    """A named country group with dated membership and the sources for it."""

    name: str
    title: str
    memberships: tuple[Membership, ...]
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    invited: tuple[Membership, ...] = ()
    blocs: tuple[str, ...] = ()
    origin: str = "aieco"  # "aieco" for package data, else the path of a user's file


@dataclass(frozen=True, kw_only=True)
class Category:
    """One category of an AI definition: a stable id, a title, its dimension and the rules that assign it.

    ``otherwise`` marks a residual category (every document of the universe in no other category of the
    same dimension, e.g. cset-1790's Generic/Unspecified technique).
    """

    id: str
    title: str
    dimension: str
    rules: tuple[Any, ...] = ()
    otherwise: bool = False
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Definition:
    """A published AI definition, versioned: which documents are AI (``universe``) and in which categories.

    ``universe`` and category rules are rule objects of :mod:`aieco.classify.rules`; ``path`` is the file.
    """

    id: str
    version: str
    title: str
    citation: str
    cpc_version: str
    universe: tuple[Any, ...] = ()
    categories: tuple[Category, ...] = ()
    url: str = ""
    notes: str = ""
    path: str = ""

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.dimension for c in self.categories))
