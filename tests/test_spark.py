"""The whole grid on Spark (local mode) equals the grid on DuckDB, on the real CSET/1790 data."""

from __future__ import annotations

import pytest

pytest_plugins = ["fixtures_measure"]  # the session-wide CSET/1790 store
pytestmark = [pytest.mark.spark, pytest.mark.shared]


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
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
