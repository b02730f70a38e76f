"""Shared helpers for the measure tests: a tiny hand-made store, and the real CSET/1790 store once per session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aieco.store import open_store

MEASURE = Path(__file__).resolve().parent / "fixtures" / "measure"
CSET_7B5 = ("cset-1790", "patent_database-7b5b096.csv.zip")
_CACHE: dict[str, Path] = {}


def tiny_store(path: Path, docs: list[tuple], parties: list[tuple] = (), source: str = "tiny"):
    """A store holding ``docs``: (doc_id, office, family_id, priority_year, granted[, priority_office]).

    ``parties``: (doc_id, role, country). One run (sha256 of the doc list) holds them all.
    """
    store = open_store(path)
    sha = hashlib.sha256(repr(docs).encode()).hexdigest()
    con = store.con
    con.execute("INSERT INTO runs (run_id, kind, path, sha256, started_at, aieco_version) "
                "VALUES (1, 'test', 'tiny', ?, now(), 'test')", [sha])
    for i, d in enumerate(docs):
        doc_id, office, fam, year, granted = d[:5]
        prio = d[5] if len(d) > 5 else None
        con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, family_id, priority_year, "
                    "granted, priority_office) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                    [doc_id, source, office, str(doc_id), fam, year, granted, prio])
        con.execute("INSERT INTO document_sources VALUES (?, 1, ?)", [doc_id, i + 2])
    for j, (doc_id, role, country) in enumerate(parties):
        con.execute("INSERT INTO parties (doc_id, run_id, role, seq, name, country) VALUES (?, 1, ?, ?, ?, ?)",
                    [doc_id, role, j, f"p{j}", country])
    return store, sha


def cset_db(tmp_path_factory) -> Path:
    """The real CSET/1790 7b5b096 file ingested once per test session (about 15-20 s)."""
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest
    from conftest import shared_path

    src = shared_path(*CSET_7B5)
    if "cset" not in _CACHE:
        db = tmp_path_factory.mktemp("cset") / "cset.duckdb"
        with open_store(db) as store:
            ingest(store, reader_for("cset1790"), src)
        _CACHE["cset"] = db
    return _CACHE["cset"]


@pytest.fixture(scope="session")
def cset_store(tmp_path_factory):
    store = open_store(cset_db(tmp_path_factory), read_only=True)
    yield store
    store.close()


def random_store(path: Path, n: int = 600, seed: int = 5):
    """A seeded store with every field a method may need, and gaps: NULL offices, families, years, grant
    status and party countries; repeated party countries; documents without parties."""
    import random

    rnd = random.Random(seed)
    offices = ["CN", "US", "EP", "IN", "RU", "KZ", "DE", "WO", "PK", None]

    def maybe(v, p=0.1):
        return None if rnd.random() < p else v

    docs, parties, extra = [], [], []
    for i in range(1, n + 1):
        y = rnd.randint(2000, 2024)
        docs.append((i, maybe(rnd.choice(offices)), maybe(f"F{rnd.randint(1, n // 3)}"), maybe(y),
                     maybe(rnd.random() < 0.3), maybe(rnd.choice(offices))))
        extra.append((maybe(f"A{rnd.randint(1, n // 2)}"), maybe(y + rnd.randint(0, 1)),
                      maybe(y + rnd.randint(1, 3)), i))
        for role in ("applicant", "inventor"):
            for _ in range(rnd.choice([0, 1, 1, 2, 3])):
                parties.append((i, role, maybe(rnd.choice(offices[:-1]), 0.15)))
    store, sha = tiny_store(path, docs, parties, source="rand")
    store.con.executemany("UPDATE documents SET application_number = ?, filing_year = ?, publication_year = ? "
                          "WHERE doc_id = ?", extra)
    return store, sha
