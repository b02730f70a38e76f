"""Published aggregates in one canonical shape: entity × year (or period) × measure × field × value.

Every reader of a publisher's country tables (ETO CAT, NCSES SEI, World Bank / OWID, FRED) writes through
:class:`AggregateWriter` into ``measure_counts`` (migrations 0003 + 0004). Each row carries the method as
the publisher states it (:class:`PublishedMethod`), the entity's kind (country, aggregate, office, other),
a completeness flag (NULL when the publisher does not say), the file and its sha256, and its input line.

The writer rejects, with the line and the reason, a row whose key (entity, field, period, measure) repeats
an earlier row of the run, whose year is out of range, or whose value is not a number.

>>> m = PublishedMethod(publisher="eto", pillar="patents", measure="patent-applications", unit="family")
>>> m.label()
'eto patent-applications (family)'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.arrowsql import execute_over
from aieco.files import sha256_file
from aieco.sources.entities import Entity

YEAR_MIN, YEAR_MAX = 1900, 2100
PILLARS = ("patents", "research", "investment", "context", "money")

# measure_counts columns and their Arrow types (order irrelevant: rows are inserted by name)
COLUMNS: dict[str, pa.DataType] = {
    "run_id": pa.int32(),
    "name": pa.string(),
    "layout": pa.string(),
    "country": pa.string(),
    "field": pa.string(),
    "period": pa.string(),
    "kind": pa.string(),
    "year": pa.int32(),
    "complete": pa.bool_(),
    "value": pa.float64(),
    "line": pa.int64(),
    "entity_kind": pa.string(),
    "entity_raw": pa.string(),
    "publisher": pa.string(),
    "pillar": pa.string(),
    "measure": pa.string(),
    "unit": pa.string(),
    "attribution": pa.string(),
    "counting": pa.string(),
    "date_basis": pa.string(),
    "ai_definition": pa.string(),
    "indicator": pa.string(),
    "file": pa.string(),
    "file_sha256": pa.string(),
}


class TableReader:
    """Base of the readers of published tables: they take ingest options (``--name``, ``--period``, …)."""

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    def configure(self, options: dict[str, Any]) -> None:
        self.options = dict(options)


@dataclass(frozen=True, kw_only=True)
class PublishedMethod:
    """What a published number counts and how, in the publisher's own terms."""

    publisher: str
    pillar: str
    measure: str
    unit: str
    attribution: str = ""
    counting: str = ""
    date_basis: str = ""
    ai_definition: str = ""
    indicator: str = ""
    kind: str = "AI"  # AI (an AI measure) | all (a context indicator: population, GDP, ...)

    def label(self) -> str:
        return f"{self.publisher} {self.measure} ({self.unit})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_year(raw: str) -> int:
    """The year of a cell, or ValueError (``year 0 out of range``, ``year 'x' is not a number``)."""
    try:
        year = int(raw.strip())
    except ValueError:
        raise ValueError(f"year {raw.strip()!r} is not a number") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"year {year} out of range {YEAR_MIN}-{YEAR_MAX}")
    return year


def insert_rows(con: Any, rows: list[dict[str, Any]]) -> None:
    """Append rows (dicts keyed by ``COLUMNS``) to ``measure_counts`` by column name."""
    if not rows:
        return
    batch = pa.table({c: pa.array([r.get(c) for r in rows], type=t) for c, t in COLUMNS.items()})
    execute_over(con, "INSERT INTO measure_counts BY NAME SELECT * FROM arrow_input", batch)


class AggregateWriter:
    """Collects the canonical rows of one file of a run; rejects repeats and bad years, counts accepts."""

    def __init__(
        self, ctx: Any, *, name: str, layout: str, path: Path, seen: dict[tuple[Any, ...], int] | None = None
    ) -> None:
        self.ctx = ctx
        self.name = name
        self.layout = layout
        self.file = str(path)
        self.sha256 = sha256_file(path)
        self.rows: list[dict[str, Any]] = []
        # keys already written in this run (shared by the writers of a folder's files): key -> line
        self._seen: dict[tuple[Any, ...], int] = {} if seen is None else seen

    def row(self, line: int, raw: str, records: list[dict[str, Any]]) -> bool:
        """Accept one input row (its records, each with entity, field, period, year, value, complete and
        method) or reject it whole when one record's key repeats an earlier line's. Returns accepted."""
        keys = []
        for rec in records:
            m: PublishedMethod = rec["method"]
            ent: Entity = rec["entity"]
            key = (self.name, m.publisher, m.measure, m.indicator, ent.id, rec.get("field", "all"), rec["period"])
            first = self._seen.get(key)
            if first is not None or key in keys:
                where = f"line {first}" if first is not None else "another cell of this row"
                self.ctx.reject(
                    line,
                    "key",
                    f"duplicate key: {ent.id} {m.measure} field "
                    f"{rec.get('field', 'all')!r} period {rec['period']} as {where}",
                    raw,
                )
                return False
            keys.append(key)
        for key in keys:
            self._seen[key] = line
        for rec in records:
            m = rec["method"]
            ent = rec["entity"]
            if rec["value"] is None:
                self.ctx.finding("missing-count", f"{ent.id} {m.measure} {rec['period']} (line {line})")
            self.rows.append(
                {
                    "run_id": self.ctx.run_id,
                    "name": self.name,
                    "layout": self.layout,
                    "country": ent.id,
                    "field": rec.get("field", "all"),
                    "period": rec["period"],
                    "kind": m.kind,
                    "year": rec.get("year"),
                    "complete": rec.get("complete"),
                    "value": rec["value"],
                    "line": line,
                    "entity_kind": ent.kind,
                    "entity_raw": rec["entity_raw"],
                    "publisher": m.publisher,
                    "pillar": m.pillar,
                    "measure": m.measure,
                    "unit": m.unit,
                    "attribution": m.attribution,
                    "counting": m.counting,
                    "date_basis": m.date_basis,
                    "ai_definition": m.ai_definition,
                    "indicator": m.indicator,
                    "file": self.file,
                    "file_sha256": self.sha256,
                }
            )
        self.ctx.accept_direct(1)
        if len(self.rows) >= 50_000:
            self.flush()
        return True

    def flush(self) -> None:
        insert_rows(self.ctx.con, self.rows)
        self.rows.clear()
