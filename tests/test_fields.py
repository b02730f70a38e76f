"""Hypothesis and example tests for the pure field parsers, and their SQL twins in the CSET reader."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.sources import cset1790
from aieco.sources.fields import (
    is_mangled_number,
    normalise_party_country,
    normalise_publication_number,
    normalise_symbol,
    parse_date,
    parse_year,
    split_multi,
)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@given(dates)
def test_iso_and_compact_dates_round_trip(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.strftime("%Y%m%d")) == d
    assert parse_date(d.strftime("%d/%m/%Y")) == d


@given(dates, st.integers(min_value=0, max_value=98))
def test_two_digit_year_lands_at_or_before_reference(d, lag):
    ref = d.year + lag
    parsed = parse_date(d.strftime("%d/%m/%y"), latest_year=ref)
    assert parsed is not None
    assert parsed.year <= ref and ref - parsed.year < 100
    assert (parsed.month, parsed.day, parsed.year % 100) == (d.month, d.day, d.year % 100)


def test_dates_examples_and_errors():
    assert parse_date("25/04/13", latest_year=2013) == date(2013, 4, 25)
    assert parse_date("27/10/99", latest_year=2002) == date(1999, 10, 27)
    assert parse_date("") is None and parse_date("0") is None
    for bad in ("2019-13-01", "yesterday", "12/2019", "2019-02-30"):
        with pytest.raises(ValueError):
            parse_date(bad)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=";", blacklist_categories=("Cs",)),
                        min_size=1).map(str.strip).filter(bool), max_size=6))
def test_split_multi_inverts_join(parts):
    assert split_multi(";;".join(parts)) == parts


def test_split_multi_drops_empty_parts():
    assert split_multi(";; A01K47/00 ;;;;B64C39/024;;") == ["A01K47/00", "B64C39/024"]


@given(st.sampled_from("ABCDEFGHY"), st.integers(0, 99), st.sampled_from("ABCDEFGHJKLMNPQ"),
       st.integers(1, 9999), st.integers(0, 999999), st.integers(0, 3))
def test_symbol_forms_normalise_to_one(section, cls, sub, group, subgroup, pad):
    sg = f"{subgroup:02d}"
    canonical = f"{section}{cls:02d}{sub}{group}/{sg}"
    assert normalise_symbol(canonical) == canonical
    assert normalise_symbol(f"{section}{cls:02d}{sub}{' ' * pad}{group}/{sg}") == canonical
    assert normalise_symbol(f"{section}{cls:02d}{sub} {group:04d}/{sg}") == canonical
    assert normalise_symbol(canonical.lower()) == canonical


def test_symbol_errors():
    assert normalise_symbol("G06N") == "G06N"
    for bad in ("426/231", "G06", "hello", "G06N 3"):
        with pytest.raises(ValueError):
            normalise_symbol(bad)


@given(st.sampled_from(["JA", "DT", "DL", "EN", "WA", "UK", "SU", "CS", "DD", "YU", "CN", "us", "", "12", "USA", "QQ"]))
def test_country_codes(code):
    norm, finding = normalise_party_country(code)
    expected = {"JA": "JP", "DT": "DE", "DL": "DE", "EN": "GB", "WA": "GB", "UK": "GB"}
    if code in expected:
        assert (norm, finding) == (expected[code], "country-code-normalised")
    elif code in ("SU", "CS", "DD", "YU"):
        assert (norm, finding) == (code, "historical-country-code")
    elif code in ("CN", "us"):
        assert (norm, finding) == (code.upper(), None)
    elif code == "":
        assert (norm, finding) == (None, None)
    else:
        assert (norm, finding) == (None, "unknown-country-code")


@given(st.integers(2000, 2020), st.integers(0, 9_999_999))
def test_us_pregrant_numbers_have_one_form(year, serial):
    eleven = f"{year}{serial:07d}"
    ten = f"{year}{serial:06d}" if serial < 1_000_000 else eleven
    assert normalise_publication_number("US", eleven)[0] == eleven
    assert normalise_publication_number("US", ten)[0] == eleven


def test_publication_numbers_other_offices_untouched():
    assert normalise_publication_number("CN", "1080000012") == ("1080000012", None)
    assert normalise_publication_number("US", "2013/0101709")[0] == "20130101709"


@given(st.floats(min_value=1, max_value=9.99, allow_nan=False), st.integers(1, 15))
def test_mangled_numbers(mantissa, exp):
    assert is_mangled_number(f"{mantissa:.2f}E+{exp}")
    assert is_mangled_number(f"{mantissa:.5g}e{exp}")


def test_not_mangled():
    for ok in ("10123456", "20190385748", "EP1118846", ""):
        assert not is_mangled_number(ok)


def test_years():
    assert parse_year("2016") == 2016 and parse_year("") is None and parse_year("1066") is None
    with pytest.raises(ValueError):
        parse_year("20x6")


@given(st.sampled_from(["US", "CN", "DE"]),
       st.one_of(st.from_regex(r"\A[0-9]{7,11}\Z"), st.from_regex(r"\A[1-9]\.[0-9]{1,5}E\+[0-9]{2}\Z"),
                 st.from_regex(r"\A[0-9]{4}/[0-9]{7}\Z")))
def test_sql_twins_agree_with_python(office, raw):
    """The CSET reader's SQL normalisation gives what the pure functions give."""
    con = duckdb.connect()
    sql = (f"SELECT {cset1790.MANGLED_SQL}, "
           f"{cset1790.NUMBER_SQL.format(mangled=cset1790.MANGLED_SQL).replace('n0', cset1790.N0_SQL)} "
           "FROM (SELECT ? AS Publication_country, ? AS Publication_number)")
    mangled, number = con.execute(sql, [office, raw]).fetchone()
    assert mangled == is_mangled_number(raw)
    expected = raw.upper() if mangled else normalise_publication_number(office, raw)[0]
    assert number == expected


# -- zip members: checked before they are read (issue 15)


def _zip_with(tmp_path, name: str, data: bytes, *, flag: int = 0, method: int | None = None):
    import struct
    import zipfile

    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(name, data)
    raw = bytearray(path.read_bytes())
    # patch the central directory entry (and the local header) as another tool would have written it
    for sig, flag_at, method_at in ((b"PK\x01\x02", 8, 10), (b"PK\x03\x04", 6, 8)):
        at = raw.find(sig)
        if flag:
            raw[at + flag_at : at + flag_at + 2] = struct.pack("<H", flag)
        if method is not None:
            raw[at + method_at : at + method_at + 2] = struct.pack("<H", method)
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize(
    ("name", "flag", "method", "message"),
    [
        ("readme.pdf", 0, None, "zip holds no data file (.csv/.tsv/.txt), exactly one expected; found: readme.pdf"),
        ("data.csv", 1, None, "zip member data.csv is encrypted"),
        ("data.csv", 0, 99, "zip member data.csv uses compression method 99, which cannot be read"),
        ("data.csv", 0, 9, "zip member data.csv uses compression method 9"),  # deflate64
    ],
    ids=["no-data-member", "encrypted", "aes", "deflate64"],
)
def test_zip_members_are_checked_before_reading(tmp_path, name, flag, method, message):
    from aieco.errors import InputError
    from aieco.sources.files import open_binary

    path = _zip_with(tmp_path, name, b"a,b\n1,2\n", flag=flag, method=method)
    with pytest.raises(InputError, match=re.escape(message)):
        with open_binary(path) as fh:
            fh.read()


def test_a_zip_with_two_data_files_names_them(tmp_path):
    import zipfile

    from aieco.errors import InputError
    from aieco.sources.files import open_binary

    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", "x\n")
        zf.writestr("b.csv", "y\n")
    with pytest.raises(InputError, match="several data files .* found: a.csv, b.csv"):
        with open_binary(path):
            pass
