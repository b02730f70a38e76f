"""Checking claims: the stages run one way on a text read once — segment, quantities, resolve
(``aieco.claims.extract``), evidence (``aieco.claims.evidence``), decide (``aieco.claims.decide``) — plus the
published-figure ledger and, for money pairs, the conversion check (``aieco.claims.conversion``).

Every claim gets a data verdict (does the loaded data reproduce it, under which methods, and if it cannot
answer, what is missing) and, separately, its matches with published figures.

>>> rows = check("In 2015, Chinese applicants filed about 10,000 AI patent families.", None, grid_fn=None)
>>> rows[0]["verdict"]
'not-checkable-with-loaded-data'
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import fields
from pathlib import Path
from typing import Any

from aieco.claims import evidence as evidence_mod
from aieco.claims import indicators
from aieco.claims import ledger as ledger_mod
from aieco.claims import verdicts as V
from aieco.claims.conversion import conversion
from aieco.claims.decide import decide_claim
from aieco.claims.evidence import GridFn
from aieco.claims.extract import extract_segmented
from aieco.claims.resolve import text_date as find_text_date
from aieco.claims.segment import segment
from aieco.errors import InputError

# Texts larger than this are refused: the checker is for articles and reports, not corpora.
MAX_TEXT_BYTES = 1_000_000
# The number of claims is bounded too: a 1,000-word article holds tens; the API asks for fewer
# (present/api.py MAX_API_CLAIMS). Evidence is gathered once per subject per store, so the bound is on the
# work of reading and deciding, not on queries.
MAX_CLAIMS = 5_000


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


# --- the checker ------------------------------------------------------------------------------------


def _amount_dict(a: Any) -> dict[str, Any]:
    """``Amount.to_dict`` without the deep copy (the amount and its interval are frozen)."""
    iv = a.interval
    return {**{f.name: getattr(a, f.name) for f in fields(a)},
            "interval": {**{f.name: getattr(iv, f.name) for f in fields(iv)}, "label": iv.label()}}  # fmt: skip


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
    ledger and the offline exchange rates. ``grid_fn`` replaces the method grid (tests, other engines);
    ``as_of`` (an ISO date) is the article's date, else its dateline, else the latest date the text names."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("empty: there is no text to check")
    if len(text) > max_chars:
        raise InputError(f"text of {len(text):,} characters; the checker reads texts up to {max_chars:,}")
    seg = segment(text)
    date = find_text_date(seg, as_of)
    claims = extract_segmented(seg, as_of=date)
    if len(claims) > max_claims:
        raise InputError(
            f"the text holds {len(claims):,} claims; the checker checks up to {max_claims:,} at once: split the text"
        )
    evidence = evidence_mod.for_store(store, grid_fn, refused_fn)
    out: list[dict[str, Any]] = []
    for claim in claims:
        ev: dict[str, Any] = {}
        conv = None
        decided = indicators.decide(claim, store if grid_fn is None else None)
        if decided is not None:
            v, ev = decided
        if claim.kind == "money":
            if decided is None:
                v = V.verdict(V.NOT_CHECKABLE, missing=indicators.not_checkable_money(claim))
            partner = next((claims[j] for j in claim.links if claims[j].kind == "money"), None)
            cv, cev = conversion(claim, partner, date, store)
            if cv is not None:
                conv = {"verdict": cv.id, "message": cv.message, **cev}
        elif decided is None:
            v, ev = decide_claim(claim, evidence, date)
        led = ledger_mod.match(claim, text_date=date)
        if led["matches"]:
            lv = V.verdict(
                V.PUBLISHED,
                figures="; ".join(f"{m['id']} ({m['value_label']}, {m['period']})" for m in led["matches"]),
            )
            led = {"verdict": lv.id, "message": lv.message, **led}
        else:
            led = {"verdict": None, "message": "no published figure in the ledger matches", **led}
        row: dict[str, Any] = {
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "kind": claim.kind,
            "interval": _amount_dict(claim.amounts[0])["interval"] if claim.amounts else None,
            "verdict": v.id,
            "verdict_title": v.title,
            "message": v.message,
            "ledger": led,
            "evidence": ev,
            "subject": claim.subject,
            "subject_kind": claim.subject_kind,
            # a share of the population online is not a share of the world's patents: say what decided it
            "measure": ev["measure"] if decided is not None and ev.get("measure") == "internet-users-pct"
            else claim.measure,
            "unit": claim.unit,
            "attribution": claim.attribution,
            "date_basis": claim.date_basis,
            "category": claim.category,
            "versus": claim.versus,
            "period": {f.name: getattr(claim.period, f.name) for f in fields(claim.period)},
            "provenance": dict(claim.provenance),
            "amounts": [_amount_dict(a) for a in claim.amounts],
            "links": list(claim.links),
            "notes": list(claim.notes),
            "sentence": claim.sentence,
        }
        if conv is not None:
            row["conversion"] = conv
        out.append(row)
    return out
