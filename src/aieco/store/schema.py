"""Canonical tables and their migrations.

Migrations are the files ``migrations/NNNN_name.sql``, applied in order, each once, inside one transaction
with the row that records it in ``schema_version``. Every data row carries ``run_id``: the ingest run it came
from. Documents are identified by ``doc_id``, a 64-bit number derived from the document's identity (source
family, office, normalised number, kind, family id), so that a second version of a data set links to the
same ids and a replaced run keeps its links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, kw_only=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    found = []
    for entry in resources.files("aieco.store").joinpath("migrations").iterdir():
        m = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if m:
            found.append(Migration(version=int(m.group(1)), name=m.group(2), sql=entry.read_text("utf-8")))
    found.sort(key=lambda mg: mg.version)
    versions = [mg.version for mg in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {versions}")
    return found


def run_tables(con) -> list[str]:  # type: ignore[no-untyped-def]
    """Tables whose rows belong to a run (have ``run_id``), children first and ``documents`` last."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'run_id' "
        "AND table_schema = 'main' AND table_name <> 'runs' ORDER BY table_name"
    ).fetchall()
    names = [r[0] for r in rows]
    return sorted(names, key=lambda n: n == "documents")
