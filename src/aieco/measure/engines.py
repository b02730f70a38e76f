"""Where counting runs: one engine object per backend, holding everything that differs between them.

The counting expressions (:mod:`aieco.measure.queries`) are Ibis expressions over four tables (documents,
parties, categories, classified); an engine gives those tables and executes expressions. DuckDB reads the
store directly; Spark (local mode) reads the same tables exported to Parquet; BigQuery is compile-only, over
the Google Patents publications schema (see :func:`aieco.measure.queries.google_tables`).

>>> eng = engine_for(store, "duckdb")  # doctest: +SKIP
>>> eng.execute(eng.tables().documents.count())  # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco.errors import MissingDependency, StoreError, UnknownName
from aieco.store import Store

# The store columns counting needs; exporting only these keeps the Spark copy small.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "source", "office", "family_id", "application_number", "granted", "priority_year",
                  "filing_year", "publication_year", "priority_office"),
    "parties": ("doc_id", "role", "country"),
    "categories": ("doc_id", "scheme", "category"),
    "classified": ("doc_id", "definition", "version", "category"),
}


@dataclass(frozen=True)
class Tables:
    """The Ibis tables counting reads; ``classified`` is None when no definition has been applied."""

    documents: Any
    parties: Any
    categories: Any
    classified: Any = None


def _ibis() -> Any:
    try:
        import ibis
    except ImportError as err:  # pragma: no cover - a core dependency
        raise MissingDependency("ibis-framework", "dev") from err
    return ibis


class DuckDBEngine:
    """The default engine: Ibis over the store's own DuckDB connection."""

    name = "duckdb"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.backend = _ibis().duckdb.from_connection(store.con)

    def tables(self) -> Tables:
        b = self.backend
        classified = b.table("classified") if self.store.has_table("classified") else None
        return Tables(documents=b.table("documents"), parties=b.table("parties"),
                      categories=b.table("categories"), classified=classified)

    def execute(self, expr: Any) -> list[dict[str, Any]]:
        try:
            return self.backend.to_pyarrow(expr).to_pylist()
        except Exception as err:  # engine errors carry the SQL that failed
            raise StoreError(f"duckdb query failed: {err} -- SQL: {self.sql(expr)[:400]}") from err

    def sql(self, expr: Any) -> str:
        return str(_ibis().to_sql(expr, dialect="duckdb"))


def spark_session(master: str | None = None) -> Any:
    """A local Spark session, small and quiet (no UI, few shuffle partitions)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise MissingDependency("pyspark", "spark") from err
    from aieco.settings import setting

    master = master or str(setting("spark_master") or "local[1]")
    return (SparkSession.builder.master(master).appName("aieco")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "1g")
            .getOrCreate())


class SparkEngine:
    """PySpark in local mode: the store's tables are exported to Parquet and read by the session."""

    name = "spark"

    def __init__(self, store: Store, session: Any = None, workdir: str | Path | None = None) -> None:
        ibis = _ibis()
        self.store = store
        self.session = session or spark_session()
        try:
            self.backend = ibis.pyspark.connect(self.session)
        except ImportError as err:
            raise MissingDependency("ibis-framework[pyspark]", "spark") from err
        self._tmp = tempfile.TemporaryDirectory(prefix="aieco-spark-", dir=workdir)
        self._tables: dict[str, Any] = {}
        for name, cols in TABLE_COLUMNS.items():
            if not store.has_table(name):
                continue
            path = Path(self._tmp.name) / f"{name}.parquet"
            store.con.execute(f"COPY (SELECT {', '.join(cols)} FROM {name}) TO '{path.as_posix()}' "
                              "(FORMAT parquet)")
            self._tables[name] = self.backend.read_parquet(str(path), table_name=f"aieco_{name}")

    def tables(self) -> Tables:
        t = self._tables
        return Tables(documents=t["documents"], parties=t["parties"], categories=t["categories"],
                      classified=t.get("classified"))

    def execute(self, expr: Any) -> list[dict[str, Any]]:
        try:
            return self.backend.to_pyarrow(expr).to_pylist()
        except Exception as err:
            raise StoreError(f"spark query failed: {err} -- SQL: {self.sql(expr)[:400]}") from err

    def sql(self, expr: Any) -> str:
        return str(_ibis().to_sql(expr, dialect="pyspark"))

    def close(self) -> None:
        self._tmp.cleanup()


ENGINES = {"duckdb": DuckDBEngine, "spark": SparkEngine}


def engine_for(store: Store, engine: str | Any = "duckdb") -> Any:
    """An engine object for ``store``: a name from ENGINES, or an engine object passed through."""
    if not isinstance(engine, str):
        return engine
    try:
        cls = ENGINES[engine]
    except KeyError:
        raise UnknownName(f"unknown engine {engine!r}; known engines: {', '.join(ENGINES)}") from None
    return cls(store)
