from __future__ import annotations

import pytest

from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path


def test_fixture_rejects_and_aggregates(store):
    run = ingest(store, reader_for("wdi"), FIXTURES / "wdi" / "population.csv").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (7, 3, 4)
    reasons = [r[0] for r in store.query("SELECT reason FROM rejects ORDER BY line")]
    assert "Atlantis" in reasons[0] and "duplicate key" in reasons[1] and "year 0" in reasons[2]
    assert "not a number" in reasons[3]
    assert dict(store.query("SELECT country, entity_kind FROM measure_counts")) == {
        "CN": "country",
        "WORLD": "aggregate",
        "WB:EAS": "aggregate",
    }


def test_real_population_china_2023(store):
    run = ingest(store, reader_for("wdi"), shared_path("wdi", "population.csv")).run
    assert run.rows_rejected == 0 and run.rows_read == run.rows_accepted
    assert (
        store.scalar(
            "SELECT value FROM measure_counts WHERE country = 'CN' AND year = 2023 AND indicator = 'SP.POP.TOTL'"
        )
        == 1_410_710_000
    )


def test_real_owid_internet_use(store):
    run = ingest(store, reader_for("wdi"), shared_path("wdi", "internet_users_pct.csv")).run
    assert run.rows_rejected == 0
    assert store.scalar("SELECT value FROM measure_counts WHERE country = 'CN' AND year = 2023") == pytest.approx(
        77.48, abs=0.005
    )
    assert store.scalar("SELECT value FROM measure_counts WHERE country = 'WORLD' AND year = 2023") == pytest.approx(
        67.4, abs=0.05
    )


def test_owid_fixture_rejects(store):
    path = FIXTURES / "owid" / "internet_users_pct.csv"
    run = ingest(store, reader_for("wdi"), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (6, 2, 4)
    rejects = store.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [line for line, _ in rejects] == [4, 5, 6, 7]
    reasons = [reason for _, reason in rejects]
    assert "Atlantis" in reasons[0] and "duplicate key" in reasons[1] and "year 0" in reasons[2]
    assert "not a number" in reasons[3]
    kinds = dict(store.query("SELECT country, entity_kind FROM measure_counts"))
    assert kinds == {"CN": "country", "WORLD": "aggregate"}
