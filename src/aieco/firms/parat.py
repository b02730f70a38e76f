"""Reading CSET PARAT's company data (``data.js``) as a firm registry.

The file is JavaScript holding one JSON array; the text before the first ``[`` and after the last ``]`` is
dropped. Several fields are Python literals inside JSON strings (``"{'value': 1741, ...}"``, ``"[2010, ...]"``)
and are read with ``ast.literal_eval`` (literals only, never code). A company whose fields cannot be read is a
reject naming its position (from 1) and field, so companies read = accepted + rejected.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.model import Reject


@dataclass(frozen=True)
class ParatCompany:
    index: int
    cset_id: str
    name: str
    country: str | None
    stage: str | None
    aliases: tuple[str, ...]
    ai_patents: int | None
    ai_pubs: int | None
    ai_patents_by_year: tuple[tuple[int, int], ...]
    ai_pubs_by_year: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ParatParse:
    path: str
    sha256: str
    rows_read: int
    companies: tuple[ParatCompany, ...]
    rejects: tuple[Reject, ...]  # line = the company's position in the array, from 1


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def _none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ("", "None") else text


def _literal(entry: dict[str, Any], field: str) -> Any:
    raw = entry.get(field)
    if raw is None or raw == "None":
        return None
    if not isinstance(raw, str):
        return raw
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        raise _Bad(field, f"{raw[:40]!r} is not a literal") from None


def _total(entry: dict[str, Any], field: str) -> int | None:
    value = _literal(entry, field)
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("value"), int):
        raise _Bad(field, "expected {'value': <integer>, ...}")
    return int(value["value"])


def _series(entry: dict[str, Any], field: str, years: list[int]) -> tuple[tuple[int, int], ...]:
    values = _literal(entry, field)
    if values is None:
        return ()
    if not isinstance(values, list) or len(values) != len(years) or not all(isinstance(v, int) for v in values):
        raise _Bad(field, f"expected {len(years)} integers, one per year")
    return tuple(zip(years, values, strict=True))


def _company(index: int, entry: Any) -> ParatCompany:
    if not isinstance(entry, dict):
        raise _Bad("company", "not an object")
    name = _none(entry.get("name"))
    if name is None:
        raise _Bad("name", "no name")
    cset_id = _none(entry.get("CSET_id"))
    if cset_id is None:
        raise _Bad("CSET_id", "no id")
    years = _literal(entry, "years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise _Bad("years", "expected a list of years")
    aliases = tuple(a.strip() for a in (_none(entry.get("aliases")) or "").split(";") if a.strip())
    return ParatCompany(
        index, cset_id, name, _none(entry.get("country")), _none(entry.get("stage")), aliases,
        _total(entry, "ai_patents"), _total(entry, "ai_pubs"),
        _series(entry, "yearly_ai_patents", years), _series(entry, "yearly_ai_publications", years),
    )  # fmt: skip


def read_parat(path: Path) -> ParatParse:
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot open: {err.strerror}", path=where) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=where) from None
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end < start:
        raise InputError("no JSON array between '[' and ']'", path=where)
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as err:
        line = text.count("\n", 0, start) + err.lineno
        raise InputError(f"not JSON: {err.msg}", path=where, line=line) from None
    except RecursionError:
        raise InputError("not readable JSON: nested too deeply", path=where) from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"not readable JSON: {err}", path=where) from None
    if not isinstance(data, list):
        raise InputError("the array is not a list of companies", path=where)
    companies: list[ParatCompany] = []
    rejects: list[Reject] = []
    for index, entry in enumerate(data):
        try:
            companies.append(_company(index, entry))
        except _Bad as bad:
            text_raw = json.dumps(entry, ensure_ascii=False)[:2000]
            reason = f"company {index + 1}: {bad.reason}"
            rejects.append(Reject(file=where, line=index + 1, field=bad.field, reason=reason, raw=text_raw))
    digest = hashlib.sha256(raw).hexdigest()
    return ParatParse(where, digest, len(data), tuple(companies), tuple(rejects))
