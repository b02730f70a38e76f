"""Running SQL over an Arrow table without registering it (DuckDB's replacement scan).

``con.register(name, table)`` makes a view whose catalog entry holds the Arrow table; inside a transaction,
``unregister`` drops the view, but the dropped entry, and with it the table, is kept until the transaction
ends. An ingest stages every chunk of its input in one transaction (a failed or killed run leaves the store
as it was), so each registered chunk stayed in memory until the commit: peak RSS grew with the input, 1 GB
per million PATSTAT applications, 14 GB four minutes into 100 million (measured 2026-12-04, docs/scale.md).
A replacement scan reads a variable of the calling frame for the length of one query and keeps nothing.
"""

from __future__ import annotations

from typing import Any


def execute_over(con: Any, sql: str, arrow_input: Any) -> None:
    """Run ``sql``, which reads ``arrow_input`` (a pyarrow Table or RecordBatch) under that name.

    >>> import duckdb, pyarrow as pa
    >>> con = duckdb.connect()
    >>> execute_over(con, "CREATE TABLE t AS SELECT * FROM arrow_input", pa.table({"x": [1, 2]}))
    >>> con.execute("SELECT sum(x) FROM t").fetchall()
    [(3,)]
    """
    assert arrow_input is not None  # read by DuckDB by name, in this frame
    con.execute(sql)
