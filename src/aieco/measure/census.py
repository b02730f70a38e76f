"""Which loaded sources count AI patents, and for which years: the coverage rule, written once.

A source of AI documents is either a published AI database, every document of which is AI under its authors'
definition (:data:`AI_DATABASES`: CSET/1790), or a source whose documents an AI definition classified
(PATSTAT, Google Patents, Lens, USPTO, …): one candidate per (source, definition) in ``classified``. A
candidate counts for a year (of a date basis) when both hold:

1. **offices**: the source holds filings of that year at :data:`COVERAGE_OFFICES` or more of the five
   offices that receive most of the world's applications (:data:`IP5`), so its world is not one office's
   (or at as many as the source with the most AI documents that year, when that one holds fewer);
2. **documents**: over the span of years it holds AI documents (under its broadest AI definition), it
   holds at least :data:`COVERAGE_SHARE` of the AI documents that the source holding most holds in each of
   those years (a source-wide share: one year's few documents are chance at small sizes, the span's are not).

A whole patent table (PATSTAT, Google's publications) meets both; the results of a search (a Lens export)
or one week of one office's grants do not beside a census, and are named as samples, not counted. Each
candidate counts on its longest run of covered years (the latest of equal runs), so a period's sum never
spans a year it does not cover. Definitions of one technique (:data:`TECHNIQUE_DEFINITIONS`) do not count
AI patents as a whole.

>>> covered_run({2000, 2001, 2002, 2005})
(2000, 2002)
>>> covered_run({2000, 2001, 2003}, bridge={2002})
(2000, 2003)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aieco.store import Store

# Sources whose every document is an AI patent document: a property of the data set, not of its coverage.
AI_DATABASES = ("cset1790",)
# Definitions of one AI technique: they count that technique's patents, not AI patents.
TECHNIQUE_DEFINITIONS = {"genai": "generative AI"}
# The five offices that receive most of the world's patent applications (WIPO IP Statistics).
IP5 = ("CN", "US", "EP", "JP", "KR")
COVERAGE_OFFICES = 3
COVERAGE_SHARE = 0.25
_YEAR = {"priority": "priority_year", "filing": "filing_year", "publication": "publication_year"}


@dataclass(frozen=True, kw_only=True)
class AiSource:
    """One source of AI documents under one definition (``all``: a published AI database), the years the
    coverage rule lets it count on one date basis, and why it does not count when it covers none."""

    source: str
    definition: str
    version: str
    documents: int  # its AI documents
    date_basis: str
    years: tuple[int, int] | None  # the counted run of covered years; None: a sample
    covered: frozenset[int]
    reason: str = ""

    @property
    def counted(self) -> bool:
        return self.years is not None

    def describe(self) -> str:
        """'lens: 137 documents classified by cset-1790' (and, for a sample, why it is not counted)."""
        what = (
            f"{self.documents:,} AI documents (an AI database)"
            if self.definition == "all"
            else f"{self.documents:,} documents classified by {self.definition}"
        )
        return f"{self.source}: {what}" + (f" ({self.reason})" if self.reason else "")


def covered_run(years: Iterable[int], bridge: Iterable[int] = ()) -> tuple[int, int] | None:
    """The longest run of consecutive years (the latest of equal runs), or None for no year. A year of
    ``bridge`` (one no source holds an AI document of) joins two runs but neither starts nor ends one."""
    real = set(years)
    runs: list[list[int]] = []
    for y in sorted(real | set(bridge)):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    trimmed = [(min(inside), max(inside)) for a, b in runs if (inside := [y for y in real if a <= y <= b])]
    if not trimmed:
        return None
    return max(trimmed, key=lambda r: (r[1] - r[0], r[1]))


def _versions(store: Store) -> dict[str, str]:
    if not store.has_table("classified"):
        return {}
    return {str(d): str(v) for d, v in store.query("SELECT definition, max(version) FROM classified GROUP BY 1")}


def _per_year(store: Store, col: str) -> tuple[dict[tuple[str, str], dict[int, int]], dict[tuple[str, int], int]]:
    """AI documents per (source, definition) and year of ``col``, and per (source, year) the IP5 offices."""
    dbs = list(AI_DATABASES)
    marks = ", ".join("?" * len(dbs))
    sql = (
        f"SELECT source, 'all' AS definition, {col} AS year, count(*) AS n FROM documents "
        f"WHERE source IN ({marks}) GROUP BY ALL"
    )
    params = list(dbs)
    if store.has_table("classified"):
        sql += (
            f" UNION ALL SELECT d.source, c.definition, d.{col}, count(*) FROM classified c JOIN documents d "
            f"USING (doc_id) WHERE c.category = '' AND d.source NOT IN ({marks}) GROUP BY ALL"
        )
        params += dbs
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for s, d, y, n in store.query(sql, params):
        by_year = counts.setdefault((str(s), str(d)), {})
        by_year[-1 if y is None else int(y)] = int(n)  # -1: documents without a year (totals only)
    offices = {
        (str(s), int(y)): int(n)
        for s, y, n in store.query(
            f"SELECT source, {col}, count(DISTINCT office) FROM documents WHERE {col} IS NOT NULL AND office IN "
            f"({', '.join('?' * len(IP5))}) GROUP BY ALL",
            list(IP5),
        )
    }
    return counts, offices


def _broadest(counts: dict[tuple[str, str], dict[int, int]]) -> dict[str, dict[int, int]]:
    """Each source's AI documents per year under its broadest AI definition (techniques left out)."""
    out: dict[str, dict[int, int]] = {}
    for (s, d), by_year in counts.items():
        if d in TECHNIQUE_DEFINITIONS:
            continue
        mine = out.setdefault(s, {})
        for y, n in by_year.items():
            if y >= 0:
                mine[y] = max(mine.get(y, 0), n)
    return out


def ai_sources(store: Store, date_basis: str = "priority") -> list[AiSource]:
    """Every candidate source of AI documents with the years the coverage rule lets it count on
    ``date_basis``: the counted ones and the samples, ordered by source and definition.

    The documents condition is judged on priority years, the date basis every patent source carries (a
    published AI database may carry no other); on another basis a source the rule counts covers the years
    of that basis at which it holds AI documents and meets the offices condition."""
    counts, offices = _per_year(store, _YEAR["priority"])
    broadest = _broadest(counts)
    census, top = _covered(broadest, offices)
    bridge = [y for y in range(min(top, default=0), max(top, default=-1) + 1) if not top.get(y)]
    if date_basis != "priority":
        other, other_offices = _per_year(store, _YEAR[date_basis])
        wide = {s: by_year for s, by_year in _broadest(other).items() if census.get(s)}
        undated = {s for s, years in census.items() if years and not any(wide.get(s, {}).values())}
        census, _ = _covered(wide, other_offices)
    else:
        undated = set()
    versions = _versions(store)
    out = []
    for (s, d), by_year in sorted(counts.items()):
        total = sum(by_year.values())
        version = "" if d == "all" else versions.get(d, "")
        if d in TECHNIQUE_DEFINITIONS:
            covered: frozenset[int] = frozenset()
            run = None
            reason = f"{d} counts {TECHNIQUE_DEFINITIONS[d]} patents, not all AI patents"
        else:
            covered = census.get(s, frozenset())
            run = covered_run(covered, bridge)
            reason = (
                ""
                if run
                else f"no AI document has a {date_basis} year"
                if s in undated
                else _why_sample(s, broadest.get(s, {}), top, offices, date_basis)
            )
        out.append(
            AiSource(
                source=s,
                definition=d,
                version=version,
                documents=total,
                date_basis=date_basis,
                years=run,
                covered=covered,
                reason=reason,
            )
        )
    return out


def _share(mine: dict[int, int], top: dict[int, int]) -> float:
    """A source's AI documents over the span of years it holds any, against the most any source holds in
    each of those years: 1.0 for the leading source, near 0 for a search export beside a census."""
    held = [y for y, n in mine.items() if n > 0]
    if not held:
        return 0.0
    most = sum(top.get(y, 0) for y in range(min(held), max(held) + 1))
    return sum(mine.values()) / most if most else 0.0


def _covered(
    broadest: dict[str, dict[int, int]], offices: dict[tuple[str, int], int]
) -> tuple[dict[str, frozenset[int]], dict[int, int]]:
    """Per source, the years it covers (both conditions), and per year the most AI documents any source holds."""
    top: dict[int, int] = {}
    for by_year in broadest.values():
        for y, n in by_year.items():
            top[y] = max(top.get(y, 0), n)
    # the offices the leading source of a year holds: fewer than COVERAGE_OFFICES are asked of no source
    lead: dict[int, int] = {}
    for s, by_year in broadest.items():
        for y, n in by_year.items():
            if n == top[y] and n > 0:
                lead[y] = max(lead.get(y, 0), offices.get((s, y), 0))
    census: dict[str, frozenset[int]] = {}
    for s, mine in broadest.items():
        held = [y for y, n in mine.items() if n > 0]
        if not held or _share(mine, top) < COVERAGE_SHARE:
            census[s] = frozenset()
            continue
        census[s] = frozenset(
            y
            for y in range(min(held), max(held) + 1)
            if y in lead and offices.get((s, y), 0) >= min(COVERAGE_OFFICES, lead[y])
        )
    return census, top


def _why_sample(
    source: str, mine: dict[int, int], top: dict[int, int], offices: dict[tuple[str, int], int], date_basis: str
) -> str:
    """Why a source covers no year, in words: a sample, with the figure that makes it one."""
    if not any(mine.values()):
        return "a sample: no AI document has a priority year"
    share = _share(mine, top)
    if share < COVERAGE_SHARE:
        held = [y for y, n in mine.items() if n > 0]
        return (
            f"a sample: over {min(held)}-{max(held)} it holds {share:.2%} of the AI documents the source holding "
            f"most holds in those years (a census holds {COVERAGE_SHARE:.0%} or more)"
        )
    return f"no {date_basis} year with filings at {COVERAGE_OFFICES} of the offices {', '.join(IP5)}"


def counted(store: Store, date_basis: str = "priority") -> list[AiSource]:
    """The candidates the coverage rule counts."""
    return [a for a in ai_sources(store, date_basis) if a.counted]
