"""Stage 3 of the checker: each quantity read as a claim — subject, measure, unit, period and date basis —
with where each part came from (this sentence, a claim it refers to, the article's date, a default).

The stage reads the sentences once, in order, and carries a small discourse state: the last subject named
("the country", "these firms"), the last claim ("This accounts for …", "of those patents") and the period of
the previous sentence ("during the period").

>>> from aieco.claims.segment import segment
>>> from aieco.claims.quantities import quantities
>>> seg = segment("China filed more than 1.5 million AI patents in 2024.")
>>> [(c.kind, c.subject, c.measure) for c in resolve(seg, [quantities(s.text, s.start) for s in seg.sentences])]
[('count', 'CN', 'patents')]
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from typing import Any

from aieco.claims.segment import Segmented
from aieco.model import Amount, Claim, Period

# --- periods -------------------------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}  # fmt: skip
_N = r"(?P<n>\d{1,2}|" + "|".join(_COUNT_WORDS) + r")"
_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    (
        "decade",
        re.compile(rf"(?:the\s+)?(?:decade|ten years)\s+(?:to|until|up to|ending(?:\s+in)?)\s+(?P<y1>{_YEAR})", re.I),
    ),
    ("range", re.compile(rf"(?:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|until|through)\s+(?P<y2>{_YEAR})", re.I)),
    (
        "span",
        re.compile(
            rf"(?:the\s+)?{_N}[- ]year\s+period\s+(?:from|since|starting\s+in|beginning\s+in)\s+"
            rf"(?P<y1>{_YEAR})",
            re.I,
        ),
    ),
    ("range", re.compile(rf"(?<!\d)(?P<y1>{_YEAR})\s*(?:–|—|-|to)\s*(?P<y2>{_YEAR}|\d\d)(?!\d)")),
    ("range", re.compile(rf"(?P<y1>{_YEAR})\s*(?:年)?\s*(?:至|到|—|-)\s*(?P<y2>{_YEAR})\s*年")),
    ("as-of", re.compile(rf"(?:as of|as at|by|at|until|through)\s+(?:the\s+)?end[- ](?:of\s+)?(?P<y1>{_YEAR})", re.I)),
    ("as-of", re.compile(rf"(?<![A-Za-z])end[- ](?P<y1>{_YEAR})", re.I)),
    (
        "as-of",
        re.compile(
            rf"(?:as of|as at|by|until|through|to)\s+(?:(?:early|mid|late)[- ])?(?:{_MONTH}\s+)?"
            rf"(?P<y1>{_YEAR})",
            re.I,
        ),
    ),
    ("as-of", re.compile(rf"截至\s*(?P<y1>{_YEAR})\s*年\s*(?:(?P<m>\d{{1,2}})\s*月)?")),
    ("since", re.compile(rf"(?:since|从)\s*(?P<y1>{_YEAR})", re.I)),
    ("past", re.compile(rf"(?:the\s+)?(?:past|last|previous)\s+{_N}\s+years", re.I)),
    ("last-year", re.compile(r"\blast year\b|去年", re.I)),
    ("this-year", re.compile(r"\bthis year\b|今年", re.I)),
    (
        "range",
        re.compile(
            rf"(?:in|during|for|of|throughout|over|with\s+(?:a\s+)?priority(?:\s+year)?\s+(?:in|of)?)\s+"
            rf"(?:(?:the\s+)?(?:first|second)\s+half\s+of\s+)?(?:{_MONTH}\s+)?(?P<y1>{_YEAR})(?!\d)",
            re.I,
        ),
    ),
    ("range", re.compile(rf"(?P<y1>{_YEAR})\s*年")),
    ("range", re.compile(rf"(?<![\d,.])(?P<y1>{_YEAR})(?![\d,.%])(?!\s*(?:–|-|to)\s*\d)")),
]
_PERIOD_ANAPHOR = re.compile(
    r"\b(?:during|over|in|across) (?:the|that|this) (?:period|time|span)\b|\b(?:that|the same|that same) year\b"
    r"|同期|同年|当年",
    re.I,
)


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _COUNT_WORDS[raw.lower()]


_RELATIVE = re.compile(r"past|last|previous|this year|since|去年|今年|从", re.I)


def periods(sentence: str, anchor: str | None = None) -> list[tuple[int, int, Period]]:
    """Every period expression of a sentence with its span: "as of April 2025", "in 2022", "since 2000",
    "2014–2023", "the past eight years" and "last year" (on ``anchor``, the article's ISO date)."""
    if anchor is not None and not _RELATIVE.search(sentence):
        anchor = None  # nothing relative: the same periods as without an anchor (read once, kept)
    return list(_periods(sentence, anchor))


@lru_cache(maxsize=4096)
def _periods(sentence: str, anchor: str | None) -> tuple[tuple[int, int, Period], ...]:
    out: list[tuple[int, int, Period]] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PERIODS:
        for m in pat.finditer(sentence):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            p = _period_of(kind, m, anchor)
            if p is not None:
                out.append((m.start(), m.end(), p))
                taken.append((m.start(), m.end()))
    out.sort(key=lambda t: t[0])
    return tuple(out)


def _period_of(kind: str, m: re.Match[str], anchor: str | None) -> Period | None:
    text = m.group(0).strip()
    d = m.groupdict()
    if kind in ("past", "last-year", "this-year"):
        if not anchor:
            return None
        year = int(anchor[:4])
        if kind == "past":
            n = _count(d["n"])
            return Period(kind="range", text=text, start=f"{year - n}-01-01", end=f"{year - 1}-12-31")
        y = year - 1 if kind == "last-year" else year
        return Period(kind="range", text=text, start=f"{y}-01-01", end=f"{y}-12-31")
    y1 = int(d["y1"])
    if kind == "decade":
        return Period(kind="range", text=text, start=f"{y1 - 9}-01-01", end=f"{y1}-12-31")
    if kind == "span":
        n = _count(d["n"])
        return Period(kind="range", text=text, start=f"{y1}-01-01", end=f"{y1 + n - 1}-12-31")
    if kind == "range":
        y2s = d.get("y2")
        y2 = int(y2s) if y2s else y1
        if y2s and len(y2s) == 2:
            y2 = y1 // 100 * 100 + y2
        if y2 < y1:
            return None
        month = _month(m)
        if month and not y2s:
            last = calendar.monthrange(y1, month)[1]
            return Period(
                kind="range", text=text, start=f"{y1}-{month:02d}-01", end=f"{y1}-{month:02d}-{last}", part_of_year=True
            )
        part = bool(re.search(r"half of", text, re.I))
        return Period(kind="range", text=text, start=f"{y1}-01-01", end=f"{y2}-12-31", part_of_year=part)
    if kind == "as-of":
        month = _month(m)
        if month:
            last = calendar.monthrange(y1, month)[1]
            return Period(kind="as-of", text=text, end=f"{y1}-{month:02d}-{last}")
        return Period(kind="as-of", text=text, end=f"{y1}-12-31")
    if kind == "since":
        end = f"{anchor[:4]}-12-31" if anchor else None
        return Period(kind="since", text=text, start=f"{y1}-01-01", end=end)
    return None  # pragma: no cover - every kind is handled above


def _month(m: re.Match[str]) -> int | None:
    d = m.groupdict()
    if d.get("month"):
        return _MONTHS.get(d["month"].lower().rstrip("."))
    if d.get("m"):
        month = int(d["m"])
        return month if 1 <= month <= 12 else None
    return None


def find_period(sentence: str, anchor: str | None = None) -> Period | None:
    """The first period expression of a sentence (see :func:`periods`)."""
    found = periods(sentence, anchor)
    return found[0][2] if found else None


def _period_for(found: list[tuple[int, int, Period]], start: int, end: int) -> Period | None:
    """The period of the number at [start, end): the nearest expression in its clause (a comma or "up from"
    starts a new one), else the nearest in the sentence."""
    if not found:
        return None

    def dist(t: tuple[int, int, Period]) -> int:
        a, b, _ = t
        return start - b if b <= start else (a - end if a >= end else 0)

    return min(found, key=lambda t: (dist(t), t[0] < start))[2]


# --- subjects ------------------------------------------------------------------------------------------

_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN", "chinese": "CN", "prc": "CN", "mainland china": "CN", "中国": "CN", "我国": "CN",
    "united states": "US", "u.s.": "US", "u.k.": "GB", "us": "US", "usa": "US", "america": "US", "american": "US",
    "japan": "JP", "japanese": "JP", "south korea": "KR", "korea": "KR", "korean": "KR", "germany": "DE",
    "german": "DE", "france": "FR", "french": "FR", "united kingdom": "GB", "uk": "GB", "britain": "GB",
    "british": "GB", "india": "IN", "indian": "IN", "russia": "RU", "russian": "RU", "taiwan": "TW",
    "canada": "CA", "canadian": "CA", "israel": "IL", "israeli": "IL", "singapore": "SG", "australia": "AU",
    "australian": "AU", "美国": "US", "日本": "JP", "韩国": "KR", "德国": "DE", "法国": "FR", "英国": "GB",
    "印度": "IN", "俄罗斯": "RU",
    # people of a country ("35% of Nigerians were online"): plural demonyms
    "americans": "US", "indians": "IN", "russians": "RU", "koreans": "KR", "germans": "DE", "britons": "GB",
    "canadians": "CA", "australians": "AU", "israelis": "IL", "nigerian": "NG", "nigerians": "NG",
    "ethiopian": "ET", "ethiopians": "ET", "kenyan": "KE", "kenyans": "KE", "brazilian": "BR", "brazilians": "BR",
    "indonesian": "ID", "indonesians": "ID", "pakistani": "PK", "pakistanis": "PK",
}  # fmt: skip
_GROUP_NAMES: dict[str, str] = {
    "eu": "EU", "european union": "EU", "sco": "SCO", "brics": "BRICS", "g7": "G7", "g20": "G20",
    "asean": "ASEAN", "oecd": "OECD", "欧盟": "EU",
}  # fmt: skip
_REGION_NAMES: dict[str, str] = {
    "north america": "north-america", "northern america": "north-america", "europe": "europe",
    "europe and central asia": "europe-central-asia", "east asia": "east-asia", "asia": "asia",
    "latin america": "latin-america", "africa": "africa", "sub-saharan africa": "sub-saharan-africa",
    "asia-pacific": "asia-pacific",
}  # fmt: skip
_WORLD = re.compile(
    r"\b(?:globally|worldwide|world-wide|around the world|across the world|in the world|of the world|"
    r"the world's|world's|of all countries|all countries|across the globe|around the globe|the globe|global|world)\b"
    r"|全球|世界",
    re.I,
)
_FIRMS = {
    "huawei": "Huawei", "baidu": "Baidu", "tencent": "Tencent", "alibaba": "Alibaba", "deepseek": "DeepSeek",
    "ibm": "IBM", "samsung": "Samsung", "microsoft": "Microsoft", "google": "Google", "openai": "OpenAI",
    "chatgpt": "OpenAI", "sensetime": "SenseTime", "iflytek": "iFlytek", "bytedance": "ByteDance",
    "nvidia": "Nvidia", "sony": "Sony", "canon": "Canon", "siemens": "Siemens", "华为": "Huawei", "百度": "Baidu",
    "腾讯": "Tencent", "阿里巴巴": "Alibaba",
}  # fmt: skip
_SUBJECT_ANAPHOR = re.compile(r"\b(?:the country|the nation|its|it)\b|该国", re.I)
_CLAIM_ANAPHOR = re.compile(r"^\s*(?:this|that|it|these|those|which|they|the figure|the number|the total)\b", re.I)
_MID_ANAPHOR = re.compile(r"(?:^|[,;]\s*)(?:this|that|it|these|those)\s+"
                          r"(?:was|were|is|are|made|accounted|represented)\b",
                          re.I)  # fmt: skip
# a count of something that is not a patent ("100,000 people"): the noun before the number is not its measure
_OTHER_NOUN = re.compile(r"^\s*(?:[A-Za-z-]+\s+)?(?:people|persons|employees|workers|staff|users|researchers|"
                         r"engineers|students|jobs|EFLOPS|models)\b", re.I)  # fmt: skip
# "first filed in Korea" (not "first filed in 2015"): the office of first filing
_PRIORITY_OFFICE = re.compile(r"\bfirst[- ]filed in (?!(?:19|20)\d\d)|\bfirst filings? in (?!(?:19|20)\d\d)"
                              r"|\bcountry of first filing\b|\bpriority (?:office|country)", re.I)  # fmt: skip
_NEXT_YEAR = re.compile(r"\b(?:the following year|the next year|a year later|the year after)\b|次年|第二年", re.I)
_COORDINATED = re.compile(r"^\s*(?:and|&|plus)\s+(?:the\s+)?$", re.I)
_TOGETHER = re.compile(r"\b(?:together|combined|jointly|between them)\b", re.I)
_EACH = re.compile(r"\beach\b", re.I)
_FIRM_NAME = re.compile(
    r"\b(?!(?:Generative|Gen|The|This|That|These|Global|World|Open|Artificial|National|Chinese|American|European)\b)"
    r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:AI|Technologies|Technology|Inc\.?|Ltd\.?|Corp\.?|Group|Labs))\b"
)
_OF_THOSE = re.compile(r"\b(?:of|among) (?:those|these|them|which)\b|其中", re.I)


@cache
def _subject_pattern() -> re.Pattern[str]:
    names = set(_COUNTRY_NAMES) | set(_GROUP_NAMES) | set(_REGION_NAMES) | set(_FIRMS)
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name"):
                n = getattr(c, attr, None)
                if n and len(n) > 3 and "," not in n:
                    names.add(n.lower())
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    # one trie-shaped pattern (longest name first at each step): a plain alternation of ~500 names is tried name
    # by name at every position and was the slowest part of reading a text
    alts = _trie_pattern(sorted(names))
    # "US" must not be the "US" of "US dollars" / "US$"
    return re.compile(rf"(?<![A-Za-z])(?:{alts})(?![A-Za-z])(?!\s?\$|\s?dollars)", re.IGNORECASE)


def _trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, shaped as their trie; greedy, so the longest first.

    >>> re.fullmatch(_trie_pattern(["korea", "south korea", "kor"]), "south korea") is not None
    True
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def rx(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + rx(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return rx(trie)


@cache
def _country_code(name: str) -> str | None:
    key = name.lower()
    if key in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[key]
    try:
        import pycountry

        for c in pycountry.countries:
            if key in {getattr(c, "name", "").lower(), getattr(c, "common_name", "").lower()}:
                return str(c.alpha_2)
    except ImportError:  # pragma: no cover
        pass
    return None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    code: str
    kind: str  # country | group | region | firm


def _mentions(sentence: str) -> list[_Mention]:
    out = []
    for m in _subject_pattern().finditer(sentence):
        raw = m.group(0)
        if raw == "us":  # lower-case "us" is the pronoun
            continue
        key = raw.lower()
        if key in _REGION_NAMES:  # "Europe and Central Asia" is one region (the longest name wins)
            out.append(_Mention(m.start(), m.end(), _REGION_NAMES[key], "region"))
        elif key in _GROUP_NAMES:
            out.append(_Mention(m.start(), m.end(), _GROUP_NAMES[key], "group"))
        elif key in _FIRMS:  # a firm as the text names it ("华为", "Huawei")
            out.append(_Mention(m.start(), m.end(), raw if not raw.isascii() else _FIRMS[key], "firm"))
        else:
            code = _country_code(raw)
            if code is not None:
                out.append(_Mention(m.start(), m.end(), code, "country"))
    return out


# a comma, semicolon or "and" ends the clause a figure of a list belongs to ("41% from China, 11% from Japan")
_CLAUSE_CUT = re.compile(r"[,;，；]|\band\b|\bwhile\b|\bup from\b|\bcompared with\b|\bversus\b|\bvs\b|\bthan\b")


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    a = 0
    for m in _CLAUSE_CUT.finditer(sentence, 0, start):
        a = m.end()
    cut = _CLAUSE_CUT.search(sentence, end)
    return a, (cut.start() if cut else len(sentence))


def _subject_for(sentence: str, mentions: list[_Mention], start: int, end: int) -> tuple[_Mention | None, str]:
    """The subject of the number at [start, end) and how it was found: a mention in the number's clause
    (the nearest, before it first), else the nearest before it in the sentence, else after it."""
    if not mentions:
        return None, ""
    a, b = _clause(sentence, start, end)
    inside = [m for m in mentions if m.start >= a and m.end <= b]
    if inside:
        before = [m for m in inside if m.end <= start]
        return (before[-1] if before else inside[0]), "this sentence (the number's clause)"
    before = [m for m in mentions if m.end <= start]
    if before:
        return before[-1], "this sentence"
    return mentions[0], "this sentence (after the number)"


# --- measures ------------------------------------------------------------------------------------------

_MEASURE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("in-force-patents", re.compile(r"\b(?:valid|in[- ]force)\b[^.]{0,40}?patents?|有效发明专利|有效专利", re.I)),
    ("grants", re.compile(r"\b(?:patent\s+)?grant(?:ed|s)?\b|\blater granted\b|授权", re.I)),
    ("applications", re.compile(r"\b(?:patent\s+)?applications?\b|filings?\b|申请", re.I)),
    ("families", re.compile(r"\b(?:patent\s+)?famil(?:y|ies)\b|\binventions?\b(?!\s+patents?)|专利家族|专利族", re.I)),
    ("documents", re.compile(r"\bpatent documents?\b|\bdocuments\b|\bpublications\b|专利文献", re.I)),
    ("patents", re.compile(r"\bpatents?\b|专利", re.I)),
    ("papers", re.compile(r"\b(?:research\s+)?(?:papers|articles|publications in journals)\b|论文", re.I)),
    ("firms", re.compile(r"\b(?:firms?|compan(?:y|ies)|enterprises?|startups?|start-ups?|businesses|SMEs?)\b"
                         r"|企业|公司", re.I)),
]  # fmt: skip
_INDUSTRY = re.compile(
    r"\b(?:industry|industries|market|valuation|sector|economy|revenue|output|worth)\b|产业|规模", re.I
)
_INVEST = re.compile(
    r"\b(?:invest(?:ment|ed|s)?|funding|fund|raised|spending|budget|venture capital)\b|投资|基金", re.I
)
_GROWTH_BEFORE = re.compile(
    r"\b(?:rose|rise|risen|rising|grew|grow|growing|grown|growth|increased|increase|increasing|jumped|surged|"
    r"climbed|up|soared|expanded|fell|fall|fallen|falling|dropped|declined|decline|down|shrank|decreased)\b"
    r"(?:\s+(?:by|of|some|about|nearly|almost|more than|over))*\s*$|增长|上升|下降|减少",
    re.I,
)
_GROWTH_AFTER = re.compile(
    r"^\s*(?:increase|rise|growth|jump|surge|decline|drop|fall|decrease|year[- ]on[- ]year)\b", re.I
)
_FALL = re.compile(
    r"\b(?:fell|fall|fallen|falling|dropped|declined|decline|down|shrank|decreased|drop|decrease)\b|下降|减少", re.I
)
_RATIO_AFTER = re.compile(
    r"^\s*(?:more|fewer|less|higher|lower|larger|greater|as many|as much)\b[^.;]{0,80}?\b(?:than|as)\b", re.I
)
_PER_CAPITA = re.compile(
    r"\bper (?:capita|million|1 million|100,000|person|inhabitant)|每百万"
    # a rate per unit of GDP ("per USD billion of GDP"): aieco.claims.indicators decides it
    r"|\bper\s+(?:(?:USD|US\$|\$)\s?(?:1\s)?billion|billion\s+(?:US\s+)?dollars?)\s+(?:of\s+)?GDP",
    re.I,
)
_TECHNIQUES: list[tuple[str, re.Pattern[str]]] = [
    ("Machine_Learning", re.compile(r"\bmachine[- ]learning\b|机器学习", re.I)),
    ("Computer_Vision", re.compile(r"\bcomputer vision\b|计算机视觉", re.I)),
    ("Speech_Processing", re.compile(r"\bspeech (?:processing|recognition)\b|语音", re.I)),
    ("Natural_Language_Processing", re.compile(r"\bnatural language processing\b|\bNLP\b|自然语言", re.I)),
    ("genai", re.compile(r"\bgenerative ai\b|\bgenai\b|\bgen ai\b|生成式", re.I)),
]
_OFFICE = re.compile(r"\boffices?\b|\breceived\b|\bfiled in\b|专利局|受理", re.I)
_INVENTOR = re.compile(r"\binventors?\b|\binvented\b|发明人", re.I)
_APPLICANT = re.compile(
    r"\b(?:firms|companies|applicants|universities|enterprises)\b[^.]{0,30}\bfiled\b|\bapplicants?\b", re.I
)
_DATE_BASIS = [
    ("priority", re.compile(r"\bpriority\b|\bfirst[- ]fil(?:ed|ing)\b|优先权", re.I)),
    ("publication", re.compile(r"\bpublished in\b|\bpublication year\b|公开", re.I)),
    ("grant", re.compile(r"\bgranted in\b|\bgrant year\b|\b(?:office|offices|it|they|USPTO|CNIPA)\s+granted\b", re.I)),
    ("filing", re.compile(r"\bfiled in (?:19|20)\d\d\b|\bfiling year\b", re.I)),
]
_MEMBERSHIP = [
    re.compile(
        r"\b[Aa]mong (?:them|these|those)(?: firms| companies)?(?:,)? (?:is|are|was|were) "
        r"(?P<name>[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|AI|of))*)"
    ),
    re.compile(
        r"(?P<name>[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|AI|of))*),? (?:is|was|are|were) "
        r"(?:one of them|among them)\b"
    ),
    re.compile(r"\b(?:including|such as) (?P<name>[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|AI|of))*)"),
]
_PAIR_GAP = re.compile(r"\s*(?:[(（]|,|, or|or|,?\s*i\.e\.,?|, that is,?)\s*"
                       r"(?:(?:about|around|approximately|roughly|some|nearly|"
                       r"almost|over|more than|约|近)\s+)?(?:a|an)?\s*", re.I)  # fmt: skip
# "about 1 bn pounds for AI compute, i.e. roughly 1.3 bn U.S. dollars": the same amount restated a few words on
_PAIR_RESTATED = re.compile(
    r"[^0-9.;]{0,40}?(?:,\s*)?(?:i\.e\.|that is|or about|equivalent to|equal to|worth)\s*,?\s*"
    r"(?:(?:about|around|approximately|roughly|some|nearly|almost|over|more than)\s+)?",
    re.I,
)
_QUOTED = re.compile(r"[“\"‘']([^”\"’']{2,40})[”\"’']")
_PATENT_MEASURES = ("patents", "applications", "families", "grants", "documents", "in-force-patents")


def _first_measure(txt: str) -> tuple[str, int] | None:
    hits = [(m.start(), -m.end(), name) for name, pat in _MEASURE_WORDS for m in [pat.search(txt)] if m]
    if not hits:
        return None
    hit = min(hits)  # the earliest noun, the longest at that place ("patent families" over "patent")
    return hit[2], -hit[1]


def _last_measure(txt: str) -> str | None:
    # the last noun, the longest at that place ("有效发明专利" over "专利")
    hits = [(m.end(), -m.start(), name) for name, pat in _MEASURE_WORDS for m in pat.finditer(txt)]
    return max(hits)[2] if hits else None


def _noun_measure(before: str, after: str) -> tuple[str | None, int, str]:
    """The noun a number counts: within a few words after it ("1.5 million AI patents"), else the nearest one
    before it ("AI patent applications reached 1.5 million"); (measure, end in ``after``, provenance)."""
    if re.match(r"^\s*家", after):  # the counter of firms: "4500家"
        return "firms", after.index("家") + 1, "this sentence"
    hit = _first_measure(after[:60])
    if _OTHER_NOUN.match(after) and (hit is None or hit[1] > 25):
        return None, 0, ""
    if hit:
        # "granted" said anywhere after the noun ("families … that were later granted") makes it grants
        if hit[0] == "families" and re.search(r"\b(?:later |were |was |went on to be )?granted\b", after[:120], re.I):
            return "grants", hit[1], "this sentence"
        return hit[0], hit[1], "this sentence"
    m = _last_measure(before[-80:])
    if m == "patents" and re.search(r"申请[^。，,]{0,12}专利", before[-30:]):
        m = "applications"  # "申请人工智能专利": applied for patents
    if m == "families" and re.search(r"\bgranted\b", before[-80:], re.I):
        m = "grants"
    return m, 0, ("this sentence (before the number)" if m else "")


# --- the discourse state and the stage -----------------------------------------------------------------


@dataclass
class _Context:
    anchor: str | None
    last_subject: tuple[str, str] | None = None
    last_period: Period | None = None
    claims: list[Claim] = field(default_factory=list)


def _kind_of(amount: Amount, sentence: str, s_start: int) -> tuple[str, int | None]:
    """count | share | growth | ratio | per-capita | money, and for growth the sign (+1 / -1)."""
    a, b = amount.start - s_start, amount.end - s_start
    before, after = sentence[max(0, a - 40) : a], sentence[b : b + 100]
    if amount.unit == "rank":
        return "rank", None
    if amount.unit not in ("count", "percent", "times", "rank"):
        return "money", None
    sign = -1 if _FALL.search(before[-25:]) else 1
    if amount.unit == "times":
        # "five times as many … in 2017 as in 2012", "… in the final year as in the first": a growth
        if re.search(r"\bas (?:in|it did in|during)\b", after, re.I):
            return "growth", 1
        if _RATIO_AFTER.match(after) or re.match(r"^\s*(?:as many|as much|more|the)\b", after, re.I):
            return "ratio", None
        return "growth", 1 if amount.qualifier != "halved" else -1
    if _PER_CAPITA.search(after[:60]):
        return "per-capita", None
    if _RATIO_AFTER.match(after):
        if re.match(r"^[^.;]{0,60}?\bthan (?:the year before|the previous year|a year earlier|in the previous year)",
                    after, re.I):  # fmt: skip
            return "growth", 1  # "34.8% more than the year before"
        return "ratio", None
    if amount.unit == "percent" and re.search(r"\bby\s*$", before) and not re.search(r"\baccounted for\b", before):
        # "grow more slowly, by about 35%": a percentage "by" which something changed
        return "growth", -1 if _FALL.search(before) else 1
    if (_GROWTH_BEFORE.search(before) and not re.search(r"\bmade up\s*$|\bmake up\s*$|\bmakes up\s*$", before)) or (
        _GROWTH_AFTER.match(after)
    ):
        if amount.unit == "count" and not re.search(r"\bby\s*$|\bof\s*$", before):
            return "count", None  # "rose to 4,000" is a level
        return "growth", sign
    return ("share", None) if amount.unit == "percent" else ("count", None)


def resolve(seg: Segmented, found: Sequence[Sequence[Amount]], *, as_of: str | None = None) -> list[Claim]:
    """Claims of the segmented text from its quantities (``found[i]`` are those of sentence ``i``).

    ``as_of`` is the article's date; else the dateline; relative periods ("last year") need one of them."""
    ctx = _Context(anchor=as_of or seg.dateline)
    text = seg.text
    for sent, amounts in zip(seg.sentences, found, strict=True):
        sentence = sent.text
        s_start = sent.start
        found_periods = periods(sentence, ctx.anchor)
        mentions = _mentions(sentence)
        i = 0
        main: tuple[str, str] | None = None
        amounts = list(amounts)
        while i < len(amounts):
            first = amounts[i]
            pair = [first]
            end_local = first.end - s_start
            if first.unit not in ("count", "percent", "times") and i + 1 < len(amounts):
                second = amounts[i + 1]
                gap = sentence[end_local : second.start - s_start]
                if second.unit not in ("count", "percent", "times", "rank", first.unit) and (
                    _PAIR_GAP.fullmatch(gap) or _PAIR_RESTATED.fullmatch(gap)
                ):
                    pair.append(second)
                    end_local = second.end - s_start
                    closing = re.match(r"\s*[)）]", sentence[end_local:])
                    if closing:
                        end_local += closing.end()
                    i += 1
            i += 1
            claim = _claim(text, sentence, s_start, end_local, pair, mentions, found_periods, ctx, amounts)
            if claim.kind == "count" and claim.measure is None and claim.subject is None and pair[0].value < 10:
                continue  # "3 benchmarks", "2 days": a bare small number is not a claim of the kind
            ctx.claims.append(claim)
            if claim.subject and claim.subject_kind in ("country", "group", "region") and main is None:
                main = (claim.subject, claim.subject_kind)
        _memberships(sentence, s_start, ctx, found_periods)
        if found_periods:
            ctx.last_period = found_periods[-1][2]
        # "the country" in the next sentence is this sentence's main subject: its first claim's place, else the
        # first place it names (not the last: "…, six times more than the United States")
        places = [(m.code, m.kind) for m in mentions if m.kind in ("country", "group", "region")]
        if main is not None or places:
            ctx.last_subject = main or places[0]
    return _link_money(ctx.claims)


def _claim(
    text: str,
    sentence: str,
    s_start: int,
    end_local: int,
    amounts: list[Amount],
    mentions: list[_Mention],
    found_periods: list[tuple[int, int, Period]],
    ctx: _Context,
    sent_amounts: list[Amount] | None = None,
) -> Claim:
    a = amounts[0]
    a_start, a_end = a.start - s_start, a.end - s_start
    prov: dict[str, str] = {}
    notes: list[str] = []
    links: tuple[int, ...] = ()
    kind, sign = _kind_of(a, sentence, s_start)
    before, after = sentence[:a_start], sentence[end_local:]
    # the measure
    measure, measure_end, how = _noun_measure(before, after)
    if measure:
        prov["measure"] = how
    if kind == "count" and measure == "papers":
        prov["measure"] = "this sentence"
    money_measure = None
    if kind == "money":
        money_measure = (
            "industry-size" if _INDUSTRY.search(sentence) else "investment" if _INVEST.search(sentence) else None
        )
    later = [x.start - s_start for x in sent_amounts or [] if x.start - s_start >= end_local]
    if measure_end and measure_end <= 60 and kind != "money" and (not later or end_local + measure_end <= later[0]):
        end_local += measure_end  # the span takes its noun, never another figure of a list
    # the subject
    mention, how_subject = _subject_for(sentence, mentions, a_start, a_end)
    if mention is not None and how_subject.endswith("(after the number)") and _WORLD.search(sentence[:a_start]):
        # "Globally, AI patent documents passed 45,000 in 2017, and China's office …": the world, not China
        mention, how_subject = None, ""
        world_first = True
    else:
        world_first = False
    subject: tuple[str, str] | None = (mention.code, mention.kind) if mention else None
    if subject:
        prov["subject"] = how_subject
    places = [m for m in mentions if m.kind in ("country", "group", "region")]
    singles = [x for x in sent_amounts or [] if x.unit == a.unit]
    if re.search(r"\brespectively\b|分别", sentence) and len(places) == len(singles) and a in singles:
        m_ = places[singles.index(a)]  # "China, the US and Korea received 9,175, 11,423 and 1,615 … respectively"
        subject, prov["subject"] = (m_.code, m_.kind), "this sentence (respectively: the same place in the list)"
    elif mention is not None and mention.kind == "country" and (_TOGETHER.search(sentence) or _EACH.search(sentence)):
        i_ = mentions.index(mention)
        pair_ = next(
            (
                (x, y)
                for x, y in (
                    (mentions[i_ - 1], mention) if i_ else (None, None),
                    (mention, mentions[i_ + 1]) if i_ + 1 < len(mentions) else (None, None),
                )
                if x is not None and y is not None and _COORDINATED.match(sentence[x.end : y.start])
            ),
            None,
        )
        if pair_ is not None:
            combine = "together" if _TOGETHER.search(sentence) else "each"
            subject = (f"{pair_[0].code}+{pair_[1].code}", "countries")
            prov["subject"] = f"this sentence (coordinated subjects, {combine})"
            notes.append(f"{pair_[0].code} and {pair_[1].code} {combine}")
    if subject is None:
        fm = _FIRM_NAME.search(sentence)
        if fm:
            subject, prov["subject"] = (fm.group(1), "firm"), "this sentence (a firm's name)"
    versus = None
    if kind == "ratio":
        after_m = [m for m in mentions if m.start >= a_end]
        versus = after_m[0].code if after_m else None
        if mention is not None and after_m and mention == after_m[0]:
            earlier = [m for m in mentions if m.end <= a_start]
            subject = (earlier[-1].code, earlier[-1].kind) if earlier else None
    world_before = _WORLD.search(sentence)
    anaphor = (_CLAIM_ANAPHOR.match(sentence) or _OF_THOSE.search(sentence[:a_start])
               or _MID_ANAPHOR.search(sentence[:a_start]))  # fmt: skip
    if subject is None and anaphor and ctx.claims:
        prev = ctx.claims[-1]
        if prev.subject and prev.subject_kind in ("country", "group", "region", "world", "countries"):
            subject = (prev.subject, prev.subject_kind or "country")
            prov["subject"] = "a referenced earlier claim"
        links = (len(ctx.claims) - 1,)
        notes.append(f'refers back to the previous claim ("{sentence.split()[0]} …")')
        if measure is None and prev.measure:
            base = prev.measure.split(":")[-1]
            if base in _PATENT_MEASURES:
                measure = base
                prov["measure"] = "a referenced earlier claim"
    elif anaphor and ctx.claims and ctx.claims[-1].sentence != sentence.strip():
        # "其中，华为申请…", "Of these, Huawei …": a subject of its own, the period of the claim it refers to
        links = (len(ctx.claims) - 1,)
        notes.append("refers back to the previous claim")
    prev_claim = ctx.claims[-1] if ctx.claims else None
    same = [c for c in ctx.claims if c.sentence == sentence.strip() and c.kind == "count" and c.measure]
    if measure is None and kind == "count" and same:  # "…, while U.S. applicants filed 55,678"
        measure, prov["measure"] = same[-1].measure, "the claim before it in this sentence"
    if (
        measure == "patents"
        and prev_claim is not None
        and prev_claim.measure
        and re.search(r"\b(?:those|these|the) patents\b", before, re.I)
    ):
        base_ = prev_claim.measure.split(":")[-1]
        if base_ in _PATENT_MEASURES:  # "Those patents were 39.8%": the unit of the claim referred to
            measure, prov["measure"] = base_, "a referenced earlier claim"
    if measure is None and prev_claim is not None and prev_claim.measure and kind in ("share", "count", "growth"):
        # "The country's share was 4.8%", "China's share of them was 22.7%": the noun of the claim before
        base_ = prev_claim.measure.split(":")[-1]
        if base_ in _PATENT_MEASURES and (kind == "share" or anaphor or _SUBJECT_ANAPHOR.search(sentence)):
            measure, prov["measure"] = base_, "a referenced earlier claim"
            if not links:
                links = (len(ctx.claims) - 1,)
    if subject is None and ctx.last_subject and _SUBJECT_ANAPHOR.search(sentence[:a_start]):
        subject = ctx.last_subject  # "the country's office received …, a third of the world total"
        prov["subject"] = 'the main subject of the sentence before ("the country")'
    if subject is None and world_first:
        subject, prov["subject"] = ("world", "world"), "this sentence (a world word before the number)"
    if subject is None and world_before and (kind in ("share", "growth") or measure or money_measure):
        if kind != "share" or not ctx.last_subject:
            subject = ("world", "world")
            prov["subject"] = "this sentence (world)"
    if subject is None and ctx.last_subject and _SUBJECT_ANAPHOR.search(sentence):
        subject = ctx.last_subject
        prov["subject"] = 'the text\'s last-named subject ("the country")'
    elif subject is None and ctx.last_subject and kind not in ("share",) and (measure or kind == "money"):
        subject = ctx.last_subject
        prov["subject"] = "the text's last-named subject (default)"
        notes.append("no subject in the sentence; read as the text's last-named subject")
    elif subject is None and measure in _PATENT_MEASURES and not ctx.last_subject:
        subject, prov["subject"] = ("world", "world"), "default (no place named: the world)"
    # the period
    period = _period_for(found_periods, a_start, a_end)
    if period is not None:
        prov["period"] = "this sentence"
    elif links and ctx.claims[links[0]].period.kind != "unstated":
        period = ctx.claims[links[0]].period
        prov["period"] = "a referenced earlier claim"
    elif _PERIOD_ANAPHOR.search(sentence) and ctx.last_period is not None:
        period = ctx.last_period
        prov["period"] = 'the previous sentence ("during the period")'
    else:
        period = Period(kind="unstated")
        prov["period"] = "unstated" + (f" (the article's date {ctx.anchor} anchors it)" if ctx.anchor else "")
    if _NEXT_YEAR.search(sentence) and prev_claim is not None and prov["period"] != "this sentence":
        pp = prev_claim.period
        if pp.kind == "range" and pp.start and pp.end and pp.start[:4] == pp.end[:4]:
            y = int(pp.start[:4]) + 1
            period = Period(kind="range", text="the following year", start=f"{y}-01-01", end=f"{y}-12-31")
            prov["period"] = "a referenced earlier claim, the year after"
    years_named = sorted({p.start[:4] for _, _, p in found_periods if p.kind == "range" and p.start and p.end
                          and p.start[:4] == p.end[:4]})  # fmt: skip
    if (
        kind == "growth"
        and len(years_named) >= 2
        and period.start
        and period.end
        and period.start[:4] == period.end[:4]
    ):
        # "five times as many in 2017 as in 2012": from the first year named to the last
        period = Period(kind="range", text=f"{years_named[0]}–{years_named[-1]}", start=f"{years_named[0]}-01-01",
                        end=f"{years_named[-1]}-12-31")  # fmt: skip
    # the parts of the method the text names
    attribution = None
    if _PRIORITY_OFFICE.search(sentence):
        attribution = "priority-office"
    elif _INVENTOR.search(sentence):
        attribution = "inventor"
    elif _APPLICANT.search(sentence):
        attribution = "applicant"
    elif re.search(r"\boffices?\b|专利局", sentence, re.I):
        attribution = "office"
    basis = next((b for b, pat in _DATE_BASIS if pat.search(sentence)), None)
    if basis == "grant" and measure == "patents":
        measure, prov["measure"] = "grants", "this sentence (granted)"
    category = next((c for c, pat in _TECHNIQUES if pat.search(sentence)), None)
    # assemble
    unit = measure if measure in _PATENT_MEASURES + ("papers",) else None
    if kind == "count" and measure == "firms":
        kind = "firm-count"
        q = _QUOTED.search(sentence[a_end : a_end + 60])
        if q:
            subject = (q.group(1).strip(), "program")
            notes.append(
                f'programme "{q.group(1).strip()}"' + (f" in {ctx.last_subject[0]}" if ctx.last_subject else "")
            )
    if kind == "share":
        head = "share-of-global" if _WORLD.search(after[:80]) or not subject or subject[0] != "world" else "share"
        if _WORLD.search(sentence):
            head = "share-of-global"
        measure_s = f"{head}:{measure}" if measure and measure != "firms" else head
        if measure:
            notes.append(f"share of {measure}")
    elif kind in ("growth", "ratio", "per-capita", "rank"):
        measure_s = f"{kind}:{measure}" if measure else kind
    elif kind == "money":
        measure_s = money_measure  # type: ignore[assignment]
        unit = None
    else:
        measure_s = measure  # type: ignore[assignment]
    if sign == -1:
        notes.append("a fall")
    start = amounts[0].start
    return Claim(
        kind=kind,
        text=text[start : s_start + end_local],
        start=start,
        end=s_start + end_local,
        amounts=tuple(amounts),
        subject=subject[0] if subject else None,
        subject_kind=subject[1] if subject else None,
        measure=measure_s,
        period=period,
        sentence=sentence.strip(),
        links=links,
        notes=tuple(notes),
        unit=unit,
        attribution=attribution,
        date_basis=basis,
        category=category,
        versus=versus,
        base="world" if kind == "share" else None,
        provenance=tuple(prov.items()),
    )


def _memberships(sentence: str, s_start: int, ctx: _Context, found_periods: list[tuple[int, int, Period]]) -> None:
    period = found_periods[0][2] if found_periods else Period(kind="unstated")
    for pat in _MEMBERSHIP:
        for mm in pat.finditer(sentence):
            name = mm.group("name").strip().rstrip(".")
            prev_firms = [j for j, c in enumerate(ctx.claims) if c.kind == "firm-count"]
            if not prev_firms and "among" not in mm.group(0).lower():
                continue
            group = ctx.claims[prev_firms[-1]].subject if prev_firms else None
            ctx.claims.append(Claim(
                kind="membership", text=mm.group(0), start=s_start + mm.start(), end=s_start + mm.end(),
                amounts=(), subject=name, subject_kind="firm",
                measure=f"member-of:{group}" if group else "member-of", period=period, sentence=sentence.strip(),
                links=(prev_firms[-1],) if prev_firms else (),
                notes=(f"claims {name} is one of the {group!r} firms" if group
                       else f"claims {name} is a member of a group named nearby",),
                provenance=(("subject", "this sentence"), ("group", "a referenced earlier claim")),
            ))  # fmt: skip


def _link_money(claims: list[Claim]) -> list[Claim]:
    """Link single-currency money claims of the same subject and measure in different currencies."""
    out = list(claims)
    singles = [i for i, c in enumerate(out) if c.kind == "money" and len(c.amounts) == 1]
    used: set[int] = set()
    for i in singles:
        if i in used:
            continue
        for j in singles:
            if j <= i or j in used:
                continue
            a, b = out[i], out[j]
            if (
                a.amounts[0].unit != b.amounts[0].unit
                and a.measure == b.measure
                and a.measure is not None
                and a.subject == b.subject
            ):
                out[i] = replace(a, links=a.links + (j,))
                out[j] = replace(b, links=b.links + (i,))
                used |= {i, j}
                break
    return out


def topic(claim: Claim) -> str:
    """What technology a claim is about: genai, ai, or other (from its sentence)."""
    s = claim.sentence.lower()
    if re.search(r"generative ai|genai|gen ai|生成式", s):
        return "genai"
    if re.search(r"\bai\b|ai-|artificial intelligence|人工智能", s):
        return "ai"
    return "other"


def claim_years(period: Period, text_date: str | None) -> tuple[int | None, int, str]:
    """(first year or None for cumulative, last year, how the period was read)."""
    if period.kind == "range" and period.start and period.end:
        a, b = period.start[:4], period.end[:4]
        return int(a), int(b), (f"for {a}" if a == b else f"for {a}–{b}")
    if period.kind == "as-of" and period.end:
        return None, int(period.end[:4]), f"cumulative {period.text.lower()}"
    if period.kind == "since" and period.start:
        end = int(period.end[:4]) if period.end else int(text_date[:4]) if text_date else date.today().year
        return int(period.start[:4]), end, f"{period.text} to {end}"
    if text_date:
        return None, int(text_date[:4]), f"cumulative to {text_date[:7]}, the text's date (it states no period)"
    return None, date.today().year, "cumulative to today (neither the claim nor the text gives a date)"


def text_date(seg: Segmented, as_of: str | None = None) -> str | None:
    """The article's date: ``as_of``, else its dateline, else the latest date the text names."""
    if as_of:
        return as_of
    if seg.dateline:
        return seg.dateline
    latest: str | None = None
    for sent in seg.sentences:
        for _, _, p in periods(sent.text):
            if p.end and (latest is None or p.end > latest):
                latest = p.end
    return latest
