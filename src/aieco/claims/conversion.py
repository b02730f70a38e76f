"""Money pairs ("600 billion yuan ($83.45 billion)"): the rate a pair implies, the ECB days and FRED annual
averages that reproduce it, and the verdict on the conversion.

>>> from aieco.claims.extract import extract
>>> claims = extract("As of April 2025, the industry reached nearly 600 billion yuan ($83.45 billion).")
>>> conversion(claims[0], None)[0].id
'supported-under-some-methods'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from aieco.claims import verdicts as V
from aieco.claims.numbers import significant_digits
from aieco.errors import AiecoError
from aieco.model import Amount, Claim, Period


def _half_unit(amount: Amount) -> tuple[float, int]:
    """The rounding half-unit of an amount and how many significant digits it is written with."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", amount.text)
    return amount.half_unit, (significant_digits(m.group(0)) if m else 1)


def _period_dates(period: Period) -> tuple[date, date] | None:
    if period.kind == "as-of" and period.end:
        end = date.fromisoformat(period.end)
        if (
            period.text
            and re.search(r"\d{4}\s*$", period.text)
            and not re.search(r"[A-Za-z]{3,}\.?\s+\d{4}", period.text)
        ):
            return date(end.year, 1, 1), end  # "by 2023", "end-2023": the year
        return end.replace(day=1), end
    if period.kind == "range" and period.start and period.end:
        return date.fromisoformat(period.start), date.fromisoformat(period.end)
    return None


def _fred_annual(
    src_value: float, src_unit: str, dst_value: float, dst_unit: str, half: float, year: int | None,
    store: Any = None,
) -> list[dict[str, Any]]:
    """The FRED annual-average rates of ``year`` (the article's) and the year before, each with the amount it
    converts ``src_value`` to and whether that reproduces ``dst_value`` within its rounding (``matches``) or
    at the implied rate quoted to two decimals (``matches_quoted``). From the store when it holds FRED
    annual averages (``aieco ingest fred``, the latest run), else from the file AIECO_FRED_RATES names;
    empty when neither is there."""
    if year is None:
        return []
    stored = _stored_run(store)
    if stored is not None:
        return _fred_rows(store, stored, src_value, src_unit, dst_value, dst_unit, half, year)
    from aieco.settings import fred_rates_path

    path = fred_rates_path()
    if path is None:
        return []
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is not None:  # the same file, the same pair: the same answer (read once per process, not per claim)
        return [dict(x) for x in _fred_cached(str(path), st.st_mtime_ns, st.st_size, src_value, src_unit,
                                               dst_value, dst_unit, half, year)]  # fmt: skip
    return _fred_uncached(path, src_value, src_unit, dst_value, dst_unit, half, year)


def _stored_run(store: Any) -> dict[str, Any] | None:
    """The latest stored run of FRED annual averages (run id, file, sha256), or None when the store holds none."""
    if store is None or not hasattr(store, "has_table"):
        return None
    from aieco.money.rates import stored_rules

    if "annual-average" not in stored_rules(store):
        return None
    run_id, file, sha = store.query(
        "SELECT run_id, any_value(file), any_value(file_sha256) FROM rates WHERE rule = 'annual-average' "
        "AND run_id = (SELECT max(run_id) FROM rates WHERE rule = 'annual-average') GROUP BY run_id"
    )[0]
    return {"run_id": int(run_id), "file": str(file), "sha256": str(sha)}


def _fred_rows(
    source: Any, run: dict[str, Any] | None, src_value: float, src_unit: str, dst_value: float, dst_unit: str,
    half: float, year: int, path: Any = None, sha256: str = "",
) -> list[dict[str, Any]]:
    """One row per year (``year`` and the one before) of what a FRED annual average (file or store) gives."""
    from aieco.money.rates import fred_rate

    quoted = round(src_value / dst_value, 2)
    out: list[dict[str, Any]] = []
    for y in (year, year - 1):
        try:
            r = fred_rate(source, dst_unit, src_unit, date(y, 1, 1), rule="annual-average")
        except AiecoError as err:
            out.append({"year": y, "error": str(err)})
            continue
        converted = src_value / r.rate
        row = {
            "year": y,
            "rule": "annual-average",
            "rate": r.rate,
            "rate_unit": f"{src_unit} per {dst_unit}",
            "converted": converted,
            "matches": abs(converted - dst_value) <= half,
            "matches_quoted": abs(r.rate - quoted) <= 0.005,
            "source": "FRED",
            "method": r.rule,
        }
        if run is not None:
            row.update(rates_from="store", run_id=run["run_id"], source_file=run["file"],
                       source_sha256=run["sha256"])  # fmt: skip
        else:
            row.update(rates_from="file", source_file=str(path), source_sha256=sha256)
        out.append(row)
    return out


@lru_cache(maxsize=256)
def _fred_cached(path: str, _mtime: int, _size: int, src_value: float, src_unit: str, dst_value: float,
                 dst_unit: str, half: float, year: int) -> tuple[dict[str, Any], ...]:  # fmt: skip
    from pathlib import Path

    return tuple(_fred_uncached(Path(path), src_value, src_unit, dst_value, dst_unit, half, year))


def _fred_uncached(path: Any, src_value: float, src_unit: str, dst_value: float, dst_unit: str, half: float,
                   year: int) -> list[dict[str, Any]]:  # fmt: skip
    from aieco.sources.fred import read_fred

    try:
        f = read_fred(path)
    except AiecoError as err:
        return [{"error": str(err)}]
    if f.rule != "annual-average":
        return [{"error": f"{path} holds {f.rule} rates, not annual-average (AIECO_FRED_RATES)"}]
    return _fred_rows(path, None, src_value, src_unit, dst_value, dst_unit, half, year, path=path, sha256=f.sha256)


def _fred_text(
    fred: list[dict[str, Any]], rate_unit: str, dst_unit: str, money: Callable[[float], str], big: bool
) -> str:
    if not fred:
        return ""
    parts = []
    for f in fred:
        if "rate" not in f:
            parts.append(f"{f.get('year', '')} {f['error']}".strip())
            continue
        how = (
            "reproduces it within its rounding"
            if f["matches"]
            else "reproduces it at the implied rate quoted to two decimals"
            if f["matches_quoted"]
            else "does not reproduce it"
        )
        parts.append(
            f"{f['year']} {f['rate']:.4f} {rate_unit} gives {money(f['converted'])}"
            f"{' billion' if big else ''} {dst_unit} ({how})"
        )
    sha = next((f["source_sha256"] for f in fred if "source_sha256" in f), None)
    run = next((f["run_id"] for f in fred if f.get("rates_from") == "store"), None)
    where = f"stored run {run}, " if run is not None else ""
    return f"; FRED annual-average rates: {'; '.join(parts)}" + (f" ({where}sha256 {sha[:12]})" if sha else "")


def conversion(
    claim: Claim, partner: Claim | None, text_date: str | None = None, store: Any = None
) -> tuple[Any, dict[str, Any]]:
    from aieco.money import implied_rate
    from aieco.money.rates import ecb_series

    amounts = list(claim.amounts) + (list(partner.amounts) if partner else [])
    if len(amounts) < 2:
        return None, {}
    a, b = amounts[0], amounts[1]
    ha, da = _half_unit(a)
    hb, db = _half_unit(b)
    # the amount written more precisely is the one converted from the other
    src, dst, half = (a, b, hb) if db >= da else (b, a, ha)
    period = claim.period if claim.period.kind != "unstated" else (partner.period if partner else claim.period)
    dates = _period_dates(period)
    try:
        ev = implied_rate(src.value, src.unit, dst.value, dst.unit, converted_half_unit=half, period=dates)
    except AiecoError as err:
        return V.verdict(V.NOT_CHECKABLE, missing=str(err)), {"error": str(err)}
    ev["pair"] = [{"text": x.text, "start": x.start, "end": x.end} for x in (src, dst)]
    exact, quoted = ev["tiers"]
    big = dst.value >= 1e9
    dst_txt = f"{dst.value / 1e9:,.2f} billion {dst.unit}" if big else f"{dst.value:,.2f} {dst.unit}"
    src_txt = f"{src.value / 1e9:,.0f} billion {src.unit}" if big else f"{src.value:,.2f} {src.unit}"

    def money(x: float) -> str:
        return f"{x / 1e9:,.2f}" if big else f"{x:,.2f}"

    rate_txt = f"{src_txt} = {dst_txt} implies {ev['implied_rate']:.4f} {ev['rate_unit']}"
    quoted_rate = f"{round(ev['implied_rate'], 2):.2f}"
    year = int((text_date or (dates[1].isoformat() if dates else ""))[:4] or 0) or None
    fred = _fred_annual(src.value, src.unit, dst.value, dst.unit, half, year, store)
    ev["annual_average"] = fred
    fred_txt = _fred_text(fred, ev["rate_unit"], dst.unit, money, big)
    fred_ok = [f for f in fred if f.get("matches") or f.get("matches_quoted")]
    per = ev.get("period")
    total = len(ecb_series(dst.unit, src.unit))
    if per and per.get("ecb_days"):
        label = f"{per['start'][:7]}" if per["start"][:7] == per["end"][:7] else f"{per['start']}..{per['end']}"
        conv_txt = (
            f"ECB daily rates of {label} give {money(per['converted_min'])}–"
            f"{money(per['converted_max'])}{' billion' if big else ''} {dst.unit} "
            f"({money(per['converted_at_mean_rate'])} at the month-mean rate)"
        )
        if per["matches"] or per["matches_quoted"]:
            return V.verdict(
                V.SUPPORTED if per["matches"] else V.SOME,
                n=per["ecb_days"],
                k="some",
                what=f"ECB daily rates of {label}",
                detail=f"{rate_txt}; {conv_txt}{fred_txt}",
            ), ev
        before = [d for d in exact["ecb_dates"] if d[:10] < per["start"]]
        after = [d for d in quoted["ecb_dates"] if d[:10] > per["end"]]
        detail = (
            f"{rate_txt}; {conv_txt}, not {dst_txt}: the conversion used another period's rate. "
            f"Dates whose ECB rate gives {dst_txt} within its rounding: "
            f"{', '.join(exact['ecb_dates']) or 'none'}"
            f"{' (all before the period)' if before and len(before) == len(exact['ecb_dates']) else ''}; "
            f"at a rate quoted as {quoted_rate}: {', '.join(after[:8]) or 'none'} after the period"
            f" (first: {ev.get('first_match_after_period') or 'none'})"
            f"{fred_txt}"
        )
    else:
        detail = (
            f"{rate_txt}; ECB dates within the rounding of {dst_txt}: {', '.join(exact['ecb_dates']) or 'none'}"
            f"; at a rate quoted as {quoted_rate}: {', '.join(quoted['ecb_dates'][-6:]) or 'none'}"
            " (the claim gives no period to prefer one)"
            f"{fred_txt}"
        )
    # the same outcome in or out of a period: some ECB days reproduce it, else a FRED average, else none
    if exact["ecb_dates"] or quoted["ecb_dates"]:
        return V.verdict(
            V.SOME,
            k=f"{exact['ecb_days']} (exact) / {quoted['ecb_days']} (rate {quoted_rate})",
            n=total,
            what="ECB daily rates",
            detail=detail,
        ), ev
    if fred_ok:
        return V.verdict(
            V.SOME,
            k=f"{len(fred_ok)} FRED annual average(s)",
            n=total + len(fred),
            what="ECB daily rates and FRED annual averages",
            detail=detail,
        ), ev
    return V.verdict(V.CONTRADICTED, n=total, what="ECB daily rates", scope="", detail=detail), ev
