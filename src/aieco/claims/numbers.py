"""Numbers as written: values with multipliers, their rounding, and the interval a qualifier makes of them.

Pure functions, no I/O. ``parse_number("1.5", "million")`` is 1.5e6 with a rounding half-unit of 5e4;
``interval(40, 5, "nearly")`` is [36, 40) with the stated 10% tolerance.

>>> interval(*parse_number("1.5", "million"), "more than").label()
'(1.5e+06, inf)'
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from aieco.errors import InputError
from aieco.model import Interval

# Relative tolerance of "nearly X": how far below X the claim may be.
NEARLY_TOLERANCE = 0.10
# Smallest relative tolerance of "about X", however precisely X is written.
ABOUT_MIN_TOLERANCE = 0.025

MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "千": 1e3,
    "万": 1e4,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "万亿": 1e12,
}

# Qualifier words, by the interval rule they select. Chinese forms are included.
QUALIFIERS: dict[str, str] = {
    **{
        w: "below"
        for w in (
            "nearly",
            "almost",
            "nears",
            "nearing",
            "close to",
            "just under",
            "approaching",
            "近",
            "将近",
            "接近",
            "近乎",
        )
    },
    **{
        w: "about"
        for w in (
            "about",
            "around",
            "approximately",
            "roughly",
            "some",
            "circa",
            "approx.",
            "estimated",
            "an estimated",
            "约",
            "大约",
            "左右",
            "约为",
        )
    },
    **{
        w: "above"
        for w in (
            "more than",
            "over",
            "above",
            "exceeds",
            "exceeded",
            "exceeding",
            "surpassed",
            "surpasses",
            "upwards of",
            "passed",
            "topped",
            "crossed",
            "in excess of",
            "just over",
            "beyond",
            "超过",
            "逾",
            "超",
            "多",
            "余",
            "以上",
        )
    },
    **{
        w: "at-least"
        for w in ("at least", "no fewer than", "no less than", "not less than", "至少", "不少于")
    },
    **{
        w: "up-to" for w in ("up to", "as many as", "as much as", "at most", "no more than", "最多", "不超过")
    },
    **{w: "under" for w in ("less than", "fewer than", "under", "below", "不到", "不足", "少于")},
}

_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_number(digits: str, multiplier: str | None = None) -> tuple[float, float]:
    """Value and rounding half-unit of a number as written ("1,234.5", "600" + "billion", "6000" + "亿").

    The half-unit is half a unit of the last significant digit: trailing zeros of a whole number are taken as
    not significant ("600" is 600 ± 50), decimals are ("83.45" is ± 0.005).
    """
    text = digits.strip()
    if not _NUMBER.match(text):
        raise InputError(f"not a number: {digits!r}")
    mult = 1.0
    if multiplier:
        key = multiplier.strip().lower()
        if key not in MULTIPLIERS:
            raise InputError(f"unknown multiplier: {multiplier!r}")
        mult = MULTIPLIERS[key]
    plain = text.replace(",", "")
    try:
        dec = Decimal(plain)
    except InvalidOperation as err:  # pragma: no cover - guarded by the pattern
        raise InputError(f"not a number: {digits!r}") from err
    if "." in plain:
        decimals = len(plain.split(".", 1)[1])
        half = 0.5 * 10.0 ** (-decimals)
    else:
        stripped = plain.rstrip("0")
        zeros = len(plain) - len(stripped) if stripped else 0
        half = 0.5 * 10.0**zeros
    return float(dec) * mult, half * mult


def significant_digits(digits: str) -> int:
    """How many significant digits a number is written with ("83.45" → 4, "600" → 1, "1,500" → 2)."""
    plain = digits.replace(",", "").lstrip("0")
    if "." in plain:
        return max(1, len(plain.replace(".", "").lstrip("0")))
    return max(1, len(plain.rstrip("0")))


def qualifier_rule(qualifier: str | None) -> str:
    """The interval rule of a qualifier word: below | about | above | at-least | up-to | under | exact."""
    if not qualifier:
        return "exact"
    return QUALIFIERS.get(" ".join(qualifier.lower().split()), "exact")


def interval(
    value: float,
    half_unit: float,
    qualifier: str | None = None,
    *,
    nearly_tolerance: float = NEARLY_TOLERANCE,
) -> Interval:
    """The interval of values a claim "<qualifier> <value>" allows, with its tolerance written into it."""
    if not math.isfinite(value) or value < 0:
        raise InputError(f"not a claimable value: {value!r}")
    rule = qualifier_rule(qualifier)
    word = qualifier or ""
    rounding = half_unit / value if value else None
    if rule == "below":
        t = nearly_tolerance
        return Interval(
            lo=value * (1 - t),
            hi=value,
            hi_open=True,
            tolerance=t,
            rule=f'"{word}": below the figure, by at most {t:.0%} (stated tolerance)',
        )
    if rule == "about":
        t = max(rounding or 0.0, ABOUT_MIN_TOLERANCE)
        return Interval(
            lo=value * (1 - t),
            hi=value * (1 + t),
            tolerance=t,
            rule=f'"{word}": ±{t:.1%} (half a unit of the last significant digit, '
            f"at least {ABOUT_MIN_TOLERANCE:.1%})",
        )
    if rule == "above":
        return Interval(
            lo=value,
            hi=None,
            lo_open=True,
            rule=f'"{word}": a lower bound; any ceiling it may imply is not asserted',
        )
    if rule == "at-least":
        return Interval(lo=value, hi=None, rule=f'"{word}": a lower bound, the figure included')
    if rule == "up-to":
        return Interval(lo=0.0, hi=value, rule=f'"{word}": an upper bound, the figure included')
    if rule == "under":
        return Interval(lo=0.0, hi=value, hi_open=True, rule=f'"{word}": an upper bound, the figure excluded')
    return Interval(
        lo=value - half_unit,
        hi=value + half_unit,
        tolerance=rounding,
        rule="as written: the rounding interval (half a unit of the last significant digit)",
    )
