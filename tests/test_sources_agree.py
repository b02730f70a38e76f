"""aieco sources-agree: CSET/1790 families against ETO first-filing families, per country and year."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import UnsupportedMethod
from aieco.measure.sources_agree import sources_agree
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path


def _load(store):
    ingest(store, reader_for("cset1790"), FIXTURES / "cset1790" / "agree.csv")
    ingest(store, reader_for("eto-cat"), FIXTURES / "eto" / "agree")
    return store


def test_two_series_and_their_ratio(store):
    res = sources_agree(_load(store), countries=("CN", "US"), years=(2016, 2017))
    got = {(r.country, r.year): (r.left, r.right, r.ratio) for r in res.rows}
    # CSET: a family counts at each office where it has a document (family 1 is in CN and US); two documents of
    # one family (CN A and B) are one family; ETO gives each family to its first-filing country
    assert got == {
        ("CN", 2016): (2, 2, 1.0),
        ("CN", 2017): (1, 2, 0.5),
        ("US", 2016): (1, 1, 1.0),
        ("US", 2017): (1, 2, 0.5),
    }
    us17 = next(r for r in res.rows if (r.country, r.year) == ("US", 2017))
    assert us17.right_complete is False and us17.left_complete is True
    assert res.complete_ratio == {"CN": 0.75, "US": 1.0}  # US 2017 is incomplete on the ETO side: left out
    assert res.left.note.startswith("by office, not priority office") and len(res.left.sha256) == 64
    assert "first filing" in res.right.method and res.right.sha256
    assert any(e.startswith("Attribution") for e in res.explanations)


def test_refused_without_either_source(store):
    with pytest.raises(UnsupportedMethod, match="eto-cat"):
        sources_agree(store)
    ingest(store, reader_for("eto-cat"), FIXTURES / "eto" / "agree")
    with pytest.raises(UnsupportedMethod, match="cset1790"):
        sources_agree(store)


def test_cli(tmp_path):
    db = tmp_path / "s.duckdb"
    s = open_store(db)
    _load(s)
    s.close()
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(db), "sources-agree", "--years", "2016-2017"])
    assert res.exit_code == 0, res.output
    assert "ratio" in res.output and "first filing" in res.output and "0.50" in res.output
    res = runner.invoke(app, ["--db", str(db), "sources-agree", "--years", "2016-2017", "--format", "json"])
    out = json.loads(res.output)
    assert out["rows"][0]["country"] == "CN" and out["left"]["source"] == "cset1790"


def test_real_cn_us_2014_2019(tmp_path):
    s = open_store(tmp_path / "s.duckdb")
    ingest(s, reader_for("cset1790"), shared_path("cset-1790", "patent_database-7b5b096.csv.zip"))
    ingest(s, reader_for("eto-cat"), shared_path("eto-cat", "patents_yearly_applications.csv"))
    res = sources_agree(s, countries=("CN", "US"), years=(2014, 2019))
    got = {(r.country, r.year): (r.left, r.right) for r in res.rows}
    assert got[("CN", 2019)][1] == 43880 and got[("US", 2019)][1] == 14583
    assert got[("CN", 2014)] == (3092, 2489) and got[("US", 2017)] == (9807, 9932)
    # CSET's priority years 2018-2019 are still filling in (data end March 2020)
    assert {r.year for r in res.rows if not r.left_complete} == {2018, 2019}
    assert res.complete_ratio["CN"] == pytest.approx(32169 / 29216, abs=1e-4)
    s.close()


def test_articles_ncses_against_eto(store):
    ingest(store, reader_for("eto-cat"), FIXTURES / "eto" / "agree")
    ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "spbs99")
    res = sources_agree(store, countries=("CN",), years=(2021, 2022), question="articles")
    got = {r.year: (r.left, r.right, r.ratio, r.right_complete) for r in res.rows}
    assert got == {2021: (39000, 100000, 0.39, True), 2022: (42524, 110000, 0.3866, False)}
    assert res.complete_ratio == {"CN": 0.39}  # 2022 is incomplete on the ETO side
    assert res.left.source == "ncses" and "Scopus" in res.left.definition and len(res.left.sha256) == 64
    assert res.question.startswith("AI articles") and res.explanations[0].startswith("Corpus")
    with pytest.raises(Exception, match="unknown --question"):
        sources_agree(store, question="vibes")


def test_real_articles_cn_us(tmp_path):
    s = open_store(tmp_path / "s.duckdb")
    ingest(s, reader_for("eto-cat"), shared_path("eto-cat", "publications_yearly_articles.csv"))
    ingest(s, reader_for("ncses"), shared_path("ncses-sei-2024", "10067"))
    res = sources_agree(s, countries=("CN", "US"), years=(2014, 2022), question="articles")
    got = {(r.country, r.year): (r.left, r.right) for r in res.rows}
    assert got[("CN", 2022)] == (42524, 111051) and got[("US", 2022)] == (12642, 53690)
    s.close()
