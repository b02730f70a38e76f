"""Typed answers for the faces: the method grid as a :class:`GridResult`, the store's coverage, AI patents by
year and office.

>>> result = grid_result(store, country="CN", years=(2000, 2019))  # doctest: +SKIP
>>> [(r.method_label(), round(r.share, 3)) for r in result.rows][:1]  # doctest: +SKIP
[('document by office, whole, priority year', 0.328)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aieco.measure import method as mth
from aieco.measure.grid import grid, refused, spread
from aieco.results import (
    Coverage,
    Ecosystem,
    Finding,
    GridResult,
    GridRow,
    GroupMembers,
    RefusedMethod,
    SourceRun,
    Spread,
    YearCount,
)
from aieco.store import Store
from aieco.store.readback import coverage as coverage_by_source
from aieco.store.readback import findings, list_runs

# Sources whose every document is an AI patent (the CSET/1790 database); other sources count as AI data only
# through the documents an AI definition classified.
AI_SOURCES = ("cset1790",)


def grid_result(
    store: Store,
    *,
    country: str | None = None,
    group: str | None = None,
    years: tuple[int, int] | None = None,
    definition: str | None = None,
    category: str | None = None,
    source: str | None = None,
    engine: Any = "duckdb",
    groups_file: str | None = None,
    flag_categories: Sequence[str] = (),
) -> GridResult:
    """Every supported method for the subject, the spread across them and the refused methods, typed."""
    rows = grid(
        store,
        country=country,
        group=group,
        years=years,
        definition=definition,
        category=category,
        source=source,
        engine=engine,
        groups_file=groups_file,
        flag_categories=flag_categories,
    )
    no = refused(store, definition=definition, category=category, source=source)
    return GridResult(
        country=country,
        group=group,
        years=years,
        definition=definition,
        rows=tuple(GridRow(**{**r, "incomplete_years": tuple(r["incomplete_years"])}) for r in rows),
        spread=tuple(Spread(**s) for s in spread(rows)),
        refused=tuple(RefusedMethod(**{**r, "missing": tuple(r["missing"])}) for r in no),
    )


def ai_by_year_office(store: Store, *, definition: str | None = None, top: int = 8) -> tuple[YearCount, ...]:
    """AI documents and families per source, office and priority year: the AI sources' documents, or with
    ``definition`` the documents that definition classified AI. Offices beyond the ``top`` largest of a source
    are summed as ``other``."""
    if definition is None:
        where, params = f"d.source IN ({', '.join('?' for _ in AI_SOURCES)})", list(AI_SOURCES)
    else:
        where = "d.doc_id IN (SELECT doc_id FROM classified WHERE definition = ? AND category = '')"
        params = [definition]
    rows = store.query(
        f"""
        WITH base AS (
            SELECT d.source, coalesce(d.office, '?') AS office, d.priority_year AS year, d.doc_id, d.family_id
            FROM documents d WHERE {where} AND d.priority_year IS NOT NULL),
        ranked AS (
            SELECT source, office, row_number() OVER (PARTITION BY source ORDER BY count(*) DESC, office) AS rk
            FROM base GROUP BY source, office)
        SELECT b.source, CASE WHEN r.rk <= {int(top)} THEN b.office ELSE 'other' END AS office, b.year,
               count(*) AS documents, count(DISTINCT b.family_id) AS families
        FROM base b JOIN ranked r USING (source, office) GROUP BY 1, 2, 3 ORDER BY 1, 3, 2""",
        params,
    )
    return tuple(
        YearCount(source=s, office=o, year=int(y), documents=int(n), families=int(f)) for s, o, y, n, f in rows
    )


def coverage_result(store: Store) -> Coverage:
    """What the store holds, with every run's file and sha256 and every finding."""
    runs = tuple(
        SourceRun(
            run_id=r["run_id"],
            kind=r["kind"],
            path=r["path"],
            sha256=r["sha256"],
            rows_read=r["rows_read"],
            rows_accepted=r["rows_accepted"],
            rows_rejected=r["rows_rejected"],
        )
        for r in list_runs(store)
    )
    found = tuple(
        Finding(run_id=f["run_id"], id=f["finding"], title=f["title"], message=f["message"], count=int(f["count"]))
        for f in findings(store)
    )
    return Coverage(
        documents=int(store.scalar("SELECT count(*) FROM documents")),
        families=int(
            store.scalar("SELECT count(DISTINCT (source, family_id)) FROM documents WHERE family_id IS NOT NULL")
        ),
        rejects=int(store.scalar("SELECT count(*) FROM rejects")),
        by_source=coverage_by_source(store),
        runs=runs,
        findings=found,
        by_year_office=ai_by_year_office(store),
    )


def sources_sha256(store: Store) -> dict[str, str]:
    """Per loaded source, the sha256 of the runs that made its documents."""
    return {s: mth.source_sha256(store, s) for s in mth.sources(store)}


# Groups the report compares side by side (each summed over its members of each year).
COMPARED_GROUPS = ("SCO", "BRICS", "G7", "EU")
# Sectors the report shows (the SCO partners' fields: agriculture, healthcare, education, and a few more).
REPORT_SECTORS = ("agriculture", "life-sciences", "education", "transportation", "security", "energy")


def _applied_definitions(store: Store) -> list[str]:
    if not store.has_table("classified"):
        return []
    return [r[0] for r in store.query("SELECT DISTINCT definition FROM classified WHERE category = '' ORDER BY 1")]


def memberships(group: str, years: Sequence[int], groups_file: str | None = None) -> tuple[GroupMembers, ...]:
    from aieco.measure import groups as groups_mod

    g = groups_mod.get_group(group, groups_file)
    return tuple(GroupMembers(group=g.name, year=y, members=tuple(sorted(groups_mod.members(g, y)))) for y in years)


def ecosystem(
    store: Store,
    *,
    country: str = "CN",
    group: str | None = None,
    years: tuple[int, int] | None = (2000, 2019),
    engine: Any = "duckdb",
    progress: Any = None,
) -> Ecosystem:
    """Everything the report shows for ``country`` (and ``group``), computed once. ``progress(label)`` is
    called before each step."""
    step = progress or (lambda _label: None)
    step("coverage")
    cov = coverage_result(store)
    loaded = mth.sources(store)
    ai = [s for s in AI_SOURCES if s in loaded]
    step(f"{country}: every method on AI sources")
    shares = GridResult(country=country, group=group, years=years, definition=None, rows=(), spread=(), refused=())
    parts = [grid_result(store, country=country, group=group, years=years, source=s, engine=engine) for s in ai]
    if parts:
        shares = GridResult(
            country=country,
            group=group,
            years=years,
            definition=None,
            rows=tuple(r for p in parts for r in p.rows),
            spread=tuple(s for p in parts for s in p.spread),
            refused=tuple(r for p in parts for r in p.refused),
        )
    classified = []
    for d in _applied_definitions(store):
        step(f"{country}: documents classified by {d}")
        classified.append(grid_result(store, country=country, years=years, definition=d, engine=engine))
    compared = [g for g in COMPARED_GROUPS if g != group]
    if group:
        compared.insert(0, group)
    grids = []
    for g in compared:
        step(f"group {g}")
        for s in ai:
            grids.append(grid_result(store, group=g, years=years, source=s, engine=engine))
    first, last = years or (2000, 2019)
    member_years = sorted({first, (first + last) // 2, last})
    mships = tuple(m for g in compared for m in memberships(g, member_years))
    sectors: dict[str, GridResult] = {}
    from aieco.errors import UnsupportedMethod
    from aieco.measure.sectors import flag_categories

    for sec in REPORT_SECTORS:
        step(f"sector {sec}")
        for s in ai:
            try:
                sectors[sec] = grid_result(
                    store, country=country, years=years, source=s, engine=engine, flag_categories=flag_categories(sec)
                )
            except UnsupportedMethod:  # no loaded run carries the sector's flag
                continue
    return Ecosystem(
        country=country,
        group=group,
        years=years,
        coverage=cov,
        shares=shares,
        classified_shares=tuple(classified),
        groups=tuple(grids),
        memberships=mships,
        sectors=sectors,
    )
