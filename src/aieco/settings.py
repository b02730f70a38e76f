"""Every setting once: name, default, environment variable and help (shown by ``aieco settings``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Setting:
    name: str
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env) or self.default


SETTINGS: tuple[Setting, ...] = (
    Setting(name="db", env="AIECO_DB", default="aieco.duckdb",
            help="Path of the DuckDB store (global option --db overrides it)."),
    Setting(name="data_dir", env="AIECO_DATA_DIR", default="../shared/data",
            help="Folder of real input data used by `aieco demo`."),
    Setting(name="memory_limit", env="AIECO_MEMORY_LIMIT", default="2GB",
            help="DuckDB memory limit; larger work spills to a temporary folder beside the store."),
    Setting(name="ingest_memory_limit", env="AIECO_INGEST_MEMORY_LIMIT", default="400MB",
            help="DuckDB memory limit while a file is ingested; keeps a reader's peak memory bounded "
                 "(staged rows spill to disk past it)."),
    Setting(name="threads", env="AIECO_THREADS", default="2",
            help="DuckDB worker threads (and the threads of the keyword scan in `aieco classify`)."),
    Setting(name="chunk_rows", env="AIECO_CHUNK_ROWS", default="50000",
            help="Rows a reader hands to the store at once; bounds a reader's memory."),
)


def setting(name: str) -> str:
    for s in SETTINGS:
        if s.name == name:
            return s.value()
    raise KeyError(name)


def default_db_path() -> Path:
    return Path(setting("db"))
