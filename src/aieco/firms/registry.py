"""Reading a firm registry (a programme list) from CSV or XLSX into accepted firms and rejects with reasons.

Pure parsing: nothing is written to the store here (:mod:`aieco.firms.ingest` does that). Every data row is
either a ``RegistryFirm`` or a :class:`aieco.model.Reject` naming the file, line and field, so rows read =
accepted + rejected. Rejected: a bad or missing credit code (GB 32100-2015 check character), no name in
either script, the same code already given to a different name (in this file, or in the store's copy of
the registry: see ``known``), a bad year.

>>> parsed = read_registry(Path("tests/fixtures/firms/little_giants.csv"))  # doctest: +SKIP
>>> parsed.rows_read == len(parsed.firms) + len(parsed.rejects)  # doctest: +SKIP
True
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from aieco.errors import InputError
from aieco.firms.creditcode import code_problem
from aieco.firms.names import fold
from aieco.model import Reject

COLUMNS = (
    "name_zh", "name_en", "credit_code", "province", "city", "programme", "batch", "year", "industry", "aliases",
)  # fmt: skip
REQUIRED = ("credit_code",)
ALIAS_SEPARATOR = "|"


@dataclass(frozen=True, kw_only=True)
class RegistryFirm:
    line: int
    credit_code: str
    name_zh: str | None
    name_en: str | None
    province: str | None
    city: str | None
    programme: str | None
    batch: str | None
    year: int | None
    industry: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class RegistryParse:
    path: str
    rows_read: int
    firms: tuple[RegistryFirm, ...]
    rejects: tuple[Reject, ...]


def _blank(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _check_header(header: list[str], where: str) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing or not ({"name_zh", "name_en"} & set(header)):
        need = ", ".join(missing) or "name_zh or name_en"
        raise InputError(f"header lacks {need} (columns: {', '.join(COLUMNS)})", path=where, line=1)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    where = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise InputError(f"cannot open: {err.strerror}", path=where) from None
    line = 1
    with handle:
        try:
            reader = csv.DictReader(handle)
            _check_header([h.strip() for h in reader.fieldnames or []], where)
            for record in reader:
                line = reader.line_num
                yield line, {(k or "").strip(): v for k, v in record.items() if isinstance(v, str)}
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", path=where, line=line + 1) from None
        except csv.Error as err:
            raise InputError(f"not CSV: {err}", path=where, line=line + 1) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The first sheet: row 1 is the header; a cell's number (a year, a batch) is read as its text."""
    import zipfile

    import openpyxl

    where = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise InputError(f"not an XLSX workbook ({type(err).__name__}: {err})", path=where) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = [_blank(c) or "" for c in (first or ())]
        _check_header(header, where)
        for number, values in enumerate(rows, start=2):
            if all(_blank(v) is None for v in values):
                continue  # a spreadsheet's trailing empty rows are not data
            cells = {}
            for name, value in zip(header, values, strict=False):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                cells[name] = "" if value is None else str(value)
            yield number, cells
    finally:
        book.close()


def registry_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: text}) for each data row of a registry file, CSV or XLSX (by its first bytes)."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as err:
        raise InputError(f"cannot open: {err.strerror}", path=str(path)) from None
    return _xlsx_rows(path) if magic == b"PK\x03\x04" else _csv_rows(path)


def _same_name(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Two rows name the same firm unless a script both give differs (after folding width, case, t→s)."""
    return all(x is None or y is None or fold(x) == fold(y) for x, y in zip(a, b, strict=True))


class RowChecker:
    """Checks one row at a time; remembers the names given to each code (``known``: from the store)."""

    def __init__(self, where: str, known: Mapping[str, tuple[str | None, str | None]] | None = None) -> None:
        self.where = where
        self.known = dict(known or {})
        self.seen: dict[str, tuple[str | None, str | None, int]] = {}

    def check(self, line: int, record: Mapping[str, str]) -> RegistryFirm | Reject:
        def reject(field: str, reason: str) -> Reject:
            raw = ",".join(record.get(c) or "" for c in COLUMNS)
            return Reject(file=self.where, line=line, field=field, reason=reason, raw=raw)

        code = (_blank(record.get("credit_code")) or "").upper()
        name_zh, name_en = _blank(record.get("name_zh")), _blank(record.get("name_en"))
        if not name_zh and not name_en:
            return reject("name_zh", "no Chinese or English name")
        problem = code_problem(code) if code else "no credit code"
        if problem:
            return reject("credit_code", problem)
        seen = self.seen.get(code)
        if seen is not None and not _same_name((seen[0], seen[1]), (name_zh, name_en)):
            return reject("credit_code", f"code {code} already given to a different name on line {seen[2]}")
        stored = self.known.get(code)
        if stored is not None and not _same_name(stored, (name_zh, name_en)):
            other = " / ".join(n for n in stored if n)
            return reject("credit_code", f"code {code} is {other} in the registry already loaded")
        year_text = _blank(record.get("year"))
        year: int | None = None
        if year_text is not None:
            if not year_text.isdigit() or not 1949 <= int(year_text) <= 2100:
                return reject("year", f"{year_text!r} is not a year")
            year = int(year_text)
        self.seen.setdefault(code, (name_zh, name_en, line))
        aliases = tuple(a.strip() for a in (record.get("aliases") or "").split(ALIAS_SEPARATOR) if a.strip())
        return RegistryFirm(
            line=line, credit_code=code, name_zh=name_zh, name_en=name_en, province=_blank(record.get("province")),
            city=_blank(record.get("city")), programme=_blank(record.get("programme")),
            batch=_blank(record.get("batch")), year=year, industry=_blank(record.get("industry")), aliases=aliases,
        )  # fmt: skip


def read_registry(path: Path) -> RegistryParse:
    """Parse a registry (CSV in UTF-8, or XLSX) with a header of at least ``credit_code`` and a name column."""
    checker = RowChecker(str(path))
    firms: list[RegistryFirm] = []
    rejects: list[Reject] = []
    rows = 0
    for line, record in registry_rows(path):
        rows += 1
        out = checker.check(line, record)
        if isinstance(out, Reject):
            rejects.append(out)
        else:
            firms.append(out)
    return RegistryParse(path=str(path), rows_read=rows, firms=tuple(firms), rejects=tuple(rejects))
