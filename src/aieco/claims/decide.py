"""Stage 5 of the checker: the verdict on a claim from the evidence, with what decided it.

Rules (issue 13):

- a count over a period the data marks incomplete (or runs past, or starts before) is a floor: it supports a
  lower bound it already exceeds, contradicts an upper bound it already exceeds, and decides nothing else;
- a period past the data is decided on the covered part only, and the message says so;
- a share is decided only on complete years of the claim's own period (a partial period's share is another
  figure);
- a clear claim about something no loaded source measures is "not checkable", naming the data that would
  decide it; "ambiguous" is kept for claims that do not say what they count;
- no claim is called contradicted unless some method decides it.

>>> from aieco.claims.evidence import Evidence
>>> decide_claim  # doctest: +ELLIPSIS
<function decide_claim at ...>
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from aieco.claims import verdicts as V
from aieco.claims.evidence import (
    UNITS_FOR_MEASURE,
    Answer,
    Evidence,
    Series,
    firm_programme,
    firm_registry_answer,
    firm_registry_missing,
)
from aieco.claims.resolve import claim_years, topic
from aieco.model import Claim, Interval, Verdict

# What a claim's noun needs when no loaded source measures it.
_PAPERS_MISSING = (
    "research-paper counts: no loaded source counts them (ETO CAT's publication tables, "
    "`aieco ingest eto-cat`, or a bibliometric source such as OpenAlex would decide it)"
)
_NOT_MEASURED = {
    "in-force-patents": "patents in force (legal status): no loaded source records it (CNIPA's annual "
    "statistics of valid invention patents would decide it)",
}


# Things a claim may count that no loaded source measures (a claim without a patent noun).
_OTHER_THINGS = re.compile(
    r"\b(researchers?|talents?|engineers|scientists|users|universit(?:y|ies)|data cent(?:re|er)s|EFLOPS|"
    r"computing power|compute|venture capital|investment|funding|market|revenue|graduates|students|jobs|workers|"
    r"employees|models|chips|servers|people|internet|population|GDP)\b|(人才|研究人员|用户|高校|大学|算力|数据中心)",
    re.I,
)


@dataclass(frozen=True)
class _Result:
    series: Series
    value: float | None  # what the method gives, in the claim's terms (count, percent, ratio)
    ok: bool | None  # reproduces / does not / cannot decide
    why: str  # in words, for the message
    period: str


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "?"
    if unit == "percent":
        return f"{x:.1f}%"
    if unit == "ratio":
        return f"×{x:.2f}"
    if unit == "rank":
        return f"rank {x:.0f}"
    return f"{x:,.0f}"


def _not_checkable(missing: str, ev: dict[str, Any]) -> tuple[Verdict, dict[str, Any]]:
    return V.verdict(V.NOT_CHECKABLE, missing=missing), ev


def _fitting(claim: Claim, noun: str, series: list[Series]) -> tuple[list[Series], list[str]]:
    """The series whose unit, attribution and date basis fit what the claim says; notes on the choice."""
    units = UNITS_FOR_MEASURE.get(noun, UNITS_FOR_MEASURE["patents"])
    out = [s for s in series if s.unit in units]
    notes: list[str] = []
    if claim.attribution == "inventor":
        out = [s for s in out if s.attribution == "inventor"]
    elif claim.attribution == "priority-office":
        out = [s for s in out if s.attribution == "priority-office"]
    elif claim.attribution == "office":
        out = [s for s in out if s.attribution in ("office", "priority-office")]
    if claim.date_basis in ("publication", "grant") and not any(s.date_basis == claim.date_basis for s in out):
        return [], [f"the claim counts by {claim.date_basis} year; no loaded method that fits it does"]
    if claim.date_basis and any(s.date_basis == claim.date_basis for s in out):
        out = [s for s in out if s.date_basis == claim.date_basis]
    elif claim.date_basis:
        notes.append(f"the claim says {claim.date_basis} year; no method counts by it, all date bases compared")
    return out, notes


def _window(s: Series, first: int | None, last: int) -> tuple[int, int, bool] | None:
    """The part of [first, last] the series covers and whether it is only a part (None: nothing covered)."""
    cov = s.coverage()
    if cov is None:
        return None
    if s.span is not None:
        if first is None:
            return (cov[0], cov[1], cov[1] < last) if cov[1] <= last else None
        if (first, last) == cov:
            return (first, last, False)
        return None
    a = cov[0] if first is None else max(first, cov[0])
    b = min(last, cov[1])
    if a > b:
        return None
    return a, b, (first is None or a != first or b != last)


def _decide_level(claim: Claim, interval: Interval, s: Series, first: int | None, last: int, share: bool) -> _Result:
    win = _window(s, first, last)
    cov = s.coverage()
    cov_txt = f"{cov[0]}–{cov[1]}" if cov else "no years"
    if win is None:
        return _Result(s, None, None, f"covers {cov_txt}", cov_txt)
    a, b, partial = win
    got = s.value(a, b)
    period = f"{a}-{b}" if a != b else str(a)
    if got is None:
        return _Result(s, None, None, f"gives no figure for {period}", period)
    value, world = got
    incomplete = sorted(y for y in range(a, b + 1) if y in s.incomplete)
    if share:
        if world in (None, 0):
            return _Result(s, None, None, "has no world total", period)
        q = 100.0 * value / float(world)  # type: ignore[arg-type]
        if partial:
            return _Result(s, q, None, f"covers only {period} of the claim's period (a share of a part is "
                           "another figure)", period)  # fmt: skip
        if incomplete and len(incomplete) == b - a + 1:
            return _Result(s, q, None, f"{period} is incomplete in the data", period)
        if incomplete and not interval.contains(q):
            # a share is not monotone: incomplete years may move it either way, so they cannot contradict
            return _Result(s, q, None, f"incomplete years {', '.join(map(str, incomplete))} may move the share",
                           period)  # fmt: skip
        note = f"incomplete years {', '.join(map(str, incomplete))}" if incomplete else ""
        return _Result(s, q, interval.contains(q), note, period)
    q = value
    floor = partial or bool(incomplete)
    if not floor:
        return _Result(s, q, interval.contains(q), "", period)
    what = f"covers only {period}" if partial else f"{', '.join(map(str, incomplete))} incomplete"
    above_hi = interval.hi is not None and (q > interval.hi or (interval.hi_open and q == interval.hi))
    if above_hi:
        return _Result(s, q, False, f"a floor ({what}) already above the claim", period)
    if interval.hi is None and interval.contains(q):
        return _Result(s, q, True, f"a floor ({what}) already above the claim's bound", period)
    if not partial and interval.contains(q):  # the data as loaded reproduces it; later data may add to it
        return _Result(s, q, True, f"incomplete years {', '.join(map(str, incomplete))}: a floor, inside", period)
    return _Result(s, q, None, f"a floor ({what}): the true figure may be higher", period)


def _growth_interval(claim: Claim, sign: int) -> tuple[Interval, str]:
    """The claim's interval as the ratio new/old ("rose 77%" → 1.77), or as a difference (counts)."""
    a = claim.amounts[0]
    iv = a.interval
    if a.unit == "times":
        return iv, "ratio"
    if a.unit == "count":
        if sign < 0:
            return Interval(lo=None if iv.hi is None else -iv.hi, hi=None if iv.lo is None else -iv.lo,
                            lo_open=iv.hi_open, hi_open=iv.lo_open, rule=iv.rule), "difference"  # fmt: skip
        return iv, "difference"

    def f(x: float | None) -> float | None:
        return None if x is None else 1.0 + sign * x / 100.0

    if sign > 0:
        return Interval(lo=f(iv.lo), hi=f(iv.hi), lo_open=iv.lo_open, hi_open=iv.hi_open, rule=iv.rule), "ratio"
    lo = f(iv.hi)
    return Interval(lo=0.0 if lo is None else max(lo, 0.0), hi=f(iv.lo), lo_open=iv.hi_open and lo is not None,
                    hi_open=iv.lo_open, rule=iv.rule), "ratio"  # fmt: skip


def _decide_rank(claim: Claim, s: Series, first: int | None, last: int, evidence: Evidence) -> _Result:
    """A place in the ranking of countries under the method of ``s`` ("ranked first in 2017")."""
    cov = s.coverage()
    if first is None or cov is None or first < cov[0] or last > cov[1] or "of the top" in claim.amounts[0].text:
        return _Result(s, None, None, "ranks a period the method does not cover (or a count within a ranking)",
                       f"{first}-{last}")  # fmt: skip
    period = f"{first}-{last}" if first != last else str(first)
    bad = sorted(y for y in range(first, last + 1) if y in s.incomplete)
    if bad:
        return _Result(s, None, None, f"{', '.join(map(str, bad))} incomplete: a rank may change", period)
    peers = evidence.peers(s, first, last)
    mine = s.value(first, last)
    if not peers or mine is None:
        return _Result(s, None, None, "the method cannot list every country", period)
    rank = 1 + sum(1 for c, v in peers if v > mine[0] and c != claim.subject)
    leader = max(peers, key=lambda t: t[1])
    return _Result(s, float(rank), claim.interval.contains(float(rank)),
                   f"of {len(peers)} countries; first {leader[0]} {leader[1]:,.0f}", period)  # fmt: skip


def _decide_change(
    claim: Claim, s: Series, first: int | None, last: int, sign: int, other: Series | None = None
) -> _Result:
    """Growth (``other`` None: the subject's last year against its first) or a ratio between subjects."""
    cov = s.coverage()
    if s.span is not None or cov is None:
        return _Result(s, None, None, "gives totals only, not years", "")
    if other is None:
        a, b = (last - 1, last) if first is None or first == last else (first, last)
    else:
        a, b = (first if first is not None else last), last
    period = f"{a}-{b}" if a != b else str(a)
    if a < cov[0] or b > cov[1] or (other is not None and other.coverage() is None):
        return _Result(s, None, None, f"covers {cov[0]}–{cov[1]}", period)
    bad = sorted({a, b} & set(s.incomplete) | (set(range(a, b + 1)) & set(other.incomplete) if other else set()))
    if bad:
        return _Result(s, None, None, f"{', '.join(map(str, bad))} incomplete in the data", period)
    if other is None:
        old, new = s.value(a, a), s.value(b, b)
        if not old or not new or old[0] == 0:
            return _Result(s, None, None, "no count in the base year", period)
        iv, how = _growth_interval(claim, sign)
        q = new[0] / old[0] if how == "ratio" else new[0] - old[0]
        return _Result(s, q, iv.contains(q), "", f"{a}→{b}")
    mine, theirs = s.value(a, b), other.value(a, b)
    if not mine or not theirs or theirs[0] == 0:
        return _Result(s, None, None, "no count for the other subject", period)
    q = mine[0] / theirs[0]
    amount = claim.amounts[0]
    iv = amount.interval if amount.unit == "times" else _growth_interval(claim, 1)[0]
    return _Result(s, q, iv.contains(q), "", period)


def decide_claim(claim: Claim, evidence: Evidence, text_date: str | None) -> tuple[Verdict, dict[str, Any]]:
    """The data verdict on a count, share, growth, ratio or per-capita claim and the evidence behind it."""
    ev: dict[str, Any] = {"methods": [], "refused": [], "notes": [], "samples": []}
    head, _, base = (claim.measure or "").partition(":")
    noun = base if claim.kind != "count" else head
    noun = noun or None  # type: ignore[assignment]
    if claim.kind in ("firm-count", "membership") or noun == "firms":
        return _decide_firms(claim, firm_registry_answer(claim, evidence.store), ev)
    if claim.subject is None and noun is None:
        other = _OTHER_THINGS.search(claim.sentence)
        what = (other.group(0) if other else None) or _what_follows(claim)
        if what:
            return _not_checkable(_other_missing(what), ev)
    if claim.subject is None:
        return V.verdict(V.AMBIGUOUS, why="no subject (country, group or firm) could be found"), ev
    if noun is None:
        other = _OTHER_THINGS.search(claim.sentence)
        what = (other.group(0) if other else None) or _what_follows(claim)
        if what:
            return _not_checkable(_other_missing(what), ev)
        return V.verdict(V.AMBIGUOUS, why="the number is not followed by what it counts (patents, applications, "
                         "families, firms, …)"), ev  # fmt: skip
    if noun in _NOT_MEASURED:
        return _not_checkable(_NOT_MEASURED[noun], ev)
    if re.search(r"\buniversit(?:y|ies)\b|\bhospitals?\b|高校|大学", claim.sentence, re.I):
        return _not_checkable("counts by sector (universities): the loaded sources count by country, office or "
                              "inventor, not by sector (a source of applicants or authors by sector would decide it)",
                              ev)  # fmt: skip
    if claim.subject_kind in ("region", "firm", "program"):
        need = {
            "region": f"a definition of the region {claim.subject} as a group of countries (aieco groups)",
            "firm": f"AI patents by applicant firm ({claim.subject}): a source with harmonised applicant "
            "names (e.g. PATSTAT with firm matching)",
            "program": f"a firm registry (aieco ingest firms …) listing the {claim.subject!r} firms",
        }
        return _not_checkable(need[str(claim.subject_kind)], ev)  # fmt: skip
    if claim.attribution == "applicant":
        return _not_checkable("AI patents by applicants' country: the loaded AI sources count by office "
                              "(CSET/1790) and inventor (PATSTAT, NCSES); applicant countries (e.g. PATSTAT "
                              "applicants) would decide it", ev)  # fmt: skip
    if topic(claim) == "genai" or claim.category == "genai":
        return _not_checkable("generative-AI patents: no loaded source flags them (the WIPO GenAI patent "
                              "landscape data would decide it)", ev)  # fmt: skip
    if topic(claim) == "other" and not _about_ai(claim, evidence):
        return _not_checkable("the sentence does not say these are AI patents or papers, and it refers to no "
                              "claim that does; the loaded data count AI only (general patent statistics, e.g. "
                              "WIPO IP Statistics, would decide a claim about all patents)", ev)  # fmt: skip
    if evidence.missing:
        return _not_checkable(evidence.missing, ev)
    if claim.period.part_of_year:
        return _not_checkable(f"the claim is for part of a year ({claim.period.text}); the loaded data counts whole "
                              "years (monthly counts would decide it)", ev)  # fmt: skip
    if claim.subject_kind == "countries":
        members = str(claim.subject).split("+")
        if any(n.endswith(" each") for n in claim.notes):
            return _each(claim, members, evidence, text_date, ev)
    kind = claim.subject_kind or "country"
    first, last, reading = claim_years(claim.period, text_date)
    ev["claim_period"] = reading
    if kind == "countries":
        answer = _together([evidence.answer(m, "country", claim.category) for m in str(claim.subject).split("+")])
    else:
        answer = evidence.answer(claim.subject, kind, claim.category)
    if (
        not evidence.per_year
        and first is not None
        and answer.series
        and all(s.span is not None and s.span != (first, last) for s in answer.series)
    ):
        covs = [s.coverage() for s in answer.series]
        if all(c and c[0] <= first and last <= c[1] for c in covs):
            answer = evidence.answer(claim.subject, kind, claim.category, (first, last))
    ev["samples"] = answer.samples
    if answer.missing:
        return _not_checkable(answer.missing, ev)
    units = UNITS_FOR_MEASURE.get(noun, UNITS_FOR_MEASURE["patents"])
    ev["refused"] = [{k: r.get(k) for k in ("source", "unit", "attribution", "counting", "category", "reason")}
                     for r in answer.refused if r.get("unit") in units or r.get("unit") is None]  # fmt: skip
    if not answer.series:
        why = "; ".join(str(r["reason"]) for r in ev["refused"][:2])
        return _not_checkable(f"the loaded data has no rows for {claim.subject}" + (f" ({why})" if why else ""), ev)
    fitting, notes = _fitting(claim, noun, answer.series)
    ev["notes"].extend(notes)
    if not fitting and claim.date_basis in ("publication", "grant"):
        return _not_checkable(f"{notes[0]} (the loaded methods count by "
                              f"{', '.join(sorted({s.date_basis for s in answer.series}))} year; documents with "
                              f"{claim.date_basis} dates would decide it)", ev)  # fmt: skip
    if not fitting and noun != "papers":
        have = sorted({f"{s.unit} by {s.attribution}" for s in answer.series if s.unit != "article"})
        reasons = "; ".join(f"{r['unit']}: {r['reason']}" for r in ev["refused"][:3] if r.get("unit"))
        return _not_checkable(
            f"no method counts {noun} ({', '.join(units) or 'none'})"
            f"{' by ' + claim.attribution if claim.attribution else ''}; the data gives {', '.join(have)}"
            + (f" ({reasons})" if reasons else ""), ev)  # fmt: skip
    if noun == "papers" and not fitting:
        return _not_checkable(_PAPERS_MISSING, ev)
    results: list[_Result]
    unit = "count"
    if claim.kind == "per-capita":
        if first is None or first != last:
            return _not_checkable("a per-capita figure for one year is compared; the claim is " + reading, ev)
        fitting = _per_capita(fitting, evidence, str(claim.subject), kind)
        if not fitting:
            return _not_checkable("per-capita figures need population by year (WDI SP.POP.TOTL) for "
                                  f"{claim.subject}, which is not loaded", ev)  # fmt: skip
    if claim.kind in ("share",):
        if claim.subject == "world":
            return V.verdict(V.AMBIGUOUS, why="a share of the world held by the world"), ev
        unit = "percent"
        results = [_decide_level(claim, claim.interval, s, first, last, True) for s in fitting]
    elif claim.kind == "growth":
        sign = -1 if "a fall" in claim.notes else 1
        unit = "ratio" if claim.amounts[0].unit != "count" else "count"
        results = [_decide_change(claim, s, first, last, sign) for s in fitting]
    elif claim.kind == "ratio":
        if not claim.versus:
            return V.verdict(V.AMBIGUOUS, why="a ratio without the subject it is compared with"), ev
        other = evidence.answer(claim.versus, "country", claim.category)
        theirs = {_key(s): s for s in other.series}
        unit = "ratio"
        results = [_decide_change(claim, s, first, last, 1, theirs[_key(s)]) for s in fitting if _key(s) in theirs]
        if not results:
            return _not_checkable(f"no method counts both {claim.subject} and {claim.versus}", ev)
    elif claim.kind == "rank":
        unit = "rank"
        results = [_decide_rank(claim, s, first, last, evidence) for s in fitting]
    else:
        results = [_decide_level(claim, claim.interval, s, first, last, False) for s in fitting]
    out = _verdict(claim, results, unit, reading, ev)
    if claim.kind in ("share", "count") and noun != "papers":
        ev["context"] = [{**s.row(), **_own(claim, s, unit), "why_not": f"counts {s.unit} by {s.attribution}, not "
                          f"{noun}"} for s in answer.series if s not in fitting and s.unit != "article"]  # fmt: skip
    return out


def _per_capita(series: list[Series], evidence: Evidence, subject: str, kind: str) -> list[Series]:
    """Each per-year series divided by the subject's population (per million people), and OWID's published
    per-million figures."""
    if kind != "country" or evidence.aggregates is None:
        return []
    pop = evidence.aggregates.population(subject)
    out = []
    for s in series:
        if s.span is not None:
            continue
        values = {y: v / pop[y] * 1e6 for y, v in s.values.items() if pop.get(y)}
        if values:
            out.append(
                replace(
                    s,
                    values=values,
                    world=None,
                    note=(s.note + "; " if s.note else "") + "per million people (WDI SP.POP.TOTL)",
                )
            )
    units = {s.unit for s in series}
    return out + [s for s in evidence.aggregates.per_million(subject) if s.unit in units]


def _about_ai(claim: Claim, evidence: Evidence) -> bool:
    """A claim whose sentence does not say AI is about AI when it names an AI technique or refers back to an
    earlier claim (``links``, set by resolve)."""
    # an AI technique named ("machine learning patents") says AI too
    return bool(claim.links or claim.category) or any("refers back" in n for n in claim.notes)


def _decide_firms(claim: Claim, answer: Any, ev: dict[str, Any]) -> tuple[Verdict, dict[str, Any]]:
    """A firm claim against the loaded registries. A registry may list only part of a programme, so its counts
    are floors: a count inside the claim's interval supports it, one above its upper bound contradicts it, one
    below is undecided; a firm found in it supports membership, a firm not found decides nothing."""
    if answer is None or answer.firms is None or not answer.firms:
        return _not_checkable(firm_registry_missing(claim, answer), ev)
    ev["registry"] = answer.to_dict()
    programme, firm = firm_programme(claim)
    regs = ", ".join(answer.registries)
    by = f"firm registries {regs} (sha256 {', '.join(h[:12] for h in answer.registry_sha256)})"
    if firm is not None:
        if answer.firm_found:
            return V.verdict(V.SUPPORTED, n=1, what="firm registry lookup", detail=f"{firm} is listed among the "
                             f"{answer.firms:,} {programme!r} firms as {', '.join(answer.firm_found_as)}",
                             decided_by=by), ev  # fmt: skip
        return _not_checkable(f"{firm} is not among the {answer.firms:,} {programme!r} firms of {regs}; a "
                              "registry that may list only part of the programme cannot show a firm is not in "
                              "it", ev)  # fmt: skip
    counts = [("firms of the programme", answer.firms)]
    if answer.firms_ai_industry is not None:
        counts.append(("of them in an AI industry (registry field)", answer.firms_ai_industry))
    if answer.firms_with_ai is not None:
        counts.append((f"of them with at least one AI document ({answer.definition or 'any definition'})",
                       answer.firms_with_ai))  # fmt: skip
    # a claim about AI firms is decided by the AI counts, one about the programme by its firm count; the
    # other counts are shown beside them
    ai = topic(claim) != "other"
    iv = claim.interval
    rows = []
    for i, (label, value) in enumerate(counts):
        if (i > 0) != ai:
            continue
        ok = True if iv.contains(value) else False if iv.hi is not None and value > iv.hi else None
        rows.append((label, value, ok))
    ev["methods"] = [{"method": label, "value": value, "reproduces": ok, "floor": True} for label, value, ok in rows]
    ev["notes"].extend(f"context: {label} {value:,}" for i, (label, value) in enumerate(counts) if (i > 0) != ai)
    detail = (
        "; ".join(f"{label}: {value:,} (a floor)" for label, value, _ in rows)
        if rows
        else "no count of AI firms: " + ("; ".join(answer.missing) or "links or classification missing")
    )
    decided = [r for r in rows if r[2] is not None]
    if not decided:
        missing = f"; also {'; '.join(answer.missing)}" if answer.missing else ""
        return _not_checkable(f"the loaded registries ({regs}) list {detail} — floors below the claim's interval "
                              f"{iv.label()}: a registry may list only part of the programme{missing}", ev)  # fmt: skip
    good = [r for r in decided if r[2]]
    if len(good) == len(decided):
        return V.verdict(V.SUPPORTED, n=len(decided), what="registry count(s)", interval=iv.label(), detail=detail,
                         decided_by=by), ev  # fmt: skip
    if good:
        return V.verdict(V.SOME, k=len(good), n=len(decided), what="registry count(s)", interval=iv.label(),
                         detail=detail, decided_by=by), ev  # fmt: skip
    return V.verdict(V.CONTRADICTED, n=len(decided), what="registry count(s)", interval=iv.label(), detail=detail,
                     decided_by=by), ev  # fmt: skip


def _key(s: Series) -> tuple[str, ...]:
    return (s.provider, s.source, s.definition, s.unit, s.attribution, s.counting, s.date_basis, s.category)


def _together(answers: list[Answer]) -> Answer:
    """The answer for coordinated subjects taken together: per method, their values summed year by year."""
    first, rest = answers[0], answers[1:]
    missing = next((a.missing for a in answers if a.missing), None)
    out = Answer(refused=first.refused, samples=first.samples, missing=missing)
    for s in first.series:
        others = [next((o for o in a.series if _key(o) == _key(s)), None) for a in rest]
        if any(o is None for o in others):
            continue
        if s.span is not None:
            total = (s.total or 0.0) + sum(o.total or 0.0 for o in others if o is not None)
            out.series.append(replace(s, total=total))
            continue
        values = dict(s.values)
        for o in others:
            assert o is not None
            for y, v in o.values.items():
                values[y] = values.get(y, 0.0) + v
        out.series.append(replace(s, values=values))
    return out


def _each(
    claim: Claim, members: list[str], evidence: Evidence, text_date: str | None, ev: dict[str, Any]
) -> tuple[Verdict, dict[str, Any]]:
    """ "Japan and Korea each received more than 800": every member must reproduce the claim."""
    parts = [(m, *decide_claim(replace(claim, subject=m, subject_kind="country"), evidence, text_date))
             for m in members]  # fmt: skip
    ev["members"] = {m: {"verdict": v.id, "message": v.message, **e} for m, v, e in parts}
    ids = [v.id for _, v, _ in parts]
    detail = "; ".join(f"{m}: {v.message}" for m, v, _ in parts)
    if all(i == V.SUPPORTED for i in ids):
        return V.verdict(V.SUPPORTED, n=len(parts), what="subjects (each)", detail=detail,
                         decided_by="each subject's methods"), ev  # fmt: skip
    if any(i == V.CONTRADICTED for i in ids):
        return V.verdict(V.CONTRADICTED, n=len(parts), what="subjects (each)", scope="", detail=detail,
                         decided_by="each subject's methods"), ev  # fmt: skip
    if any(i in (V.NOT_CHECKABLE, V.AMBIGUOUS) for i in ids):
        return _not_checkable(f"not every subject can be decided: {detail}", ev)
    return V.verdict(V.SOME, k="some", n=len(parts), what="subjects (each)", detail=detail,
                     decided_by="each subject's methods"), ev  # fmt: skip


def _other_missing(what: str) -> str:
    return (f"the checker compares AI patent counts, and no source it reads counts {what!r} (a source of that "
            "measure would decide it; context indicators such as WDI population or internet use, when loaded, "
            "are not read by the checker)")  # fmt: skip


def _what_follows(claim: Claim) -> str | None:
    """The noun right after a number that names no measure aieco knows ("230 EFLOPS", "100 million users")."""
    at = claim.sentence.find(claim.text)
    rest = claim.sentence[at + len(claim.text) :] if at >= 0 else ""
    m = re.match(r"^\s+(?:AI\s+|new\s+)?([A-Za-z][A-Za-z-]{2,})\b", rest)
    if not m:
        return None
    word = m.group(1)
    if word.lower() in {
        "of",
        "that",
        "were",
        "was",
        "are",
        "is",
        "in",
        "to",
        "and",
        "the",
        "had",
        "have",
        "has",
        "year",
        "went",
        "from",
        "for",
        "with",
        "them",
        "this",
    }:
        return None
    return word


def _own(claim: Claim, s: Series, unit: str) -> dict[str, Any]:
    """What the method gives for its own whole period, and whether that alone would reproduce the claim (context
    for a claim no method decides: "nearly 40%" against every source's own figure)."""
    cov = s.coverage()
    if cov is None or unit not in ("count", "percent"):
        return {}
    got = s.value(*cov)
    if got is None:
        return {}
    v, w = got
    q = (100.0 * v / w if w else None) if unit == "percent" else v
    if q is None:
        return {}
    out: dict[str, Any] = {"own_period": f"{cov[0]}-{cov[1]}", "own_value": q,
                           "own_reproduces": claim.interval.contains(q)}  # fmt: skip
    if claim.period.kind == "unstated" and s.span is None:
        # which single years would reproduce it: what a claim without a period may be about
        years = []
        for y in range(cov[0], cov[1] + 1):
            g = s.value(y, y)
            if g is None or y in s.incomplete:
                continue
            x = (100.0 * g[0] / g[1] if g[1] else None) if unit == "percent" else g[0]
            if x is not None and claim.interval.contains(x):
                years.append(y)
        out["years_reproducing"] = years
    return out


def _named(m: dict[str, Any]) -> str:
    """A method row's source as :meth:`Series.label` names it: with its definition for a classified source."""
    named = m.get("provider") == "grid" and m.get("definition") not in (None, "all")
    return f"{m['source']}({m['definition']})" if named else str(m["source"])


def _verdict(
    claim: Claim, results: list[_Result], unit: str, reading: str, ev: dict[str, Any]
) -> tuple[Verdict, dict[str, Any]]:
    if claim.period.kind == "unstated":
        # a claim that states no period is read as cumulative to the text's date, a guess: it may support the
        # claim, never contradict it ("just 20 documents" may be a year's figure)
        results = [r if r.ok is not False else _Result(r.series, r.value, None, (r.why + "; " if r.why else "")
                   + "the claim states no period: read as cumulative, which cannot contradict it", r.period)
                   for r in results]  # fmt: skip
    ev["methods"] = [{**r.series.row(), "period": r.period, "compared": r.value, "reproduces": r.ok,
                      "why": r.why.strip() or None, **_own(claim, r.series, unit)} for r in results]  # fmt: skip
    known = [r.value for r in results if r.value is not None]
    ev["range"] = {"min": min(known) if known else None, "max": max(known) if known else None,
                   "unit": unit}  # fmt: skip
    decided = [r for r in results if r.ok is not None]
    interval = claim.interval.label()
    sources = sorted({r.series.name for r in decided})
    if not decided:
        spread = "; ".join(f"{r.series.label()} {r.period}: {_fmt(r.value, unit)} ({r.why.strip()})"
                           for r in results[:8])  # fmt: skip
        covs = sorted({f"{c[0]}–{c[1]}" for r in results for c in [r.series.coverage()] if c})
        own = "; ".join(
            f"{_named(m)} {m['unit']}/{m['attribution']}/{m['counting']} {m['own_period']} "
            f"{_fmt(m['own_value'], unit)} ({'would support' if m['own_reproduces'] else 'would not support'} it)"
            for m in ev["methods"] if m.get("own_value") is not None
        )[:1500]  # fmt: skip
        years = "; ".join(f"{_named(m)} {m['unit']}/{m['counting']} {', '.join(map(str, m['years_reproducing']))}"
                          for m in ev["methods"] if m.get("years_reproducing"))  # fmt: skip
        return _not_checkable(
            f"no method decides it — the claim is {reading}; the data covers {', '.join(covs) or 'no years'}: "
            f"{spread}" + (f". Were the claim about each method's own period: {own}" if own else "")
            + (f". Complete single years that would reproduce it: {years}" if years else ""), ev)  # fmt: skip
    good = [r for r in decided if r.ok]
    n, k = len(decided), len(good)

    def show(rs: list[_Result]) -> str:
        return ", ".join(f"{r.series.label()} {r.period} {_fmt(r.value, unit)}"
                         + (f" ({r.why.strip()})" if r.why.strip() else "") for r in rs[:8])  # fmt: skip

    undecided = [r for r in results if r.ok is None]
    tail = f"; undecided: {show(undecided)}" if undecided else ""
    by = f"{', '.join(sources)} ({n} method(s) that decide it)"
    if k == n:
        return V.verdict(V.SUPPORTED, n=n, what="method(s) that decide it", interval=interval,
                         detail=show(decided) + tail, decided_by=by, reading=reading), ev  # fmt: skip
    if k:
        detail = show(good) + "; the others give " + show([r for r in decided if not r.ok]) + tail
        return V.verdict(V.SOME, k=k, n=n, what="method(s) that decide it", interval=interval, detail=detail,
                         decided_by=by, reading=reading), ev  # fmt: skip
    return V.verdict(V.CONTRADICTED, n=n, what="method(s) that decide it", interval=interval,
                     detail=show(decided) + tail, decided_by=by, reading=reading), ev  # fmt: skip
