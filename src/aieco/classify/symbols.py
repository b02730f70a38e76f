"""CPC/IPC symbol patterns as intervals of a sortable key.

A classification symbol is compared on (subclass, group as a number, subgroup as a decimal fraction): in
CPC, ``G06N 3/126`` sits between ``3/12`` and ``3/13`` because the subgroup ``126`` reads as 0.126. The key
``G06N00003/12600000`` (subclass, group left-padded to 5 digits, subgroup right-padded to 8) makes plain
string order equal to that order, so every pattern — exact code, right truncation, range — is an interval
``lo <= key <= hi`` over one column.

>>> pattern_interval("G06N 3/02*")
('G06N00003/02000000', 'G06N00003/02999999')
"""

from __future__ import annotations

import re

GROUP_WIDTH = 5
SUBGROUP_WIDTH = 8
# Higher than any digit or letter, so that ``prefix + TOP`` is above every key starting with ``prefix``.
TOP = "~"

_PATTERN = re.compile(
    r"^(?P<head>[A-HY](?:\d{1,2}(?:[A-Z])?)?)"          # section, class digits, subclass letter
    r"(?:\s*(?P<group>\d{1,4})(?:\s*/\s*(?P<sub>\d{0,8}))?)?"
    r"(?P<star>\*)?$"
)


def parse_pattern(text: str) -> tuple[str, int | None, str | None, bool]:
    """Split a pattern into (head, group, subgroup, truncated); raise ValueError when malformed.

    ``G06N 20*`` → ('G06N', 20, None, True); ``G05*`` → ('G05', None, None, True);
    ``G06N 3/08`` → ('G06N', 3, '08', False).
    """
    t = " ".join(text.strip().upper().split())
    m = _PATTERN.match(t)
    if not m:
        raise ValueError(f"malformed classification symbol {text!r}")
    head, group, sub, star = m.group("head"), m.group("group"), m.group("sub"), bool(m.group("star"))
    if group is not None and len(head) != 4:
        raise ValueError(f"malformed classification symbol {text!r}: a group needs a full subclass (e.g. G06N)")
    if sub is not None and sub == "" and not star:
        raise ValueError(f"malformed classification symbol {text!r}: empty subgroup")
    return head, (int(group) if group is not None else None), (sub or None), star


def _base(head: str, group: int) -> str:
    return f"{head}{group:0{GROUP_WIDTH}d}"


def pattern_interval(text: str) -> tuple[str, str]:
    """The closed key interval a pattern covers.

    A subclass, class or section (``G10L``, ``G05*``, ``A4*``) covers every symbol starting with it; a group
    without a subgroup (``G06N 20``, ``G06K 9*``, ``G06K 5/*``) covers the whole group; a subgroup with ``*``
    (``G06N 5/02*``) covers the subgroups whose digits start so; a subgroup without ``*`` is that code only.
    """
    head, group, sub, star = parse_pattern(text)
    if group is None:
        return head, head + TOP
    base = _base(head, group)
    if sub is None:
        return base, base + "/" + TOP
    if star:
        return f"{base}/{sub.ljust(SUBGROUP_WIDTH, '0')}", f"{base}/{sub.ljust(SUBGROUP_WIDTH, '9')}"
    key = f"{base}/{sub.ljust(SUBGROUP_WIDTH, '0')}"
    return key, key


def range_interval(low: str, high: str) -> tuple[str, str]:
    """Interval of ``>=low AND <=high``: from the start of ``low`` to the end of ``high``."""
    lo, hi = pattern_interval(low)[0], pattern_interval(high)[1]
    if lo > hi:
        raise ValueError(f"range {low!r} to {high!r} is empty (its lower end is above its upper end)")
    return lo, hi


def symbol_key(symbol_norm: str) -> str:
    """The key of a canonical symbol (``G06N3/08``), as :func:`symbol_key_sql` computes it in SQL."""
    if "/" not in symbol_norm:
        return symbol_norm
    head, rest = symbol_norm[:4], symbol_norm[4:]
    group, sub = rest.split("/", 1)
    return f"{head}{int(group):0{GROUP_WIDTH}d}/{sub.ljust(SUBGROUP_WIDTH, '0')}"


def symbol_key_sql(col: str = "symbol_norm") -> str:
    """SQL for :func:`symbol_key` over a column of canonical symbols."""
    return (f"CASE WHEN strpos({col}, '/') > 0 THEN left({col}, 4) || "
            f"lpad(split_part(substr({col}, 5), '/', 1), {GROUP_WIDTH}, '0') || '/' || "
            f"rpad(split_part({col}, '/', 2), {SUBGROUP_WIDTH}, '0') ELSE {col} END")


def display(text: str) -> str:
    """A pattern as people write it: ``G06N 3/02*``."""
    head, group, sub, star = parse_pattern(text)
    out = head
    if group is not None:
        out += f" {group}"
        if sub is not None:
            out += f"/{sub}"
    return out + ("*" if star else "")
