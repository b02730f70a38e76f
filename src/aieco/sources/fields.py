"""Pure parsers and normalisers for field values (dates, numbers, codes, multi-values).

No I/O here; each function is tested with hypothesis.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

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
# Former states whose two-letter codes patent data still uses (ISO 3166-3): kept as countries, with a finding.
HISTORICAL_COUNTRY_NAMES: dict[str, str] = {
    "SU": "Soviet Union",
    "CS": "Czechoslovakia",
    "DD": "German Democratic Republic",
    "YU": "Yugoslavia",
    "AN": "Netherlands Antilles",
}
HISTORICAL_COUNTRIES = frozenset(HISTORICAL_COUNTRY_NAMES)
# Patent offices that publish documents but are not countries: they appear as `office` (publication
# authority) and never as a country; counted in the world total of office attribution, never in a country or
# group. The one table of them: readers validate against it, the grid and the API list it.
PATENT_OFFICE_NAMES: dict[str, str] = {
    "EP": "European Patent Office",
    "WO": "World Intellectual Property Organization (PCT international applications)",
    "EA": "Eurasian Patent Organization",
    "AP": "African Regional Intellectual Property Organization (ARIPO)",
    "OA": "African Intellectual Property Organization (OAPI)",
    "GC": "Patent Office of the Cooperation Council for the Arab States of the Gulf",
    "EM": "European Union Intellectual Property Office",
    "XN": "Nordic Patent Institute",
    "XV": "Visegrad Patent Institute",
    "IB": "International Bureau of WIPO",
}
PATENT_OFFICES = frozenset(PATENT_OFFICE_NAMES)


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


INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?[0-9]{1,19}$")


def parse_int64(value: str) -> int:
    """A whole number that fits the store's BIGINT: ``"42"`` → 42; ``"1.5"``, ``"²"``, 20 digits or 10 MB of
    digits → ValueError with the reason (never OverflowError, never a 10 MB message)."""
    v = value.strip()
    if not _INTEGER.match(v):
        shown = v if len(v) <= 40 else f"{v[:20]}… ({len(v):,} characters)"
        if v.lstrip("+-").isdecimal() and v.isascii():
            raise ValueError(f"integer out of range: {shown}")
        raise ValueError(f"not an integer: {shown!r}")
    number = int(v)
    if not -INT64_MAX <= number <= INT64_MAX:
        raise ValueError(f"integer out of range: {v}")
    return number


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
    # memoised for short values: a corpus repeats a few thousand symbols on millions of rows
    return _symbol(value) if len(value) <= _MEMO_LEN else _symbol.__wrapped__(value)


_MEMO_LEN = 64  # longer values are not kept in the memo (its memory stays small whatever the input)


@lru_cache(maxsize=1 << 16)
def _symbol(value: str) -> str:
    v = " ".join(value.upper().split())
    m = _SYMBOL.match(v)
    if m:
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{int(m.group(4))}/{m.group(5)}"
    if _SUBCLASS.match(v):
        return v
    raise ValueError(f"not a classification symbol: {value!r}")


# ISO 3166-1 alpha-2 (officially assigned codes).
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW XK
""".split())
KNOWN_OFFICES = ISO_COUNTRIES | PATENT_OFFICES | HISTORICAL_COUNTRIES


def known_offices_sql() -> str:
    """The known office codes as a SQL list, for readers that validate set-based."""
    return "(" + ", ".join(f"'{c}'" for c in sorted(KNOWN_OFFICES)) + ")"


# US state and territory codes that are not also ISO country codes: in a country field they mean the US.
# (CA, DE, GA, IN, … are both; there the country reading wins, as the field says country.)
US_STATES_NOT_COUNTRIES = frozenset("""
AK AZ CT DC FL HI IA KS KY LA MI MO ND NH NJ NM NV NY OH OK OR RI TX UT VT WI WV WY
""".split()) - ISO_COUNTRIES
# Placeholders for "no country" that some sources write into a country field.
COUNTRY_PLACEHOLDERS = frozenset({"UN", "XX", "ZZ", "--", "NA?", "UNKNOWN"})


def normalise_party_country(code: str) -> tuple[str | None, str | None]:
    """A party's country (ISO 3166-1 alpha-2) and the finding to record (or None); codes are checked against
    ISO 3166-1.

    JA→JP, DT/DL→DE, EN/WA/UK→GB (``country-code-normalised``); a US state code that is not also a country
    (NY, TX, …) → US (``us-state-code-as-country``); SU/CS/DD/YU kept (``historical-country-code``); a
    placeholder such as ``un`` or any other code that is not ISO 3166-1 → None (``unknown-country-code``),
    the caller keeping the raw value.

    >>> normalise_party_country("ja"), normalise_party_country("NY"), normalise_party_country("un")
    (('JP', 'country-code-normalised'), ('US', 'us-state-code-as-country'), (None, 'unknown-country-code'))
    """
    return _party_country(code) if len(code) <= _MEMO_LEN else _party_country.__wrapped__(code)


@lru_cache(maxsize=1 << 12)
def _party_country(code: str) -> tuple[str | None, str | None]:
    c = code.strip().upper()
    if not c:
        return None, None
    if c in COUNTRY_FIXES:
        return COUNTRY_FIXES[c], "country-code-normalised"
    if c in HISTORICAL_COUNTRIES:
        return c, "historical-country-code"
    if c in ISO_COUNTRIES:
        return c, None
    if c in US_STATES_NOT_COUNTRIES:
        return "US", "us-state-code-as-country"
    return None, "unknown-country-code"


def office_problem(code: str) -> str | None:
    """Why ``code`` (upper case) cannot be a publishing or receiving patent office, or None: an office is an
    ISO 3166-1 country, a historical one (SU, DD, …) or a regional office / WIPO (EP, WO, EA, AP, OA, GC, …).

    >>> office_problem("CN"), office_problem("EP"), office_problem("XX")
    (None, None, 'not a known patent office code (ISO 3166-1, or EP, WO, EA, AP, OA, GC, …): XX')
    """
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return f"not a two-letter office code: {code!r}"
    if code in KNOWN_OFFICES:
        return None
    return f"not a known patent office code (ISO 3166-1, or EP, WO, EA, AP, OA, GC, …): {code}"


def normalise_office(code: str) -> tuple[str | None, str | None]:
    """A patent office code: regional offices and WIPO (EP, WO, …) kept; otherwise as a country code."""
    c = code.strip().upper()
    if c in PATENT_OFFICES:
        return c, None
    return normalise_party_country(c)


def normalise_us_patent_number(raw: str) -> str:
    """USPTO grant number without the zero padding of the full-text files: ``07640598`` → ``7640598``,
    ``D0651432`` → ``D651432``, ``RE042000`` → ``RE42000`` (the PatentsView and Google form)."""
    v = raw.strip().upper().replace(",", "").replace(" ", "")
    m = re.match(r"^([A-Z]*)0*(\d+)$", v)
    return f"{m.group(1)}{m.group(2)}" if m else v


def parse_yyyymmdd(value: object) -> date | None:
    """A date written as the integer yyyymmdd (BigQuery patents); 0 or empty → None; bad → ValueError.

    Google writes partial dates with day 00 (``20190500``); those become the first of the month.
    """
    if value is None or value == "" or value == 0 or value == "0":
        return None
    v = str(value).strip()
    if not (len(v) == 8 and v.isdigit()):
        raise ValueError(f"not a yyyymmdd date: {value!r}")
    year, month, day = int(v[:4]), int(v[4:6]), int(v[6:])
    return date(year, max(month, 1), max(day, 1))


def decode_lost_decimal(value: str) -> float | None:
    """Weights whose decimal comma a spreadsheet dropped (Leusin et al. extracts): ``10`` → 1.0, ``5`` → 0.5,
    ``6666667`` → 0.6666667, ``3,333333E+07`` → 0.3333333. Zeros right after the decimal separator are lost
    in the source, so weights below 0.1 cannot be recovered (``952381`` reads 0.952381, not 0.0952381).
    Empty → None; not a number → ValueError."""
    v = value.strip().replace(",", ".")
    if not v:
        return None
    number = float(v)
    if number == 10:
        return 1.0
    digits = int(round(number))
    if digits <= 0:
        return 0.0 if digits == 0 else None
    return digits / 10 ** len(str(digits))
