"""The faces: `aieco report` (a self-contained HTML file) and `aieco serve` (the API and the dashboard)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.cli.app import app, state
from aieco.cli.measure import CountryOpt, GroupOpt, YearsOpt, parse_years
from aieco.errors import InputError
from aieco.results import CheckResult
from aieco.store import open_store


@app.command()
def report(
    country: CountryOpt = "CN",
    group: GroupOpt = None,
    years: YearsOpt = "2000-2019",
    article: Annotated[Path | None, typer.Option("--article", help="A text whose claims the report checks.")] = None,
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path("report.html"),
    png: Annotated[Path | None, typer.Option("--png", help="Also write each chart as PNG into this folder.")] = None,
) -> None:
    """Write one self-contained HTML report (charts inlined, no network): patents by year and office, the
    country's share under every method and source, groups, sectors, the article's claims, coverage."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from aieco.measure.overview import ecosystem
    from aieco.present.report import firms_overview, published_aggregates, write_report

    period = parse_years(years)
    checks: CheckResult | None = None
    with (
        open_store(state.db, read_only=True) as store,
        Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as bar,
    ):
        task = bar.add_task("report")
        eco = ecosystem(
            store,
            country=country or "CN",
            group=group,
            years=period,
            progress=lambda label: bar.update(task, description=label),
        )
        if article is not None:
            bar.update(task, description=f"claims of {article.name}")
            checks = article_checks(store, article)
        bar.update(task, description="published aggregates")
        published = published_aggregates(store, country=country or "CN", group=group,
                                         year=period[1] if period else 2019, years=period)
        bar.update(task, description="firms")
        firms = firms_overview(store)
        bar.update(task, description="writing the report")
        written = write_report(eco, out, png_dir=png, checks=checks, published=published, firms=firms)
    for path in written:
        typer.echo(f"wrote {path}")


def article_checks(store: object, article: Path) -> CheckResult:
    from aieco.claims.check import check, read_text

    if not article.is_file():
        raise InputError("no such file", path=str(article))
    return check(read_text(article), store, name=article.name)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)] = 8000,
) -> None:
    """Serve the read-only JSON API (/api/v1, docs at /docs) and the dashboard (/) over the store."""
    import uvicorn

    from aieco.present.api import create_app

    application = create_app(state.db)
    typer.echo(f"aieco: serving {state.db} read-only on http://{host}:{port}/ (API docs: /docs); Ctrl-C stops")
    uvicorn.run(application, host=host, port=port, log_level="warning")
