"""FRED average exchange rates in the datasets/exchange-rates layout: `aieco ingest fred FILE`.

Two layouts, told apart by the header: ``Date,Country,Value`` (yearly.csv: annual averages, one row per
currency and year dated YYYY-01-01) and ``Date,Country,Exchange rate`` (monthly.csv: monthly averages dated
the first of the month). Every value is units of the foreign currency per one USD. The data package's readme
says Australia, Euro, Ireland, New Zealand and United Kingdom are USD per currency (as FRED publishes those
series, e.g. EXUSEU), but the values in this copy are their inverses: Euro 2019 = 0.8933 and Australia 2019 =
1.4384, where the ECB's 2019 mean is 0.8934 EUR and 1.4393 AUD per USD (tests/test_fred.py checks it). So
nothing is inverted here; the orientation column says that those five are the inverse of FRED's own series.

The ingest goes through the run context like every reader (rows read = accepted + rejected, each reject with
its line, field and reason, one transaction) into the ``rates`` table (migration 0005). :func:`read_fred`
parses a file without a store, for ``aieco convert --rates-file`` and the claims checker.

>>> series_id("CNY", "annual-average"), series_id("CNY", "monthly-average")
('AEXCHUS', 'EXCHUS')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.errors import InputError
from aieco.files import sha256_file
from aieco.model import Reject
from aieco.sources.aggregates import TableReader
from aieco.sources.files import CsvRows, open_text

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
    # monthly.csv also holds the euro area's former currencies (to 2001) and Greece and Sri Lanka
    "Austria": "ATS",
    "Belgium": "BEF",
    "Finland": "FIM",
    "France": "FRF",
    "Germany": "DEM",
    "Greece": "GRD",
    "Italy": "ITL",
    "Netherlands": "NLG",
    "Portugal": "PTE",
    "Spain": "ESP",
    "Sri Lanka": "LKR",
}
# FRED's monthly H.10 series ids (the annual series is the same id prefixed with A: EXCHUS -> AEXCHUS). The
# file does not carry them; a currency whose id we do not know for sure is left without one.
MONTHLY_SERIES = {
    "AUD": "EXUSAL",
    "BRL": "EXBZUS",
    "CAD": "EXCAUS",
    "CNY": "EXCHUS",
    "DKK": "EXDNUS",
    "EUR": "EXUSEU",
    "HKD": "EXHKUS",
    "INR": "EXINUS",
    "JPY": "EXJPUS",
    "MYR": "EXMAUS",
    "MXN": "EXMXUS",
    "NZD": "EXUSNZ",
    "NOK": "EXNOUS",
    "SGD": "EXSIUS",
    "ZAR": "EXSFUS",
    "KRW": "EXKOUS",
    "SEK": "EXSDUS",
    "CHF": "EXSZUS",
    "TWD": "EXTAUS",
    "THB": "EXTHUS",
    "GBP": "EXUSUK",
    "VEF": "EXVZUS",
}
# Series FRED publishes as USD per one unit of the currency; the packaged copy holds their inverses.
USD_PER_FOREIGN = frozenset({"AUD", "EUR", "IEP", "NZD", "GBP"})
PER_USD = "currency per USD"
PER_USD_INVERTED = "currency per USD (inverse of FRED's USD-per-currency series)"
LAYOUTS = {"Value": "annual-average", "Exchange rate": "monthly-average"}
RULES = tuple(LAYOUTS.values())


def series_id(currency: str, rule: str) -> str | None:
    """FRED's series id for a currency and rule, or None when not known."""
    monthly = MONTHLY_SERIES.get(currency)
    if monthly is None:
        return None
    return "A" + monthly if rule == "annual-average" else monthly


@dataclass(frozen=True, kw_only=True)
class FredRate:
    currency: str
    series: str  # FRED's country label, as read
    series_id: str | None
    period: str  # "2024" (annual average) or "2025-04" (monthly average)
    rule: str  # annual-average | monthly-average
    per_usd: float  # units of ``currency`` per one USD
    published: float  # the value as the file gives it
    orientation: str  # PER_USD, or PER_USD_INVERTED for the series FRED quotes the other way
    line: int


@dataclass(frozen=True)
class FredFile:
    path: str
    sha256: str
    rule: str
    rates: tuple[FredRate, ...]
    rejects: tuple[Reject, ...]
    rows_read: int

    def get(self, currency: str, period: str) -> FredRate:
        for r in self.rates:
            if r.currency == currency and r.period == period:
                return r
        raise InputError(f"{self.path}: no FRED {self.rule} rate for {currency} in {period}")


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def rule_of(header: list[str], path: Path) -> str:
    """The rule a FRED file's header stands for, or an InputError naming the file and line 1."""
    head = [h.strip() for h in header]
    if len(head) != 3 or head[:2] != ["Date", "Country"] or head[2] not in LAYOUTS:
        raise InputError(
            f"header {','.join(head)!r} is not Date,Country,Value or Date,Country,Exchange rate (FRED layout)",
            path=str(path),
            line=1,
        )
    return LAYOUTS[head[2]]


def parse_row(row: list[str], rule: str, value_col: str, line: int) -> FredRate:
    """One data row as a rate, or ``_Bad(field, reason)``."""
    if len(row) != 3:
        raise _Bad("row", f"{len(row)} fields, expected 3")
    d_raw, country, v_raw = (c.strip() for c in row)
    try:
        d = date.fromisoformat(d_raw)
    except ValueError:
        raise _Bad("Date", f"not an ISO date: {d_raw!r}") from None
    annual = rule == "annual-average"
    if d.day != 1 or (annual and d.month != 1):
        raise _Bad("Date", f"{d_raw} is not the first day of the {'year' if annual else 'month'}")
    code = CURRENCIES.get(country)
    if code is None:
        raise _Bad("Country", f"unknown FRED country {country!r}")
    try:
        v = float(v_raw)
    except ValueError:
        raise _Bad(value_col, f"not a number: {v_raw!r}") from None
    if not v > 0 or v == float("inf"):
        raise _Bad(value_col, f"a rate must be positive and finite: {v_raw!r}")
    return FredRate(
        currency=code,
        series=country,
        series_id=series_id(code, rule),
        period=str(d.year) if annual else f"{d:%Y-%m}",
        rule=rule,
        per_usd=v,
        published=v,
        orientation=PER_USD_INVERTED if code in USD_PER_FOREIGN else PER_USD,
        line=line,
    )


def _parse(path: Path, encoding: str = "utf-8-sig") -> tuple[str, list[tuple[int, str, FredRate | _Bad]]]:
    """The file's rule and its rows: (line, raw, rate or the reason it is rejected); repeats are rejected."""
    out: list[tuple[int, str, FredRate | _Bad]] = []
    seen: dict[tuple[str, str], int] = {}
    with open_text(path, encoding) as text:
        rows = CsvRows(text, path=path)
        header = rows.read_header()
        rule = rule_of(header, path)
        for line, row in rows:
            raw = ",".join(row)
            try:
                r = parse_row(row, rule, header[2], line)
            except _Bad as bad:
                out.append((line, raw, bad))
                continue
            first = seen.get((r.currency, r.period))
            if first is not None:
                out.append((line, raw, _Bad("key", f"duplicate key {r.series} {r.period} (first on line {first})")))
                continue
            seen[(r.currency, r.period)] = line
            out.append((line, raw, r))
    return rule, out


def read_fred(path: Path) -> FredFile:
    """Parse a FRED file without a store: its rates and rejects (rows read = rates + rejects).

    >>> f = read_fred(Path("fred-fx/yearly.csv"))  # doctest: +SKIP
    >>> f.get("CNY", "2024").per_usd  # doctest: +SKIP
    7.1957
    """
    path = Path(path)
    rule, items = _parse(path)
    rates: list[FredRate] = []
    rejects: list[Reject] = []
    for line, raw, item in items:
        if isinstance(item, _Bad):
            rejects.append(Reject(file=str(path), line=line, field=item.field, reason=item.reason, raw=raw))
        else:
            rates.append(item)
    return FredFile(str(path), sha256_file(path), rule, tuple(rates), tuple(rejects), len(rates) + len(rejects))


class FredReader(TableReader):
    """Reads a FRED yearly or monthly average-rate file into the ``rates`` table."""

    kind = "fred"
    source = "fred"

    def read(self, path: Path, ctx: Any) -> None:
        rule, items = _parse(path, ctx.encoding or "utf-8-sig")
        sha = sha256_file(path)
        ctx.options.update({"rule": rule})
        rows: list[FredRate] = []
        for line, raw, item in items:
            ctx.row_read()
            if isinstance(item, _Bad):
                ctx.reject(line, item.field, item.reason, raw)
                continue
            rows.append(item)
        if rows:
            batch = pa.table(  # noqa: F841 -- read by DuckDB's replacement scan, by its name
                {
                    "run_id": pa.array([ctx.run_id] * len(rows), pa.int32()),
                    "source": pa.array(["fred"] * len(rows), pa.string()),
                    "rule": pa.array([r.rule for r in rows], pa.string()),
                    "currency": pa.array([r.currency for r in rows], pa.string()),
                    "series": pa.array([r.series for r in rows], pa.string()),
                    "series_id": pa.array([r.series_id for r in rows], pa.string()),
                    "period": pa.array([r.period for r in rows], pa.string()),
                    "per_usd": pa.array([r.per_usd for r in rows], pa.float64()),
                    "published": pa.array([r.published for r in rows], pa.float64()),
                    "orientation": pa.array([r.orientation for r in rows], pa.string()),
                    "file": pa.array([str(path)] * len(rows), pa.string()),
                    "file_sha256": pa.array([sha] * len(rows), pa.string()),
                    "line": pa.array([r.line for r in rows], pa.int64()),
                }
            )
            ctx.con.execute("INSERT INTO rates BY NAME SELECT * FROM batch")
        ctx.accept_direct(len(rows))
