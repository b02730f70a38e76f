from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aieco.cli import main
from aieco.errors import UnsupportedMethod
from aieco.measure import indicators as ind
from aieco.measure.grid import grid, grid_sql, refused, spread
from aieco.measure.sectors import flag_categories
from aieco.model import Method
from fixtures_measure import cset_db

pytest_plugins = ["fixtures_measure"]  # the session-wide CSET/1790 store
GOLDEN = Path(__file__).resolve().parent / "golden"


def pick(rows, subject, unit, counting):
    (row,) = [r for r in rows if (r["subject"], r["unit"], r["counting"]) == (subject, unit, counting)]
    return row


@pytest.mark.shared
def test_cn_grid_on_cset1790(cset_store):
    rows = grid(cset_store, country="CN", years=(2000, 2019))
    assert {(r["unit"], r["attribution"], r["date_basis"]) for r in rows} == {
        ("document", "office", "priority"), ("family", "office", "priority"),
        ("granted-family", "office", "priority")}
    doc, fam = pick(rows, "CN", "document", "whole"), pick(rows, "CN", "family", "whole")
    assert (doc["value"], doc["world"]) == (90287, 274960) and round(doc["share"], 3) == 0.328
    assert (fam["value"], fam["world"]) == (87573, 150466) and round(fam["share"], 3) == 0.582
    assert all(r["incomplete_years"] == [2018, 2019] for r in rows)
    assert all(len(r["source_sha256"]) == 64 and r["period"] == "2000-2019" for r in rows)
    every = grid(cset_store, country="CN")  # all years: the 32% vs 56%
    assert round(pick(every, "CN", "document", "whole")["share"], 2) == 0.32
    assert round(pick(every, "CN", "family", "whole")["share"], 2) == 0.56


@pytest.mark.shared
def test_groups_use_year_correct_members(cset_store):
    rows = grid(cset_store, group="SCO", years=(2000, 2019))
    sco = pick(rows, "SCO", "family", "whole")["by_year"]

    def families_with(offices, year):
        q = ("SELECT count(*) FROM (SELECT family_id, min(priority_year) y, bool_or(office IN ({})) hit "
             "FROM documents GROUP BY 1) WHERE y = ? AND hit").format(", ".join(f"'{o}'" for o in offices))
        return cset_store.scalar(q, [year])

    founders = ["CN", "KZ", "KG", "RU", "TJ", "UZ"]
    assert sco[2016] == families_with(founders, 2016)
    assert sco[2017] == families_with(founders + ["IN", "PK"], 2017)
    # CSET/1790 holds no IN or PK document after 2015, so India's date shows in BRICS' founding instead:
    brics = pick(grid(cset_store, group="BRICS", years=(2000, 2019)), "BRICS", "family", "whole")["by_year"]
    assert brics[2005] == 0 < families_with(["BR", "RU", "IN", "CN"], 2005)
    assert brics[2006] == families_with(["BR", "RU", "IN", "CN"], 2006)
    for g in ("G7", "EU", "BRICS"):
        r = pick(grid(cset_store, group=g, years=(2000, 2019)), g, "family", "whole")
        assert 0 < r["share"] < 1 and r["incomplete_years"] == [2018, 2019]


@pytest.mark.shared
def test_refused_on_cset1790_names_missing_fields(cset_store):
    no = refused(cset_store, country="CN")
    inventor = [r for r in no if r["attribution"] == "inventor"]
    assert inventor and all("parties.country (role inventor)" in r["reason"] for r in inventor)
    assert any("documents.priority_office" in r["reason"] for r in no)
    with pytest.raises(UnsupportedMethod, match="role inventor"):
        ind.subject_rows(cset_store, Method(attribution="inventor"), country="CN")


@pytest.mark.shared
def test_sectors_by_office_on_cset1790(cset_store):
    def by_office(sector):
        return {r["country"]: r["value"]
                for r in ind.by_country(cset_store, flag_categories=flag_categories(sector))}

    agri, edu = by_office("agriculture"), by_office("education")
    assert sum(agri.values()) == 3051 and agri["CN"] == 997 and agri["US"] == 835
    assert sum(edu.values()) == 6427 and edu["US"] == 2341 and edu["CN"] == 1857
    # 7b5b096 carries the Life_Sciences flags (under the name Security__eg_cybersecurity, read as what they
    # hold), and no Security flags at all
    life = by_office("life-sciences")
    assert sum(life.values()) == 38600 and life["US"] == 15170
    with pytest.raises(UnsupportedMethod, match="Security__eg_cybersecurity"):
        ind.by_country(cset_store, flag_categories=flag_categories("security"))


@pytest.mark.shared
def test_cli_grid_json(tmp_path_factory, capsys):
    db = cset_db(tmp_path_factory)
    main(["--db", str(db), "grid", "--country", "CN", "--group", "SCO", "--years", "2000-2019", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert len(out["methods"]) == 12 and {s["subject"] for s in out["spread"]} == {"CN", "SCO"}
    assert out["refused"] and all(r["reason"] for r in out["refused"])
    assert spread(out["methods"])[0]["max_share"] >= spread(out["methods"])[0]["min_share"]


def test_golden_bigquery_sql():
    sql = grid_sql("bigquery", Method(unit="family"), country="CN")
    path = GOLDEN / "grid_family_office_priority_cn.bigquery.sql"
    if os.environ.get("AIECO_UPDATE_GOLDEN"):
        path.write_text(sql + "\n")
    assert sql + "\n" == path.read_text()
    assert "`patents-public-data`.`patents`.`publications`" in sql


def test_sql_cli_prints_bigquery(capsys):
    main(["sql", "--dialect", "bigquery", "--group", "SCO", "--unit", "granted-family"])
    out = capsys.readouterr().out
    assert "grant_date" in out and "'IN'" in out and "2017" in out
