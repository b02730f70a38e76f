from __future__ import annotations

import pytest

from aieco.errors import InputError
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path

ETO = FIXTURES / "eto"


def _world(store, measure, year, field="All"):
    """The sum over countries only (group rows never enter it)."""
    return store.scalar(
        "SELECT sum(value) FROM measure_counts WHERE measure = ? AND field = ? AND year = ? "
        "AND entity_kind = 'country'",
        [measure, field, year],
    )


def test_fixture_bad_rows_are_rejected_with_line_and_reason(store):
    run = ingest(store, reader_for("eto-cat"), ETO / "patents_yearly_applications.csv").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (8, 3, 5)
    rejects = {r[0]: (r[1], r[2]) for r in store.query("SELECT line, field, reason FROM rejects ORDER BY line")}
    assert rejects[4][0] == "country" and "Atlantis" in rejects[4][1]
    assert rejects[5][0] == "num_patent_applications" and "many" in rejects[5][1]
    assert rejects[6][0] == "key" and "line 2" in rejects[6][1]
    assert rejects[7][0] == "year" and "year 0 out of range" in rejects[7][1]
    assert rejects[8][0] == "row" and "3 fields for 5 columns" in rejects[8][1]
    assert store.query("SELECT country, value, complete FROM measure_counts ORDER BY country") == [
        ("CN", 10.0, True),
        ("KR", 4.0, True),
        ("US", 5.0, False),
    ]


def test_group_rows_are_aggregates_never_summed_with_countries(store):
    ingest(store, reader_for("eto-cat"), ETO / "publications_yearly_articles.csv")
    kinds = dict(store.query("SELECT country, entity_kind FROM measure_counts"))
    assert kinds == {"CN": "country", "US": "country", "ETO:EU": "aggregate", "ETO:NATO": "aggregate"}
    assert _world(store, "articles", 2019) == 180  # 370 if the EU and NATO rows were counted


def test_not_an_eto_file_is_refused(store, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("country,field,year,value\nChina,All,2019,1\n")
    with pytest.raises(InputError, match="not an ETO CAT export file"):
        ingest(store, reader_for("eto-cat"), bad)
    assert store.scalar("SELECT count(*) FROM runs") == 0


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from aieco.store import open_store

    s = open_store(tmp_path_factory.mktemp("eto") / "s.duckdb")
    run = ingest(s, reader_for("eto-cat"), shared_path("eto-cat")).run
    yield s, run
    s.close()


def test_real_export_loads_losslessly(real):
    store, run = real
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    assert run.rows_rejected == 0
    assert set(run.options["files"]) >= {"patents_yearly_applications.csv", "companies_summary.csv"}


def test_real_china_2019_share_of_listed_countries(real):
    store, _ = real
    cn = store.scalar(
        "SELECT value FROM measure_counts WHERE measure = 'patent-applications' AND field = 'All' "
        "AND year = 2019 AND country = 'CN'"
    )
    world = _world(store, "patent-applications", 2019)
    assert (cn, world) == (43_880, 73_621)
    assert round(100 * cn / world, 1) == 59.6


def test_real_2014_2024_totals_and_incomplete_years(real):
    store, _ = real
    rows = store.query("""SELECT year, sum(value) FILTER (WHERE country = 'CN'), sum(value),
                                 bool_and(complete) FILTER (WHERE country = 'CN')
                          FROM measure_counts WHERE measure = 'patent-applications' AND field = 'All'
                          AND entity_kind = 'country' AND year BETWEEN 2014 AND 2024 GROUP BY year ORDER BY year""")
    assert sum(r[1] for r in rows) == 440_526 and sum(r[2] for r in rows) == 608_850
    assert [r[0] for r in rows if not r[3]] == [2020, 2021, 2022, 2023, 2024]
    assert (
        store.scalar("SELECT count(DISTINCT country) FROM measure_counts WHERE measure = 'patent-applications'") == 70
    )


def test_real_publication_groups_are_thirteen_aggregates(real):
    store, _ = real
    groups = store.query(
        "SELECT DISTINCT country FROM measure_counts WHERE measure = 'articles' "
        "AND entity_kind = 'aggregate' ORDER BY 1"
    )
    assert len(groups) == 13
    countries = _world(store, "articles", 2019)
    everything = store.scalar(
        "SELECT sum(value) FROM measure_counts WHERE measure = 'articles' AND field = 'All' AND year = 2019"
    )
    assert everything > countries  # the group rows exist, and _world leaves them out
