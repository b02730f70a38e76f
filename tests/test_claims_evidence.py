"""The evidence stage: AI sources only, each question asked once per store, periods summed from the years the
grid counts (and equal to the grid's own answer for that period), the aggregate tables as one more provider."""

from __future__ import annotations

import pytest

from aieco.claims import check
from aieco.claims import evidence as evidence_mod
from aieco.measure import grid as grid_mod
from fixtures_measure import tiny_store

DOCS = [
    # doc_id, office, family, priority year, granted
    (1, "CN", "f1", 2015, False),
    (2, "CN", "f2", 2015, True),
    (3, "US", "f3", 2015, False),
    (4, "CN", "f4", 2016, False),
    (5, "KR", "f5", 2016, False),
    (6, "CN", "f6", 2017, False),
    (7, "CN", "f7", 2019, False),  # CSET/1790 ends in March 2020: priority years 2018-19 are incomplete
]


@pytest.fixture
def ai_store(tmp_path):
    store, _ = tiny_store(tmp_path / "ai.duckdb", DOCS, source="cset1790")
    yield store
    store.close()


def test_a_period_is_the_sum_of_its_years_and_agrees_with_the_grid(ai_store):
    ev = evidence_mod.Evidence(ai_store)
    answer = ev.answer("CN", "country")
    [doc] = [s for s in answer.series if s.unit == "document" and s.counting == "whole"]
    assert doc.values == {2015: 2.0, 2016: 1.0, 2017: 1.0, 2019: 1.0} and doc.incomplete == {2018, 2019}
    assert doc.value(2015, 2016) == (3.0, 5.0)
    rows = grid_mod.grid(ai_store, country="CN", years=(2015, 2016), source="cset1790")
    [row] = [r for r in rows if (r["unit"], r["counting"], r["attribution"]) == ("document", "whole", doc.attribution)]
    assert (row["value"], row["world"]) == (3, 5)


def test_each_subject_is_asked_once_per_store(ai_store, monkeypatch):
    calls = []
    real = grid_mod.grid_per_year

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(grid_mod, "grid_per_year", counting)
    monkeypatch.setattr(evidence_mod, "_STORES", {})
    text = (
        "China's office received 2 AI patent documents in 2015. In 2016 China's office received 1 AI patent document."
    )
    first = check(text, ai_store).rows()
    n = len(calls)
    assert n >= 1 and [r["verdict"] for r in first] == ["supported", "supported"]
    again = check("From 2015 to 2017, China's office received 4 AI patent documents.", ai_store).rows()
    assert len(calls) == n and again[0]["verdict"] == "supported"  # the same subject: no new grid query


def test_samples_are_never_counted_as_methods(tmp_path):
    store, _ = tiny_store(tmp_path / "lens.duckdb", DOCS, source="lens")
    try:
        [r] = check("In 2015, China's office received 2 AI patent documents.", store).rows()
    finally:
        store.close()
    assert r["verdict"] == "not-checkable-with-loaded-data"
    assert "no source of AI patent documents" in r["message"] and r["evidence"]["methods"] == []


def test_a_floor_cannot_contradict_a_lower_bound(ai_store):
    [r] = check("In 2019, China's office received more than 5 AI patent documents.", ai_store).rows()
    assert r["verdict"] == "not-checkable-with-loaded-data" and "a floor (2019 incomplete)" in r["message"]
    [r] = check("In 2017, China's office received more than 5 AI patent documents.", ai_store).rows()
    assert r["verdict"] == "contradicted"  # 2017 is complete: 1 document
    [r] = check("In 2019, China's office received fewer than 1 AI patent document.", ai_store).rows()
    assert r["verdict"] == "contradicted"  # the floor (1) already reaches the claim's upper bound


def test_firm_claims_name_the_registry_that_would_decide_them():
    rows = check("Over 400 “little giant” firms have been cultivated. Among them is DeepSeek.", None).rows()
    assert [r["verdict"] for r in rows] == ["not-checkable-with-loaded-data"] * 2
    assert all("a firm registry (aieco ingest firms PATH --registry NAME)" in r["message"] for r in rows)


def test_a_rank_is_decided_among_every_country(ai_store, monkeypatch):
    monkeypatch.setattr(evidence_mod, "_STORES", {})
    [r] = check("In 2015, China ranked first in AI patent documents.", ai_store).rows()
    assert r["kind"] == "rank" and r["verdict"] == "supported"
    [r] = check("In 2015, the US ranked first in AI patent documents.", ai_store).rows()
    assert r["verdict"] == "contradicted" and "rank 2" in r["message"]
