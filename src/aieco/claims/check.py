"""Checking claims: the stages run one way on a text read once — segment, quantities, resolve
(``aieco.claims.extract``), evidence (``aieco.claims.evidence``), decide (``aieco.claims.decide``) — plus the
published-figure ledger and, for money pairs, the conversion check (``aieco.claims.conversion``).

Every claim gets a data verdict (does the loaded data reproduce it, under which methods, and if it cannot
answer, what is missing) and, separately, its matches with published figures.

>>> result = check("In 2015, Chinese applicants filed about 10,000 AI patent families.", None, grid_fn=None)
>>> result.claims[0].verdict, result.counts
('not-checkable-with-loaded-data', {'not-checkable-with-loaded-data': 1})
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections import Counter
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

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
from aieco.results import (
    CheckResult,
    ClaimAmount,
    ClaimCheck,
    ClaimEvidence,
    ClaimInterval,
    ClaimPeriod,
    ContextEvidence,
    FredAverage,
    IndicatorValue,
    LedgerFigure,
    LedgerOutcome,
    MemberCheck,
    MethodEvidence,
    MoneyConversion,
    RateTier,
    RefusedEvidence,
    RegistryAnswer,
    RegistryCount,
    TextSpan,
    ValueRange,
)

_S = TypeVar("_S", MethodEvidence, ContextEvidence)

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


def check(
    text: str,
    store: Any,
    *,
    grid_fn: GridFn | None = None,
    refused_fn: GridFn | None = None,
    max_chars: int = MAX_TEXT_BYTES,
    max_claims: int = MAX_CLAIMS,
    as_of: str | None = None,
    name: str = "",
) -> CheckResult:
    """Find and check every quantitative claim in ``text`` against the store (may be None), the reference
    ledger and the offline exchange rates. ``grid_fn`` replaces the method grid (tests, other engines);
    ``as_of`` (an ISO date) is the article's date, else its dateline, else the latest date the text names;
    ``name`` names the text in the result (a file name)."""
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
    out: list[ClaimCheck] = []
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
                conv = _conversion(cv, cev)
        elif decided is None:
            v, ev = decide_claim(claim, evidence, date)
        out.append(
            ClaimCheck(
                text=claim.text,
                start=claim.start,
                end=claim.end,
                kind=claim.kind,
                interval=_interval(claim.amounts[0].interval) if claim.amounts else None,
                verdict=v.id,
                verdict_title=v.title,
                message=v.message,
                ledger=_ledger(ledger_mod.match(claim, text_date=date)),
                evidence=_evidence(ev),
                subject=claim.subject,
                subject_kind=claim.subject_kind,
                # a share of the population online is not a share of the world's patents: say what decided it
                measure=ev["measure"] if decided is not None and ev.get("measure") == "internet-users-pct"
                else claim.measure,
                unit=claim.unit,
                attribution=claim.attribution,
                date_basis=claim.date_basis,
                category=claim.category,
                versus=claim.versus,
                period=ClaimPeriod(**{f.name: getattr(claim.period, f.name) for f in fields(claim.period)}),
                provenance=dict(claim.provenance),
                amounts=tuple(_amount(a) for a in claim.amounts),
                links=tuple(claim.links),
                notes=tuple(claim.notes),
                sentence=claim.sentence,
                conversion=conv,
            )
        )
    return CheckResult(
        name=name,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text_date=date,
        counts=dict(Counter(c.verdict for c in out)),
        ledger_matches=sum(1 for c in out if c.ledger.matches),
        claims=tuple(out),
    )


# --- the deciders' evidence as typed values ---------------------------------------------------------
# The deciders (decide.py, indicators.py, conversion.py, ledger.py) build their evidence as plain rows; it is
# typed once here, so no face walks them.


def _interval(iv: Any) -> ClaimInterval:
    return ClaimInterval(**{f.name: getattr(iv, f.name) for f in fields(iv)}, label=iv.label())


def _amount(a: Any) -> ClaimAmount:
    return ClaimAmount(**{f.name: getattr(a, f.name) for f in fields(a) if f.name != "interval"},
                       interval=_interval(a.interval))  # fmt: skip


def _ledger(led: dict[str, Any]) -> LedgerOutcome:
    matches = tuple(LedgerFigure(**m) for m in led["matches"])
    if matches:
        lv = V.verdict(
            V.PUBLISHED,
            figures="; ".join(f"{m.id} ({m.value_label}, {m.period})" for m in matches),
        )
        verdict, message = lv.id, lv.message
    else:
        verdict, message = None, "no published figure in the ledger matches"
    return LedgerOutcome(
        verdict=verdict,
        message=message,
        ledger_version=led["ledger_version"],
        matches=matches,
        near=tuple(LedgerFigure(**m) for m in led["near"]),
        related=tuple(LedgerFigure(**m) for m in led["related"]),
    )


def _series(row: dict[str, Any], cls: type[_S]) -> _S:
    own = dict(row)
    if own.get("years_reproducing") is not None:
        own["years_reproducing"] = tuple(own["years_reproducing"])
    return cls(**own)


def _method(row: dict[str, Any]) -> MethodEvidence | RegistryCount:
    return _series(row, MethodEvidence) if "provider" in row else RegistryCount(**row)


def _evidence(ev: dict[str, Any]) -> ClaimEvidence:
    def tup(key: str, make: Any) -> Any:
        return None if key not in ev else tuple(make(x) for x in ev[key])

    rng = ev.get("range")
    return ClaimEvidence(
        methods=tup("methods", _method),
        refused=tup("refused", lambda r: RefusedEvidence(**r)),
        notes=tup("notes", str),
        samples=tup("samples", str),
        claim_period=ev.get("claim_period"),
        range=None if rng is None else ValueRange(**rng),
        context=tup("context", lambda r: _series(r, ContextEvidence)),
        registry=None if "registry" not in ev else _registry(ev["registry"]),
        members=None if "members" not in ev else {
            m: MemberCheck(verdict=e["verdict"], message=e["message"],
                           evidence=_evidence({k: x for k, x in e.items() if k not in ("verdict", "message")}))
            for m, e in ev["members"].items()},  # fmt: skip
        measure=ev.get("measure"),
        year=ev.get("year"),
        values=tup("values", lambda r: IndicatorValue(**r)),
    )


def _registry(d: dict[str, Any]) -> RegistryAnswer:
    """The firm decider's RegistryAnswer back from its JSON form (lists were its tuples)."""
    plain: dict[str, Any] = {k: tuple(x) if isinstance(x, list) else x for k, x in d.items()}
    return RegistryAnswer(**plain)


_TYPED_CONVERSION = ("error", "implied_rate", "rate_unit", "pair", "tiers", "annual_average")


def _conversion(cv: Any, cev: dict[str, Any]) -> MoneyConversion:
    return MoneyConversion(
        verdict=cv.id,
        message=cv.message,
        error=cev.get("error"),
        implied_rate=cev.get("implied_rate"),
        rate_unit=cev.get("rate_unit"),
        pair=None if "pair" not in cev else tuple(TextSpan(**p) for p in cev["pair"]),
        tiers=None if "tiers" not in cev else tuple(
            RateTier(**{**t, "rate_range": tuple(t["rate_range"]), "ecb_dates": tuple(t["ecb_dates"]),
                        "hmrc_months": tuple(t["hmrc_months"])}) for t in cev["tiers"]),  # fmt: skip
        annual_average=None if "annual_average" not in cev else tuple(FredAverage(**f) for f in cev["annual_average"]),
        rates={k: x for k, x in cev.items() if k not in _TYPED_CONVERSION},
    )
