"""Claims and money commands: check, convert, ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, console, dump_json, emit, table
from aieco.errors import InputError

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def check(
    file: Annotated[
        str | None, typer.Argument(help="Text file to check, or - for stdin (UTF-8, at most 1 MB).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The article's date (YYYY-MM-DD): anchors 'last year'.")
    ] = None,
    evaluate: Annotated[
        str | None,
        typer.Option("--evaluate", help="Score the checker on a claims corpus (a folder of YAML files)."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Find every quantitative claim in a text and check it against the loaded data, the reference ledger
    and offline exchange rates. Exit code 0 when no claim is contradicted, 1 when some are."""
    from aieco.claims import check as run_check
    from aieco.claims import read_text
    from aieco.store import open_store

    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError as err:
            raise InputError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from err
    if evaluate is not None:
        _evaluate(evaluate, fmt)
        return
    if file is None:
        raise InputError("name a text file to check (or - for stdin), or give --evaluate CORPUS")
    text = read_text(file)
    store = open_store(state.db, read_only=True) if Path(state.db).exists() else None
    try:
        rows = run_check(text, store, as_of=as_of)
    finally:
        if store is not None:
            store.close()
    contradicted = any(r["verdict"] == "contradicted" for r in rows)
    _render_check(rows, fmt)
    if contradicted:
        raise typer.Exit(1)


def _evaluate(corpus: str, fmt: Format) -> None:
    from aieco.claims import check as run_check
    from aieco.claims.evaluate import FIELDS, evaluate, pct
    from aieco.store import open_store

    store = open_store(state.db, read_only=True) if Path(state.db).exists() else None
    try:
        result = evaluate(corpus, lambda text, as_of: run_check(text, store, as_of=as_of))
    finally:
        if store is not None:
            store.close()
    if fmt == Format.json:
        dump_json(result.to_dict())
        return

    def row(c: object) -> dict[str, object]:
        d = c.to_dict()  # type: ignore[attr-defined]
        return {
            "class": d["cls"],
            "expected": d["expected"],
            "found": d["found"],
            "precision": pct(d["precision"]),
            "recall": pct(d["recall"]),
            **{f: pct(d[f"{f}_accuracy"]) for f in FIELDS},
            "verdict": pct(d["verdict_accuracy"]),
            "false contradicted": d["false_contradicted"],
        }

    emit([row(result.overall)] + [row(c) for c in result.by_class], fmt,
         title=f"claims corpus {corpus}: {result.items} items")
    emit([row(c) for c in result.by_verdict], fmt, title="by expected verdict")


def _render_check(rows: list[dict[str, Any]], fmt: Format) -> None:
    if fmt != Format.table:
        emit(rows, fmt)
        return
    if not rows:
        typer.echo("no quantitative claims found")
        return
    out = console()
    for i, r in enumerate(rows):
        table(
            [
                {
                    "claim": f"#{i} {r['text']}",
                    "offsets": f"{r['start']}–{r['end']}",
                    "kind": r["kind"],
                    "interval": r["interval"]["label"] if r["interval"] else "",
                    "subject": r["subject"],
                    "measure": r["measure"],
                    "period": r["period"]["text"] or r["period"]["kind"],
                    "verdict": r["verdict"],
                }
            ]
        )
        out.print(f"  data: {r['message']}", soft_wrap=True)
        if "conversion" in r:
            out.print(
                f"  conversion ({r['conversion']['verdict']}): {r['conversion']['message']}", soft_wrap=True
            )
        led = r["ledger"]
        out.print(f"  ledger: {led['message']}", soft_wrap=True)
        for n in led["near"] + led["related"][:2]:
            out.print(
                f"    near/related: {n['id']} {n['value_label']} ({n['period']}): {n['why_not']}",
                soft_wrap=True,
            )
        methods = [
            {**m, "source_sha256": str(m.get("source_sha256") or "")[:12]}
            for m in (r["evidence"].get("methods") or []) + (r["evidence"].get("context") or [])
        ]
        if methods:
            table(
                methods,
                columns=[
                    "source",
                    "unit",
                    "attribution",
                    "counting",
                    "definition",
                    "category",
                    "period",
                    "compared",
                    "reproduces",
                    "own_period",
                    "own_value",
                    "own_reproduces",
                    "source_sha256",
                ],
            )
        for n in r["evidence"].get("context") or []:
            out.print(f"  context (not compared): {n['source']} {n['why_not']}", soft_wrap=True)
        for n in r["evidence"].get("samples") or []:
            out.print(f"  not counted (a sample, not all AI patents): {n}", soft_wrap=True)


@app.command()
def convert(
    amount: Annotated[float, typer.Argument(help="Amount to convert.")],
    from_: Annotated[str, typer.Argument(metavar="FROM", help="Currency code, e.g. CNY.")],
    to: Annotated[str, typer.Argument(help="Currency code, e.g. USD.")],
    on: Annotated[str, typer.Option("--date", help="Date of the rate, YYYY-MM-DD.")],
    rate_source: Annotated[
        str, typer.Option("--rate-source", help="auto (ECB, else HMRC), ecb or hmrc.")
    ] = "auto",
    method: Annotated[str, typer.Option("--method", help="day, month-mean or year-mean.")] = "day",
    fallback: Annotated[
        str,
        typer.Option(
            "--fallback",
            help="No ECB rate that day: refuse, or previous (last published day, up to 7 days back).",
        ),
    ] = "refuse",
    rule: Annotated[
        str | None,
        typer.Option("--rule", help="annual-average or monthly-average: FRED rates from --rates-file, else "
                                    "those loaded in the store (aieco ingest fred)."),
    ] = None,
    rates_file: Annotated[str | None, typer.Option("--rates-file", help="FRED yearly.csv / monthly.csv.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Convert an amount with offline rates (bundled ECB history; HMRC monthly rates for other currencies)."""
    from aieco.money import convert as run_convert

    try:
        day = date.fromisoformat(on)
    except ValueError as err:
        raise InputError(f"--date {on!r} is not a date (YYYY-MM-DD)") from err
    if rule is not None and rates_file is None and Path(state.db).is_file():
        # --rule without --rates-file: the FRED rates loaded in the store (aieco ingest fred)
        from aieco.store import open_store

        with open_store(state.db, read_only=True) as store:
            result = run_convert(amount, from_, to, day, rule=rule, store=store)
    else:
        result = run_convert(
            amount, from_, to, day, source=rate_source, method=method, fallback=fallback, rule=rule,
            rates_file=rates_file,
        )
    if fmt == Format.json:
        dump_json(result.to_dict())
    elif fmt == Format.csv:
        emit([result.to_dict()], fmt)
    else:
        typer.echo(result.label())


@app.command()
def ledger(fmt: FormatOpt = Format.table) -> None:
    """List the reference ledger: published headline figures with their method and citation."""
    from aieco.claims.ledger import figure_summary, figures
    from aieco.claims.ledger import ledger as load

    rows = [figure_summary(f) for f in figures()]
    if fmt == Format.json:
        dump_json({"version": load().get("version"), "figures": rows})
        return
    emit(
        rows,
        fmt,
        title=f"reference ledger v{load().get('version')}",
        columns=["id", "value", "unit", "subject", "measure", "topic", "period", "method", "citation"],
    )
