"""Firm commands: match applicants to registry firms, list the firms, show one firm."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, console, dump_json, emit, table
from aieco.store import open_store

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
firms_app = typer.Typer(help="Firm registries: link patent applicants to firms, list and show firms.",
                        no_args_is_help=True)  # fmt: skip
app.add_typer(firms_app, name="firms")


def _levels(levels: dict[str, Any]) -> str:
    parts = []
    for k, v in levels.items():
        if isinstance(v, dict):
            parts.append(f"{k}: {v['level']} ({v['weight']:+.1f})")
        elif isinstance(v, str):  # the key rule
            parts.append(f"{k}: {v}")
        else:
            parts.append(f"{k}: also fits {', '.join(map(str, v))}: not linked")
    return "; ".join(parts)


@firms_app.command("match")
def match_cmd(
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Match probability to link at (default $AIECO_FIRM_MATCH_THRESHOLD)."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Score every applicant name in the store against the registry firms' names; replace the links."""
    from aieco.firms.match import match_store

    with open_store(state.db) as store:
        result = match_store(store, threshold=threshold)
    if fmt == Format.json:
        dump_json(result.to_dict())
        return
    typer.echo(
        f"match {result.match_id}: {result.applicants:,} applicant names x {result.firm_names:,} firm "
        f"names, {result.pairs:,} pairs after blocking, {result.candidates:,} scored >= 0.01, "
        f"{result.links:,} linked at p >= {result.threshold} ({result.method}; {result.seconds:.1f}s)"
    )


@firms_app.command("list")
def list_cmd(
    registry: Annotated[str | None, typer.Option("--registry", help="Only this registry.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The firms of the loaded registries, with their linked applicant names and documents."""
    from aieco.firms.query import list_firms

    with open_store(state.db, read_only=True) as store:
        rows = [r.to_dict() for r in list_firms(store, registry=registry)]
    emit(
        rows,
        fmt,
        title="firms" + (f" of {registry}" if registry else ""),
        columns=["registry", "firm_id", "name_zh", "name_en", "programme", "batch", "applicants", "documents"],
    )


@firms_app.command("show")
def show_cmd(
    firm: Annotated[str, typer.Argument(help="A firm's name, alias, credit code or registry id.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """One firm: its names, the applicant names matched to it with scores, its AI documents by year."""
    from aieco.firms.query import show_firm

    with open_store(state.db, read_only=True) as store:
        details = show_firm(store, firm)
    if fmt != Format.table:
        emit([d.to_dict() for d in details], fmt)
        return
    out = console()
    for d in details:
        title = " / ".join(n for n in (d.name_zh, d.name_en) if n)
        out.print(
            f"[bold]{title}[/bold]  registry {d.registry}, id {d.firm_id}"
            + (f", programme {d.programme}" if d.programme else "")
            + (f", batch {', '.join(d.batches)}" if d.batches else "")
            + (f", {d.province}" if d.province else "")
            + f"  (registry sha256 {d.registry_sha256[:12]})"
        )
        out.print("names: " + "; ".join(d.names))
        if d.method is None:
            out.print("no applicant links: run `aieco firms match`")
        table(
            [
                {
                    "applicant": x.applicant,
                    "via name": x.firm_name,
                    "p": x.match_probability,
                    "weight": x.match_weight,
                    "linked": x.linked,
                    "documents": x.documents,
                    "levels": _levels(x.levels),
                }
                for x in d.links
            ],
            title=f"applicant names scored (linked at p >= {d.threshold}; {d.method})",
        )
        if d.ai_documents:
            table(
                [{**c.to_dict(), "year": "unknown" if c.year is None else str(c.year)} for c in d.ai_documents],
                title=f"AI documents by definition and {d.date_basis} ({d.documents:,} documents linked)",
            )
        else:
            out.print(f"{d.documents:,} documents linked; none classified AI (or `aieco classify` not run)")
        if d.published:
            table(
                [{**c.to_dict(), "year": "total" if c.year is None else str(c.year)} for c in d.published],
                title=f"counts {d.registry} publishes",
            )


@firms_app.command("indicators")
def indicators_cmd(
    definition: Annotated[str, typer.Option("--definition", "-d", help="AI definition (classified).")] = "cset-1790",
    registry: Annotated[str | None, typer.Option("--registry", help="Only this registry.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per firm: documents, AI documents by priority year, AI share, Herfindahl index over CPC subclasses."""
    from aieco.firms.indicators import firm_indicators

    with open_store(state.db, read_only=True) as store:
        rows = [r.to_dict() for r in firm_indicators(store, definition=definition, registry=registry)]
    title = f"firm indicators ({definition}; documents of linked applicant names)"
    emit(rows, fmt, title=title, columns=["registry", "firm_id", "name", "documents", "ai_documents", "ai_share",
                                          "ai_by_year", "hhi_cpc_subclass", "cpc_subclasses"])  # fmt: skip


@firms_app.command("agreement")
def agreement_cmd(
    definition: Annotated[str, typer.Option("--definition", "-d", help="AI definition (classified).")] = "cset-1790",
    registry: Annotated[str, typer.Option("--registry", help="The PARAT registry's name.")] = "parat",
    years: Annotated[str | None, typer.Option("--years", help="FROM-TO, e.g. 2014-2018 (default: totals).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """PARAT's published AI patent counts against aieco's own AI documents, for the matched firms."""
    from aieco.errors import InputError
    from aieco.firms.indicators import parat_agreement

    span: tuple[int, int] | None = None
    if years:
        lo, sep, hi = years.partition("-")
        if not (sep and lo.strip().isdigit() and hi.strip().isdigit()):
            raise InputError(f"--years {years!r}: expected FROM-TO, e.g. 2014-2018")
        span = (int(lo), int(hi))
    with open_store(state.db, read_only=True) as store:
        rows = [r.to_dict() for r in parat_agreement(store, definition=definition, registry=registry, years=span)]
    emit(rows, fmt, title=f"PARAT AI patents vs aieco AI documents ({definition}, {years or 'all years'})",
         columns=["firm_id", "name", "country", "parat_ai_patents", "aieco_ai_documents", "aieco_documents",
                  "ratio"])  # fmt: skip


@firms_app.command("programme")
def programme_cmd(
    programme: Annotated[str, typer.Argument(help="A programme: 'little giant', 小巨人, or a registry's own words.")],
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch.")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Only this province.")] = None,
    firm: Annotated[str | None, typer.Option("--firm", help="Is this firm among them?")] = None,
    definition: Annotated[str | None, typer.Option("--definition", "-d", help="AI definition.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What the loaded registries say about a programme: its firms, those with AI documents, a named firm,
    and what the store lacks to say more (the answer the claims checker gets)."""
    from aieco.firms import registry_answer

    with open_store(state.db, read_only=True) as store:
        answer = registry_answer(store, programme=programme, batch=batch, province=province, firm=firm,
                                 definition=definition)  # fmt: skip
    if fmt != Format.table:
        emit([answer.to_dict()], fmt)
        return
    unknown = "unknown"
    typer.echo(f"programme {programme!r} (words: {', '.join(answer.programme_words)}) in registries: "
               f"{', '.join(answer.registries) or 'none'}")  # fmt: skip
    typer.echo(
        f"firms: {unknown if answer.firms is None else f'{answer.firms:,}'}; AI industry: "
        f"{unknown if answer.firms_ai_industry is None else answer.firms_ai_industry}; with >= 1 AI "
        f"document: {unknown if answer.firms_with_ai is None else answer.firms_with_ai}"
        + (f" {answer.firms_with_ai_by_definition}" if answer.firms_with_ai_by_definition else "")
    )
    if firm is not None:
        found = {True: "yes: " + "; ".join(answer.firm_found_as), False: "no", None: unknown}[answer.firm_found]
        typer.echo(f"{firm} among them: {found}")
    for m in answer.missing:
        typer.echo(f"missing: {m}")
