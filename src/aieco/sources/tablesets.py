"""Table sets: folders of related tables (PATSTAT, PatentsView), read table by table into temporary DuckDB
tables so that linking them is set-based SQL, not a Python dict of the whole database.

Each table may be split into numbered parts, zipped or not (``tls201_part01.zip``, ``tls201_part02.zip``);
parts are read in name order and each part has its own header line. A row's ``key`` is unique within a run:
``part_index * 10**9 + line`` (part_index 0 for the first part, so a one-part table keys by its line).
The temporary tables are named ``stage_<prefix>_<table>`` so that the ingest drops them with its own staging.

A table whose spec has ``sql`` (the SQL twin of its ``convert``) is read set-based: each part is staged as text
through :func:`aieco.sources.rawcsv.stage_raw_csv` (Arrow, or Python's csv module for quoted newlines and
legacy encodings), and each chunk is typed and checked in SQL on the way in. The SQL only has to be right for
the rows it clears; a row it does not clear (a malformed id, an odd date, non-ASCII in a code) is converted by
``convert`` in Python, which names its first problem exactly as the row-by-row reader does. Without ``sql`` a
table is read row by row through ``convert``.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.errors import InputError
from aieco.sources.files import CsvRows, check_header, open_text
from aieco.sources.rawcsv import stage_raw_csv
from aieco.sources.staging import SCHEMAS

PART_KEY = 10**9
# What Python's str.strip() removes besides the space, as an RE2 class. trim() removes only spaces, so a row with
# one of these at the edge of a cell (after spaces) is left to ``convert`` (trim(cell, chars) is ten times slower).
_OTHER_SPACE = r"[\t-\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_EDGE_SPACE = rf"(^|\x01) *{_OTHER_SPACE}|{_OTHER_SPACE} *(\x01|$)"


class RowProblem(Exception):
    """A row that cannot be used: the field and the reason, for the reject."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field_name, self.reason = field_name, reason


Getter = Callable[[str], str]
# (cell) -> ({column: SQL of its value}, SQL of the condition under which those values are convert's).
# ``cell(name)`` is the SQL of the stripped cell, '' when the table lacks the column; ``cell(name, checked=True)``
# when the condition admits no whitespace but the space in that cell (digits, a date, a code): its edges need
# no check of their own (see _EDGE_SPACE).
SqlTwin = Callable[[Callable[..., str]], tuple[dict[str, str], str]]


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """One table of a set: the header columns it must have, and how a row becomes typed values."""

    name: str
    required: tuple[str, ...]
    columns: dict[str, pa.DataType]
    convert: Callable[[Getter, Any], tuple[Any, ...]]  # (get, ctx) -> values in `columns` order
    main: bool = False  # rows of the main table count as read one by one
    with_hash: bool = False  # keep a hash of the raw row (the main table's row_hash)
    optional: tuple[str, ...] = field(default_factory=tuple)
    sql: SqlTwin | None = None  # set-based twin of ``convert`` (see the module docstring)
    # set-based step over the whole staged table, after its rows are loaded (a code looked up once per value)
    normalise: Callable[[Any, str], None] | None = None


def _natural(path: Path) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name.lower())]


def discover(folder: Path, table_of: Callable[[str], str | None]) -> tuple[dict[str, list[Path]], list[str]]:
    """Parts per table name, in natural name order, and the names of files that belong to no table."""
    tables: dict[str, list[Path]] = {}
    others: list[str] = []
    for path in sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")), key=_natural
    ):
        name = table_of(path.name)
        if name is None:
            others.append(path.name)
        else:
            tables.setdefault(name, []).append(path)
    return tables, others


def temp_name(prefix: str, table: str) -> str:
    return f"stage_{prefix}_{table}"


def load_table(
    ctx: Any,
    spec: TableSpec,
    parts: list[Path],
    *,
    prefix: str,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> int:
    """Stream every part of a table into ``stage_<prefix>_<table>`` (key, file, line, [row_hash], columns).

    Bad rows are rejected with the part's file and physical line; they count as read. Rows of the main
    table count as read one by one; other tables' rows count only when rejected (here or when linking).
    Returns the number of rows loaded.
    """
    if spec.sql is not None:
        loaded = _load_sql(ctx, spec, parts, prefix=prefix, delimiter=delimiter, encoding=encoding)
    else:
        loaded = _load_rows(ctx, spec, parts, prefix=prefix, delimiter=delimiter, encoding=encoding)
    if spec.normalise is not None:
        spec.normalise(ctx, temp_name(prefix, spec.name))
    return loaded


def _load_rows(ctx: Any, spec: TableSpec, parts: list[Path], *, prefix: str, delimiter: str, encoding: str) -> int:
    """:func:`load_table` row by row, each row through ``spec.convert``."""
    con = ctx.con
    lead = [pa.field("key", pa.int64()), pa.field("file", pa.string()), pa.field("line", pa.int64())]
    if spec.with_hash:
        lead.append(pa.field("row_hash", pa.int64()))
    schema = pa.schema(lead + [pa.field(n, t) for n, t in spec.columns.items()])
    table = temp_name(prefix, spec.name)
    empty = schema.empty_table()  # noqa: F841 (read by DuckDB by name)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM empty")
    cols: dict[str, list[Any]] = {n: [] for n in schema.names}
    names = list(spec.columns)
    loaded = 0
    run_file = ctx.file

    def flush() -> None:
        if cols["key"]:
            batch = pa.Table.from_pydict(cols, schema=schema)  # noqa: F841 (read by DuckDB by name)
            con.execute(f"INSERT INTO {table} SELECT * FROM batch")
            for c in cols.values():
                c.clear()

    try:
        for index, part in enumerate(parts):
            ctx.file = str(part)  # rejects name the part they come from
            for line, row, idx in _rows(part, spec, delimiter, encoding):
                if spec.main:
                    ctx.row_read()
                raw = delimiter.join(row)
                if len(row) != len(idx):
                    if not spec.main:
                        ctx.row_read()
                    ctx.reject(
                        line, "row", f"{spec.name}: row has {len(row)} fields, header has {len(idx)}", raw
                    )
                    continue

                try:
                    values = spec.convert(_Getter(row, idx), ctx)
                except RowProblem as problem:
                    if not spec.main:
                        ctx.row_read()
                    ctx.reject(line, problem.field_name, f"{spec.name}: {problem.reason}", raw)
                    continue
                cols["key"].append(index * PART_KEY + line)
                cols["file"].append(str(part))
                cols["line"].append(line)
                if spec.with_hash:
                    cols["row_hash"].append(hash(tuple(row)))
                for n, v in zip(names, values, strict=True):
                    cols[n].append(v)
                loaded += 1
                if len(cols["key"]) >= ctx.chunk_rows:
                    flush()
            flush()
    finally:
        ctx.file = run_file
    return loaded


def _load_sql(ctx: Any, spec: TableSpec, parts: list[Path], *, prefix: str, delimiter: str, encoding: str) -> int:
    """:func:`load_table` for a spec with ``sql``: staged as text, typed and checked in SQL per chunk."""
    con, table = ctx.con, temp_name(prefix, spec.name)
    part_table = f"{table}_part"
    view = _TableView(ctx, spec)
    run_file = ctx.file
    try:
        for index, part in enumerate(parts):
            ctx.file = str(part)  # rejects name the part they come from
            header = _header(part, spec, delimiter, encoding)
            target = table if index == 0 else part_table
            try:
                stage_raw_csv(view, part, target, [f"c{i}" for i in range(len(header))], encoding=encoding,
                              delimiter=delimiter, select=_chunk_sql(spec, header, index, part))
            except (zipfile.BadZipFile, zlib.error, EOFError) as err:
                raise InputError(f"corrupt or truncated zip archive ({err})", path=str(part)) from err
            # rawcsv renumbers the lines after a row of the wrong width only once the part is staged
            con.execute(f"UPDATE {target} SET key = {index * PART_KEY} + line WHERE key <> {index * PART_KEY} + line")
            _convert_uncleared(ctx, spec, target, header, delimiter)
            if index:
                con.execute(f"INSERT INTO {table} SELECT * FROM {part_table}")
                con.execute(f"DROP TABLE {part_table}")
    finally:
        ctx.file = run_file
    return count(ctx, f"SELECT count(*) FROM {table}")


def _header(part: Path, spec: TableSpec, delimiter: str, encoding: str) -> list[str]:
    with open_text(part, encoding) as text:
        header = CsvRows(text, path=part, delimiter=delimiter).read_header()
    check_header(part, header, what=f"{spec.name} table", required=spec.required)
    return header


def _chunk_sql(spec: TableSpec, header: list[str], index: int, part: Path) -> str:
    """The query each staged chunk (``arrow_input``: line, c0…cN as text) goes through: the table's columns,
    ``ok`` (the SQL twin cleared the row) and, for a row it did not clear, its cells."""
    position = {name: i for i, name in enumerate(header)}
    free: set[int] = set()  # cells whose edges the condition does not check

    def cell(name: str, *, checked: bool = False) -> str:
        if name not in position:
            return "''"
        if not checked:
            free.add(position[name])
        return f"s{position[name]}"

    assert spec.sql is not None
    values, ok = spec.sql(cell)
    raw = [f"c{i}" for i in range(len(header))]
    stripped = ", ".join(f"trim({c}) AS s{i}" for i, c in enumerate(raw))
    # cells joined by \x01: a \x01 inside a cell can only add false edges (more rows left to convert)
    joined = ", ".join(f"c{i}" for i in sorted(free))
    edges = f"NOT regexp_matches(concat_ws(chr(1), {joined}), '{_EDGE_SPACE}')" if free else "true"
    row_hash = f"(hash({', '.join(raw)}) >> 1)::BIGINT AS row_hash, " if spec.with_hash else ""
    file = str(part).replace("'", "''")
    # the values of a row the SQL does not clear are replaced by convert's (they cannot fail: TRY_CAST)
    columns = ", ".join(f"({values[n]})::{_sql_type(t)} AS {n}" for n, t in spec.columns.items())
    return f"""
        SELECT {index * PART_KEY} + line AS key, '{file}' AS file, line, {row_hash}{columns}, ok,
               CASE WHEN NOT ok THEN [{", ".join(raw)}] END AS cells
        FROM (SELECT *, coalesce({edges} AND {ok}, false) AS ok
              FROM (SELECT line, {", ".join(raw)}, {stripped} FROM arrow_input))"""


_SQL_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.bool_(): "BOOLEAN",
              pa.date32(): "DATE", pa.float64(): "DOUBLE"}


def _sql_type(t: pa.DataType) -> str:
    return _SQL_TYPES[t]


def _convert_uncleared(ctx: Any, spec: TableSpec, table: str, header: list[str], delimiter: str) -> None:
    """Convert in Python (``spec.convert``) the rows of the part just staged that the SQL did not clear: each
    becomes a loaded row or a reject naming its first problem, as row by row."""
    con = ctx.con
    n = count(ctx, f"SELECT count(*) FROM {table} WHERE NOT ok")
    if not n:
        return
    slow = f"{table}_uncleared"
    hashed = "row_hash, " if spec.with_hash else ""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {slow} AS
        SELECT row_number() OVER (ORDER BY key) AS n, key, file, line, {hashed}cells FROM {table} WHERE NOT ok""")
    con.execute(f"DELETE FROM {table} WHERE NOT ok")
    idx = {name: i for i, name in enumerate(header)}
    names = list(spec.columns)
    schema = pa.schema(
        [pa.field("key", pa.int64()), pa.field("file", pa.string()), pa.field("line", pa.int64())]
        + ([pa.field("row_hash", pa.int64())] if spec.with_hash else [])
        + [pa.field(c, t) for c, t in spec.columns.items()] + [pa.field("ok", pa.bool_())])
    step = ctx.chunk_rows
    for start in range(0, n, step):
        rows = con.execute(f"SELECT key, file, line, {hashed}cells FROM {slow} WHERE n > ? AND n <= ? ORDER BY n",
                           [start, start + step]).fetchall()
        cols: dict[str, list[Any]] = {c: [] for c in schema.names}
        for key, file, line, *rest in rows:
            cells = rest[-1]
            try:
                values = spec.convert(_Getter(cells, idx), ctx)
            except RowProblem as problem:
                if not spec.main:
                    ctx.row_read()
                ctx.reject(line, problem.field_name, f"{spec.name}: {problem.reason}", delimiter.join(cells))
                continue
            cols["key"].append(key)
            cols["file"].append(file)
            cols["line"].append(line)
            if spec.with_hash:
                cols["row_hash"].append(rest[0])
            for c, v in zip(names, values, strict=True):
                cols[c].append(v)
            cols["ok"].append(True)
        batch = pa.Table.from_pydict(cols, schema=schema)  # noqa: F841 (read by DuckDB by name)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch")
    con.execute(f"DROP TABLE {slow}")


class _TableView:
    """The run as the staging of one table sees it: its rejects name the table, and rows of a secondary table
    count as read only when rejected (the main table's count as read when staged)."""

    def __init__(self, ctx: Any, spec: TableSpec) -> None:
        self._ctx, self._spec = ctx, spec

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def row_read(self, n: int = 1) -> None:
        if self._spec.main:
            self._ctx.row_read(n)

    def reject(self, line: int, field_name: str, reason: str, raw: str = "") -> None:
        if not self._spec.main:
            self._ctx.row_read()
        self._ctx.reject(line, field_name, f"{self._spec.name}: {reason}", raw)


class _Getter:
    """``get(name)``: the stripped cell of a column, "" when the table lacks it."""

    __slots__ = ("idx", "row")

    def __init__(self, row: list[str], idx: dict[str, int]) -> None:
        self.row, self.idx = row, idx

    def __call__(self, name: str) -> str:
        i = self.idx.get(name)
        return self.row[i].strip() if i is not None else ""


def _rows(
    part: Path, spec: TableSpec, delimiter: str, encoding: str
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    with open_text(part, encoding) as text:
        rows = CsvRows(text, path=part, delimiter=delimiter)
        header = rows.read_header()
        check_header(part, header, what=f"{spec.name} table", required=spec.required)
        idx = {name: i for i, name in enumerate(header)}
        for line, row in rows:
            yield line, row, idx


def load_tables(ctx: Any, found: dict[str, list[Path]], others: list[str], tables: dict[str, TableSpec],
                keys: dict[str, tuple[str, ...]], *, prefix: str, main: str, delimiter: str = ",") -> dict[str, str]:
    """Stage every known table of a discovered folder and reject rows repeating a table's key.

    Records the tables read and ignored in the run's options; ``main``'s rows count as read when loaded, the
    other tables' rows when rejected. Returns table name → staged temp table.
    """
    ctx.options.update({
        "tables": {t: [p.name for p in parts] for t, parts in found.items() if t in tables},
        "tables_ignored": sorted(set(found) - set(tables)) + others,
    })
    for name, spec in tables.items():
        if name in found:
            load_table(ctx, spec, found[name], prefix=prefix, delimiter=delimiter, encoding=ctx.encoding)
    staged = {name: temp_name(prefix, name) for name in tables if name in found}
    for name, key in keys.items():
        if name in staged:
            reject_repeats(ctx, staged[name], key, name, count_read=name != main)
    return staged


def reject_sql(ctx: Any, select: str, params: list[Any] | None = None, *, count_read: bool) -> int:
    """Insert rejects from a query of (file, line, field, reason); returns how many.

    ``count_read``: the rows were not counted as read yet (rows of secondary tables)."""
    con = ctx.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage_tableset_rejects AS {select}", params or [])
    row = con.execute("SELECT count(*) FROM stage_tableset_rejects").fetchone()
    n = int(row[0]) if row else 0
    if n:
        con.execute(
            "INSERT INTO rejects SELECT ?, file, line, field, reason, '' FROM stage_tableset_rejects",
            [ctx.run_id],
        )
        if count_read:
            ctx.row_read(n)
    con.execute("DROP TABLE stage_tableset_rejects")
    return n


def reject_repeats(ctx: Any, table: str, key_cols: tuple[str, ...], label: str, *, count_read: bool) -> int:
    """Reject every row after the first with the same primary key, and drop it from the table."""
    pk = ", ".join(key_cols)
    if not count(ctx, f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {pk} HAVING count(*) > 1)"):
        return 0  # the usual case, found by hashing: no window over the table
    shown = " || '/' || ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in key_cols)
    n = reject_sql(
        ctx,
        f"""
        SELECT file, line, '{key_cols[0]}' AS field,
               '{label}: repeat of ' || {shown} || ' (first at ' || first_file || ':' || first_line || ')'
                   AS reason,
               key
        FROM (SELECT *, row_number() OVER w AS rn, first(file) OVER w AS first_file,
                        first(line) OVER w AS first_line
              FROM {table} WINDOW w AS (PARTITION BY {pk} ORDER BY key
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
        WHERE rn > 1""",
        count_read=count_read,
    )
    if n:
        ctx.con.execute(f"""DELETE FROM {table} WHERE key IN (
            SELECT key FROM (SELECT key, row_number() OVER (PARTITION BY {pk} ORDER BY key) AS rn
                              FROM {table})
            WHERE rn > 1)""")
    return n


def reject_unlinked(ctx: Any, table: str, column: str, parent: str, parent_column: str, reason: str) -> int:
    """Reject (and count as read) the rows of a secondary table whose ``column`` matches no parent row."""
    n = reject_sql(
        ctx,
        f"""
        SELECT c.file, c.line, '{column}' AS field, '{reason} ' || CAST(c.{column} AS VARCHAR) AS reason
        FROM {table} c ANTI JOIN {parent} p ON c.{column} = p.{parent_column}""",
        count_read=True,
    )
    if n:
        ctx.con.execute(
            f"DELETE FROM {table} c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {parent} p WHERE p.{parent_column} = c.{column})"
        )
    return n


def begin_staging(ctx: Any, table: str) -> None:
    """Create ``stage_<table>`` with the canonical layout, so a reader can fill it with INSERT … BY NAME."""
    if not ctx.staged(table):
        ctx.stage(table, SCHEMAS[table].empty_table())


def count(ctx: Any, sql: str) -> int:
    rows = ctx.con.execute(sql).fetchall()  # fetched to the end: a pending result blocks con.register()
    return int(rows[0][0]) if rows else 0


def table_exists(ctx: Any, name: str) -> bool:
    return bool(count(ctx, f"SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '{name}'"))
