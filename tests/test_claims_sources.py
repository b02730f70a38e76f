"""The checker counts AI patents on any classified patent store: a synthetic PATSTAT (or Google) corpus,
ingested and classified by the shipped definitions, decides a claim about China's share of AI patent families
with evidence naming the source, the definition, its version and the source's sha256; a year outside the
corpus is not checkable, saying why; a small source beside a census is named as a sample, not counted."""

from __future__ import annotations

import pytest

from aieco.claims import check
from aieco.classify import load_definitions
from aieco.classify.compiler import classify
from aieco.classify.definitions import get_definition
from aieco.measure import census
from aieco.measure.grid import grid
from aieco.measure.overview import ecosystem
from aieco.sources.google import GoogleReader
from aieco.sources.patstat import PatstatReader
from aieco.store import open_store
from aieco.store.ingest import ingest
from aieco.synth import synth_google, synth_patstat
from conftest import shared_path

LAYOUTS = {"patstat": (synth_patstat, PatstatReader), "google": (synth_google, GoogleReader)}
DEFINITION = "cset-1790"


def _load(path, layout: str, docs: int, seed: int, store) -> None:
    write, reader = LAYOUTS[layout]
    corpus = write(docs, path, seed=seed, data_dir=shared_path("patstat-leusin").parent)
    run = ingest(store, reader(), corpus.out).run
    assert run.rows_rejected == 0


@pytest.fixture(scope="module", params=list(LAYOUTS))
def synth_store(request, tmp_path_factory):
    """`aieco synth --docs 2000 --seed 1` in one layout, ingested and classified by every shipped definition."""
    layout = request.param
    tmp = tmp_path_factory.mktemp(layout)
    store = open_store(tmp / "s.duckdb")
    _load(tmp / "corpus", layout, 2000, 1, store)
    classify(store, load_definitions())
    yield layout, store
    store.close()


def _share(store, source: str, year: int) -> float:
    """China's share of AI families by office of first filing in ``year`` under the definition, as the grid
    counts it on its own (not through the checker)."""
    rows = grid(store, country="CN", years=(year, year), definition=DEFINITION, source=source)
    [row] = [
        r
        for r in rows
        if (r["unit"], r["attribution"], r["counting"], r["date_basis"])
        == ("family", "priority-office", "whole", "priority")
    ]
    return 100.0 * row["value"] / row["world"]


def _covered_year(store, source: str) -> int:
    """The covered year in which China first filed the most AI families (a share well above zero)."""
    [cand] = [a for a in census.ai_sources(store) if (a.source, a.definition) == (source, DEFINITION)]
    assert cand.counted, cand.reason
    first, last = cand.years
    best = store.query(
        "SELECT d.priority_year FROM documents d JOIN classified c USING (doc_id) WHERE c.definition = ? "
        "AND c.category = '' AND d.source = ? AND d.priority_office = 'CN' AND d.priority_year BETWEEN ? AND ? "
        "GROUP BY 1 ORDER BY count(DISTINCT d.family_id) DESC, 1 DESC LIMIT 1",
        [DEFINITION, source, first, last],
    )
    return int(best[0][0])


def _claim(year: int, pct: float) -> str:
    return f"In {year}, China accounted for {pct:.1f}% of the world's AI patent families first filed in any office."


def _methods(result: dict, source: str) -> list[dict]:
    return [
        m
        for m in result["evidence"]["methods"]
        if m["source"] == source and m["definition"] == DEFINITION and m["unit"] == "family"
    ]


def test_a_share_in_a_covered_year_is_decided_by_the_classified_source(synth_store):
    source, store = synth_store
    year = _covered_year(store, source)
    share = _share(store, source, year)
    assert 0 < share < 100
    [result] = check(_claim(year, share), store, as_of="2020-01-01").rows()
    assert result["verdict"] in ("supported", "supported-under-some-methods"), result["message"]
    ours = _methods(result, source)
    assert ours and all(m["reproduces"] is True for m in ours)
    assert all(m["compared"] == pytest.approx(share) for m in ours if m["counting"] == "whole")
    sha = ";".join(r[0] for r in store.query("SELECT DISTINCT sha256 FROM runs WHERE kind = ? ORDER BY 1", [source]))
    version = get_definition(DEFINITION).version
    for m in ours:
        assert (m["definition_version"], m["source_sha256"], m["attribution"]) == (version, sha, "priority-office")
        assert (m["provider"], m["date_basis"]) == ("grid", "priority")
        first, last = map(int, m["covered_years"].split("-"))
        assert first <= year <= last
    assert source in result["message"] and DEFINITION in result["message"]
    # every source's series is listed, and a definition of one technique (genai) is not among them
    assert {m["definition"] for m in result["evidence"]["methods"]} <= {"core-ai-cpc", "cset-1790", "cset-1790-zh"}
    assert any("genai" in s for s in result["evidence"]["samples"])


def test_a_share_the_corpus_does_not_give_is_not_reproduced(synth_store):
    source, store = synth_store
    year = _covered_year(store, source)
    share = _share(store, source, year)
    wrong = share + 30 if share < 50 else share - 30
    [result] = check(_claim(year, wrong), store, as_of="2020-01-01").rows()
    ours = _methods(result, source)
    assert ours and all(m["reproduces"] is False for m in ours)
    assert result["verdict"] in ("contradicted", "supported-under-some-methods")


def test_a_year_outside_the_corpus_is_not_checkable_saying_why(synth_store):
    source, store = synth_store
    [cand] = [a for a in census.ai_sources(store) if (a.source, a.definition) == (source, DEFINITION)]
    year = cand.years[0] - 5
    [result] = check(_claim(year, 40.0), store, as_of="2020-01-01").rows()
    assert result["verdict"] == "not-checkable-with-loaded-data"
    assert f"the claim is for {year}" in result["message"] and "the data covers" in result["message"]
    assert f"covers {cand.years[0]}" in result["message"]


def test_a_small_source_beside_a_census_is_a_sample_not_counted(tmp_path):
    """2,000 synthetic PATSTAT applications and 100 in the Google layout (another seed) in one store: the
    Google source holds far fewer AI documents in every year, so it is named with why, never counted."""
    with open_store(tmp_path / "two.duckdb") as store:
        _load(tmp_path / "big", "patstat", 2000, 1, store)
        _load(tmp_path / "small", "google", 100, 7, store)
        classify(store, load_definitions())
        by = {(a.source, a.definition): a for a in census.ai_sources(store)}
        assert by[("patstat", DEFINITION)].counted
        small = by[("google", DEFINITION)]
        assert not small.counted and "a sample" in small.reason and "25% or more" in small.reason
        year = _covered_year(store, "patstat")
        [result] = check(_claim(year, _share(store, "patstat", year)), store, as_of="2020-01-01").rows()
        assert {m["source"] for m in result["evidence"]["methods"]} == {"patstat"}
        assert any(s.startswith("google: ") and "a sample" in s for s in result["evidence"]["samples"])
        # the report's grids follow the same rule
        eco = ecosystem(store, country="CN", years=(year, year))
        assert {r.source for r in eco.shares.rows} == {"patstat"}


def test_coverage_rule_offices_and_runs():
    assert census.covered_run([]) is None
    assert census.covered_run({1999, 2001, 2002}) == (2001, 2002)
    assert census.covered_run({2001, 2002, 2005, 2006}) == (2005, 2006)  # the latest of equal runs
    assert census.covered_run({2001, 2004}, bridge={2002, 2003}) == (2001, 2004)
    assert census.covered_run(set(), bridge={2002}) is None  # a bridge alone is no coverage


def test_ranks_list_every_country_of_a_classified_source(synth_store):
    """A rank needs every country's value: asked of the classified source once, equal to the grid's."""
    from aieco.claims.evidence import Evidence

    source, store = synth_store
    year = _covered_year(store, source)
    ev = Evidence(store)
    [cn] = [
        s
        for s in ev.answer("CN", "country").series
        if (s.source, s.definition, s.unit, s.attribution, s.counting)
        == (source, DEFINITION, "family", "priority-office", "whole")
        and s.date_basis == "priority"
    ]
    peers = dict(ev.peers(cn, year, year))
    assert peers["CN"] == cn.value(year, year)[0] and len(peers) > 3
    for country in ("US", "JP"):
        rows = grid(store, country=country, years=(year, year), definition=DEFINITION, source=source)
        [row] = [
            r
            for r in rows
            if (r["unit"], r["attribution"], r["counting"], r["date_basis"])
            == ("family", "priority-office", "whole", "priority")
        ]
        assert peers.get(country, 0.0) == row["value"]
