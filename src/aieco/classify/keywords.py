"""The keyword syntax of 1790 Analytics, compiled to a regular expression (RE2 and Python ``re`` alike).

- ``a +1w b``: ``a`` followed by ``b`` with at most one word between (ordered);
- ``a /1w b``: the same in either order;
- ``*``: right truncation (``intelligen*`` matches intelligence, intelligent);
- ``?``: exactly one character, space included (``logic?program*`` matches logic-program, logic programming);
- ``(?)``: at most one character; ``(-)``: an optional hyphen (``knowledge(-)graph*``).

Matching is on lower-cased text, words start at a word boundary and, without ``*``, end at one. Terms in
Chinese (``lang: zh``) have no word boundaries and match as written.

Example: ``compile_expression("neural +1w net*")`` is ``\\bneural\\b(?:\\W+\\w+){0,1}\\W+net\\w*``.
"""

from __future__ import annotations

import re

_OPERATOR = re.compile(r"^([+/])(\d{1,2})w$", re.IGNORECASE)
_TERM_CHARS = re.compile(r"^[\w\-?*()'.&]+$")


def _term_regex(term: str) -> str:
    t = term.lower()
    if not _TERM_CHARS.match(t):
        raise ValueError(f"bad keyword term {term!r}")
    out, i = [], 0
    while i < len(t):
        if t.startswith("(?)", i):
            out.append(".?")
            i += 3
        elif t[i] == "(":
            close = t.find(")", i)
            if close < 0:
                raise ValueError(f"unbalanced parenthesis in keyword term {term!r}")
            out.append(f"(?:{re.escape(t[i + 1:close])})?")
            i = close + 1
        elif t[i] == "*":
            if i != len(t) - 1:
                raise ValueError(f"'*' must end a keyword term: {term!r}")
            out.append(r"\w*")
            i += 1
        elif t[i] == "?":
            out.append(".")
            i += 1
        elif t[i] == ")":
            raise ValueError(f"unbalanced parenthesis in keyword term {term!r}")
        else:
            out.append(re.escape(t[i]))
            i += 1
    body = "".join(out)
    return r"\b" + body + ("" if t.endswith("*") else r"\b")


def compile_expression(expr: str, *, lang: str = "en") -> str:
    """A regular expression for one keyword expression; ValueError when malformed."""
    if lang == "zh":
        if not expr.strip():
            raise ValueError("empty keyword")
        return re.escape(expr.strip().lower())
    tokens = expr.split()
    if not tokens or len(tokens) % 2 == 0:
        raise ValueError(f"malformed keyword expression {expr!r}: terms must alternate with +Nw or /Nw")
    pattern = _term_regex(tokens[0])
    for i in range(1, len(tokens), 2):
        m = _OPERATOR.match(tokens[i])
        if not m:
            raise ValueError(f"malformed keyword expression {expr!r}: {tokens[i]!r} is not +Nw or /Nw")
        term = _term_regex(tokens[i + 1])
        gap = rf"(?:\W+\w+){{0,{int(m.group(2))}}}\W+"
        if m.group(1) == "+":
            pattern = f"{pattern}{gap}{term}"
        else:
            # Unordered: the left part (all terms so far) and the new term, either way round.
            pattern = f"(?:{pattern}{gap}{term}|{term}{gap}{pattern})"
    return pattern


def compile_terms(terms: tuple[str, ...], *, lang: str = "en") -> str:
    """One alternation for several expressions."""
    parts = [compile_expression(t, lang=lang) for t in terms]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def required_pieces(expr: str, *, lang: str = "en") -> tuple[str, ...]:
    """Lower-case literals every match of the expression contains: each term's text between wildcards.

    ``artificial +1w intelligen*`` gives ("artificial", "intelligen"); ``knowledge(-)graph*`` gives
    ("knowledge", "graph") (an optional part is not required). Used as cheap ``contains`` guards before the
    regular expression; () when a term has no literal at all (the expression cannot be guarded).
    """
    if lang == "zh":
        return (expr.strip().lower(),)
    pieces: list[str] = []
    for term in expr.lower().split()[::2]:
        parts = [p for p in re.split(r"\([^)]*\)|[*?]", term) if p]
        if not parts:
            return ()
        pieces += parts
    return tuple(dict.fromkeys(pieces))


_WORD = re.compile(r"[0-9a-z_]")   # a word character for RE2's \b (ASCII)


def witness(expr: str, *, lang: str = "en") -> tuple[str, bool] | None:
    """A literal whose presence proves a match: the expression's most common written form.

    Returns (text, whole word): ``text`` must occur at the start of a word (after a non-word character or at
    the start of the field) and, when ``whole word``, be followed by a non-word character. ``neural +1w net*``
    gives ("neural net", False), ``svm`` ("svm", True). Wildcards take their usual written form (``?`` and
    ``(?)`` a space, an optional part present, ``*`` nothing; terms joined by one space). None when no such
    literal exists (a term starting or ending with a non-word character). Chinese terms are their own witness.
    """
    if lang == "zh":
        return expr.strip().lower(), False
    tokens = expr.lower().split()
    words: list[str] = []
    whole = True
    for term in tokens[::2]:
        whole = not term.endswith("*")
        text = re.sub(r"\(\?\)|\?", " ", re.sub(r"\((?!\?\))([^)]*)\)", r"\1", term.rstrip("*")))
        if not text or not _WORD.match(text[0]) or (whole and not _WORD.match(text[-1])):
            return None
        words.append(text)
    return " ".join(words), whole

