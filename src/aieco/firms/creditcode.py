"""The unified social credit code of GB 32100-2015: 18 characters, the last a check character.

Pure functions. The alphabet is the digits and the capital letters without I, O, S, V and Z (31 symbols);
the check character is ``(31 - sum(value_i * 3**i mod 31) mod 31) mod 31`` over the first 17 characters.
"""

from __future__ import annotations

from aieco.errors import InputError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (InputError if they cannot be one)."""
    if len(first17) != 17:
        raise InputError(f"a credit code body has 17 characters, not {len(first17)}")
    total = 0
    for ch, weight in zip(first17, WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise InputError(f"{ch!r} is not a credit-code character (digits and A-Y without I, O, S, V)")
        total += _VALUE[ch] * weight
    return ALPHABET[(31 - total % 31) % 31]


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return f"a credit code has 18 characters, not {len(code)}"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"characters {''.join(bad)!r} are not credit-code characters"
    want = check_character(code[:17])
    if code[17] != want:
        return f"check character is {code[17]!r}, GB 32100-2015 gives {want!r}"
    return None


def is_valid(code: str) -> bool:
    return code_problem(code) is None
