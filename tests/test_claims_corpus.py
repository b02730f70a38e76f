"""The claims corpus (tests/claims/) as a test: a change that lowers accuracy below the floors measured on it
fails. Scored twice: without a store (the reading of the text: spans, subject, measure, unit, period) and on a
store loaded from ../shared/data with what the corpus's verdicts need (CSET/1790, PATSTAT counts, ETO CAT,
NCSES SINV-17, WDI population, OWID's AI patents per million), for the verdicts. Figures in docs/claims.md."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aieco.claims import check
from aieco.claims.evaluate import evaluate
from aieco.store import open_store
from fixtures_measure import cset_db

CORPUS = Path(__file__).resolve().parent / "claims"
# scored apart, on a store with the context tables too (test_heldout2_*): its internet-use claims would change
# nck-012's verdict, which was written for a store without them
HELDOUT2 = "heldout2.yaml"

# measured 2026-12-03 without a store: precision 99.7%, recall 100%, subject 99.3%, measure 100%, unit 99.3%,
# period 100% (302 claims); raise these floors as the checker improves, never lower them
FLOORS = {"precision": 0.995, "recall": 0.995, "subject": 0.99, "measure": 0.995, "unit": 0.99, "period": 0.995}
# measured 2026-12-03 on the loaded store (the one `loaded` builds): verdict accuracy 100% (302 of 302)
VERDICT_FLOOR = 0.995


@pytest.fixture(scope="module")
def scored():
    return evaluate(CORPUS, lambda text, as_of: check(text, None, as_of=as_of), exclude=[HELDOUT2])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The real CSET/1790 store of the session plus the aggregate tables the verdicts need (about 4 s more)."""
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest
    from conftest import shared_path

    db = tmp_path_factory.mktemp("claims") / "loaded.duckdb"
    shutil.copy(cset_db(tmp_path_factory), db)
    with open_store(db) as store:
        ingest(store, reader_for("counts"), shared_path("patstat-leusin", "Data3period_Raw_Info.csv"),
               options={"name": "leusin-2004-2018"})  # fmt: skip
        ingest(store, reader_for("eto-cat"), shared_path("eto-cat"))
        ingest(store, reader_for("ncses"), shared_path("ncses-sei-2024", "10564"))
        ingest(store, reader_for("wdi"), shared_path("wdi", "population.csv"))
        ingest(
            store,
            reader_for("wdi"),
            shared_path("owid-cset", "artificial-intelligence-patents-submitted-per-million.csv"),
        )
    store = open_store(db, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def scored_loaded(loaded):
    return evaluate(CORPUS, lambda text, as_of: check(text, loaded, as_of=as_of), exclude=[HELDOUT2])


def test_corpus_is_the_size_the_issue_asks(scored):
    assert scored.items >= 250


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extraction_not_below_floor(scored, name):
    o = scored.overall
    got = o.precision if name == "precision" else o.recall if name == "recall" else o.field_accuracy(name)
    assert got is not None and got >= FLOORS[name] - 1e-9, f"{name} {got:.1%} fell below {FLOORS[name]:.1%}"


def test_nothing_called_contradicted_without_data(scored):
    assert scored.overall.false_contradicted == 0


def test_verdicts_on_the_loaded_store_not_below_floor(scored_loaded):
    o = scored_loaded.overall
    wrong = [m.detail for m in scored_loaded.misses if m.kind == "verdict"]
    assert o.verdict_accuracy is not None and o.verdict_accuracy >= VERDICT_FLOOR, wrong


def test_no_claim_the_data_cannot_decide_is_called_contradicted(scored_loaded):
    """The worst error for a reader: every "contradicted" on the loaded store is one the corpus expects."""
    assert scored_loaded.overall.false_contradicted == 0
    by_verdict = {c.cls: c for c in scored_loaded.by_verdict}
    assert by_verdict["not-checkable"].false_contradicted == 0 and by_verdict["supported"].false_contradicted == 0


def test_loaded_verdict_classes_are_each_right(scored_loaded):
    """Per expected verdict class: each is mostly right (not just the large classes)."""
    for c in scored_loaded.by_verdict:
        assert c.verdict_accuracy is not None and c.verdict_accuracy >= 0.9, (c.cls, c.verdict_accuracy)


# --- heldout2.yaml: news-like sentences on AI investment, papers and the digital divide ----------------------


@pytest.fixture(scope="module")
def loaded_context(tmp_path_factory, loaded):
    """The corpus's store plus WDI GDP and internet use and OWID's AI investment (the context tables)."""
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest
    from conftest import shared_path

    db = tmp_path_factory.mktemp("claims-context") / "context.duckdb"
    shutil.copy(loaded.path, db)
    with open_store(db) as store:
        ingest(store, reader_for("wdi"), shared_path("wdi", "gdp_current_usd.csv"))
        ingest(store, reader_for("wdi"), shared_path("wdi", "internet_users_pct.csv"))
        ingest(store, reader_for("wdi"),
               shared_path("owid-cset", "private-investment-in-artificial-intelligence-cset.csv"))  # fmt: skip
    store = open_store(db, read_only=True)
    yield store
    store.close()


# measured 2026-12-03, on the first run after they were written (before the fixes): precision 100%, recall 95.7%
# (22 of 23), verdicts 77.3% (17 of 22); after fixing the clear misreadings (demonyms, "per USD billion of GDP",
# internet-user counts; docs/claims.md): recall 95.7%, verdicts 95.5% (21 of 22), none wrongly contradicted
HELDOUT2_FLOORS = {"precision": 1.0, "recall": 0.956, "verdicts": 0.954}


def test_heldout2_not_below_what_it_measured(loaded_context):
    ev = evaluate(CORPUS / HELDOUT2, lambda text, as_of: check(text, loaded_context, as_of=as_of))
    o = ev.overall
    misses = [f"{m.item} {m.kind} {m.detail}" for m in ev.misses]
    assert o.precision is not None and o.precision >= HELDOUT2_FLOORS["precision"], misses
    assert o.recall is not None and o.recall >= HELDOUT2_FLOORS["recall"], misses
    assert o.verdict_accuracy is not None and o.verdict_accuracy >= HELDOUT2_FLOORS["verdicts"], misses
    assert o.false_contradicted == 0, misses
