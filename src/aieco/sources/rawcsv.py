"""Staging a CSV file's records, as text, into a DuckDB table with their line numbers.

Readers that validate and normalise set-based (in SQL) start here. Two producers fill the same table
``raw_<name>(line BIGINT, <header columns> VARCHAR)``:
- fast: Arrow's streaming CSV parser, used when the file is UTF-8 and every record is one physical line
  (checked by counting lines: records + header + invalid rows = lines);
- general: Python's csv module (quoted newlines, CR-only line ends, legacy encodings), line by line.
Memory stays bounded: both hand over chunks, and DuckDB spills to disk past its memory limit.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from aieco.arrowsql import execute_over
from aieco.errors import InputError
from aieco.signals import hold_at
from aieco.sources.files import CountingReader, CsvRows, Encoding, detect_encoding, open_binary, open_text

_BLOCK = 2 << 20  # Arrow parse block
_BATCHES_PER_INSERT = 8  # ~16 MB of text per insert


def _insert(con: Any, table: str, chunk: pa.Table, select: str, first: bool) -> None:
    """Append a chunk (``arrow_input``: line + text columns) through the reader's ``select``."""
    select = select or "SELECT * FROM arrow_input"
    hold_at("staging")
    sql = f"CREATE OR REPLACE TEMP TABLE {table} AS {select}" if first else f"INSERT INTO {table} {select}"
    execute_over(con, sql, chunk)  # not con.register: a registered chunk stays in memory until the commit


def _prefetched(reader: Any) -> Generator[pa.RecordBatch, None, None]:
    """Arrow parses the next batches in a thread while DuckDB inserts the current ones (both release the
    GIL). Errors in the parser are raised here, in the caller's thread. However the consumer ends (done, an
    error, Ctrl-C), the thread is told to stop and joined: a parser thread still running while the
    interpreter exits ends the process in SIGABRT ("terminate called without an active exception")."""
    q: queue.Queue[Any] = queue.Queue(maxsize=_BATCHES_PER_INSERT * 2)
    done = object()
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in reader:
                if not put(batch):
                    return
            put(done)
        except BaseException as err:  # handed to the consumer
            put(err)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            try:
                item = q.get(timeout=0.2)  # a timeout keeps Ctrl-C deliverable
            except queue.Empty:
                continue
            if item is done:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _fast(ctx: Any, path: Path, table: str, header: list[str], delimiter: str, select: str) -> bool:
    """Arrow path; False (and nothing staged) when the bytes are not UTF-8 or records and lines do not
    correspond one to one (quoted newlines, empty lines)."""
    try:
        # Parallel parsing first; Arrow knows the line of an invalid row only when it parses in one thread,
        # so a file with invalid rows is parsed again that way.
        outcome = _fast_read(ctx, path, table, header, delimiter, select, threads=True)
        if outcome == "renumber":
            outcome = _fast_read(ctx, path, table, header, delimiter, select, threads=False)
        return outcome == "ok"
    except pa.ArrowInvalid:  # not UTF-8, or a parse the general reader reports row by row
        ctx.con.execute(f"DROP TABLE IF EXISTS {table}")
        return False


def _fast_read(ctx: Any, path: Path, table: str, header: list[str], delimiter: str, select: str, *,
               threads: bool) -> str:
    # Arrow decodes an invalid row's text as UTF-8 before calling the handler; on bytes that are not UTF-8
    # that fails inside Arrow and Python prints "Exception ignored in … UnicodeDecodeError". Such a failure is
    # kept quiet here; the file then goes to the general path (which detects its encoding).
    undecodable: list[BaseException | None] = []
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, UnicodeDecodeError):
            undecodable.append(unraisable.exc_value)
        else:
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        outcome = _fast_read_hooked(ctx, path, table, header, delimiter, select, threads=threads)
    finally:
        sys.unraisablehook = previous
    # an undecodable invalid row is missing from Arrow's invalid rows, so records and lines no longer match
    # and the outcome is already "fallback" (or "renumber", then "fallback"): nothing was counted twice
    return outcome


def _fast_read_hooked(ctx: Any, path: Path, table: str, header: list[str], delimiter: str, select: str, *,
                      threads: bool) -> str:
    invalid: list[tuple[int, str, int, int]] = []

    def on_invalid(row: Any) -> str:
        invalid.append((row.number or -1, row.text, row.expected_columns, row.actual_columns))
        return "skip"

    con = ctx.con
    seen = 0
    with open_binary(path) as raw:
        fh = CountingReader(raw)
        reader = pacsv.open_csv(
            fh,
            read_options=pacsv.ReadOptions(use_threads=threads, block_size=_BLOCK, skip_rows=1,
                                           column_names=[f"c{i}" for i in range(len(header))]),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(header))}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
        # Several Arrow batches go to DuckDB at once, so that its threads scan them in parallel.
        pending: list[pa.RecordBatch] = []
        held = 0

        def flush() -> None:
            nonlocal seen, held
            if pending:
                chunk = pa.Table.from_batches(pending)
                _insert(con, table, chunk, select, first=seen == 0)
                seen += chunk.num_rows
                pending.clear()
                held = 0
                ctx.show_progress(seen)

        # closing(): the parser thread is stopped and joined here, not when a traceback lets go of it
        with contextlib.closing(_prefetched(reader)) as batches:
            for batch in batches:
                n = batch.num_rows
                # line = record index + 2 (header, 1-based) until an invalid line shifts it (fixed below)
                start = seen + held + 2
                line = pa.array(range(start, start + n), type=pa.int64())
                pending.append(pa.RecordBatch.from_arrays([line, *batch.columns], names=["line", *header]))
                held += n
                if len(pending) >= _BATCHES_PER_INSERT:
                    flush()
        flush()
        if seen == 0:
            empty = pa.Table.from_arrays([pa.array([], pa.int64())] + [pa.array([], pa.string())] * len(header),
                                         names=["line", *header])
            _insert(con, table, empty, select, first=True)
        lines, blank = fh.counter.lines, fh.counter.blank
    if any(num < 0 for num, *_ in invalid):
        con.execute(f"DROP TABLE {table}")
        return "renumber"
    if blank or seen + len(invalid) + 1 != lines:
        con.execute(f"DROP TABLE {table}")
        return "fallback"
    # Each invalid line before a record shifts that record's line by one.
    bad_lines = sorted(num for num, *_ in invalid)
    thresholds = [line - j for j, line in enumerate(bad_lines)]
    if thresholds:
        con.execute("CREATE OR REPLACE TEMP TABLE raw_thresholds AS SELECT unnest(?) AS t", [thresholds])
        con.execute(f"UPDATE {table} SET line = line + (SELECT count(*) FROM raw_thresholds "
                    f"WHERE t <= {table}.line)")
        con.execute("DROP TABLE raw_thresholds")
    ctx.row_read(seen + len(invalid))
    for num, text, expected, actual in invalid:
        ctx.reject(num, "row", f"row has {actual} fields, header has {expected}", text)
    return "ok"


def _general(ctx: Any, path: Path, table: str, header: list[str], delimiter: str, encoding: str,
             select: str) -> None:
    con = ctx.con
    width = len(header)
    cols: list[list[Any]] = [[] for _ in range(width + 1)]
    created = False

    def flush() -> None:
        nonlocal created
        if cols[0] or not created:
            chunk = pa.Table.from_arrays([pa.array(cols[0], pa.int64())] +
                                         [pa.array(c, pa.string()) for c in cols[1:]],
                                         names=["line", *header])
            _insert(con, table, chunk, select, first=not created)
            created = True
            for c in cols:
                c.clear()

    with open_text(path, encoding) as text:
        rows = CsvRows(text, path=path, delimiter=delimiter)
        rows.read_header()
        for line, row in rows:
            ctx.row_read()
            if len(row) != width:
                ctx.reject(line, "row", f"row has {len(row)} fields, header has {width}", delimiter.join(row))
                continue
            cols[0].append(line)
            for i, value in enumerate(row, start=1):
                cols[i].append(value)
            if len(cols[0]) >= ctx.chunk_rows:
                flush()
    flush()


def stage_raw_csv(ctx: Any, path: Path, table: str, header: list[str], *, encoding: str | None = None,
                  delimiter: str = ",", select: str = "") -> tuple[str, Encoding]:
    """Stage every record of ``path`` into ``table``; returns which producer ran ('arrow' or 'python') and
    the encoding read (detected unless ``encoding`` is given).

    ``select`` is a query over ``arrow_input`` (``line`` and the header's columns, as text) run on each chunk as
    it arrives: a reader checks and narrows the rows on the way in, so the file is never held whole and wide.
    UTF-8 is tried first in one pass (Arrow rejects invalid UTF-8); only a file that fails it is read twice
    (detection, then the general reader).
    """
    if len(set(header)) != len(header) or any('"' in h for h in header):
        raise InputError("header has repeated or quoted column names", path=str(path), line=1)
    if encoding in (None, "utf-8", "utf8") and _fast(ctx, path, table, header, delimiter, select):
        return "arrow", Encoding(name="utf-8", detected=False)
    enc = detect_encoding(path) if encoding is None else Encoding(name=encoding, detected=False)
    _general(ctx, path, table, header, delimiter, enc.name, select)
    return "python", enc
