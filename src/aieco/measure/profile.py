"""A country's profile from the published aggregates in ``measure_counts`` (ETO CAT, NCSES SEI, World Bank).

Each publisher's table keeps its own method: nothing is summed across publishers or tables. Only the rows for
all fields together (ETO's ``All``, the others' ``all``) enter the profile; the per-field rows are for RTA.
Patent documents loaded in the store (CSET/1790, Lens, PATSTAT, ...) come beside them as the method grid's rows
for the country (``Profile.documents``), each with its own method and source sha256.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aieco.errors import UnknownName
from aieco.measure.overview import grid_result
from aieco.results import Profile, ProfileRow
from aieco.sources.entities import resolve_code, resolve_name
from aieco.store import Store

# Context indicators are stocks or rates: over several years the profile gives the last year, never a sum.
_LAST_YEAR_PILLARS = frozenset({"context", "money"})
_PILLAR_ORDER = {"patents": 0, "research": 1, "investment": 2, "context": 3, "money": 4}

_SQL = """
SELECT m.pillar, m.publisher, m.measure, m.indicator, m.unit, m.attribution, m.counting, m.date_basis,
       m.ai_definition, m.period, m.year, m.complete, m.value, m.file, m.file_sha256, m.run_id, r.sha256
FROM measure_counts m JOIN runs r USING (run_id)
WHERE m.country = ? AND m.publisher IS NOT NULL AND lower(m.field) = 'all'
ORDER BY m.run_id, m.publisher, m.measure, m.indicator, m.year
"""


def resolve_country(text: str) -> tuple[str, str]:
    """An ISO code (alpha-2 or alpha-3) or a country name as the aliases table knows it: (code, title)."""
    ent = resolve_code(text) if len(text.strip()) in (2, 3) else None
    ent = ent or resolve_name(text)
    if ent is None or ent.kind != "country":
        raise UnknownName(f"country {text!r}: not an ISO 3166 code or a known country name")
    return ent.id, ent.title


def _span_of(period: str) -> tuple[int, int] | None:
    a, _, b = period.partition("-")
    try:
        return int(a), int(b or a)
    except ValueError:
        return None


def profile(store: Store, country: str, *, years: tuple[int, int] | None = None) -> Profile:
    """Every loaded publisher's figures for ``country`` (code or name), within ``years`` when given.

    A yearly table gives one row over the years it has inside the span; a summary table (one figure for the
    publisher's period, e.g. NCSES SINV-17 2000-2022) is kept when its period overlaps the span, with its own
    period, since it cannot be cut to the span.
    """
    code, title = resolve_country(country)
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for r in store.query(_SQL, [code]):
        year, period = r[10], r[9]
        if years is not None:
            span = (year, year) if year is not None else _span_of(period)
            if span is None or span[1] < years[0] or span[0] > years[1]:
                continue
        key = (*r[:9], year is None and period or "", r[13], r[14], r[15], r[16])
        groups[key].append(r)
    rows = [_row(code, key, recs) for key, recs in groups.items()]
    rows.sort(key=lambda p: (_PILLAR_ORDER.get(p.pillar, 9), p.publisher, p.measure, p.table))
    documents = grid_result(store, country=code, years=years).rows
    return Profile(country=code, name=title, years=years, rows=tuple(rows), documents=documents)


def _row(code: str, key: tuple[Any, ...], recs: list[tuple[Any, ...]]) -> ProfileRow:
    pillar, publisher, measure, table, unit, attribution, counting, date_basis, ai_def = key[:9]
    summary_period, file, file_sha, run_id, run_sha = key[9:]
    flags = [r[11] for r in recs]
    complete = False if False in flags else (None if None in flags else True)
    if summary_period:
        value = recs[0][12]
        period, basis, by_year = summary_period, "publisher's period total", {}
        incomplete: tuple[int, ...] = ()
    else:
        by_year = {r[10]: r[12] for r in recs if r[12] is not None}
        ys = [r[10] for r in recs]
        period = str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"
        incomplete = tuple(r[10] for r in recs if r[11] is False)
        if len(ys) == 1:
            value, basis = recs[0][12], "the year's value"
        elif pillar in _LAST_YEAR_PILLARS:
            last = max(by_year) if by_year else None
            value, basis = (by_year[last], f"value in {last}") if last is not None else (None, "no value")
        else:
            value, basis = (sum(by_year.values()) if by_year else None), "sum over the years"
    return ProfileRow(
        country=code,
        pillar=pillar or "",
        publisher=publisher,
        measure=measure or "",
        table=table or "",
        unit=unit or "",
        attribution=attribution or "",
        counting=counting or "",
        date_basis=date_basis or "",
        ai_definition=ai_def or "",
        period=period,
        value=value,
        value_basis=basis,
        complete=complete,
        incomplete_years=incomplete,
        file=file or "",
        file_sha256=file_sha or "",
        run_id=run_id,
        run_sha256=run_sha,
        by_year=by_year,
    )
