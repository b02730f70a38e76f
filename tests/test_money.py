"""Offline rates and conversion: ECB days and means, HMRC for currencies the ECB lacks, explicit refusals."""

from __future__ import annotations

import json
from datetime import date

import pytest

from aieco.errors import InputError, RateNotFound
from aieco.money import convert, implied_rate, rate


def test_ecb_day_and_means():
    r = convert(100, "EUR", "USD", date(2025, 4, 30))
    assert r.rate == pytest.approx(1.1373) and r.rate_source == "ecb" and r.rate_date == "2025-04-30"
    m = convert(600e9, "CNY", "USD", date(2025, 4, 15), method="month-mean")
    assert m.amount / 1e9 == pytest.approx(82.2, abs=0.05) and "20 daily" in m.rule
    assert r.to_dict()["from"] == "EUR" and r.to_dict()["to"] == "USD" and "EUR = " in r.label()
    y = rate("CNY", "USD", date(2024, 6, 1), method="year-mean")
    assert 0.13 < y.rate < 0.145 and y.used == "2024"


def test_weekend_is_refused_or_uses_the_stated_rule():
    with pytest.raises(RateNotFound, match="Saturday"):
        rate("CNY", "USD", date(2025, 4, 5))
    r = rate("CNY", "USD", date(2025, 4, 5), fallback="previous")
    assert r.used == "2025-04-04" and "previous" in r.rule


def test_before_coverage_is_refused():
    with pytest.raises(RateNotFound, match="cover"):
        rate("CNY", "USD", date(2001, 1, 3), source="ecb")


def test_hmrc_for_currencies_the_ecb_lacks():
    r = rate("RUB", "USD", date(2023, 4, 3))  # ECB stopped RUB in 2022
    assert r.rate_source == "hmrc" and r.used == "2023-04"
    assert rate("KZT", "USD", date(2023, 4, 3)).rate_source == "hmrc"
    with pytest.raises(RateNotFound, match="ECB publishes no KZT"):
        rate("KZT", "USD", date(2023, 4, 3), source="ecb")


def test_bad_codes_and_options():
    with pytest.raises(InputError):
        rate("yuan", "USD", date(2024, 1, 2))
    with pytest.raises(InputError):
        rate("CNY", "USD", date(2024, 1, 2), method="week")


def test_implied_rate_of_the_article_pair():
    ev = implied_rate(
        600e9, "CNY", 83.45e9, "USD", converted_half_unit=5e6, period=(date(2025, 4, 1), date(2025, 4, 30))
    )
    assert ev["implied_rate"] == pytest.approx(7.19, abs=0.001)
    per = ev["period"]
    assert 81.5e9 < per["converted_min"] < per["converted_max"] < 82.7e9 and not per["matches"]
    assert ev["first_match_after_period"] >= "2025-05-01"  # a later date's rate was used


def test_convert_cli_json(capsys):
    from aieco.cli import main

    main(["convert", "600000000000", "CNY", "USD", "--date", "2025-04-30", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert {"amount", "rate", "rate_source", "method", "date"} <= set(out)
    with pytest.raises(SystemExit) as ex:
        main(["convert", "1", "CNY", "USD", "--date", "2025-04-05"])
    assert ex.value.code == RateNotFound.exit_code
    assert "Saturday" in capsys.readouterr().err
