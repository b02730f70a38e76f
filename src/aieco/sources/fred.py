"""FRED average exchange rates in the datasets/exchange-rates layout (``Date,Country,Value`` yearly,
``Date,Country,Exchange rate`` monthly).

Units as the data package states them: foreign currency per USD, except Australia, Euro, Ireland,
New Zealand and United Kingdom, which are USD per foreign currency. Each parsed rate is normalised to
``quote`` per one ``base`` with the orientation recorded, so a reader never has to remember the exception.

Parsing only: rows read = accepted + rejected, each reject with its file, line and reason. Storing the
rates (``aieco ingest fred``) and the ``annual-average``/``monthly-average`` convert rules are not built yet.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aieco.errors import InputError

# FRED country label -> ISO 4217 code.
CURRENCIES = {
    "Australia": "AUD",
    "Brazil": "BRL",
    "Canada": "CAD",
    "China": "CNY",
    "Denmark": "DKK",
    "Euro": "EUR",
    "Hong Kong": "HKD",
    "India": "INR",
    "Ireland": "IEP",
    "Japan": "JPY",
    "Malaysia": "MYR",
    "Mexico": "MXN",
    "New Zealand": "NZD",
    "Norway": "NOK",
    "Singapore": "SGD",
    "South Africa": "ZAR",
    "South Korea": "KRW",
    "Sweden": "SEK",
    "Switzerland": "CHF",
    "Taiwan": "TWD",
    "Thailand": "THB",
    "United Kingdom": "GBP",
    "Venezuela": "VEF",
}
# Series quoted as USD per one unit of the foreign currency (datapackage.json readme).
USD_PER_FOREIGN = frozenset({"AUD", "EUR", "IEP", "NZD", "GBP"})
LAYOUTS = {"Value": "annual-average", "Exchange rate": "monthly-average"}


@dataclass(frozen=True)
class FredRate:
    currency: str
    period: str  # "2024" (annual average) or "2025-04" (monthly average)
    rule: str  # annual-average | monthly-average
    per_usd: float  # units of ``currency`` per one USD, whatever way FRED quoted it
    published: float  # the value as FRED publishes it
    orientation: str  # "currency per USD" or "USD per currency"
    line: int


@dataclass(frozen=True)
class FredReject:
    path: str
    line: int
    reason: str


@dataclass(frozen=True)
class FredFile:
    path: str
    sha256: str
    rule: str
    rates: tuple[FredRate, ...]
    rejects: tuple[FredReject, ...]
    rows_read: int

    def get(self, currency: str, period: str) -> FredRate:
        for r in self.rates:
            if r.currency == currency and r.period == period:
                return r
        raise InputError(f"{self.path}: no FRED {self.rule} rate for {currency} in {period}")


def read_fred(path: Path) -> FredFile:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise InputError(f"{path}: empty file")
    head = [h.strip() for h in rows[0]]
    if len(head) != 3 or head[:2] != ["Date", "Country"] or head[2] not in LAYOUTS:
        raise InputError(
            f"{path}:1: header {','.join(head)!r} is not Date,Country,Value or Date,Country,Exchange rate (FRED layout)"
        )
    rule = LAYOUTS[head[2]]
    rates: list[FredRate] = []
    rejects: list[FredReject] = []
    seen: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows[1:], start=2):

        def bad(reason: str, n: int = n) -> None:
            rejects.append(FredReject(str(path), n, reason))

        if len(row) != 3:
            bad(f"{len(row)} fields, expected 3")
            continue
        d_raw, country, v_raw = (c.strip() for c in row)
        try:
            d = date.fromisoformat(d_raw)
        except ValueError:
            bad(f"field Date: not an ISO date: {d_raw!r}")
            continue
        if rule == "annual-average" and (d.month, d.day) != (1, 1) or d.day != 1:
            bad(f"field Date: {d_raw} is not the first day of the {'year' if rule == 'annual-average' else 'month'}")
            continue
        code = CURRENCIES.get(country)
        if code is None:
            bad(f"field Country: unknown FRED country {country!r}")
            continue
        try:
            v = float(v_raw)
        except ValueError:
            bad(f"field {head[2]}: not a number: {v_raw!r}")
            continue
        if not v > 0 or v == float("inf"):
            bad(f"field {head[2]}: a rate must be positive and finite: {v_raw!r}")
            continue
        period = str(d.year) if rule == "annual-average" else f"{d:%Y-%m}"
        key = (code, period)
        if key in seen:
            bad(f"duplicate key {country} {period} (first on line {seen[key]})")
            continue
        seen[key] = n
        inverted = code in USD_PER_FOREIGN
        rates.append(
            FredRate(
                code,
                period,
                rule,
                1 / v if inverted else v,
                v,
                "USD per currency" if inverted else "currency per USD",
                n,
            )
        )
    return FredFile(str(path), sha, rule, tuple(rates), tuple(rejects), len(rows) - 1)
