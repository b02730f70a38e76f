"""Published aggregates side by side: `aieco compare` (a group's members) and `aieco sources-agree`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, dump_json, emit
from aieco.store import open_store

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]

# short headers for the table; --format json/csv give every field of every cell
_HEADERS = {
    "eto-families": "ETO families",
    "eto-families-per-million": "fam/M",
    "ncses-grants": "NCSES grants",
    "eto-articles": "ETO articles",
    "eto-articles-per-million": "art/M",
    "eto-investment": "invest USD m",
    "eto-investment-per-person": "USD/person",
    "internet-users-pct": "internet %",
    "population": "pop m",
    "gdp": "GDP USD bn",
}
_SCALE = {"population": 1e6, "gdp": 1e9}


def _fmt(column: str, value: float | None, complete: bool | None) -> str:
    if value is None:
        return "–"
    v = value / _SCALE.get(column, 1.0)
    whole = column not in _SCALE and float(v).is_integer()
    text = f"{v:,.0f}" if whole or abs(v) >= 100 else f"{v:,.2f}" if abs(v) >= 0.1 else f"{v:.3g}"
    return text + ("*" if complete is False else "")


@app.command("compare")
def compare_cmd(
    group: Annotated[str, typer.Option("--group", help="Country group, e.g. SCO (see `aieco groups`).")],
    year: Annotated[int, typer.Option("--year", help="Year: members on 31 December, the figures of that year.")],
    groups_file: Annotated[str | None, typer.Option("--groups-file", help="YAML file of user-defined groups.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """A group's members side by side on the published aggregates (ETO, NCSES, World Bank): AI patent families,
    granted patents, articles, investment, per person, with internet use, population and GDP beside them."""
    from aieco.measure.compare import compare

    with open_store(state.db, read_only=True) as store:
        result = compare(store, group, year, groups_file=groups_file)
    if fmt == Format.json:
        dump_json(result.to_dict())
        return
    if fmt == Format.csv:
        emit([{"subject": r.subject, "kind": r.kind, **c.to_dict()} for r in result.rows for c in r.cells], fmt)
        return
    rows: list[dict[str, Any]] = []
    for r in result.rows:
        row: dict[str, Any] = {"member": r.subject, "name": r.name}
        for c in r.cells:
            row[_HEADERS.get(c.column, c.column)] = _fmt(c.column, c.value, c.complete)
        rows.append(row)
    emit(
        rows,
        fmt,
        title=f"{result.group} ({result.title}) members on 31 December {result.year}",
        columns=["member", "name", *[_HEADERS.get(c.id, c.id) for c in result.columns]],
    )
    for col in result.columns:
        shas = sorted(
            {
                x[:12]
                for r in result.rows
                for cell in r.cells
                if cell.column == col.id
                for x in cell.source_sha256.split(";")
                if x
            }
        )
        typer.echo(
            f"{_HEADERS.get(col.id, col.id)}: {col.publisher} {col.table} {col.period} — {col.unit}; counted as: "
            f"{col.method}" + (f"; sha256 {', '.join(shas[:3])}" if shas else "")
        )
    typer.echo(
        "– = not published for that member (not counted as zero); * = incomplete: a year the publisher "
        "marks incomplete, or a context figure missing for a member of the group"
    )
    unlisted: dict[str, list[str]] = {}
    for r in result.rows:
        for c in r.cells:
            if r.kind == "country" and c.note:
                unlisted.setdefault(f"{_HEADERS.get(c.column, c.column)}: {c.note}", []).append(r.subject)
            elif c.note:
                typer.echo(f"note: {r.subject} {_HEADERS.get(c.column, c.column)}: {c.note}")
    for note, who in unlisted.items():
        typer.echo(f"note: {', '.join(who)} {note}")
    if result.missing:
        typer.echo(f"not loaded: {', '.join(result.missing)}")


@app.command("sources-agree")
def sources_agree_cmd(
    countries: Annotated[str, typer.Option("--countries", help="Comma-separated ISO codes.")] = "CN,US",
    years: Annotated[
        str | None,
        typer.Option("--years", help="Period (default 2014-2019 for patent-families, 2014-2022 for articles)."),
    ] = None,
    question: Annotated[
        str,
        typer.Option(
            "--question", help="patent-families (CSET/1790 against ETO) or articles (NCSES SPBS-99 against ETO)."
        ),
    ] = ("patent-families"),
    fmt: FormatOpt = Format.table,
) -> None:
    """Two sources on the same question, per country and year, with their ratio and what explains the difference:
    CSET/1790 AI patent families against ETO's first-filing families, or NCSES's AI articles against ETO's."""
    from aieco.cli.measure import parse_years
    from aieco.measure.sources_agree import sources_agree

    span = parse_years(years or ("2014-2019" if question == "patent-families" else "2014-2022"))
    assert span is not None
    codes = tuple(c.strip() for c in countries.split(",") if c.strip())
    with open_store(state.db, read_only=True) as store:
        result = sources_agree(store, countries=codes, years=span, question=question)
    if fmt == Format.json:
        dump_json(result.to_dict())
        return
    left_name = "cset" if result.left.source == "cset1790" else result.left.source
    rows = [
        {
            "country": r.country,
            "year": str(r.year),
            left_name: _fmt("", r.left, r.left_complete),
            "eto": _fmt("", r.right, r.right_complete),
            "ratio": "" if r.ratio is None else f"{r.ratio:.2f}",
        }
        for r in result.rows
    ]
    if fmt == Format.csv:
        emit([r.to_dict() for r in result.rows], fmt)
        return
    emit(rows, fmt, title=f"{result.question}: {left_name} against eto (ratio = {left_name} / eto)")
    for side, ref in ((left_name, result.left), ("eto", result.right)):
        typer.echo(
            f"{side}: {ref.publisher} — {ref.measure}; {ref.method}; definition {ref.definition}"
            + (f"; {ref.note}" if ref.note else "")
            + f"; sha256 {ref.sha256[:12]}"
        )
    for c, ratio in result.complete_ratio.items():
        typer.echo(f"{c}: {left_name} / eto over the years both sides have complete = {ratio:.2f}")
    typer.echo(
        "* = a year that side has not fully published (CSET/1790: 18 months of lag after March 2020; a publisher: "
        "complete = False)"
    )
    for e in result.explanations:
        typer.echo(f"- {e}")
