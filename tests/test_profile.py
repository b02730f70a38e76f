"""`aieco profile`: a country's published aggregates, on a store built from the real ETO, NCSES and WDI files."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import UnknownName
from aieco.measure.profile import profile
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile") / "s.duckdb"
    s = open_store(path)
    ingest(s, reader_for("eto-cat"), shared_path("eto-cat"))
    ingest(s, reader_for("ncses"), shared_path("ncses-sei-2024", "10564"))
    ingest(s, reader_for("wdi"), shared_path("wdi", "population.csv"))
    s.close()
    return path


def _rows(db, country, years):
    with open_store(db, read_only=True) as s:
        return profile(s, country, years=years)


def _one(result, measure, table):
    [row] = [r for r in result.rows if r.measure == measure and r.table == table]
    return row


def test_china_rows_carry_the_issue_figures_with_method_and_provenance(db):
    p = _rows(db, "CN", (2019, 2019))
    assert (p.country, p.name) == ("CN", "China")
    eto = _one(p, "patent-applications", "patents_yearly_applications")
    assert (eto.value, eto.period, eto.value_basis, eto.complete) == (43_880, "2019", "the year's value", True)
    assert eto.attribution == "country of first filing (priority)" and eto.counting == "whole"
    assert (
        eto.file_sha256
        == hashlib.sha256(shared_path("eto-cat", "patents_yearly_applications.csv").read_bytes()).hexdigest()
    )
    ncses = _one(p, "patents-granted", "SINV-17")
    assert (ncses.value, ncses.period, ncses.counting) == (91_436, "2000-2022", "fractional")
    assert "inventor" in ncses.attribution
    # population is not in the 2019 span's rows for 2023; its own span gives the issue's figure
    pop = _one(_rows(db, "China", (2023, 2023)), "population", "SP.POP.TOTL")
    assert (pop.value, pop.pillar, pop.publisher) == (1_410_710_000, "context", "worldbank")


def test_spans_sum_counts_keep_last_year_of_context_and_flag_incomplete_years(db):
    p = _rows(db, "CHN", (2019, 2023))
    eto = _one(p, "patent-applications", "patents_yearly_applications")
    assert eto.value == sum(eto.by_year.values()) and sorted(eto.by_year) == [2019, 2020, 2021, 2022, 2023]
    assert eto.complete is False and eto.incomplete_years == (2020, 2021, 2022, 2023)
    pop = _one(p, "population", "SP.POP.TOTL")
    assert (pop.value, pop.value_basis) == (1_410_710_000, "value in 2023")
    cites = _one(p, "citations", "publications_yearly_citations")
    assert cites.complete is None  # ETO does not say whether a citation year is complete
    assert {r.pillar for r in p.rows} == {"patents", "research", "investment", "context"}


def test_cli_json_and_unknown_country(db):
    runner = CliRunner()
    out = runner.invoke(app, ["--db", str(db), "profile", "CN", "--years", "2019", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    [row] = [r for r in data["rows"] if r["table"] == "patents_yearly_applications"]
    assert row["value"] == 43_880 and len(row["run_sha256"]) == 64
    with pytest.raises(UnknownName, match="Atlantis"):
        _rows(db, "Atlantis", None)
    bad = runner.invoke(app, ["--db", str(db), "profile", "Atlantis"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_patent_documents_come_beside_the_aggregates_with_their_method(tmp_path):
    with open_store(tmp_path / "docs.duckdb") as s:
        ingest(s, reader_for("cset1790"), FIXTURES / "cset1790" / "layout45.csv")
        p = profile(s, "US", years=None)
    assert p.rows == ()  # no published aggregates loaded
    assert p.documents and all(d.subject == "US" and d.source == "cset1790" for d in p.documents)
    assert all(len(d.source_sha256) == 64 for d in p.documents)
    assert {d.unit for d in p.documents} >= {"document", "family"}


def test_real_store_without_documents_has_none(db):
    assert _rows(db, "CN", (2019, 2019)).documents == ()
