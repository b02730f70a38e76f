"""Vega-Lite charts (built with Altair) of typed results; each comes with the caption that labels it.

A caption says the chart's method, definition id and version, and the source files with their sha256, so a
chart cut out of the report still says where its numbers come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aieco.results import CompareResult, Coverage, GridResult, GridRow

DIVIDE_ID = "digital-divide"
_FAMILIES, _INTERNET = "eto-families-per-million", "internet-users-pct"


@dataclass(frozen=True, kw_only=True)
class Chart:
    """A chart's Vega-Lite spec, its title and the caption that labels its numbers."""

    id: str
    title: str
    spec: dict[str, Any]
    caption: str


def _alt() -> Any:
    import altair as alt

    alt.data_transformers.disable_max_rows()
    return alt


def _sha_label(sha: str) -> str:
    return ", ".join(s[:12] for s in sha.split(";") if s) or "none"


def _provenance(rows: Sequence[GridRow]) -> str:
    defs = sorted({f"{r.definition} {r.definition_version}".strip() for r in rows})
    sources = sorted({f"{r.source} (sha256 {_sha_label(r.source_sha256)})" for r in rows})
    return f"definition {'; '.join(defs) or 'none'}; source {'; '.join(sources) or 'none'}"


def by_year_office(cov: Coverage, runs_sha: dict[str, str]) -> Chart | None:
    """AI documents per priority year, stacked by office of publication."""
    if not cov.by_year_office:
        return None
    alt = _alt()
    data = [c.to_dict() for c in cov.by_year_office]
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="priority year"),
            y=alt.Y("sum(documents):Q", title="AI documents"),
            color=alt.Color("office:N", title="office"),
            tooltip=["source:N", "office:N", "year:O", "documents:Q", "families:Q"],
        )
        .properties(width="container", height=260)
        .to_dict()
    )
    sources = sorted({c.source for c in cov.by_year_office})
    caption = (
        "Method: documents (and families) by office of publication, whole counting, priority year; "
        "definition: the source's own (CSET/1790 database as published); source "
        + "; ".join(f"{s} (sha256 {_sha_label(runs_sha.get(s, ''))})" for s in sources)
    )
    return Chart(id="by-year-office", title="AI patents by year and office", spec=spec, caption=caption)


def share_spread(result: GridResult, *, title: str, chart_id: str) -> Chart | None:
    """The share of the subject under every method: one dot per method, the spread of answers."""
    rows = [r for r in result.rows if r.share is not None and r.world]
    if not rows:
        return None
    alt = _alt()
    data = [
        {
            "subject": r.subject,
            "method": r.method_label(),
            "share": r.share,
            "source": r.source,
            "definition": f"{r.definition} {r.definition_version}".strip(),
            "value": r.value,
            "world": r.world,
            "incomplete": ", ".join(map(str, r.incomplete_years)),
        }
        for r in rows
    ]
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_circle(size=90)
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of the world"),
            y=alt.Y("method:N", title=None, sort="-x"),
            color=alt.Color("subject:N"),
            shape=alt.Shape("source:N"),
            tooltip=[
                "subject:N",
                "method:N",
                "source:N",
                "definition:N",
                alt.Tooltip("share:Q", format=".1%"),
                "value:Q",
                "world:Q",
                "incomplete:N",
            ],
        )
        .properties(width="container", height=max(120, 22 * len({d["method"] for d in data})))
        .to_dict()
    )
    return Chart(
        id=chart_id,
        title=title,
        spec=spec,
        caption=f"Methods: every one the loaded data supports (period {rows[0].period}); " + _provenance(rows),
    )


def _headline(rows: Sequence[GridRow]) -> list[GridRow]:
    return [r for r in rows if r.share is not None and r.world]


def groups_side_by_side(results: Sequence[GridResult]) -> Chart | None:
    """Each group's share under each method, side by side (each group summed over its members of each year)."""
    rows = [r for res in results for r in _headline(res.rows) if r.subject_kind == "group"]
    if not rows:
        return None
    alt = _alt()
    data = [{"group": r.subject, "method": r.method_label(), "share": r.share} for r in rows]
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of the world"),
            y=alt.Y("group:N", title=None),
            color=alt.Color("method:N"),
            yOffset="method:N",
            tooltip=["group:N", "method:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width="container", height=60 * len({d["group"] for d in data}))
        .to_dict()
    )
    return Chart(
        id="groups",
        title="Groups side by side",
        spec=spec,
        caption="Methods: one bar per method (unit by attribution, counting, date basis), priority years "
        f"{rows[0].period}; each group counted over its members of each year (dated membership); " + _provenance(rows),
    )


def sectors(results: dict[str, GridResult], country: str) -> Chart | None:
    """The country's share of each sector's AI patents, one bar per method."""
    data = [
        {"sector": sec, "method": r.method_label(), "share": r.share, "value": r.value, "world": r.world}
        for sec, res in results.items()
        for r in _headline(res.rows)
        if r.subject == country
    ]
    if not data:
        return None
    alt = _alt()
    spec = (
        alt.Chart(alt.Data(values=data))
        .mark_tick(thickness=3, size=18)
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title=f"{country}'s share of the sector"),
            y=alt.Y("sector:N", title=None),
            color=alt.Color("method:N"),
            tooltip=["sector:N", "method:N", alt.Tooltip("share:Q", format=".1%"), "value:Q", "world:Q"],
        )
        .properties(width="container", height=34 * len(results))
        .to_dict()
    )
    rows = [r for res in results.values() for r in res.rows]
    return Chart(
        id="sectors",
        title=f"Sectors: {country}'s share under every method",
        spec=spec,
        caption="Methods: one tick per method (unit by attribution, counting, date basis), priority years "
        f"{rows[0].period}; sectors are the source's application-field flags (CSET/1790); " + _provenance(rows),
    )


def digital_divide(c: CompareResult) -> Chart | None:
    """A group's members: AI patent families per million people against internet use, one point per member that
    both figures are published for (the rest named in the caption)."""
    fam = next((col for col in c.columns if col.id == _FAMILIES), None)
    net = next((col for col in c.columns if col.id == _INTERNET), None)
    if fam is None or net is None:
        return None
    data: list[dict[str, Any]] = []
    left_out: list[str] = []
    shas: set[str] = set()
    for r in c.rows:
        f, i = r.cell(_FAMILIES), r.cell(_INTERNET)
        if r.kind == "group":
            continue
        if f is None or i is None or f.value is None or i.value is None:
            left_out.append(r.subject)
            continue
        shas.update(x for x in f"{f.source_sha256};{i.source_sha256}".split(";") if x)
        data.append({"member": r.subject, "name": r.name, "families_per_million": f.value, "internet_pct": i.value,
                     "complete": "no" if f.complete is False or i.complete is False else "yes"})
    if not data:
        return None
    alt = _alt()
    points = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("internet_pct:Q", title=f"internet users, % of population ({net.period})", scale=alt.Scale(
            domain=[0, 100])),
        y=alt.Y("families_per_million:Q", title=f"AI patent families per million people ({fam.period})"),
        tooltip=["member:N", "name:N", alt.Tooltip("families_per_million:Q", format=".3g"),
                 alt.Tooltip("internet_pct:Q", format=".1f"), "complete:N"],
    )
    spec = (
        (points.mark_circle(size=110) + points.mark_text(dx=9, align="left").encode(text="member:N"))
        .properties(width="container", height=300)
        .to_dict()
    )
    caption = (
        f"Method: {fam.label}: {fam.publisher} {fam.table} {fam.period} ({fam.method}; AI definition: "
        f"{fam.ai_definition or 'as the publisher states it'}), divided by the population of that year; "
        f"{net.label}: {net.publisher} {net.table} {net.period}. Members of {c.group} on 31 December {c.year}"
        + (f"; not drawn (a figure not published): {', '.join(left_out)}" if left_out else "")
        + f"; sha256 {_sha_label(';'.join(sorted(shas)))}"
    )
    return Chart(id=DIVIDE_ID, title=f"{c.group} {c.year}: AI patent families per million people against internet "
                 "use", spec=spec, caption=caption)
