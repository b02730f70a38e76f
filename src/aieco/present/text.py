"""Plain-text renderings of typed results, shared by the CLI and the demo (so the two never drift apart)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aieco.results import Agreement, CompareResult, GridResult, Profile


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
    """The demo's lines: one per method, then the spread per subject; with no method the data supports, one
    line saying so and what every refused method would need."""
    if not g.rows:
        sources = ", ".join(dict.fromkeys(r.source for r in g.refused)) or "the loaded"
        needs = "; ".join(dict.fromkeys(m for r in g.refused for m in r.missing))
        return [f"no method can be computed: all {len(g.refused)} methods refused, none of the {sources} documents "
                f"has what they need ({needs or 'no documents'})"]
    out = [
        f"{r.unit:15} by {r.attribution:7} {r.counting:10} {r.value:>10,.0f} of {r.world:>9,.0f} = "
        f"{_pct(r.share):>6}  (incomplete: {', '.join(map(str, r.incomplete_years))})"
        for r in g.rows
    ]
    out += [f"spread: {_pct(s.min_share)} ({s.min_method}) to {_pct(s.max_share)} ({s.max_method})" for s in g.spread]
    return out


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.2f}" if abs(v) >= 0.1 else f"{v:.3g}"


def compare_headline(c: CompareResult) -> str:
    """One line: the group's own row (the sum over its members of that year) for every column, and how many
    members the publishers list."""
    group = next((r for r in c.rows if r.kind == "group"), None)
    parts = []
    for col in c.columns:
        cell = group.cell(col.id) if group else None
        if cell is None or cell.value is None:
            continue
        value = cell.value / 1e6 if col.id == "population" else cell.value / 1e9 if col.id == "gdp" else cell.value
        unit = " m" if col.id == "population" else " USD bn" if col.id == "gdp" else (
            f" {col.unit}" if "USD" in col.unit else "")
        listed = sum(1 for r in c.rows if r.kind != "group" and (m := r.cell(col.id)) and m.value is not None)
        parts.append(f"{col.label} {_num(value)}{'*' if cell.complete is False else ''}{unit} "
                     f"({col.publisher} {col.table} {col.period}, {listed}/{len(c.members)})")
    head = f"{c.group} ({c.title}), {len(c.members)} members on 31 December {c.year}: "
    return head + ("; ".join(parts) if parts else "no published figure for its members") + (
        f"; not loaded: {', '.join(c.missing)}" if c.missing else "")


def profile_line(p: Profile) -> str:
    """One line: how many published figures the profile holds, from which publishers, and one figure per
    publisher × measure (its publisher's period total where there is one)."""
    if not p.rows:
        return f"{p.country} ({p.name}): no published aggregates loaded (aieco ingest eto-cat|ncses|wdi)"
    seen: dict[tuple[str, str], str] = {}
    for r in p.rows:
        key = (r.publisher, r.measure)
        if key in seen or r.value is None:
            continue
        flag = "*" if r.complete is False else ""
        when = r.value_basis if r.value_basis.startswith("value in") else r.period
        seen[key] = f"{r.measure} {_num(r.value)}{flag} ({r.publisher} {r.table} {when})"
    publishers = sorted({r.publisher for r in p.rows})
    return (f"{p.country} ({p.name}): {len(p.rows)} published figures from {', '.join(publishers)}: "
            + "; ".join(seen.values()) + " (* = a year marked incomplete)")
