"""``aieco synth``: write a deterministic, realistic corpus (PATSTAT tables or Google Patents JSON lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.cli.app import app
from aieco.settings import setting


@app.command()
def synth(
    docs: Annotated[int, typer.Option("--docs", help="Applications to generate.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bytes).")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="patstat (CSV tables) or google (JSON lines).")] = "patstat",
    compress: Annotated[
        bool, typer.Option("--compress", help="Each PATSTAT table as a .zip, the Google file as .json.gz.")
    ] = False,
    parts: Annotated[
        int, typer.Option("--parts", help="Split the corpus into this many parts (files per part, own stream).")
    ] = 1,
    part: Annotated[
        int | None, typer.Option("--part", help="Write only this part (1..--parts); default every part.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="Processes writing parts at once.")] = 1,
) -> None:
    """Generate a synthetic corpus calibrated to the real office x year counts."""
    from aieco.synth import synth as write_corpus

    result = write_corpus(
        docs,
        out,
        seed=seed,
        data_dir=Path(setting("data_dir")),
        fmt=fmt,
        compress=compress,
        parts=parts,
        part=None if part is None else part - 1,
        jobs=jobs,
    )
    typer.echo(f"wrote {result.docs} applications to {result.out} (seed {result.seed}): {', '.join(result.files)}")
