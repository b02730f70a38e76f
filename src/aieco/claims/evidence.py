"""Stage 4 of the checker: what the loaded data says about a claim's subject and measure, from providers
behind one small interface, each answer a :class:`Series` labelled with its method and source.

Providers:

- the method grid over every source of AI documents the coverage rule counts
  (:func:`aieco.measure.census.ai_sources`): a published AI database (CSET/1790), and every source whose
  documents an AI definition classified (all of PATSTAT or of Google's publications, classified by
  core-ai-cpc, cset-1790, cset-1790-zh), one series per (source, definition, method), each on the years the
  source covers. A source that covers no year beside a census (a Lens search export, a week of USPTO grants)
  is a sample: listed with why, not counted. Every counted series is one method of the grid: a claim is
  supported when every series that decides it reproduces it, contradicted when none does, and "some"
  between — the claim's interval against the spread of every source's answer.
- the aggregate tables of ``measure_counts`` when they hold the subject and the measure: ETO CAT AI patent
  families by country of first filing (per year, with its incompleteness), NCSES SINV-17 inventor-fractional
  AI grants (a 2000–2022 total), the PATSTAT inventor-country AI counts of Leusin et al. (a 2004–2018 total).
- the firm registry (:func:`firm_registry_answer`), the one place a firm registry will answer from.

Each distinct question — (subject, technique) — is answered once per store and kept (:func:`for_store`), so an
article's claims, and the next article's, do not run the grid again: the grid is asked for every year at
once and any period is summed from its years.

>>> Series(provider="x", source="s", unit="document", values={2015: 3.0}, world={2015: 6.0}).value(2015, 2015)
(3.0, 6.0)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aieco.errors import AiecoError
from aieco.model import Method

GridFn = Callable[..., list[dict[str, Any]]]

# Which counting units a claim's noun can mean (a news "patent" can be any of them).
UNITS_FOR_MEASURE: dict[str, tuple[str, ...]] = {
    "patents": ("document", "application", "family", "granted-family"),
    "applications": ("application", "document", "family"),
    "families": ("family",),
    "grants": ("granted-family",),
    "in-force-patents": (),
    "documents": ("document",),
    "papers": ("article",),
}


@dataclass(frozen=True, kw_only=True)
class Series(Method):
    """One method's answer for one subject: per-year values (and the world's), or one total for a span. The
    method's fields (unit, attribution, counting, date basis, definition and version, category) are
    :class:`aieco.model.Method`'s."""

    provider: str  # grid | eto | ncses | leusin | injected
    source: str
    values: dict[int, float] = field(default_factory=dict)
    world: dict[int, float] | None = None
    incomplete: frozenset[int] = frozenset()
    span: tuple[int, int] | None = None  # a total only, for this span of years
    total: float | None = None
    world_total: float | None = None
    sha256: str = ""
    note: str = ""
    covered: tuple[int, int] | None = None  # the years the coverage rule counts the source on (measure.census)

    def coverage(self) -> tuple[int, int] | None:
        if self.span is not None:
            return self.span
        return (min(self.values), max(self.values)) if self.values else None

    def value(self, first: int, last: int) -> tuple[float, float | None] | None:
        """(subject, world) over [first, last], or None when the series cannot give that period."""
        if self.span is not None:
            if (first, last) != self.span:
                return None
            return (float(self.total or 0.0), self.world_total)
        cov = self.coverage()
        if cov is None or first < cov[0] or last > cov[1]:
            return None
        cv, cw = self._cumulative
        v = cv[last] - cv.get(first - 1, 0.0)
        w = None if cw is None else cw[last] - cw.get(first - 1, 0.0)
        return float(v), (None if w is None else float(w))

    @cached_property
    def _cumulative(self) -> tuple[dict[int, float], dict[int, float] | None]:
        """Running totals by year (a period's sum is two look-ups): the subject's, and the world's."""
        cov = self.coverage()
        assert cov is not None

        def run(d: dict[int, float]) -> dict[int, float]:
            out, acc = {}, 0.0
            for y in range(cov[0], cov[1] + 1):
                acc += d.get(y, 0.0)
                out[y] = acc
            return out

        return run(self.values), (None if self.world is None else run(self.world))

    def label(self) -> str:
        cat = f"/{self.category}" if self.category else ""
        return f"{self.name} {self.unit}/{self.attribution}/{self.counting}{cat}"

    @property
    def name(self) -> str:
        """The source, and for a classified source its definition: it gives one series per definition."""
        named = self.provider == "grid" and self.definition != "all"
        return f"{self.source}({self.definition})" if named else self.source

    def row(self) -> dict[str, Any]:
        """The method's columns, as the grid labels them."""
        return {"provider": self.provider, "source": self.source, "unit": self.unit,
                "attribution": self.attribution, "counting": self.counting, "date_basis": self.date_basis,
                "definition": self.definition, "definition_version": self.definition_version,
                "category": self.category or None, "source_sha256": self.sha256, "note": self.note,
                "covered_years": None if self.covered is None else f"{self.covered[0]}-{self.covered[1]}"}  # fmt: skip


@dataclass
class Answer:
    """The series for a question, the methods refused (with why), the samples not counted, or what is
    missing to answer at all."""

    series: list[Series] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    missing: str | None = None


# --- the method grid over AI sources --------------------------------------------------------------------


class GridProvider:
    """Per-year counts of every method the counted AI sources support, for one subject, from
    :func:`aieco.measure.grid.grid_per_year` (one query per unit key and source, all years at once)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._cache: dict[tuple[str, str, str], Answer] = {}
        self._coverage: dict[str, list[Any]] = {}
        self._parts: dict[tuple[tuple[str, str], str, str, str], Answer] = {}  # per (source, definition)
        self._bulk: set[tuple[str, str]] = set()  # the sources asked for every country at once

    def coverage(self, date_basis: str = "priority") -> list[Any]:
        """Every candidate source of AI documents with its counted years on ``date_basis``
        (:class:`aieco.measure.census.AiSource`), computed once per store."""
        if date_basis not in self._coverage:
            from aieco.measure.census import ai_sources

            self._coverage[date_basis] = ai_sources(self.store, date_basis)
        return self._coverage[date_basis]

    def samples(self) -> list[str]:
        """The sources of AI documents the coverage rule does not count: named, with why."""
        return [a.describe() for a in self.coverage() if not a.counted]

    def answer(self, subject: str, kind: str, category: str | None) -> Answer:
        key = (subject, kind, category or "")
        if key not in self._cache:
            counted = [a for a in self.coverage() if a.counted]
            if not counted:
                self._cache.update(self._answers([(subject, kind)], category, []))
                return self._cache[key]
            parts = [self._part(a, subject, kind, category) for a in counted]
            self._cache[key] = Answer(series=[x for p in parts for x in p.series],
                                      refused=[r for p in parts for r in p.refused], samples=self.samples(),
                                      missing=next((p.missing for p in parts if p.missing), None))  # fmt: skip
        return self._cache[key]

    def _part(self, cand: Any, subject: str, kind: str, category: str | None) -> Answer:
        """One counted source's answer for a subject. The first country question to an AI database asks for
        every country it holds at once (one query per unit key, about 1.7 s CPU on the demo store against
        0.6 s for one country; every later article is then answered from memory); a classified source,
        whose methods are many more (applicants, inventors), is asked for the subject alone, and for every
        country only when a rank needs them (:meth:`peers`)."""
        key = ((cand.source, cand.definition), subject, kind, category or "")
        if key not in self._parts:
            if kind in ("country", "world") and not category and cand.definition == "all":
                self._bulk_for(cand)
            if key not in self._parts:
                self._store_parts(cand, self._answers([(subject, kind)], category, [cand]))
        return self._parts[key]

    def _bulk_for(self, cand: Any) -> None:
        name = (cand.source, cand.definition)
        if name not in self._bulk:
            self._bulk.add(name)
            self._store_parts(cand, self._answers([(c, "country") for c in self._countries(cand.source)], None,
                                                  [cand]))  # fmt: skip

    def _store_parts(self, cand: Any, answers: dict[tuple[str, str, str], Answer]) -> None:
        for (subject, kind, cat), ans in answers.items():
            self._parts.setdefault(((cand.source, cand.definition), subject, kind, cat), ans)

    def peers(self, s: Series, first: int, last: int) -> list[tuple[str, float]]:
        """Every country's value under the method of ``s`` over [first, last] (the source asked for every
        country it holds, once)."""
        cand = next(a for a in self.coverage() if (a.source, a.definition) == (s.source, s.definition))
        self._bulk_for(cand)
        out = []
        method = (s.unit, s.attribution, s.counting, s.date_basis)
        for (name, c, kind, cat), ans in self._parts.items():
            if name != (s.source, s.definition) or kind != "country" or cat:
                continue
            for o in ans.series:
                if (o.unit, o.attribution, o.counting, o.date_basis) == method:
                    got = o.value(first, last)
                    if got is not None:
                        out.append((c, got[0]))
        return out

    def _countries(self, source: str) -> list[str]:
        from aieco.measure import groups as groups_mod

        rows = self.store.query("SELECT DISTINCT office FROM documents WHERE source = ? AND office IS NOT NULL "
                                "ORDER BY 1", [source])  # fmt: skip
        out = []
        for (code,) in rows:
            try:
                out.append(groups_mod.check_country(str(code)))
            except AiecoError:
                continue
        return out

    def _scope(self, src: str, definition: str, category: str | None) -> Any:
        """The grid scope of one counted source under one definition (``all``: an AI database, whose
        techniques are source flags); a definition without the technique asked for is refused."""
        from aieco.errors import UnsupportedMethod
        from aieco.measure.grid import scopes

        if definition == "all":
            [scope] = scopes(self.store, source=src, flag_categories=(category,) if category else ())
            return scope
        cat = None
        if category:
            cat = category.lower()
            if not self.store.scalar(
                "SELECT count(*) FROM classified c JOIN documents d USING (doc_id) WHERE c.definition = ? "
                "AND c.category = ? AND d.source = ?", [definition, cat, src]):  # fmt: skip
                raise UnsupportedMethod(f"definition {definition} marks no {src} document with category {cat}")
        [scope] = scopes(self.store, source=src, definition=definition, category=cat)
        return scope

    def _on_basis(self, src: str, definition: str, date_basis: str) -> Any:
        return next((a for a in self.coverage(date_basis) if (a.source, a.definition) == (src, definition)), None)

    def _answers(
        self, asked: list[tuple[str, str]], category: str | None, loaded: list[Any]
    ) -> dict[tuple[str, str, str], Answer]:
        from aieco.measure import method as mth
        from aieco.measure.engines import engine_for
        from aieco.measure.grid import grid_per_year, resolve_subject

        cat = category or ""
        out: dict[tuple[str, str, str], Answer] = {}
        subjects: list[tuple[str, str, Any]] = []
        for subject, kind in asked:
            if kind not in ("country", "group", "world"):
                out[(subject, kind, cat)] = Answer(
                    missing=f"the method grid counts countries, groups and the world, not a {kind}"
                )
                continue
            try:
                subj = resolve_subject(country="CN" if kind == "world" else subject if kind == "country" else None,
                                       group=subject if kind == "group" else None)  # fmt: skip
            except AiecoError as err:
                out[(subject, kind, cat)] = Answer(missing=f"the method grid cannot count {subject}: {err}")
                continue
            subjects.append((subject, kind, subj))
        if any(k == "country" and c == "CN" for c, k, _ in subjects) and not any(k == "world" for _, k, _ in subjects):
            subjects.append(("world", "world", next(x for c, k, x in subjects if c == "CN")))  # the world's rows
        if not subjects:
            return out
        if not loaded:
            samples = self.samples()
            missing = ("no source of AI patent documents is loaded (CSET/1790, or patent documents classified by "
                       "an AI definition: aieco ingest patstat|google …, then aieco classify)")  # fmt: skip
            if samples:
                missing += "; the sources classified are samples, not all AI patents: " + "; ".join(samples)
            for subject, kind, _ in subjects:
                out[(subject, kind, cat)] = Answer(missing=missing, samples=samples)
            return out
        answers = {(subject, kind): Answer(samples=self.samples()) for subject, kind, _ in subjects}
        distinct = list({id(x): x for _, _, x in subjects}.values())
        index = {id(x): i for i, x in enumerate(distinct)}
        eng = engine_for(self.store, "duckdb")
        for cand in loaded:
            src = cand.source
            try:
                scope = self._scope(src, cand.definition, category)
            except AiecoError as err:
                for a in answers.values():
                    a.refused.append({"source": src, "definition": cand.definition, "category": category,
                                      "reason": str(err)})  # fmt: skip
                continue
            coverage = mth.field_coverage(self.store, src)
            supported, refused = [], []
            for m in mth.candidate_methods(scope.definition, scope.definition_version, scope.category):
                reason = mth.refusal(m, src, coverage)
                on_basis = self._on_basis(src, cand.definition, m.date_basis)
                if not reason and (on_basis is None or not on_basis.counted):
                    reason = f"{src} by {m.date_basis} year: {on_basis.reason if on_basis else 'no years'}"
                if reason:
                    refused.append({"source": src, **mth.method_row(m), "reason": reason})
                elif m.counting == "whole":  # one query gives both countings
                    supported.append(m)
            end, _how = mth.data_end(self.store, src)
            counts = grid_per_year(eng, supported, scope.filter, distinct)
            for (subject, kind), ans in answers.items():
                ans.refused.extend(refused)
                i = index[id(next(x for c, k, x in subjects if (c, k) == (subject, kind)))]
                for m in supported:
                    span = self._on_basis(src, cand.definition, m.date_basis).years
                    per_year = [r for r in counts.get((m.unit, m.attribution, m.date_basis), [])
                                if r["year"] is not None and span[0] <= r["year"] <= span[1]]  # fmt: skip
                    if not per_year:
                        continue
                    years = (min(r["year"] for r in per_year), max(r["year"] for r in per_year))
                    incomplete = frozenset(mth.incomplete_years(m.date_basis, end, years))
                    world = {int(r["year"]): float(r["world"]) for r in per_year}
                    for counting in ("whole", "fractional"):
                        if kind == "world":
                            if counting == "fractional":
                                continue  # the world's fractional count is its whole count
                            values = dict(world)
                        else:
                            col = f"w{i}" if counting == "whole" else f"f{i}"
                            values = {int(r["year"]): float(r[col]) for r in per_year}
                        ans.series.append(Series(
                            provider="grid", source=src, unit=m.unit, attribution=m.attribution, counting=counting,
                            date_basis=m.date_basis, definition=scope.definition,
                            definition_version=scope.definition_version, category=scope.category, values=values,
                            world=world, incomplete=incomplete, sha256=scope.sha256, covered=span,
                        ))  # fmt: skip
        for (subject, kind), ans in answers.items():
            out[(subject, kind, cat)] = ans
        return out


class InjectedGrid:
    """A grid function given by the caller (tests, other engines): asked per (subject, years), its rows taken
    as totals for their period."""

    def __init__(self, store: Any, grid_fn: GridFn, refused_fn: GridFn | None) -> None:
        self.store, self.grid_fn, self.refused_fn = store, grid_fn, refused_fn
        self._cache: dict[Any, Answer] = {}

    def answer(self, subject: str, kind: str, category: str | None, years: tuple[int, int] | None = None) -> Answer:
        key = (subject, kind, category, years)
        if key in self._cache:
            return self._cache[key]
        kw: dict[str, Any] = {}
        if kind == "country":
            kw["country"] = subject
        elif kind == "group":
            kw["group"] = subject
        if years:
            kw["years"] = years
        try:
            rows = list(self.grid_fn(self.store, **kw))
            refused = list(self.refused_fn(self.store, **kw)) if self.refused_fn else []
        except AiecoError as err:
            self._cache[key] = Answer(missing=f"the method grid refused the subject {subject}: {err}")
            return self._cache[key]
        out = Answer(refused=refused)
        for r in rows:
            m = re.match(r"^\s*(\d{4})\s*[-–]\s*(\d{4})", str(r.get("period") or ""))
            if not m:
                continue
            span = (int(m.group(1)), int(m.group(2)))
            value = r.get("world") if kind == "world" else r.get("value")
            out.series.append(Series(
                provider="injected", source=str(r.get("source")), unit=str(r.get("unit")),
                attribution=str(r.get("attribution")), counting=str(r.get("counting")),
                date_basis=str(r.get("date_basis")), definition=str(r.get("definition")),
                definition_version=str(r.get("definition_version") or ""), category=str(r.get("category") or ""),
                span=span, total=None if value is None else float(value),
                world_total=None if r.get("world") is None else float(r["world"]),
                incomplete=frozenset(r.get("incomplete_years") or []), sha256=str(r.get("source_sha256") or ""),
            ))  # fmt: skip
        self._cache[key] = out
        return out


# --- the aggregate tables (measure_counts) ----------------------------------------------------------------

# ETO CAT yearly tables: indicator → (unit, attribution, date basis, definition)
_ETO_UNITS = {
    "patents_yearly_applications": ("family", "priority-office", "priority", "ETO/CSET AI patent definition"),
    "patents_yearly_granted": ("granted-family", "priority-office", "priority", "ETO/CSET AI patent definition"),
    "publications_yearly_articles": ("article", "author-country", "publication",
                                     "ETO Merged Academic Corpus, AI classifier"),
}  # fmt: skip
_PER_MILLION = "Patent applications per 1 million people - Field: All"


class AggregateProvider:
    """Published AI patent counts in ``measure_counts``: ETO CAT (per year), NCSES SINV-17, Leusin et al."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._rows: list[dict[str, Any]] | None = None
        self._cache: dict[tuple[str, str], list[Series]] = {}
        self._ctx: dict[tuple[str, str], dict[int, float]] = {}

    def _load(self) -> list[dict[str, Any]]:
        if self._rows is None:
            if not self.store.has_table("measure_counts"):
                self._rows = []
            else:
                self._rows = self.store.query_dicts(
                    "SELECT m.name, m.layout, m.country, m.field, m.period, m.kind, m.year, m.complete, m.value, "
                    "m.entity_kind, m.publisher, m.indicator, m.file_sha256, r.sha256 AS run_sha256 "
                    "FROM measure_counts m JOIN runs r USING (run_id) WHERE m.kind = 'AI' AND m.value IS NOT NULL "
                    "AND (m.indicator IN ('patents_yearly_applications', 'patents_yearly_granted', 'SINV-17', "
                    "'publications_yearly_articles') OR (m.publisher IS NULL AND m.layout = 'wide'))"
                )
        return self._rows

    def _context(self, indicator: str, country: str) -> dict[int, float]:
        """A context indicator by year for a country (WDI population, OWID's AI patents per million)."""
        key = (indicator, country)
        if key not in self._ctx:
            rows = [] if not self.store.has_table("measure_counts") else self.store.query(
                "SELECT year, value FROM measure_counts WHERE indicator = ? AND country = ? AND year IS NOT NULL "
                "AND value IS NOT NULL", [indicator, country])  # fmt: skip
            self._ctx[key] = {int(y): float(v) for y, v in rows}
        return self._ctx[key]

    def population(self, country: str) -> dict[int, float]:
        return self._context("SP.POP.TOTL", country)

    def per_million(self, country: str) -> list[Series]:
        """OWID's AI patent applications per million people (its own computation from ETO CAT and WDI)."""
        values = self._context(_PER_MILLION, country)
        if not values:
            return []
        sha = self.store.scalar("SELECT max(r.sha256) FROM runs r JOIN measure_counts m USING (run_id) "
                                "WHERE m.indicator = ?", [_PER_MILLION])  # fmt: skip
        return [Series(provider="owid", source="owid-cset", unit="family", attribution="priority-office",
                       counting="whole", date_basis="priority", definition="ETO/CSET (OWID per million people)",
                       values=values, sha256=str(sha or ""),
                       note="OWID: AI patent applications per 1 million people, as published")]  # fmt: skip

    def eto_peers(self, unit: str, first: int, last: int) -> list[tuple[str, float]]:
        """Every country's ETO count of ``unit`` over [first, last] (for ranks)."""
        ind = next((i for i, spec in _ETO_UNITS.items() if spec[0] == unit), None)
        totals: dict[str, float] = {}
        for r in self._load():
            if (r["indicator"] == ind and r["field"] == "All" and r["entity_kind"] == "country"
                    and first <= int(r["year"]) <= last):  # fmt: skip
                totals[str(r["country"])] = totals.get(str(r["country"]), 0.0) + float(r["value"])
        return sorted(totals.items())

    def answer(self, subject: str, kind: str) -> list[Series]:
        key = (subject, kind)
        if key not in self._cache:
            self._cache[key] = self._answer(subject, kind) if kind in ("country", "world") else []
        return self._cache[key]

    def _answer(self, subject: str, kind: str) -> list[Series]:
        rows = self._load()
        out: list[Series] = []
        for ind, (unit, attribution, basis, definition) in _ETO_UNITS.items():
            eto = [r for r in rows if r["indicator"] == ind and r["field"] == "All" and r["entity_kind"] == "country"]
            if not eto:
                continue
            totals: dict[int, float] = {}
            for r in eto:
                totals[int(r["year"])] = totals.get(int(r["year"]), 0.0) + float(r["value"])
            # an article with authors in two countries counts for each: the countries' sum is not a world total
            # of articles (ETO gives none); a family has one country of first filing, so theirs is
            world = None if unit == "article" else totals
            if kind == "world" and world is None:
                continue
            mine = totals if kind == "world" else {int(r["year"]): float(r["value"]) for r in eto
                                                    if r["country"] == subject}  # fmt: skip
            if not mine:
                continue
            incomplete = frozenset(int(r["year"]) for r in eto if r["complete"] is False)
            n_countries = len({r["country"] for r in eto})
            out.append(Series(
                provider="eto", source="eto-cat", unit=unit, attribution=attribution, counting="whole",
                date_basis=basis, definition=definition, values=mine, world=world,
                incomplete=incomplete, sha256=str(eto[0]["file_sha256"] or eto[0]["run_sha256"]),
                note=f"ETO CAT {ind} (All fields); "
                + ("no world total" if world is None else f"world = the sum of the {n_countries} countries ETO lists"),
            ))  # fmt: skip
        ncses = [r for r in rows if r["indicator"] == "SINV-17" and r["field"] == "all"]
        if ncses:
            w = next((r for r in ncses if r["country"] == "WORLD"), None)
            me = w if kind == "world" else next((r for r in ncses if r["country"] == subject), None)
            m = re.match(r"(\d{4})-(\d{4})", str((me or {}).get("period") or ""))
            if me is not None and m:
                out.append(Series(
                    provider="ncses", source="ncses-SINV-17", unit="granted-family", attribution="inventor",
                    counting="fractional", date_basis="grant", definition="CSET/1790 (NCSES SEI 2024)",
                    span=(int(m.group(1)), int(m.group(2))), total=float(me["value"]),
                    world_total=None if w is None else float(w["value"]),
                    sha256=str(me["file_sha256"] or me["run_sha256"]),
                    note="NCSES SEI 2024 table SINV-17: granted AI patents by inventor location, fractional",
                ))  # fmt: skip
        leusin = [r for r in rows if r["publisher"] is None and r["layout"] == "wide"]
        for name in sorted({r["name"] for r in leusin}):
            rs = [r for r in leusin if r["name"] == name]
            m = re.match(r"(\d{4})-(\d{4})", str(rs[0]["period"]))
            if not m:
                continue
            world_total = sum(float(r["value"]) for r in rs)
            total = world_total if kind == "world" else sum(float(r["value"]) for r in rs if r["country"] == subject)
            if kind != "world" and not any(r["country"] == subject for r in rs):
                continue
            out.append(Series(
                provider="leusin", source=name, unit="application", attribution="inventor", counting="fractional",
                date_basis="priority", definition="AI (Leusin et al., PATSTAT)",
                span=(int(m.group(1)), int(m.group(2))), total=total, world_total=world_total,
                sha256=str(rs[0]["file_sha256"] or rs[0]["run_sha256"]),
                note=f"{name}: PATSTAT AI patent counts by inventor country, summed over fields",
            ))  # fmt: skip
        return out


# --- firms ---------------------------------------------------------------------------------------------


def firm_programme(claim: Any) -> tuple[str | None, str | None]:
    """The programme a firm claim is about and the firm it names: "Over 400 'little giant' firms" →
    ("little giant", None); "Among them is DeepSeek" → ("little giant", "DeepSeek")."""
    if claim.kind == "membership" and claim.measure and ":" in claim.measure:
        return claim.measure.split(":", 1)[1], claim.subject
    return (claim.subject or None), None


def firm_registry_answer(claim: Any, store: Any) -> Any:
    """What the loaded firm registries say about a firm claim (a :class:`aieco.results.RegistryAnswer`; a
    store made before firms answers "no firm registry loaded"), or None without a store: the one place a firm
    registry answers from."""
    programme, firm = firm_programme(claim)
    if store is None or programme is None:
        return None
    from aieco.firms.answer import registry_answer

    return registry_answer(store, programme=programme, firm=firm)


def firm_registry_missing(claim: Any, answer: Any) -> str:
    """What a firm claim needs when no registry decides it, in words."""
    programme, firm = firm_programme(claim)
    what = (
        f"whether {firm} is among the {programme!r} firms" if firm else f"a count of {programme or 'named'} firms"
    )
    lacks = "; ".join(answer.missing) if answer is not None and answer.missing else "no firm registry loaded"
    return (
        f"{what} needs a firm registry (aieco ingest firms PATH --registry NAME) of the programme's designated "
        f"firms (e.g. the MIIT 'little giant' list) with their fields of activity: {lacks}"
    )


# --- per store, cached --------------------------------------------------------------------------------


class Evidence:
    """The providers for one store, each question answered once."""

    def __init__(self, store: Any, grid_fn: GridFn | None = None, refused_fn: GridFn | None = None) -> None:
        self.store = store
        self.missing: str | None = None
        self.injected = InjectedGrid(store, grid_fn, refused_fn) if grid_fn is not None else None
        self.grid = GridProvider(store) if store is not None and grid_fn is None else None
        self.aggregates = AggregateProvider(store) if self.grid is not None else None
        if store is None:
            self.missing = "no store is open (no patent data loaded)"

    def answer(
        self, subject: str, kind: str, category: str | None = None, years: tuple[int, int] | None = None
    ) -> Answer:
        if self.injected is not None:
            return self.injected.answer(subject, kind, category, years)
        assert self.grid is not None and self.aggregates is not None
        a = self.grid.answer(subject, kind, category)
        if category:
            return a  # the aggregates hold all AI fields together, not the technique
        agg = self.aggregates.answer(subject, kind)
        if not agg:
            return a
        return Answer(series=a.series + agg, refused=a.refused, samples=a.samples, missing=None)

    def peers(self, s: Series, first: int, last: int) -> list[tuple[str, float]] | None:
        """Every country's value under the method of ``s`` over [first, last], or None when the provider
        cannot list every country (ranks need them all)."""
        if s.provider == "grid" and self.grid is not None and not s.category:
            return self.grid.peers(s, first, last)
        if s.provider == "eto" and self.aggregates is not None:
            return self.aggregates.eto_peers(s.unit, first, last)
        return None

    @property
    def per_year(self) -> bool:
        """True when series are per year (any period can be summed); False for an injected grid's totals."""
        return self.injected is None


_STORES: dict[tuple[Any, ...], Evidence] = {}


def _fingerprint(store: Any) -> tuple[Any, ...] | None:
    path = getattr(store, "path", None)
    if path is None or not hasattr(store, "query"):
        return None
    try:  # one query: a check after start-up should cost reading and deciding, not bookkeeping
        row = store.query("SELECT count(*), max(run_id), string_agg(sha256, ';' ORDER BY run_id), "
                          "(SELECT count(*) FROM classify_runs) FROM runs")[0]  # fmt: skip
    except Exception:  # noqa: BLE001 - a store without these tables: not cached across checks
        return None
    return (str(path), *row)


def for_store(store: Any, grid_fn: GridFn | None = None, refused_fn: GridFn | None = None) -> Evidence:
    """The evidence of ``store``: kept across checks while the store's runs are the same (a new ingest or
    classify run makes a new one); an injected grid is never kept."""
    if store is None or grid_fn is not None:
        return Evidence(store, grid_fn, refused_fn)
    key = _fingerprint(store)
    if key is None:
        return Evidence(store)
    ev = _STORES.get(key)
    if ev is None:
        if len(_STORES) > 8:
            _STORES.clear()
        ev = _STORES[key] = Evidence(store)
    ev.store = store
    if ev.grid is not None:
        ev.grid.store = store
    if ev.aggregates is not None:
        ev.aggregates.store = store
    return ev
