"""Indicators over published aggregates (measure/aggregates.py): fixtures with known answers, then the real files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure.aggregates import indicators
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path

ETO = FIXTURES / "eto" / "indicators"


def _load(store, *, context: bool = True):
    ingest(store, reader_for("eto-cat"), ETO)
    if context:
        ingest(store, reader_for("wdi"), FIXTURES / "wdi" / "indicators" / "population.csv")
        ingest(store, reader_for("wdi"), FIXTURES / "wdi" / "indicators" / "gdp_current_usd.csv")
        ingest(store, reader_for("wdi"), FIXTURES / "owid" / "indicators" / "internet_users_pct.csv")
    return store


@pytest.fixture
def fx(store):
    return _load(store)


def _one(result, **match):
    rows = [r for r in result.rows if all(getattr(r, k) == v for k, v in match.items())]
    assert len(rows) == 1, rows
    return rows[0]


def test_share_of_the_world_states_which_world(fx):
    r = _one(indicators(fx, "share", measure="patent-applications", country="CN", years=(2017, 2017)))
    assert (r.value, r.denominator, r.result) == (200, 285, pytest.approx(200 / 285))
    assert r.denominator_basis == "sum of the 4 countries the publisher lists for 2017"
    assert r.complete is True and r.source_sha256


def test_group_rows_of_a_publisher_never_summed_with_countries(fx):
    """ETO's EU row (70) is an aggregate: the world is CN + DE + FR + US = 230, not 300."""
    res = indicators(fx, "share", measure="articles", country="CN", years=(2019, 2019))
    r = _one(res, subject="CN")
    assert r.denominator == 230 and r.countries_listed == 4
    # the dated group EU is the sum of its 2019 members (DE, FR), never the publisher's own EU row
    eu = _one(indicators(fx, "count", measure="articles", group="EU", years=(2019, 2019)))
    assert eu.value == 50 and eu.subject_kind == "group"
    assert "DE" in eu.members and "FR" in eu.members and "IT" in eu.members_missing
    # listing every country: the publisher's EU row is not among them
    listed = {r.subject for r in indicators(fx, "count", measure="articles", years=(2019, 2019)).rows}
    assert listed == {"CN", "DE", "FR", "US"}


def test_group_summed_only_over_the_members_of_that_year(fx):
    """India joined the SCO in June 2017: not a member on 31 December 2016."""
    res = indicators(fx, "count", measure="patent-applications", group="SCO", years=(2016, 2018))
    by_year = {r.period: r for r in res.rows}
    assert by_year["2016"].value == 105 and "IN" not in by_year["2016"].members
    assert by_year["2017"].value == 225 and "IN" in by_year["2017"].members
    assert by_year["2018"].value == 450 and by_year["2018"].complete is False  # China's 2018 is incomplete
    assert set(by_year["2017"].members_missing) == {"KG", "KZ", "PK", "TJ", "UZ"}


def test_per_capita_per_million_per_gdp_per_internet_user(fx):
    kw = dict(measure="patent-applications", country="CN", years=(2017, 2017))
    pc = _one(indicators(fx, "per-capita", **kw))
    assert pc.result == pytest.approx(200 / 1.4e9) and "population 2017" in pc.denominator_basis
    pm = _one(indicators(fx, "per-million", **kw))
    assert pm.result == pytest.approx(200 / 1400) and pm.denominator == 1400
    pg = _one(indicators(fx, "per-gdp", measure="patent-applications", country="US", years=(2017, 2017)))
    assert pg.result == pytest.approx(60 / 19500) and pg.denominator_sha256
    pi = _one(indicators(fx, "per-internet-user", **kw))
    assert pi.result == pytest.approx(200 / (0.543 * 1400)) and "internet users" in pi.denominator_basis


def test_group_per_million_divides_by_the_listed_members_population(fx):
    r = _one(indicators(fx, "per-million", measure="patent-applications", group="SCO", years=(2017, 2017)))
    # CN, IN, RU have a value; KG and KZ have a population but no value (not listed): left out of both sides
    assert r.denominator == pytest.approx(1400 + 1300 + 145)
    assert r.result == pytest.approx(225 / 2845)
    assert "summed over the 3 members listed" in r.denominator_basis


def test_no_result_when_a_member_with_a_value_lacks_the_denominator(fx):
    ok = _one(indicators(fx, "per-million", measure="patent-applications", group="SCO", years=(2016, 2016)))
    assert ok.result == pytest.approx(105 / (1390 + 144))  # 2016: India is not a member yet
    # GDP 2017 is loaded for China only: India and Russia have a value but no GDP -> no result, said why
    r = _one(indicators(fx, "per-gdp", measure="patent-applications", group="SCO", years=(2017, 2017)))
    assert r.result is None and "IN, RU have a value but no gdp" in r.note


def test_cagr_leaves_out_incomplete_years_and_lists_them(fx):
    r = _one(indicators(fx, "cagr", measure="patent-applications", country="CN", years=(2016, 2018)))
    assert r.result == pytest.approx(1.0)  # 100 -> 200 over 2016-2017; 2018 (400) is incomplete
    assert r.incomplete_years == (2018,) and r.complete is False and "2016-2017" in r.note
    us = _one(indicators(fx, "cagr", measure="patent-applications", country="US", years=(2016, 2018)))
    assert us.result == pytest.approx((70 / 50) ** 0.5 - 1) and us.incomplete_years == ()


def test_rta_across_fields(fx):
    res = indicators(fx, "rta", measure="patent-applications", years=(2017, 2017))
    rta = {(r.subject, r.field): r.result for r in res.rows}
    assert rta[("CN", "Security")] == pytest.approx((30 / 40) / (45 / 90))
    assert rta[("US", "Security")] == pytest.approx((10 / 40) / (45 / 90))
    assert rta[("IN", "Transportation")] == pytest.approx(1.0)


def test_ranks_countries_when_no_subject(fx):
    res = indicators(fx, "per-million", measure="patent-applications", years=(2017, 2017))
    ranked = [(r.rank, r.subject) for r in res.rows]
    assert ranked[:2] == [(1, "US"), (2, "CN")]  # 60/325 > 200/1400


def test_missing_context_and_unknown_names_refused(store):
    _load(store, context=False)
    with pytest.raises(UnsupportedMethod, match="population"):
        indicators(store, "per-million", measure="patent-applications", country="CN")
    with pytest.raises(UnknownName, match="pillar"):
        indicators(store, "share", pillar="nonsense")
    with pytest.raises(UnknownName, match="no published aggregates"):
        indicators(store, "share", measure="no-such-measure")


def test_cli_indicators_and_grid_with_pillar(tmp_path):
    db = tmp_path / "s.duckdb"
    s = open_store(db)
    _load(s)
    s.close()
    runner = CliRunner()
    res = runner.invoke(
        app(),
        [
            "--db",
            str(db),
            "indicators",
            "share",
            "--pillar",
            "patents",
            "--country",
            "CN",
            "--years",
            "2017",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["rows"][0]["result"] == pytest.approx(200 / 285) and out["rows"][0]["source_sha256"]
    res = runner.invoke(app(), ["--db", str(db), "grid", "--pillar", "research", "--group", "EU", "--years", "2019"])
    assert res.exit_code == 0, res.output
    assert "sum of the 4 countries" in res.output and "publications_yearly_articles" in res.output
    res = runner.invoke(app(), ["--db", str(db), "indicators", "per-million", "--pillar", "bogus"])
    assert res.exit_code != 0


def app():
    from aieco.cli import app as a

    return a


# -- the real files --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("agg") / "s.duckdb")
    ingest(s, reader_for("eto-cat"), shared_path("eto-cat"))
    ingest(s, reader_for("ncses"), shared_path("ncses-sei-2024", "10564"))
    for f in ("population.csv", "gdp_current_usd.csv", "internet_users_pct.csv"):
        ingest(s, reader_for("wdi"), shared_path("wdi", f))
    yield s
    s.close()


def test_real_china_share_2019_and_2014_2024(real):
    res = indicators(real, "share", pillar="patents", country="CN", years=(2019, 2019))
    y = _one(res, table="patents_yearly_applications")
    assert (y.value, y.denominator) == (43880, 73621) and round(y.result, 3) == 0.596 and y.complete is True
    assert "sum of the 50 countries the publisher lists for 2019 (70 over all its years)" == y.denominator_basis
    total = _one(res, table="patents_summary", measure="patent-applications")
    assert (total.value, total.denominator, total.complete) == (440526, 608850, False)
    ncses = _one(res, publisher="ncses")
    assert (ncses.value, ncses.denominator) == (91436, 190038) and ncses.denominator_basis == (
        "the publisher's World row"
    )
    assert round(ncses.result, 3) == 0.481


def test_real_articles_world_excludes_the_13_group_rows(real):
    r = _one(
        indicators(
            real, "share", measure="articles", table="publications_yearly_articles", country="CN", years=(2019, 2019)
        )
    )
    countries = real.scalar(
        "SELECT sum(value) FROM measure_counts WHERE indicator = 'publications_yearly_articles' "
        "AND field = 'All' AND year = 2019 AND entity_kind = 'country'"
    )
    groups = real.scalar(
        "SELECT sum(value) FROM measure_counts WHERE indicator = 'publications_yearly_articles' "
        "AND field = 'All' AND year = 2019 AND entity_kind = 'aggregate'"
    )
    assert groups > 0 and r.denominator == countries


def test_real_sco_2019_members_and_per_million(real):
    r = _one(indicators(real, "per-million", table="patents_yearly_applications", group="SCO", years=(2019, 2019)))
    cn_in_ru = real.scalar(
        "SELECT sum(value) FROM measure_counts WHERE indicator = 'patents_yearly_applications' "
        "AND field = 'All' AND year = 2019 AND country IN ('CN', 'IN', 'RU')"
    )
    assert r.value == cn_in_ru and "IR" not in r.members  # Iran joined in 2023
    assert r.result is not None and "population 2019" in r.denominator_basis
    cagr = _one(indicators(real, "cagr", table="patents_yearly_applications", country="CN", years=(2014, 2024)))
    assert cagr.incomplete_years == (2020, 2021, 2022, 2023, 2024) and "2014-2019" in cagr.note


def test_rta_per_dimension_of_ncses_sinv18(store):
    """SINV-18's fields are three dimensions (AI techniques, functional applications, application fields):
    RTA within each, never across them."""
    ingest(store, reader_for("ncses"), FIXTURES / "ncses" / "sinv18")
    rows = indicators(store, "rta", table="SINV-18", country="CN").rows
    rta = {r.field: r.result for r in rows}
    ml, lp = 31676 + 77615 + 10518 + 14351, 10380 + 2744 + 2252 + 904
    assert rta["AI techniques: Machine learning"] == pytest.approx((77615 / (77615 + 2744)) / (ml / (ml + lp)))
    # the application-fields dimension has one field left (Transportation was rejected): no RTA there
    assert set(rta) == {"AI techniques: Machine learning", "AI techniques: Logic programming"}


def test_rta_of_a_counts_name_refuses_a_publishers_table(fx):
    from aieco.measure.indicators import rta

    with pytest.raises(UnsupportedMethod, match="--table"):
        rta(fx, "eto-cat", kind="AI")


def test_rates_and_percentages_are_not_shares_nor_summed(fx):
    """Internet use (% of population) is not a part of a world, nor summed over a group."""
    res = indicators(fx, "share", pillar="context", country="CN", years=(2017, 2017))
    assert {r.measure for r in res.rows} == {"population", "gdp"}
    assert any("internet-users-pct" in n and "not a count" in n for n in res.notes)
    grp = indicators(fx, "count", pillar="context", group="SCO", years=(2017, 2017))
    assert "internet-users-pct" not in {r.measure for r in grp.rows}
    assert _one(grp, measure="population").value == 1400e6 + 1300e6 + 145e6 + 6e6 + 18e6


def test_group_cagr_says_when_membership_changed(fx):
    r = _one(indicators(fx, "cagr", measure="patent-applications", group="SCO", years=(2016, 2017)))
    assert r.result == pytest.approx(225 / 105 - 1)
    assert "members changed between 2016 and 2017 (joined: IN, PK)" in r.note
