"""The reference ledger: published headline figures (package data, versioned) and matching claims to them.

A match with a published figure is reported apart from a reproduction from data: it says a claim agrees with
what someone published, not that aieco's data gives it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from aieco.claims.resolve import topic
from aieco.errors import DefinitionError
from aieco.model import Claim

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


def figure_summary(fig: dict[str, Any]) -> dict[str, Any]:
    c = fig["citation"]
    return {
        "id": fig["id"],
        "value": fig["value"],
        "unit": fig["unit"],
        "subject": fig["subject"],
        "measure": fig["measure"],
        "topic": fig["topic"],
        "period": _period_label(fig["period"]),
        "method": fig["method"],
        "citation": f"{c.get('publisher')}, {c.get('title')} ({c.get('year')})"
        + (f" {c['url']}" if c.get("url") else ""),
    }


def _inside(claim: Claim, value: float) -> bool:
    """The figure is in the claim's interval; for an open interval ("more than 250,000") only when it is also
    within :data:`NEAR` of the bound: "more than X" does not match every larger figure."""
    iv = claim.interval
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
    if claim.kind not in ("count", "share") or not claim.amounts:
        return out
    amount = claim.amounts[0]
    unit = "percent" if claim.kind == "share" else "count"
    c_head, c_base = _split(claim.measure)
    c_topic = topic(claim)
    for fig in figures():
        if fig["unit"] != unit or fig["subject"] != claim.subject:
            continue
        f_head, f_base = _split(fig["measure"])
        differs: list[str] = []
        if unit == "percent":
            if not (c_head or "").startswith("share") or not (f_head or "").startswith("share"):
                differs.append(f"measure {fig['measure']} vs {claim.measure}")
            elif not _measure_fits(c_base, f_base):
                differs.append(f"share of {f_base} vs share of {c_base}")
        elif not _measure_fits(c_head, f_head):
            differs.append(f"measure {fig['measure']} vs {claim.measure}")
        if c_topic != "other" and fig["topic"] != c_topic:
            differs.append(f"topic {fig['topic']} vs {c_topic}")
        why_period = _period_differs(claim, fig["period"], text_date)
        if why_period:
            differs.append(why_period)
        summary = figure_summary(fig)
        inside = _inside(claim, float(fig["value"]))
        rel = (float(fig["value"]) - amount.value) / amount.value if amount.value else None
        summary["relative_difference"] = rel
        if not differs and inside:
            if claim.period.kind == "unstated":
                summary["note"] = f"the claim states no period; the figure is {summary['period']}"
            out["matches"].append(summary)
        elif not differs and rel is not None and abs(rel) <= NEAR:
            out["near"].append(
                {
                    **summary,
                    "why_not": f"{fig['value']:,} is outside the claim's interval {amount.interval.label()}",
                }
            )
        else:
            out["related"].append(
                {
                    **summary,
                    "why_not": "; ".join(differs)
                    or f"{fig['value']:,} is far from the claim's interval {amount.interval.label()}",
                }
            )
    return out
