from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.cli import main
from aieco.sources import reader_for
from aieco.sources.counts import parse_number
from aieco.store.ingest import ingest
from fixtures_measure import MEASURE


def load(store, name, file, **opts):
    return ingest(store, reader_for("counts"), MEASURE / file, options={"name": name, **opts}).run


def test_long_layout_decimal_comma_na_and_rejects(store):
    run = load(store, "long", "counts_long.csv", period="2004-2018")
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (6, 4, 2)
    rows = store.query("SELECT country, field, period, kind, value FROM measure_counts ORDER BY country, field")
    assert rows == [("CN", "1", "2004-2018", "AI", 10.5), ("CN", "2", "2004-2018", "AI", 4.0),
                    ("US", "1", "2004-2018", "AI", 3.0), ("US", "2", "2004-2018", "AI", None)]
    assert store.scalar("SELECT count FROM findings WHERE finding = 'missing-count'") == 1
    assert run.options["name"] == "long" and run.options["layout"] == "long"


def test_wide_leusin_layout(store):
    run = load(store, "d3", "Data3period_Raw_Info.csv")
    assert (run.rows_read, run.rows_accepted) == (4, 4)
    assert store.scalar("SELECT count(*) FROM measure_counts") == 4 * 35
    assert store.scalar("SELECT DISTINCT period FROM measure_counts") == "2004-2018"
    assert store.query("SELECT kind, sum(value) FROM measure_counts GROUP BY 1 ORDER BY 1") == [
        ("AI", 10.0), ("general", 80.0)]
    assert store.scalar("SELECT value FROM measure_counts WHERE country='US' AND kind='AI' AND field='35'") is None


def test_office_year_layout(store):
    load(store, "apps", "applications_by_office_year.csv")
    rows = store.query("SELECT country, year, complete, value FROM measure_counts ORDER BY country, year NULLS LAST")
    assert rows == [("CN", 2014, True, 100.0), ("CN", 2015, True, 200.0), ("CN", 2016, False, 300.0),
                    ("US", 2015, True, 100.0), ("US", None, False, 1.0)]


def test_same_file_twice_is_a_noop_and_run_id_is_kept(store):
    load(store, "apps", "applications_by_office_year.csv")
    again = ingest(store, reader_for("counts"), MEASURE / "applications_by_office_year.csv",
                   options={"name": "apps"})
    assert again.noop
    assert store.scalar("SELECT count(DISTINCT run_id) FROM measure_counts") == 1


def test_cli_ingest_counts_with_name(db_path, capsys):
    main(["--db", str(db_path), "ingest", "counts", str(MEASURE / "Data3period_Raw_Info.csv"), "--name", "D3",
          "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["options"]["name"] == "D3" and out["rows_accepted"] == 4


@given(st.floats(0, 1e9, allow_nan=False))
def test_parse_number_roundtrip(x):
    assert parse_number(repr(x).replace(".", ",")) == pytest.approx(x)
    assert parse_number(repr(x)) == x
    assert parse_number("NA") is None


def test_short_row_is_a_reject_and_unknown_codes_a_finding(store):
    run = load(store, "bad", "counts_short_and_unknown.csv")
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (5, 4, 1)
    line, reason = store.query("SELECT line, reason FROM rejects")[0]
    assert line == 6 and "2 fields for 4 columns" in reason
    assert store.scalar("SELECT count FROM findings WHERE finding = 'unknown-entity-code'") == 3
    assert dict(store.query("SELECT country, entity_kind FROM measure_counts")) == {
        "CN": "country", "XX": "unknown", "CHN": "unknown", "中国": "unknown"}
