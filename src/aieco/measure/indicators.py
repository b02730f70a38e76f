"""Indicators over counts: count, share of world, share of a group, CAGR, AI intensity, RTA, rank.

Every row carries its method's columns (unit, attribution, counting, date basis, definition, category) and the
source's sha256, so a number never travels without the way it was counted.

>>> rows = rta(store, "Data3period", kind="AI")  # doctest: +SKIP
>>> rows[0]["country"], rows[0]["field"], rows[0]["rta"]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure import groups as groups_mod
from aieco.measure import method as mth
from aieco.measure.engines import engine_for
from aieco.measure.grid import ROUND, grid, scopes
from aieco.measure.queries import (
    country_counts_expr,
    country_year_counts_expr,
    unit_year_country,
    world_units_expr,
)
from aieco.model import Method
from aieco.store import Store

KINDS = ("count", "share", "group-share", "cagr", "intensity", "rta", "rank")


def _method(method: Method | None) -> Method:
    return mth.check_method(method or Method())


def by_country(store: Store, method: Method | None = None, *, years: tuple[int, int] | None = None,
               definition: str | None = None, category: str | None = None, source: str | None = None,
               flag_categories: Sequence[str] = (), engine: Any = "duckdb") -> list[dict[str, Any]]:
    """Every country's (and office's) count on one method, with world, share and rank among countries."""
    m = _method(method)
    eng = engine_for(store, engine)
    out: list[dict[str, Any]] = []
    for scope in scopes(store, definition=definition, category=category, source=source,
                        flag_categories=flag_categories):
        mth.require(store, m, scope.source)
        ucy = unit_year_country(eng.tables(), m, scope.filter)
        world = int(eng.execute(world_units_expr(ucy, years).name("n").as_table())[0]["n"])
        rows = eng.execute(country_counts_expr(ucy, years))
        key = "whole" if m.counting == "whole" else "fractional"
        label = Method(unit=m.unit, attribution=m.attribution, counting=m.counting, date_basis=m.date_basis,
                       definition=scope.definition, definition_version=scope.definition_version,
                       category=scope.category)
        recs = []
        for r in rows:
            value = int(r["whole"]) if key == "whole" else round(float(r["fractional"]), ROUND)
            recs.append({"country": r["country"], "is_country": groups_mod.is_country(r["country"]),
                         "source": scope.source, **mth.method_row(label),
                         "period": f"{years[0]}-{years[1]}" if years else "all", "value": value, "world": world,
                         "share": round(value / world, ROUND) if world else None,
                         "source_sha256": scope.sha256})
        recs.sort(key=lambda r: (-r["value"], r["country"]))
        rank = 0
        for r in recs:
            if r["is_country"]:
                rank += 1
                r["rank"] = rank
            else:
                r["rank"] = None  # a regional office (EP, WO, …) is not ranked among countries
        out.extend(recs)
    return out


def subject_rows(store: Store, method: Method | None = None, *, country: str | None = None,
                 group: str | None = None, years: tuple[int, int] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """The grid rows of one method for the country and/or group (refused if the data cannot support it)."""
    m = _method(method)
    rows = grid(store, country=country, group=group, years=years, **kw)
    picked = [r for r in rows if (r["unit"], r["attribution"], r["counting"], r["date_basis"])
              == (m.unit, m.attribution, m.counting, m.date_basis)]
    if not picked:
        for scope in scopes(store, definition=kw.get("definition"), category=kw.get("category"),
                            source=kw.get("source")):
            mth.require(store, m, scope.source)
    return picked


def cagr(by_year: dict[int, float], complete: Sequence[int]) -> tuple[float | None, int | None, int | None]:
    """Compound annual growth between the first and last complete years with a positive value."""
    ys = sorted(y for y in complete if by_year.get(y, 0) > 0)
    if len(ys) < 2:
        return None, None, None
    first, last = ys[0], ys[-1]
    return (by_year[last] / by_year[first]) ** (1.0 / (last - first)) - 1.0, first, last


def growth(store: Store, method: Method | None = None, *, country: str | None = None, group: str | None = None,
           years: tuple[int, int] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """CAGR over the complete years of the period (incomplete years are left out, and listed)."""
    out = []
    for r in subject_rows(store, method, country=country, group=group, years=years, **kw):
        complete = [y for y in r["by_year"] if y not in r["incomplete_years"]]
        rate, first, last = cagr(r["by_year"], complete)
        out.append({**{k: v for k, v in r.items() if k != "by_year"}, "indicator": "cagr",
                    "cagr": None if rate is None else round(rate, ROUND), "cagr_from": first, "cagr_to": last})
    return out


def group_share(store: Store, method: Method | None = None, *, country: str, group: str,
                years: tuple[int, int] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """The country's count as a share of its group's count (same method, year-correct members)."""
    rows = subject_rows(store, method, country=country, group=group, years=years, **kw)
    c = [r for r in rows if r["subject_kind"] == "country"]
    g = {(r["source"], r["unit"], r["counting"]): r for r in rows if r["subject_kind"] == "group"}
    out = []
    for r in c:
        gr = g[(r["source"], r["unit"], r["counting"])]
        out.append({**{k: v for k, v in r.items() if k != "by_year"}, "indicator": "group-share",
                    "group": gr["subject"], "group_value": gr["value"],
                    "group_share": round(r["value"] / gr["value"], ROUND) if gr["value"] else None})
    return out


def counts_names(store: Store) -> list[str]:
    if not store.has_table("measure_counts"):
        return []
    return [r[0] for r in store.query("SELECT DISTINCT name FROM measure_counts ORDER BY 1")]


def _counts_name(store: Store, name: str) -> None:
    names = counts_names(store)
    if name not in names:
        raise UnknownName(f"no counts table named {name!r} is loaded (aieco ingest counts PATH --name {name}); "
                          f"loaded: {', '.join(names) or 'none'}")


def rta_sql() -> str:
    """Balassa's revealed technological advantage per country × field: (x_cf / x_c) / (x_f / x)."""
    return """
        WITH t AS (SELECT period, country, field, sum(value) AS x_cf FROM measure_counts
                   WHERE name = ? AND kind = ? AND value IS NOT NULL GROUP BY ALL),
             c AS (SELECT period, country, sum(x_cf) AS x_c FROM t GROUP BY ALL),
             f AS (SELECT period, field, sum(x_cf) AS x_f FROM t GROUP BY ALL),
             w AS (SELECT period, sum(x_cf) AS x FROM t GROUP BY ALL)
        SELECT t.period, t.country, t.field, t.x_cf, c.x_c, f.x_f, w.x,
               CASE WHEN c.x_c > 0 AND f.x_f > 0 THEN (t.x_cf / c.x_c) / (f.x_f / w.x) END AS rta
        FROM t JOIN c USING (period, country) JOIN f USING (period, field) JOIN w USING (period)
        ORDER BY t.period, t.country, try_cast(t.field AS INTEGER), t.field"""


def rta(store: Store, counts: str, *, kind: str = "AI", country: str | None = None) -> list[dict[str, Any]]:
    """RTA for every country × field of a loaded counts table (rows of one ``kind``)."""
    _counts_name(store, counts)
    published = store.scalar("SELECT count(*) FROM measure_counts WHERE name = ? AND publisher IS NOT NULL",
                             [counts])
    if published:
        # a publisher's table mixes measures and holds group rows: summed here they would be counted twice
        raise UnsupportedMethod(f"{counts!r} is a publisher's table (aieco ingest eto-cat|ncses|wdi): use "
                                "`aieco indicators rta --table TABLE` (or --measure / --pillar), which keeps its "
                                "measures apart and its group rows out of the sums")
    kinds = [r[0] for r in store.query("SELECT DISTINCT kind FROM measure_counts WHERE name = ?", [counts])]
    if kind not in kinds:
        raise UnknownName(f"counts table {counts!r} has no rows of kind {kind!r}; kinds: {', '.join(kinds)}")
    sha = ";".join(r[0] for r in store.query(
        "SELECT DISTINCT r.sha256 FROM runs r JOIN measure_counts m USING (run_id) WHERE m.name = ? ORDER BY 1",
        [counts]))
    rows = store.query_dicts(rta_sql(), [counts, kind])
    if country:
        code = country.upper()
        rows = [r for r in rows if r["country"] == code]
    return [{"indicator": "rta", "counts": counts, "kind": kind, **r, "source_sha256": sha} for r in rows]


def intensity(store: Store, method: Method | None = None, *, denominator: str, country: str | None = None,
              years: tuple[int, int] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """AI intensity: AI units by office / all patent applications of that office (a loaded office-year table).

    Only the years both sides have complete are summed; the row lists the years used.
    """
    m = _method(method)
    if m.attribution != "office":
        raise UnsupportedMethod(f"AI intensity needs attribution office (the denominator counts applications "
                                f"per office and year); {m.attribution} has no denominator loaded")
    _counts_name(store, denominator)
    den = {(r[0], int(r[1])): (float(r[2]), bool(r[3])) for r in store.query(
        "SELECT country, year, sum(value), bool_and(complete) FROM measure_counts WHERE name = ? AND "
        "layout = 'office-year' AND year IS NOT NULL GROUP BY ALL", [denominator])}
    if not den:
        raise UnsupportedMethod(f"counts table {denominator!r} holds no office × year totals")
    eng = engine_for(store, kw.pop("engine", "duckdb"))
    out = []
    for scope in scopes(store, definition=kw.get("definition"), category=kw.get("category"),
                        source=kw.get("source")):
        mth.require(store, m, scope.source)
        end, _ = mth.data_end(store, scope.source)
        ucy = unit_year_country(eng.tables(), m, scope.filter)
        rows = eng.execute(country_year_counts_expr(ucy))
        per: dict[str, dict[int, float]] = {}
        for r in rows:
            if years and not years[0] <= r["year"] <= years[1]:
                continue
            per.setdefault(r["country"], {})[int(r["year"])] = (
                float(r["whole"]) if m.counting == "whole" else float(r["fractional"]))
        for code, by_year in sorted(per.items()):
            if country and code != country.upper():
                continue
            span = years or (min(by_year), max(by_year))
            bad = set(mth.incomplete_years(m.date_basis, end, span))
            used = sorted(y for y in by_year if y not in bad and den.get((code, y), (0.0, False))[1]
                          and den[(code, y)][0] > 0)
            if not used:
                continue
            ai = sum(by_year[y] for y in used)
            total = sum(den[(code, y)][0] for y in used)
            out.append({"indicator": "intensity", "country": code, "source": scope.source,
                        **mth.method_row(m), "years_used": used, "ai": round(ai, ROUND), "all": total,
                        "intensity": round(ai / total, ROUND), "denominator": denominator,
                        "source_sha256": scope.sha256})
    return out


def rank_of(rows: list[dict[str, Any]], code: str) -> int | None:
    for r in rows:
        if r["country"] == code:
            return r["rank"]
    return None

