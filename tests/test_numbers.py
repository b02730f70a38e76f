"""Numbers, multipliers and the intervals qualifiers make (hypothesis for the parsers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.claims.extract import extract
from aieco.claims.numbers import MULTIPLIERS, interval, parse_number, significant_digits
from aieco.errors import InputError


@pytest.mark.parametrize(
    ("digits", "mult", "value", "half"),
    [
        ("1.5", "million", 1.5e6, 5e4),
        ("600", "billion", 6e11, 5e10),
        ("83.45", "billion", 83.45e9, 5e6),
        ("287,532", None, 287532, 0.5),
        ("6000", "亿", 6e11, 5e10),
        ("37.8", "万", 378000, 500),
        ("40", None, 40, 5),
    ],
)
def test_parse_number(digits, mult, value, half):
    v, h = parse_number(digits, mult)
    assert v == pytest.approx(value) and h == pytest.approx(half)


def test_bad_numbers_are_input_errors():
    for bad in ("", "1,23", "abc", "1.2.3"):
        with pytest.raises(InputError):
            parse_number(bad)
    with pytest.raises(InputError):
        parse_number("3", "gazillion")


def test_interval_rules():
    assert interval(40, 5, "nearly").label() == "[36, 40)"
    assert not interval(40, 5, "nearly").contains(40) and interval(40, 5, "nearly").contains(39.9)
    more = interval(1.5e6, 5e4, "more than")
    assert more.contains(1.576e6) and not more.contains(1.5e6) and more.hi is None
    assert "ceiling" in more.rule
    assert interval(400, 50, "at least").contains(400)
    assert interval(400, 50, "up to").contains(0) and not interval(400, 50, "up to").contains(401)
    about = interval(83.45, 0.005, "about")
    assert about.tolerance == pytest.approx(0.025)  # the floor, since 83.45 is written precisely
    assert interval(600, 50, "around").tolerance == pytest.approx(50 / 600)
    assert interval(287532, 0.5).contains(287532.4) and not interval(287532, 0.5).contains(287533)


_QUALS = ["nearly", "almost", "about", "around", "more than", "over", "at least", "up to", None]


@given(
    st.integers(min_value=1, max_value=999_999), st.sampled_from(sorted(MULTIPLIERS)), st.sampled_from(_QUALS)
)
def test_interval_shape(n, mult, qual):
    value, half = parse_number(str(n), mult)
    iv = interval(value, half, qual)
    if qual in ("about", "around", None, "at least", "up to"):
        assert iv.contains(value)  # the figure itself is allowed
    if qual in ("nearly", "almost", "more than", "over"):
        assert not iv.contains(value)  # strict: "nearly 40" is below 40, "more than X" above X
    if qual in ("nearly", "almost"):
        assert iv.contains(value * 0.95) and not iv.contains(value * 0.89)
    if iv.lo is not None and iv.hi is not None:
        assert iv.lo <= value <= iv.hi


@given(st.integers(min_value=1, max_value=10**9))
def test_grouped_and_plain_digits_agree(n):
    assert parse_number(f"{n:,}")[0] == parse_number(str(n))[0] == n


@given(
    st.decimals(min_value=1, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["thousand", "million", "billion", "trillion"]),
)
def test_extracted_amount_round_trips(d, mult):
    text = f"The market reached {d} {mult} dollars in 2021."
    claims = extract(text)
    assert len(claims) == 1
    a = claims[0].amounts[0]
    assert a.unit == "USD"
    assert a.value == pytest.approx(float(d) * MULTIPLIERS[mult])
    assert text[a.start : a.end].startswith(str(d))


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["%", " percent", " per cent"]))
def test_percentages(n, sign):
    claims = extract(f"Firms in Japan hold nearly {n}{sign} of global AI patent families.")
    share = [c for c in claims if c.kind == "share"]
    assert share and share[0].amounts[0].value == n and share[0].interval.hi == n


def test_significant_digits():
    assert (significant_digits("83.45"), significant_digits("600"), significant_digits("1,500")) == (4, 1, 2)
