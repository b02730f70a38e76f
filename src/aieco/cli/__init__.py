"""The command line: thin typer commands that parse, call one library function, and render.

Every ``AiecoError`` becomes a one-line message on stderr and its exit code; never a traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from aieco.cli.app import app

# Command modules register themselves on `app` when imported; one module per stage of the pipeline.
COMMAND_MODULES = ("core", "classify", "claims", "measure", "compare", "faces", "synth", "firms")
for _name in COMMAND_MODULES:
    import_module(f"aieco.cli.{_name}")


def main(argv: list[str] | None = None) -> None:
    from aieco.errors import AiecoError, Interrupted, InterruptedAfterCommit
    from aieco.settings import check_settings
    from aieco.signals import interrupted_message

    try:
        check_settings()
        rc = app(args=argv, prog_name="aieco", standalone_mode=False)
    except InterruptedAfterCommit as err:
        typer.echo(f"aieco: {err}", err=True)
        sys.exit(err.exit_code)
    except AiecoError as err:
        if isinstance(err, Interrupted):
            typer.echo(f"aieco: {interrupted_message()}", err=True)
        else:
            typer.echo(f"aieco: error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo(f"aieco: {interrupted_message()}", err=True)
        sys.exit(130)
    except RuntimeError as err:
        # DuckDB reports an interrupt inside Arrow work as RuntimeError("Query interrupted")
        if "interrupted" not in str(err).lower():
            raise
        typer.echo(f"aieco: {interrupted_message()}", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except typer.Abort:
        typer.echo("aieco: aborted", err=True)
        sys.exit(130)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except Exception as err:
        # usage errors (typer's bundled click) arrive here in non-standalone mode: show them as click would
        show, code = getattr(err, "show", None), getattr(err, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
    # typer turns Ctrl-C into exit code 130 and returns it in non-standalone mode
    if rc == 130:
        typer.echo(f"aieco: {interrupted_message()}", err=True)
    if isinstance(rc, int) and rc:
        sys.exit(rc)


__all__ = ["app", "main"]
