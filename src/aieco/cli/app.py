"""The typer application and the global options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco import __version__
from aieco.settings import default_db_path

app = typer.Typer(
    name="aieco",
    help="aieco — reproducible AI ecosystem numbers from primary patent data, every method side by side.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    db: Path = default_db_path()


state = State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aieco {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[Path | None, typer.Option("--db", help="Store path (default $AIECO_DB, else ./aieco.duckdb).",
                                            show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """aieco: an observatory of national AI ecosystems."""
    state.db = db if db is not None else default_db_path()
