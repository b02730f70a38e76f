"""The method grid: every method the loaded data supports, each answer labelled with its method.

>>> rows = grid(store, country="CN", years=(2000, 2019))  # doctest: +SKIP
>>> {(r["unit"], r["counting"]): round(r["share"], 3) for r in rows}  # doctest: +SKIP
{('document', 'whole'): 0.328, ('family', 'whole'): 0.582, ...}

Each row: subject, source, the method's columns (unit, attribution, counting, date_basis, definition,
definition_version, category), period, value, world, share, incomplete_years, source_sha256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure import groups as groups_mod
from aieco.measure import method as mth
from aieco.measure.engines import engine_for
from aieco.measure.queries import (
    Batch,
    Filter,
    Subject,
    grid_batch_expr,
    subject_counts_expr,
    unit_year_country,
)
from aieco.model import Method
from aieco.store import Store

# Years a group's membership is resolved for; counting never leaves this range.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
ROUND = 9  # fractional values are sums of fractions: rounded so engines agree to the last digit


def resolve_subject(*, country: str | None = None, group: str | None = None,
                    groups_file: str | None = None) -> Subject:
    """A country code or a group name as a :class:`Subject` with year-correct members."""
    if country:
        code = groups_mod.check_country(country)
        return Subject(name=code, kind="country", spans=((_FIRST_YEAR, _LAST_YEAR, frozenset({code})),))
    if group:
        g = groups_mod.get_group(group, groups_file)
        spans: list[tuple[int, int, frozenset[str]]] = []
        for y in range(_FIRST_YEAR, _LAST_YEAR + 1):
            m = groups_mod.members(g, y)
            if spans and spans[-1][2] == m:
                spans[-1] = (spans[-1][0], y, m)
            else:
                spans.append((y, y, m))
        return Subject(name=g.name, kind="group", spans=tuple(spans))
    raise UnknownName("name a country (--country) or a group (--group)")


def subjects_for(country: str | None, group: str | None, groups_file: str | None = None) -> list[Subject]:
    out = []
    if country:
        out.append(resolve_subject(country=country))
    if group:
        out.append(resolve_subject(group=group, groups_file=groups_file))
    if not out:
        raise UnknownName("name a country (--country) or a group (--group)")
    return out


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What a grid covers on one source: the document filter, the definition's labels, provenance."""

    source: str
    filter: Filter
    definition: str
    definition_version: str
    category: str
    sha256: str


def _definition_version(store: Store, definition: str) -> str:
    try:
        from aieco.classify.definitions import get_definition  # lazily: another stage of the pipeline

        return str(get_definition(definition).version)
    except Exception:  # noqa: BLE001 - not installed or not a packaged definition: what the store recorded
        pass
    row = store.query("SELECT max(version) FROM classified WHERE definition = ?", [definition])
    return str(row[0][0]) if row and row[0][0] is not None else ""


def scopes(store: Store, *, definition: str | None = None, category: str | None = None,
           source: str | None = None, flag_categories: Sequence[str] = ()) -> list[Scope]:
    """One scope per loaded source (or the one asked for), with the document filter resolved."""
    known = mth.sources(store)
    if source is not None and source not in known:
        raise UnknownName(f"no documents of source {source!r} are loaded; loaded: {', '.join(known) or 'none'}")
    version = ""
    if definition is not None:
        if not store.has_table("classified"):
            raise UnsupportedMethod(f"definition {definition!r} needs table classified, which the store lacks "
                                    "(apply a definition first: aieco classify)")
        if not store.scalar("SELECT count(*) FROM classified WHERE definition = ?", [definition]):
            raise UnknownName(f"definition {definition!r} has not been applied to the loaded data "
                              "(no rows in classified)")
        version = _definition_version(store, definition)
    flags = tuple(flag_categories)
    if category is not None and definition is None:
        flags = flags + (category,)
    out = []
    for src in ([source] if source else known):
        if flags:
            carried = {r[0] for r in store.query(
                "SELECT DISTINCT rc.category FROM run_categories rc WHERE rc.run_id IN (SELECT DISTINCT "
                "ds.run_id FROM document_sources ds JOIN documents d USING (doc_id) WHERE d.source = ?)", [src])}
            if not carried & set(flags):
                raise UnsupportedMethod(f"category {' / '.join(flags)} needs the source flag "
                                        f"(categories.category = {flags[0]!r}), which no loaded {src} run carries")
        out.append(Scope(source=src, filter=Filter(source=src, definition=definition, definition_version=version,
                                                   category=category if definition else None,
                                                   flag_categories=flags),
                         definition=definition or "all", definition_version=version,
                         category=category or "", sha256=mth.source_sha256(store, src)))
    return out


def _period(years: tuple[int, int] | None, per_year: list[dict[str, Any]]) -> tuple[int, int]:
    if years is not None:
        return years
    ys = [r["year"] for r in per_year if r["year"] is not None]
    return (min(ys), max(ys)) if ys else (0, 0)


def per_year_counts(eng: Any, method: Method, flt: Filter, subjects: Sequence[Subject]) -> list[dict[str, Any]]:
    """Per year: world units and each subject's whole (w{i}) and fractional (f{i}) counts, on ``eng``.

    One query for one method: the reference :func:`grid` is checked against (it batches methods instead).
    """
    ucy = unit_year_country(eng.tables(), method, flt)
    return eng.execute(subject_counts_expr(ucy, subjects))


# the unit key a unit is counted on: granted families are families with a granted document
_KEY = {"document": "document", "application": "application", "family": "family", "granted-family": "family"}
PerYear = dict[tuple[str, str, str], list[dict[str, Any]]]


def batches(methods: Sequence[Method]) -> list[Batch]:
    """The supported methods as one :class:`Batch` per unit key (support is per dimension, so every
    attribution and date basis of a key is supported with every other)."""
    out = []
    for key in dict.fromkeys(_KEY[m.unit] for m in methods):
        ms = [m for m in methods if _KEY[m.unit] == key]
        out.append(Batch(key=key, attributions=tuple(dict.fromkeys(m.attribution for m in ms)),
                         date_bases=tuple(dict.fromkeys(m.date_basis for m in ms)),
                         granted=any(m.unit == "granted-family" for m in ms)))
    return out


def batch_per_year(rows: Sequence[dict[str, Any]], batch: Batch, n_subjects: int) -> PerYear:
    """The rows of :func:`~aieco.measure.queries.grid_batch_expr` as per-year counts per (unit, attribution,
    date basis), in the layout of :func:`per_year_counts`. Fractional counts are summed exactly per n."""
    units = [batch.key] + (["granted-family"] if batch.granted else [])
    acc: dict[tuple[str, str, str], dict[int, list[Any]]] = {}
    for r in rows:
        for unit in units:
            if unit == "granted-family" and not r["g"]:
                continue
            for b in batch.date_bases:
                y = r[f"y_{b}"]
                if y is None:
                    continue
                cell = acc.setdefault((unit, r["attr"], b), {}).setdefault(
                    int(y), [0, [0] * n_subjects, [dict() for _ in range(n_subjects)]])
                cell[0] += int(r["units"])
                for i in range(n_subjects):
                    cell[1][i] += int(r[f"w_{b}_{i}"])
                    h = cell[2][i]
                    h[int(r["n"])] = h.get(int(r["n"]), 0) + int(r[f"h_{b}_{i}"])
    out: PerYear = {}
    for k, by_year in acc.items():
        out[k] = [{"year": y, "world": world,
                   **{f"w{i}": w[i] for i in range(n_subjects)},
                   **{f"f{i}": sum(h[i][n] / n for n in sorted(h[i])) for i in range(n_subjects)}}
                  for y, (world, w, h) in sorted(by_year.items())]
    return out


def grid_per_year(eng: Any, methods: Sequence[Method], flt: Filter, subjects: Sequence[Subject],
                  years: tuple[int, int] | None = None) -> PerYear:
    """Per-year counts of every method (whole and fractional alike): one query per unit key on ``eng``."""
    tables = eng.tables()
    out: PerYear = {}
    for batch in batches(methods):
        rows = eng.execute(grid_batch_expr(tables, flt, batch, subjects, years))
        out.update(batch_per_year(rows, batch, len(subjects)))
    return out


def _rows_for(scope: Scope, method_base: Method, subjects: Sequence[Subject], per_year: list[dict[str, Any]],
              years: tuple[int, int], incomplete: list[int]) -> list[dict[str, Any]]:
    in_period = [r for r in per_year if years[0] <= r["year"] <= years[1]]
    world = sum(int(r["world"]) for r in in_period)
    out = []
    for i, s in enumerate(subjects):
        for counting in ("whole", "fractional"):
            if counting == "whole":
                value: float | int = sum(int(r[f"w{i}"]) for r in in_period)
                w: float | int = world
            else:
                value = round(sum(float(r[f"f{i}"]) for r in in_period), ROUND)
                w = float(world)
            m = Method(unit=method_base.unit, attribution=method_base.attribution, counting=counting,
                       date_basis=method_base.date_basis, definition=scope.definition,
                       definition_version=scope.definition_version, category=scope.category)
            out.append({"subject": s.name, "subject_kind": s.kind, "source": scope.source,
                        **mth.method_row(m), "period": f"{years[0]}-{years[1]}", "value": value, "world": w,
                        "share": round(value / w, ROUND) if w else None, "incomplete_years": incomplete,
                        "source_sha256": scope.sha256,
                        "by_year": {int(r["year"]): (int(r[f"w{i}"]) if counting == "whole"
                                                     else round(float(r[f"f{i}"]), ROUND))
                                    for r in in_period}})
    return out


def _supported(store: Store, scope: Scope) -> tuple[list[Method], list[tuple[Method, str]]]:
    """The (unit, attribution, date basis) combinations the scope's data supports, and the refused ones."""
    coverage = mth.field_coverage(store, scope.source)
    ok, refused_ = [], []
    for m in mth.candidate_methods(scope.definition, scope.definition_version, scope.category):
        reason = mth.refusal(m, scope.source, coverage)
        if reason:
            refused_.append((m, reason))
        elif m.counting == "whole":  # one query gives both countings
            ok.append(m)
    return ok, refused_


def grid(store: Store, *, country: str | None = None, group: str | None = None,
         years: tuple[int, int] | None = None, definition: str | None = None, category: str | None = None,
         source: str | None = None, engine: Any = "duckdb", groups_file: str | None = None,
         flag_categories: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Run every method the loaded data supports for the country and/or group; one dict per method."""
    subjects = subjects_for(country, group, groups_file)
    eng = engine_for(store, engine)
    out: list[dict[str, Any]] = []
    for scope in scopes(store, definition=definition, category=category, source=source,
                        flag_categories=flag_categories):
        end, _how = mth.data_end(store, scope.source)
        supported, _ = _supported(store, scope)
        counts = grid_per_year(eng, supported, scope.filter, subjects, years)
        for m in supported:
            per_year = counts.get((m.unit, m.attribution, m.date_basis), [])
            period = _period(years, per_year)
            incomplete = mth.incomplete_years(m.date_basis, end, period)
            out.extend(_rows_for(scope, m, subjects, per_year, period, incomplete))
    return out


def refused(store: Store, *, country: str | None = None, group: str | None = None,
            years: tuple[int, int] | None = None, definition: str | None = None, category: str | None = None,
            source: str | None = None, engine: Any = "duckdb", **_: Any) -> list[dict[str, Any]]:
    """The methods the loaded data cannot support, each with ``reason`` naming the missing field."""
    out: list[dict[str, Any]] = []
    for scope in scopes(store, definition=definition, category=category, source=source):
        refused_ = _supported(store, scope)[1]
        coverage = mth.field_coverage(store, scope.source)
        for m, reason in refused_:
            out.append({"source": scope.source, **mth.method_row(m), "reason": reason,
                        "missing": mth.missing(m, coverage)})
    return out


def spread(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per subject: the smallest and largest share across methods, and the methods that give them."""
    out = []
    for subj in dict.fromkeys(r["subject"] for r in rows):
        rs = [r for r in rows if r["subject"] == subj and r["share"] is not None]
        if not rs:
            continue
        lo = min(rs, key=lambda r: r["share"])
        hi = max(rs, key=lambda r: r["share"])

        def label(r: dict[str, Any]) -> str:
            return f"{r['unit']} by {r['attribution']}, {r['counting']}, {r['date_basis']} year"

        out.append({"subject": subj, "methods": len(rs), "min_share": lo["share"], "min_method": label(lo),
                    "max_share": hi["share"], "max_method": label(hi),
                    "spread": round(hi["share"] - lo["share"], ROUND)})
    return out


# Store layout as unbound Ibis tables, for compiling to an engine's SQL without a connection.
STORE_SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {"doc_id": "int64", "source": "string", "office": "string", "family_id": "string",
                  "application_number": "string", "granted": "boolean", "priority_year": "int32",
                  "filing_year": "int32", "publication_year": "int32", "priority_office": "string"},
    "parties": {"doc_id": "int64", "role": "string", "country": "string"},
    "categories": {"doc_id": "int64", "scheme": "string", "category": "string"},
}


def grid_sql(dialect: str, method: Method, *, country: str | None = None, group: str | None = None,
             groups_file: str | None = None, source: str | None = None) -> str:
    """The SQL of one grid query (per year: world units, whole and fractional counts of the subjects).

    ``bigquery`` reads Google Patents ``patents-public-data.patents.publications``; other dialects read the
    store's tables.
    """
    import ibis

    from aieco.measure.engines import Tables
    from aieco.measure.queries import compile_sql, google_tables

    mth.check_method(method)
    subjects = subjects_for(country, group, groups_file)
    if dialect == "bigquery":
        tables = google_tables(priority_office=method.attribution == "priority-office")
        flt = Filter(source=None)
    else:
        tables = Tables(**{k: ibis.table(v, name=k) for k, v in STORE_SCHEMAS.items()})
        flt = Filter(source=source)
    expr = subject_counts_expr(unit_year_country(tables, method, flt), subjects)
    try:
        return compile_sql(expr, dialect)
    except Exception as err:  # sqlglot/ibis: an unknown dialect or an unsupported construct
        raise UnknownName(f"cannot compile for dialect {dialect!r}: {err}") from err
