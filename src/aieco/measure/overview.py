"""Typed answers for the faces: the method grid as a :class:`GridResult`, the store's coverage, AI patents by
year and office.

>>> result = grid_result(store, country="CN", years=(2000, 2019))  # doctest: +SKIP
>>> [(r.method_label(), round(r.share, 3)) for r in result.rows][:1]  # doctest: +SKIP
[('document by office, whole, priority year', 0.328)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from aieco.measure import method as mth
from aieco.measure.census import AiSource, counted
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
    """AI documents and families per source, office and priority year: the documents of the AI sources the
    coverage rule counts (:mod:`aieco.measure.census`: every document of an AI database, a classified source's
    documents a counted definition marks AI), or with ``definition`` the documents that definition classified
    AI. Offices beyond the ``top`` largest of a source are summed as ``other``."""
    if definition is None:
        ai = counted(store)
        dbs = sorted({a.source for a in ai if a.definition == "all"})
        pairs = sorted({(a.source, a.definition) for a in ai if a.definition != "all"})
        parts, params = ["FALSE"], []
        if dbs:
            parts.append(f"d.source IN ({', '.join('?' for _ in dbs)})")
            params += dbs
        for src, d in pairs:
            parts.append("(d.source = ? AND d.doc_id IN (SELECT doc_id FROM classified WHERE definition = ? "
                         "AND category = ''))")
            params += [src, d]
        where = "(" + " OR ".join(parts) + ")"
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


def _ai_grid(store: Store, a: AiSource, years: tuple[int, int] | None, **kw: Any) -> GridResult | None:
    """The grid on one counted AI source (an AI database, or a classified source under one definition) over
    the part of ``years`` the source covers; None when it covers none of them."""
    assert a.years is not None
    span = a.years if years is None else (max(years[0], a.years[0]), min(years[1], a.years[1]))
    if span[0] > span[1]:
        return None
    return grid_result(store, years=span, source=a.source, definition=None if a.definition == "all" else a.definition,
                       **kw)  # fmt: skip


def _merged(template: GridResult, parts: Sequence[GridResult | None]) -> GridResult:
    """One grid of several sources' grids: their rows, spreads and refusals side by side."""
    got = [p for p in parts if p is not None]
    if not got:
        return template
    return GridResult(
        country=template.country,
        group=template.group,
        years=template.years,
        definition=None,
        rows=tuple(r for p in got for r in p.rows),
        spread=tuple(x for p in got for x in p.spread),
        refused=tuple(r for p in got for r in p.refused),
    )


def _sector_grid(store: Store, a: AiSource, sector: str, years: tuple[int, int] | None, **kw: Any) -> GridResult | None:
    """A sector on one counted AI source: an AI database's field flags, a definition's category of the
    sector's name (cset-1790's life_sciences, agriculture, …); None when the source marks no such field."""
    from aieco.errors import UnsupportedMethod
    from aieco.measure.sectors import flag_categories, sector_id

    flags = flag_categories(sector)
    if a.definition == "all":
        try:
            return _ai_grid(store, a, years, flag_categories=flags, **kw)
        except UnsupportedMethod:  # no loaded run carries the sector's flag
            return None
    names = [sector_id(sector).replace("-", "_"), *(f.lower() for f in flags)]
    row = store.query("SELECT min(c.category) FROM classified c JOIN documents d USING (doc_id) WHERE c.definition = ? "
                      f"AND d.source = ? AND c.category IN ({', '.join('?' for _ in names)})",
                      [a.definition, a.source, *names])  # fmt: skip
    if not row or row[0][0] is None:
        return None
    return _ai_grid(store, a, years, category=str(row[0][0]), **kw)


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
    ai = counted(store)
    step(f"{country}: every method on AI sources")
    empty = GridResult(country=country, group=group, years=years, definition=None, rows=(), spread=(), refused=())
    shares = _merged(empty, [_ai_grid(store, a, years, country=country, group=group, engine=engine) for a in ai])
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
        for a in ai:
            part = _ai_grid(store, a, years, group=g, engine=engine)
            if part is not None:
                grids.append(part)
    first, last = years or (2000, 2019)
    member_years = sorted({first, (first + last) // 2, last})
    mships = tuple(m for g in compared for m in memberships(g, member_years))
    sectors: dict[str, GridResult] = {}
    for sec in REPORT_SECTORS:
        step(f"sector {sec}")
        parts = [_sector_grid(store, a, sec, years, country=country, engine=engine) for a in ai]
        if any(p is not None for p in parts):
            sectors[sec] = _merged(replace(empty, group=None), parts)
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
