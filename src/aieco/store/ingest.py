"""Atomic ingest runs.

An ingest is one transaction: the reader streams its file in chunks into staging tables, then set-based SQL
merges the staged rows into the canonical tables (new documents, enrichment of documents already loaded,
rejects). On any error or interruption the transaction rolls back and the store is exactly as before; a
process killed with SIGKILL leaves an uncommitted transaction that DuckDB discards on the next open.

Invariant checked before commit: rows read = rows accepted + rows rejected.
"""

from __future__ import annotations

import contextlib
import errno
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from aieco import __version__
from aieco.arrowsql import execute_over
from aieco.errors import AiecoError, InputError, Interrupted, StoreError
from aieco.files import check_readable, oversized_reason, sha256_file, sha256_folder
from aieco.model import CHILD_TABLES, DOCUMENT_COLUMNS, IngestResult, Run
from aieco.settings import setting, setting_count
from aieco.signals import hold_at
from aieco.store.connection import Store
from aieco.store.readback import finding_catalogue
from aieco.store.schema import run_tables

EXAMPLES_PER_FINDING = 5
REJECTS_PER_FLUSH = 50_000
# A run in which (nearly) every row is rejected is refused: the header almost surely does not match the data.
_GUARD_ROWS, _GUARD_SHARE = 1000, 0.9


def _refuse_if_all_rejected(con: duckdb.DuckDBPyConnection, ctx: RunContext, rejected: int) -> None:
    """Refuse a run whose rows are (nearly) all rejected for their content: a header that does not match.
    Exact repeats of earlier lines are not that (the file repeats itself; its first copies are accepted)."""
    if rejected:
        row = con.execute("SELECT count(*) FROM rejects WHERE run_id = ? AND field = 'row' "
                          "AND reason LIKE 'exact repeat of line %'", [ctx.run_id]).fetchone()
        repeats = int(row[0]) if row else 0
    else:
        repeats = 0
    read, rejected = ctx.rows_read - repeats, rejected - repeats
    if not read or not (rejected == read or (read >= _GUARD_ROWS and rejected >= _GUARD_SHARE * read)):
        return
    first = con.execute("SELECT line, field, reason FROM rejects WHERE run_id = ? AND NOT (field = 'row' "
                        "AND reason LIKE 'exact repeat of line %') ORDER BY line LIMIT 1",
                        [ctx.run_id]).fetchone()
    what = f"first: line {first[0]} [{first[1]}] {first[2]}" if first else ""
    # JSON, XML and Parquet records name their fields: there is no header to blame
    cause = ("the records are not in the layout this reader reads (another export's layout?)"
             if ctx.path.name.lower().endswith(_HEADERLESS) else
             "the columns do not match the data (a shuffled or wrong header?)")
    raise InputError(f"{rejected:,} of {read:,} rows rejected ({what}); {cause}; nothing was written", path=ctx.file)


_HEADERLESS = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz", ".xml", ".parquet", ".js")


# DuckDB's words for a full disk: its own writes, and the spill folder it could not offload to (its size is
# bounded by the free space of that disk by default: 'failed to offload ... max_temp_directory_size').
_DISK_FULL = ("no space left", "disk is full", "not enough space", "could not write", "could not truncate",
              "failed to offload", "max_temp_directory_size")


def store_failure(store: Store, path: Path, err: duckdb.Error) -> StoreError:
    """The store's error as the user should read it: a full disk, memory, or the engine's own words."""
    text = str(err)
    low = text.lower()
    if any(k in low for k in _DISK_FULL):
        spill = Path(store.path).with_suffix(".tmp") if store.path != ":memory:" else None
        where = f"the store {store.path}" + (f" or its spill folder {spill}" if spill else "")
        return StoreError(f"{path}: the disk is full (writing {where}); nothing was written; free space on "
                          f"that disk ({text.splitlines()[0][:200]})")
    if isinstance(err, duckdb.OutOfMemoryException) or "out of memory" in low or "failed to allocate" in low:
        return StoreError(f"{path}: the store ran out of memory ({setting('ingest_memory_limit')} while "
                          "ingesting); nothing was written; raise AIECO_INGEST_MEMORY_LIMIT")
    return StoreError(f"{path}: ingest failed in the store ({text}); nothing was written")


def doc_id_sql(prefix: str = "") -> str:
    """SQL for the 64-bit document id from the identity columns (stable across runs and versions)."""
    p = prefix
    return (f"(md5_number_lower(concat_ws('|', {p}source, coalesce({p}office, ''), coalesce({p}number, ''), "
            f"coalesce({p}kind, ''), coalesce({p}family_id, ''))) >> 1)::BIGINT")


class Reader(Protocol):
    kind: str

    def read(self, path: Path, ctx: RunContext) -> None: ...


@dataclass
class _FindingTally:
    count: int = 0
    examples: list[str] = field(default_factory=list)
    detail: str = ""


class RunContext:
    """What a reader writes to during a run: staged rows, rejects, findings, progress."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: int, path: Path, *, encoding: str | None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.con = con
        self.run_id = run_id
        self.path = path
        self.file = str(path)
        self.encoding = encoding
        self.rows_read = 0
        self.accepted_direct = 0  # rows a reader wrote to a table of its own (not via staging)
        self.chunk_rows = setting_count("chunk_rows")
        self._rejects: list[tuple[Any, ...]] = []
        self._rejected = 0
        self._findings: dict[str, _FindingTally] = {}
        self._progress = progress
        self._staged: set[str] = set()
        self.run_category_rows: list[tuple[str, str | None, str]] = []
        self.options: dict[str, Any] = {}

    # -- counting and progress -----------------------------------------------------------------------
    def accept_direct(self, n: int = 1) -> None:
        """Count rows a reader wrote itself, inside the run's transaction, to a table of its own."""
        self.accepted_direct += n

    def row_read(self, n: int = 1) -> None:
        self.rows_read += n
        if self._progress and self.rows_read % 10_000 < n:
            self._progress(self.rows_read)

    def show_progress(self, rows: int) -> None:
        """Move the progress bar for a reader that counts its rows only at the end (they are not counted)."""
        if self._progress:
            self._progress(rows)

    # -- rejects and findings ------------------------------------------------------------------------
    def reject(self, line: int, field_name: str, reason: str, raw: str = "") -> None:
        # a lone surrogate (from a JSON escape) cannot be stored as UTF-8: keep it visible as \udxxx
        raw = raw[:2000].encode("utf-8", "backslashreplace").decode("utf-8")
        if oversized := oversized_reason(raw):
            field_name, reason = "row", oversized
        reason = reason.encode("utf-8", "backslashreplace").decode("utf-8")
        self._rejects.append((self.file, line, field_name, reason, raw))
        self._rejected += 1
        if len(self._rejects) >= REJECTS_PER_FLUSH:
            self.flush_rejects()

    def flush_rejects(self) -> None:
        """Write the pending rejects as one set (an Arrow table), not row by row: rejecting is as fast as
        accepting (100,000 bad Lens rows: 54 s row by row, about a second as a set)."""
        if not self._rejects:
            return
        file, line, field_name, reason, raw = zip(*self._rejects, strict=True)
        rejects_batch = pa.table({  # noqa: F841 -- read by DuckDB's replacement scan, by its name
            "file": pa.array(file, pa.string()), "line": pa.array(line, pa.int64()),
            "field": pa.array(field_name, pa.string()), "reason": pa.array(reason, pa.string()),
            "raw": pa.array(raw, pa.string())})
        # not con.register(): it refuses while a reader's earlier statement has an unfetched result
        self.con.execute("INSERT INTO rejects SELECT ?, file, line, field, reason, raw FROM rejects_batch",
                         [self.run_id])
        self._rejects.clear()

    def finding(self, finding_id: str, example: str = "", *, count: int = 1, detail: str = "") -> None:
        if finding_id not in finding_catalogue():  # a reader's bug: every id is published in the catalogue
            raise StoreError(f"internal error: finding id {finding_id!r} is not in data/findings.yaml")
        tally = self._findings.setdefault(finding_id, _FindingTally())
        tally.count += count
        if example and len(tally.examples) < EXAMPLES_PER_FINDING and example not in tally.examples:
            tally.examples.append(example)
        if detail:
            tally.detail = detail

    def flush_findings(self) -> None:
        for fid, tally in self._findings.items():
            self.con.execute("INSERT INTO findings VALUES (?, ?, ?, ?, ?)",
                             [self.run_id, fid, tally.count, json.dumps(tally.examples), tally.detail])

    # -- staging -------------------------------------------------------------------------------------
    def stage(self, table: str, batch: pa.Table) -> None:
        """Append a chunk of rows to the staging table ``stage_<table>`` (columns as documented above)."""
        name = f"stage_{table}"
        hold_at("staging")
        if name not in self._staged:
            execute_over(self.con, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM arrow_input LIMIT 0", batch)
            self._staged.add(name)
        # not con.register: a registered batch would stay in memory until the run's commit (aieco/arrowsql.py)
        execute_over(self.con, f"INSERT INTO {name} BY NAME SELECT * FROM arrow_input", batch)

    def mark_staged(self, table: str) -> None:
        """A reader that built ``stage_<table>`` itself in SQL declares it here."""
        self._staged.add(f"stage_{table}")

    def staged(self, table: str) -> bool:
        return f"stage_{table}" in self._staged

    def declare_categories(self, scheme: str, categories: list[tuple[str | None, str]]) -> None:
        """Record which flags this run carries, so that a document without a row is known to be false."""
        self.run_category_rows.extend((scheme, dim, cat) for dim, cat in categories)


def _complete_staging(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    """Add the canonical columns a reader's SQL-built staging table left out, as NULLs."""
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = 'temp'",
        [f"stage_{table}"]
    ).fetchall()}
    for name, sql_type in columns.items():
        if name not in have:
            con.execute(f"ALTER TABLE stage_{table} ADD COLUMN {name} {sql_type}")


def _merge(con: duckdb.DuckDBPyConnection, ctx: RunContext, source: str) -> int:
    """Merge staged rows into the canonical tables; returns the number of accepted rows."""
    run_id = ctx.run_id
    hold_at("merge")
    if not ctx.staged("documents"):
        return 0
    _complete_staging(con, "documents", DOCUMENT_COLUMNS)
    for table, spec in CHILD_TABLES.items():
        if ctx.staged(table):
            _complete_staging(con, table, spec["columns"])
    cols = ", ".join(DOCUMENT_COLUMNS)
    # 1. exact repeats, then 2. a second row for the same document with other values: both rejected.
    # Ranks are taken on a narrow projection (line, id, hash); the wide rows are joined once afterwards.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE stage_docs_ranked AS
        SELECT line, doc_id, min(line) OVER (PARTITION BY doc_id, row_hash) AS same_row_line,
               min(line) OVER (PARTITION BY doc_id) AS same_doc_line
        FROM (SELECT line, row_hash, {doc_id_sql()} AS doc_id FROM stage_documents)""")
    con.execute(f"""
        INSERT INTO rejects
        SELECT {run_id}, ?, line, 'row', 'exact repeat of line ' || same_row_line, ''
        FROM stage_docs_ranked WHERE line > same_row_line""", [ctx.file])
    con.execute(f"""
        INSERT INTO rejects
        SELECT {run_id}, ?, r.line, 'Publication_number',
               'same document (' || concat_ws(' ', s.office, s.number, s.kind) || ', family ' ||
               coalesce(s.family_id, '-') || ') as line ' || r.same_doc_line || ' but other values', ''
        FROM stage_docs_ranked r JOIN stage_documents s USING (line)
        WHERE r.line = r.same_row_line AND r.line > r.same_doc_line""", [ctx.file])
    con.execute("""
        CREATE OR REPLACE TEMP TABLE stage_docs_unique AS
        SELECT s.*, r.doc_id, d.doc_id IS NOT NULL AS existing
        FROM stage_docs_ranked r JOIN stage_documents s USING (line)
        LEFT JOIN documents d ON d.doc_id = r.doc_id
        WHERE r.line = r.same_doc_line""")
    con.execute("DROP TABLE stage_docs_ranked")
    con.execute("DROP TABLE stage_documents")
    # 3. mangled numbers link only by their full identity once another run of this source holds documents.
    others = con.execute("SELECT count(*) FROM documents WHERE source = ? AND run_id <> ?",
                         [source, run_id]).fetchone()
    if others and others[0]:
        con.execute(f"""
            INSERT INTO rejects
            SELECT {run_id}, ?, line, 'Publication_number',
                   'mangled publication number ' || number_raw || ' (' || office || ' ' || kind ||
                   ', family ' || coalesce(family_id, '-') || ') matches no loaded document; '
                   || 'cannot be linked safely', ''
            FROM stage_docs_unique WHERE number_mangled AND NOT existing""", [ctx.file])
        con.execute("DELETE FROM stage_docs_unique WHERE number_mangled AND NOT existing")
    con.execute(f"""
        INSERT INTO documents (doc_id, run_id, {cols}, source_line)
        SELECT doc_id, {run_id}, {cols}, line FROM stage_docs_unique WHERE NOT existing""")
    # Enrichment: a later version fills what the loaded document lacks.
    fill = ", ".join(f"{c} = coalesce(documents.{c}, s.{c})" for c in DOCUMENT_COLUMNS
                     if c not in ("source", "office", "number", "kind", "family_id", "extra"))
    con.execute(f"""
        UPDATE documents SET {fill},
            extra = CASE WHEN documents.extra IS NULL THEN s.extra WHEN s.extra IS NULL THEN documents.extra
                         ELSE json_merge_patch(s.extra, documents.extra) END
        FROM stage_docs_unique s WHERE documents.doc_id = s.doc_id AND s.existing""")
    con.execute(f"INSERT INTO document_sources SELECT doc_id, {run_id}, line FROM stage_docs_unique")
    for table, spec in CHILD_TABLES.items():
        if not ctx.staged(table):
            continue
        ccols = ", ".join(spec["columns"])
        dedupe = " AND ".join(f"t.{c} IS NOT DISTINCT FROM c.{c}" for c in spec["dedupe"])
        con.execute(f"""
            INSERT INTO {table} (doc_id, run_id, {ccols})
            SELECT u.doc_id, {run_id}, {", ".join("c." + c for c in spec["columns"])}
            FROM stage_{table} c JOIN stage_docs_unique u USING (line)
            WHERE NOT u.existing OR NOT EXISTS (
                SELECT 1 FROM {table} t WHERE t.doc_id = u.doc_id AND {dedupe})""")
    accepted = con.execute("SELECT count(*) FROM stage_docs_unique").fetchone()
    return int(accepted[0]) if accepted else 0


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # after a fatal error the connection can do nothing more
        _drop_staging_tables(con)


def _drop_staging_tables(con: duckdb.DuckDBPyConnection) -> None:
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary "
                               "AND table_name LIKE 'stage_%'").fetchall():
        con.execute(f"DROP TABLE IF EXISTS {name}")


def find_run(store: Store, kind: str, sha256: str) -> Run | None:
    rows = store.query_dicts("SELECT * FROM runs WHERE kind = ? AND sha256 = ? ORDER BY run_id LIMIT 1",
                             [kind, sha256])
    return run_from_row(rows[0]) if rows else None


def run_from_row(row: dict[str, Any]) -> Run:
    return Run(run_id=row["run_id"], kind=row["kind"], path=row["path"], sha256=row["sha256"],
               rows_read=row["rows_read"], rows_accepted=row["rows_accepted"],
               rows_rejected=row["rows_rejected"], started_at=str(row["started_at"]),
               seconds=row["seconds"] or 0.0, aieco_version=row["aieco_version"], encoding=row["encoding"],
               options=json.loads(row["options"]) if row["options"] else {})


def delete_run(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    for table in run_tables(con):
        con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
    con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])


def ingest(store: Store, reader: Reader, path: Path, *, replace: bool = False, encoding: str | None = None,
           options: dict[str, Any] | None = None,
           progress: Callable[[int], None] | None = None) -> IngestResult:
    """Read ``path`` with ``reader`` into the store as one run, all or nothing.

    >>> ingest(store, Cset1790Reader(), Path("patent_database-7b5b096.csv.zip"))  # doctest: +SKIP
    """
    path = Path(path)
    if path.is_dir() and getattr(reader, "reads_folders", False):  # table sets (PATSTAT, PatentsView)
        digest = sha256_folder(path)
    else:
        check_readable(path)
        digest = sha256_file(path)
    existing = find_run(store, reader.kind, digest)
    if existing and not replace:
        check = getattr(reader, "check_already_loaded", None)  # a reader may refuse the skip (firm registries)
        if check is not None:
            check(existing, options or {}, path)
        return IngestResult(run=existing, noop=True)
    con = store.con
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
    con.execute(f"SET memory_limit = '{setting('ingest_memory_limit')}'")
    try:
        return _ingest_run(store, reader, path, digest, existing, encoding=encoding, options=options,
                           progress=progress)
    finally:
        if limit:
            with contextlib.suppress(duckdb.Error):
                con.execute(f"SET memory_limit = '{limit[0]}'")


def _ingest_run(store: Store, reader: Reader, path: Path, digest: str, existing: Run | None, *,
                encoding: str | None, options: dict[str, Any] | None,
                progress: Callable[[int], None] | None) -> IngestResult:
    con = store.con
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        with store.transaction(what="the run"):
            if existing:
                delete_run(con, existing.run_id)
            row = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
            run_id = int(row[0]) if row else 1
            if store.guard is not None:
                store.guard.what = f"run {run_id}"
            opts = dict(options or {})
            con.execute("INSERT INTO runs (run_id, kind, path, sha256, started_at, aieco_version, encoding) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [run_id, reader.kind, str(path), digest, started_at, __version__, encoding])
            ctx = RunContext(con, run_id, path, encoding=encoding, progress=progress)
            if hasattr(reader, "configure"):
                reader.configure(opts)
            reader.read(path, ctx)
            ctx.flush_rejects()
            accepted = _merge(con, ctx, getattr(reader, "source", reader.kind)) + ctx.accepted_direct
            ctx.flush_findings()
            if ctx.run_category_rows:
                con.executemany("INSERT INTO run_categories VALUES (?, ?, ?, ?)",
                                [(run_id, *r) for r in ctx.run_category_rows])
            rejected_row = con.execute("SELECT count(*) FROM rejects WHERE run_id = ?", [run_id]).fetchone()
            rejected = int(rejected_row[0]) if rejected_row else 0
            _refuse_if_all_rejected(con, ctx, rejected)
            if ctx.rows_read != accepted + rejected:
                raise StoreError(f"{path}: internal check failed: rows read {ctx.rows_read} != accepted "
                                 f"{accepted} + rejected {rejected}; nothing was written")
            opts.update(ctx.options)
            seconds = time.perf_counter() - started
            con.execute("UPDATE runs SET rows_read = ?, rows_accepted = ?, rows_rejected = ?, seconds = ?, "
                        "encoding = ?, options = ? WHERE run_id = ?",
                        [ctx.rows_read, accepted, rejected, seconds, ctx.encoding, json.dumps(opts), run_id])
            _drop_staging(con)
    except AiecoError:
        _drop_staging(con)
        raise
    except duckdb.InterruptException as err:
        raise Interrupted("interrupted; nothing was written") from err
    except RuntimeError as err:  # Arrow streams report an interrupt as RuntimeError("Query interrupted")
        if "interrupted" in str(err).lower():
            raise Interrupted("interrupted; nothing was written") from err
        raise
    except duckdb.Error as err:
        _drop_staging(con)
        raise store_failure(store, path, err) from err
    except OSError as err:
        if err.errno == errno.ENOSPC:
            raise StoreError(f"{path}: the disk is full ({err}); nothing was written; free space") from err
        raise InputError(f"cannot read the input ({err.strerror or err})", path=str(path)) from err
    run = Run(run_id=run_id, kind=reader.kind, path=str(path), sha256=digest, rows_read=ctx.rows_read,
              rows_accepted=accepted, rows_rejected=rejected, started_at=str(started_at), seconds=seconds,
              aieco_version=__version__, encoding=ctx.encoding, options=opts)
    return IngestResult(run=run, noop=False, replaced_run_id=existing.run_id if existing else None)
