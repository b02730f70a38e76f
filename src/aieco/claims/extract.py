"""Finding quantitative claims in English (and simple Chinese) text, with character offsets.

A claim is a number (with multiplier, qualifier, percent or currency) plus what it is about: the subject
(country, group, firm, programme), the measure (AI patents, applications, families, grants, share of global,
industry size, number of firms) and the period. Pairs of amounts in two currencies for the same measure are
one money claim ("600 billion yuan ($83.45 billion)") or, when further apart, two linked claims. Membership
claims ("Among them is DeepSeek") are found too: they carry no number but need a registry to check.

>>> [c.kind for c in extract("China filed more than 1.5 million AI patent applications in 2024.")]
['count']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from functools import cache

from aieco.claims.numbers import interval, parse_number, qualifier_rule
from aieco.claims.segment import segment
from aieco.model import Amount, Claim, Period

# --- patterns -----------------------------------------------------------------------------------------

_CUR_PRE = r"(?P<pre>US\$|U\.S\.\s?\$|\$|¥|￥|€|£|RMB\s?|CNY\s?|USD\s?|EUR\s?)"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULT = (
    r"(?:\s?(?P<mult>万亿|千万|百万|亿|万|千|thousand|million|billion|trillion|bn|mn|tn)(?![A-Za-z])"
    r"|(?P<mult_short>[kmb])(?![A-Za-z]))"
)
_PCT = r"(?:\s?(?P<pct>%|％|per\s?cent\b|percent\b))"
_CUR_POST = (
    r"(?:\s?(?P<post>元人民币|亿元|人民币|元|美元|yuan|renminbi|RMB|CNY|US\s?dollars|U\.S\.\s?dollars|"
    r"dollars|USD|euros?|EUR|pounds|GBP)(?![A-Za-z]))"
)
_MENTION = re.compile(
    rf"(?<![A-Za-z0-9.,\-]){_CUR_PRE}?{_NUM}{_MULT}?{_PCT}?{_CUR_POST}?(?:\s?(?P<post_q>多|余|左右|以上))?"
    r"(?![0-9]|[A-Za-z])",
    re.IGNORECASE,
)

_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "dollars": "USD",
    "美元": "USD",
    "¥": "CNY",
    "￥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",
    "亿元": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
}

_QUAL_BEFORE = re.compile(
    r"(?P<q>more than|over|nearly|almost|about|around|approximately|roughly|some|circa|up to|at least|"
    r"as many as|as much as|at most|no more than|no fewer than|no less than|not less than|less than|"
    r"fewer than|under|below|above|close to|nearing|nears|approaching|exceeds|exceeded|exceeding|surpassed|"
    r"surpasses|upwards of|in excess of|just under|just over|an estimated|estimated|"
    r"将近|接近|近乎|近|大约|约为|约|超过|逾|超|至少|不少于|不到|不足|少于|最多|不超过)"
    r"(?:\s+(?:a|an|the|of))?\s*(?:达到|达)?\s*$",
    re.IGNORECASE,
)


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH = r"(?P<month>" + "|".join(sorted((m for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"
_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"(?:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|until)\s+(?P<y2>{_YEAR})", re.I)),
    ("range", re.compile(rf"(?<!\d)(?P<y1>{_YEAR})\s*(?:–|—|-|to)\s*(?P<y2>{_YEAR}|\d\d)(?!\d)")),
    (
        "as-of",
        re.compile(
            rf"(?:as of|as at|by|at|until|through)\s+(?:the\s+)?end[- ](?:of\s+)?(?P<y1>{_YEAR})", re.I
        ),
    ),
    ("as-of", re.compile(rf"(?<![A-Za-z])end[- ](?P<y1>{_YEAR})", re.I)),
    (
        "as-of",
        re.compile(
            rf"(?:as of|as at|by|until|through)\s+(?:(?:early|mid|late)[- ])?(?:{_MONTH}\s+)?"
            rf"(?P<y1>{_YEAR})",
            re.I,
        ),
    ),
    ("as-of", re.compile(rf"截至\s*(?P<y1>{_YEAR})\s*年\s*(?:(?P<m>\d{{1,2}})\s*月)?")),
    ("since", re.compile(rf"since\s+(?P<y1>{_YEAR})", re.I)),
    ("range", re.compile(rf"(?:in|during|for|of|throughout)\s+(?:{_MONTH}\s+)?(?P<y1>{_YEAR})(?!\d)", re.I)),
    ("range", re.compile(rf"(?P<y1>{_YEAR})\s*年")),
]

_MEASURE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "in-force-patents",
        re.compile(r"\b(?:valid|in[- ]force)\b[^.]{0,40}?patents?|有效发明专利|有效专利", re.I),
    ),
    ("grants", re.compile(r"\bgrant(?:ed|s)?\b|授权", re.I)),
    ("applications", re.compile(r"\b(?:patent\s+)?applications?\b|filings?\b|申请", re.I)),
    ("families", re.compile(r"\b(?:patent\s+)?famil(?:y|ies)\b|\binventions?\b", re.I)),
    ("documents", re.compile(r"\bpatent documents?\b|\bpublications\b", re.I)),
    ("patents", re.compile(r"\bpatents?\b|专利", re.I)),
    (
        "firms",
        re.compile(
            r"\b(?:firms?|compan(?:y|ies)|enterprises?|startups?|start-ups?|businesses|SMEs?)\b"
            r"|企业|公司|家",
            re.I,
        ),
    ),
]
_INDUSTRY = re.compile(
    r"\b(?:industry|industries|market|valuation|sector|economy|revenue|output)\b|产业|规模", re.I
)
_INVEST = re.compile(r"\b(?:invest(?:ment|ed|s)?|funding|fund|raised|spending|budget)\b|投资|基金", re.I)
_GLOBAL = re.compile(r"\b(?:global|world(?:wide)?|all|total)\b|全球|世界", re.I)
_ANAPHOR = re.compile(r"^\s*(?:this|that|it|these|which|they)\b", re.I)
_FIRM_NAME = r"(?P<name>[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|AI|of))*)"
_MEMBERSHIP = [
    re.compile(
        rf"\b[Aa]mong (?:them|these|those)(?: firms| companies)?(?:,)? (?:is|are|was|were) {_FIRM_NAME}"
    ),
    re.compile(rf"{_FIRM_NAME},? (?:is|was|are|were) (?:one of them|among them)\b"),
    re.compile(rf"\b(?:including|such as) {_FIRM_NAME}"),
]
_PAIR_GAP = re.compile(
    r"\s*(?:[(（]|,|, or|or)\s*(?:(?:about|around|approximately|roughly|some|nearly|"
    r"almost|over|more than|约|近)\s+)?(?:a|an)?\s*",
    re.I,
)
_QUOTED = re.compile(r"[“\"‘']([^”\"’']{2,40})[”\"’']")

# Countries and groups by the names a news text uses; other countries via pycountry's names.
_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN",
    "chinese": "CN",
    "prc": "CN",
    "mainland china": "CN",
    "中国": "CN",
    "我国": "CN",
    "united states": "US",
    "u.s.": "US",
    "us": "US",
    "usa": "US",
    "america": "US",
    "american": "US",
    "japan": "JP",
    "japanese": "JP",
    "south korea": "KR",
    "korea": "KR",
    "korean": "KR",
    "germany": "DE",
    "german": "DE",
    "france": "FR",
    "french": "FR",
    "united kingdom": "GB",
    "uk": "GB",
    "britain": "GB",
    "british": "GB",
    "india": "IN",
    "indian": "IN",
    "russia": "RU",
    "russian": "RU",
    "taiwan": "TW",
    "canada": "CA",
    "canadian": "CA",
    "israel": "IL",
    "israeli": "IL",
    "singapore": "SG",
    "australia": "AU",
    "australian": "AU",
    "美国": "US",
    "日本": "JP",
    "韩国": "KR",
}
_GROUP_NAMES: dict[str, str] = {
    "eu": "EU",
    "european union": "EU",
    "sco": "SCO",
    "brics": "BRICS",
    "g7": "G7",
    "g20": "G20",
    "asean": "ASEAN",
    "oecd": "OECD",
}


@cache
def _subject_pattern() -> re.Pattern[str]:
    names = set(_COUNTRY_NAMES) | set(_GROUP_NAMES)
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name"):
                n = getattr(c, attr, None)
                if n and len(n) > 3 and "," not in n:
                    names.add(n.lower())
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # "US" must not be the "US" of "US dollars" / "US$".
    return re.compile(rf"(?<![A-Za-z])(?:{alts})(?![A-Za-z])(?!\s?\$|\s?dollars)", re.IGNORECASE)


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


def _subject_near(sentence: str, pos: int) -> tuple[str, str] | None:
    """The subject of the number at ``pos``: the nearest country or group before it, else after it."""
    best: tuple[int, str, str] | None = None
    for m in _subject_pattern().finditer(sentence):
        raw = m.group(0)
        if raw == "us":  # lower-case "us" is the pronoun
            continue
        key = raw.lower()
        if key in _GROUP_NAMES:
            code, kind = _GROUP_NAMES[key], "group"
        else:
            code_ = _country_code(raw)
            if code_ is None:
                continue
            code, kind = code_, "country"
        dist = pos - m.end() if m.end() <= pos else 10_000 + m.start() - pos
        if best is None or dist < best[0]:
            best = (dist, code, kind)
    return (best[1], best[2]) if best else None


def find_period(sentence: str) -> Period | None:
    """The first period expression in a sentence: "as of April 2025", "in 2022", "since 2000", "2014–2023"."""
    for kind, pat in _PERIODS:
        m = pat.search(sentence)
        if not m:
            continue
        y1 = int(m.group("y1"))
        if kind == "range":
            y2s = m.groupdict().get("y2")
            y2 = int(y2s) if y2s else y1
            if y2s and len(y2s) == 2:
                y2 = y1 // 100 * 100 + y2
            if y2 < y1:
                continue
            month = _month(m)
            if month and not y2s:
                last = calendar.monthrange(y1, month)[1]
                return Period(
                    kind="range",
                    text=m.group(0),
                    start=f"{y1}-{month:02d}-01",
                    end=f"{y1}-{month:02d}-{last}",
                )
            return Period(kind="range", text=m.group(0), start=f"{y1}-01-01", end=f"{y2}-12-31")
        if kind == "as-of":
            month = _month(m)
            if month:
                last = calendar.monthrange(y1, month)[1]
                return Period(kind="as-of", text=m.group(0), end=f"{y1}-{month:02d}-{last}")
            return Period(kind="as-of", text=m.group(0), end=f"{y1}-12-31")
        if kind == "since":
            return Period(kind="since", text=m.group(0), start=f"{y1}-01-01")
    return None


def _month(m: re.Match[str]) -> int | None:
    d = m.groupdict()
    if d.get("month"):
        return _MONTHS.get(d["month"].lower().rstrip("."))
    if d.get("m"):
        month = int(d["m"])
        return month if 1 <= month <= 12 else None
    return None


def _is_year(m: re.Match[str]) -> bool:
    num = m.group("num")
    return (
        len(num) == 4
        and num.isdigit()
        and 1900 <= int(num) <= 2100
        and not m.group("pre")
        and not m.group("mult")
        and not m.group("mult_short")
        and not m.group("pct")
        and not m.group("post")
    )


def _currency(m: re.Match[str]) -> str | None:
    for g in ("pre", "post"):
        raw = m.group(g)
        if raw:
            key = " ".join(raw.lower().split())
            if key in _CURRENCIES:
                return _CURRENCIES[key]
            if key.replace(" ", "") in _CURRENCIES:
                return _CURRENCIES[key.replace(" ", "")]
    return None


_MONTH_WORDS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# a bare number that labels, dates or times something rather than counting it: "Table 2", "[12]",
# "8 July", "March 5", "10:30", "Article 22", "Chapter 5"
_LABEL_BEFORE = re.compile(
    rf"(?:\b(?:Table|Figure|Fig\.|Chapter|Section|Article|No\.|Note|Annex|Appendix|page|p\.|version|{_MONTH_WORDS})\s*|\[|\d:)$",
    re.IGNORECASE,
)
_LABEL_AFTER = re.compile(rf"^(?:\]|:\d\d|\s+(?:{_MONTH_WORDS})\b|(?:st|nd|rd|th)\b)")
# a duration: "18 months", "a 30-month period", "12 years" (a count of time, not of the claim's things)
_DURATION_AFTER = re.compile(r"^(?:-|\s+)(?:months?|years?|weeks?|days?|hours?)\b", re.IGNORECASE)


def _not_a_quantity(before: str, after: str) -> bool:
    return bool(_LABEL_BEFORE.search(before[-30:]) or _LABEL_AFTER.match(after) or _DURATION_AFTER.match(after))


def _amount(text: str, m: re.Match[str], offset: int, sentence: str) -> Amount | None:
    if _is_year(m):
        return None
    mult = m.group("mult") or m.group("mult_short")
    cur = _currency(m)
    post = m.group("post") or ""
    if mult is None and post in ("亿元",):
        mult = "亿"
    if m.group("mult_short") and not cur:
        return None  # "5m" without a currency is more likely metres than millions
    if mult and mult.lower() == "b" and not cur:
        return None
    value, half = parse_number(m.group("num"), mult)
    before = sentence[: m.start()]
    if not (mult or cur or m.group("pct")) and _not_a_quantity(before, sentence[m.end() :]):
        return None
    qm = _QUAL_BEFORE.search(before[-40:])
    qualifier = qm.group("q") if qm else None
    if m.group("post_q"):
        qualifier = m.group("post_q")
    unit = "percent" if m.group("pct") else (cur or "count")
    start = offset + (m.start() - (len(qm.group(0)) if qm else 0))
    return Amount(
        text=text[start : offset + m.end()].strip(),
        start=start,
        end=offset + m.end(),
        value=value,
        unit=unit,
        qualifier=qualifier,
        interval=interval(value, half, qualifier),
    )


def _measure(after: str, before: str, sentence: str, unit: str) -> tuple[str | None, str | None, int]:
    """(measure, base measure of a share, end of the measure phrase in ``after``).

    The noun a number counts comes within a few words after it ("1.5 million AI patents"); failing that, the
    nearest one before it ("AI patent applications reached 1.5 million", "有效发明专利达37.8万件").
    """

    def first(txt: str) -> tuple[str, int] | None:
        hits = [(m.start(), -m.end(), name) for name, pat in _MEASURE_WORDS for m in [pat.search(txt)] if m]
        if not hits:
            return None
        hit = min(hits)  # the earliest noun, the longest at that place ("patent families" over "patent")
        return hit[2], -hit[1]

    def last(txt: str) -> str | None:
        hits = [(m.end(), name) for name, pat in _MEASURE_WORDS for m in pat.finditer(txt)]
        return max(hits)[1] if hits else None

    if unit == "percent":
        hit = first(after[:80])
        measure = "share-of-global" if _GLOBAL.search(after[:80]) else "share"
        return measure, (hit[0] if hit else None), (hit[1] if hit else 0)
    if unit != "count":
        if _INDUSTRY.search(sentence):
            return "industry-size", None, 0
        if _INVEST.search(sentence):
            return "investment", None, 0
        return None, None, 0
    hit = first(after[:60])
    if hit:
        return hit[0], None, hit[1]
    return last(before[-80:]), None, 0


def extract(text: str) -> list[Claim]:
    """Every quantitative claim in ``text``, in order, with offsets into ``text``."""
    claims: list[Claim] = []
    last_subject: tuple[str, str] | None = None
    for sent in segment(text).sentences:
        s_start, s_end = sent.start, sent.end
        sentence = text[s_start:s_end]
        found: list[tuple[Amount, re.Match[str]]] = []
        for m in _MENTION.finditer(sentence):
            a = _amount(text, m, s_start, sentence)
            if a is not None:
                found.append((a, m))
        period = find_period(sentence) or Period(kind="unstated")
        i = 0
        while i < len(found):
            a, m = found[i]
            amounts = [a]
            end_local = m.end()
            # "600 billion yuan ($83.45 billion)": a second currency in brackets is the same amount
            if a.unit not in ("count", "percent") and i + 1 < len(found):
                b, mb = found[i + 1]
                gap = sentence[m.end() : mb.start()]
                if b.unit not in ("count", "percent", a.unit) and _PAIR_GAP.fullmatch(gap):
                    amounts.append(b)
                    end_local = mb.end()
                    closing = re.match(r"\s*[)）]", sentence[end_local:])
                    if closing:
                        end_local += closing.end()
                    i += 1
            i += 1
            after = sentence[end_local:]
            measure, base, measure_end = _measure(after, sentence[: m.start()], sentence, a.unit)
            if measure_end and measure_end <= 60:
                end_local += measure_end
            subj = _subject_near(sentence, m.start())
            notes: list[str] = []
            links: tuple[int, ...] = ()
            claim_period = period
            if subj is None and _ANAPHOR.match(sentence) and claims:
                prev = claims[-1]
                subj = (prev.subject, prev.subject_kind or "country") if prev.subject else None
                links = (len(claims) - 1,)
                if claim_period.kind == "unstated":
                    claim_period = prev.period
                if base is None and prev.measure in ("patents", "applications", "families", "grants"):
                    base = prev.measure
                notes.append(f'refers back to the previous claim ("{sentence.split()[0]} …")')
            elif subj is None and last_subject and a.unit != "percent":
                notes.append("no subject in the sentence; read as the text's last-named subject")
                subj = last_subject
            if subj is None and measure and _GLOBAL.search(sentence[: m.start()][-40:] or ""):
                subj = ("world", "world")
            kind = {"percent": "share"}.get(a.unit, "money" if a.unit != "count" else "count")
            if kind == "count" and measure == "firms":
                kind = "firm-count"
                q = _QUOTED.search(sentence[m.end() : m.end() + 60])
                if q:
                    subj = (q.group(1).strip(), "program")
                    notes.append(
                        f'programme "{q.group(1).strip()}"'
                        + (f" in {last_subject[0]}" if last_subject else "")
                    )
            if kind == "share" and base:
                notes.append(f"share of {base}")
            if subj and subj[1] in ("country", "group"):
                last_subject = subj
            start = amounts[0].start
            claims.append(
                Claim(
                    kind=kind,
                    text=text[start : s_start + end_local],
                    start=start,
                    end=s_start + end_local,
                    amounts=tuple(amounts),
                    subject=subj[0] if subj else None,
                    subject_kind=subj[1] if subj else None,
                    measure=measure if kind != "share" else (measure if not base else f"{measure}:{base}"),
                    period=claim_period,
                    sentence=sentence.strip(),
                    links=links,
                    notes=tuple(notes),
                )
            )
        for pat in _MEMBERSHIP:
            for mm in pat.finditer(sentence):
                name = mm.group("name").strip().rstrip(".")
                prev_firms = [j for j, c in enumerate(claims) if c.kind == "firm-count"]
                if not prev_firms and "among" not in mm.group(0).lower():
                    continue
                group = claims[prev_firms[-1]].subject if prev_firms else None
                claims.append(
                    Claim(
                        kind="membership",
                        text=mm.group(0),
                        start=s_start + mm.start(),
                        end=s_start + mm.end(),
                        amounts=(),
                        subject=name,
                        subject_kind="firm",
                        measure=f"member-of:{group}" if group else "member-of",
                        period=period,
                        sentence=sentence.strip(),
                        links=(prev_firms[-1],) if prev_firms else (),
                        notes=(
                            f"claims {name} is one of the {group!r} firms"
                            if group
                            else f"claims {name} is a member of a group named nearby",
                        ),
                    )
                )
    return _link_money(claims)


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


def qualifier_kind(amount: Amount) -> str:
    """The interval rule an amount's qualifier selected (below, about, above, …, exact)."""
    return qualifier_rule(amount.qualifier)


def topic(claim: Claim) -> str:
    """What technology a claim is about: genai, ai, or other (from its sentence)."""
    s = claim.sentence.lower()
    if re.search(r"generative ai|genai|gen ai|生成式", s):
        return "genai"
    if re.search(r"\bai\b|ai-|artificial intelligence|人工智能", s):
        return "ai"
    return "other"
