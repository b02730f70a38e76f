"""The store: migrations applied once each, in order, also when one arrives late; read-only opening."""

from __future__ import annotations

import pytest

from aieco.errors import StoreError
from aieco.store import open_store
from aieco.store.connection import migrate
from aieco.store.schema import migrations, run_tables


def test_fresh_store_has_every_migration(tmp_path):
    with open_store(tmp_path / "s.duckdb") as s:
        versions = [r[0] for r in s.query("SELECT version FROM schema_version ORDER BY 1")]
        assert versions == [m.version for m in migrations()]
        assert s.schema_version() == migrations()[-1].version
        assert {"documents", "classifications", "parties", "rejects", "findings"} <= set(run_tables(s.con))
        assert run_tables(s.con)[-1] == "documents"  # children are deleted first


def test_a_late_migration_with_a_lower_number_is_still_applied(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as s:
        first = migrations()[0]
        last = migrations()[-1]
        if first.version == last.version:
            pytest.skip("only one migration")
        # pretend the store was migrated before the middle migrations existed
        s.con.execute("DELETE FROM schema_version WHERE version NOT IN (?, ?)", [first.version, last.version])
        missing = [m for m in migrations() if m.version not in (first.version, last.version)]
        for m in missing:
            for stmt in m.sql.split(";"):
                name = stmt.split("CREATE TABLE", 1)[1].split("(")[0].strip() if "CREATE TABLE" in stmt else None
                if name:
                    s.con.execute(f"DROP TABLE IF EXISTS {name.replace('IF NOT EXISTS', '').strip()}")
        migrate(s.con)
        assert s.schema_version() == last.version
        versions = {r[0] for r in s.query("SELECT version FROM schema_version")}
        assert versions == {m.version for m in migrations()}


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "nope.duckdb", read_only=True)


def test_query_errors_name_the_sql(tmp_path):
    with open_store(tmp_path / "s.duckdb") as s, pytest.raises(StoreError, match="SQL: SELECT nope"):
        s.query("SELECT nope FROM documents")
