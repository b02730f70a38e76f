"""NCSES Science & Engineering Indicators tables (machine-extracted): `aieco ingest ncses TABLE_DIR`.

A table folder holds ``data.csv`` and ``README.md`` (title, table number, units, notes). Four layouts, told apart
by the header:

- time series ``table_id,row_id,time_period,value`` whose ``time_period`` is a region path ("World -> Asia ->
  China"): the entity is the path's last segment, the period the title's span ("2000–22" → 2000-2022, a
  cumulative total). A table whose places repeat (the extraction lost its year labels, as in 9968) is refused,
  not guessed;
- row-hierarchical with year columns (``…_full_path, …_level_N, …_hierarchy_depth, field_2003, …``; 10067
  articles, 6208 venture capital): the place is the path's last segment that is not a category ("World ->
  Canada -> Total articles -> With multiple institutions": Canada, field "with multiple institutions"); a
  heading row without values (a place or a category over its breakdown) is read and stores nothing;
- simple tabular (``…, region_country_or_economy, region, number_of_papers_whole_, …``; 10059): one row per
  place, one measure per value column, the period the title's span;
- categories by country columns (``category_full_path, …, field_united_states, field_china, …``; 10565): one
  row per category, the places are the columns.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.aggregates import AggregateWriter, PublishedMethod, TableReader, check_year
from aieco.sources.counts import parse_number
from aieco.sources.entities import Entity, clean_name, is_category, resolve_name
from aieco.sources.files import CsvRows, detect_encoding, open_text

PUBLISHER = "ncses"
# Methods the table notes state (README.md), by table number.
METHODS = {
    "SINV-17": dict(
        pillar="patents",
        measure="patents-granted",
        unit="granted patent (first per family)",
        attribution="inventor location (priority country if none); China includes Hong Kong",
        counting="fractional",
        date_basis="grant year, cumulative over the period",
        ai_definition="CSET/1790 AI patent definition; EPO Global Patent Index, accessed March 2023",
    ),
}


_SCOPUS = dict(
    pillar="research",
    unit="article",
    attribution="institutional address of the authors (country)",
    date_basis="publication year",
    ai_definition="Scopus articles classified AI in the All Science Journal Classification (Science-Metrix)",
)
METHODS.update({
    "SINV-18": dict(METHODS["SINV-17"], measure="patents-granted"),
    "SPBS-99": dict(_SCOPUS, measure="articles", counting="whole"),
    "SPBS-91": dict(_SCOPUS, measure="articles", counting="whole"),
    "SKTI-21": dict(
        pillar="investment",
        measure="venture-capital",
        unit="USD million",
        attribution="headquarters of the firm receiving venture capital",
        counting="whole",
        date_basis="year of the financing",
        ai_definition="PitchBook AI venture capital (accessed 27 September 2021)",
    ),
})
# SPBS-91's value columns: (measure, counting, field)
_ST_COLUMNS = {
    "number_of_papers_whole_": ("articles", "whole", "all"),
    "number_of_papers_fractional_": ("articles-fractional", "fractional", "all"),
    "papers_involving_multiple_institutions_whole_": ("articles", "whole", "with multiple institutions"),
    "papers_involving_only_domestic_institutions_whole_": ("articles", "whole", "with domestic institutions only"),
    "papers_involving_international_institutions_whole_": ("articles", "whole", "with international institutions"),
}
_TS_HEADER = ["table_id", "row_id", "time_period", "value"]
# the category a total row carries: its rows are the measure itself (field all), the others its breakdown
_TOTAL_CATEGORIES = frozenset({"total articles"})


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def _value(cell: str, ctx: Any, example: str) -> float | None:
    """A cell's number: ``D`` (suppressed) is unknown, ``i``/``r`` marks are kept out of the number."""
    c = cell.strip()
    if c == "D":
        ctx.finding("value-suppressed", example)
        return None
    try:
        return parse_number(c.rstrip("ir"))
    except ValueError:
        raise _Bad("value", f"not a number: {c!r}") from None


def _place_and_field(path: str, column: str) -> tuple[Entity, str, str]:
    """The entity, the field and the raw place name of a row-hierarchical path."""
    segs = [x.strip() for x in path.split("->")]
    cats: list[str] = []
    while segs and is_category(segs[-1]):
        cats.insert(0, segs.pop())
    if not segs:
        raise _Bad(column, f"no place in the path {clean_name(path)!r}")
    leaf = segs[-1]
    entity = resolve_name(leaf, publisher=PUBLISHER)
    if entity is None:
        raise _Bad(column, f"unknown country or region name {clean_name(leaf)!r}")
    rest = [c for c in cats if clean_name(c).casefold() not in _TOTAL_CATEGORIES]
    field = clean_name(rest[-1]).casefold() if rest else "all"
    return entity, field, leaf


def _readme(folder: Path) -> tuple[str, str]:
    """The table's title and number from its README.md, read as a data file is: UTF-8, else the legacy
    encoding its bytes point to (a README is metadata; the table number falls back to the folder's name)."""
    path = folder / "README.md"
    text = ""
    if path.is_file():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode(detect_encoding(path).name, errors="replace")
    title = clean_name(text.splitlines()[0].lstrip("# ")) if text else ""
    m = re.search(r"\*\*Table Number:\*\*\s*(\S+)", text)
    return title, (m.group(1) if m else folder.name)


def _period(title: str) -> str:
    m = re.search(r"(\d{4})\s*[–-]\s*(\d{2,4})\s*$", title)
    if not m:
        return "all"
    a, b = m.group(1), m.group(2)
    return f"{a}-{a[: 4 - len(b)] + b}"


class NcsesReader(TableReader):
    kind = "ncses"
    source = "ncses"
    reads_folders = True


    def read(self, path: Path, ctx: Any) -> None:
        data = path / "data.csv" if path.is_dir() else path
        if not data.is_file():
            raise InputError("not an NCSES table folder: no data.csv", path=str(path))
        title, number = _readme(data.parent)
        with open_text(data, "utf-8") as text:
            rows = CsvRows(text, path=data)
            header = rows.read_header()
            body = list(rows)
        period = _period(title)
        name = self.options.get("name") or f"ncses-{number}"
        spec = METHODS.get(number, dict(pillar="other", measure=number, unit=""))
        ctx.options.update({"name": name, "table": number, "title": title, "period": period})
        if header == _TS_HEADER:
            layout = "ncses-ts"
        elif len(header) > 3 and header[2].endswith("_full_path") and any(_year_col(h) for h in header):
            layout = "ncses-rh-years"
        elif "region_country_or_economy" in header and any(h in _ST_COLUMNS for h in header):
            layout = "ncses-st"
        elif len(header) > 3 and header[2].endswith("_full_path") and any(h.startswith("field_") for h in header):
            layout = "ncses-rh-places"
        else:
            raise InputError(
                "NCSES layout not read by this version (time series table_id,row_id,time_period,value; "
                "row-hierarchical with field_YYYY or field_<country> columns; SPBS-91's simple table); got "
                f"{','.join(header[:5])}…",
                path=str(data),
                line=1,
            )
        ctx.options["layout"] = layout
        for h in header:
            if (m := re.fullmatch(r"field_(\d+)", h)) is not None:
                try:
                    check_year(m.group(1))
                except ValueError as err:
                    raise InputError(f"column {h}: {err}", path=str(data), line=1, field=h) from None
        writer = AggregateWriter(ctx, name=name, layout=layout, path=data)
        if layout == "ncses-ts":
            self._time_series(body, number, spec, period, ctx, writer, data)
        else:
            for line, row in body:
                ctx.row_read()
                raw = ",".join(row)
                if len(row) != len(header):
                    ctx.reject(line, "row", f"{len(row)} fields for {len(header)} columns", raw)
                    continue
                try:
                    if layout == "ncses-rh-years":
                        records = self._rh_years(row, header, number, spec, ctx, line)
                    elif layout == "ncses-st":
                        records = self._simple(row, header, number, spec, period, ctx, line)
                    else:
                        records = self._rh_places(row, header, number, spec, period, ctx, line)
                except _Bad as bad:
                    ctx.reject(line, bad.field, bad.reason, raw)
                    continue
                if records is None:  # a heading row: read, nothing of its own to store
                    ctx.accept_direct(1)
                    ctx.finding("heading-row", f"{clean_name(row[2])} (line {line})")
                    continue
                writer.row(line, raw, records)
        writer.flush()

    @staticmethod
    def _rh_years(row: list[str], header: list[str], number: str, spec: dict[str, str], ctx: Any,
                  line: int) -> list[dict[str, Any]] | None:
        years = [(i, y) for i, h in enumerate(header) if (y := _year_col(h)) is not None]
        if all(not row[i].strip() for i, _ in years):
            return None
        entity, field, leaf = _place_and_field(row[2], header[2])
        method = PublishedMethod(publisher=PUBLISHER, indicator=number, **spec)
        out = []
        for i, y in years:
            value = _value(row[i], ctx, f"{entity.id} {y} (line {line})")
            out.append({"method": method, "entity": entity, "entity_raw": row[2], "field": field,
                        "period": str(y), "year": y, "value": value, "complete": True})
        return out

    @staticmethod
    def _simple(row: list[str], header: list[str], number: str, spec: dict[str, str], period: str, ctx: Any,
                line: int) -> list[dict[str, Any]]:
        col = header.index("region_country_or_economy")
        leaf = row[col].strip()
        entity = resolve_name(leaf, publisher=PUBLISHER)
        if entity is None:
            raise _Bad(header[col], f"unknown country or region name {clean_name(leaf)!r}")
        out = []
        for i, h in enumerate(header):
            if h not in _ST_COLUMNS:
                continue
            measure, counting, field = _ST_COLUMNS[h]
            method = PublishedMethod(publisher=PUBLISHER, indicator=number,
                                     **{**spec, "measure": measure, "counting": counting})
            value = _value(row[i], ctx, f"{entity.id} {h} (line {line})")
            out.append({"method": method, "entity": entity, "entity_raw": leaf, "field": field, "period": period,
                        "year": None, "value": value, "complete": True})
        return out

    @staticmethod
    def _rh_places(row: list[str], header: list[str], number: str, spec: dict[str, str], period: str, ctx: Any,
                   line: int) -> list[dict[str, Any]] | None:
        places = [(i, h) for i, h in enumerate(header) if h.startswith("field_")]
        if all(not row[i].strip() for i, _ in places):
            return None
        field = ": ".join(clean_name(x.strip()) for x in row[2].split("->"))
        method = PublishedMethod(publisher=PUBLISHER, indicator=number, **spec)
        out = []
        for i, h in places:
            leaf = h.removeprefix("field_").replace("_", " ")
            entity = resolve_name(leaf, publisher=PUBLISHER)
            if entity is None:
                raise _Bad(h, f"unknown country or region name {leaf!r} in the column header")
            value = _value(row[i], ctx, f"{entity.id} {field} (line {line})")
            out.append({"method": method, "entity": entity, "entity_raw": h, "field": field, "period": period,
                        "year": None, "value": value, "complete": True})
        return out

    @staticmethod
    def _time_series(body: list[tuple[int, list[str]]], number: str, spec: dict[str, str], period: str, ctx: Any,
                     writer: AggregateWriter, data: Path) -> None:
        repeats = Counter(r[2] for _, r in body if len(r) > 2)
        if repeats and max(repeats.values()) > 1:
            place, n = repeats.most_common(1)[0]
            raise InputError(
                f"table {number}: year labels lost in extraction ({place!r} appears {n} times, one "
                "row per unlabelled year); refused, not guessed (for articles use 10067)",
                path=str(data),
            )
        method = PublishedMethod(publisher=PUBLISHER, indicator=number, **spec)
        for line, row in body:
            ctx.row_read()
            raw = ",".join(row)
            if len(row) != 4:
                ctx.reject(line, "row", f"{len(row)} fields for 4 columns", raw)
                continue
            leaf = row[2].split("->")[-1].strip()
            entity = resolve_name(leaf, publisher=PUBLISHER)
            if entity is None:
                ctx.reject(line, "time_period", f"unknown country or region name {clean_name(leaf)!r}", raw)
                continue
            try:
                value = _value(row[3], ctx, f"{entity.id} (line {line})")
            except _Bad as bad:
                ctx.reject(line, bad.field, bad.reason, raw)
                continue
            writer.row(
                line,
                raw,
                [
                    {
                        "method": method,
                        "entity": entity,
                        "entity_raw": row[2],
                        "period": period,
                        "year": None,
                        "value": value,
                        "complete": True,
                    }
                ],
            )


def _year_col(header: str) -> int | None:
    m = re.fullmatch(r"field_(\d+)", header)
    return int(m.group(1)) if m else None
