"""aieco compare: a group's members side by side on the published aggregates."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import UnknownName
from aieco.measure.compare import compare
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path


def _load(store):
    ingest(store, reader_for("eto-cat"), FIXTURES / "eto" / "indicators")
    ingest(store, reader_for("wdi"), FIXTURES / "wdi" / "indicators" / "population.csv")
    ingest(store, reader_for("wdi"), FIXTURES / "owid" / "indicators" / "internet_users_pct.csv")
    return store


def _cell(result, subject, column):
    row = next(r for r in result.rows if r.subject == subject)
    return row.cell(column)


def test_members_of_that_year_side_by_side(store):
    res = compare(_load(store), "SCO", 2017)
    assert res.members == ("CN", "IN", "KG", "KZ", "PK", "RU", "TJ", "UZ")  # India and Pakistan joined in 2017
    assert [r.subject for r in res.rows][-1] == "SCO"
    cn = _cell(res, "CN", "eto-families")
    assert cn.value == 200 and cn.complete is True and cn.publisher == "eto" and len(cn.source_sha256) == 64
    assert "country of first filing" in cn.method
    assert _cell(res, "CN", "eto-families-per-million").value == pytest.approx(200 / 1400)
    assert _cell(res, "SCO", "eto-families").value == 225
    # per million people of the members listed (CN, IN, RU): an unlisted member is neither zero nor people
    assert _cell(res, "SCO", "eto-families-per-million").value == pytest.approx(225 / 2845)
    kg = _cell(res, "KG", "eto-families")
    assert kg.value is None and "not listed by eto" in kg.note
    assert _cell(res, "CN", "internet-users-pct").value == pytest.approx(54.3)
    # the group's internet use: the share of the summed population of the members with both figures
    sco = _cell(res, "SCO", "internet-users-pct")
    assert sco.value == pytest.approx(100 * (0.543 * 1400 + 0.18 * 1300 + 0.76 * 145) / (1400 + 1300 + 145))
    assert sco.complete is False and "over 3 of 8 members" in sco.note
    assert "SINV-17" in res.missing  # NCSES not loaded: said, not silently dropped
    # each missing table once, though a count and its per-million column both need it
    assert res.missing == ("SINV-17", "publications_yearly_articles 2017", "companies_yearly_estimated", "gdp")


def test_before_india_joined(store):
    res = compare(_load(store), "SCO", 2016)
    assert "IN" not in res.members and _cell(res, "SCO", "eto-families").value == 105


def test_unknown_group_and_empty_year(store):
    with pytest.raises(UnknownName):
        compare(store, "NOPE", 2019)
    with pytest.raises(UnknownName, match="no members"):
        compare(store, "SCO", 1990)


def test_cli_table_and_json(tmp_path):
    db = tmp_path / "s.duckdb"
    s = open_store(db)
    _load(s)
    s.close()
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(db), "compare", "--group", "SCO", "--year", "2017"])
    assert res.exit_code == 0, res.output
    assert "ETO families" in res.output and "not listed by eto" in res.output and "sha256" in res.output
    res = runner.invoke(app, ["--db", str(db), "compare", "--group", "SCO", "--year", "2017", "--format", "json"])
    out = json.loads(res.output)
    assert out["group"] == "SCO" and out["rows"][0]["cells"][0]["source_sha256"]


def test_real_sco_2019(tmp_path):
    s = open_store(tmp_path / "s.duckdb")
    ingest(s, reader_for("eto-cat"), shared_path("eto-cat"))
    ingest(s, reader_for("ncses"), shared_path("ncses-sei-2024", "10564"))
    for f in ("population.csv", "gdp_current_usd.csv", "internet_users_pct.csv"):
        ingest(s, reader_for("wdi"), shared_path("wdi", f))
    res = compare(s, "SCO", 2019)
    assert res.missing == ()
    assert _cell(res, "CN", "eto-families").value == 43880
    grants = _cell(res, "CN", "ncses-grants")
    assert grants.value == 91436 and grants.period == "2000-2022" and "total, not the year" in grants.note
    assert _cell(res, "CN", "population").value == 1407745000
    assert _cell(res, "SCO", "eto-families").value == 43880 + 10 + 169  # CN, IN, RU: the members ETO lists
    assert "IR" not in res.members and "IN" in res.members  # Iran joined in 2023, India in 2017
    s.close()
