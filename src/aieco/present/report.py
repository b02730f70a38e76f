"""The self-contained HTML report: charts (Vega-Lite, JavaScript inlined) and tables of typed results.

The file loads nothing from the network: the Vega bundle that vl-convert ships is inlined, so the report
opens anywhere. ``--png DIR`` writes each chart as a PNG through vl-convert too.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from aieco import __version__
from aieco.present import charts as ch
from aieco.results import Ecosystem


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (from vl-convert, offline), assigning ``window.vegaEmbed``."""
    import vl_convert as vlc

    # None: the default snippet, which assigns window.vegaEmbed, window.vega and window.vegaLite
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]


def charts_of(eco: Ecosystem) -> list[ch.Chart]:
    runs_sha: dict[str, str] = {}
    for r in eco.shares.rows:
        runs_sha.setdefault(r.source, r.source_sha256)
    subject = eco.country + (f" and {eco.group}" if eco.group else "")
    out = [
        ch.by_year_office(eco.coverage, runs_sha),
        ch.share_spread(
            eco.shares, title=f"{subject}: share of the world under every method (AI sources)", chart_id="share-spread"
        ),
        *[
            ch.share_spread(
                c,
                title=f"{eco.country}: share of documents classified by {c.definition}",
                chart_id=f"share-{c.definition}",
            )
            for c in eco.classified_shares
        ],
        ch.groups_side_by_side(eco.groups),
        ch.sectors(eco.sectors, eco.country),
    ]
    return [c for c in out if c is not None]


def claims_section(name: str, rows: list[dict[str, Any]]) -> Any:
    """The report's claims table from the checker's rows (each claim's text, verdict, interval and message)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        name=name,
        rows=[
            SimpleNamespace(
                text=r["text"],
                verdict=r["verdict"],
                message=r["message"],
                interval=(r["interval"] or {}).get("label", ""),
            )
            for r in rows
        ],
    )


def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aieco.present", "templates"), autoescape=jinja2.select_autoescape(["html", "j2"])
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{v:.1%}"
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")
    env.filters["sha"] = lambda s: ", ".join(x[:12] for x in str(s).split(";") if x)
    return env


def render_report(eco: Ecosystem, *, label: str = "", checks: Any = None) -> str:
    """The report as one HTML string."""
    charts = charts_of(eco)
    html = (
        _env()
        .get_template("report.html.j2")
        .render(
            eco=eco,
            charts=charts,
            label=label,
            checks=checks,
            version=__version__,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            specs=json.dumps({c.id: c.spec for c in charts}).replace("</", "<\\/"),
            vega=vega_bundle().replace("</script", "<\\/script"),
        )
    )
    return str(html)


def write_report(
    eco: Ecosystem, out: Path, *, png_dir: Path | None = None, label: str = "", checks: Any = None
) -> list[Path]:
    """Write the report (and with ``png_dir`` one PNG per chart); returns the files written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(eco, label=label, checks=checks), "utf-8")
    written = [out]
    if png_dir is not None:
        import vl_convert as vlc

        png_dir.mkdir(parents=True, exist_ok=True)
        for c in charts_of(eco):
            spec = {**c.spec, "width": 720}
            path = png_dir / f"{c.id}.png"
            path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
            written.append(path)
    return written
