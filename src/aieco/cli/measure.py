"""Measure commands: groups, count, indicators, grid, sql."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, dump_json, emit, table
from aieco.errors import InputError
from aieco.store import open_store


class OutFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class Unit(StrEnum):
    document = "document"
    application = "application"
    family = "family"
    granted_family = "granted-family"


class By(StrEnum):
    office = "office"
    priority_office = "priority-office"
    applicant = "applicant"
    inventor = "inventor"


class Counting(StrEnum):
    whole = "whole"
    fractional = "fractional"


class DateBasis(StrEnum):
    priority = "priority"
    filing = "filing"
    publication = "publication"


FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="table, csv, json or parquet (to --output).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="File for --format parquet.")]
YearsOpt = Annotated[str | None, typer.Option("--years", help="Period, e.g. 2000-2019 (default: all years).")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO alpha-2 code, e.g. CN.")]
GroupOpt = Annotated[str | None, typer.Option("--group", help="Country group, e.g. SCO (see `aieco groups`).")]
GroupsFileOpt = Annotated[Path | None, typer.Option("--groups-file", help="YAML file of user-defined groups.")]
DefinitionOpt = Annotated[str | None, typer.Option("--definition", help="Definition id (default: all documents).")]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Category of the definition or source flag.")]
SectorOpt = Annotated[str | None, typer.Option("--sector", help="Sector, e.g. agriculture, life-sciences.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Only this source (default: each loaded).")]
EngineOpt = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark (local mode).")]
PillarOpt = Annotated[str | None, typer.Option(
    "--pillar", help="patents, research, investment or context: indicators over the published aggregates "
                     "(ETO CAT, NCSES, World Bank) instead of patent documents.")]
MeasureOpt = Annotated[str | None, typer.Option(
    "--measure", help="Published measure, e.g. patent-applications, articles (implies published aggregates).")]
PublisherOpt = Annotated[str | None, typer.Option("--publisher", help="eto, ncses, worldbank or owid.")]
TableOpt = Annotated[str | None, typer.Option("--table", help="Publisher's table, e.g. patents_yearly_applications.")]
WorldOpt = Annotated[str, typer.Option(
    "--world", help="Share of which world: auto (the publisher's World row, else the sum of the countries it "
                    "lists), row, or countries.")]
AGGREGATE_ONLY = ("per-capita", "per-million", "per-gdp", "per-internet-user")


def parse_years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        raise InputError(f"--years {text!r}: expected YYYY or YYYY-YYYY")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if a > b:
        raise InputError(f"--years {text!r}: the first year is after the last")
    return a, b


def _emit(rows: list[dict[str, Any]], fmt: OutFormat, output: Path | None, *, title: str,
          columns: list[str] | None = None) -> None:
    if fmt == OutFormat.parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        flat = [{k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()
                 if not isinstance(v, dict)} for r in rows]
        tbl = pa.Table.from_pylist(flat)
        if output is None:
            pq.write_table(tbl, sys.stdout.buffer)
        else:
            pq.write_table(tbl, output)
            typer.echo(f"wrote {len(rows)} rows to {output}", err=True)
        return
    slim = [{k: v for k, v in r.items() if k != "by_year"} for r in rows] if fmt != OutFormat.json else rows
    emit(slim, Format(fmt.value), title=title, columns=columns)


def _method(unit: Unit, by: By, counting: Counting, date_basis: DateBasis) -> Any:
    from aieco.model import Method

    return Method(unit=unit.value, attribution=by.value, counting=counting.value, date_basis=date_basis.value)


def _flags(sector: str | None, definition: str | None, category: str | None) -> tuple[tuple[str, ...], str | None]:
    """A sector becomes source flags (no definition) or the definition's category of the same id."""
    if not sector:
        return (), category
    from aieco.measure.sectors import flag_categories, sector_id

    if definition:
        return (), sector_id(sector)
    return flag_categories(sector), category


@app.command()
def groups(
    name: Annotated[str | None, typer.Argument(help="A group (e.g. SCO); omit to list the groups.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Members in this year (31 December).")] = None,
    groups_file: GroupsFileOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """List country groups, or one group's members (in --year) with join/leave dates and sources."""
    from aieco.measure import groups as g

    if name is None:
        rows = [{"group": k, "title": v.title, "members_now": len(g.members(v, year or 2100)),
                 "origin": v.origin} for k, v in g.load_groups(groups_file).items()]
        offices = [{"code": k, "name": v} for k, v in g.patent_offices().items()]
        if fmt == Format.json:
            dump_json({"groups": rows, "patent_offices": offices})
            return
        emit(rows, fmt, title="country groups")
        if fmt == Format.table:
            table(offices, title="patent offices (not countries; never counted in a country or group)")
        return
    grp = g.get_group(name, groups_file)
    members = g.describe(grp, year)
    if fmt == Format.json:
        dump_json({"group": grp.name, "title": grp.title, "year": year, "members": members,
                   "invited_not_members": [m.country for m in grp.invited], "blocs": list(grp.blocs),
                   "sources": list(grp.sources), "notes": list(grp.notes), "origin": grp.origin})
        return
    emit(members, fmt, title=f"{grp.name} ({grp.title})" + (f" members in {year}" if year else " memberships"),
         columns=["country", "name", "joined", "left", "note"])
    if fmt == Format.table:
        for s in grp.sources:
            typer.echo(f"source: {s}")
        for n in grp.notes:
            typer.echo(f"note: {n}")


@app.command()
def count(
    unit: Annotated[Unit, typer.Option("--unit")] = Unit.document,
    by: Annotated[By, typer.Option("--by", help="Attribution.")] = By.office,
    counting: Annotated[Counting, typer.Option("--counting")] = Counting.whole,
    date_basis: Annotated[DateBasis, typer.Option("--date-basis")] = DateBasis.priority,
    years: YearsOpt = None, country: CountryOpt = None, group: GroupOpt = None, groups_file: GroupsFileOpt = None,
    definition: DefinitionOpt = None, category: CategoryOpt = None, sector: SectorOpt = None,
    source: SourceOpt = None, engine: EngineOpt = "duckdb", fmt: FormatOpt = OutFormat.table,
    output: OutputOpt = None,
) -> None:
    """Count units by country (or for one --country / --group) on one method."""
    from aieco.measure import indicators

    m = _method(unit, by, counting, date_basis)
    flags, category = _flags(sector, definition, category)
    period = parse_years(years)
    with open_store(state.db, read_only=True) as store:
        if country or group:
            rows = indicators.subject_rows(store, m, country=country, group=group, years=period,
                                           definition=definition, category=category, source=source,
                                           engine=engine, groups_file=str(groups_file) if groups_file else None,
                                           flag_categories=flags)
        else:
            rows = indicators.by_country(store, m, years=period, definition=definition, category=category,
                                         source=source, flag_categories=flags, engine=engine)
    cols = (["subject", "source", "unit", "attribution", "counting", "date_basis", "period", "value", "world",
             "share", "incomplete_years"] if country or group else
            ["rank", "country", "source", "unit", "attribution", "counting", "date_basis", "period", "value",
             "world", "share"])
    _emit(rows, fmt, output, title=f"count: {m.label()}", columns=cols)


@app.command()
def indicators(
    kind: Annotated[str, typer.Argument(help="count | share | group-share | cagr | intensity | rta | rank; over "
                                        "published aggregates also per-capita | per-million | per-gdp | "
                                        "per-internet-user")],
    unit: Annotated[Unit, typer.Option("--unit")] = Unit.document,
    by: Annotated[By, typer.Option("--by", help="Attribution.")] = By.office,
    counting: Annotated[Counting, typer.Option("--counting")] = Counting.whole,
    date_basis: Annotated[DateBasis, typer.Option("--date-basis")] = DateBasis.priority,
    years: YearsOpt = None, country: CountryOpt = None, group: GroupOpt = None, groups_file: GroupsFileOpt = None,
    definition: DefinitionOpt = None, category: CategoryOpt = None, sector: SectorOpt = None,
    source: SourceOpt = None, engine: EngineOpt = "duckdb",
    counts: Annotated[str | None, typer.Option("--counts", help="Counts table name (rta).")] = None,
    counts_kind: Annotated[str, typer.Option("--kind", help="Rows of this kind of the counts table (rta).")] = "AI",
    denominator: Annotated[str | None, typer.Option("--denominator",
                                                    help="Office × year totals table (intensity).")] = None,
    pillar: PillarOpt = None, measure: MeasureOpt = None, publisher: PublisherOpt = None,
    table_name: TableOpt = None, world: WorldOpt = "auto",
    fmt: FormatOpt = OutFormat.table, output: OutputOpt = None,
) -> None:
    """Indicators: count, share of world, share of a group, CAGR (complete years), AI intensity, RTA, rank;
    with --pillar/--measure over the published aggregates, also per-capita, per-million, per-gdp and
    per-internet-user."""
    from aieco.errors import UnknownName
    from aieco.measure import indicators as ind

    if (pillar or measure or publisher or table_name or kind in AGGREGATE_ONLY) and not counts:
        _aggregate_indicators(kind, pillar=pillar, measure=measure, publisher=publisher, table_name=table_name,
                              country=country, group=group, years=parse_years(years), groups_file=groups_file,
                              world=world, fmt=fmt, output=output)
        return
    m = _method(unit, by, counting, date_basis)
    flags, category = _flags(sector, definition, category)
    period = parse_years(years)
    common: dict[str, Any] = {"definition": definition, "category": category, "source": source, "engine": engine}
    with open_store(state.db, read_only=True) as store:
        if kind == "rta":
            if not counts:
                raise InputError("rta needs --counts NAME (a table loaded with aieco ingest counts)")
            rows = ind.rta(store, counts, kind=counts_kind, country=country)
            cols = ["country", "field", "period", "x_cf", "rta"]
        elif kind in ("count", "share", "rank"):
            rows = ind.by_country(store, m, years=period, flag_categories=flags, **common)
            if country:
                rows = [r for r in rows if r["country"] == country.upper()]
            cols = ["rank", "country", "unit", "attribution", "counting", "date_basis", "period", "value", "world",
                    "share"]
        elif kind == "cagr":
            rows = ind.growth(store, m, country=country, group=group, years=period, flag_categories=flags,
                              groups_file=str(groups_file) if groups_file else None, **common)
            cols = ["subject", "unit", "attribution", "counting", "period", "cagr", "cagr_from", "cagr_to",
                    "incomplete_years"]
        elif kind == "group-share":
            if not (country and group):
                raise InputError("group-share needs --country and --group")
            rows = ind.group_share(store, m, country=country, group=group, years=period, flag_categories=flags,
                                   groups_file=str(groups_file) if groups_file else None, **common)
            cols = ["subject", "group", "unit", "counting", "period", "value", "group_value", "group_share"]
        elif kind == "intensity":
            if not denominator:
                raise InputError("intensity needs --denominator NAME (office × year totals loaded with "
                                 "aieco ingest counts applications_by_office_year.csv --name NAME)")
            rows = ind.intensity(store, m, denominator=denominator, country=country, years=period, **common)
            cols = ["country", "unit", "counting", "years_used", "ai", "all", "intensity"]
        else:
            raise UnknownName(f"unknown indicator {kind!r}; known: {', '.join(ind.KINDS)}")
    _emit(rows, fmt, output, title=f"indicator {kind}", columns=cols)


AGGREGATE_COLUMNS = ["subject", "rank", "publisher", "table", "field", "period", "value", "denominator", "result",
                     "complete", "members_missing", "sha256"]


def aggregate_rows(rows: Any) -> list[dict[str, Any]]:
    """Rows of an AggregateIndicators result for a table: the method label and a short sha256 added."""
    return [{**r.to_dict(), "method": r.method_label(), "sha256": r.source_sha256[:12]} for r in rows]


def _aggregate_indicators(kind: str, *, pillar: str | None, measure: str | None, publisher: str | None,
                          table_name: str | None, country: str | None, group: str | None,
                          years: tuple[int, int] | None, groups_file: Path | None, world: str, fmt: OutFormat,
                          output: Path | None) -> None:
    from aieco.measure.aggregates import indicators as agg

    with open_store(state.db, read_only=True) as store:
        result = agg(store, kind, pillar=pillar, measure=measure, publisher=publisher, table=table_name,
                     country=country, group=group, years=years, world=world,
                     groups_file=str(groups_file) if groups_file else None)
    if fmt == OutFormat.json:
        dump_json(result.to_dict())
        return
    _emit(aggregate_rows(result.rows), fmt, output, title=f"indicator {kind} over published aggregates",
          columns=AGGREGATE_COLUMNS)
    if fmt == OutFormat.table:
        print_legend(result.rows)
        for n in result.notes:
            typer.echo(f"note: {n}")


def print_legend(rows: Any) -> None:
    """What each table's numbers are, once per table: the result's unit, the denominator and the method."""
    seen: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        key = (r.publisher, r.table)
        if key not in seen:
            seen[key] = set()
            typer.echo(f"{r.publisher} {r.table}: {r.measure} — {r.method_label()}; AI definition: "
                       f"{r.ai_definition or 'n/a'}; result: {r.result_unit}")
        basis = r.denominator_basis if r.subject_kind == "group" or not r.rank else ""
        if basis and basis not in seen[key] and len(seen[key]) < 3:
            seen[key].add(basis)
            typer.echo(f"  denominator ({r.subject} {r.period}): {basis}")


@app.command("grid")
def grid_cmd(
    country: CountryOpt = None, group: GroupOpt = None, years: YearsOpt = None, groups_file: GroupsFileOpt = None,
    definition: DefinitionOpt = None, category: CategoryOpt = None, sector: SectorOpt = None,
    source: SourceOpt = None, engine: EngineOpt = "duckdb", pillar: PillarOpt = None, world: WorldOpt = "auto",
    fmt: FormatOpt = OutFormat.table, output: OutputOpt = None,
) -> None:
    """Every method the loaded data supports, each answer with its method, and the min/max spread; with
    --pillar, every published series of that pillar (its share of the world, stating which world)."""
    from aieco.measure.overview import grid_result

    if pillar:
        _aggregate_indicators("share", pillar=pillar, measure=None, publisher=None, table_name=None,
                              country=country, group=group, years=parse_years(years), groups_file=groups_file,
                              world=world, fmt=fmt, output=output)
        return
    flags, category = _flags(sector, definition, category)
    period = parse_years(years)
    with open_store(state.db, read_only=True) as store:
        result = grid_result(store, country=country, group=group, years=period, definition=definition,
                             category=category, source=source, engine=engine,
                             groups_file=str(groups_file) if groups_file else None, flag_categories=flags)
    if fmt == OutFormat.json:
        dump_json(result.to_dict())
        return
    _emit([r.to_dict() for r in result.rows], fmt, output, title="method grid",
          columns=["subject", "source", "unit", "attribution", "counting", "date_basis", "definition", "period",
                   "value", "world", "share", "incomplete_years"])
    if fmt == OutFormat.table:
        table([s.to_dict() for s in result.spread], title="spread across methods")
        clauses = sorted({(r.source, c) for r in result.refused for c in r.missing})
        typer.echo(f"{len(result.refused)} methods refused (--format json lists each); fields the loaded data "
                   "lacks:")
        for src, c in clauses:
            typer.echo(f"- {src}: {c}")


@app.command()
def sql(
    dialect: Annotated[str, typer.Option("--dialect", help="bigquery (Google Patents publications), duckdb, "
                                                           "pyspark.")] = "bigquery",
    unit: Annotated[Unit, typer.Option("--unit")] = Unit.family,
    by: Annotated[By, typer.Option("--by", help="Attribution.")] = By.office,
    date_basis: Annotated[DateBasis, typer.Option("--date-basis")] = DateBasis.priority,
    country: CountryOpt = None, group: GroupOpt = None, groups_file: GroupsFileOpt = None,
) -> None:
    """Print the SQL of one grid query (whole and fractional counts per year) for a dialect."""
    from aieco.measure.grid import grid_sql

    if not (country or group):
        country = "CN"
    typer.echo(grid_sql(dialect, _method(unit, by, Counting.whole, date_basis), country=country, group=group,
                        groups_file=str(groups_file) if groups_file else None))


@app.command("profile")
def profile_cmd(
    country: Annotated[str, typer.Argument(help="ISO code (CN, CHN) or country name.")],
    years: YearsOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")] = Format.table,
) -> None:
    """A country's published aggregates (ETO CAT, NCSES, World Bank): one row per source × measure × span."""
    from aieco.measure.profile import profile

    with open_store(state.db, read_only=True) as store:
        result = profile(store, country, years=parse_years(years))
    if fmt == Format.json:
        dump_json(result.to_dict())
        return
    rows = [{**r.to_dict(), "method": r.method_label(), "file": Path(r.file).name,
             "sha256": r.file_sha256[:12]} for r in result.rows]
    if rows or fmt != Format.table:
        emit(rows, fmt, title=f"profile: {result.country} ({result.name})"
             + (f" {result.years[0]}-{result.years[1]}" if result.years else ""),
             columns=["pillar", "publisher", "measure", "period", "value", "value_basis", "method", "complete",
                      "incomplete_years", "file", "sha256"])
    else:
        typer.echo(f"{result.country} ({result.name}): no published aggregates loaded "
                   "(aieco ingest eto-cat|ncses|wdi)")
    if result.documents:
        emit([{k: v for k, v in d.to_dict().items() if k != "by_year"} | {"sha256": d.source_sha256[:12]}
              for d in result.documents], fmt, title="patent documents loaded, every supported method",
             columns=["source", "unit", "attribution", "counting", "date_basis", "definition", "period", "value",
                      "world", "share", "incomplete_years", "sha256"])
