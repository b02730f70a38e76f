"""Pure parsers and normalisers for field values (dates, numbers, codes, multi-values).

No I/O here; each function is tested with hypothesis.
"""

from __future__ import annotations

import re
from datetime import date

_SCI = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_SYMBOL = re.compile(r"^([A-HY])(\d{2})([A-Z])\s*0*(\d{1,4})\s*/\s*(\d{1,6})$")
_SUBCLASS = re.compile(r"^([A-HY])(\d{2})([A-Z])$")

# Codes that patent data uses for a country but that are not its ISO 3166-1 alpha-2 code.
COUNTRY_FIXES: dict[str, str] = {
    "JA": "JP",   # old Japanese code
    "DT": "DE",   # old German code (Deutschland)
    "DL": "DE",
    "EN": "GB",   # England
    "WA": "GB",   # Wales
    "UK": "GB",
}
HISTORICAL_COUNTRIES = frozenset({"SU", "CS", "DD", "YU"})
# Regional offices and WIPO: valid publication authorities, not countries.
PATENT_OFFICES = frozenset({"EP", "WO", "EA", "AP", "OA", "GC", "EM", "XN", "XV", "IB"})


def is_mangled_number(raw: str) -> bool:
    """True for a number a spreadsheet turned into scientific notation (``1.02E+11``)."""
    return bool(_SCI.match(raw.strip()))


def normalise_publication_number(office: str, raw: str) -> tuple[str, str | None]:
    """Canonical publication number and the name of the normalisation applied (or None).

    US pre-grant publications are year + 7 digits; one CSET version drops the zero after the year
    (``2019385748`` → ``20190385748``). Lens writes ``2013/0101709``; slashes and spaces are removed.
    """
    number = raw.strip().replace(" ", "").replace("/", "").replace(",", "")
    note = None
    if office == "US" and len(number) == 10 and number.isdigit() and number[:2] in ("19", "20"):
        number = number[:4] + "0" + number[4:]
        note = "us-pregrant-number-normalised"
    return number, note


def parse_year(value: str) -> int | None:
    v = value.strip()
    if not v:
        return None
    if v.isdigit() and len(v) == 4:
        year = int(v)
        return year if 1800 <= year <= 2100 else None
    raise ValueError(f"not a year: {value!r}")


def parse_date(value: str, *, latest_year: int | None = None) -> date | None:
    """Parse yyyy-mm-dd, yyyymmdd, dd/mm/yyyy or dd/mm/yy; empty → None; anything else → ValueError.

    A two-digit year takes the century that puts it at or before ``latest_year`` (for example the
    publication year of the same document) and as close to it as possible.
    """
    v = value.strip()
    if not v or v in ("0", "00000000"):
        return None
    m = _ISO_DATE.match(v) or _COMPACT_DATE.match(v)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(v)
    if m:
        day, month, year_s = int(m.group(1)), int(m.group(2)), m.group(3)
        year = int(year_s)
        if len(year_s) == 2:
            ref = latest_year if latest_year is not None else date.today().year
            year = (ref // 100) * 100 + year
            if year > ref:
                year -= 100
        return date(year, month, day)
    raise ValueError(f"not a date: {value!r}")


def split_multi(value: str, sep: str = ";;") -> list[str]:
    """Split a multi-valued cell; empty parts are dropped, surrounding blanks trimmed."""
    return [part.strip() for part in value.split(sep) if part.strip()]


def normalise_symbol(value: str) -> str:
    """Canonical CPC/IPC symbol: ``G06N 3/08`` and ``G06N   3/08`` → ``G06N3/08``; subclass alone kept.

    Raises ValueError for text that is not a classification symbol.
    """
    v = " ".join(value.upper().split())
    m = _SYMBOL.match(v)
    if m:
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{int(m.group(4))}/{m.group(5)}"
    if _SUBCLASS.match(v):
        return v
    raise ValueError(f"not a classification symbol: {value!r}")


def normalise_country(code: str) -> tuple[str | None, str | None]:
    """Two-letter country code and the finding to record (or None).

    Known bad codes are mapped (JA→JP, DT/DL→DE, EN/WA/UK→GB); historical codes (SU, CS, DD, YU) are kept
    and flagged; anything not two letters is unknown (None).
    """
    c = code.strip().upper()
    if not c:
        return None, None
    if c in COUNTRY_FIXES:
        return COUNTRY_FIXES[c], "country-code-normalised"
    if c in HISTORICAL_COUNTRIES:
        return c, "historical-country-code"
    if len(c) == 2 and c.isalpha():
        return c, None
    return None, "unknown-country-code"
