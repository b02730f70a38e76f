"""Checking claims: each claim mapped onto the method grid, the reference ledger and the exchange rates.

Every claim gets a data verdict (does the loaded data reproduce it, under which methods, and if it cannot
answer, what is missing) and, separately, its matches with published figures. Money pairs also get a
conversion check (the implied rate and the dates whose rates match it).

>>> rows = check("In 2015, Chinese applicants filed about 10,000 AI patent families.", None, grid_fn=None)
>>> rows[0]["verdict"]
'not-checkable-with-loaded-data'
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from aieco.claims import ledger as ledger_mod
from aieco.claims import verdicts as V
from aieco.claims.extract import _MENTION, extract, find_period, topic
from aieco.claims.numbers import parse_number, significant_digits
from aieco.claims.segment import segment
from aieco.errors import AiecoError, InputError
from aieco.model import Claim, Period

# Texts larger than this are refused: the checker is for articles and reports, not corpora.
MAX_TEXT_BYTES = 1_000_000
# Checking costs about 0.3 s a claim on the demo store (800 claims: 235 s, measured 2026-12-03), so the number of
# claims is bounded too: a 1,000-word article holds tens; the API asks for fewer (present/api.py MAX_API_CLAIMS).
MAX_CLAIMS = 5_000

GridFn = Callable[..., list[dict[str, Any]]]

# Which counting units a measure word can mean (a news "patent" can be any of them).
UNITS_FOR_MEASURE: dict[str, tuple[str, ...]] = {
    "patents": ("document", "application", "family", "granted-family"),
    "applications": ("application", "document", "family"),
    "families": ("family",),
    "grants": ("granted-family",),
    "in-force-patents": ("granted-family",),
    "documents": ("document",),
}
_PATENT_MEASURES = set(UNITS_FOR_MEASURE)


# --- reading text, bounded --------------------------------------------------------------------------


def read_text(path: str | Path, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The text of a file (``-`` is stdin), read up to ``max_bytes`` + 1 bytes; refuse more, binary, empty."""
    where = "stdin" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=where) from err
    return decode_text(data, where=where, max_bytes=max_bytes)


def decode_text(data: bytes, *, where: str = "text", max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Bytes as text: UTF-8 (BOM or not), or UTF-16 with a BOM or, without one, when its NUL bytes fall
    in the high bytes of ASCII code units; NUL bytes otherwise are binary data and refused."""
    if len(data) > max_bytes:
        raise InputError(
            f"more than {max_bytes:,} bytes; the checker reads texts up to {max_bytes:,} bytes "
            "(split it into articles)",
            path=where,
        )
    encoding = _utf16_encoding(data)
    if encoding is not None:
        problem, text = _decode_utf16(data, encoding)
        if problem is None:
            text = text.lstrip("\ufeff")
            if not text.strip():
                raise InputError("empty: there is no text to check", path=where)
            return text
        if encoding == "utf-16":  # its BOM said UTF-16: say why it is not
            raise InputError(f"not UTF-8 or UTF-16 text ({problem})", path=where)
        # a NUL pattern that only looked like UTF-16: binary, as below
    if not data.strip():
        raise InputError("empty: there is no text to check", path=where)
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not text", path=where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (invalid byte at offset {err.start})", path=where) from err


def _utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` (BOM), ``utf-16-le``/``utf-16-be`` (no BOM, NULs in the high bytes), else None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2], data[1::2]
    # ASCII-range code units have a NUL high byte: the odd bytes in LE, the even bytes in BE; a text
    # mostly of CJK has few, so it is enough that NULs sit on one side only and on at least a fifth
    if even.count(0) == 0 and odd.count(0) * 5 >= len(odd):
        return "utf-16-le"
    if odd.count(0) == 0 and even.count(0) * 5 >= len(even):
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, encoding: str) -> tuple[str | None, str]:
    """(None, text) when ``data`` is text in ``encoding``, else (what is wrong, "")."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        return f"invalid {encoding} at byte offset {err.start}", ""
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\t\n\r\f\v") or cat in ("Cn", "Cs"):
            return f"read as {encoding}: unassigned or control character U+{ord(ch):04X} at character {i}", ""
    return None, text


# --- periods ----------------------------------------------------------------------------------------


def _text_date(text: str) -> str | None:
    """The latest date the text names (its "time of writing" for claims that state no period)."""
    latest: str | None = None
    for sent in segment(text).sentences:
        p = find_period(sent.text)
        if p and p.end and (latest is None or p.end > latest):
            latest = p.end
    return latest


def _claim_years(period: Period, text_date: str | None) -> tuple[int | None, int, str]:
    """(first year or None for cumulative, last year, how the period was read)."""
    if period.kind == "range" and period.start and period.end:
        return int(period.start[:4]), int(period.end[:4]), f"for {period.start[:4]}–{period.end[:4]}"
    if period.kind == "as-of" and period.end:
        return None, int(period.end[:4]), f"cumulative {period.text.lower()}"
    if period.kind == "since" and period.start:
        end = int(text_date[:4]) if text_date else date.today().year
        return int(period.start[:4]), end, f"{period.text} to {text_date or 'the time of writing'}"
    if text_date:
        return (
            None,
            int(text_date[:4]),
            (f"cumulative to {text_date[:7]}, the text's latest date (it states no period)"),
        )
    return None, date.today().year, "cumulative to today (neither the claim nor the text gives a date)"


def _data_years(rows: list[dict[str, Any]]) -> tuple[int, int] | None:
    years = []
    for r in rows:
        m = re.match(r"^\s*(\d{4})\s*[-–]\s*(\d{4})", str(r.get("period") or ""))
        if m:
            years.append((int(m.group(1)), int(m.group(2))))
    if not years:
        return None
    return min(y[0] for y in years), max(y[1] for y in years)


# --- the data check ---------------------------------------------------------------------------------


def _method_row(r: dict[str, Any], quantity: float | None, reproduces: bool | None) -> dict[str, Any]:
    keys = (
        "subject",
        "source",
        "unit",
        "attribution",
        "counting",
        "date_basis",
        "definition",
        "definition_version",
        "category",
        "period",
        "value",
        "world",
        "share",
        "incomplete_years",
        "source_sha256",
    )
    out = {k: r.get(k) for k in keys}
    out["compared"] = quantity
    out["reproduces"] = reproduces
    return out


def _describe(r: dict[str, Any]) -> str:
    return (
        f"{r.get('unit')}/{r.get('attribution')}/{r.get('counting')}"
        f"{'/' + str(r['category']) if r.get('category') else ''}"
    )


def _fmt(x: float | None, share: bool) -> str:
    if x is None:
        return "?"
    return f"{x:.1f}%" if share else f"{x:,.0f}"


class _Grid:
    """The method grid, called lazily and cached per (subject, years)."""

    def __init__(self, store: Any, grid_fn: GridFn | None, refused_fn: GridFn | None) -> None:
        self.store, self.grid_fn, self.refused_fn = store, grid_fn, refused_fn
        self.missing: str | None = None
        self._cache: dict[Any, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
        if store is None:
            self.missing = "no store is open (no patent data loaded)"
        elif grid_fn is None:
            try:
                from aieco.measure.grid import grid, refused

                self.grid_fn, self.refused_fn = grid, refused
            except ImportError as err:
                self.missing = f"the counting engine aieco.measure.grid is not available ({err})"

    def rows(
        self, subject: str | None, kind: str | None, years: tuple[int, int] | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        key = (subject, kind, years)
        if key not in self._cache:
            kw: dict[str, Any] = {}
            if kind == "country":
                kw["country"] = subject
            elif kind == "group":
                kw["group"] = subject
            if years:
                kw["years"] = years
            assert self.grid_fn is not None
            rows = list(self.grid_fn(self.store, **kw))
            refused = list(self.refused_fn(self.store, **kw)) if self.refused_fn else []
            self._cache[key] = (rows, refused)
        return self._cache[key]


def _data_check(claim: Claim, grid: _Grid, text_date: str | None) -> tuple[Any, dict[str, Any]]:
    share = claim.kind == "share"
    head, _, base = (claim.measure or "").partition(":")
    measure = (base or None) if share else (claim.measure or None)
    ev: dict[str, Any] = {"methods": [], "refused": [], "notes": []}
    amount = claim.amounts[0]
    interval = amount.interval
    if claim.subject is None:
        return V.verdict(V.AMBIGUOUS, why="no subject (country, group or firm) could be found"), ev
    if not share and measure is None:
        return V.verdict(
            V.AMBIGUOUS,
            why="the number is not followed by what it counts (patents, applications, families, firms, …)",
        ), ev
    if measure is not None and measure not in _PATENT_MEASURES:
        return V.verdict(
            V.NOT_CHECKABLE, missing=f"no {measure} data loaded: aieco's store holds patent data"
        ), ev
    if topic(claim) == "other":
        ev["notes"].append("the sentence does not say AI; compared with the AI patent data loaded")
    if grid.missing:
        return V.verdict(V.NOT_CHECKABLE, missing=grid.missing), ev
    try:
        rows, refused = grid.rows(claim.subject if claim.subject != "world" else None, claim.subject_kind)
    except AiecoError as err:
        return V.verdict(
            V.NOT_CHECKABLE, missing=f"the method grid refused the subject {claim.subject}: {err}"
        ), ev
    units = UNITS_FOR_MEASURE.get(measure or "patents", UNITS_FOR_MEASURE["patents"])
    ev["refused"] = [
        {k: r.get(k) for k in ("unit", "attribution", "counting", "reason")}
        for r in refused
        if r.get("unit") in units or r.get("unit") is None
    ]
    fitting = [r for r in rows if r.get("unit") in units]
    if not rows:
        return V.verdict(V.NOT_CHECKABLE, missing=f"the loaded data has no rows for {claim.subject}"), ev
    if not fitting:
        have = sorted({str(r.get("unit")) for r in rows})
        reasons = "; ".join(f"{r['unit']}: {r['reason']}" for r in ev["refused"][:3])
        return V.verdict(
            V.NOT_CHECKABLE,
            missing=f"no method counts {measure} ({', '.join(units)}); the data "
            f"supports units {', '.join(have)}" + (f" ({reasons})" if reasons else ""),
        ), ev

    def quantity(r: dict[str, Any]) -> float | None:
        if claim.subject == "world":
            v = r.get("world")
            return None if v is None else (100.0 if share else float(v))
        v = r.get("share") if share else r.get("value")
        return None if v is None else float(v) * (100.0 if share else 1.0)

    data_years = _data_years(fitting)
    first, last, reading = _claim_years(claim.period, text_date)
    ev["claim_period"] = reading
    sources = sorted({str(r.get("source")) for r in fitting})
    coverage = f"{data_years[0]}–{data_years[1]}" if data_years else "an unknown period"
    ev["data_period"] = coverage
    # the range the data gives under every method, for its own period: context even when it cannot answer
    values = [(quantity(r), r) for r in fitting]
    known = [v for v, _ in values if v is not None]
    ev["range"] = {
        "min": min(known) if known else None,
        "max": max(known) if known else None,
        "period": coverage,
        "unit": "percent" if share else "count",
    }
    outside = data_years is None or last > data_years[1] or (first is not None and first < data_years[0])
    if outside:
        ev["methods"] = [_method_row(r, v, None) for v, r in values]
        spread = ", ".join(f"{_describe(r)} {_fmt(v, share)}" for v, r in values[:8])
        return V.verdict(
            V.NOT_CHECKABLE,
            missing=(
                f"the data ({', '.join(sources)}) covers {coverage}; the claim is {reading}. "
                f"For its own period the "
                f"data gives {_fmt(ev['range']['min'], share)}–{_fmt(ev['range']['max'], share)} under "
                f"{len(values)} method(s): {spread}"
            ),
        ), ev
    if first is not None and data_years and (first, last) != data_years:
        try:
            rows, _ = grid.rows(
                claim.subject if claim.subject != "world" else None, claim.subject_kind, (first, last)
            )
        except AiecoError as err:
            return V.verdict(
                V.NOT_CHECKABLE, missing=f"the method grid cannot count {first}–{last}: {err}"
            ), ev
        fitting = [r for r in rows if r.get("unit") in units]
        values = [(quantity(r), r) for r in fitting]
    elif first is None and data_years:
        ev["notes"].append(f"cumulative claim: the data starts in {data_years[0]}")
    incomplete = sorted({y for _, r in values for y in (r.get("incomplete_years") or [])})
    if incomplete:
        ev["notes"].append(f"incomplete years in the data: {', '.join(map(str, incomplete))}")
    checked = [(v, r, (v is not None and interval.contains(v))) for v, r in values]
    ev["methods"] = [_method_row(r, v, ok) for v, r, ok in checked]
    known = [v for v, _, _ in checked if v is not None]
    ev["range"] = {
        "min": min(known) if known else None,
        "max": max(known) if known else None,
        "period": f"{first or data_years[0] if data_years else '?'}–{last}",
        "unit": "percent" if share else "count",
    }
    good = [r for _, r, ok in checked if ok]
    n, k = len(checked), len(good)
    detail_all = ", ".join(f"{_describe(r)} {_fmt(v, share)}" for v, r, _ in checked[:8])
    if k == n:
        return V.verdict(
            V.SUPPORTED, n=n, what="method(s) the data supports", interval=interval.label(), detail=detail_all
        ), ev
    if k:
        detail = (
            ", ".join(_describe(r) for r in good)
            + "; the others give "
            + ", ".join(f"{_describe(r)} {_fmt(v, share)}" for v, r, ok in checked if not ok)
        )
        return V.verdict(V.SOME, k=k, n=n, interval=interval.label(), detail=detail), ev
    return V.verdict(V.CONTRADICTED, n=n, interval=interval.label(), detail=detail_all), ev


# --- money ------------------------------------------------------------------------------------------


def _half_unit(text: str) -> tuple[float, int]:
    m = _MENTION.search(text)
    if not m:
        return 0.0, 1
    _, half = parse_number(
        m.group("num"),
        m.group("mult") or m.group("mult_short") or ("亿" if (m.group("post") or "") == "亿元" else None),
    )
    return half, significant_digits(m.group("num"))


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
    src_value: float, src_unit: str, dst_value: float, dst_unit: str, half: float, year: int | None
) -> list[dict[str, Any]]:
    """The FRED annual-average rates of ``year`` (the article's) and the year before, each with the amount it
    converts ``src_value`` to and whether that reproduces ``dst_value`` within its rounding (``matches``) or
    at the implied rate quoted to two decimals (``matches_quoted``). Empty when no FRED file is set/present."""
    from aieco.money.rates import fred_rate
    from aieco.settings import fred_rates_path
    from aieco.sources.fred import read_fred

    path = fred_rates_path()
    if path is None or year is None:
        return []
    try:
        f = read_fred(path)
    except AiecoError as err:
        return [{"error": str(err)}]
    if f.rule != "annual-average":
        return [{"error": f"{path} holds {f.rule} rates, not annual-average (AIECO_FRED_RATES)"}]
    quoted = round(src_value / dst_value, 2)
    out: list[dict[str, Any]] = []
    for y in (year, year - 1):
        try:
            r = fred_rate(path, dst_unit, src_unit, date(y, 1, 1))
        except AiecoError as err:
            out.append({"year": y, "error": str(err)})
            continue
        converted = src_value / r.rate
        out.append({
            "year": y,
            "rule": "annual-average",
            "rate": r.rate,
            "rate_unit": f"{src_unit} per {dst_unit}",
            "converted": converted,
            "matches": abs(converted - dst_value) <= half,
            "matches_quoted": abs(r.rate - quoted) <= 0.005,
            "source": "FRED",
            "method": r.rule,
            "source_file": str(path),
            "source_sha256": f.sha256,
        })
    return out


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
            "reproduces it within its rounding" if f["matches"]
            else "reproduces it at the implied rate quoted to two decimals" if f["matches_quoted"]
            else "does not reproduce it"
        )
        parts.append(
            f"{f['year']} {f['rate']:.4f} {rate_unit} gives {money(f['converted'])}"
            f"{' billion' if big else ''} {dst_unit} ({how})"
        )
    sha = next((f["source_sha256"] for f in fred if "source_sha256" in f), None)
    return f"; FRED annual-average rates: {'; '.join(parts)}" + (f" (sha256 {sha[:12]})" if sha else "")


def _conversion(
    claim: Claim, partner: Claim | None, text_date: str | None = None
) -> tuple[Any, dict[str, Any]]:
    from aieco.money import implied_rate
    from aieco.money.rates import ecb_series

    amounts = list(claim.amounts) + (list(partner.amounts) if partner else [])
    if len(amounts) < 2:
        return None, {}
    a, b = amounts[0], amounts[1]
    ha, da = _half_unit(a.text)
    hb, db = _half_unit(b.text)
    # the amount written more precisely is the one converted from the other
    src, dst, half = (a, b, hb) if db >= da else (b, a, ha)
    period = (
        claim.period if claim.period.kind != "unstated" else (partner.period if partner else claim.period)
    )
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
    fred = _fred_annual(src.value, src.unit, dst.value, dst.unit, half, year)
    ev["annual_average"] = fred
    fred_txt = _fred_text(fred, ev["rate_unit"], dst.unit, money, big)
    fred_ok = [f for f in fred if f.get("matches") or f.get("matches_quoted")]
    per = ev.get("period")
    total = len(ecb_series(dst.unit, src.unit))
    if per and per.get("ecb_days"):
        label = (
            f"{per['start'][:7]}" if per["start"][:7] == per["end"][:7] else f"{per['start']}..{per['end']}"
        )
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
        n_match = len(set(exact["ecb_dates"]) | set(quoted["ecb_dates"]))
        if n_match:
            return V.verdict(
                V.SOME,
                k=f"{exact['ecb_days']} (exact) / {quoted['ecb_days']} (rate {quoted_rate})",
                n=total,
                what="ECB daily rates",
                interval="",
                detail=detail,
            ), ev
        if fred_ok:
            return V.verdict(
                V.SOME, k=f"{len(fred_ok)} FRED annual average(s)", n=total + len(fred),
                what="ECB daily rates and FRED annual averages", detail=detail,
            ), ev
        return V.verdict(V.CONTRADICTED, n=total, what="ECB daily rates", scope="", detail=detail), ev
    detail = (
        f"{rate_txt}; ECB dates within the rounding of {dst_txt}: {', '.join(exact['ecb_dates']) or 'none'}"
        f"; at a rate quoted as {quoted_rate}: {', '.join(quoted['ecb_dates'][-6:]) or 'none'}"
        " (the claim gives no period to prefer one)"
        f"{fred_txt}"
    )
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
            V.SOME, k=f"{len(fred_ok)} FRED annual average(s)", n=total + len(fred),
            what="ECB daily rates and FRED annual averages", detail=detail,
        ), ev
    return V.verdict(V.CONTRADICTED, n=total, what="ECB daily rates", scope="", detail=detail), ev


# --- the checker ------------------------------------------------------------------------------------


def _firm_missing(claim: Claim, store: Any) -> str:
    registry = False
    if store is not None:
        try:
            registry = bool(store.has_table("firms"))
        except Exception:  # noqa: BLE001 - a fake or closed store: treat as no registry
            registry = False
    what = (
        f"whether {claim.subject} is among the {claim.measure.split(':', 1)[1]!r} firms"
        if claim.kind == "membership" and claim.measure and ":" in claim.measure
        else f"a count of {claim.subject or 'named'} firms"
    )
    if registry:
        return f"{what} needs a programme designation (e.g. 'little giant') that the loaded firm table lacks"
    return (
        f"no firm registry loaded: {what} needs a registry of designated firms (e.g. the MIIT "
        "'little giant' list) with their fields of activity"
    )


def check(
    text: str,
    store: Any,
    *,
    grid_fn: GridFn | None = None,
    refused_fn: GridFn | None = None,
    max_chars: int = MAX_TEXT_BYTES,
    max_claims: int = MAX_CLAIMS,
    as_of: str | None = None,
) -> list[dict[str, Any]]:
    """Find and check every quantitative claim in ``text`` against the store (may be None), the reference
    ledger and the offline exchange rates. ``grid_fn`` defaults to ``aieco.measure.grid.grid``; ``as_of`` (an
    ISO date) is the article's date, else the latest date the text names is used."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("empty: there is no text to check")
    if len(text) > max_chars:
        raise InputError(f"text of {len(text):,} characters; the checker reads texts up to {max_chars:,}")
    claims = extract(text)
    if len(claims) > max_claims:
        raise InputError(
            f"the text holds {len(claims):,} claims; the checker checks up to {max_claims:,} at once "
            "(about 0.3 s a claim on a loaded store): split the text"
        )
    text_date = as_of or _text_date(text)
    grid = _Grid(store, grid_fn, refused_fn)
    out: list[dict[str, Any]] = []
    for claim in claims:
        ev: dict[str, Any] = {}
        conversion = None
        if claim.kind in ("count", "share"):
            v, ev = _data_check(claim, grid, text_date)
        elif claim.kind == "money":
            what = {"industry-size": "industry size or valuation", "investment": "investment"}.get(
                claim.measure or "", "money amounts"
            )
            v = V.verdict(
                V.NOT_CHECKABLE, missing=f"no {what} figures loaded: aieco's store holds patent data"
            )
            partner = next((claims[j] for j in claim.links if claims[j].kind == "money"), None)
            cv, cev = _conversion(claim, partner, text_date)
            if cv is not None:
                conversion = {"verdict": cv.id, "message": cv.message, **cev}
        elif claim.kind in ("firm-count", "membership"):
            v = V.verdict(V.NOT_CHECKABLE, missing=_firm_missing(claim, store))
        else:  # pragma: no cover - every kind is handled above
            v = V.verdict(V.AMBIGUOUS, why=f"unknown claim kind {claim.kind}")
        led = ledger_mod.match(claim)
        if led["matches"]:
            lv = V.verdict(
                V.PUBLISHED,
                figures="; ".join(
                    f"{m['id']} ({m['value']:,} {m['unit']}, {m['period']})" for m in led["matches"]
                ),
            )
            led = {"verdict": lv.id, "message": lv.message, **led}
        else:
            led = {"verdict": None, "message": "no published figure in the ledger matches", **led}
        row: dict[str, Any] = {
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "kind": claim.kind,
            "interval": claim.interval.to_dict() if claim.amounts else None,
            "verdict": v.id,
            "verdict_title": v.title,
            "message": v.message,
            "ledger": led,
            "evidence": ev,
            "subject": claim.subject,
            "subject_kind": claim.subject_kind,
            "measure": claim.measure,
            "period": asdict(claim.period),
            "amounts": [a.to_dict() for a in claim.amounts],
            "links": list(claim.links),
            "notes": list(claim.notes),
            "sentence": claim.sentence,
        }
        if conversion is not None:
            row["conversion"] = conversion
        out.append(row)
    return out
