"""Indicators over the published aggregates in ``measure_counts`` (ETO CAT, NCSES SEI, World Bank / OWID).

A *series* is one publisher's measure in one table (ETO's ``patents_yearly_applications``, NCSES's SINV-17).
Indicators never mix series: each row is one subject × series × period, with the series' method as its
publisher states it, the file's sha256, and what the denominator was and where it came from.

- ``count``: the subject's value; a group's is the sum over its members *in that year* (31 December), and the
  members the publisher does not list are named (``members_missing``), never guessed as zero;
- ``share``: of the world, stating which world: the publisher's World row when it has one (NCSES, World Bank),
  else the sum of the countries it lists (ETO: 70 countries for patent applications). A publisher's own group
  rows (ETO's EU, NATO, …; NCSES's regions) are aggregates and never enter a sum of countries;
- ``per-capita``, ``per-million``, ``per-gdp`` (per USD billion of GDP), ``per-internet-user`` (per million
  internet users = population × internet use %): the World Bank / OWID context indicators joined by entity and
  year (for a publisher's period total, the period's last year);
- ``cagr``: over the complete years of the span (the publisher's ``complete`` flag), the incomplete ones listed;
- ``rta``: Balassa's revealed technological advantage across the series' fields (ETO's 10 application fields),
  over the countries the publisher lists.

>>> rows = indicators(store, "share", pillar="patents", country="CN", years=(2019, 2019))  # doctest: +SKIP
>>> rows.rows[0].result, rows.rows[0].denominator_basis  # doctest: +SKIP
(0.596..., 'sum of the 70 countries the publisher lists')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aieco.errors import InputError, UnknownName, UnsupportedMethod
from aieco.measure import groups as groups_mod
from aieco.measure.indicators import cagr as cagr_of
from aieco.results import AggregateIndicatorRow, AggregateIndicators
from aieco.store import Store

KINDS = ("count", "share", "per-capita", "per-million", "per-gdp", "per-internet-user", "cagr", "rta")
PILLARS = ("patents", "research", "investment", "context")
WORLDS = ("auto", "row", "countries")
SIGNIFICANT = 12
WORLD_ID = "WORLD"
# units of a rate or share (not additive): "per million people", "percent of population", "% of GDP"
_RATE_UNIT = re.compile(r"\bper (?:\d+ )?(?:million|thousand|hundred|capita|person|people)\b|percent|%")
# context measures the per-* indicators divide by (measure -> what it is)
POPULATION, GDP, INTERNET = "population", "gdp", "internet-users-pct"
_PER = {
    "per-capita": (POPULATION, 1.0, "per person"),
    "per-million": (POPULATION, 1e6, "per million people"),
    "per-gdp": (GDP, 1e9, "per USD billion of GDP (current USD)"),
    "per-internet-user": (INTERNET, 1e6, "per million internet users"),
}


@dataclass(frozen=True, kw_only=True)
class Series:
    """One publisher's measure in one table, with its method as stated."""

    name: str
    publisher: str
    pillar: str
    measure: str
    table: str
    unit: str
    attribution: str
    counting: str
    date_basis: str
    ai_definition: str

    def label(self) -> str:
        return f"{self.publisher} {self.measure} ({self.table})"


@dataclass(frozen=True)
class Cell:
    """One published value of a series: entity × field × period, with its completeness, file sha256 and the
    entity's kind (country, aggregate, office, other)."""

    value: float | None
    complete: bool | None
    sha256: str
    kind: str


def round_sig(x: float | None) -> float | None:
    """Rounded to 12 significant digits (per-capita values are small: decimal places would erase them)."""
    return None if x is None else float(f"{x:.{SIGNIFICANT}g}")


def series(
    store: Store,
    *,
    pillar: str | None = None,
    measure: str | None = None,
    publisher: str | None = None,
    table: str | None = None,
) -> list[Series]:
    """The loaded series (one per publisher × measure × table), filtered; context series only for that pillar."""
    if pillar is not None and pillar not in PILLARS:
        raise UnknownName(f"unknown --pillar {pillar!r}; choose one of {', '.join(PILLARS)}")
    if not store.has_table("measure_counts"):
        return []
    rows = store.query(
        "SELECT DISTINCT name, publisher, pillar, measure, indicator, unit, attribution, counting, date_basis, "
        "ai_definition FROM measure_counts WHERE publisher IS NOT NULL ORDER BY pillar, publisher, measure, "
        "indicator"
    )
    out = []
    for r in rows:
        s = Series(
            name=r[0],
            publisher=r[1],
            pillar=r[2] or "",
            measure=r[3] or "",
            table=r[4] or "",
            unit=r[5] or "",
            attribution=r[6] or "",
            counting=r[7] or "",
            date_basis=r[8] or "",
            ai_definition=r[9] or "",
        )
        if pillar is None and s.pillar in ("context", "money"):
            continue
        if (
            (pillar and s.pillar != pillar)
            or (measure and s.measure != measure)
            or (publisher and s.publisher != publisher)
            or (table and s.table != table)
        ):
            continue
        out.append(s)
    return out


def additive(s: Series) -> bool:
    """Whether the series' values add up across countries (counts, money, people): not a rate, a percentage or a
    value of unstated unit."""
    unit = s.unit.lower()
    return bool(unit) and _RATE_UNIT.search(unit) is None


def series_cells(store: Store, s: Series, *, all_fields: bool = False) -> dict[tuple[str, str, str], Cell]:
    """(entity, field, period) -> cell, for one series; the latest run wins when a table was loaded twice."""
    field_sql = "" if all_fields else "AND lower(field) = 'all'"
    rows = store.query(
        f"SELECT country, field, period, value, complete, file_sha256, entity_kind FROM measure_counts "
        f"WHERE name = ? AND publisher = ? AND measure = ? AND indicator = ? {field_sql} ORDER BY run_id",
        [s.name, s.publisher, s.measure, s.table],
    )
    return {(r[0], r[1], r[2]): Cell(r[3], r[4], r[5] or "", r[6] or "") for r in rows}


def _span(period: str) -> tuple[int, int] | None:
    a, _, b = period.partition("-")
    try:
        return int(a), int(b or a)
    except ValueError:
        return None


def _periods(cells: Iterable[tuple[str, str, str]], years: tuple[int, int] | None) -> list[str]:
    """The series' periods inside ``years`` (a publisher's multi-year total when its period overlaps them)."""
    found = set()
    for _, _, period in cells:
        span = _span(period)
        if span is None:
            continue
        if years is None or not (span[1] < years[0] or span[0] > years[1]):
            found.add(period)
    return sorted(found, key=lambda p: (_span(p) or (0, 0))[::-1])


class ContextValues:
    """Population, GDP and internet use by entity and year (latest run wins), with their file sha256."""

    def __init__(self, store: Store) -> None:
        self.values: dict[tuple[str, str, int], tuple[float, str, str]] = {}
        if not store.has_table("measure_counts"):
            return
        for r in store.query(
            "SELECT measure, country, year, value, file_sha256, publisher || ' ' || indicator FROM measure_counts "
            "WHERE pillar = 'context' AND measure IN (?, ?, ?) AND lower(field) = 'all' AND year IS NOT NULL "
            "AND value IS NOT NULL ORDER BY run_id",
            [POPULATION, GDP, INTERNET],
        ):
            self.values[(r[0], r[1], int(r[2]))] = (float(r[3]), r[4] or "", r[5])

    def has(self, measure: str) -> bool:
        return any(k[0] == measure for k in self.values)

    def get(self, measure: str, entity: str, year: int) -> tuple[float, str, str] | None:
        if measure == INTERNET:
            pct = self.values.get((INTERNET, entity, year))
            pop = self.values.get((POPULATION, entity, year))
            if pct is None or pop is None:
                return None
            return pct[0] / 100 * pop[0], f"{pct[1]};{pop[1]}", f"{pct[2]} × {pop[2]}"
        return self.values.get((measure, entity, year))


@dataclass(frozen=True)
class Subject:
    """What an indicator is computed for: a country, or a group summed over its members of each year."""

    id: str
    kind: str  # country | group
    group: groups_mod.Group | None = None

    def members(self, year: int) -> tuple[str, ...]:
        if self.group is None:
            return (self.id,)
        return tuple(sorted(groups_mod.members(self.group, year)))


def _subjects(
    store: Store,
    country: str | None,
    group: str | None,
    groups_file: str | None,
    cells: dict[tuple[str, str, str], Cell],
) -> list[Subject]:
    out: list[Subject] = []
    if country:
        from aieco.measure.profile import resolve_country

        out.append(Subject(resolve_country(country)[0], "country"))
    if group:
        g = groups_mod.get_group(group, groups_file)
        out.append(Subject(g.name, "group", g))
    if not out:
        out = [Subject(c, "country") for c in sorted({k[0] for k, v in cells.items() if v.kind == "country"})]
    return out


@dataclass(frozen=True)
class _World:
    value: float | None
    basis: str
    listed: int
    sha256: str


def _world(cells: dict[tuple[str, str, str], Cell], field: str, period: str, how: str) -> _World:
    countries = [c for (e, f, p), c in cells.items() if f == field and p == period and c.kind == "country"]
    total = sum(c.value for c in countries if c.value is not None)
    row = cells.get((WORLD_ID, field, period))
    sha = ";".join(sorted({c.sha256 for c in countries}))
    if how == "row" or (how == "auto" and row is not None):
        if row is None:
            return _World(None, "the publisher has no World row", len(countries), "")
        return _World(row.value, "the publisher's World row", len(countries), row.sha256)
    ever = len({e for (e, f, _), c in cells.items() if f == field and c.kind == "country"})
    of = f" ({ever} over all its years)" if ever != len(countries) else ""
    return _World(
        total, f"sum of the {len(countries)} countries the publisher lists for {period}{of}", len(countries), sha
    )


def subject_value(
    subj: Subject, cells: dict[tuple[str, str, str], Cell], field: str, period: str, year: int
) -> tuple[float | None, bool | None, tuple[str, ...], tuple[str, ...], str]:
    """(value, complete, members, members missing, sha256) of a country or a group (sum over its members)."""
    members = subj.members(year)
    found = [(m, cells.get((m, field, period))) for m in members]
    have = [(m, c) for m, c in found if c is not None and c.value is not None]
    missing = tuple(m for m, c in found if c is None or c.value is None)
    if not have:
        return None, None, members, missing, ""
    flags = [c.complete for _, c in have]
    complete = False if False in flags else (None if None in flags else True)
    value = sum(c.value for _, c in have if c.value is not None)
    return value, complete, members, missing, ";".join(sorted({c.sha256 for _, c in have}))


def _base_row(
    s: Series, subj: Subject, indicator: str, period: str, year: int | None, field: str = "all"
) -> dict[str, Any]:
    return dict(
        indicator=indicator,
        subject=subj.id,
        subject_kind=subj.kind,
        field=field,
        pillar=s.pillar,
        publisher=s.publisher,
        measure=s.measure,
        table=s.table,
        unit=s.unit,
        attribution=s.attribution,
        counting=s.counting,
        date_basis=s.date_basis,
        ai_definition=s.ai_definition,
        period=period,
        year=year,
    )


def indicators(
    store: Store,
    kind: str,
    *,
    pillar: str | None = None,
    measure: str | None = None,
    publisher: str | None = None,
    table: str | None = None,
    country: str | None = None,
    group: str | None = None,
    years: tuple[int, int] | None = None,
    groups_file: str | None = None,
    world: str = "auto",
) -> AggregateIndicators:
    """One indicator over every selected series, for a country, a group, or (neither) every listed country."""
    if kind not in KINDS:
        raise UnknownName(f"unknown indicator {kind!r} over published aggregates; known: {', '.join(KINDS)}")
    if world not in WORLDS:
        raise InputError(f"unknown --world {world!r}; choose one of {', '.join(WORLDS)}")
    chosen = series(store, pillar=pillar, measure=measure, publisher=publisher, table=table)
    if not chosen:
        raise UnknownName(
            "no published aggregates loaded for that selection (aieco ingest eto-cat|ncses|wdi); "
            f"pillar={pillar or 'any'} measure={measure or 'any'} publisher={publisher or 'any'}"
        )
    ctx = ContextValues(store) if kind in _PER else None
    if ctx is not None and not (ctx.has(_PER[kind][0]) and ctx.has(POPULATION) or kind == "per-gdp" and ctx.has(GDP)):
        need = _PER[kind][0]
        raise UnsupportedMethod(
            f"{kind} needs the {need} indicator loaded (aieco ingest wdi "
            f"{'internet_users_pct.csv and population.csv' if need == INTERNET else need + '.csv'})"
        )
    rows: list[AggregateIndicatorRow] = []
    notes: list[str] = []
    for s in chosen:
        if not additive(s) and (kind in ("share", "rta", *_PER) or group):
            # a rate or a percentage (internet use, OWID's per-million chart) is neither a part of a world nor
            # summed over a group's members
            notes.append(
                f"{s.label()} skipped: its unit ({s.unit or 'not stated'}) is a rate or a share, not a "
                f"count: no {'group sum' if group and kind not in ('share', 'rta', *_PER) else kind}"
            )
            continue
        if kind == "rta":
            if s.table.endswith("_summary"):
                # ETO's patents_summary lists 22 CSET categories of three kinds (application fields, AI
                # techniques, functional applications): an advantage across them would mix dimensions
                notes.append(
                    f"rta: {s.label()} skipped: a summary table's fields mix CSET's category kinds; "
                    "the yearly table gives RTA per year"
                )
                continue
            rows.extend(_rta(store, s, country, group, years, groups_file))
            continue
        cells = series_cells(store, s)
        subjects = _subjects(store, country, group, groups_file, cells)
        periods = _periods(cells, years)
        if kind == "cagr":
            rows.extend(_cagr(s, subjects, cells, periods, world))
            continue
        out: list[AggregateIndicatorRow] = []
        for period in periods:
            span = _span(period)
            assert span is not None
            year = span[1]
            field = "All" if any(k[1] == "All" for k in cells) else "all"
            w = _world(cells, field, period, world)
            for subj in subjects:
                value, complete, members, missing, sha = subject_value(subj, cells, field, period, year)
                if value is None and subj.kind == "country" and country is None:
                    continue
                base = _base_row(s, subj, kind, period, span[0] if span[0] == span[1] else None, field)
                note = ""
                if subj.kind == "group" and span[0] != span[1]:
                    note = f"members on 31 December {year} (a period total cannot follow membership changes)"
                den, den_basis, den_sha = None, "", ""
                result_unit = s.unit
                if kind == "share":
                    den, den_basis, den_sha = w.value, w.basis, w.sha256
                    result_unit = "share of the world"
                elif kind in _PER:
                    assert ctx is not None
                    measure_name, scale, result_unit = _PER[kind]
                    # the denominator is summed over the members the publisher lists (those with a value): an
                    # unlisted member is not counted as zero on one side and as people on the other
                    listed = tuple(m for m in members if m not in missing)
                    den, den_basis, den_sha, den_missing = _denominator(ctx, measure_name, listed, span, scale)
                    if den_missing:
                        # a member with a value but no denominator would inflate the ratio: no result
                        den = None
                        note = (note + "; " if note else "") + (
                            f"no result: {', '.join(den_missing)} have a value but no {measure_name}"
                        )
                result = value if kind == "count" else (value / den if value is not None and den else None)
                out.append(
                    AggregateIndicatorRow(
                        **base,
                        value=round_sig(value),
                        denominator=round_sig(den),
                        denominator_basis=den_basis,
                        result=round_sig(result),
                        result_unit=f"{s.unit}, {result_unit}" if kind in _PER else result_unit,
                        complete=complete,
                        incomplete_years=(year,) if complete is False and span[0] == span[1] else (),
                        members=members if subj.kind == "group" else (),
                        members_missing=missing,
                        world=round_sig(w.value),
                        world_basis=w.basis,
                        countries_listed=w.listed,
                        source_sha256=sha,
                        denominator_sha256=den_sha,
                        rank=None,
                        note=note,
                    )
                )
        rows.extend(_ranked(out) if country is None and group is None else out)
    if kind == "share":
        notes.append(
            "share of the world: the publisher's World row when it has one, else the sum of the "
            "countries it lists; its own group rows (EU, NATO, regions) never enter that sum"
        )
    return AggregateIndicators(
        kind=kind, country=country, group=group, years=years, pillar=pillar, rows=tuple(rows), notes=tuple(notes)
    )


def _denominator(
    ctx: ContextValues, measure: str, members: tuple[str, ...], span: tuple[int, int], scale: float
) -> tuple[float | None, str, str, tuple[str, ...]]:
    """The context value of ``span``'s last year summed over the members; for a multi-year total whose last
    year is not published yet (GDP ends a year before the ETO files), the latest year of the span that is."""
    year = span[1]
    if span[0] != span[1]:
        # the latest year every member has; else the latest year with the most members
        cover = {y: sum(ctx.get(measure, m, y) is not None for m in members) for y in range(span[0], span[1] + 1)}
        best = max(cover.values())
        if best:
            year = max(y for y, n in cover.items() if n == best)
    total, shas, labels, missing = 0.0, set[str](), set[str](), list[str]()
    for m in members:
        got = ctx.get(measure, m, year)
        if got is None:
            missing.append(m)
            continue
        total += got[0]
        shas.add(got[1])
        labels.add(got[2])
    if not members or len(missing) == len(members):
        return None, f"{measure} {year}: not loaded for {', '.join(members) or 'any member'}", "", tuple(missing)
    what = "internet users (population × share using the internet)" if measure == INTERNET else measure
    basis = f"{what} {year} ({'; '.join(sorted(labels))})"
    if year != span[1]:
        basis += f" (of {span[0]}-{span[1]}, the latest year with the most members published)"
    if len(members) > 1:
        basis += f", summed over the {len(members) - len(missing)} members listed"
    return (
        total / scale,
        basis + (f", in units of {scale:g}" if scale != 1 else ""),
        ";".join(sorted(shas)),
        tuple(missing),
    )


def _ranked(rows: list[AggregateIndicatorRow]) -> list[AggregateIndicatorRow]:
    """Rank countries within each period by the result (largest first)."""
    from dataclasses import replace

    by: dict[str, list[AggregateIndicatorRow]] = defaultdict(list)
    for r in rows:
        by[r.period].append(r)
    out: list[AggregateIndicatorRow] = []
    for period_rows in by.values():
        period_rows.sort(key=lambda r: (-(r.result if r.result is not None else float("-inf")), r.subject))
        out.extend(replace(r, rank=i + 1) if r.result is not None else r for i, r in enumerate(period_rows))
    return out


def _cagr(
    s: Series, subjects: list[Subject], cells: dict[tuple[str, str, str], Cell], periods: list[str], world: str
) -> list[AggregateIndicatorRow]:
    yearly = [p for p in periods if (sp := _span(p)) is not None and sp[0] == sp[1]]
    if len(yearly) < 2:
        return []
    field = "All" if any(k[1] == "All" for k in cells) else "all"
    out = []
    for subj in subjects:
        by_year: dict[int, float] = {}
        incomplete: list[int] = []
        missing: set[str] = set()
        shas: set[str] = set()
        members: set[str] = set()
        per_year_members: dict[int, tuple[str, ...]] = {}
        for p in yearly:
            y = int(p)
            value, complete, mem, miss, sha = subject_value(subj, cells, field, p, y)
            members.update(mem)
            per_year_members[y] = mem
            missing.update(miss)
            if value is None:
                continue
            by_year[y] = value
            shas.update(x for x in sha.split(";") if x)
            if complete is False:
                incomplete.append(y)
        if not by_year:
            continue
        rate, first, last = cagr_of(by_year, [y for y in by_year if y not in incomplete])
        period = f"{min(by_year)}-{max(by_year)}"
        note = (
            f"CAGR {first}-{last} over the complete years"
            if rate is not None
            else "fewer than two complete years with a positive value"
        )
        if incomplete:
            note += f"; incomplete years left out: {', '.join(map(str, sorted(incomplete)))}"
        if subj.kind == "group" and first and last and per_year_members[first] != per_year_members[last]:
            joined = sorted(set(per_year_members[last]) - set(per_year_members[first]))
            left = sorted(set(per_year_members[first]) - set(per_year_members[last]))
            note += (
                f"; members changed between {first} and {last}"
                + (f" (joined: {', '.join(joined)})" if joined else "")
                + (f" (left: {', '.join(left)})" if left else "")
                + ": growth includes the change"
            )
        out.append(
            AggregateIndicatorRow(
                **_base_row(s, subj, "cagr", period, None, field),
                value=round_sig(by_year.get(last)) if last else None,
                denominator=round_sig(by_year.get(first)) if first else None,
                denominator_basis=f"value in {first}" if first else "",
                result=round_sig(rate),
                result_unit="compound annual growth rate",
                complete=not incomplete,
                incomplete_years=tuple(sorted(incomplete)),
                members=tuple(sorted(members)) if subj.kind == "group" else (),
                members_missing=tuple(sorted(missing)),
                world=None,
                world_basis="",
                countries_listed=0,
                source_sha256=";".join(sorted(shas)),
                denominator_sha256="",
                rank=None,
                note=note,
                by_year=by_year,
            )
        )
    return out


def _rta(
    store: Store,
    s: Series,
    country: str | None,
    group: str | None,
    years: tuple[int, int] | None,
    groups_file: str | None,
) -> list[AggregateIndicatorRow]:
    """Balassa RTA per subject × field: (x_sf / x_s) / (x_f / x), over the fields other than All and the
    countries the publisher lists (its group rows never enter). A table whose fields are "Dimension: category"
    (NCSES SINV-18: AI techniques, functional applications, application fields) gets one RTA per dimension: an
    advantage across dimensions would mix them."""
    cells = series_cells(store, s, all_fields=True)
    dims: dict[str, list[str]] = defaultdict(list)
    for f in sorted({k[1] for k in cells if k[1].lower() != "all"}):
        dims[f.split(": ", 1)[0] if ": " in f else ""].append(f)
    subjects = _subjects(store, country, group, groups_file, cells)
    out: list[AggregateIndicatorRow] = []
    for fields in dims.values():
        if len(fields) >= 2:
            out.extend(_rta_fields(s, cells, fields, subjects, years))
    return out


def _rta_fields(
    s: Series,
    cells: dict[tuple[str, str, str], Cell],
    fields: list[str],
    subjects: list[Subject],
    years: tuple[int, int] | None,
) -> list[AggregateIndicatorRow]:
    out: list[AggregateIndicatorRow] = []
    for period in _periods(cells, years):
        span = _span(period)
        assert span is not None
        year = span[1]
        x_f = {
            f: sum(
                c.value
                for (e, ff, p), c in cells.items()
                if ff == f and p == period and c.kind == "country" and c.value is not None
            )
            for f in fields
        }
        x = sum(x_f.values())
        if not x:
            continue
        n_countries = len({e for (e, ff, p), c in cells.items() if p == period and c.kind == "country"})
        for subj in subjects:
            vals = {f: subject_value(subj, cells, f, period, year) for f in fields}
            x_s = sum(v[0] for v in vals.values() if v[0] is not None)
            if not x_s:
                continue
            for f in fields:
                value, complete, members, missing, sha = vals[f]
                share_f = x_f[f] / x
                rta = (value or 0.0) / x_s / share_f if share_f else None
                out.append(
                    AggregateIndicatorRow(
                        **_base_row(s, subj, "rta", period, span[0] if span[0] == span[1] else None, f),
                        value=round_sig(value),
                        denominator=round_sig(x_s),
                        denominator_basis=(
                            f"the subject's sum over the {len(fields)} fields; the world's field share over the "
                            f"{n_countries} countries listed"
                        ),
                        result=round_sig(rta),
                        result_unit="revealed technological advantage (1 = world profile)",
                        complete=complete,
                        incomplete_years=(year,) if complete is False and span[0] == span[1] else (),
                        members=members if subj.kind == "group" else (),
                        members_missing=missing,
                        world=round_sig(x_f[f]),
                        world_basis=f"field sum over the {n_countries} countries listed",
                        countries_listed=n_countries,
                        source_sha256=sha,
                        denominator_sha256="",
                        rank=None,
                        note="fields overlap (a family in several fields counts in each)",
                    )
                )
    return out
