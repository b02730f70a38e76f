"""The reference ledger: published headline figures (package data, versioned) and matching claims to them.

A match with a published figure is reported apart from a reproduction from data: it says a claim agrees with
what someone published, not that aieco's data gives it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from aieco.claims.numbers import interval
from aieco.claims.resolve import topic
from aieco.errors import DefinitionError
from aieco.model import Amount, Claim, Interval

_REQUIRED = ("id", "value", "unit", "subject", "measure", "topic", "period", "method", "citation")
_PATENT_MEASURES = {"applications", "families", "grants", "in-force-patents", "documents", "patents"}
# How far (relative) a published figure may lie from a claim's number to be shown as "near".
NEAR = 0.25


@cache
def ledger() -> dict[str, Any]:
    """The ledger file as loaded: {version, updated, figures: [...]}, each figure checked for its fields."""
    text = resources.files("aieco").joinpath("data/reference_figures.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    for i, fig in enumerate(data.get("figures", [])):
        missing = [k for k in _REQUIRED if k not in fig]
        if missing:
            raise DefinitionError(f"reference_figures.yaml: figure {i + 1} lacks {', '.join(missing)}")
        figure_interval(fig)  # an unknown qualifier is an error at load, not at the first claim
    return data


def figures() -> list[dict[str, Any]]:
    return list(ledger()["figures"])


def _split(measure: str | None) -> tuple[str | None, str | None]:
    if measure and ":" in measure:
        head, base = measure.split(":", 1)
        return head, base
    return measure, None


def _measure_fits(claim_m: str | None, fig_m: str | None) -> bool:
    if claim_m is None or fig_m is None:
        return claim_m is None
    if claim_m == fig_m:
        return True
    # "patents" in a news text can mean any patent unit
    return claim_m == "patents" and fig_m in _PATENT_MEASURES


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def _period_differs(claim: Claim, period: dict[str, Any], text_date: str | None = None) -> str | None:
    """Why the figure's period is not the claim's, or None when they fit. A claim that states no period is
    read as of the article's date (``text_date``, to the year); without one it fits no figure."""
    cp = claim.period
    if cp.kind == "unstated":
        if text_date and period.get("kind") == "as-of" and _year(text_date) == _year(period.get("end")):
            return None
        written = f", written {text_date[:7]}" if text_date else ""
        return f"period {_period_label(period)} vs the claim's (unstated{written})"
    fkind = period.get("kind")
    if cp.kind == "as-of" and fkind == "as-of":
        if period.get("precision") == "year":
            if _year(cp.end) == _year(period.get("end")):
                return None
        elif cp.end == period.get("end"):
            return None
    if cp.kind == "range" and fkind == "range":
        if _year(cp.start) == _year(period.get("start")) and _year(cp.end) == _year(period.get("end")):
            return None
    return f"period {_period_label(period)} vs the claim's {cp.text or cp.kind}"


def _period_label(p: dict[str, Any]) -> str:
    if p.get("kind") == "as-of":
        end = str(p.get("end"))
        return f"as of {end[:4] if p.get('precision') == 'year' else end}"
    return f"{str(p.get('start'))[:7]}..{str(p.get('end'))[:7]}"


def value_label(fig: dict[str, Any]) -> str:
    """The figure as published, with its qualifier: "more than 1,500,000 count", "nearly 40 percent"."""
    words = _QUALIFIER_WORDS.get(fig.get("qualifier") or "exact")
    return f"{words + ' ' if words else ''}{fig['value']:,} {fig['unit']}"


def figure_summary(fig: dict[str, Any]) -> dict[str, Any]:
    c = fig["citation"]
    return {
        "id": fig["id"],
        "value": fig["value"],
        "qualifier": fig.get("qualifier") or "exact",
        "value_label": value_label(fig),
        "unit": fig["unit"],
        "subject": fig["subject"],
        "measure": fig["measure"],
        "topic": fig["topic"],
        "period": _period_label(fig["period"]),
        "method": fig["method"],
        "citation": f"{c.get('publisher')}, {c.get('title')} ({c.get('year')})"
        + (f" {c['url']}" if c.get("url") else ""),
    }


# The ledger's qualifier ids and the words of the text they stand for (aieco.claims.numbers reads the words).
_QUALIFIER_WORDS = {"more-than": "more than", "nearly": "nearly", "about": "about", "exact": None}
# Claim measures a published figure's measure fits besides its own: the checker reads "industry" without
# telling the core AI industry from the wider one, so a core-industry figure is shown as a match and says so.
_FITS_ALSO = {"industry-size": {"core-industry-size"}}


def figure_interval(fig: dict[str, Any]) -> Interval:
    """The values a published figure allows: its ``qualifier`` read as the same words in a text would be
    ("more-than" 1,500,000 is (1.5e6, inf), "nearly" 40 is [36, 40)); an exact figure is the point."""
    q = fig.get("qualifier") or "exact"
    if q not in _QUALIFIER_WORDS:
        raise DefinitionError(f"reference_figures.yaml: figure {fig['id']}: unknown qualifier {q!r}")
    return interval(float(fig["value"]), 0.0, _QUALIFIER_WORDS[q])


def _overlap(a: Interval, b: Interval) -> bool:
    lo = max((x for x in (a.lo, b.lo) if x is not None), default=None)
    hi = min((x for x in (a.hi, b.hi) if x is not None), default=None)
    if lo is None or hi is None or lo < hi:
        return True
    return lo == hi and a.contains(lo) and b.contains(lo)


def _claim_units(claim: Claim) -> list[tuple[Amount, str]]:
    """The claim's amounts a published figure may match, each with the ledger unit it is in: the first of a
    count or share, every amount of a money claim (a conversion pair "600 billion yuan (about 83.45 billion
    U.S. dollars)" is two figures)."""
    if not claim.amounts:
        return []
    if claim.kind == "money":
        return [(a, a.unit) for a in claim.amounts]
    if claim.kind == "share":
        return [(claim.amounts[0], "percent")]
    return [(claim.amounts[0], "count")] if claim.kind in ("count", "firm-count") else []


def _programme_measure(claim: Claim) -> str | None:
    """A firm-count claim about a programme ("over 400 'little giant' firms") as the ledger names its measure."""
    if claim.kind != "firm-count" or not claim.subject:
        return None
    return "-".join(str(claim.subject).lower().split()) + "-firms"


def _inside(iv: Interval, value: float) -> bool:
    """The figure is in the claim's interval; for an open interval ("more than 250,000") only when it is also
    within :data:`NEAR` of the bound: "more than X" does not match every larger figure."""
    if not iv.contains(value):
        return False
    if iv.hi is None and iv.lo:
        return value <= iv.lo * (1 + NEAR)
    if iv.lo in (None, 0.0) and iv.hi:
        return value >= iv.hi * (1 - NEAR)
    return True


def match(claim: Claim, *, text_date: str | None = None) -> dict[str, Any]:
    """Published figures that match ``claim`` (value in the claim's interval, the same subject, measure, topic
    and period), figures near it (within 25%), and related ones (same subject and unit, something else
    differs: said which). A claim without a subject matches no figure."""
    out: dict[str, Any] = {
        "ledger_version": ledger().get("version"),
        "matches": [],
        "near": [],
        "related": [],
    }
    c_head, c_base = _split(claim.measure)
    c_topic = topic(claim)
    programme = _programme_measure(claim)
    for amount, unit, fig in ((a, u, f) for a, u in _claim_units(claim) for f in figures()):
        if fig["unit"] != unit:
            continue
        if programme is not None:
            # the claim names the programme, not a country: the figure's country is said in the summary
            if fig["measure"] != programme:
                continue
        elif fig["subject"] != claim.subject:
            continue
        f_head, f_base = _split(fig["measure"])
        differs: list[str] = []
        if programme is None and unit == "percent":
            if not (c_head or "").startswith("share") or not (f_head or "").startswith("share"):
                differs.append(f"measure {fig['measure']} vs {claim.measure}")
            elif not _measure_fits(c_base, f_base):
                differs.append(f"share of {f_base} vs share of {c_base}")
        elif programme is None and not (_measure_fits(c_head, f_head) or f_head in _FITS_ALSO.get(c_head or "", ())):
            differs.append(f"measure {fig['measure']} vs {claim.measure}")
        if c_topic != "other" and fig["topic"] != c_topic:
            differs.append(f"topic {fig['topic']} vs {c_topic}")
        why_period = _period_differs(claim, fig["period"], text_date)
        if why_period:
            differs.append(why_period)
        summary = figure_summary(fig)
        rel = (float(fig["value"]) - amount.value) / amount.value if amount.value else None
        if fig.get("qualifier"):
            # a figure published with a qualifier ("surpassed 1.5 million") matches a claim whose interval meets
            # the figure's and whose number is the figure's, within NEAR (the claim restates it)
            inside = _overlap(amount.interval, figure_interval(fig)) and rel is not None and abs(rel) <= NEAR
        else:
            inside = _inside(amount.interval, float(fig["value"]))
        summary["relative_difference"] = rel
        if not differs and inside:
            notes = []
            if claim.period.kind == "unstated":
                notes.append(f"the claim states no period; the figure is {summary['period']}")
            if programme is not None:
                notes.append(f"the claim names no country; the figure is {fig['subject']}'s")
            if f_head != c_head and programme is None and unit not in ("percent",):
                notes.append(f"the figure is the {f_head}, the claim says {c_head}")
            if notes:
                summary["note"] = "; ".join(notes)
            out["matches"].append(summary)
        elif not differs and rel is not None and abs(rel) <= NEAR:
            out["near"].append(
                {
                    **summary,
                    "why_not": f"{value_label(fig)} is outside the claim's interval {amount.interval.label()}",
                }
            )
        else:
            out["related"].append(
                {
                    **summary,
                    "why_not": "; ".join(differs)
                    or f"{value_label(fig)} is far from the claim's interval {amount.interval.label()}",
                }
            )
    return out
