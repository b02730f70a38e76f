"""The DuckDB store: connection, schema and migrations, atomic ingest runs."""

from aieco.store.connection import Store, open_store

__all__ = ["Store", "open_store"]
