"""Google Patents Public Data: rows of ``patents-public-data.patents.publications`` exported from BigQuery as
newline-delimited JSON (plain or .gz) or Parquet — one file, or a folder of export shards.

A document is a publication: office = country_code, number = the middle of publication_number
(``US-2019385748-A1`` → ``20190385748`` via :func:`normalise_publication_number`), kind = kind_code,
family_id (``-1`` = unknown). Dates are yyyymmdd integers, 0 = unknown. The priority office is the office of
the earliest priority_claim (its application_number ``US-201562222222-P`` starts with it); a publication with
no claim is its own first filing (country_code). assignee_harmonized → applicants, inventor_harmonized →
inventors; title/abstract: the English text when there is one, else the first.

One JSON line or one Parquet row is one row read; shards of a folder key their rows as
``shard_index * 10**9 + line`` and rejects name the shard.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from aieco.errors import InputError
from aieco.files import check_readable
from aieco.sources.fields import (
    normalise_office,
    normalise_publication_number,
    office_problem,
    parse_yyyymmdd,
)
from aieco.sources.staging import Staging, party_country, symbol_norm
from aieco.sources.tablesets import PART_KEY

_SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", ".parquet")
FIELD_LIMIT = 1_000_000  # characters in one text field; a longer one is a reject (memory stays bounded)
LIST_LIMIT = 10_000  # entries in one repeated field (codes, parties, claims)
_INT64 = 2**63 - 1
_LINE_LIMIT = 32 * FIELD_LIMIT  # bytes in one JSON line; past it the line is skipped unread (memory bound)
# The BigQuery schema of the fields aieco reads: a scalar's allowed types, or a repeated field's entries
# (a record with these typed fields; ``str`` too where the export may flatten a record to its code).
_DATE: tuple[type, ...] = (int, str)
_SCALARS: dict[str, tuple[type, ...]] = {
    "publication_number": (str,),
    "country_code": (str,),
    "kind_code": (str,),
    "application_number": (str,),
    "family_id": (str, int),
    "priority_date": _DATE,
    "filing_date": _DATE,
    "publication_date": _DATE,
    "grant_date": _DATE,
}
_Fields = dict[str, tuple[type, ...]]
_TEXT: _Fields = {"text": (str,), "language": (str,)}
_PARTY: _Fields = {"name": (str,), "country_code": (str,)}
_REPEATED: dict[str, tuple[dict[str, tuple[type, ...]], bool]] = {
    "priority_claim": ({"application_number": (str,), "publication_number": (str,), "filing_date": _DATE}, False),
    "title_localized": (_TEXT, False),
    "abstract_localized": (_TEXT, False),
    "cpc": ({"code": (str,)}, True),
    "ipc": ({"code": (str,)}, True),
    "assignee_harmonized": (_PARTY, False),
    "inventor_harmonized": (_PARTY, False),
}
_NAMES = {int: "an integer", str: "a string", float: "a number", bool: "true/false", list: "a list", dict: "an object"}


def _type_name(value: Any) -> str:
    return "null" if value is None else _NAMES.get(type(value), type(value).__name__)


def _value_problem(value: Any, allowed: tuple[type, ...]) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, allowed):
        want = " or ".join(_NAMES[t] for t in allowed)
        return f"expected {want}, got {_type_name(value)}"
    if isinstance(value, int) and not -_INT64 <= value <= _INT64:
        return f"integer out of range ({len(str(abs(value)))} digits)"
    if isinstance(value, str):
        if len(value) > FIELD_LIMIT:
            return f"{len(value):,} characters, over the field limit of {FIELD_LIMIT:,}"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "invalid Unicode (a lone surrogate escape such as \\ud800)"
    return None


def shape_problem(row: dict[str, Any]) -> tuple[str, str] | None:
    """The first field of a publication row whose type or size does not fit the BigQuery schema:
    ``(field, reason)``, or None. A string where a list is expected is never read one character at a time."""
    for name, allowed in _SCALARS.items():
        problem = _value_problem(row.get(name), allowed)
        if problem:
            return name, problem
    for name, (fields, flat) in _REPEATED.items():
        items = row.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            return name, f"expected a list, got {_type_name(items)}"
        if len(items) > LIST_LIMIT:
            return name, f"{len(items):,} entries, over the limit of {LIST_LIMIT:,}"
        for i, item in enumerate(items):
            where = f"{name}[{i}]"
            if flat and isinstance(item, str):
                problem = _value_problem(item, (str,))
                if problem:
                    return where, problem
                continue
            if not isinstance(item, dict):
                return where, f"expected an object, got {_type_name(item)}"
            for key, allowed in fields.items():
                problem = _value_problem(item.get(key), allowed)
                if problem:
                    return f"{where}.{key}", problem
    return None


def split_publication_number(text: str) -> tuple[str, str, str | None] | None:
    """``US-2019385748-A1`` → ("US", "2019385748", "A1"); ``EP-3000000`` → ("EP", "3000000", None)."""
    parts = text.strip().split("-")
    if len(parts) not in (2, 3) or len(parts[0]) != 2 or not parts[0].isalpha() or not parts[1]:
        return None
    return parts[0].upper(), parts[1], (parts[2].upper() or None) if len(parts) == 3 else None


def pick_text(items: Any) -> tuple[str | None, str | None]:
    """The English {text, language} entry, else the first: (text, language)."""
    if not isinstance(items, list) or not items:
        return None, None
    entries = [i for i in items if isinstance(i, dict) and i.get("text")]
    if not entries:
        return None, None
    best = next((i for i in entries if (i.get("language") or "").lower() == "en"), entries[0])
    return best["text"], best.get("language") or None


def _lines(fh: Any, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """The lines of a binary file as (bytes, size); a line over ``limit`` bytes is skipped in pieces and
    comes back as (None, its size), so that one pathological line never has to fit in memory."""
    while True:
        data = fh.readline(limit + 1)
        if not data:
            return
        if len(data) <= limit or data.endswith(b"\n"):
            yield data, len(data)
            continue
        size = len(data)
        while True:
            more = fh.readline(1 << 20)
            size += len(more)
            if not more or more.endswith(b"\n"):
                break
        yield None, size


def _file_kind(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == b"PAR1":
        return "parquet"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    return "jsonl"


class GoogleReader:
    kind = "google"
    source = "google"
    reads_folders = True

    def read(self, path: Path, ctx: Any) -> None:
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.name.lower().endswith(_SUFFIXES) and not p.name.startswith(".")
            )
            if not files:
                raise InputError("no BigQuery export files (.json, .json.gz, .parquet) in the folder", path=str(path))
        else:
            files = [path]
        staging = Staging(ctx)
        run_file = ctx.file
        kinds = set()
        try:
            for index, f in enumerate(files):
                check_readable(f)
                ctx.file = str(f)
                kind = _file_kind(f)
                kinds.add(kind)
                rows = self._parquet(f) if kind == "parquet" else self._jsonl(f, ctx, gz=kind == "gzip")
                for line, row, raw in rows:
                    ctx.row_read()
                    if row is not None:
                        self._row(ctx, staging, index * PART_KEY + line, line, row, raw)
            staging.flush()
        finally:
            ctx.file = run_file
        ctx.options["format"] = "/".join(sorted(kinds))
        ctx.options["files"] = len(files)

    @staticmethod
    def _jsonl(path: Path, ctx: Any, *, gz: bool) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
        opener = gzip.open(path, "rb") if gz else open(path, "rb")
        line = 0
        try:
            with opener as fh:
                for data, size in _lines(fh, _LINE_LIMIT):
                    line += 1
                    if data is None:
                        ctx.row_read()
                        ctx.reject(line, "row", f"{size:,} bytes, over the row limit of {_LINE_LIMIT:,}", "")
                        continue
                    try:
                        text = data.decode("utf-8").strip()
                    except UnicodeDecodeError as err:
                        ctx.row_read()
                        ctx.reject(
                            line,
                            "row",
                            f"not UTF-8 (byte {err.start + 1}: {data[err.start : err.start + 1]!r})",
                            data.decode("utf-8", "backslashreplace"),
                        )
                        continue
                    if not text:
                        continue
                    try:
                        row = json.loads(text)
                    except json.JSONDecodeError as err:
                        ctx.row_read()
                        ctx.reject(line, "row", f"not JSON ({err.msg} at column {err.colno})", text)
                        continue
                    except RecursionError:
                        ctx.row_read()
                        ctx.reject(line, "row", "JSON nested too deeply", text)
                        continue
                    except ValueError as err:  # e.g. an integer of more than 4,300 digits
                        ctx.row_read()
                        ctx.reject(line, "row", f"not readable JSON ({err})", text)
                        continue
                    if not isinstance(row, dict):
                        ctx.row_read()
                        ctx.reject(line, "row", "not a JSON object", text)
                        continue
                    yield line, row, text
        except (OSError, EOFError, zlib.error) as err:  # gzip: truncated or corrupt
            raise InputError(f"corrupt or truncated gzip file ({err})", path=str(path), line=line + 1) from err

    @staticmethod
    def _parquet(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
        try:
            pf = pq.ParquetFile(path)
        except Exception as err:  # pyarrow raises ArrowInvalid/OSError for a bad file
            raise InputError(f"not a readable Parquet file ({err})", path=str(path)) from err
        line = 0
        for batch in pf.iter_batches(batch_size=10_000):
            for row in batch.to_pylist():
                line += 1
                yield line, row, ""

    @staticmethod
    def _row(ctx: Any, staging: Staging, key: int, line: int, row: dict[str, Any], raw: str) -> None:
        raw = raw or json.dumps(row, default=str, ensure_ascii=False)
        shape = shape_problem(row)
        if shape:
            ctx.reject(line, shape[0], shape[1], raw)
            return
        pubno = row.get("publication_number")
        if not isinstance(pubno, str) or not pubno.strip():
            ctx.reject(line, "publication_number", "missing publication_number", raw)
            return
        parts = split_publication_number(pubno)
        if parts is None:
            ctx.reject(line, "publication_number", f"not of the form CC-NUMBER-KIND: {pubno!r}", raw)
            return
        office, middle, pub_kind = parts
        if problem := office_problem(office):
            ctx.reject(line, "publication_number", problem, raw)
            return
        country = (row.get("country_code") or office).strip().upper()
        if country != office:
            ctx.reject(line, "country_code", f"country_code {country!r} does not match {pubno!r}", raw)
            return
        kind = (row.get("kind_code") or pub_kind or "").strip().upper()
        if not kind:
            ctx.reject(line, "kind_code", "empty kind code", raw)
            return
        number, note = normalise_publication_number(office, middle)
        if note:
            ctx.finding(note, f"{pubno} → {number} (line {line})")
        dates = {}
        for name in ("priority_date", "filing_date", "publication_date", "grant_date"):
            try:
                dates[name] = parse_yyyymmdd(row.get(name))
            except ValueError:
                ctx.finding("unparseable-date", f"line {line} {name}: {row.get(name)!r}")
                dates[name] = None
        family_text = str(row.get("family_id") or "").strip()
        family = None if family_text in ("", "-1", "0") else family_text
        claims = []
        # shape_problem has checked every entry of the repeated fields is an object
        for seq, claim in enumerate(row.get("priority_claim") or [], start=1):
            app = str(claim.get("application_number") or claim.get("publication_number") or "").strip()
            split = split_publication_number(app) if app else None
            c_office = normalise_office(split[0])[0] if split else None
            try:
                c_date = parse_yyyymmdd(claim.get("filing_date"))
            except ValueError:
                ctx.finding(
                    "unparseable-date",
                    f"line {line} priority_claim.filing_date: {claim.get('filing_date')!r}",
                )
                c_date = None
            if split is None:
                ctx.finding("priority-unparsed", f"line {line}: {app or claim!r}")
            claims.append((c_date, seq, c_office))
            staging.add(
                "priorities",
                line=key,
                seq=seq,
                office=c_office,
                number=split[1] if split else None,
                kind=split[2] if split else None,
                priority_date=c_date,
                raw=app or json.dumps(claim),
            )
        dated = [c for c in claims if c[0] is not None and c[2] is not None]
        if dated:
            priority_office = min(dated)[2]
        elif not claims:
            priority_office = office  # no claim: the publication's own application is the first filing
        else:
            priority_office = None
        title, title_lang = pick_text(row.get("title_localized"))
        abstract, abstract_lang = pick_text(row.get("abstract_localized"))
        prio, filing = dates["priority_date"], dates["filing_date"]
        grant = dates["grant_date"]
        staging.add(
            "documents",
            line=key,
            row_hash=hash(raw),
            source="google",
            office=office,
            number=number,
            number_raw=pubno,
            number_mangled=False,
            kind=kind,
            family_id=family,
            application_number=row.get("application_number") or None,
            application_date=filing,
            filing_year=filing.year if filing else None,
            publication_date=dates["publication_date"],
            publication_year=dates["publication_date"].year if dates["publication_date"] else None,
            priority_date=prio,
            priority_year=prio.year if prio else None,
            priority_office=priority_office,
            doc_type="grant" if grant else "application",
            granted=grant is not None,
            title=title,
            title_lang=title_lang,
            abstract=abstract,
            abstract_lang=abstract_lang,
            extra=json.dumps({"grant_date": grant.isoformat()}) if grant else None,
        )
        for scheme in ("cpc", "ipc"):
            for seq, entry in enumerate(row.get(scheme) or [], start=1):
                code = (entry.get("code") if isinstance(entry, dict) else entry) or ""
                code = " ".join(str(code).upper().split())
                if not code:
                    continue
                staging.add(
                    "classifications",
                    line=key,
                    scheme=scheme,
                    symbol=code,
                    symbol_norm=symbol_norm(ctx, code, line),
                    seq=seq,
                )
        for column, role in (("assignee_harmonized", "applicant"), ("inventor_harmonized", "inventor")):
            for seq, party in enumerate(row.get(column) or [], start=1):
                raw_country = (party.get("country_code") or "").strip()
                country = party_country(ctx, raw_country)
                staging.add(
                    "parties",
                    line=key,
                    role=role,
                    seq=seq,
                    name=party.get("name") or None,
                    country=country,
                    country_raw=raw_country or None,
                )
