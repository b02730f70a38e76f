"""Stage 1 of the checker: the text cut once into sentences (with offsets) and its dateline, if any.

Sentence boundaries come from syntok, which knows abbreviations ("U.S.", "Co.", "e.g."); a few rules it lacks
are added here: Chinese full stops, "No." before a number, and a full stop after a closing bracket.

>>> [s.text for s in segment("The U.S. office received 8,516. China 4,856.").sentences]
['The U.S. office received 8,516.', 'China 4,856.']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# Longer "sentences" (text without punctuation) are cut at a space, which bounds the work per sentence.
MAX_SENTENCE = 1000

_ZH_END = re.compile(r"(?<=[。！？；])")
_BRACKET_END = re.compile(r"(?<=[)）]\.)\s+(?=[A-Z“\"])")
_JOIN_BEFORE_NUMBER = re.compile(r"(?:\bNo|\bpct|\bNos|\bvs|\bFig|\bapprox)\.$", re.I)
_MONTHS = [m for m in calendar.month_name if m]
_MONTH_RE = "|".join(_MONTHS + [m for m in calendar.month_abbr if m])
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .]{{1,30}},\s*)?(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}}),\s*(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\.?\s+(?P<y2>(?:19|20)\d\d))\s*(?:[-–—:.]|\s)"
)


# a Chinese news agency's dateline: the agency and city, the date, then 电 ("cabled")
_DATELINE_ZH = re.compile(r"^\s*[^\d\s。，]{0,16}?(?P<y>(?:19|20)\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日电")


@dataclass(frozen=True, kw_only=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, kw_only=True)
class Segmented:
    """A text as the later stages read it: its sentences and the dateline's date (ISO) and span."""

    text: str
    sentences: tuple[Sentence, ...]
    dateline: str | None = None
    dateline_span: tuple[int, int] | None = None


def _syntok_spans(text: str, offset: int) -> list[tuple[int, int]]:
    import syntok.segmenter as sg

    spans: list[tuple[int, int]] = []
    for para in sg.analyze(text):
        for sent in para:
            toks = [t for t in sent if t.value]
            if toks:
                spans.append((offset + toks[0].offset, offset + toks[-1].offset + len(toks[-1].value)))
    return spans


def _split_more(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for pat in (_ZH_END, _BRACKET_END):
        pieces: list[tuple[int, int]] = []
        for x, y in out or [(a, b)]:
            s = x
            for m in pat.finditer(text, x, y):
                if m.start() > s:
                    pieces.append((s, m.start()))
                s = m.end()
            if s < y:
                pieces.append((s, y))
        out = pieces
    final = []
    for x, y in out:
        while y - x > MAX_SENTENCE:
            cut = text.rfind(" ", x + MAX_SENTENCE // 2, x + MAX_SENTENCE)
            cut = cut if cut > x else x + MAX_SENTENCE
            final.append((x, cut))
            x = cut
        final.append((x, y))
    return [(x, y) for x, y in final if text[x:y].strip()]


def segment(text: str) -> Segmented:
    """Sentences of ``text`` (each line a paragraph), and the dateline ("BEIJING, March 5, 2016 -")."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            for a, b in _syntok_spans(line, pos):
                spans.extend(_split_more(text, a, b))
        pos += len(line)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and _JOIN_BEFORE_NUMBER.search(text[merged[-1][0] : merged[-1][1]]) and text[a:b][:1].isdigit():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    sentences = tuple(Sentence(start=a, end=b, text=text[a:b]) for a, b in merged)
    dateline, dspan = None, None
    zh = _DATELINE_ZH.match(text[:60])
    if zh:  # "新华社北京2025年3月8日电"
        y, mo, d = int(zh.group("y")), int(zh.group("m")), int(zh.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]:
            dateline, dspan = f"{y}-{mo:02d}-{d:02d}", (zh.start(), zh.end())
    m = None if zh else _DATELINE.match(text[:120])
    if m:
        month_name = (m.group("m1") or m.group("m2")).rstrip(".")
        month = next(i for i in range(1, 13) if month_name in (calendar.month_name[i], calendar.month_abbr[i]))
        day = int(m.group("d1") or m.group("d2"))
        year = int(m.group("y1") or m.group("y2"))
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            dateline, dspan = f"{year}-{month:02d}-{day:02d}", (m.start(), m.end())
    return Segmented(text=text, sentences=sentences, dateline=dateline, dateline_span=dspan)
