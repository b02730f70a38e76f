"""Claims and money commands: check, convert, ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, console, dump_json, emit, table
from aieco.errors import InputError
from aieco.results import CheckResult, MethodEvidence, RegistryCount, SeriesEvidence

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
        result = run_check(text, store, as_of=as_of, name="stdin" if file == "-" else Path(file).name)
    finally:
        if store is not None:
            store.close()
    _render_check(result, fmt)
    if result.contradicted:
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


def _render_check(result: CheckResult, fmt: Format) -> None:
    if fmt == Format.json:
        dump_json(result.to_dict())
        return
    if fmt == Format.csv:
        emit(result.rows(), fmt)
        return
    if not result.claims:
        typer.echo("no quantitative claims found")
        return
    out = console()
    for i, c in enumerate(result.claims):
        table(
            [
                {
                    "claim": f"#{i} {c.text}",
                    "offsets": f"{c.start}–{c.end}",
                    "kind": c.kind,
                    "interval": c.interval.label if c.interval else "",
                    "subject": c.subject,
                    "measure": c.measure,
                    "period": c.period_label(),
                    "verdict": c.verdict,
                }
            ]
        )
        if c.provenance:
            out.print("  read as: " + "; ".join(f"{k} from {v}" for k, v in c.provenance.items()), soft_wrap=True)
        out.print(f"  data: {c.message}", soft_wrap=True)
        if c.conversion is not None:
            out.print(f"  conversion ({c.conversion.verdict}): {c.conversion.message}", soft_wrap=True)
        out.print(f"  ledger: {c.ledger.message}", soft_wrap=True)
        for n in c.ledger.near + c.ledger.related[:2]:
            out.print(f"    near/related: {n.id} {n.value_label} ({n.period}): {n.why_not}", soft_wrap=True)
        ev = c.evidence
        methods = [_method_row(m) for m in ev.series()]
        if methods:
            table(methods, columns=list(methods[0]))
        counts = [m for m in ev.methods or () if isinstance(m, RegistryCount)]
        if counts:
            sha = ", ".join(h[:12] for h in ev.registry.registry_sha256) if ev.registry else ""
            table([{"registry count": m.method, "value": m.value, "floor": m.floor, "reproduces": m.reproduces,
                    "registry_sha256": sha} for m in counts])  # fmt: skip
        if ev.values:
            table([{"indicator": v.method, "publisher": v.publisher, "value": v.value, "floor": v.floor,
                    "source_sha256": v.source_sha256[:12]} for v in ev.values])  # fmt: skip
        for x in ev.context or ():
            out.print(f"  context (not compared): {x.source} {x.why_not}", soft_wrap=True)
        for s in ev.samples or ():
            out.print(f"  not counted: {s}", soft_wrap=True)  # each names its source and why (measure/census)
    tally = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
    typer.echo(f"{len(result.claims)} claims ({tally}); text date {result.text_date or 'none'}; "
               f"sha256 {result.text_sha256[:12]}")  # fmt: skip


def _method_row(m: SeriesEvidence) -> dict[str, Any]:
    """A series of the evidence as the check table lists it (a context series has no compared value)."""
    compared = m if isinstance(m, MethodEvidence) else None
    return {
        "source": m.source,
        "unit": m.unit,
        "attribution": m.attribution,
        "counting": m.counting,
        "definition": f"{m.definition} {m.definition_version}".strip(),
        "category": m.category,
        "period": compared.period if compared else "",
        "compared": compared.compared if compared else None,
        "reproduces": compared.reproduces if compared else "context",
        "own_period": m.own_period,
        "own_value": m.own_value,
        "own_reproduces": m.own_reproduces,
        "source_sha256": m.source_sha256[:12],
    }


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
