"""Stage 2 of the checker: the quantities of a sentence, with offsets, unit, qualifier and interval.

Digits with multipliers ("1.5 million", "2.3万", "1.2亿元"), English number words (text2num), Chinese numerals
(cn2an), fractions in words ("a quarter", "two-thirds", "one in five", "超过一半"), multiples ("fourfold",
"five times", "doubled"), percentages ("48pc", "百分之四十") and currencies by symbol, code and name. Numbers
that are not of the claim kind are left out: years, dates ("June 3", "3月8日"), footnote markers ("[12]"),
references ("Table 2", "No. 10,123,456"), durations ("a 30-month period", "twelve years"), times of day.

>>> [(q.value, q.unit) for q in quantities("China filed more than 1.5 million AI patents, nearly 40%.")]
[(1500000.0, 'count'), (40.0, 'percent')]
"""

from __future__ import annotations

import re

from aieco.claims.numbers import interval, parse_number
from aieco.model import Amount

_CUR_PRE = r"(?P<pre>US\$|U\.S\.\s?\$|\$|¥|￥|€|£|RMB\s?|CNY\s?|USD\s?|EUR\s?|JPY\s?|GBP\s?|RUB\s?)"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULT = (
    r"(?:\s?(?P<mult>万亿|千万|百万|亿|万|千|thousand|million|billion|trillion|bn|mn|tn)(?![A-Za-z])"
    r"|(?P<mult_short>[kmb])(?![A-Za-z]))"
)
_PCT = r"(?:\s?(?P<pct>%|％|per\s?cent\b|percent\b|pc\b|pct\b))"
_CUR_POST = (
    r"(?:\s?(?P<post>元人民币|亿元|人民币|元|美元|欧元|日元|yuan|renminbi|RMB|CNY|US\s?dollars|U\.S\.\s?dollars|"
    r"dollars|USD|euros?|EUR|pounds|GBP|yen|JPY|roubles|rubles|RUB|won|KRW|rupees|INR)(?![A-Za-z]))"
)
_MENTION = re.compile(
    rf"(?<![A-Za-z0-9.,\-:])(?:{_CUR_PRE}\s?)?{_NUM}{_MULT}?{_PCT}?{_CUR_POST}?(?:\s?(?P<post_q>多|余|左右|以上))?"
    r"(?![0-9]|[A-Za-z]|:\d)",
    re.IGNORECASE,
)
CURRENCIES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "usd": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "dollars": "USD", "美元": "USD", "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY",
    "renminbi": "CNY", "元": "CNY", "人民币": "CNY", "元人民币": "CNY", "亿元": "CNY", "€": "EUR", "eur": "EUR",
    "euro": "EUR", "euros": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP", "yen": "JPY",
    "jpy": "JPY", "日元": "JPY", "roubles": "RUB", "rubles": "RUB", "rub": "RUB", "won": "KRW", "krw": "KRW",
    "rupees": "INR", "inr": "INR",
}  # fmt: skip

QUAL_BEFORE = re.compile(
    r"(?P<q>more than|well over|over|nearly|almost|about|around|approximately|approx\.|roughly|some|circa|"
    r"up to|at least|as many as|as much as|at most|no more than|no fewer than|no less than|not less than|"
    r"less than|fewer than|under|below|above|close to|nearing|nears|approaching|exceeds|exceeded|exceeding|"
    r"exceed|surpassed|surpasses|passed|topped|crossed|upwards of|in excess of|just under|just over|"
    r"an estimated|estimated|"
    r"将近|接近|近乎|近|大约|约为|约|超过|逾|超|至少|不少于|不到|不足|少于|最多|不超过)"
    r"(?:\s+(?:a|an|the|of))?\s*(?:达到|达)?\s*$",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_REF_BEFORE = re.compile(
    r"(?:\b(?:Table|Tables|Figure|Fig\.|Figures|Section|Chapter|Article|Note|note|No\.|Nos\.|number|page|p\.|"
    r"pp\.|Version|version|v\.|Level|level|Phase|phase|Rule|rule|Item|item|Annex|Appendix|Step|step|top|Top)"
    r"|" + _MONTH + r"|[\[(]|[A-Za-z]-|表|图|第|附录|附件)\s*$"
)
_AFTER_NOT_CLAIM = re.compile(
    r"^(?:\s*[-–]?\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|"
    r"year-old|pm|am|p\.m\.|a\.m\.|st|nd|rd|th)\b|\]|\s*(?:月|日|年(?!代)|号|时|点|分钟|小时|天|周)|\s+"
    + _MONTH
    + r"|-(?:year|month|week|day|hour|minute)\b)",
    re.IGNORECASE,
)

_WORD_NUM = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|trillion)"
)
_WORDS = re.compile(rf"(?<![A-Za-z\-])(?P<w>{_WORD_NUM}(?:(?:\s+and\s+|[\s-]+){_WORD_NUM})*)(?![A-Za-z])", re.I)
_SMALL_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a": 1, "an": 1,
}  # fmt: skip
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                   "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}  # fmt: skip
_FRACTION = re.compile(
    r"(?<![A-Za-z])(?:(?P<num>a|an|one|two|three|four)[\s-]+(?P<den>half|third|thirds|quarter|quarters|fifth|fifths|"
    r"tenth|tenths)|(?<!first\s)(?<!second\s)(?P<half>half)(?!\s+(?:a|an)\b)(?!\s+of\s+(?:the\s+)?(?:year|(?:19|20)\d\d))|(?P<n2>one|two|three|four|five|six|seven|eight|nine)\s+in\s+"
    r"(?P<d2>two|three|four|five|six|seven|eight|nine|ten))(?![A-Za-z])",
    re.I,
)
_MULTIPLE = re.compile(
    r"(?<![A-Za-z])(?:(?P<n>\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)[\s-]?fold|(?P<t>\d+(?:\.\d+)?|[a-z]+)\s+times"
    r"|(?P<w>twice|doubled|doubling|tripled|trebled|quadrupled|halved))(?![A-Za-z])",
    re.I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "top": 1}  # fmt: skip
_SMALL_COUNT = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
# a place in a ranking ("ranked first", "came 3rd"), or a count within one ("seven of the top ten")
_RANK = re.compile(
    r"(?<![A-Za-z])(?:(?:ranked|ranks|ranking|placed|came|comes|stood)\s+(?:at\s+)?(?:number\s+)?"
    r"(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top|\d{1,2}(?:st|nd|rd|th))"
    rf"|(?P<k>{_SMALL_COUNT})\s+of\s+the\s+top\s+(?P<n>{_SMALL_COUNT}))(?![A-Za-z])",
    re.I,
)
_MULTIPLE_WORDS = {"twice": 2.0, "doubled": 2.0, "doubling": 2.0, "tripled": 3.0, "trebled": 3.0,
                   "quadrupled": 4.0, "halved": 0.5}  # fmt: skip
_ZH_NUM = re.compile(r"(?P<pre>百分之)?(?P<n>[零一二两三四五六七八九十百千万亿]+)(?P<post>件|篇|家|个|项|%|％)?")
_ZH_HALF = re.compile(r"一半|半数")


def _words_value(words: str) -> float | None:
    key = words.lower().strip()
    if key in _SMALL_WORDS:
        return float(_SMALL_WORDS[key])
    try:
        from text_to_num import text2num

        return float(text2num(key.replace(" and ", " "), "en"))
    except (ValueError, ImportError):
        return None


def _qualifier(sentence: str, start: int) -> tuple[str | None, int]:
    m = QUAL_BEFORE.search(sentence[max(0, start - 40) : start])
    if not m:
        return None, start
    return m.group("q"), start - len(m.group(0))


def _currency(raw: str | None) -> str | None:
    if not raw:
        return None
    key = " ".join(raw.lower().split())
    return CURRENCIES.get(key) or CURRENCIES.get(key.replace(" ", ""))


def _is_year(m: re.Match[str]) -> bool:
    num = m.group("num")
    return (
        len(num) == 4
        and num.isdigit()
        and 1900 <= int(num) <= 2100
        and not any(m.group(g) for g in ("pre", "mult", "mult_short", "pct", "post"))
    )


def _not_a_claim(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 14) : start]
    after = sentence[end : end + 14]
    if _REF_BEFORE.search(before):
        return True
    if _AFTER_NOT_CLAIM.match(after):
        return True
    return bool(re.match(r"^(?:s\b|'s\b)", after))  # "the 1990s"


def _make(sentence: str, offset: int, start: int, end: int, value: float, half: float, unit: str,
          form: str, post_q: str | None = None) -> Amount:  # fmt: skip
    qual, qstart = _qualifier(sentence, start)
    if post_q:
        qual = post_q
    return Amount(
        text=sentence[qstart:end].strip(),
        start=offset + qstart,
        end=offset + end,
        value=value,
        unit=unit,
        qualifier=qual,
        interval=interval(value, half, qual),
        form=form,
        half_unit=half,
    )


def quantities(sentence: str, offset: int = 0) -> list[Amount]:
    """Every quantity of ``sentence`` (offsets shifted by ``offset``), in order."""
    out: list[Amount] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    # ranks and multiples first: "seven of the top ten", "five times" must not also be counts
    for m in _RANK.finditer(sentence):
        if m.group("o"):
            o = m.group("o").lower()
            value = float(_ORDINALS.get(o) or int(re.sub(r"\D", "", o)))
            start = m.start("o")
        else:
            k = m.group("k").lower()
            value = float(int(k)) if k.isdigit() else float(_SMALL_WORDS.get(k, 0))
            start = m.start()
        out.append(_make(sentence, offset, start, m.end(), value, 0.0, "rank", "ordinal"))
        taken.append((m.start(), m.end()))
    for m in _MULTIPLE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        raw = m.group("n") or m.group("t")
        if m.group("w"):
            value, half = _MULTIPLE_WORDS[m.group("w").lower()], 0.05 * _MULTIPLE_WORDS[m.group("w").lower()]
        elif raw and raw[0].isdigit():
            value, half = parse_number(raw)
        else:
            v = _words_value(raw or "")
            if v is None:
                continue
            value, half = v, 0.5
        out.append(_make(sentence, offset, m.start(), m.end(), value, half, "times", "multiple"))
        taken.append((m.start(), m.end()))
    for m in _FRACTION.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        if m.group("half"):
            num, den = 1.0, 2
        elif m.group("n2"):
            num, den = float(_SMALL_WORDS[m.group("n2").lower()]), int(_SMALL_WORDS[m.group("d2").lower()])
        else:
            num, den = float(_SMALL_WORDS[m.group("num").lower()]), _FRACTION_WORDS[m.group("den").lower()]
        value = 100.0 * num / den
        # a fraction in words is as precise as a reader takes it: ±2.5% of its value
        out.append(_make(sentence, offset, m.start(), m.end(), value, value * 0.025, "percent", "fraction"))
        taken.append((m.start(), m.end()))
    for m in _ZH_HALF.finditer(sentence):
        if free(m.start(), m.end()):
            out.append(_make(sentence, offset, m.start(), m.end(), 50.0, 1.25, "percent", "fraction"))
            taken.append((m.start(), m.end()))
    for m in _MENTION.finditer(sentence):
        if not free(m.start(), m.end()) or _is_year(m):
            continue
        # "(4,856)" after a name is a figure of a list, not a reference marker like "(2)" or "[12]"
        listed = "," in m.group("num") and sentence[max(0, m.start() - 1) : m.start()] == "("
        if _not_a_claim(sentence, m.start(), m.end()) and not (m.group("pct") or m.group("pre") or listed):
            continue
        mult = m.group("mult") or m.group("mult_short")
        cur = _currency(m.group("pre")) or _currency(m.group("post"))
        if mult is None and (m.group("post") or "") == "亿元":
            mult = "亿"
        if m.group("mult_short") and not cur:
            continue  # "5m" without a currency is more likely metres than millions
        value, half = parse_number(m.group("num"), mult)
        unit = "percent" if m.group("pct") else (cur or "count")
        post_q = m.group("post_q")
        out.append(_make(sentence, offset, m.start(), m.end(), value, half, unit, "digits", post_q))
        taken.append((m.start(), m.end()))
    for m in _WORDS.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        words = m.group("w")
        if words.lower() in ("one", "a", "an") or _not_a_claim(sentence, m.start(), m.end()):
            continue
        if words.lower() in ("hundred", "thousand", "million", "billion", "trillion"):  # "per million people"
            continue
        wv = _words_value(words)
        if wv is None:
            continue
        value = wv
        rest = sentence[m.end() : m.end() + 20]
        pct = re.match(r"\s*(?:percent|per cent|%)", rest, re.I)
        end = m.end() + (pct.end() if pct else 0)
        _, half = parse_number(str(int(value))) if value == int(value) else (value, 0.5)
        half = min(half, 0.5 * 10 ** max(0, len(str(int(value))) - 2)) if value >= 100 else 0.5
        out.append(_make(sentence, offset, m.start(), end, value, half, "percent" if pct else "count", "words"))
        taken.append((m.start(), end))
    for m in _ZH_NUM.finditer(sentence):
        if not free(m.start(), m.end()) or not (m.group("pre") or m.group("post")):
            continue
        if re.match(r"[月日年号]", sentence[m.end() : m.end() + 1]):
            continue
        try:
            import cn2an

            value = float(cn2an.cn2an(m.group("n"), "smart"))
        except (ValueError, ImportError, KeyError):
            continue
        digits = str(int(value))
        half = 0.5 * 10 ** (len(digits) - len(digits.rstrip("0"))) if value else 0.5
        is_pct = bool(m.group("pre")) or m.group("post") in ("%", "％")
        out.append(_make(sentence, offset, m.start(), m.end(), value, half, "percent" if is_pct else "count", "zh"))
        taken.append((m.start(), m.end()))
    out.sort(key=lambda q: q.start)
    return out
