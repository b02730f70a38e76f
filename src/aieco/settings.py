"""Every setting once: name, default, environment variable and help (shown by ``aieco settings``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from aieco.errors import SettingError

# DuckDB's memory sizes: a number and a unit (1.5GB, 400MB, 2GiB) or a share of the machine's memory (80%).
_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|%)\s*$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Setting:
    name: str
    env: str
    default: str
    help: str
    kind: str = "text"  # text | path | size | count (a whole number >= 1) | probability (0 < p < 1)

    def value(self) -> str:
        return os.environ.get(self.env) or self.default

    def problem(self, value: str) -> str | None:
        """Why ``value`` is not usable for this setting, or None."""
        if self.kind == "count":
            text = value.strip()
            if not text.isdecimal() or int(text) < 1:
                return "not a whole number of 1 or more"
            if int(text) > 100_000_000:
                return "too large (at most 100,000,000)"
        if self.kind == "probability":
            try:
                p = float(value)
            except ValueError:
                return "not a probability such as 0.9"
            if not 0 < p < 1:
                return "not a probability strictly between 0 and 1"
        if self.kind == "size" and not _SIZE.match(value):
            return "not a memory size such as 400MB, 2GB or 80%"
        if self.kind == "path" and "\0" in value:
            return "not a path (it holds a NUL character)"
        return None


SETTINGS: tuple[Setting, ...] = (
    Setting(name="db", env="AIECO_DB", default="aieco.duckdb",
            help="Path of the DuckDB store (global option --db overrides it).", kind="path"),
    Setting(name="data_dir", env="AIECO_DATA_DIR", default="../shared/data",
            help="Folder of real input data used by `aieco demo`.", kind="path"),
    Setting(name="memory_limit", env="AIECO_MEMORY_LIMIT", default="2GB",
            help="DuckDB memory limit; larger work spills to a temporary folder beside the store.", kind="size"),
    Setting(name="ingest_memory_limit", env="AIECO_INGEST_MEMORY_LIMIT", default="400MB",
            help="DuckDB memory limit while a file is ingested; keeps a reader's peak memory bounded "
                 "(staged rows spill to disk past it).", kind="size"),
    Setting(name="threads", env="AIECO_THREADS", default="2",
            help="DuckDB worker threads (and the threads of the keyword scan in `aieco classify`).", kind="count"),
    Setting(name="chunk_rows", env="AIECO_CHUNK_ROWS", default="50000",
            help="Rows a reader hands to the store at once; bounds a reader's memory.", kind="count"),
    Setting(name="spark_master", env="AIECO_SPARK_MASTER", default="local[1]",
            help="Spark master URL for `--engine spark` (local[N] on this machine, or a cluster such as "
                 "spark://host:7077 or yarn)."),
    Setting(name="fred_rates", env="AIECO_FRED_RATES", default="",
            help="FRED annual-average exchange rates (yearly.csv, Date,Country,Value) that `aieco check` "
                 "reports beside the ECB rates; empty: <data dir>/fred-fx/yearly.csv when present.", kind="path"),
    Setting(name="firm_match_threshold", env="AIECO_FIRM_MATCH_THRESHOLD", default="0.9",
            help="Match probability at or above which `aieco firms match` links an applicant name to a firm "
                 "(Fellegi-Sunter, splink); equal keys with places not different are linked whatever their "
                 "probability.", kind="probability"),
    Setting(name="api_timeout", env="AIECO_API_TIMEOUT", default="60",
            help="Seconds one `aieco serve` answer may spend in the store before its query is interrupted "
                 "(503 with a JSON body saying so).", kind="count"),
)


def setting(name: str) -> str:
    for s in SETTINGS:
        if s.name == name:
            value = s.value()
            problem = s.problem(value)
            if problem:
                raise SettingError(f"{s.env}={value!r}: {problem}")
            return value
    raise KeyError(name)


def setting_count(name: str) -> int:
    """A whole-number setting (validated)."""
    return int(setting(name).strip())


def check_settings() -> None:
    """Validate every setting once, at start-up: a one-line SettingError naming the variable."""
    for s in SETTINGS:
        setting(s.name)


def default_db_path() -> Path:
    return Path(setting("db"))


def fred_rates_path() -> Path | None:
    """The FRED annual-average rates file: AIECO_FRED_RATES (must exist), else <data dir>/fred-fx/yearly.csv
    when present, else None (the checker then reports ECB rates only)."""
    value = setting("fred_rates").strip()
    if value:
        path = Path(value)
        if not path.is_file():
            raise SettingError(f"AIECO_FRED_RATES={value!r}: no such file")
        return path
    default = Path(setting("data_dir")) / "fred-fx" / "yearly.csv"
    return default if default.is_file() else None
