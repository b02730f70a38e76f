from __future__ import annotations

from datetime import date

import pytest

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure import method as mth
from aieco.measure.grid import grid, refused
from aieco.model import Method
from fixtures_measure import tiny_store

# (doc_id, office, family, priority year, granted[, priority office])
DOCS = [
    (1, "CN", "F1", 2016, False, "CN"),
    (2, "US", "F1", 2017, True),
    (3, "IN", "F2", 2016, False),
    (4, "CN", "F2", 2016, False),
    (5, "IN", "F3", 2017, True),
    (6, "EP", "F4", 2017, False),
    (7, "CN", "F5", None, False),
]
PARTIES = [(1, "applicant", "CN"), (1, "applicant", "US"), (3, "applicant", "IN"), (3, "applicant", None)]


@pytest.fixture
def tiny(tmp_path):
    store, sha = tiny_store(tmp_path / "t.duckdb", DOCS, PARTIES)
    yield store, sha
    store.close()


def pick(rows, subject, unit, counting, attribution="office"):
    (row,) = [r for r in rows if (r["subject"], r["unit"], r["counting"], r["attribution"])
              == (subject, unit, counting, attribution)]
    return row


def test_units_countings_and_year_correct_groups(tiny):
    store, sha = tiny
    rows = grid(store, country="CN", group="SCO")
    # documents: one office each, so whole == fractional
    assert (pick(rows, "CN", "document", "whole")["value"], pick(rows, "CN", "document", "whole")["world"]) == (2, 6)
    assert pick(rows, "CN", "document", "fractional")["value"] == 2.0
    # India joins the SCO in 2017: its 2016 document does not count, its 2017 one does
    assert pick(rows, "SCO", "document", "whole")["by_year"] == {2016: 2, 2017: 1}
    # families: F1 {CN, US}, F2 {IN, CN}, F3 {IN}, F4 {EP}; F5 has no year
    fam = pick(rows, "CN", "family", "whole")
    assert (fam["value"], fam["world"], fam["share"]) == (2, 4, 0.5)
    assert pick(rows, "CN", "family", "fractional")["value"] == 1.0
    assert pick(rows, "SCO", "family", "whole")["value"] == 3
    assert pick(rows, "SCO", "family", "fractional")["value"] == 2.0
    # granted families: F1 and F3
    assert pick(rows, "CN", "granted-family", "whole")["world"] == 2
    assert pick(rows, "CN", "granted-family", "fractional")["value"] == 0.5
    assert pick(rows, "SCO", "granted-family", "fractional")["value"] == 1.5
    # applicant countries: doc 1 {CN, US}, doc 3 {IN}
    app = pick(rows, "CN", "document", "fractional", "applicant")
    assert (app["value"], app["world"]) == (0.5, 2.0)
    assert pick(rows, "CN", "document", "whole", "priority-office")["value"] == 1
    r = rows[0]
    assert r["source_sha256"] == sha and r["definition"] == "all" and r["period"] == "2016-2017"
    assert set(r) >= {"subject", "source", "unit", "attribution", "counting", "date_basis", "definition",
                      "definition_version", "category", "period", "value", "world", "share", "incomplete_years",
                      "source_sha256"}


def test_period_filter(tiny):
    store, _ = tiny
    rows = grid(store, country="CN", years=(2017, 2017))
    assert pick(rows, "CN", "document", "whole")["value"] == 0
    assert pick(rows, "CN", "document", "whole")["world"] == 3


def test_refused_methods_name_the_missing_field(tiny):
    store, _ = tiny
    no = refused(store)
    reasons = {r["reason"] for r in no if r["attribution"] == "inventor" and r["date_basis"] == "priority"
               and r["unit"] == "document"}
    assert reasons == {"attribution inventor needs parties.country (role inventor), which no loaded tiny "
                       "document has"}
    assert any("documents.filing_year" in r["reason"] for r in no)
    with pytest.raises(UnsupportedMethod, match="parties.country \\(role inventor\\)"):
        mth.require(store, Method(attribution="inventor"), "tiny")


def test_definition_without_classified_is_refused(tiny):
    store, _ = tiny
    if store.has_table("classified"):
        with pytest.raises(UnknownName, match="has not been applied"):
            grid(store, country="CN", definition="nope")
    else:
        with pytest.raises(UnsupportedMethod, match="classified"):
            grid(store, country="CN", definition="nope")


def test_unknown_parameters():
    with pytest.raises(UnknownName, match="known: document"):
        mth.check_method(Method(unit="patent"))
    with pytest.raises(UnknownName, match="date basis"):
        mth.check_method(Method(date_basis="grant"))


def test_incomplete_years_publication_lag():
    end = date(2020, 3, 31)
    assert mth.incomplete_years("priority", end, (2000, 2019)) == [2018, 2019]
    assert mth.incomplete_years("filing", date(2019, 6, 30), (2016, 2019)) == [2018, 2019]
    assert mth.incomplete_years("filing", date(2019, 6, 29), (2016, 2019)) == [2017, 2018, 2019]
    assert mth.incomplete_years("publication", end, (2018, 2020)) == [2020]
    assert mth.incomplete_years("priority", None, (2000, 2019)) == []


@pytest.fixture
def rand(tmp_path):
    from fixtures_measure import random_store

    store, _ = random_store(tmp_path / "r.duckdb")
    yield store
    store.close()


def test_batched_grid_equals_one_query_per_method(rand):
    """grid() answers all methods of a unit key in one query; each method's own query gives the same counts."""
    from aieco.measure.engines import engine_for
    from aieco.measure.grid import _supported, grid_per_year, per_year_counts, resolve_subject, scopes

    subjects = [resolve_subject(country="CN"), resolve_subject(group="SCO"), resolve_subject(group="EU"),
                resolve_subject(country="EP")]
    eng = engine_for(rand, "duckdb")
    (scope,) = scopes(rand)
    supported, refused_ = _supported(rand, scope)
    assert len(supported) == 4 * 4 * 3 and not refused_  # every field is present: the whole grid
    for years in (None, (2005, 2012)):
        batched = grid_per_year(eng, supported, scope.filter, subjects, years)
        for m in supported:
            want = per_year_counts(eng, m, scope.filter, subjects)
            got = batched[(m.unit, m.attribution, m.date_basis)]
            if years is not None:
                want = [r for r in want if years[0] <= r["year"] <= years[1]]
                got = [r for r in got if years[0] <= r["year"] <= years[1]]
            assert [(r["year"], r["world"]) for r in got] == [(r["year"], r["world"]) for r in want], m
            for g, w in zip(got, want, strict=True):
                for i in range(len(subjects)):
                    assert g[f"w{i}"] == w[f"w{i}"], (m, i, g["year"])
                    assert g[f"f{i}"] == pytest.approx(w[f"f{i}"], rel=1e-12, abs=1e-12), (m, i, g["year"])
    rows = grid(rand, country="CN", group="SCO", years=(2005, 2012))
    assert len(rows) == 4 * 4 * 3 * 2 * 2


def test_source_sha256_names_first_and_enriching_runs(tiny):
    store, sha = tiny
    con = store.con
    con.execute("INSERT INTO runs (run_id, kind, path, sha256, started_at, aieco_version) VALUES "
                "(2, 'test', 'enrich', 'b-enrich', now(), 'test'), (3, 'test', 'other', 'c-other', now(), 'test')")
    con.execute("INSERT INTO document_sources VALUES (3, 2, 1)")  # run 2 enriched document 3 of tiny
    con.execute("INSERT INTO documents (doc_id, run_id, source, office, number) VALUES (99, 3, 'other', 'US', '99')")
    con.execute("INSERT INTO document_sources VALUES (99, 3, 1)")
    assert mth.source_sha256(store, "tiny") == ";".join(sorted([sha, "b-enrich"]))
    assert mth.source_sha256(store, "other") == "c-other"
