from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.cli import main
from aieco.errors import InputError, UnknownName
from aieco.measure import groups as g
from fixtures_measure import MEASURE


def test_sco_india_from_2017_not_2016():
    sco = g.get_group("SCO")
    assert g.members(sco, 2016) == {"CN", "KZ", "KG", "RU", "TJ", "UZ"}
    assert g.members(sco, 2017) == {"CN", "KZ", "KG", "RU", "TJ", "UZ", "IN", "PK"}
    assert "IR" in g.members(sco, 2023) and "BY" not in g.members(sco, 2023) and "BY" in g.members(sco, 2024)
    assert g.members(sco, 2000) == frozenset()


def test_brics_dates_and_saudi_arabia_not_counted():
    brics = g.get_group("brics")
    assert g.members(brics, 2005) == frozenset()
    assert g.members(brics, 2009) == {"BR", "RU", "IN", "CN"}
    assert "ZA" in g.members(brics, 2010)
    assert {"EG", "ET", "IR", "AE"} <= g.members(brics, 2024) and "ID" not in g.members(brics, 2024)
    assert "ID" in g.members(brics, 2025)
    assert "SA" not in g.members(brics, 2025)
    assert [m.country for m in brics.invited] == ["SA"]


def test_eu_enlargements_and_uk_exit():
    eu = g.get_group("EU")
    assert "GB" in g.members(eu, 2019) and "GB" not in g.members(eu, 2020)
    assert "PL" not in g.members(eu, 2003) and "PL" in g.members(eu, 2004)
    assert "HR" in g.members(eu, 2013) and "HR" not in g.members(eu, 2012)
    assert len(g.members(eu, 2019)) == 28 and len(g.members(eu, 2020)) == 27


def test_every_builtin_group_loads_with_sources():
    groups = g.load_groups()
    assert {"SCO", "BRICS", "G7", "G20", "EU", "OECD", "ASEAN"} <= set(groups)
    assert all(grp.sources for grp in groups.values())
    assert len(g.members(groups["G7"], 2019)) == 7
    assert "NO" in g.members(groups["OECD"], 2000)  # the YAML 'Norway problem' is handled
    assert len(g.members(groups["OECD"], 2019)) == 36


def test_countries_and_patent_offices():
    assert g.check_country("cn") == "CN"
    assert g.check_country("EP") == "EP" and not g.is_country("EP")
    assert {"EP", "WO", "EA"} <= set(g.patent_offices())
    with pytest.raises(UnknownName, match="did you mean CN"):
        g.check_country("China")
    with pytest.raises(UnknownName):
        g.check_country("XX")
    with pytest.raises(UnknownName, match="known groups"):
        g.get_group("NOPE")


def test_user_group_file():
    duo = g.get_group("duo", MEASURE / "my_groups.yaml")
    assert g.members(duo, 2009) == {"CN"}
    assert g.members(duo, 2010) == {"CN", "US"}
    assert g.members(duo, 2015) == {"CN"}
    assert duo.origin.endswith("my_groups.yaml")


def test_bad_group_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("X:\n  members:\n    - {countries: [ZZ], joined: 2000-01-01}\n")
    with pytest.raises(InputError, match="ZZ"):
        g.load_groups(bad)


@given(st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)),
       st.integers(1985, 2035))
def test_membership_is_year_end_rule(joined, left, year):
    from aieco.model import Membership

    m = Membership(country="CN", joined=joined, left=left)
    end = date(year, 12, 31)
    assert g.is_member(m, year) == (joined <= end and (left is None or left > end))


def test_cli_groups(capsys):
    main(["groups", "SCO", "--year", "2017", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert {m["country"] for m in out["members"]} >= {"IN", "PK"}
    assert out["sources"]
    main(["groups", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert {p["code"] for p in out["patent_offices"]} >= {"EP", "WO", "EA"}
