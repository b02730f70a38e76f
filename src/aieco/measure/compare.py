"""A group's members side by side on the published aggregates: ``aieco compare --group SCO --year 2019``.

One row per member of the group in that year (31 December) and one for the group (the sum over those members),
one column per published figure: ETO's AI patent families (country of first filing), NCSES's granted AI patents
(fractional by inventor, the publisher's 2000–2022 total), ETO's AI articles, ETO's estimated AI investment, each
per million people (investment per person), and internet use, population and GDP beside them — the AI figures
next to the digital divide. Every cell carries its publisher, table, method, period, completeness and the
sha256 of its file; a member the publisher does not list is an empty cell that says so, never a zero.

>>> res = compare(store, "SCO", 2019)  # doctest: +SKIP
>>> [c.value for c in res.rows[0].cells if c.column == "eto-families"]  # doctest: +SKIP
[43880.0]
"""

from __future__ import annotations

from dataclasses import dataclass

from aieco.errors import UnknownName
from aieco.measure import groups as groups_mod
from aieco.measure.aggregates import (
    GDP,
    INTERNET,
    POPULATION,
    Cell,
    ContextValues,
    Series,
    Subject,
    round_sig,
    series,
    series_cells,
    subject_value,
)
from aieco.results import CompareCell, CompareColumn, CompareResult, CompareRow
from aieco.store import Store


@dataclass(frozen=True)
class _Spec:
    id: str
    label: str
    table: str  # the publisher's table (measure_counts.indicator)
    per: str = ""  # "" | population | internet
    scale: float = 1.0  # the value is multiplied by this before dividing (USD million -> USD)
    per_unit: float = 1.0  # the denominator is divided by this (per million people)
    unit: str = ""


# the AI figures, then the context; a column whose table is not loaded is left out (and listed as missing)
SPECS: tuple[_Spec, ...] = (
    _Spec("eto-families", "ETO AI patent families", "patents_yearly_applications"),
    _Spec(
        "eto-families-per-million",
        "families per million people",
        "patents_yearly_applications",
        per=POPULATION,
        per_unit=1e6,
        unit="patent families per million people",
    ),
    _Spec("ncses-grants", "NCSES granted AI patents", "SINV-17"),
    _Spec("eto-articles", "ETO AI articles", "publications_yearly_articles"),
    _Spec(
        "eto-articles-per-million",
        "articles per million people",
        "publications_yearly_articles",
        per=POPULATION,
        per_unit=1e6,
        unit="articles per million people",
    ),
    _Spec("eto-investment", "ETO AI investment (estimated)", "companies_yearly_estimated"),
    _Spec(
        "eto-investment-per-person",
        "investment per person",
        "companies_yearly_estimated",
        per=POPULATION,
        scale=1e6,
        unit="USD (nominal) per person",
    ),
)
CONTEXT = (
    ("internet-users-pct", "internet users % of population", INTERNET, "percent of population"),
    ("population", "population", POPULATION, "persons"),
    ("gdp", "GDP", GDP, "current USD"),
)


def _series_by_table(store: Store) -> dict[str, Series]:
    return {s.table: s for s in series(store)}


def compare(store: Store, group: str, year: int, *, groups_file: str | None = None) -> CompareResult:
    """The members of ``group`` in ``year`` side by side, and the group's sum over them."""
    grp = groups_mod.get_group(group, groups_file)
    members = sorted(groups_mod.members(grp, year))
    if not members:
        raise UnknownName(f"{grp.name} had no members on 31 December {year}")
    by_table = _series_by_table(store)
    ctx = ContextValues(store)
    columns: list[CompareColumn] = []
    cells_of: dict[str, list[CompareCell]] = {m: [] for m in [*members, grp.name]}
    missing_tables: list[str] = []
    subjects = [Subject(m, "country") for m in members] + [Subject(grp.name, "group", grp)]
    loaded: dict[str, dict[tuple[str, str, str], Cell]] = {}
    for spec in SPECS:
        s = by_table.get(spec.table)
        if s is None:
            missing_tables.append(spec.table)
            continue
        cells = loaded.setdefault(spec.table, series_cells(store, s))
        period = _period_for(cells, year)
        if period is None:
            missing_tables.append(f"{spec.table} {year}")
            continue
        unit = spec.unit or s.unit
        columns.append(
            CompareColumn(
                id=spec.id,
                label=spec.label,
                publisher=s.publisher,
                table=s.table,
                measure=s.measure,
                unit=unit,
                method=_method(s),
                ai_definition=s.ai_definition,
                period=period,
            )
        )
        field = "All" if any(k[1] == "All" for k in cells) else "all"
        for subj in subjects:
            value, complete, mem, miss, sha = subject_value(subj, cells, field, period, year)
            note = ""
            if subj.kind == "country" and miss:
                note = f"not listed by {s.publisher} for {period}"
            elif miss:
                note = f"sum over {len(mem) - len(miss)} of {len(mem)} members; not listed: {', '.join(miss)}"
            if period != str(year):
                note = (note + "; " if note else "") + f"the publisher's {period} total, not the year's"
            den_sha = ""
            if spec.per and value is not None:
                # per person of the members listed: an unlisted member is neither zero nor people
                den, den_sha, den_missing = _sum_context(ctx, spec.per, [m for m in mem if m not in miss], year)
                if den is None or den_missing:
                    note = (note + "; " if note else "") + f"no {spec.per} {year} for {', '.join(den_missing)}"
                    value = None
                else:
                    value = value * spec.scale / (den / spec.per_unit)
            cells_of[subj.id].append(
                CompareCell(
                    column=spec.id,
                    value=round_sig(value),
                    unit=unit,
                    publisher=s.publisher,
                    table=s.table,
                    period=period,
                    method=_method(s),
                    complete=complete,
                    source_sha256=";".join(x for x in (sha, den_sha) if x),
                    note=note,
                )
            )
    for cid, label, measure, unit in CONTEXT:
        if not ctx.has(measure) or not ctx.has(POPULATION):
            missing_tables.append(measure)
            continue
        pub = _context_label(ctx, measure)
        columns.append(
            CompareColumn(
                id=cid,
                label=label,
                publisher=pub,
                table=measure,
                measure=measure,
                unit=unit,
                method="as published (World Bank / OWID)",
                ai_definition="",
                period=str(year),
            )
        )
        for subj in subjects:
            people = list(subj.members(year))
            value, sha, miss = _sum_context(ctx, measure, people, year)
            note = f"no {measure} {year} for {', '.join(miss)}" if miss else ""
            if measure == INTERNET and value is not None:
                pop, _, _ = _sum_context(ctx, POPULATION, [m for m in people if m not in miss], year)
                value = 100 * value / pop if pop else None  # the share of the (summed) population online
            if subj.kind == "group" and value is not None:
                note = f"over {len(people) - len(miss)} of {len(people)} members; " + note if miss else ""
            cells_of[subj.id].append(
                CompareCell(
                    column=cid,
                    value=round_sig(value),
                    unit=unit,
                    publisher=pub,
                    table=measure,
                    period=str(year),
                    method="as published"
                    if subj.kind == "country"
                    else ("share of the members' summed population" if measure == INTERNET else "sum over the members"),
                    complete=None if value is None else not miss,
                    source_sha256=sha,
                    note=note,
                )
            )
    rows = tuple(
        CompareRow(
            subject=sid,
            kind="group" if sid == grp.name else "country",
            name=grp.title if sid == grp.name else (groups_mod.country_name(sid) or sid),
            cells=tuple(cells_of[sid]),
        )
        for sid in [*members, grp.name]
    )
    return CompareResult(
        group=grp.name,
        title=grp.title,
        year=year,
        members=tuple(members),
        columns=tuple(columns),
        rows=rows,
        # two columns of one table (a count and its per-million) name it once
        missing=tuple(dict.fromkeys(missing_tables)),
    )


def _period_for(cells: dict[tuple[str, str, str], Cell], year: int) -> str | None:
    """The year itself for a yearly table, else the publisher's period that contains it (SINV-17: 2000-2022)."""
    periods = {k[2] for k in cells}
    if str(year) in periods:
        return str(year)
    for p in sorted(periods):
        a, _, b = p.partition("-")
        if b and a.isdigit() and b.isdigit() and int(a) <= year <= int(b):
            return p
    return None


def _method(s: Series) -> str:
    return "; ".join(p for p in (s.unit, s.attribution, s.counting, s.date_basis) if p)


def _context_label(ctx: ContextValues, measure: str) -> str:
    labels = {v[2] for k, v in ctx.values.items() if k[0] == measure}
    return "; ".join(sorted(labels))


def _sum_context(
    ctx: ContextValues, measure: str, members: list[str], year: int
) -> tuple[float | None, str, tuple[str, ...]]:
    total, shas, missing = 0.0, set[str](), list[str]()
    for m in members:
        got = ctx.get(measure, m, year)
        if got is None:
            missing.append(m)
            continue
        total += got[0]
        shas.update(x for x in got[1].split(";") if x)
    if len(missing) == len(members):
        return None, "", tuple(missing)
    return total, ";".join(sorted(shas)), tuple(missing)
