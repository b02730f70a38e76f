"""Opening the store: one DuckDB file, migrated to the latest schema on open."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from aieco.errors import StoreError
from aieco.settings import setting, setting_count
from aieco.signals import SignalGuard
from aieco.store.schema import migrations


class Store:
    """A DuckDB store. Use :func:`open_store`; close it, or use it as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con = con
        self.path = path
        self.guard: SignalGuard | None = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return its rows; engine errors become StoreError with the SQL."""
        try:
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as err:
            raise StoreError(f"query failed: {err} -- SQL: {' '.join(sql.split())[:300]}") from err

    def query_dicts(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        try:
            cur = self.con.execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        except duckdb.Error as err:
            raise StoreError(f"query failed: {err} -- SQL: {' '.join(sql.split())[:300]}") from err

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.query(sql, params)
        return row[0][0] if row else None

    @contextlib.contextmanager
    def transaction(self, what: str = "the changes") -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back on any exception (Ctrl-C included).

        SIGINT/SIGTERM before the commit begins interrupts the work and rolls back; from the moment the commit
        begins it is held, and :class:`~aieco.errors.InterruptedAfterCommit` says afterwards that the
        changes were written (see :mod:`aieco.signals`). ``self.guard.what`` names them in messages.
        """
        with SignalGuard(self.con, what) as guard:
            self.guard = guard
            committed = False
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
                with guard.commit():
                    self.con.execute("COMMIT")
                    committed = True
            except BaseException:
                if not committed:
                    with contextlib.suppress(duckdb.Error):
                        self.con.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return int(self.scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def has_table(self, name: str) -> bool:
        return bool(self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema='main' AND table_name=?",
            [name]))


_SQLITE_MAGIC = b"SQLite format 3\x00"
_LOCK_PID = re.compile(r"PID (\d+)")


def _not_a_store(path: str) -> str | None:
    """Why the file at ``path`` cannot be a DuckDB store (read before DuckDB, which would try to load an
    extension for a SQLite file: no network at run time), or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    if head.startswith(_SQLITE_MAGIC):
        return "is a SQLite database, not an aieco store (a DuckDB file)"
    if head and len(head) >= 12 and head[8:12] != b"DUCK":
        return "is not an aieco store (not a DuckDB file)"
    return None


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": setting("memory_limit"), "threads": setting_count("threads"),
        # never fetch or load an extension behind the user's back (no network at run time)
        "autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if path != ":memory:" and Path(path).is_file() and (why := _not_a_store(path)):
        raise StoreError(f"{path}: {why}")
    try:
        con = duckdb.connect(path, read_only=read_only, config=config)
    except duckdb.Error as err:
        text = str(err)
        if "lock" in text.lower():
            pid = _LOCK_PID.search(text)
            who = f"process {pid.group(1)}" if pid else "another process"
            raise StoreError(f"{path}: the store is in use by {who} (an ingest or classify writes to it); "
                             "run this when it has finished, or on a copy of the store") from err
        raise StoreError(f"{path}: cannot open the store: {err}") from err
    if path != ":memory:":
        tmp = Path(path).with_suffix(".tmp")
        con.execute(f"SET temp_directory = '{tmp.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the store has not recorded (each once, in order); returns the latest version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    applied = {int(r[0]) for r in con.execute("SELECT version FROM schema_version").fetchall()}
    for mig in migrations():
        if mig.version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [mig.version, mig.name])
            con.execute("COMMIT")
        except duckdb.Error as err:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {mig.version} ({mig.name}) failed: {err}") from err
        applied.add(mig.version)
    return max(applied, default=0)


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating as needed) the store at ``path``; ``":memory:"`` for a scratch store."""
    p = str(path)
    if p != ":memory:":
        parent = Path(p).parent
        if not parent.exists():
            if read_only:
                raise StoreError(f"{p}: no such store")
            parent.mkdir(parents=True, exist_ok=True)
        if read_only and not Path(p).exists():
            raise StoreError(f"{p}: no such store; ingest something first (aieco ingest KIND PATH)")
    con = _connect(p, read_only)
    if not read_only:
        migrate(con)
    return Store(con, p)
