"""Reading a firm registry (a programme list) from CSV into accepted firms and rejects with reasons.

Pure parsing: nothing is written to the store here. Every data row is either a ``RegistryFirm`` or a
``RegistryReject`` naming the file, line and field, so rows read = accepted + rejected.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from aieco.errors import InputError
from aieco.firms.creditcode import code_problem

COLUMNS = (
    "name_zh", "name_en", "credit_code", "province", "city", "programme", "batch", "year", "industry", "aliases",
)  # fmt: skip
REQUIRED = ("credit_code",)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class RegistryReject:
    path: str
    line: int
    field: str
    reason: str

    def message(self) -> str:
        return f"{self.path}:{self.line} [{self.field}]: {self.reason}"


@dataclass(frozen=True)
class RegistryParse:
    path: str
    rows_read: int
    firms: tuple[RegistryFirm, ...]
    rejects: tuple[RegistryReject, ...]


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_registry_csv(path: Path) -> RegistryParse:
    """Parse a registry CSV (UTF-8, header with at least ``credit_code`` and one of the name columns)."""
    where = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise InputError(f"cannot open: {err.strerror}", path=where) from None
    firms: list[RegistryFirm] = []
    rejects: list[RegistryReject] = []
    names_by_code: dict[str, tuple[str | None, str | None, int]] = {}
    rows = 0
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in header]
            if missing or not ({"name_zh", "name_en"} & set(header)):
                need = ", ".join(missing) or "name_zh or name_en"
                raise InputError(f"header lacks {need}", path=where, line=1)
            for record in reader:
                rows += 1
                line = reader.line_num

                def reject(field: str, reason: str) -> None:
                    rejects.append(RegistryReject(where, line, field, reason))  # noqa: B023

                code = (_blank(record.get("credit_code")) or "").upper()
                name_zh, name_en = _blank(record.get("name_zh")), _blank(record.get("name_en"))
                if not name_zh and not name_en:
                    reject("name_zh", "no Chinese or English name")
                    continue
                problem = code_problem(code) if code else "no credit code"
                if problem:
                    reject("credit_code", problem)
                    continue
                seen = names_by_code.get(code)
                if seen is not None and (seen[0], seen[1]) != (name_zh, name_en):
                    reject("credit_code", f"code {code} already given to a different name on line {seen[2]}")
                    continue
                year_text = _blank(record.get("year"))
                year: int | None = None
                if year_text is not None:
                    if not year_text.isdigit() or not 1949 <= int(year_text) <= 2100:
                        reject("year", f"{year_text!r} is not a year")
                        continue
                    year = int(year_text)
                names_by_code.setdefault(code, (name_zh, name_en, line))
                aliases = tuple(a.strip() for a in (record.get("aliases") or "").split("|") if a.strip())
                firms.append(RegistryFirm(
                    line, code, name_zh, name_en, _blank(record.get("province")), _blank(record.get("city")),
                    _blank(record.get("programme")), _blank(record.get("batch")), year,
                    _blank(record.get("industry")), aliases,
                ))  # fmt: skip
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", path=where, line=rows + 2) from None
        except csv.Error as err:
            raise InputError(f"not CSV: {err}", path=where, line=rows + 2) from None
    return RegistryParse(where, rows, tuple(firms), tuple(rejects))
