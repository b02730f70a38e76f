"""Plain-text renderings of typed results, shared by the CLI and the demo (so the two never drift apart)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aieco.results import Agreement, GridResult


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


def agreement_heading(a: Agreement) -> str:
    files = ", ".join(f"{Path(f.path).name} sha256 {f.sha256[:12]}" for f in a.reference_files)
    compared = ", ".join(f"{s} {n:,}" for s, n in a.by_source.items()) or "none"
    return (
        f"{a.definition} {a.version} against the {a.reference} ({files}), documents of other sources "
        f"published {a.window[0]} to {a.window[1]}: {compared}"
    )


def agreement_summary(a: Agreement) -> str:
    """One line: the counts and precision / recall (the demo's line)."""
    return (
        f"{a.definition} against the {a.reference}, {a.documents:,} documents of other sources published "
        f"{a.window[0][:4]}-{a.window[1][:4]}: AI for both {a.ai_both:,}, for CSET only {a.ai_cset_only:,}, "
        f"for aieco only {a.ai_aieco_only:,} (precision {_pct(a.precision)}, recall {_pct(a.recall)}; "
        "`aieco agreement`)"
    )


def agreement_matrix(a: Agreement) -> list[dict[str, Any]]:
    return [
        {"": "CSET: AI", "aieco: AI": a.ai_both, "aieco: not AI": a.ai_cset_only},
        {"": "CSET: not listed", "aieco: AI": a.ai_aieco_only, "aieco: not AI": a.ai_neither},
    ]


def agreement_rates(a: Agreement) -> str:
    return (
        f"precision {_pct(a.precision)} (aieco's AI documents that CSET lists), recall {_pct(a.recall)} "
        "(CSET's that aieco finds)"
    )


def grid_lines(g: GridResult) -> list[str]:
    """The demo's lines: one per method, then the spread per subject."""
    out = [
        f"{r.unit:15} by {r.attribution:7} {r.counting:10} {r.value:>10,.0f} of {r.world:>9,.0f} = "
        f"{_pct(r.share):>6}  (incomplete: {', '.join(map(str, r.incomplete_years))})"
        for r in g.rows
    ]
    out += [f"spread: {_pct(s.min_share)} ({s.min_method}) to {_pct(s.max_share)} ({s.max_method})" for s in g.spread]
    return out
