"""Typed results of the library's questions: what every face (CLI, report, API, dashboard) renders.

Each result is a frozen, kw-only dataclass that carries its provenance as fields — the method's parameters, the
definition id and version, the source and its sha256 — so a face never has to look them up again. ``to_dict()``
gives the JSON shape (the same keys the CLI's ``--format json`` has always printed).

>>> r = GridRow(subject="CN", subject_kind="country", source="cset1790", unit="family", attribution="office",
...             counting="whole", date_basis="priority", definition="cset-1790", definition_version="v1",
...             category="", period="2000-2019", value=3, world=4, share=0.75, incomplete_years=(),
...             source_sha256="ab", by_year={2019: 3})
>>> r.method_label()
'family by office, whole, priority year'
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of every result: ``to_dict()`` is its JSON form."""

    def to_dict(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in asdict(self).items()}


@dataclass(frozen=True, kw_only=True)
class GridRow(Result):
    """One method's answer for one subject: its value, the world it is a share of, and its provenance."""

    subject: str
    subject_kind: str
    source: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    definition: str
    definition_version: str
    category: str
    period: str
    value: float
    world: float
    share: float | None
    incomplete_years: tuple[int, ...]
    source_sha256: str
    by_year: dict[int, float] = field(default_factory=dict)

    def method_label(self) -> str:
        return f"{self.unit} by {self.attribution}, {self.counting}, {self.date_basis} year"


@dataclass(frozen=True, kw_only=True)
class RefusedMethod(Result):
    """A method the loaded data cannot support, with the fields it would need."""

    source: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    definition: str
    definition_version: str
    category: str
    reason: str
    missing: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Spread(Result):
    """Per subject: the smallest and the largest share across methods, and the methods that give them."""

    subject: str
    methods: int
    min_share: float
    min_method: str
    max_share: float
    max_method: str
    spread: float


@dataclass(frozen=True, kw_only=True)
class GridResult(Result):
    """The method grid: every supported method's answer, the spread, and what was refused and why."""

    country: str | None
    group: str | None
    years: tuple[int, int] | None
    definition: str | None
    rows: tuple[GridRow, ...]
    spread: tuple[Spread, ...]
    refused: tuple[RefusedMethod, ...]

    def to_dict(self) -> dict[str, Any]:
        # the shape `aieco grid --format json` printed before the typed layer
        return {
            "methods": [r.to_dict() for r in self.rows],
            "spread": [s.to_dict() for s in self.spread],
            "refused": [r.to_dict() for r in self.refused],
        }


@dataclass(frozen=True, kw_only=True)
class YearCount(Result):
    """Documents of one source, office and year (the report's "AI patents by year and office")."""

    source: str
    office: str
    year: int
    documents: int
    families: int


@dataclass(frozen=True, kw_only=True)
class SourceRun(Result):
    """One ingest run: what was read, from which file (with its sha256), and what came of it."""

    run_id: int
    kind: str
    path: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int


@dataclass(frozen=True, kw_only=True)
class Finding(Result):
    """A data-quality finding of a run (id from the findings catalogue)."""

    run_id: int
    id: str
    title: str
    message: str
    count: int


@dataclass(frozen=True, kw_only=True)
class Coverage(Result):
    """What the store holds: per source the documents and the share with each field known; runs; findings."""

    documents: int
    families: int
    rejects: int
    by_source: dict[str, dict[str, float]]
    runs: tuple[SourceRun, ...]
    findings: tuple[Finding, ...]
    by_year_office: tuple[YearCount, ...]


@dataclass(frozen=True, kw_only=True)
class GroupMembers(Result):
    """A group's members in one year (31 December), as the dated membership table gives them."""

    group: str
    year: int
    members: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Ecosystem(Result):
    """One country's (and optionally one group's) AI patent picture: what the report and dashboard show.

    ``shares`` holds the grid over AI data only (the AI sources, and with ``definition`` the documents it
    classified); ``groups`` one grid per compared group; ``sectors`` one grid per sector (source flags)."""

    country: str
    group: str | None
    years: tuple[int, int] | None
    coverage: Coverage
    shares: GridResult
    classified_shares: tuple[GridResult, ...]
    groups: tuple[GridResult, ...]
    memberships: tuple[GroupMembers, ...]
    sectors: dict[str, GridResult]


@dataclass(frozen=True, kw_only=True)
class FileRef(Result):
    """A file the result was computed from, with its sha256 (and the reader kind, when known)."""

    path: str
    sha256: str
    kind: str = ""


@dataclass(frozen=True, kw_only=True)
class CategoryAgreement(Result):
    """Among the documents both call AI: how many each puts in the category."""

    category: str
    both: int
    aieco_only: int
    cset_only: int


@dataclass(frozen=True, kw_only=True)
class Difference(Result):
    """A document where the definition and the CSET/1790 database disagree."""

    office: str
    number: str
    kind: str | None
    source: str
    title: str | None
    aieco_rule: str | None
    cset_ai: bool


@dataclass(frozen=True, kw_only=True)
class Agreement(Result):
    """A definition's results against the CSET/1790 database on the documents of other sources."""

    definition: str
    version: str
    reference: str
    reference_files: tuple[FileRef, ...]
    window: tuple[str, str]
    documents: int
    by_source: dict[str, int]
    compared_files: tuple[FileRef, ...]
    ai_both: int
    ai_aieco_only: int
    ai_cset_only: int
    ai_neither: int
    precision: float | None
    recall: float | None
    categories: tuple[CategoryAgreement, ...]
    differences: tuple[Difference, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        # the JSON of `aieco agreement --format json` before the typed layer: by_source as a list of rows,
        # differences only when asked for
        out = super().to_dict()
        out["by_source"] = [{"source": s, "documents": n} for s, n in self.by_source.items()]
        out["compared_files"] = [{"kind": f.kind, "path": f.path, "sha256": f.sha256} for f in self.compared_files]
        out["reference_files"] = [{"path": f.path, "sha256": f.sha256} for f in self.reference_files]
        if self.differences is None:
            out.pop("differences")
        return out


@dataclass(frozen=True, kw_only=True)
class ProfileRow(Result):
    """One published measure for one country over one span of years, with the method as its publisher states it.

    ``value`` is the figure for the span: the single year's value, the publisher's own period total (a summary
    table), or, over several years, the sum for counts and the last year's value for context indicators
    (population, GDP, internet use), ``value_basis`` saying which. ``complete`` is None when the publisher does
    not say whether its years are complete (ETO's citations), False when any year in the span is marked incomplete.
    """

    country: str
    pillar: str
    publisher: str
    measure: str
    table: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    ai_definition: str
    period: str
    value: float | None
    value_basis: str
    complete: bool | None
    incomplete_years: tuple[int, ...]
    file: str
    file_sha256: str
    run_id: int
    run_sha256: str
    by_year: dict[int, float] = field(default_factory=dict)

    def method_label(self) -> str:
        parts = [self.unit, self.attribution, self.counting, self.date_basis]
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True, kw_only=True)
class Profile(Result):
    """A country's published aggregates from every loaded publisher, one row per source × measure × span, and
    (``documents``) every method the loaded patent documents support for it, as ``aieco grid`` counts them."""

    country: str
    name: str
    years: tuple[int, int] | None
    rows: tuple[ProfileRow, ...]
    documents: tuple[GridRow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Stats(Result):
    """Headline counts of what the store holds (``aieco stats``): documents and families, by source, office,
    priority year and document type; rejects; findings by id; categories; field coverage per source."""

    documents: int
    families: int
    by_source: dict[str, int]
    by_office: dict[str, int]
    by_priority_year: dict[str, int]
    by_document_type: dict[str, int]
    rejects: int
    findings: dict[str, int]
    categories: dict[str, int]
    category_coverage: dict[str, int]
    coverage: dict[str, dict[str, float]]

    def headline(self) -> str:
        found = ", ".join(f"{k} {v:,}" for k, v in self.findings.items()) or "none"
        return (
            f"{self.documents:,} documents, {self.families:,} families, {self.rejects:,} rejects; findings: {found}"
        )


@dataclass(frozen=True, kw_only=True)
class Reject(Result):
    """A rejected input row of a run: where it was (file, line, field), why, and the raw text kept."""

    run_id: int
    file: str | None
    line: int | None
    field: str | None
    reason: str
    raw: str | None


@dataclass(frozen=True, kw_only=True)
class CategoryInfo(Result):
    """One category of an AI definition."""

    id: str
    title: str
    dimension: str


@dataclass(frozen=True, kw_only=True)
class DefinitionInfo(Result):
    """A shipped AI definition as ``aieco definitions`` and ``GET /definitions`` list it; ``applied`` is whether
    the store holds its results (None when no store was asked)."""

    id: str
    version: str
    title: str
    cpc_version: str
    citation: str
    file: str
    categories: tuple[CategoryInfo, ...]
    applied: bool | None = None

    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.dimension for c in self.categories))


# --- firms (issue 14) ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MatchSummary(Result):
    """What `aieco firms match` did: the model, the threshold, how many names, pairs and links."""

    match_id: int
    method: str
    threshold: float
    applicants: int
    firm_names: int
    pairs: int
    candidates: int
    links: int
    seconds: float


@dataclass(frozen=True, kw_only=True)
class FirmRow(Result):
    """One firm of a registry: who it is, and how many applicant names and documents are linked to it."""

    registry: str
    firm_id: str
    credit_code: str | None
    name_zh: str | None
    name_en: str | None
    country: str | None
    province: str | None
    programme: str | None
    batch: str | None
    year: int | None
    applicants: int
    documents: int
    registry_sha256: str


@dataclass(frozen=True, kw_only=True)
class FirmLink(Result):
    """An applicant name scored against a firm: probability, weight, and the comparison levels behind it."""

    applicant: str
    firm_name: str
    match_probability: float
    match_weight: float
    linked: bool
    levels: dict[str, Any]
    documents: int


@dataclass(frozen=True, kw_only=True)
class FirmYearCount(Result):
    """A firm's AI documents under one definition in one priority year (None: the source gives no year)."""

    definition: str
    version: str
    year: int | None
    documents: int


@dataclass(frozen=True, kw_only=True)
class PublishedCount(Result):
    """A count the registry publishes for a firm (PARAT: ai_patents, ai_pubs); year None is its total."""

    measure: str
    year: int | None
    value: int


@dataclass(frozen=True, kw_only=True)
class FirmDetail(Result):
    """`aieco firms show`: one registry entry of a firm, its names, links, documents and AI documents."""

    registry: str
    firm_id: str
    credit_code: str | None
    name_zh: str | None
    name_en: str | None
    country: str | None
    province: str | None
    city: str | None
    programme: str | None
    batches: tuple[str, ...]
    year: int | None
    industry: str | None
    stage: str | None
    names: tuple[str, ...]
    links: tuple[FirmLink, ...]
    documents: int
    ai_documents: tuple[FirmYearCount, ...]
    published: tuple[PublishedCount, ...]
    method: str | None
    threshold: float | None
    date_basis: str
    registry_sha256: str
    source_sha256: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class RegistryAnswer(Result):
    """What the loaded firm registries say about a programme (and a named firm), for the claims checker.

    ``firms``: distinct firms of the programme (batch, province) in the loaded registries (None: no registry
    at all). ``firms_ai_industry``: those whose registry industry names AI. ``firms_with_ai``: those with at
    least one AI document — the documents of their linked applicant names (p >= ``threshold``) classified AI
    by ``definition`` (or the most under any classified definition; each in ``firms_with_ai_by_definition``);
    None when links or classification are missing. ``missing`` says, in words, what the store lacks.
    """

    programme: str
    programme_words: tuple[str, ...]
    batch: str | None
    province: str | None
    registries: tuple[str, ...]
    registry_sha256: tuple[str, ...]
    firms: int | None
    firms_ai_industry: int | None
    firms_with_ai: int | None
    firms_with_ai_by_definition: dict[str, int]
    definition: str | None
    definition_versions: dict[str, str]
    firm: str | None
    firm_found: bool | None
    firm_found_as: tuple[str, ...]
    method: str | None
    threshold: float | None
    missing: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class FirmIndicator(Result):
    """A firm's portfolio (documents of its linked applicant names), AI documents under one definition (total
    and by priority year), AI share, and the Herfindahl index of its CPC subclasses (None: no CPC codes)."""

    registry: str
    firm_id: str
    name: str | None
    documents: int
    ai_documents: int
    ai_share: float
    ai_by_year: dict[int, int]
    hhi_cpc_subclass: float | None
    cpc_subclasses: int
    definition: str
    definition_version: str
    date_basis: str
    threshold: float
    registry_sha256: str


@dataclass(frozen=True, kw_only=True)
class FirmAgreement(Result):
    """A matched PARAT firm: PARAT's published AI patent count next to aieco's AI documents for it."""

    firm_id: str
    name: str | None
    country: str | None
    parat_ai_patents: int | None
    aieco_ai_documents: int
    aieco_documents: int
    ratio: float | None
    period: str
    definition: str
    definition_version: str
    registry_sha256: str
    parat_unit: str
    aieco_unit: str


@dataclass(frozen=True, kw_only=True)
class RegistrySummary(Result):
    """One loaded firm registry as the report shows it: its file's sha256, its firms, those linked to at least
    one applicant name, the applicant names linked and their documents."""

    registry: str
    registry_sha256: tuple[str, ...]
    firms: int
    firms_linked: int
    applicants_linked: int
    documents: int


@dataclass(frozen=True, kw_only=True)
class FirmsOverview(Result):
    """The report's firms section: the loaded registries, the last `aieco firms match` (its method and
    threshold; None: not run) and PARAT's AI patents against aieco's AI documents of the matched firms under
    ``definition`` (empty, with ``notes`` saying why, when it cannot be answered)."""

    registries: tuple[RegistrySummary, ...]
    match_method: str | None
    threshold: float | None
    definition: str
    definition_version: str | None
    agreement: tuple[FirmAgreement, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AggregateIndicatorRow(Result):
    """One indicator for one subject (a country, or a group summed over its members of that year) over one
    publisher's series and period: the numerator (``value``), what it was divided by (``denominator`` and
    ``denominator_basis``, e.g. the publisher's World row or the population of that year), the ``result``, and
    the series' method as its publisher states it, with the sha256 of every file used.

    ``members_missing`` names the members the publisher does not list (not counted, never guessed as zero);
    ``complete`` is False when a year used is marked incomplete, None when the publisher does not say.
    """

    indicator: str
    subject: str
    subject_kind: str
    pillar: str
    publisher: str
    measure: str
    table: str
    field: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    ai_definition: str
    period: str
    year: int | None
    value: float | None
    denominator: float | None
    denominator_basis: str
    result: float | None
    result_unit: str
    complete: bool | None
    incomplete_years: tuple[int, ...]
    members: tuple[str, ...]
    members_missing: tuple[str, ...]
    world: float | None
    world_basis: str
    countries_listed: int
    source_sha256: str
    denominator_sha256: str
    rank: int | None
    note: str = ""
    by_year: dict[int, float] = dataclasses.field(default_factory=dict)  # `field` is a column here

    def method_label(self) -> str:
        parts = [self.unit, self.attribution, self.counting, self.date_basis]
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True, kw_only=True)
class AggregateIndicators(Result):
    """An indicator over the published aggregates: one row per subject × series × period (see the row)."""

    kind: str
    country: str | None
    group: str | None
    years: tuple[int, int] | None
    pillar: str | None
    rows: tuple[AggregateIndicatorRow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CompareColumn(Result):
    """One published figure of ``aieco compare``: which publisher's table, measure, unit, method and period."""

    id: str
    label: str
    publisher: str
    table: str
    measure: str
    unit: str
    method: str
    ai_definition: str
    period: str


@dataclass(frozen=True, kw_only=True)
class CompareCell(Result):
    """One member's value of one column, with its source sha256 and completeness; ``note`` says why it is empty
    (not listed by the publisher, no population for that year, ...)."""

    column: str
    value: float | None
    unit: str
    publisher: str
    table: str
    period: str
    method: str
    complete: bool | None
    source_sha256: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class CompareRow(Result):
    """A member of the group (or the group itself: the sum over its members of that year)."""

    subject: str
    kind: str
    name: str
    cells: tuple[CompareCell, ...]

    def cell(self, column: str) -> CompareCell | None:
        return next((c for c in self.cells if c.column == column), None)


@dataclass(frozen=True, kw_only=True)
class CompareResult(Result):
    """A group's members side by side on the published aggregates, in one year (``missing``: tables not loaded)."""

    group: str
    title: str
    year: int
    members: tuple[str, ...]
    columns: tuple[CompareColumn, ...]
    rows: tuple[CompareRow, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SourceSeries(Result):
    """One side of a sources comparison: the source, what it counts and how, and the sha256 of its data."""

    source: str
    publisher: str
    measure: str
    method: str
    definition: str
    sha256: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SourcesAgreementRow(Result):
    """One country and year: the left source's value, the right one's, left / right, and each side's
    completeness (False: a year still filling in)."""

    country: str
    year: int
    left: float | None
    right: float | None
    ratio: float | None
    difference: float | None
    left_complete: bool | None
    right_complete: bool | None


@dataclass(frozen=True, kw_only=True)
class SourcesAgreement(Result):
    """Two sources answering the same question on overlapping years, side by side, with what explains the gap."""

    question: str
    years: tuple[int, int]
    countries: tuple[str, ...]
    left: SourceSeries
    right: SourceSeries
    rows: tuple[SourcesAgreementRow, ...]
    explanations: tuple[str, ...] = ()
    complete_ratio: dict[str, float] = field(default_factory=dict)  # per country: left / right over the years
    # both sides have complete


@dataclass(frozen=True, kw_only=True)
class Conversion(Result):
    """An amount converted at an offline rate: the rate, its source (ECB, HMRC, FRED), the method (a day, a
    month's or a year's mean, an annual or monthly average) and the rule in words, with the file's sha256
    where the rate came from a file. JSON keys as ``aieco convert --format json`` has always printed them."""

    amount: float
    input_amount: float
    base: str
    quote: str
    rate: float
    rate_source: str
    method: str
    date: str
    rate_date: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["from"], d["to"] = d.pop("base"), d.pop("quote")
        return {k: d[k] for k in ("amount", "input_amount", "from", "to", "rate", "rate_source", "method", "date",
                                  "rate_date", "rule")}  # fmt: skip

    def label(self) -> str:
        return (
            f"{self.input_amount:,.2f} {self.base} = {self.amount:,.2f} {self.quote} (rate {self.rate:.6g}, "
            f"{self.rate_source} {self.method} {self.rate_date}; {self.rule})"
        )


@dataclass(frozen=True, kw_only=True)
class PublishedAggregates(Result):
    """What the report shows of the published aggregates: the country's profile, a group's members side by side
    in one year, and two sources against each other; each None when it cannot be answered (``notes`` says why)."""

    country: str
    group: str
    year: int
    profile: Profile | None
    compare: CompareResult | None
    sources: SourcesAgreement | None
    notes: tuple[str, ...] = ()


# --- the claims checker (issue 18) ----------------------------------------------------------------------
#
# `aieco check`'s JSON has, per claim, the keys it printed before the typed layer; a key some claims had and
# others lacked (a conversion, a floor's note, the evidence of one decider) is a field that ``to_dict()`` leaves
# out when it is None, so each claim's JSON is what it was. The whole check is a CheckResult (CHECK_SCHEMA).

CHECK_SCHEMA = 2  # 1: a JSON list of claims; 2: an object with the text's date, counts and the claims
_OMIT = {"omit_none": True}


def _opt(default: Any = None) -> Any:
    """A field left out of ``to_dict()`` when None (a key only some claims' JSON has)."""
    return field(default=default, metadata=_OMIT)


def _json(v: Any) -> Any:
    if isinstance(v, Result):
        return v.to_dict()
    if isinstance(v, (tuple, list)):
        return [_json(x) for x in v]
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    return v


@dataclass(frozen=True, kw_only=True)
class _Keyed(Result):
    """A result whose JSON keys are its fields, less the None ones marked omit (:func:`_opt`)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = _json(v)
        return out


@dataclass(frozen=True, kw_only=True)
class ClaimInterval(_Keyed):
    """The values a claim allows (``label``: "[36, 40)"), and the rule that read them from its words."""

    lo: float | None
    hi: float | None
    lo_open: bool
    hi_open: bool
    tolerance: float | None
    rule: str
    label: str


@dataclass(frozen=True, kw_only=True)
class ClaimAmount(_Keyed):
    """One number of a claim as written: where, its value and unit, its qualifier and interval."""

    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None
    interval: ClaimInterval
    form: str
    half_unit: float


@dataclass(frozen=True, kw_only=True)
class ClaimPeriod(_Keyed):
    """When a claim holds: kind range | as-of | since | unstated, with ISO dates."""

    kind: str
    text: str
    start: str | None
    end: str | None
    part_of_year: bool


@dataclass(frozen=True, kw_only=True)
class LedgerFigure(_Keyed):
    """A published figure of the reference ledger set beside a claim: a match, a near miss or a related figure
    (``why_not`` says why it does not match; ``note`` what a match differs in)."""

    id: str
    value: float
    qualifier: str
    value_label: str
    unit: str
    subject: str
    measure: str
    topic: str
    period: str
    method: str
    citation: str
    relative_difference: float | None
    note: str | None = _opt()
    why_not: str | None = _opt()


@dataclass(frozen=True, kw_only=True)
class LedgerOutcome(_Keyed):
    """The claim against the reference ledger (its version): ``verdict`` matches-published-figure or None."""

    verdict: str | None
    message: str
    ledger_version: Any
    matches: tuple[LedgerFigure, ...]
    near: tuple[LedgerFigure, ...]
    related: tuple[LedgerFigure, ...]


@dataclass(frozen=True, kw_only=True)
class SeriesEvidence(_Keyed):
    """One method's series the checker read: its provider (grid | eto | ncses | leusin | injected), source, the
    method's parameters, definition id and version, and the source's sha256. ``own_*``: what the series gives
    over its own whole period and whether that would reproduce the claim; ``years_reproducing``: the complete
    single years that would (a claim with no period); ``covered_years``: the span a classified source counts on."""

    provider: str
    source: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    definition: str
    definition_version: str
    category: str | None
    source_sha256: str
    note: str
    own_period: str | None = _opt()
    own_value: float | None = _opt()
    own_reproduces: bool | None = _opt()
    years_reproducing: tuple[int, ...] | None = _opt()
    # the years a classified patent source covers by the coverage rule of measure/census ("1980-2018")
    covered_years: str | None = _opt()

    def method_label(self) -> str:
        return f"{self.unit} by {self.attribution}, {self.counting}, {self.date_basis} year"


@dataclass(frozen=True, kw_only=True)
class MethodEvidence(SeriesEvidence):
    """A method compared with the claim: the ``period`` it was read over, the value ``compared``, whether it
    ``reproduces`` the claim (None: it cannot decide, ``why``)."""

    period: str
    compared: float | None
    reproduces: bool | None
    why: str | None


@dataclass(frozen=True, kw_only=True)
class ContextEvidence(SeriesEvidence):
    """A method shown beside a claim but not compared with it, and why not (it counts another unit)."""

    why_not: str


@dataclass(frozen=True, kw_only=True)
class RegistryCount(_Keyed):
    """A count of the firm registries compared with a firm claim (a floor: a registry may list only part of a
    programme); the registries and their sha256 are the evidence's ``registry``."""

    method: str
    value: float
    reproduces: bool | None
    floor: bool


@dataclass(frozen=True, kw_only=True)
class IndicatorValue(_Keyed):
    """A published indicator value compared with a claim (internet use, GDP, investment): its series label,
    publisher, value (``floor``: a lower bound), how it was made (``note``) and the file's sha256."""

    method: str
    publisher: str
    value: float
    floor: bool
    note: str
    source_sha256: str


@dataclass(frozen=True, kw_only=True)
class RefusedEvidence(_Keyed):
    """A method the loaded data has but cannot answer this claim with, and why."""

    source: str | None
    unit: str | None
    attribution: str | None
    counting: str | None
    category: str | None
    reason: str | None


@dataclass(frozen=True, kw_only=True)
class ValueRange(_Keyed):
    """The smallest and largest value the compared methods gave, in the claim's unit."""

    min: float | None
    max: float | None
    unit: str


@dataclass(frozen=True, kw_only=True)
class ClaimEvidence(_Keyed):
    """What decided a claim's data verdict. Which fields are set depends on the decider:

    - the method grid and published series (counts, shares, growth, ratios, ranks, per capita): ``methods``
      (MethodEvidence), ``refused``, ``notes``, ``samples`` (sources named, not counted), ``claim_period``,
      ``range`` (ValueRange), ``context`` (ContextEvidence); for "A and B each": ``members``, one MemberCheck
      per subject;
    - the firm registries: ``methods`` (RegistryCount) and ``registry`` (the RegistryAnswer, with sha256s);
    - the published indicators (internet use, GDP, investment): ``measure``, ``year``, ``values``;
    - none of them (a money claim no indicator decides): every field None.
    """

    methods: tuple[MethodEvidence | RegistryCount, ...] | None = _opt()
    refused: tuple[RefusedEvidence, ...] | None = _opt()
    notes: tuple[str, ...] | None = _opt()
    samples: tuple[str, ...] | None = _opt()
    claim_period: str | None = _opt()
    range: ValueRange | None = _opt()
    context: tuple[ContextEvidence, ...] | None = _opt()
    registry: RegistryAnswer | None = _opt()
    members: dict[str, MemberCheck] | None = _opt()
    measure: str | None = _opt()
    year: int | None = _opt()
    values: tuple[IndicatorValue, ...] | None = _opt()

    def series(self) -> tuple[SeriesEvidence, ...]:
        """The methods compared, then those shown as context: every series row a face lists."""
        return tuple(m for m in self.methods or () if isinstance(m, SeriesEvidence)) + (self.context or ())


@dataclass(frozen=True, kw_only=True)
class MemberCheck(_Keyed):
    """One subject of "A and B each …": its own verdict, message and evidence (JSON: the evidence's keys
    beside verdict and message)."""

    verdict: str
    message: str
    evidence: ClaimEvidence

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "message": self.message, **self.evidence.to_dict()}


@dataclass(frozen=True, kw_only=True)
class TextSpan(_Keyed):
    """A stretch of the text: what it says and its character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class RateTier(_Keyed):
    """A tier of the rates that reproduce a money pair: the exact rounding, or a rate quoted to 2 decimals;
    the ECB days (grouped into runs) and HMRC months whose rates fall in ``rate_range``."""

    tier: str
    rule: str
    rate_range: tuple[float, float]
    ecb_days: int
    ecb_dates: tuple[str, ...]
    hmrc_months: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class FredAverage(_Keyed):
    """A FRED annual-average rate tried on a money pair for one year: the rate, what it converts the amount to,
    whether that matches (exactly, or at a rate quoted to 2 decimals), and where the rate came from (the store's
    run or a file) with its sha256; ``error`` when that year has no rate."""

    year: int
    error: str | None = _opt()
    rule: str | None = _opt()
    rate: float | None = _opt()
    rate_unit: str | None = _opt()
    converted: float | None = _opt()
    matches: bool | None = _opt()
    matches_quoted: bool | None = _opt()
    source: str | None = _opt()
    method: str | None = _opt()
    rates_from: str | None = _opt()
    run_id: int | None = _opt()
    source_file: str | None = _opt()
    source_sha256: str | None = _opt()


@dataclass(frozen=True, kw_only=True)
class MoneyConversion(_Keyed):
    """The conversion check of a money pair ("600 billion yuan ($83.45 billion)"): its verdict and message, the
    rate the pair implies, the two amounts (``pair``), the rate tiers and the FRED annual averages tried.
    ``rates`` holds the rest of :func:`aieco.money.implied_rate`'s answer as it returns it (the amounts and
    currencies, ``ecb_coverage``, the claim's ``period`` with the conversions its ECB days give,
    ``first_match_after_period``, ``nearest_after_period``); its keys sit at the top level of the JSON.
    ``error``: why no rate could be inferred."""

    verdict: str
    message: str
    error: str | None = _opt()
    implied_rate: float | None = _opt()
    rate_unit: str | None = _opt()
    pair: tuple[TextSpan, ...] | None = _opt()
    tiers: tuple[RateTier, ...] | None = _opt()
    annual_average: tuple[FredAverage, ...] | None = _opt()
    rates: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        return {**d.pop("rates"), **d}


@dataclass(frozen=True, kw_only=True)
class ClaimCheck(_Keyed):
    """One claim of a text, checked: its span and kind, the interval its words allow, the data verdict (id,
    title, message) with its evidence, the ledger's outcome, what the claim was read as (subject, measure, unit,
    attribution, date basis, category, versus, period, and where each came from: ``provenance``), its amounts,
    and for a money pair the conversion check."""

    text: str
    start: int
    end: int
    kind: str
    interval: ClaimInterval | None
    verdict: str
    verdict_title: str
    message: str
    ledger: LedgerOutcome
    evidence: ClaimEvidence
    subject: str | None
    subject_kind: str | None
    measure: str | None
    unit: str | None
    attribution: str | None
    date_basis: str | None
    category: str | None
    versus: str | None
    period: ClaimPeriod
    provenance: dict[str, str]
    amounts: tuple[ClaimAmount, ...]
    links: tuple[int, ...]
    notes: tuple[str, ...]
    sentence: str
    conversion: MoneyConversion | None = _opt()

    def period_label(self) -> str:
        return self.period.text or self.period.kind


@dataclass(frozen=True, kw_only=True)
class CheckResult(_Keyed):
    """`aieco check` of one text: its claims, checked, in text order; the date the text was read at
    (``text_date``: --as-of, else its dateline, else the latest date it names); how many claims got each
    verdict; the text's name (a file name, or "") and sha256. JSON: ``schema`` is CHECK_SCHEMA."""

    schema: int = CHECK_SCHEMA
    name: str = ""
    text_sha256: str
    text_date: str | None
    counts: dict[str, int]
    ledger_matches: int
    claims: tuple[ClaimCheck, ...]

    @property
    def contradicted(self) -> bool:
        return self.counts.get("contradicted", 0) > 0

    def rows(self) -> list[dict[str, Any]]:
        """The claims' JSON (schema 1 was this list alone)."""
        return [c.to_dict() for c in self.claims]
