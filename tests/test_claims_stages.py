"""The segment and quantities stages of the checker, and the corpus loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.claims.evaluate import load_corpus
from aieco.claims.quantities import quantities
from aieco.claims.segment import segment
from aieco.errors import InputError

CORPUS = Path(__file__).resolve().parent / "claims"


def test_sentences_keep_abbreviations_and_the_dateline():
    sg = segment(
        "BEIJING, March 5, 2016 - China received about 4,900.\n"
        "The budget was 100 billion yuan (about 14 billion U.S. dollars). The U.S. spent more."
    )
    assert sg.dateline == "2016-03-05"
    texts = [s.text for s in sg.sentences]
    assert "The budget was 100 billion yuan (about 14 billion U.S. dollars)." in texts
    assert "The U.S. spent more." in texts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The forum opened on June 3 in Tianjin.", []),
        ("The figures are in Table 2 and Figure 4 of the report [12].", []),
        ("It took twelve years for the office to catch up.", []),
        ("论坛于3月8日在天津开幕。", []),
        ("China's share of AI patents was 48pc in 2020.", [(48.0, "percent")]),
        ("Korea's office received eight hundred and forty-four AI documents.", [(844.0, "count")]),
        ("2015年，日本人工智能专利文献一千七百件。", [(1700.0, "count")]),
        ("2015年，中国占全球的百分之四十。", [(40.0, "percent")]),
        ("Korea's AI patent documents nearly doubled in 2016.", [(2.0, "times")]),
        ("Russia: 650 billion roubles.", [(650e9, "RUB")]),
    ],
)
def test_quantities(sentence, expected):
    assert [(q.value, q.unit) for q in quantities(sentence)] == expected


def test_fractions_in_words_have_intervals():
    [q] = quantities("Nearly three in four AI patent families were Chinese.")
    assert q.value == 75.0 and q.interval.label() == "[67.5, 75)"
    [q] = quantities("超过一半")
    assert q.interval.label() == "(50, inf)"


def test_corpus_is_large_and_well_formed(tmp_path):
    items = load_corpus(CORPUS)
    assert len(items) >= 250
    assert {i["lang"] for i in items} == {"en", "zh"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        '- {id: x, cls: c, text: "abc", claims: [{span: "zz", subject: null, measure: count, '
        "unit: null, period: null, verdict: ambiguous}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="span 'zz' is not in the text"):
        load_corpus(bad)


# --- the whole checker on arbitrary text: never a traceback, offsets always into the text ------------------

_PIECES = [
    "China", "the US", "Korea's office", "Germany and France together", "worldwide", "In 2015,", "between 2010 and",
    "2017", "since 2008", "the following year", "about", "more than", "nearly", "1,708", "4.8%", "a quarter",
    "fivefold", "doubled", "rose 77%", "fell by", "600 billion yuan", "($83.45 billion)", "AI patent documents",
    "families", "granted", "per million people", "respectively", "These firms", "Among them is DeepSeek", "。",
    "截至2023年底", "37.8万件", "超过一半", "约5万件", "[12]", "Table 2", "June 3", "U.S.", "e.g.", ".", ",", "(",
    ")", "\n", "the country's share was", "of those patents", "during the period", "six hundred and eleven",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from([None, "2025-06-01"]))
def test_any_text_gives_rows_with_offsets_into_it(pieces, as_of):
    from aieco.claims import check
    from aieco.errors import InputError

    text = " ".join(pieces)
    try:
        rows = check(text, None, as_of=as_of).rows()
    except InputError:
        assert not text.strip()
        return
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["verdict"] != "contradicted"  # without data nothing is contradicted


def test_a_chinese_dateline_anchors_last_year():
    from aieco.claims import extract

    assert segment("新华社北京2025年3月8日电 去年我国人工智能专利申请超过5万件。").dateline == "2025-03-08"
    [c] = extract("新华社北京2025年3月8日电 去年我国人工智能专利申请超过5万件。")
    assert (c.period.start, c.period.end) == ("2024-01-01", "2024-12-31")
