"""Lens.org reader: current and older export layouts, multi-values, encodings, and the real exports."""

from __future__ import annotations

from datetime import date

import pytest

from aieco.sources.lens import LensReader, parse_priority, publication_number
from aieco.store.ingest import ingest
from aieco.store.readback import findings, stats
from conftest import FIXTURES, shared_path

CURRENT = FIXTURES / "lens" / "current.csv"
OLDER = FIXTURES / "lens" / "older_macroman.csv"


def test_current_layout(store):
    run = ingest(store, LensReader(), CURRENT).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (4, 4, 0)
    assert run.encoding == "utf-8" and run.options["layout"] == "current (Lens ID)"
    assert store.query("SELECT office, number, kind, lens_id FROM documents ORDER BY office") == [
        ("CN", "107000001", "A", "000-000-000-000-001"), ("EP", "3000004", "A1", "000-000-000-000-004"),
        ("US", "10000002", "B2", "000-000-000-000-002"), ("WO", "2019000003", "A1", "000-000-000-000-003")]
    # a quoted title across two lines stays one record; the next record's line is right
    assert store.scalar("SELECT title FROM documents WHERE office = 'US'") == (
        'Drone delivery, with "quoted" words\nacross two lines')
    assert store.scalar("SELECT source_line FROM documents WHERE office = 'WO'") == 5
    counts = dict(store.query("SELECT scheme, count(*) FROM classifications GROUP BY 1"))
    assert counts == {"cpc": 9, "ipc": 6, "uspc": 1}
    assert store.query("SELECT symbol, symbol_norm FROM classifications WHERE symbol = 'G06N3/08' LIMIT 1") == [
        ("G06N3/08", "G06N3/08")]
    parties = store.query("SELECT role, count(*) FROM parties GROUP BY 1 ORDER BY 1")
    assert parties == [("applicant", 5), ("inventor", 5)]
    # the earliest priority gives the first-filing office and date
    assert store.query("SELECT priority_office, priority_date, granted FROM documents WHERE office = 'US'") == [
        ("US", date(2015, 1, 5), True)]
    assert store.query("SELECT priority_office, priority_year, granted FROM documents WHERE office = 'EP'") == [
        ("FR", 2014, None)]
    assert store.scalar("SELECT simple_family_size FROM documents WHERE office = 'CN'") == 2
    assert store.scalar("SELECT extra->>'URL' FROM documents WHERE office = 'CN'").startswith("https://lens.org")


def test_older_layout_cr_lines_two_digit_years_and_mac_roman(store):
    run = ingest(store, LensReader(), OLDER).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (4, 4, 0)
    assert run.encoding == "mac_roman"
    found = {f["finding"]: f for f in findings(store)}
    assert "legacy-encoding-detected" in found and "Mac Roman" in found["legacy-encoding-detected"]["message"] + \
        found["legacy-encoding-detected"]["detail"]
    assert store.query("SELECT number, publication_date, application_date FROM documents ORDER BY number") == [
        ("20100000003", date(2010, 6, 4), date(2008, 11, 25)),
        ("201000004", date(2008, 1, 2), date(2007, 12, 31)),
        ("20130101709", date(2013, 4, 25), date(2012, 10, 22)),
        ("3982033", date(1976, 9, 21), date(1971, 8, 24))]
    names = [r[0] for r in store.query("SELECT name FROM parties WHERE name LIKE '%EXAMPLE' AND role = 'applicant' "
                                       "ORDER BY name")]
    assert "ì£_ì‹ùí_Œì‚¬ EXAMPLE" in names  # mangled Asian names kept exactly as the bytes say


def test_forced_encoding_is_used(store):
    run = ingest(store, LensReader(), OLDER, encoding="latin-1").run
    assert run.encoding == "latin-1" and run.rows_accepted == 4


@pytest.mark.parametrize("text,expected", [
    ("FR 1051751 A 20100311", ("FR", "1051751", "A", date(2010, 3, 11))),
    ("US 201161550506 P 20111024", ("US", "201161550506", "P", date(2011, 10, 24))),
    ("WO 2011EP00001 W 20110101", ("WO", "2011EP00001", "W", date(2011, 1, 1))),
    ("garbage", None),
])
def test_priority_numbers(text, expected):
    assert parse_priority(text) == expected


def test_publication_numbers():
    assert publication_number("AT", "B", "AT 399980 B") == "399980"
    assert publication_number("US", "A1", "US 2013/0101709 A1") == "20130101709"
    assert publication_number("WO", "A1", "WO 2019/000003 A1") == "2019000003"


def test_real_drones_export(store):
    path = shared_path("lens", "drones_fulltext_families_5884.csv")
    run = ingest(store, LensReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (5884, 5884, 0)
    s = stats(store)
    assert s["documents"] == 5884
    assert s["by_office"]["CN"] == 355 and s["by_office"]["US"] == 3460
    assert s["by_office"]["WO"] == 808 and s["by_office"]["AU"] == 366 and s["by_office"]["EP"] == 244


def test_real_pizza_export_needs_no_option(store):
    path = shared_path("lens", "pizza_lens_1000_raw.csv")
    run = ingest(store, LensReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (1000, 1000, 0)
    assert run.encoding == "mac_roman" and run.options["layout"] == "older (no Lens ID)"
    assert stats(store)["by_office"]["CN"] == 17
    assert store.scalar("SELECT count(*) FROM documents WHERE publication_date IS NULL") == 0


def test_real_tac_export(store):
    run = ingest(store, LensReader(), shared_path("lens", "drones_tac_1606_families.csv")).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (1606, 1606, 0)
