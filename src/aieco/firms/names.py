"""Normalised firm names for matching: pure functions, no dependencies beyond the standard library.

``name_key`` folds width (NFKC: full-width to half-width), case and punctuation, and removes legal forms
(Chinese and English) at the end of a name. ``place_prefix`` splits a leading place (北京 / Beijing /
SZ ...) off as a separate feature: it is kept for comparison, never silently deleted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, NamedTuple

# Longest first, so 股份有限公司 is removed as a whole rather than leaving 股份.
CHINESE_LEGAL_FORMS = tuple(
    sorted(
        (
            "有限公司",
            "股份有限公司",
            "有限责任公司",
            "有限責任公司",
            "股份有限公司",
            "集团有限公司",
            "集團有限公司",
            "集团股份有限公司",
            "集团",
            "集團",
            "公司",
            "控股",
            "有限合伙",
            "有限合夥",
        ),
        key=len,
        reverse=True,
    )
)

ENGLISH_LEGAL_FORMS = tuple(
    sorted(
        (
            "co ltd",
            "company limited",
            "co limited",
            "limited",
            "ltd",
            "inc",
            "incorporated",
            "corp",
            "corporation",
            "llc",
            "gmbh",
            "ag",
            "kk",
            "k k",
            "sa",
            "s a",
            "nv",
            "bv",
            "plc",
            "co",
            "company",
            "group",
            "holdings",
            "holding",
            "sarl",
            "srl",
            "spa",
            "oy",
            "ab",
            "as",
            "pte",
            "pty",
            "se",
            # the Chinese forms in pinyin, as romanised names carry them (Dajiang Chuangxin Keji Youxian Gongsi)
            "youxian gongsi",
            "gufen youxian gongsi",
            "youxian zeren gongsi",
            "jituan",
        ),
        key=len,
        reverse=True,
    )
)

PLACES = {
    "北京": "beijing",
    "北京市": "beijing",
    "beijing": "beijing",
    "上海": "shanghai",
    "上海市": "shanghai",
    "shanghai": "shanghai",
    "深圳": "shenzhen",
    "深圳市": "shenzhen",
    "shenzhen": "shenzhen",
    "sz": "shenzhen",
    "杭州": "hangzhou",
    "杭州市": "hangzhou",
    "hangzhou": "hangzhou",
    "广州": "guangzhou",
    "广州市": "guangzhou",
    "guangzhou": "guangzhou",
    "天津": "tianjin",
    "天津市": "tianjin",
    "tianjin": "tianjin",
    "南京": "nanjing",
    "南京市": "nanjing",
    "nanjing": "nanjing",
    "苏州": "suzhou",
    "苏州市": "suzhou",
    "suzhou": "suzhou",
    "成都": "chengdu",
    "成都市": "chengdu",
    "chengdu": "chengdu",
    "武汉": "wuhan",
    "武汉市": "wuhan",
    "wuhan": "wuhan",
}
# More cities (city, 市) and provinces (province, 省), each also in pinyin.
for _zh, _py, _suffix in (
    ("西安", "xian", "市"), ("重庆", "chongqing", "市"), ("青岛", "qingdao", "市"), ("厦门", "xiamen", "市"),
    ("合肥", "hefei", "市"), ("东莞", "dongguan", "市"), ("珠海", "zhuhai", "市"), ("宁波", "ningbo", "市"),
    ("无锡", "wuxi", "市"), ("长沙", "changsha", "市"), ("郑州", "zhengzhou", "市"), ("济南", "jinan", "市"),
    ("沈阳", "shenyang", "市"), ("大连", "dalian", "市"), ("福州", "fuzhou", "市"), ("佛山", "foshan", "市"),
    ("广东", "guangdong", "省"), ("浙江", "zhejiang", "省"), ("江苏", "jiangsu", "省"), ("山东", "shandong", "省"),
    ("四川", "sichuan", "省"), ("湖北", "hubei", "省"), ("湖南", "hunan", "省"), ("河南", "henan", "省"),
    ("河北", "hebei", "省"), ("福建", "fujian", "省"), ("安徽", "anhui", "省"), ("陕西", "shaanxi", "省"),
    ("辽宁", "liaoning", "省"),
):  # fmt: skip
    PLACES.update({_zh: _py, _zh + _suffix: _py, _py: _py})
_PLACES_LONGEST = tuple(sorted(PLACES, key=len, reverse=True))
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def fold(name: str) -> str:
    """Width (NFKC), traditional → simplified (OpenCC t2s), case and punctuation folded. Idempotent."""
    text = unicodedata.normalize("NFKC", name).casefold()
    if _CJK.search(text):
        text = _t2s().convert(text)
    text = _PUNCT.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    # NFKC after casefold can change again for a few characters; reach the fixed point.
    return text if text == name else fold(text)


def _strip_forms(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for form in CHINESE_LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text, changed = text[: -len(form)].rstrip(), True
                break
        else:
            for form in ENGLISH_LEGAL_FORMS:
                if text.endswith(" " + form):
                    text, changed = text[: -len(form) - 1].rstrip(), True
                    break
    return text


def place_prefix(name: str) -> tuple[str | None, str]:
    """(canonical place, the rest of the folded name) for a name starting with a known place."""
    text = fold(name)
    for place in _PLACES_LONGEST:
        if not text.startswith(place):
            continue
        rest = text[len(place) :]
        if _CJK.match(place) or rest.startswith(" ") or not rest:
            rest = rest.strip()
            if rest:
                return PLACES[place], rest
    return None, text


# Words patent offices abbreviate (Lens/DOCDB: "SHENZHEN AEE AVIAT TECH CO LTD", "HON HAI PREC IND") and
# plural forms, each to one spelling, so that "Aviation Technology" and "AVIAT TECH" give one key.
WORD_FORMS = {
    "tech": "technology", "techn": "technology", "technol": "technology", "technologies": "technology",
    "ind": "industry", "indus": "industry", "industries": "industry", "industrial": "industry",
    "inst": "institute", "univ": "university", "intl": "international", "int": "international",
    "mfg": "manufacturing", "manuf": "manufacturing", "res": "research", "dev": "development",
    "sci": "science", "sciences": "science", "eng": "engineering", "engn": "engineering",
    "chem": "chemical", "pharm": "pharmaceutical", "pharma": "pharmaceutical", "pharmaceuticals": "pharmaceutical",
    "lab": "laboratory", "labs": "laboratory", "laboratories": "laboratory", "natl": "national",
    "assoc": "association", "syst": "system", "sys": "system", "systems": "system",
    "electronics": "electronic", "electron": "electronic", "elec": "electric", "comm": "communication",
    "commun": "communication", "communications": "communication", "prec": "precision", "aviat": "aviation",
    "aerosp": "aerospace", "mach": "machinery", "equip": "equipment", "info": "information",
    "intell": "intelligent", "solutions": "solution", "products": "product", "innovations": "innovation",
}  # fmt: skip


def _word_forms(key: str) -> str:
    words = [WORD_FORMS.get(w, w) for w in key.split(" ")]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class NameKey(NamedTuple):
    place: str | None
    key: str


def _place_suffix(key: str) -> tuple[str | None, str]:
    """A place as the last word of a key (HONGFUJIN PREC IND SHENZHEN; 鸿富锦精密工业（深圳）), split off."""
    head, _, last = key.rpartition(" ")
    # "Bank of Dalian", "Universidad de …": the place is the name's own word
    if head and last in PLACES and head.rsplit(" ", 1)[-1] not in ("of", "de", "du", "von", "the", "and"):
        return PLACES[last], head
    return None, key


def name_key(name: str) -> NameKey:
    """The place feature and the folded name without place and legal forms (a place first or last)."""
    place, rest = place_prefix(name)
    key = _strip_forms(rest)
    if place is None and key:
        place, key = _place_suffix(key)
        key = _strip_forms(key)
    return NameKey(place, _word_forms(key or rest))


def pinyin_key(name: str) -> NameKey:
    """``name_key`` with Chinese characters spelt in toneless pinyin, syllables of a run joined.

    A candidate feature for comparing a Chinese name with a romanised one (深圳市大疆创新科技有限公司 gives
    (shenzhen, "dajiangchuangxinkeji")); many characters share a pinyin, so equal pinyin is evidence, not a
    link. Latin text is kept as it is.
    """
    from pypinyin import lazy_pinyin  # imported here: only callers that compare scripts pay for its tables

    place, key = name_key(name)
    out: list[str] = []
    for run in re.split(r"([\u3400-\u9fff]+)", key):
        if _CJK.match(run):
            out.append(" " + "".join(lazy_pinyin(run)) + " ")
        else:
            out.append(run)
    return NameKey(place, _SPACE.sub(" ", "".join(out)).strip())


class NameFeatures(NamedTuple):
    """What the matcher compares: script, place feature, key, and the key spelt in pinyin without spaces."""

    script: str  # han | latin
    place: str | None
    key: str
    pinyin: str


def features(name: str) -> NameFeatures:
    """The match features of a name (firm or applicant).

    >>> features("深圳市大疆创新科技有限公司")
    NameFeatures(script='han', place='shenzhen', key='大疆创新科技', pinyin='dajiangchuangxinkeji')
    >>> features("SZ DJI TECHNOLOGY CO LTD")
    NameFeatures(script='latin', place='shenzhen', key='dji technology', pinyin='djitechnology')
    """
    place, key = name_key(name)
    if _CJK.search(key):
        spelt = pinyin_key(name).key
        return NameFeatures("han", place, key, spelt.replace(" ", ""))
    return NameFeatures("latin", place, key, key.replace(" ", ""))
