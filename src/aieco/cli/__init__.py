"""The command line: thin typer commands that parse, call one library function, and render.

Every ``AiecoError`` becomes a one-line message on stderr and its exit code; never a traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from aieco.cli.app import app

# Command modules register themselves on `app` when imported; one module per stage of the pipeline.
COMMAND_MODULES = ("core",)
for _name in COMMAND_MODULES:
    import_module(f"aieco.cli.{_name}")


def main(argv: list[str] | None = None) -> None:
    from aieco.errors import AiecoError

    try:
        app(args=argv, prog_name="aieco", standalone_mode=False)
    except AiecoError as err:
        typer.echo(f"aieco: error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo("aieco: interrupted; nothing was written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except typer.Abort:
        typer.echo("aieco: aborted", err=True)
        sys.exit(130)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except Exception as err:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(err.exit_code)
        raise


__all__ = ["app", "main"]
