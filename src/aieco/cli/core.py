"""Foundation commands: ingest, sources, stats, findings, rejects, demo, settings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, console, dump_json, emit, table
from aieco.settings import SETTINGS
from aieco.store import open_store

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _progress():  # type: ignore[no-untyped-def]
    """A rich progress bar on a terminal; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), transient=True)
    task = bar.add_task("rows read", total=None)

    def update(rows: int) -> None:
        bar.update(task, completed=rows)

    return bar, update


@app.command()
def ingest(
    kind: Annotated[str, typer.Argument(help="Input kind: cset1790, lens, … (see `aieco kinds`).")],
    path: Annotated[Path, typer.Argument(help="File (or folder, for table sets) to read.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the run of a file already loaded.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Text encoding (default: detect).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name of an aggregate table (kind counts).")] = None,
    registry: Annotated[str | None, typer.Option("--registry", help="Name of a firm registry (kinds firms, "
                                                  "parat).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Read a file into the store as one all-or-nothing run."""
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest as run_ingest

    reader = reader_for(kind)
    options = {"name": name} if name else {}
    if registry:
        options["registry"] = registry
    bar, update = _progress()
    with open_store(state.db) as store:
        if bar is not None:
            with bar:
                result = run_ingest(store, reader, path, replace=replace, encoding=encoding,
                                    options=options, progress=update)
        else:
            result = run_ingest(store, reader, path, replace=replace, encoding=encoding, options=options)
    run = result.run
    if fmt == Format.json:
        dump_json({"noop": result.noop, "replaced_run_id": result.replaced_run_id, **run.to_dict()})
        return
    if result.noop:
        typer.echo(f"already loaded: {path} has the same sha256 as run {run.run_id} "
                   f"({run.rows_accepted:,} rows accepted); nothing to do (use --replace to reload)")
        return
    verb = f"replaced run {result.replaced_run_id} with" if result.replaced_run_id else "ingested"
    typer.echo(f"{verb} run {run.run_id}: {kind} {path}: read {run.rows_read:,} rows, accepted "
               f"{run.rows_accepted:,}, rejected {run.rows_rejected:,} in {run.seconds:.1f}s"
               + (f" (encoding {run.encoding})" if run.encoding and run.encoding != "utf-8" else ""))


@app.command()
def kinds() -> None:
    """List the input kinds `aieco ingest` reads."""
    from aieco.sources import READERS

    for kind in sorted(READERS):
        typer.echo(kind)


@app.command()
def sources(fmt: FormatOpt = Format.table) -> None:
    """List ingest runs: kind, path, sha256, rows read / accepted / rejected, timings."""
    from aieco.store.readback import list_runs

    with open_store(state.db, read_only=True) as store:
        rows = list_runs(store)
    if fmt == Format.table:
        table(rows, title="ingest runs", columns=["run_id", "kind", "path", "sha256", "rows_read",
                                                  "rows_accepted", "rows_rejected", "seconds", "encoding"])
    else:
        emit(rows, fmt)


@app.command()
def stats(fmt: FormatOpt = Format.table) -> None:
    """Headline counts: documents, families, by office, priority year, document type; rejects, findings."""
    from aieco.store.readback import stats_result

    with open_store(state.db, read_only=True) as store:
        s = stats_result(store)
    if fmt == Format.json:
        dump_json(s.to_dict())
        return
    out = console()
    out.print(f"documents {s.documents:,}   families {s.families:,}   rejects {s.rejects:,}")
    for items, title in ((s.by_source, "documents by source"), (s.by_office, "documents by office (top 15)"),
                         (s.by_document_type, "documents by type"), (s.findings, "findings")):
        if items:
            table([{"": k, "count": v} for k, v in list(items.items())[:15]], title=title)
    if s.coverage:
        table([{"source": k, **v} for k, v in s.coverage.items()], title="field coverage (share of documents)")


@app.command()
def findings(fmt: FormatOpt = Format.table) -> None:
    """Data-quality findings by kind, with examples."""
    from aieco.store.readback import findings as compute

    with open_store(state.db, read_only=True) as store:
        rows = compute(store)
    if fmt == Format.table:
        table([{**r, "examples": "; ".join(r["examples"][:3])} for r in rows], title="data-quality findings",
              columns=["run_id", "finding", "count", "examples"])
        for r in rows:
            typer.echo(f"- {r['finding']} (run {r['run_id']}): {r['message']}")
    else:
        emit(rows, fmt)


@app.command()
def rejects(
    run_id: Annotated[int, typer.Argument(help="Run id (see `aieco sources`).")],
    limit: Annotated[int | None, typer.Option("--limit", help="Show at most this many.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List the rejected rows of a run: file, line, field, reason."""
    from aieco.store.readback import reject_rows

    with open_store(state.db, read_only=True) as store:
        rows = reject_rows(store, run_id, limit)
    emit([r.to_dict() for r in rows], fmt, title=f"rejects of run {run_id}", columns=["line", "field", "reason"])


@app.command()
def settings() -> None:
    """List every setting with its environment variable, default and current value."""
    table([{"name": s.name, "env": s.env, "default": s.default, "value": s.value(), "help": s.help}
           for s in SETTINGS], title="settings")


@app.command()
def demo(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Default: $AIECO_DATA_DIR.")] = None,
) -> None:
    """The main job: ingest the real data found in the data folder, then print what the store holds."""
    from aieco.demo import run_demo

    if not sys.stderr.isatty():
        run_demo(state.db, data_dir, echo=typer.echo)
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}"))
    with Progress(*columns, TimeElapsedColumn(), transient=True) as bar:
        run_demo(state.db, data_dir, echo=typer.echo, bar=bar)
