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


# -- the other layouts: row-hierarchical with years (10067, 6208), simple tabular (10059), categories x places
def _rejects(store):
    return {r[0]: (r[1], r[2]) for r in store.query("SELECT line, field, reason FROM rejects ORDER BY line")}


def test_fixture_rh_years_articles(store):
    run = ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "spbs99").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (10, 6, 4)
    rj = _rejects(store)
    assert "Atlantis" in rj[7][1] and rj[8] == ("value", "not a number: 'many'") and "duplicate key" in rj[9][1]
    assert rj[11][0] == "row"
    got = {(r[0], r[1], r[2]): r[3] for r in store.query("SELECT country, field, period, value FROM measure_counts")}
    assert got[("WORLD", "all", "2022")] == 123402 and got[("CN", "all", "2022")] == 42524
    assert got[("WORLD", "with multiple institutions", "2021")] == 60437
    assert got[("JP", "all", "2021")] is None and got[("JP", "all", "2022")] == 5000  # D suppressed; i mark dropped
    findings = dict(store.query("SELECT finding, count FROM findings"))
    assert findings["heading-row"] == 2 and findings["value-suppressed"] == 1
    assert store.scalar("SELECT DISTINCT pillar || ' ' || measure || ' ' || counting FROM measure_counts") == (
        "research articles whole")


def test_fixture_simple_table_whole_and_fractional(store):
    run = ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "spbs91").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (5, 2, 3)
    rj = _rejects(store)
    assert "Atlantis" in rj[4][1] and "'n/a'" in rj[5][1] and "duplicate key" in rj[6][1]
    got = {(r[0], r[1], r[2]): (r[3], r[4]) for r in store.query(
        "SELECT country, measure, field, value, counting FROM measure_counts WHERE period = '2003-2022'")}
    assert got[("CN", "articles", "all")] == (274096, "whole")
    assert got[("CN", "articles-fractional", "all")] == (255322.4, "fractional")
    assert got[("CN", "articles", "with international institutions")] == (43814, "whole")


def test_fixture_venture_capital_and_sinv18(store):
    run = ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "skti21").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (5, 4, 1)
    v = {(r[0], r[1]): r[2] for r in store.query(
        "SELECT country, period, value FROM measure_counts WHERE indicator = 'SKTI-21'")}
    assert v[("WORLD", "2020")] == 54194 and v[("CN", "2019")] is None and v[("CN", "2020")] == 16923
    assert store.scalar("SELECT entity_kind FROM measure_counts WHERE country = 'NCSES:NORTH-AMERICA' LIMIT 1") == (
        "aggregate")
    run = ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "sinv18").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (6, 5, 1)
    assert store.scalar("SELECT value FROM measure_counts WHERE indicator = 'SINV-18' AND country = 'KR' AND "
                        "field = 'AI techniques: Machine learning'") == 14351


def test_year_zero_column_refused(store, tmp_path):
    import shutil

    d = tmp_path / "t"
    shutil.copytree(FIXTURES / "ncses" / "spbs99", d)
    data = d / "data.csv"
    data.write_text(data.read_text().replace("field_2021", "field_0000", 1))
    with pytest.raises(InputError, match="year 0 out of range"):
        ingest(store, reader_for("ncses"), d)
    assert store.scalar("SELECT count(*) FROM runs") == 0


def test_real_other_tables(store):
    for t in ("10067", "10059", "6208", "10565"):
        run = ingest(store, reader_for("ncses"), shared_path("ncses-sei-2024", t)).run
        assert run.rows_read == run.rows_accepted + run.rows_rejected and run.rows_rejected == 0, t
    q = ("SELECT value FROM measure_counts WHERE indicator = ? AND measure = ? AND country = ? AND field = ? "
         "AND period = ?")
    assert store.scalar(q, ["SPBS-99", "articles", "WORLD", "all", "2022"]) == 123402
    assert store.scalar(q, ["SPBS-99", "articles", "CN", "all", "2022"]) == 42524
    assert store.scalar(q, ["SPBS-91", "articles", "WORLD", "all", "2003-2022"]) == 957932
    assert store.scalar(q, ["SPBS-91", "articles-fractional", "CN", "all", "2003-2022"]) == 255322.4
    assert store.scalar(q, ["SKTI-21", "venture-capital", "US", "all", "2020"]) == 27599
    # the yearly World articles of 10067 sum to 10059's 2003-22 total
    assert store.scalar("SELECT sum(value) FROM measure_counts WHERE indicator = 'SPBS-99' AND country = 'WORLD' "
                        "AND field = 'all'") == 957932


def test_a_readme_that_is_not_utf8_is_read_as_its_bytes_say(store, tmp_path):
    """Found by the fuzz: a README.md with a byte that is not UTF-8 ended in a UnicodeDecodeError traceback."""
    import shutil

    d = tmp_path / "sinv17"
    shutil.copytree(FIXTURES / "ncses" / "sinv17", d)
    readme = d / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b" \xff\n", 1))
    run = ingest(store, reader_for("ncses"), d).run
    assert run.rows_read == run.rows_accepted + run.rows_rejected and run.rows_accepted > 0
