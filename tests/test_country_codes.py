"""Country-code hygiene shared by the bulk readers, and the other field parsers they added."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.sources.fields import (
    HISTORICAL_COUNTRIES,
    ISO_COUNTRIES,
    decode_lost_decimal,
    normalise_office,
    normalise_party_country,
    normalise_us_patent_number,
    parse_yyyymmdd,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JA", ("JP", "country-code-normalised")),
        ("dt", ("DE", "country-code-normalised")),
        ("DL", ("DE", "country-code-normalised")),
        ("EN", ("GB", "country-code-normalised")),
        ("WA", ("GB", "country-code-normalised")),
        ("UK", ("GB", "country-code-normalised")),
        ("NY", ("US", "us-state-code-as-country")),
        ("TX", ("US", "us-state-code-as-country")),
        ("CA", ("CA", None)),
        ("IN", ("IN", None)),  # state codes that are also countries stay countries
        ("un", (None, "unknown-country-code")),
        ("QQ", (None, "unknown-country-code")),
        ("SU", ("SU", "historical-country-code")),
        ("YU", ("YU", "historical-country-code")),
        ("CN", ("CN", None)),
        (" cn ", ("CN", None)),
        ("", (None, None)),
        ("EP", (None, "unknown-country-code")),
    ],
)
def test_party_country(raw, expected):
    assert normalise_party_country(raw) == expected


@given(st.text(max_size=6))
def test_party_country_is_iso_historical_or_unknown(raw):
    country, note = normalise_party_country(raw)
    assert country is None or country in ISO_COUNTRIES or country in HISTORICAL_COUNTRIES
    if country is None and raw.strip():
        assert note == "unknown-country-code"  # never dropped silently


def test_office_keeps_regional_offices():
    assert normalise_office("EP") == ("EP", None) and normalise_office("wo") == ("WO", None)
    assert normalise_office("JA") == ("JP", "country-code-normalised")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07640598", "7640598"),
        ("D0651432", "D651432"),
        ("RE042000", "RE42000"),
        ("PP021000", "PP21000"),
        ("10000001", "10000001"),
    ],
)
def test_us_patent_number(raw, expected):
    assert normalise_us_patent_number(raw) == expected


@given(st.from_regex(r"[A-Z]{0,2}0{0,3}[1-9][0-9]{0,7}", fullmatch=True))
def test_us_patent_number_idempotent(raw):
    once = normalise_us_patent_number(raw)
    assert normalise_us_patent_number(once) == once and not once.lstrip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ).startswith("0")


def test_yyyymmdd():
    assert parse_yyyymmdd(20190621) == date(2019, 6, 21)
    assert parse_yyyymmdd(0) is None and parse_yyyymmdd(None) is None
    assert parse_yyyymmdd(20190500) == date(2019, 5, 1)
    with pytest.raises(ValueError):
        parse_yyyymmdd(2019)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", 1.0),
        ("5", 0.5),
        ("25", 0.25),
        ("6666667", 0.6666667),
        ("3,333333E+07", 0.3333333),
        ("1,666667E+07", 0.1666667),
        ("", None),
    ],
)
def test_lost_decimal(raw, expected):
    assert (
        decode_lost_decimal(raw) == pytest.approx(expected)
        if expected is not None
        else decode_lost_decimal(raw) is None
    )


@given(st.integers(min_value=1, max_value=99_999_999).filter(lambda n: n != 10))
def test_lost_decimal_is_a_share(n):
    assert 0 < decode_lost_decimal(str(n)) < 1


@pytest.mark.parametrize(("code", "ok"), [("CN", True), ("EP", True), ("WO", True), ("EA", True), ("SU", True),
                                          ("XX", False), ("QQ", False), ("中国", False), ("C1", False)])
def test_office_codes_are_validated(code, ok):
    from aieco.sources.fields import office_problem

    assert (office_problem(code) is None) is ok


@pytest.mark.parametrize("code", ["XX", "QQ", "中国"])
def test_lens_and_cset_reject_unknown_offices(store, tmp_path, code):
    from aieco.sources.cset1790 import Cset1790Reader
    from aieco.sources.lens import LensReader
    from aieco.store.ingest import ingest
    from conftest import FIXTURES

    for reader, fixture, column in ((LensReader(), FIXTURES / "lens" / "current.csv", 0),
                                    (Cset1790Reader(), FIXTURES / "cset1790" / "layout45.csv", 0)):
        lines = fixture.read_text("utf-8").splitlines()
        cells = lines[1].split(",")
        header = lines[0].split(",")
        column = header.index("Jurisdiction" if isinstance(reader, LensReader) else "Publication_country")
        cells[column] = code
        path = tmp_path / f"{reader.kind}.csv"
        path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
        run = ingest(store, reader, path).run
        reasons = [r[0] for r in store.query("SELECT reason FROM rejects WHERE run_id = ? AND line = 2",
                                             [run.run_id])]
        assert len(reasons) == 1 and "office code" in reasons[0], (reader.kind, reasons)


def test_one_table_of_offices_and_former_states_for_readers_counts_and_groups() -> None:
    from aieco.measure.groups import country_name, patent_offices
    from aieco.sources import entities
    from aieco.sources.fields import PATENT_OFFICES, office_problem

    assert set(patent_offices()) == set(entities.patent_offices()) == PATENT_OFFICES
    # the Netherlands Antilles (ISO 3166-3, withdrawn 2010) is a former state, not an unknown code
    assert entities.code_kind("AN") == "country" and country_name("AN") == "Netherlands Antilles"
    assert office_problem("AN") is None and office_problem("XN") is None
