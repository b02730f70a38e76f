"""The domain as frozen, keyword-only dataclasses. No I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Reject:
    """One input row that was not accepted, with where and why."""

    file: str
    line: int
    field: str
    reason: str
    raw: str = ""


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A data-quality finding of a run: a catalogue id, how often, and a few examples."""

    run_id: int
    finding: str
    count: int
    examples: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class Run:
    """One ingest run: what was read, from where, and what came of it."""

    run_id: int
    kind: str
    path: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    started_at: str
    seconds: float
    aieco_version: str
    encoding: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class IngestResult:
    """What `ingest` did: a new run, or nothing because the same file is already loaded."""

    run: Run
    noop: bool = False
    replaced_run_id: int | None = None


# The canonical row layout that readers stage and the store merges (column -> DuckDB type).
# Document columns a reader may stage (besides `line`, `row_hash`).
DOCUMENT_COLUMNS: dict[str, str] = {
    "source": "VARCHAR", "office": "VARCHAR", "number": "VARCHAR", "number_raw": "VARCHAR",
    "number_mangled": "BOOLEAN", "kind": "VARCHAR", "family_id": "VARCHAR", "extended_family_id": "VARCHAR",
    "lens_id": "VARCHAR", "application_number": "VARCHAR", "application_date": "DATE",
    "filing_year": "INTEGER", "publication_date": "DATE", "publication_year": "INTEGER",
    "priority_date": "DATE", "priority_year": "INTEGER", "priority_office": "VARCHAR", "doc_type": "VARCHAR",
    "granted": "BOOLEAN", "title": "VARCHAR", "title_lang": "VARCHAR", "abstract": "VARCHAR",
    "abstract_lang": "VARCHAR", "simple_family_size": "INTEGER", "extended_family_size": "INTEGER",
    "extra": "JSON",
}
# Child tables: staged with the `line` of their document; `dedupe` names the columns that make a child
# row already present when a document is enriched by a later run.
CHILD_TABLES: dict[str, dict[str, Any]] = {
    "classifications": {"columns": {"scheme": "VARCHAR", "symbol": "VARCHAR", "symbol_norm": "VARCHAR",
                                    "seq": "INTEGER", "weight": "DOUBLE"},
                        "dedupe": ("scheme", "symbol")},
    "parties": {"columns": {"role": "VARCHAR", "seq": "INTEGER", "name": "VARCHAR", "country": "VARCHAR",
                            "country_raw": "VARCHAR"},
                "dedupe": ("role", "seq", "name")},
    "priorities": {"columns": {"seq": "INTEGER", "office": "VARCHAR", "number": "VARCHAR", "kind": "VARCHAR",
                               "priority_date": "DATE", "raw": "VARCHAR"},
                   "dedupe": ("raw",)},
    "categories": {"columns": {"scheme": "VARCHAR", "dimension": "VARCHAR", "category": "VARCHAR"},
                   "dedupe": ("scheme", "category")},
}
