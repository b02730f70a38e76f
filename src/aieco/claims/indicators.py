"""Claims about the context tables of ``measure_counts`` — AI private investment (ETO CAT companies tables,
OWID's CSET investment table), GDP (WDI NY.GDP.MKTP.CD), internet use (IT.NET.USER.ZS) and AI patents per
USD billion of GDP (ETO CAT families over WDI GDP) — decided from the loaded rows when they hold the claim's
subject, measure and year, each value labelled with its publisher, method, completeness and sha256.

A claim of one of these measures that the loaded rows cannot decide is "not checkable", naming the table
(and the ingest command) that would decide it. A claim that falls between what two methods give (ETO's
disclosed and estimated investment) is not called contradicted: another method may give it.

>>> which("Internet use in the SCO reached 70% in 2022.", "share", "percent")
'internet-users-pct'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aieco.claims import verdicts as V
from aieco.model import Claim, Verdict

_INTERNET = re.compile(r"\binternet\b|互联网|网民|上网", re.I)
_ONLINE = re.compile(r"\bonline\b", re.I)
_PEOPLE = re.compile(r"\b(?:people|population|users?|adults)\b|\bof\s+(?:the\s+)?[A-Z][a-z]+s\b")
_GDP = re.compile(r"\bGDP\b|gross domestic product|国内生产总值|经济总量")
_PER_GDP = re.compile(
    r"\bper\s+(?:(?:USD|US\$|\$)\s?(?:1\s)?billion|billion\s+(?:US\s+|U\.S\.\s+)?dollars?)\s+(?:of\s+)?GDP"
    r"|每(?:十亿|10亿)美元\s*GDP",
    re.I,
)
_NOT_CONTEXT = re.compile(r"patent|专利|paper|论文|publication|article", re.I)

# What each measure's tables are, and how to load them (the not-checkable message names them).
TABLES = {
    "investment": "ETO CAT companies_yearly_disclosed.csv / companies_yearly_estimated.csv (aieco ingest eto-cat "
    "DIR) or OWID private-investment-in-artificial-intelligence-cset.csv (aieco ingest wdi FILE)",
    "gdp": "WDI gdp_current_usd.csv, NY.GDP.MKTP.CD (aieco ingest wdi FILE)",
    "internet-users-pct": "WDI/OWID internet_users_pct.csv, IT.NET.USER.ZS (aieco ingest wdi FILE)",
    "internet-users-count": "a count of internet users (e.g. CNNIC's or ITU's); the loaded IT.NET.USER.ZS is a "
    "share of the population, not a count",
    "patents-per-gdp": "ETO CAT patents_yearly_applications.csv (aieco ingest eto-cat DIR) with WDI "
    "gdp_current_usd.csv (aieco ingest wdi FILE)",
}
_INDICATORS = {
    "investment": ("companies_yearly_disclosed", "companies_yearly_estimated", "Estimated investment - Field: All"),
    "gdp": ("NY.GDP.MKTP.CD",),
    "internet-users-pct": ("IT.NET.USER.ZS",),
}


def which(sentence: str, kind: str, unit: str | None) -> str | None:
    """The context measure a claim is about (investment | gdp | internet-users-pct | internet-users-count |
    patents-per-gdp), or None."""
    if _PER_GDP.search(sentence) and kind not in ("money",):
        return "patents-per-gdp" if re.search(r"patent|专利", sentence, re.I) else None
    if kind == "money":
        if _GDP.search(sentence) and not re.search(r"\b(?:investment|invested|funding)\b|投资|融资", sentence, re.I):
            return "gdp"
        return None  # investment is said by the claim's measure (resolve)
    if kind == "count" and unit == "count" and re.search(r"\binternet users\b|网民", sentence, re.I):
        return "internet-users-count"
    if (
        unit == "percent"
        and kind == "share"
        and (_INTERNET.search(sentence) or (_ONLINE.search(sentence) and _PEOPLE.search(sentence)))
    ):  # a level, not its growth
        if not _NOT_CONTEXT.search(sentence):
            return "internet-users-pct"
    return None


@dataclass(frozen=True, kw_only=True)
class Value:
    """One method's value for the claim's subject and year."""

    label: str
    publisher: str
    value: float
    floor: bool  # the year is incomplete, or members lack values: the value is a lower bound
    note: str
    sha256: str

    def row(self) -> dict[str, Any]:
        return {"method": self.label, "publisher": self.publisher, "value": self.value, "floor": self.floor,
                "note": self.note, "source_sha256": self.sha256}  # fmt: skip


def measure_of(claim: Claim) -> str | None:
    if claim.kind == "money" and claim.measure == "investment":
        return "investment"
    return which(claim.sentence, claim.kind, claim.amounts[0].unit if claim.amounts else None)


def decide(claim: Claim, store: Any) -> tuple[Verdict, dict[str, Any]] | None:
    """The verdict on a claim of a context measure, or None when the claim is of no such measure."""
    measure = measure_of(claim)
    if measure is None:
        return None
    table = TABLES[measure]
    if not claim.amounts:
        return None
    if measure == "internet-users-count":
        return V.verdict(V.NOT_CHECKABLE, missing=f"no loaded source counts internet users: {table}"), {
            "measure": measure}  # fmt: skip
    year = _year(claim)
    span = _span(claim) if measure == "investment" and year is None else None
    if year is None and span is None:
        return V.verdict(V.NOT_CHECKABLE, missing=f"the claim gives no single year; {table} gives one value a "
                         "year and would decide it for one (investment: or a span of years, summed)"), {
            "measure": measure}  # fmt: skip
    if claim.subject is None or claim.subject_kind not in ("country", "group", "world"):
        return V.verdict(V.NOT_CHECKABLE, missing=f"no country, group or world subject read; {table} holds "
                         "countries and the world"), {"measure": measure}  # fmt: skip
    if store is None or not store.has_table("measure_counts"):
        return V.verdict(V.NOT_CHECKABLE, missing=f"no store is open; {table} would decide it"), {"measure": measure}
    amount = claim.amounts[0]
    if measure in ("investment", "gdp") and amount.unit != "USD":
        return V.verdict(V.NOT_CHECKABLE, missing=f"the figure is in {amount.unit}; {table} is in US dollars "
                         "(a conversion at the year's rate is not made here)"), {"measure": measure}  # fmt: skip
    gaps: list[str] = []
    if span is not None:
        values = _span_values(store, measure, claim.subject, claim.subject_kind, span, gaps)
        when = f"{span[0]}–{span[1]}"
    else:
        assert year is not None
        values = _values(store, measure, claim.subject, claim.subject_kind, year, gaps)
        when = str(year)
    ev: dict[str, Any] = {"measure": measure, "year": when, "values": [v.row() for v in values]}
    if not values:
        why = f" ({'; '.join(dict.fromkeys(gaps))})" if gaps else ""
        return V.verdict(V.NOT_CHECKABLE, missing=f"the loaded tables hold no {measure} value for "
                         f"{claim.subject} in {when}{why}; {table} would decide it"), ev  # fmt: skip
    iv = claim.interval
    scale = 1e9 if measure in ("investment", "gdp") and amount.value >= 1e9 else 1.0
    unit_txt = " billion USD" if scale == 1e9 else "%" if measure == "internet-users-pct" else ""

    def fmt(v: Value) -> str:
        return (f"{v.label} {v.value / scale:,.2f}{unit_txt}{' (a floor: ' + v.note + ')' if v.floor else ''}"
                f" (sha256 {v.sha256[:12]})")  # fmt: skip

    yes = [v for v in values if iv.contains(v.value)]
    # a floor below the claim does not contradict it ("more than", or an incomplete year)
    no = [v for v in values if not iv.contains(v.value) and not (v.floor and iv.lo is not None and v.value < iv.lo)]
    detail = "; ".join(fmt(v) for v in values) + f" (for {when})"
    what = f"method(s) of {_publishers(values)}"
    if yes:
        vid = V.SUPPORTED if len(yes) == len(values) else V.SOME
        return V.verdict(vid, n=len(values), k=len(yes), what=what, detail=detail), ev
    if not no:
        return V.verdict(V.NOT_CHECKABLE, missing=f"the loaded values are floors below the claim: {detail}"), ev
    lo, hi = min(v.value for v in values), max(v.value for v in values)
    if len(values) > 1 and iv.lo is not None and iv.hi is not None and lo <= iv.lo and iv.hi <= hi:
        return V.verdict(V.NOT_CHECKABLE, missing=f"the claim lies between what the loaded methods give ({detail}):"
                         " it depends on a method they do not hold (e.g. another publisher's)"), ev  # fmt: skip
    return V.verdict(V.CONTRADICTED, n=len(values), what=what, detail=detail), ev


def not_checkable_money(claim: Claim) -> str:
    """What a money claim the context tables do not decide needs, naming the table where one would."""
    what = {"industry-size": "industry size or valuation", "investment": "investment"}.get(claim.measure or "")
    if what == "investment":
        return f"no AI investment table loaded for it: {TABLES['investment']} would decide it"
    return (f"no {what or 'money amounts'} figures loaded: the checker compares AI patent data and the loaded "
            "AI investment and GDP tables (a published series of the measure, e.g. CAICT's or NDRC's industry "
            "size, would decide it)")  # fmt: skip


def _year(claim: Claim) -> int | None:
    p = claim.period
    if p.start and p.end and p.start[:4] == p.end[:4]:
        return int(p.start[:4])
    if p.kind == "as-of" and p.end and p.end[5:] == "12-31":
        return int(p.end[:4])
    return None


def _span(claim: Claim) -> tuple[int, int] | None:
    """The years of a claim over a range ("between 2014 and 2023"), or None."""
    p = claim.period
    if p.kind == "range" and p.start and p.end and p.start[:4] < p.end[:4]:
        return int(p.start[:4]), int(p.end[:4])
    return None


def _span_values(
    store: Any, measure: str, subject: str, kind: str, span: tuple[int, int], gaps: list[str]
) -> list[Value]:
    """Each method's sum over the span's years: a method missing a year gives none; a floor when any year is."""
    per: dict[str, list[Value]] = {}
    for y in range(span[0], span[1] + 1):
        for v in _values(store, measure, subject, kind, y, gaps):
            per.setdefault(v.label, []).append(v)
    n = span[1] - span[0] + 1
    out = []
    for label, vs in per.items():
        if len(vs) < n:
            gaps.append(f"{label} lacks {n - len(vs)} of the {n} years")
            continue
        notes = [x.note for x in vs if x.note]
        out.append(Value(label=label, publisher=vs[0].publisher, value=sum(x.value for x in vs),
                         floor=any(x.floor for x in vs), note=f"the sum of {n} years"
                         + (f"; {'; '.join(dict.fromkeys(notes))}" if notes else ""), sha256=vs[0].sha256))  # fmt: skip
    return out


def _publishers(values: list[Value]) -> str:
    return ", ".join(dict.fromkeys(v.publisher for v in values))


_ROWS_SQL = """
SELECT m.indicator, m.publisher, m.country, m.value, m.complete, m.unit, m.attribution, m.ai_definition,
       coalesce(m.file_sha256, r.sha256) AS sha256, m.entity_kind
FROM measure_counts m JOIN runs r USING (run_id)
WHERE m.indicator = ? AND m.year = ? AND m.value IS NOT NULL AND m.field IN ('All', 'all')
"""


def _rows(store: Any, indicator: str, year: int) -> list[dict[str, Any]]:
    return list(store.query_dicts(_ROWS_SQL, [indicator, year]))


def _values(store: Any, measure: str, subject: str, kind: str, year: int, gaps: list[str]) -> list[Value]:
    if measure == "patents-per-gdp":
        return _per_gdp(store, subject, kind, year)
    out: list[Value] = []
    for ind in _INDICATORS[measure]:
        rows = _rows(store, ind, year)
        if not rows:
            continue
        scale = 1e6 if str(rows[0]["unit"]).startswith("USD million") else 1.0
        got = _for_subject(store, rows, subject, kind, year, weighted=measure == "internet-users-pct", gaps=gaps)
        if got is None:
            continue
        value, floor, how = got
        r0 = rows[0]
        complete = all(r["complete"] is not False for r in rows if r["country"] in _codes(subject, kind, year, rows))
        notes = [how] if how else []
        if not complete:
            notes.append(f"{r0['publisher']} marks {year} incomplete")
        label = {"companies_yearly_disclosed": "ETO CAT disclosed investment (USD, nominal)",
                 "companies_yearly_estimated": "ETO CAT estimated investment (USD, nominal)",
                 "Estimated investment - Field: All": "OWID/CSET estimated investment (USD, constant 2021)",
                 "NY.GDP.MKTP.CD": "World Bank WDI GDP (current USD)",
                 "IT.NET.USER.ZS": "WDI (via OWID) internet users, % of population"}[ind]  # fmt: skip
        publisher = {"eto": "ETO CAT", "owid": "OWID", "worldbank": "World Bank WDI"}.get(
            str(r0["publisher"]), str(r0["publisher"])
        )
        out.append(Value(label=label, publisher=publisher, value=value * scale, floor=floor or not complete,
                         note="; ".join(notes), sha256=str(r0["sha256"])))  # fmt: skip
    return out


def _codes(subject: str, kind: str, year: int, rows: list[dict[str, Any]]) -> set[str]:
    if kind == "world":
        return {"WORLD"} if any(r["country"] == "WORLD" for r in rows) else {
            str(r["country"]) for r in rows if r["entity_kind"] == "country"}  # fmt: skip
    if kind == "group":
        from aieco.measure import groups as groups_mod

        return set(groups_mod.members(groups_mod.get_group(subject), year))
    return {subject}


def _for_subject(
    store: Any,
    rows: list[dict[str, Any]],
    subject: str,
    kind: str,
    year: int,
    *,
    weighted: bool,
    gaps: list[str],
) -> tuple[float, bool, str] | None:
    """(value, is a floor, how it was made) for the subject: the published row of a country or of the world;
    for a group the members' sum (a share: their population-weighted mean), a floor when members lack one."""
    by = {str(r["country"]): float(r["value"]) for r in rows}
    if kind == "country":
        return (by[subject], False, "") if subject in by else None
    if kind == "world":
        if "WORLD" in by:
            return by["WORLD"], False, "the published World row"
        countries = [float(r["value"]) for r in rows if r["entity_kind"] == "country"]
        if weighted or not countries:
            return None
        return sum(countries), False, f"the sum of the {len(countries)} countries listed (no World row)"
    members = sorted(_codes(subject, kind, year, rows))
    have = [c for c in members if c in by]
    if not have:
        return None
    lacking = len(members) - len(have)
    if not weighted:
        how = f"the sum of {len(have)} of the {len(members)} members of {subject} in {year}"
        return sum(by[c] for c in have), lacking > 0, how
    pop = {str(c): float(v) for c, v in store.query(
        "SELECT country, value FROM measure_counts WHERE indicator = 'SP.POP.TOTL' AND year = ? "
        "AND value IS NOT NULL", [year])}  # fmt: skip
    both = [c for c in have if c in pop]
    if not both:
        return None
    total = sum(pop[c] for c in both)
    mean = sum(by[c] * pop[c] for c in both) / total
    how = (f"the population-weighted mean (WDI SP.POP.TOTL) of {len(both)} of the {len(members)} members of "
           f"{subject} in {year}")  # fmt: skip
    # a mean over some members is not a bound on the mean over all: it decides only when all are there
    if len(both) < len(members):
        gaps.append(f"no value for {', '.join(c for c in members if c not in both)} of the {len(members)} "
                    f"members of {subject} in {year}: their mean cannot be made")  # fmt: skip
        return None
    return mean, False, how


def _per_gdp(store: Any, subject: str, kind: str, year: int) -> list[Value]:
    """ETO CAT AI patent families of first filing per USD billion of GDP (WDI current USD)."""
    fam = _rows(store, "patents_yearly_applications", year)
    gdp = _rows(store, "NY.GDP.MKTP.CD", year)
    if not fam or not gdp or kind != "country":
        return []
    f = next((r for r in fam if r["country"] == subject), None)
    g = next((r for r in gdp if r["country"] == subject), None)
    if f is None or g is None:
        return []
    incomplete = f["complete"] is False
    return [Value(label="ETO CAT AI patent families (first filing) per USD billion of WDI GDP",
                  publisher="ETO CAT and World Bank WDI",
                  value=float(f["value"]) / (float(g["value"]) / 1e9), floor=incomplete,
                  note=f"eto marks {year} incomplete" if incomplete else "",
                  sha256=f"{str(f['sha256'])[:12]}+{str(g['sha256'])[:12]}")]  # fmt: skip
