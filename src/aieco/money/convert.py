"""Converting amounts, and reading the rate a text used from a pair of amounts.

>>> from datetime import date
>>> round(convert(100, "EUR", "USD", date(2025, 4, 30)).amount, 2)
113.73
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aieco.errors import InputError
from aieco.money.rates import FRED_RULES, ecb_series, fred_rate, hmrc_months, rate
from aieco.results import Conversion


def convert(
    amount: float,
    base: str,
    quote: str,
    day: date,
    *,
    source: str = "auto",
    method: str = "day",
    fallback: str = "refuse",
    rule: str | None = None,
    rates_file: str | None = None,
    store: Any = None,
) -> Conversion:
    """``amount`` of ``base`` in ``quote`` at the rate of ``day``; says which rate and rule were used.

    ``rule`` annual-average / monthly-average takes the rate from a FRED file (``rates_file``) of that layout,
    else from the FRED rates loaded in ``store`` (``aieco ingest fred``)."""
    if amount != amount or amount in (float("inf"), float("-inf")):
        raise InputError(f"not an amount: {amount!r}")
    if rule is not None:
        if rule not in FRED_RULES:
            raise InputError(f"unknown --rule {rule!r}; choose one of {', '.join(FRED_RULES)}")
        if rates_file is not None:
            r = fred_rate(rates_file, base, quote, day, rule=rule)
        elif store is not None:
            r = fred_rate(store, base, quote, day, rule=rule)
        else:
            raise InputError(f"--rule {rule} needs --rates-file (FRED yearly.csv or monthly.csv) or FRED rates "
                             "loaded in the store (aieco ingest fred FILE)")
    else:
        r = rate(base, quote, day, source=source, method=method, fallback=fallback)
    return Conversion(
        amount=amount * r.rate,
        input_amount=amount,
        base=r.base,
        quote=r.quote,
        rate=r.rate,
        rate_source=r.rate_source,
        method=r.method,
        date=str(r.date),
        rate_date=str(r.used),
        rule=r.rule,
    )


def _runs(days: list[date]) -> list[str]:
    """Consecutive publication days grouped: ["2025-05-23..2025-06-04", "2025-06-18"] (gaps ≤ 4 days join)."""
    out: list[list[date]] = []
    for d in days:
        if out and (d - out[-1][-1]).days <= 4:
            out[-1].append(d)
        else:
            out.append([d])
    return [f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in out]


def implied_rate(
    source_amount: float,
    source_currency: str,
    converted_amount: float,
    converted_currency: str,
    *,
    converted_half_unit: float,
    period: tuple[date, date] | None = None,
) -> dict[str, Any]:
    """The rate that turns ``source_amount`` into ``converted_amount``; the dates whose rates match it.

    The converted amount is the one written more precisely; it matches a day's rate when the source amount at
    that rate rounds to it (within ``converted_half_unit``). A looser tier accepts a rate quoted to two
    decimals (a writer's "7.19"). ``period`` is the claim's own period: the conversions its rates give are
    listed, so a reader sees whether the text used a rate of that period or another.
    """
    if source_amount <= 0 or converted_amount <= 0:
        raise InputError("amounts must be positive to infer a rate")
    implied = source_amount / converted_amount  # units of source currency per one converted-currency unit
    lo_exact = source_amount / (converted_amount + converted_half_unit)
    hi_exact = source_amount / (converted_amount - converted_half_unit)
    quoted = round(implied, 2)
    lo_quoted, hi_quoted = quoted - 0.005, quoted + 0.005
    exact: list[date] = []
    loose: list[date] = []
    nearest: list[tuple[float, date, float]] = []
    in_period: list[tuple[date, float]] = []
    series_first = series_last = None
    for d, r in ecb_series(converted_currency, source_currency):
        series_first = series_first or d
        series_last = d
        if lo_exact <= r <= hi_exact:
            exact.append(d)
        if lo_quoted <= r <= hi_quoted:
            loose.append(d)
        if period and period[0] <= d <= period[1]:
            in_period.append((d, r))
        if period and d > period[1]:
            nearest.append((abs(r - implied), d, r))
    months = [(ym, r) for ym, r in hmrc_months(converted_currency, source_currency)]
    hmrc_exact = [ym for ym, r in months if lo_exact <= r <= hi_exact]
    hmrc_loose = [ym for ym, r in months if lo_quoted <= r <= hi_quoted]
    out: dict[str, Any] = {
        "implied_rate": implied,
        "rate_unit": f"{source_currency} per {converted_currency}",
        "source": {"amount": source_amount, "currency": source_currency},
        "converted": {
            "amount": converted_amount,
            "currency": converted_currency,
            "half_unit": converted_half_unit,
        },
        "tiers": [
            {
                "tier": "exact",
                "rule": f"the {source_currency} amount at the day's rate rounds to the "
                f"{converted_currency} amount as written (±{converted_half_unit:g})",
                "rate_range": [lo_exact, hi_exact],
                "ecb_days": len(exact),
                "ecb_dates": _runs(exact),
                "hmrc_months": hmrc_exact,
            },
            {
                "tier": "rate-quoted-to-2-decimals",
                "rule": f"the writer used a rate of {quoted:.2f} {source_currency}/{converted_currency} "
                f"(any rate that rounds to it)",
                "rate_range": [lo_quoted, hi_quoted],
                "ecb_days": len(loose),
                "ecb_dates": _runs(loose),
                "hmrc_months": hmrc_loose,
            },
        ],
        "ecb_coverage": [str(series_first), str(series_last)] if series_first else None,
    }
    if period:
        conv = [(d, source_amount / r) for d, r in in_period]
        out["period"] = {"start": str(period[0]), "end": str(period[1])}
        if conv:
            vals = [v for _, v in conv]
            mean_rate = sum(r for _, r in in_period) / len(in_period)
            out["period"].update(
                {
                    "ecb_days": len(conv),
                    "converted_min": min(vals),
                    "converted_max": max(vals),
                    "converted_at_mean_rate": source_amount / mean_rate,
                    "mean_rate": mean_rate,
                    "matches": any(lo_exact <= r <= hi_exact for _, r in in_period),
                    "matches_quoted": any(lo_quoted <= r <= hi_quoted for _, r in in_period),
                }
            )
        else:
            out["period"]["ecb_days"] = 0
        out["first_match_after_period"] = next((str(d) for d in loose if d > period[1]), None)
        if nearest:
            _, d, r = min(nearest)
            out["nearest_after_period"] = {"date": str(d), "rate": r, "converted": source_amount / r}
    return out
