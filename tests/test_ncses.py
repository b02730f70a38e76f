from __future__ import annotations

import pytest

from aieco.errors import InputError
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path


def test_real_sinv17_china_share_of_world(store):
    run = ingest(store, reader_for("ncses"), shared_path("ncses-sei-2024", "10564")).run
    assert run.rows_rejected == 0 and run.rows_read == run.rows_accepted == 144
    v = dict(store.query("SELECT country, value FROM measure_counts WHERE entity_kind IN ('country', 'aggregate')"))
    assert (v["CN"], v["WORLD"]) == (91_436, 190_038)
    assert round(100 * v["CN"] / v["WORLD"], 1) == 48.1
    assert store.scalar("SELECT DISTINCT counting || ' ' || period FROM measure_counts") == "fractional 2000-2022"


def test_real_9968_with_lost_year_labels_is_refused(store):
    with pytest.raises(InputError, match="year labels lost"):
        ingest(store, reader_for("ncses"), shared_path("ncses-sei-2024", "9968"))
    assert store.scalar("SELECT count(*) FROM measure_counts") == 0


def test_fixture_bad_rows_rejected_with_line_and_reason(store):
    # SINV-17 has no year column (the period is in the title), so "year 0" cannot occur in this layout; a
    # repeated region path is refused as a whole (the lost-year-labels test), a second name for the same
    # entity is a duplicate key row.
    run = ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "sinv17").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (6, 3, 3)
    rejects = store.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [line for line, _ in rejects] == [4, 5, 6]
    assert "Atlantis" in rejects[0][1] and "not a number" in rejects[1][1] and "duplicate key" in rejects[2][1]
