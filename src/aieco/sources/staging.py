"""Chunked staging of canonical rows: readers add rows as dicts, chunks go to the run as Arrow tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from aieco.model import CHILD_TABLES, DOCUMENT_COLUMNS
from aieco.sources.fields import normalise_party_country, normalise_symbol

_ARROW = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(), "DATE": pa.date32(),
          "JSON": pa.string(), "DOUBLE": pa.float64(), "BIGINT": pa.int64()}


def _schema(columns: dict[str, str], lead: tuple[str, ...]) -> pa.Schema:
    fields = [pa.field(c, pa.int64()) for c in lead]
    return pa.schema(fields + [pa.field(c, _ARROW[t]) for c, t in columns.items()])


SCHEMAS: dict[str, pa.Schema] = {"documents": _schema(DOCUMENT_COLUMNS, ("line", "row_hash"))}
SCHEMAS.update({t: _schema(spec["columns"], ("line",)) for t, spec in CHILD_TABLES.items()})


class Stager(Protocol):
    chunk_rows: int

    def stage(self, table: str, batch: pa.Table) -> None: ...


class Staging:
    """Buffers canonical rows per table and hands them to the run every ``chunk_rows`` documents."""

    def __init__(self, ctx: Stager) -> None:
        self.ctx = ctx
        self._rows: dict[str, dict[str, list[Any]]] = {
            t: {name: [] for name in schema.names} for t, schema in SCHEMAS.items()}
        self._docs = 0

    def add(self, table: str, **values: Any) -> None:
        cols = self._rows[table]
        for name, col in cols.items():
            col.append(values.get(name))
        if table == "documents":
            self._docs += 1
            if self._docs >= self.ctx.chunk_rows:
                self.flush()

    def flush(self) -> None:
        for table, cols in self._rows.items():
            if cols["line"]:
                batch = pa.Table.from_pydict(cols, schema=SCHEMAS[table])
                self.ctx.stage(table, batch)
                for col in cols.values():
                    col.clear()
        self._docs = 0


def party_country(ctx: Any, raw: str) -> str | None:
    """A party's ISO country for ``raw`` (see :func:`normalise_party_country`), recording on the run the
    finding its normalisation names (mapped, historical, US state, unknown)."""
    country, note = normalise_party_country(raw)
    if note:
        ctx.finding(note, f"{raw} → {country or 'unknown'}")
    return country


def symbol_norm(ctx: Any, symbol: str, line: int | None = None) -> str | None:
    """``symbol`` normalised (see :func:`normalise_symbol`), or None with an ``unparseable-symbol`` finding on
    the run (example ``line <line>: <symbol>``, or ``<file name>: <symbol>`` without a line)."""
    try:
        return normalise_symbol(symbol)
    except ValueError:
        where = f"line {line}" if line is not None else Path(ctx.file).name
        ctx.finding("unparseable-symbol", f"{where}: {symbol}")
        return None
