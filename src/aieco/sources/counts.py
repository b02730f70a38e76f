"""Aggregate count tables: `aieco ingest counts PATH --name NAME`.

Three layouts, told apart by the header:

- long: ``country;field;period;count[;kind]`` (aliases: ctry_code, techn_field_nr, n_tech_reg, info);
- wide: the Leusin et al. PATSTAT layout ``country_code;1;…;35;info`` — one row per country and info
  (general | AI), one column per WIPO technology field; the period comes from the file name (Data3period →
  2004-2018) or the ``period`` option;
- office-year: ``CountryCode;Year;p1..p4;Total`` — all applications per office and year (a denominator);
  years from 2016 on are marked incomplete, year 9999 means the year is missing.

Rows go to ``measure_counts`` (migration 0003), one row per count, each with the run id and input line.
Numbers may use a decimal comma; ``NA`` is stored as NULL and counted in a finding.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.aggregates import TableReader, insert_rows
from aieco.sources.entities import code_kind
from aieco.sources.files import CsvRows, detect_encoding, open_text

# Periods of the Leusin et al. tables (their paper: 1974-88, 1989-2003, 2004-18).
LEUSIN_PERIODS = {"1": "1974-1988", "2": "1989-2003", "3": "2004-2018"}
OFFICE_YEAR_INCOMPLETE_FROM = 2016
MISSING_YEAR = 9999
_ALIASES = {
    "country": ("country", "ctry_code", "country_code", "countrycode", "office"),
    "field": ("field", "techn_field_nr", "techn_field", "technology_field"),
    "period": ("period",),
    "count": ("count", "n_tech_reg", "n", "value"),
    "kind": ("kind", "info"),
}


def parse_number(raw: str) -> float | None:
    """``12``, ``2,5833`` (decimal comma) or ``2.5``; ``NA`` / empty → None; else ValueError."""
    v = raw.strip()
    if v in ("", "NA", "NaN", "nan"):
        return None
    return float(v.replace(",", "."))


def _find(header: list[str], role: str) -> int | None:
    low = [h.strip().lower() for h in header]
    for alias in _ALIASES[role]:
        if alias in low:
            return low.index(alias)
    return None


class CountsReader(TableReader):
    """Reads aggregate count tables into ``measure_counts``."""

    kind = "counts"
    source = "counts"


    def read(self, path: Path, ctx: Any) -> None:
        name = self.options.get("name") or path.name.split(".")[0]
        ctx.options["name"] = name
        encoding = ctx.encoding or detect_encoding(path).name
        ctx.encoding = encoding
        with open_text(path, encoding) as text:
            first = text.readline()
            delimiter = ";" if first.count(";") >= first.count(",") else ","
            text.seek(0)
            rows = CsvRows(text, path=path, delimiter=delimiter)
            header = rows.read_header()
            low = [h.lower() for h in header]
            if "year" in low and "total" in low:
                layout = "office-year"
            elif "1" in low and "35" in low:
                layout = "wide"
            elif _find(header, "country") is not None and _find(header, "count") is not None:
                layout = "long"
            else:
                raise InputError("unknown counts layout: expected long (country;field;period;count[;kind]), "
                                 "wide (country_code;1..35;info) or office-year (CountryCode;Year;...;Total)",
                                 path=str(path), line=1)
            ctx.options["layout"] = layout
            out: list[tuple[Any, ...]] = []
            reader = getattr(self, "_" + layout.replace("-", "_"))
            for line, row in rows:
                ctx.row_read()
                raw = delimiter.join(row)
                if len(row) < len(header):
                    ctx.reject(line, "row", f"{len(row)} fields for {len(header)} columns (short or truncated "
                               "row)", raw)
                    continue
                try:
                    produced = reader(header, row, path)
                except ValueError as err:
                    ctx.reject(line, "row", str(err), raw)
                    continue
                for rec in produced:
                    if rec[5] is None:
                        ctx.finding("missing-count", f"{rec[0]} field {rec[1]} (line {line})")
                    ekind = code_kind(rec[0])
                    if ekind == "unknown":
                        ctx.finding("unknown-entity-code", f"{rec[0]} (line {line})")
                    out.append((ctx.run_id, name, layout, *rec[:4], rec[4], rec[6], rec[5], line, ekind,
                                rec[0]))
                ctx.accept_direct(1)
                if len(out) >= 50_000:
                    self._flush(ctx, out)
            self._flush(ctx, out)

    @staticmethod
    def _flush(ctx: Any, out: list[tuple[Any, ...]]) -> None:
        if not out:
            return
        cols = ("run_id", "name", "layout", "country", "field", "period", "kind", "year", "complete", "value",
                "line", "entity_kind", "entity_raw")
        insert_rows(ctx.con, [dict(zip(cols, r, strict=True)) for r in out])
        out.clear()

    # Each layout turns one input row into (country, field, period, kind, year, value, complete) records.
    def _long(self, header: list[str], row: list[str], path: Path) -> list[tuple[Any, ...]]:
        idx = {r: _find(header, r) for r in _ALIASES}
        country = row[idx["country"]].strip().upper()  # type: ignore[index]
        if not country:
            raise ValueError("empty country")
        field = row[idx["field"]].strip() if idx["field"] is not None else "all"
        period = row[idx["period"]].strip() if idx["period"] is not None else self._period(path)
        kind = row[idx["kind"]].strip() if idx["kind"] is not None else self._kind(path)
        value = parse_number(row[idx["count"]])  # type: ignore[index]
        return [(country, field, period, kind, None, value, True)]

    def _wide(self, header: list[str], row: list[str], path: Path) -> list[tuple[Any, ...]]:
        if len(row) != len(header):
            raise ValueError(f"{len(row)} cells for {len(header)} columns")
        cells = dict(zip([h.lower() for h in header], row, strict=True))
        country = (cells.get("country_code") or cells.get("country") or "").strip().upper()
        if not country:
            raise ValueError("empty country_code")
        kind = (cells.get("info") or cells.get("kind") or self._kind(path)).strip()
        period = self._period(path)
        fields = [h for h in header if h.strip().isdigit()]
        return [(country, f, period, kind, None, parse_number(cells[f.lower()]), True) for f in fields]

    def _office_year(self, header: list[str], row: list[str], path: Path) -> list[tuple[Any, ...]]:
        cells = dict(zip([h.lower() for h in header], row, strict=False))
        office = (cells.get("countrycode") or cells.get("country") or "").strip().upper()
        if not office:
            raise ValueError("empty CountryCode")
        year = int(cells["year"].strip())
        value = parse_number(cells["total"])
        if year == MISSING_YEAR:
            return [(office, "all", "missing", "all", None, value, False)]
        return [(office, "all", str(year), "all", year, value, year < OFFICE_YEAR_INCOMPLETE_FROM)]

    def _period(self, path: Path) -> str:
        if self.options.get("period"):
            return str(self.options["period"])
        m = re.search(r"Data(\d)period", path.name)
        if m and m.group(1) in LEUSIN_PERIODS:
            return LEUSIN_PERIODS[m.group(1)]
        m = re.search(r"_(First|Second|Third)Period", path.name)
        if m:
            return LEUSIN_PERIODS[str(("First", "Second", "Third").index(m.group(1)) + 1)]
        return ""

    def _kind(self, path: Path) -> str:
        if self.options.get("kind"):
            return str(self.options["kind"])
        return "AI" if re.search(r"techAI|_AI|AI_", path.name) else "general"
