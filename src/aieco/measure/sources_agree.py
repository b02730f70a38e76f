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

from dataclasses import replace
from typing import Any

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure import method as mth
from aieco.measure.aggregates import series, series_cells
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


QUESTIONS = ("patent-families", "articles")
ARTICLES_EXPLANATIONS = (
    "Corpus and AI definition: NCSES (SPBS-99) counts articles of a selection of Scopus journals and conference "
    "proceedings in S&E fields classified AI in the All Science Journal Classification; ETO counts the AI "
    "articles of its Merged Academic Corpus found by its AI classifier. The two corpora and definitions differ "
    "most: the ratio is far below 1 and differs by country, so the gap between two countries depends on the "
    "corpus.",
    "Counting: NCSES states whole counting by the authors' institutional addresses; ETO's export does not state "
    "its counting (read as whole). Neither is fractional, so an internationally co-authored article counts for "
    "each country on both sides.",
    "Time: both sides are by publication year; NCSES's table ends in 2022; ETO's export flags the years it "
    "holds incomplete (complete = False).",
)


def _published_side(store: Store, table: str, publisher: str, what: str) -> tuple[SourceSeries, Any]:
    found = [x for x in series(store, table=table) if x.publisher == publisher]
    if not found:
        raise UnsupportedMethod(
            f"{what}'s {table} is not loaded (aieco ingest "
            f"{'eto-cat DIR' if publisher == 'eto' else 'ncses TABLE_DIR'})"
        )
    s = found[0]
    ref = SourceSeries(
        source="eto-cat" if publisher == "eto" else publisher,
        publisher=what,
        measure=s.measure,
        method="; ".join(p for p in (s.unit, s.attribution, s.counting, s.date_basis) if p),
        definition=s.ai_definition,
        sha256="",
        note=f"table {s.table}",
    )
    return ref, series_cells(store, s)


def _side_values(cells: Any, code: str, years: tuple[int, int]) -> tuple[dict[int, float], set[int], set[str]]:
    field = "All" if any(k[1] == "All" for k in cells) else "all"
    values, incomplete, shas = {}, set(), set()
    for y in range(years[0], years[1] + 1):
        cell = cells.get((code, field, str(y)))
        if cell is None or cell.value is None:
            continue
        values[y] = cell.value
        shas.add(cell.sha256)
        if cell.complete is False:
            incomplete.add(y)
    return values, incomplete, shas


def sources_agree(
    store: Store,
    *,
    countries: tuple[str, ...] = ("CN", "US"),
    years: tuple[int, int] = (2014, 2019),
    question: str = "patent-families",
) -> SourcesAgreement:
    """Two sources on one question per country and year, with their ratio: ``patent-families`` (CSET/1790
    families against ETO first-filing families) or ``articles`` (NCSES SPBS-99 against ETO's AI articles)."""
    if question not in QUESTIONS:
        raise UnknownName(f"unknown --question {question!r}; choose one of {', '.join(QUESTIONS)}")
    codes = tuple(resolve_country(c)[0] for c in countries)
    right_ref, right_cells = _published_side(
        store,
        ETO_TABLE if question == "patent-families" else "publications_yearly_articles",
        "eto",
        "ETO Country Activity Tracker",
    )
    left_ref: SourceSeries | None = None
    if question == "articles":
        left_ref, left_cells = _published_side(store, "SPBS-99", "ncses", "NCSES Science & Engineering Indicators")
    rows: list[SourcesAgreementRow] = []
    shas: dict[str, set[str]] = {"left": set(), "right": set()}
    for code in codes:
        if question == "patent-families":
            got = _cset_series(store, code, years)
            if got is None:
                raise UnsupportedMethod(
                    "no CSET/1790 documents loaded that support families by (priority) office and "
                    "priority year (aieco ingest cset1790 patent_database-7b5b096.csv.zip)"
                )
            left_ref, left, left_bad = got[0], got[1], set(got[2])
            shas["left"].add(left_ref.sha256)
        else:
            left, left_bad, sha = _side_values(left_cells, code, years)
            shas["left"].update(sha)
        right, right_bad, sha = _side_values(right_cells, code, years)
        shas["right"].update(sha)
        for y in range(years[0], years[1] + 1):
            lv, rv = left.get(y), right.get(y)
            rows.append(
                SourcesAgreementRow(
                    country=code,
                    year=y,
                    left=lv,
                    right=rv,
                    ratio=round(lv / rv, 4) if lv is not None and rv else None,
                    difference=lv - rv if lv is not None and rv is not None else None,
                    left_complete=None if lv is None else y not in left_bad,
                    right_complete=None if rv is None else y not in right_bad,
                )
            )
    assert left_ref is not None
    both: dict[str, tuple[float, float]] = {}
    for r in rows:
        if r.left_complete and r.right_complete and r.left is not None and r.right is not None:
            lo, ro = both.get(r.country, (0.0, 0.0))
            both[r.country] = (lo + r.left, ro + r.right)
    return SourcesAgreement(
        question="AI patent families per country and priority year"
        if question == "patent-families"
        else "AI articles per country and publication year",
        years=years,
        countries=codes,
        left=replace(left_ref, sha256=";".join(sorted(shas["left"]))),
        right=replace(right_ref, sha256=";".join(sorted(shas["right"]))),
        rows=tuple(rows),
        explanations=EXPLANATIONS if question == "patent-families" else ARTICLES_EXPLANATIONS,
        complete_ratio={c: round(lv / rv, 4) for c, (lv, rv) in both.items() if rv},
    )
