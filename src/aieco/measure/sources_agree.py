"""Two sources against each other on the same question: ``aieco sources-agree``.

The question: how many AI patent families does a country have per priority year? The CSET/1790 database
answers from its documents (counted here by the method grid: families by office, whole counting, priority year,
or by priority office when a loaded source records it); ETO's Country Activity Tracker answers with its
published families by country of first filing. Per country and year: the two series, their ratio and which
years either side marks incomplete, so a reader sees how far the sources agree before trusting either.

>>> res = sources_agree(store, countries=("CN", "US"), years=(2014, 2019))  # doctest: +SKIP
>>> [(r.country, r.year, round(r.ratio, 2)) for r in res.rows][:1]  # doctest: +SKIP
[('CN', 2014, 1.24)]
"""

from __future__ import annotations

from aieco.errors import UnsupportedMethod
from aieco.measure import method as mth
from aieco.measure.aggregates import _cells, series
from aieco.measure.overview import grid_result
from aieco.measure.profile import resolve_country
from aieco.results import SourcesAgreement, SourcesAgreementRow, SourceSeries
from aieco.store import Store

ETO_TABLE = "patents_yearly_applications"
CSET_SOURCE = "cset1790"
# the CSET-side methods in order of preference: priority office is the like of ETO's first filing
_CSET_METHODS = (("family", "priority-office"), ("family", "office"))
EXPLANATIONS = (
    "Attribution: ETO gives each family to one country, that of its first filing (priority). The CSET/1790 "
    "documents carry no priority office, so the CSET side counts a family at every office where it has a "
    "document (whole counting): a family first filed in China and extended to the USPTO counts for the US there, "
    "not in ETO. This lifts the CSET side, the more so at offices with many foreign filers.",
    "Family definition: CSET/1790 groups documents into simple families (the same priorities); ETO counts "
    "families from its merged sources (1790 Analytics, PATSTAT, The Lens). Simple families split where wider "
    "family definitions join, which also lifts the CSET side.",
    "AI definition: the 1790 database applies its 2020 CPC/IPC + keyword definition (adapted from WIPO 2019); "
    "ETO's CAT applies CSET's later classification. A ratio that falls over the years in both countries is "
    "consistent with the later definition finding more of the recent AI families; this table does not test it.",
    "Time: the CSET copy ends in March 2020, so its priority years from 2018 are still filling in (18 months of "
    "publication lag); ETO's export (December 2024) marks China's applications complete through 2019. The "
    "ratios of those years measure the lag, not the sources.",
)


def _cset_series(
    store: Store, country: str, years: tuple[int, int]
) -> tuple[SourceSeries, dict[int, float], tuple[int, ...]] | None:
    if CSET_SOURCE not in mth.sources(store):
        return None
    grid = grid_result(store, country=country, years=years, source=CSET_SOURCE)
    for unit, attribution in _CSET_METHODS:
        for r in grid.rows:
            if (r.unit, r.attribution, r.counting, r.date_basis) == (unit, attribution, "whole", "priority"):
                refused = [f.reason for f in grid.refused if f.attribution == "priority-office"][:1]
                note = (
                    ""
                    if attribution == "priority-office"
                    else (f"by office, not priority office ({refused[0]})" if refused else "by office")
                )
                ref = SourceSeries(
                    source=CSET_SOURCE,
                    publisher="CSET / 1790 Analytics",
                    measure="AI patent families (simple families)",
                    method=r.method_label(),
                    definition="the 1790 database's own AI definition (every document is AI)"
                    if r.definition == "all"
                    else f"{r.definition} {r.definition_version}".strip(),
                    sha256=r.source_sha256,
                    note=note,
                )
                return ref, dict(r.by_year), tuple(r.incomplete_years)
    return None


def sources_agree(
    store: Store, *, countries: tuple[str, ...] = ("CN", "US"), years: tuple[int, int] = (2014, 2019)
) -> SourcesAgreement:
    """CSET/1790 families against ETO first-filing families per country and year, with their ratio."""
    eto = [s for s in series(store, table=ETO_TABLE) if s.publisher == "eto"]
    if not eto:
        raise UnsupportedMethod(f"ETO's {ETO_TABLE} is not loaded (aieco ingest eto-cat DIR)")
    s = eto[0]
    cells = _cells(store, s)
    rows: list[SourcesAgreementRow] = []
    cset_ref: SourceSeries | None = None
    eto_sha: set[str] = set()
    for text in countries:
        code = resolve_country(text)[0]
        got = _cset_series(store, code, years)
        if got is None:
            raise UnsupportedMethod(
                "no CSET/1790 documents loaded that support families by (priority) office and "
                "priority year (aieco ingest cset1790 patent_database-7b5b096.csv.zip)"
            )
        cset_ref, by_year, cset_incomplete = got
        for y in range(years[0], years[1] + 1):
            cell = cells.get((code, "All", str(y)))
            left = by_year.get(y)
            right = cell.value if cell is not None else None
            if cell is not None:
                eto_sha.add(cell.sha256)
            rows.append(
                SourcesAgreementRow(
                    country=code,
                    year=y,
                    left=left,
                    right=right,
                    ratio=round(left / right, 4) if left is not None and right else None,
                    difference=left - right if left is not None and right is not None else None,
                    left_complete=y not in cset_incomplete,
                    right_complete=cell.complete if cell is not None else None,
                )
            )
    assert cset_ref is not None
    eto_ref = SourceSeries(
        source="eto-cat",
        publisher="ETO Country Activity Tracker",
        measure=s.measure,
        method="; ".join(p for p in (s.unit, s.attribution, s.counting, s.date_basis) if p),
        definition=s.ai_definition,
        sha256=";".join(sorted(eto_sha)),
        note=f"table {s.table}",
    )
    both: dict[str, tuple[float, float]] = {}
    for r in rows:
        if r.left_complete and r.right_complete and r.left is not None and r.right is not None:
            lo, ro = both.get(r.country, (0.0, 0.0))
            both[r.country] = (lo + r.left, ro + r.right)
    return SourcesAgreement(
        question="AI patent families per country and priority year",
        years=years,
        countries=tuple(resolve_country(c)[0] for c in countries),
        left=cset_ref,
        right=eto_ref,
        rows=tuple(rows),
        explanations=EXPLANATIONS,
        complete_ratio={c: round(lv / rv, 4) for c, (lv, rv) in both.items() if rv},
    )
