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
