"""Arrow chunks handed to DuckDB inside a transaction are not kept until the commit (aieco/arrowsql.py).

With ``con.register``, every chunk an ingest staged stayed in memory until its commit: 1 GB per million
PATSTAT applications, 14 GB four minutes into 100 million (docs/scale.md)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa

from aieco.arrowsql import execute_over

SRC = Path(__file__).resolve().parents[1] / "src" / "aieco"


def test_chunks_staged_in_one_transaction_are_freed() -> None:
    con = duckdb.connect()
    con.execute("BEGIN")
    before = pa.total_allocated_bytes()
    for i in range(20):  # 20 chunks of ~4 MB of text each
        chunk = pa.table({"line": pa.array(range(i * 50_000, (i + 1) * 50_000)),
                          "text": pa.array(["x" * 80] * 50_000)})  # fmt: skip
        sql = "INSERT INTO t SELECT * FROM arrow_input" if i else "CREATE TEMP TABLE t AS SELECT * FROM arrow_input"
        execute_over(con, sql, chunk)
        del chunk
    held = pa.total_allocated_bytes() - before
    row = con.execute("SELECT count(*), sum(length(text)) FROM t").fetchall()[0]
    con.execute("COMMIT")
    assert row == (1_000_000, 80_000_000)
    assert held < 10 << 20, f"{held / 2**20:.0f} MB of Arrow chunks still held inside the transaction"


def test_ingest_code_does_not_register_arrow_tables() -> None:
    """The staging paths of every reader and of the store go through execute_over, not con.register."""
    offenders = [f"{p.relative_to(SRC)}:{n}" for p in SRC.rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\bcon\.register\([\"']", line)]  # fmt: skip
    assert offenders == []
