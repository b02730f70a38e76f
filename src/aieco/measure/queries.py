"""The counting expressions, written once in Ibis and run on any engine (DuckDB, Spark) or compiled (BigQuery).

Every count goes through one relation, *unit–year–country*: each counting unit (document, application,
simple family, granted family) with its year (the earliest of its documents' years on the date basis) and
each of its distinct countries under the attribution (publication office, priority office, applicant or
inventor country). Whole counting gives a unit 1 for every country (and 1 for a group when any of its
countries is a member that year); fractional counting splits 1 evenly over the unit's countries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis

from aieco.measure.engines import Tables
from aieco.model import Method

YEAR_COLUMN = {"priority": "priority_year", "filing": "filing_year", "publication": "publication_year"}
PARTY_ROLE = {"applicant": "applicant", "inventor": "inventor"}


@dataclass(frozen=True, kw_only=True)
class Filter:
    """Which documents count: one source, optionally a definition's universe or category, or a source flag."""

    source: str | None = None
    definition: str | None = None
    definition_version: str | None = None
    category: str | None = None
    flag_categories: tuple[str, ...] = ()  # source flags (categories table), any of them


@dataclass(frozen=True, kw_only=True)
class Subject:
    """A country or a group, as year ranges with their member sets (a group's members change over time)."""

    name: str
    kind: str  # country | group
    spans: tuple[tuple[int, int, frozenset[str]], ...]  # (first year, last year, members)

    def predicate(self, year: Any, country: Any) -> Any:
        parts = [year.between(a, b) & country.isin(sorted(m)) for a, b, m in self.spans if m]
        if not parts:
            return ibis.literal(False)
        out = parts[0]
        for p in parts[1:]:
            out = out | p
        return out


def documents_expr(t: Tables, f: Filter) -> Any:
    d = t.documents
    if f.source is not None:
        d = d.filter(d.source == f.source)
    if f.definition is not None:
        c = t.classified
        c = c.filter((c.definition == f.definition) & (c.category == (f.category or "")))
        if f.definition_version:
            c = c.filter(c.version == f.definition_version)
        d = d.filter(d.doc_id.isin(c.doc_id))
    elif f.flag_categories:
        c = t.categories
        d = d.filter(d.doc_id.isin(c.filter(c.category.isin(list(f.flag_categories))).doc_id))
    return d


def unit_key(d: Any, unit: str) -> Any:
    if unit == "document":
        return d.doc_id.cast("string")
    if unit == "application":
        return d.office.concat("|", d.application_number)
    return d.family_id  # family, granted-family


def unit_year_country(t: Tables, method: Method, f: Filter) -> Any:
    """Distinct (unit, year, country) rows for the method; units without a year or a country drop out."""
    d = documents_expr(t, f)
    base = d.select(unit=unit_key(d, method.unit), year=d[YEAR_COLUMN[method.date_basis]].cast("int64"),
                    doc_id=d.doc_id, office=d.office, priority_office=d.priority_office, granted=d.granted)
    base = base.filter(base.unit.notnull())
    if method.unit == "granted-family":
        granted = base.filter(base.granted.fill_null(False)).select("unit").distinct()
        base = base.filter(base.unit.isin(granted.unit))
    years = base.group_by("unit").agg(year=base.year.min())
    years = years.filter(years.year.notnull())
    if method.attribution == "office":
        uc = base.select("unit", country=base.office)
    elif method.attribution == "priority-office":
        uc = base.select("unit", country=base.priority_office)
    else:
        p = t.parties
        p = p.filter((p.role == PARTY_ROLE[method.attribution]) & p.country.notnull())
        j = base.join(p, base.doc_id == p.doc_id)
        uc = j.select(unit=j.unit, country=j.country)
    uc = uc.filter(uc.country.notnull()).distinct()
    return uc.join(years, "unit").select("unit", "year", "country")


def subject_counts_expr(ucy: Any, subjects: Sequence[Subject]) -> Any:
    """Per year: world units, and for each subject i, whole (w{i}) and fractional (f{i}) counts."""
    hits = {f"h{i}": ibis.cases((s.predicate(ucy.year, ucy.country), 1), else_=0).sum()
            for i, s in enumerate(subjects)}
    per_unit = ucy.group_by(["unit", "year"]).agg(n=ucy.country.count(), **hits)
    aggs: dict[str, Any] = {"world": per_unit.unit.count()}
    for i in range(len(subjects)):
        h = per_unit[f"h{i}"]
        aggs[f"w{i}"] = ibis.cases((h > 0, 1), else_=0).sum()
        aggs[f"f{i}"] = (h.cast("float64") / per_unit.n.cast("float64")).sum()
    return per_unit.group_by("year").agg(**aggs).order_by("year")


def country_counts_expr(ucy: Any, years: tuple[int, int] | None) -> Any:
    """Per country over the period: whole and fractional counts (the world is the number of units)."""
    if years is not None:
        ucy = ucy.filter(ucy.year.between(*years))
    n = ucy.group_by("unit").agg(n=ucy.country.count())
    j = ucy.join(n, "unit")
    return j.group_by("country").agg(whole=j.unit.count(), fractional=(1.0 / j.n.cast("float64")).sum())


def world_units_expr(ucy: Any, years: tuple[int, int] | None) -> Any:
    if years is not None:
        ucy = ucy.filter(ucy.year.between(*years))
    return ucy.select("unit").distinct().count()


def country_year_counts_expr(ucy: Any) -> Any:
    """Per country and year: whole and fractional counts (for intensity and growth)."""
    n = ucy.group_by("unit").agg(n=ucy.country.count())
    j = ucy.join(n, "unit")
    return j.group_by(["country", "year"]).agg(whole=j.unit.count(),
                                               fractional=(1.0 / j.n.cast("float64")).sum())


# -- The grid in a few queries: every attribution and date basis of one unit key at once ------------------
# Attributions whose country is a column of the document itself (one value per document).
DOC_LEVEL = {"office": "office", "priority-office": "priority_office"}


@dataclass(frozen=True, kw_only=True)
class Batch:
    """The methods one query answers: a unit key with the attributions and date bases to count.

    ``key`` is ``document``, ``application`` or ``family``; with ``granted`` the family query also flags
    units holding a granted document, so ``granted-family`` comes from the same per-unit table.
    """

    key: str
    attributions: tuple[str, ...]
    date_bases: tuple[str, ...]
    granted: bool = False


def member_sets(subjects: Sequence[Subject]) -> list[frozenset[str]]:
    """The distinct non-empty member sets of the subjects' spans, in first-seen order."""
    out: list[frozenset[str]] = []
    for s in subjects:
        for _a, _b, m in s.spans:
            if m and m not in out:
                out.append(m)
    return out


def _per_unit(t: Tables, d: Any, batch: Batch, attribution: str, sets: Sequence[frozenset[str]]) -> Any:
    """One row per unit with a year or a country under ``attribution``: its earliest year on each date basis,
    its number of distinct countries (n), how many of them are in each member set (c0, c1, …), and (family
    key with ``granted``) whether any of its documents is granted (g)."""
    ys = {f"y_{b}": d[YEAR_COLUMN[b]].cast("int64") for b in batch.date_bases}
    extra = {"g": d.granted.fill_null(False)} if batch.granted else {}
    if attribution in DOC_LEVEL and batch.key == "document":
        # a document is its own unit and has one value of a document column: nothing to group
        country = d[DOC_LEVEL[attribution]]
        return d.select(attr=ibis.literal(attribution), **extra, **ys,
                        n=ibis.cases((country.notnull(), 1), else_=0).cast("int64"),
                        **{f"c{k}": ibis.cases((country.isin(sorted(m)), 1), else_=0).cast("int64")
                           for k, m in enumerate(sets)})
    base = d.select(doc_id=d.doc_id, unit=unit_key(d, batch.key), **extra, **ys,
                    **({"country": d[DOC_LEVEL[attribution]]} if attribution in DOC_LEVEL else {}))
    base = base.filter(base.unit.notnull())
    if attribution not in DOC_LEVEL:  # every document keeps a row (its years count even without a party)
        p = t.parties
        p = p.filter((p.role == PARTY_ROLE[attribution]) & p.country.notnull())
        p = p.select(pdoc=p.doc_id, country=p.country)
        base = base.left_join(p, base.doc_id == p.pdoc)
    cols = ["unit", *(["g"] if batch.granted else []), *ys]
    base = base.select(*cols, "country")
    g_any = {"g": base.g.any()} if batch.granted else {}
    # One pass per unit: a unit whose countries are all one value, or who has at most two, has the distinct
    # countries {lo, hi}; only the others (rare: three or more documents with different countries) take the
    # two-stage path through (unit, country). A NULL country keeps the years of documents without one.
    a = base.group_by("unit").agg(**{y: base[y].min() for y in ys}, **g_any, cnt=base.country.count(),
                                  lo=base.country.min(), hi=base.country.max())
    few = a.filter((a.cnt <= 2) | (a.lo == a.hi))
    two = few.lo != few.hi

    def member(col: Any, m: frozenset[str]) -> Any:
        return ibis.cases((col.isin(sorted(m)), 1), else_=0)

    simple = few.select(
        attr=ibis.literal(attribution), **({"g": few.g} if batch.granted else {}), **{y: few[y] for y in ys},
        n=ibis.cases((few.cnt == 0, 0), (two, 2), else_=1).cast("int64"),
        **{f"c{k}": (member(few.lo, m) + ibis.cases((two, member(few.hi, m)), else_=0)).cast("int64")
           for k, m in enumerate(sets)})
    many = a.filter((a.cnt > 2) & (a.lo != a.hi))
    rest = base.filter(base.unit.isin(many.unit))
    s1 = rest.group_by(["unit", "country"]).agg(
        **{y: rest[y].min() for y in ys}, **({"g": rest.g.any()} if batch.granted else {}))
    s2 = s1.group_by("unit").agg(
        **{y: s1[y].min() for y in ys}, **({"g": s1.g.any()} if batch.granted else {}),
        n=s1.country.count(), **{f"c{k}": member(s1.country, m).sum() for k, m in enumerate(sets)})
    return simple.union(s2.select(attr=ibis.literal(attribution), **({"g": s2.g} if batch.granted else {}),
                                  **{y: s2[y] for y in ys}, n=s2.n.cast("int64"),
                                  **{f"c{k}": s2[f"c{k}"].cast("int64") for k in range(len(sets))}))


def grid_batch_expr(t: Tables, f: Filter, batch: Batch, subjects: Sequence[Subject],
                    years: tuple[int, int] | None = None) -> Any:
    """Every method of ``batch`` in one query, grouped by attribution, granted flag, each basis' year and n.

    Per group: ``units`` (the number of units), and per date basis b and subject i ``w_{b}_{i}`` (units with
    a country of the subject in their year) and ``h_{b}_{i}`` (the sum of their member countries). A
    method's per-year counts are sums over the groups with that year: world = units, whole = w, fractional =
    sum of h / n (exact: h is an integer, summed per n). ``years`` drops units with no year in the period.
    """
    d = documents_expr(t, f)
    sets = member_sets(subjects)
    parts = [_per_unit(t, d, batch, a, sets) for a in batch.attributions]
    u = parts[0]
    for part in parts[1:]:
        u = u.union(part)
    ys = [u[f"y_{b}"] for b in batch.date_bases]
    seen = ys[0].notnull() if years is None else ys[0].between(*years)
    for y in ys[1:]:
        seen = seen | (y.notnull() if years is None else y.between(*years))
    u = u.filter((u.n > 0) & seen)
    hits: dict[str, Any] = {}
    for b in batch.date_bases:
        y = u[f"y_{b}"]
        for i, s in enumerate(subjects):
            branches = [(y.between(a, z), u[f"c{sets.index(m)}"]) for a, z, m in s.spans if m]
            hits[f"h_{b}_{i}"] = ibis.cases(*branches, else_=0) if branches else ibis.literal(0, "int64")
    u = u.mutate(**hits)
    aggs: dict[str, Any] = {"units": u.count()}
    for name in hits:
        aggs["w" + name[1:]] = ibis.cases((u[name] > 0, 1), else_=0).sum().cast("int64")
        aggs[name] = u[name].sum().cast("int64")
    keys = ["attr", *(["g"] if batch.granted else []), *(f"y_{b}" for b in batch.date_bases), "n"]
    return u.group_by(keys).agg(**aggs)


# -- Google Patents publications (BigQuery): the same tables, derived from Google's schema ---------------
GOOGLE_PUBLICATIONS_SCHEMA = {
    "publication_number": "string", "application_number": "string", "country_code": "string",
    "kind_code": "string", "family_id": "string", "publication_date": "int64", "filing_date": "int64",
    "grant_date": "int64", "priority_date": "int64",
    "priority_claim": "array<struct<publication_number: string, application_number: string, "
                      "npl_text: string, priority_date: int64, filing_date: int64, category: string>>",
    "inventor_harmonized": "array<struct<name: string, country_code: string>>",
    "assignee_harmonized": "array<struct<name: string, country_code: string>>",
    "cpc": "array<struct<code: string, inventive: boolean, first: boolean, tree: array<string>>>",
}


def google_tables(source: str = "google", *, priority_office: bool = False) -> Tables:
    """Tables with the store's layout, derived from ``patents-public-data.patents.publications``.

    ``priority_office``: derive it from the priority claims (a join over them); otherwise it is NULL, and a
    query that does not need it reads no priority claims (BigQuery bills the bytes of the columns read).
    """
    pub = ibis.table(GOOGLE_PUBLICATIONS_SCHEMA, name="publications", database="patents",
                     catalog="patents-public-data")

    def year(col: Any) -> Any:
        return ibis.cases((col > 0, (col // 10000).cast("int64")), else_=ibis.null("int64"))

    base, office = pub, ibis.null("string")
    if priority_office:
        # As `aieco ingest google` takes it: the office of the earliest dated priority claim (ties: the first
        # listed), the publication's own office when it claims no priority, else unknown. The office is the
        # claim number's country prefix as written (the reader also maps historical codes).
        claims = pub.select(pub.publication_number, pub.priority_claim).unnest("priority_claim", offset="seq")
        claim = claims.priority_claim
        number = ibis.coalesce(claim.application_number.nullif(""), claim.publication_number.nullif(""))
        claim_office = ibis.cases((number.contains("-"), number.split("-")[0].upper()),
                                  else_=ibis.null("string"))
        dated = claims.filter(claim.filing_date > 0, claim_office.notnull())
        first = dated.group_by(first_doc=dated.publication_number).aggregate(
            first_office=claim_office.argmin(claim.filing_date * 1000 + dated.seq))
        base = pub.left_join(first, pub.publication_number == first.first_doc)
        claimed = ibis.coalesce(base.priority_claim.length(), 0) > 0
        office = ibis.cases((claimed, base.first_office), else_=base.country_code)
    documents = base.select(
        doc_id=base.publication_number, source=ibis.literal(source), office=base.country_code,
        family_id=base.family_id, application_number=base.application_number, granted=base.grant_date > 0,
        priority_year=year(base.priority_date), filing_year=year(base.filing_date),
        publication_year=year(base.publication_date), priority_office=office)

    def parties(col: str, role: str) -> Any:
        u = pub.select(doc_id=pub.publication_number, p=pub[col].unnest())
        return u.select(doc_id=u.doc_id, role=ibis.literal(role), country=u.p.country_code)

    cpc = pub.select(doc_id=pub.publication_number, c=pub.cpc.unnest())
    categories = cpc.select(doc_id=cpc.doc_id, scheme=ibis.literal("cpc"), category=cpc.c.code)
    return Tables(documents=documents,
                  parties=parties("inventor_harmonized", "inventor").union(
                      parties("assignee_harmonized", "applicant")),
                  categories=categories)


def compile_sql(expr: Any, dialect: str) -> str:
    return str(ibis.to_sql(expr, dialect=dialect))


ExprBuilder = Callable[[Tables], Any]
