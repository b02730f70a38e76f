"""The whole grid on Spark (local mode) equals the grid on DuckDB: on the real CSET/1790 data, on a random
store with gaps in every field, and on a generated PATSTAT corpus counted per shipped definition."""

from __future__ import annotations

import os
import shutil

import pytest

pytest_plugins = ["fixtures_measure"]  # the session-wide CSET/1790 store
pytestmark = [pytest.mark.spark, pytest.mark.shared]


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pyspark needs Java: CI must install a JRE (e.g. openjdk-17-jre-headless)")
        pytest.skip("pyspark cannot start: no Java on this machine (no java on PATH, JAVA_HOME unset)")
    from aieco.measure.engines import spark_session

    session = spark_session("local[1]")
    yield session
    session.stop()


def _key(r):
    return (r["subject"], r["unit"], r["attribution"], r["counting"], r["date_basis"])


def test_grid_identical_on_duckdb_and_spark(cset_store, spark):
    from aieco.measure.engines import SparkEngine
    from aieco.measure.grid import grid

    eng = SparkEngine(cset_store, session=spark)
    try:
        for kw in ({"country": "CN", "group": "SCO"},):
            on_duckdb = sorted(grid(cset_store, years=(2000, 2019), **kw), key=_key)
            on_spark = sorted(grid(cset_store, years=(2000, 2019), engine=eng, **kw), key=_key)
            assert len(on_duckdb) == len(on_spark) > 0
            assert on_duckdb == on_spark
    finally:
        eng.close()


def test_full_grid_identical_on_duckdb_and_spark(tmp_path, spark):
    """Every method (all units, attributions and date bases, with gaps in every field) on both engines."""
    from aieco.measure.engines import SparkEngine
    from aieco.measure.grid import grid
    from fixtures_measure import random_store

    store, _ = random_store(tmp_path / "r.duckdb")
    eng = SparkEngine(store, session=spark)
    try:
        on_duckdb = sorted(grid(store, country="CN", group="SCO", years=(2003, 2020)), key=_key)
        on_spark = sorted(grid(store, country="CN", group="SCO", years=(2003, 2020), engine=eng), key=_key)
        assert len(on_duckdb) == len(on_spark) == 4 * 4 * 3 * 2 * 2
        assert on_duckdb == on_spark
    finally:
        eng.close()
        store.close()


def test_synth_corpus_grid_identical_on_duckdb_and_spark(tmp_path, spark):
    """A generated PATSTAT-layout corpus, ingested and classified: the grid over all documents and over each
    shipped definition's AI documents gives the same rows on both engines."""
    from aieco.classify import load_definitions
    from aieco.classify.compiler import classify
    from aieco.measure.engines import SparkEngine
    from aieco.measure.grid import grid
    from aieco.sources.patstat import PatstatReader
    from aieco.store import open_store
    from aieco.store.ingest import ingest
    from aieco.synth import synth_patstat
    from conftest import shared_path

    corpus = synth_patstat(1500, tmp_path / "corpus", seed=7, data_dir=shared_path("patstat-leusin").parent)
    with open_store(tmp_path / "s.duckdb") as store:
        ingest(store, PatstatReader(), corpus.out)
        found = {r["definition"]: r["ai_documents"] for r in classify(store, load_definitions())}
        assert found["cset-1790"] > 0
        eng = SparkEngine(store, session=spark, workdir=tmp_path)
        try:
            for definition in (None, "cset-1790"):
                kw = {"country": "CN", "group": "SCO", "years": (1995, 2020), "definition": definition}
                on_duckdb = sorted(grid(store, **kw), key=_key)
                on_spark = sorted(grid(store, engine=eng, **kw), key=_key)
                assert len(on_duckdb) == len(on_spark) > 0
                assert any(r["value"] > 0 for r in on_duckdb), definition
                assert on_duckdb == on_spark, definition
        finally:
            eng.close()
