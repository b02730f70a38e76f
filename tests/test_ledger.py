"""The reference ledger: every figure well-formed and cited, qualifiers read as the same words in a text, and
claims matched to published figures only when they restate them (same subject, measure and period)."""

from __future__ import annotations

import pycountry
import pytest

from aieco.claims.check import check
from aieco.claims.ledger import figure_interval, figures, ledger, value_label
from aieco.errors import DefinitionError

SEED = (
    "As of April 2025, China's core AI industry reached nearly 600 billion yuan (about 83.45 billion U.S. "
    "dollars). China has filed more than 1.5 million AI-related patents. This accounts for nearly 40% of all "
    "global applications. Over 400 “little giant” firms have been cultivated."
)


def _ledger_ids(claims, span: str) -> list[str]:
    (c,) = [c for c in claims if span in c["text"]]
    return [m["id"] for m in c["ledger"]["matches"]]


def test_every_figure_is_well_formed_and_cited() -> None:
    assert ledger()["version"] >= 2
    ids = [f["id"] for f in figures()]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    for f in figures():
        assert f["unit"] in ("count", "percent") or pycountry.currencies.get(alpha_3=f["unit"]), f["id"]
        assert f["subject"] == "world" or pycountry.countries.get(alpha_2=f["subject"]), f["id"]
        assert f["citation"].get("publisher") and f["citation"].get("title"), f["id"]
        # a figure read on a page that is not the publisher's own says who reported it
        assert "url" in f["citation"], f["id"]
        if f["citation"]["url"] and "reported_by" not in f["citation"]:
            assert any(d in f["citation"]["url"] for d in ("wipo.int", "github.com", "stanford.edu")), f["id"]


def test_qualifiers_are_read_as_the_same_words_in_a_text() -> None:
    fig = {"id": "x", "value": 1_500_000, "unit": "count", "qualifier": "more-than"}
    iv = figure_interval(fig)
    assert (iv.lo, iv.hi, iv.lo_open) == (1_500_000, None, True)
    iv = figure_interval({"id": "y", "value": 40, "unit": "percent", "qualifier": "nearly"})
    assert (iv.lo, iv.hi, iv.hi_open) == (36, 40, True)
    assert figure_interval({"id": "z", "value": 7, "unit": "count"}).label() == "[7, 7]"
    assert value_label({"value": 400, "unit": "count", "qualifier": "more-than"}) == "more than 400 count"
    with pytest.raises(DefinitionError, match="unknown qualifier 'roughly-ish'"):
        figure_interval({"id": "bad", "value": 1, "unit": "count", "qualifier": "roughly-ish"})


def test_the_seed_figures_match_ndrc_statement() -> None:
    claims = check(SEED, None, as_of="2025-05-29").rows()
    assert "ndrc-2025-cn-core-ai-industry-size" in _ledger_ids(claims, "600 billion yuan")
    assert "ndrc-2025-cn-core-ai-industry-size-usd" in _ledger_ids(claims, "83.45")
    assert "ndrc-2025-cn-ai-applications" in _ledger_ids(claims, "1.5 million")
    assert "ndrc-2025-cn-share-applications" in _ledger_ids(claims, "nearly 40%")
    assert "ndrc-2025-cn-ai-little-giant-firms" in _ledger_ids(claims, "400")


def test_a_claim_matches_only_a_figure_it_restates() -> None:
    # an open interval far below the published figures, another subject, another period: no match
    text = (
        "China has filed more than 250,000 AI-related patents. Japan has filed more than 1.5 million "
        "AI-related patents. In 2015 China's core AI industry reached nearly 600 billion yuan."
    )
    claims = check(text, None, as_of="2025-05-29").rows()
    assert _ledger_ids(claims, "250,000") == []
    assert _ledger_ids(claims, "1.5 million") == []
    assert _ledger_ids(claims, "600 billion") == []
