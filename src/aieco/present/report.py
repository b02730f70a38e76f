"""The self-contained HTML report: charts (Vega-Lite, JavaScript inlined) and tables of typed results.

The file loads nothing from the network: the Vega bundle that vl-convert ships is inlined, so the report
opens anywhere. ``--png DIR`` writes each chart as a PNG through vl-convert too.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from aieco import __version__
from aieco.present import charts as ch
from aieco.results import (
    CheckResult,
    ClaimCheck,
    Ecosystem,
    FirmsOverview,
    MethodEvidence,
    PublishedAggregates,
    RegistryCount,
    RegistrySummary,
)

# What to load for the report's sections on the published aggregates, said when the store has none.
LOAD_AGGREGATES = (
    "No published aggregates are loaded: load ETO's Country Activity Tracker, the NCSES tables and the World Bank "
    "indicators (aieco ingest eto-cat FOLDER, aieco ingest ncses TABLE_DIR, aieco ingest wdi FILE) to see them here."
)

# What to load for the report's firms section, said when the store has no firm registry.
LOAD_FIRMS = (
    "No firm registry is loaded: load CSET PARAT (aieco ingest parat parat_data_2021.js) or a programme list "
    "(aieco ingest firms FILE --registry NAME) and link the applicants (aieco firms match) to see the firms here."
)


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (from vl-convert, offline), assigning ``window.vegaEmbed``."""
    import vl_convert as vlc

    # None: the default snippet, which assigns window.vegaEmbed, window.vega and window.vegaLite
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]


def published_aggregates(
    store: Any,
    *,
    country: str = "CN",
    group: str | None = None,
    year: int = 2019,
    years: tuple[int, int] | None = None,
) -> PublishedAggregates | None:
    """The report's published aggregates: ``aieco profile COUNTRY --years A-B`` (every year when ``years`` is
    None), ``aieco compare --group G --year Y`` (the SCO by default) and ``aieco sources-agree`` (CSET/1790 against
    ETO, CN and US and the country, 2014-2019), each the library's result; None when the store holds no published
    aggregates."""
    from aieco.errors import AiecoError
    from aieco.measure.aggregates import series
    from aieco.measure.compare import compare
    from aieco.measure.profile import profile
    from aieco.measure.sources_agree import sources_agree

    if not series(store):
        return None
    g = group or "SCO"
    notes: list[str] = []

    def attempt(what: str, compute: Any) -> Any:
        try:
            return compute()
        except AiecoError as err:  # one question the loaded data cannot answer: say so, show the others
            notes.append(f"{what}: {err}")
            return None

    countries = tuple(dict.fromkeys(("CN", "US", country.upper())))
    return PublishedAggregates(
        country=country.upper(),
        group=g,
        year=year,
        profile=attempt(f"profile {country}", lambda: profile(store, country, years=years)),
        compare=attempt(f"compare {g} {year}", lambda: compare(store, g, year)),
        sources=attempt("sources against each other", lambda: sources_agree(store, countries=countries)),
        notes=tuple(notes),
    )


def firms_overview(store: Any, *, definition: str = "cset-1790", registry: str = "parat") -> FirmsOverview | None:
    """The report's firms section: every loaded registry (``aieco firms list``, summed per registry) and
    ``aieco firms agreement`` for PARAT under ``definition``; None when the store holds no firm registry."""
    from aieco.errors import AiecoError
    from aieco.firms.indicators import parat_agreement
    from aieco.firms.query import last_match, list_firms

    if not store.has_table("firm_registry") or not store.scalar("SELECT count(*) FROM firm_registry"):
        return None
    rows = list_firms(store)
    registries = []
    for name in dict.fromkeys(r.registry for r in rows):
        mine = [r for r in rows if r.registry == name]
        registries.append(
            RegistrySummary(
                registry=name,
                registry_sha256=tuple(sorted({r.registry_sha256 for r in mine})),
                firms=len(mine),
                firms_linked=sum(1 for r in mine if r.applicants),
                applicants_linked=sum(r.applicants for r in mine),
                documents=sum(r.documents for r in mine),
            )
        )
    match = last_match(store)
    notes: list[str] = []
    agreement: tuple[Any, ...] = ()
    if match is None:
        notes.append("applicants are not linked to firms: run aieco firms match")
    elif registry not in {r.registry for r in registries}:
        notes.append(f"no {registry} registry loaded: aieco ingest parat parat_data_2021.js")
    else:
        try:
            agreement = parat_agreement(store, definition=definition, registry=registry)
        except AiecoError as err:  # e.g. the definition not applied: say so, show the registries
            notes.append(f"PARAT against aieco: {err}")
    version = store.scalar("SELECT version FROM classify_runs WHERE definition = ?", [definition])
    return FirmsOverview(
        registries=tuple(registries),
        match_method=None if match is None else str(match["method"]),
        threshold=None if match is None else float(match["threshold"]),
        definition=definition,
        definition_version=None if version is None else str(version),
        agreement=agreement,
        notes=tuple(notes),
    )


def charts_of(eco: Ecosystem, published: PublishedAggregates | None = None) -> list[ch.Chart]:
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
        ch.digital_divide(published.compare) if published and published.compare else None,
    ]
    return [c for c in out if c is not None]


def claim_evidence(c: ClaimCheck) -> list[str]:
    """What decided a checked claim, one line per piece, for the report's claims table: the methods compared
    (how many reproduce it, with the sources' sha256), the registries, the indicator values, the conversion and
    the published figures it matches."""
    ev, out = c.evidence, list[str]()
    compared = [m for m in ev.methods or () if isinstance(m, MethodEvidence)]
    if compared:
        ok = sum(1 for m in compared if m.reproduces)
        no = sum(1 for m in compared if m.reproduces is False)
        shas = sorted({m.source_sha256[:12] for m in compared if m.source_sha256})
        sources = ", ".join(sorted({m.source for m in compared}))
        out.append(f"{len(compared)} method(s): {ok} reproduce, {no} do not, {len(compared) - ok - no} undecided "
                   f"({sources}; sha256 {', '.join(shas) or 'n/a'})")  # fmt: skip
    counts = [m for m in ev.methods or () if isinstance(m, RegistryCount)]
    for r in counts:
        out.append(f"{r.method}: {r.value:,.0f}" + (" (a floor)" if r.floor else ""))
    if ev.registry is not None:
        regs_sha = ", ".join(h[:12] for h in ev.registry.registry_sha256)
        out.append(f"registries {', '.join(ev.registry.registries)} (sha256 {regs_sha})")
    for v in ev.values or ():
        out.append(f"{v.method} ({v.publisher}): {v.value:,.4g}" + (" (a floor)" if v.floor else "")
                   + (f", sha256 {v.source_sha256[:12]}" if v.source_sha256 else ""))  # fmt: skip
    conv = c.conversion
    if conv is not None:
        rate = f", implied rate {conv.implied_rate:.4f} {conv.rate_unit}" if conv.implied_rate else ""
        out.append(f"conversion: {conv.verdict}{rate}")
    if c.ledger.matches:
        out.append("published: " + ", ".join(m.id for m in c.ledger.matches))
    return out


def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aieco.present", "templates"), autoescape=jinja2.select_autoescape(["html", "j2"])
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{v:.1%}"
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")
    env.filters["sha"] = lambda s: ", ".join(x[:12] for x in str(s).split(";") if x)
    env.tests["search"] = lambda value, pattern: re.search(pattern, str(value)) is not None
    env.globals.update(completeness=completeness, compare_value=compare_value, column_sources=column_sources,
                       claim_evidence=claim_evidence)  # fmt: skip
    return env


def completeness(complete: bool | None, incomplete_years: tuple[int, ...] = ()) -> str:
    if complete is None:
        return "not stated by the publisher"
    if complete:
        return "complete"
    return "incomplete" + (f": {', '.join(map(str, incomplete_years))}" if incomplete_years else "")


_SCALE = {"population": 1e6, "gdp": 1e9}  # shown in millions and USD billions, as `aieco compare` does


def compare_value(column: str, cell: Any) -> str:
    """A compare cell as the CLI's table shows it: – when not published, * when incomplete."""
    if cell is None or cell.value is None:
        return "–"
    v = cell.value / _SCALE.get(column, 1.0)
    whole = column not in _SCALE and float(v).is_integer()
    text = f"{v:,.0f}" if whole or abs(v) >= 100 else f"{v:,.2f}" if abs(v) >= 0.1 else f"{v:.3g}"
    return text + ("*" if cell.complete is False else "")


def column_sources(c: Any) -> list[tuple[Any, list[str]]]:
    """Each column of a compare result with the (short) sha256 of every file its cells come from."""
    return [
        (col, sorted({x[:12] for r in c.rows if (cell := r.cell(col.id)) for x in cell.source_sha256.split(";") if x}))
        for col in c.columns
    ]


def render_report(
    eco: Ecosystem,
    *,
    label: str = "",
    checks: CheckResult | None = None,
    published: PublishedAggregates | None = None,
    firms: FirmsOverview | None = None,
) -> str:
    """The report as one HTML string; ``published`` adds the sections on the published aggregates, ``firms``
    the firms section (without it, one sentence says what to load)."""
    charts = charts_of(eco, published)
    html = (
        _env()
        .get_template("report.html.j2")
        .render(
            eco=eco,
            charts=charts,
            label=label,
            checks=checks,
            published=published,
            load_aggregates=LOAD_AGGREGATES,
            firms=firms,
            load_firms=LOAD_FIRMS,
            divide=next((c for c in charts if c.id == ch.DIVIDE_ID), None),
            version=__version__,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            specs=json.dumps({c.id: c.spec for c in charts}).replace("</", "<\\/"),
            vega=vega_bundle().replace("</script", "<\\/script"),
        )
    )
    return str(html)


def write_report(
    eco: Ecosystem,
    out: Path,
    *,
    png_dir: Path | None = None,
    label: str = "",
    checks: CheckResult | None = None,
    published: PublishedAggregates | None = None,
    firms: FirmsOverview | None = None,
) -> list[Path]:
    """Write the report (and with ``png_dir`` one PNG per chart); returns the files written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(eco, label=label, checks=checks, published=published, firms=firms), "utf-8")
    written = [out]
    if png_dir is not None:
        import vl_convert as vlc

        png_dir.mkdir(parents=True, exist_ok=True)
        for c in charts_of(eco, published):
            spec = {**c.spec, "width": 720}
            path = png_dir / f"{c.id}.png"
            path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
            written.append(path)
    return written
