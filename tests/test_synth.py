"""The synthetic corpus generator: deterministic for a seed, and its output ingests with zero rejects."""

from __future__ import annotations

import hashlib

from aieco.sources.patstat import PatstatReader
from aieco.store.ingest import ingest
from aieco.synth import synth_patstat
from conftest import shared_path


def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    data = shared_path("patstat-leusin").parent
    a = synth_patstat(300, tmp_path / "a", seed=5, data_dir=data)
    synth_patstat(300, tmp_path / "b", seed=5, data_dir=data)
    synth_patstat(300, tmp_path / "c", seed=6, data_dir=data)
    assert _digest(a.out) == _digest(tmp_path / "b")
    assert _digest(a.out) != _digest(tmp_path / "c")
    lines = (a.out / "tls201_appln.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 301


def test_output_ingests_with_zero_rejects(tmp_path, store):
    data = shared_path("patstat-leusin").parent
    result = synth_patstat(400, tmp_path / "corpus", seed=3, data_dir=data)
    run = ingest(store, PatstatReader(), result.out)
    assert (run.run.rows_accepted, run.run.rows_rejected) == (400, 0)
    assert store.scalar("SELECT count(*) FROM documents") == 400
    assert store.scalar("SELECT count(*) FROM rejects") == 0


def test_shipped_definitions_find_a_few_percent_ai(tmp_path, store):
    from aieco.classify import load_definitions
    from aieco.classify.compiler import classify

    data = shared_path("patstat-leusin").parent
    result = synth_patstat(3000, tmp_path / "corpus", seed=2, data_dir=data)
    ingest(store, PatstatReader(), result.out)
    found = {r["definition"]: r for r in classify(store, load_definitions())}
    share = found["core-ai-cpc"]["ai_documents"] / 3000
    assert 0.01 < share < 0.10, share
    assert found["cset-1790"]["ai_documents"] > 0
    cn_zh = store.scalar("SELECT count(*) FROM documents WHERE office = 'CN'")
    assert cn_zh > 0
