from __future__ import annotations

import csv
import json
import math

import pytest

from aieco.cli import main
from aieco.errors import UnknownName, UnsupportedMethod
from aieco.measure import indicators as ind
from aieco.model import Method
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import shared_path
from fixtures_measure import MEASURE, tiny_store


def direct_balassa(path, kind):
    """RTA straight from the file, with nothing of aieco: (x_cf / x_c) / (x_f / x)."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    header, x = rows[0], {}
    fields = [h for h in header if h.isdigit()]
    for r in rows[1:]:
        cells = dict(zip(header, r, strict=True))
        if cells["info"] != kind:
            continue
        for f in fields:
            if cells[f] != "NA":
                x[(cells["country_code"], f)] = x.get((cells["country_code"], f), 0.0) + float(cells[f])
    xc, xf = {}, {}
    for (c, f), v in x.items():
        xc[c] = xc.get(c, 0.0) + v
        xf[f] = xf.get(f, 0.0) + v
    total = sum(x.values())
    return {(c, f): (v / xc[c]) / (xf[f] / total) if xc[c] > 0 and xf[f] > 0 else None for (c, f), v in x.items()}


@pytest.mark.shared
@pytest.mark.parametrize("kind", ["AI", "general"])
def test_rta_equals_direct_balassa_on_leusin_data3(store, kind):
    path = shared_path("patstat-leusin", "Data3period_Raw_Info.csv")
    ingest(store, reader_for("counts"), path, options={"name": "leusin3"})
    rows = ind.rta(store, "leusin3", kind=kind)
    expected = direct_balassa(path, kind)
    assert len(rows) == len(expected) and len(rows) > 2000
    for r in rows:
        want = expected[(r["country"], r["field"])]
        if want is None:
            assert r["rta"] is None
        else:
            assert math.isclose(r["rta"], want, rel_tol=1e-9, abs_tol=1e-9), (r["country"], r["field"])
    cn = {r["field"]: r["rta"] for r in rows if r["country"] == "CN"}
    assert len(cn) == 35 and all(r["period"] == "2004-2018" for r in rows)


def test_rta_fixture_and_cli(db_path, capsys):
    main(["--db", str(db_path), "ingest", "counts", str(MEASURE / "Data3period_Raw_Info.csv"), "--name", "d3"])
    capsys.readouterr()
    main(["--db", str(db_path), "indicators", "rta", "--counts", "d3", "--kind", "AI", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    got = {(r["country"], r["field"]): r["rta"] for r in rows}
    # CN AI: 4, 1 of 5; US AI: 2, 3 of 5 (field 35 NA); world: field1 6, field2 4 of 10
    assert got[("CN", "1")] == pytest.approx((4 / 5) / (6 / 10), abs=1e-12)
    assert got[("US", "2")] == pytest.approx((3 / 5) / (4 / 10), abs=1e-12)
    assert got[("CN", "35")] is None  # the field has no AI count at all
    assert {"country", "field", "rta"} <= set(rows[0])


def test_rta_unknown_names(store):
    with pytest.raises(UnknownName, match="no counts table"):
        ind.rta(store, "nope")
    ingest(store, reader_for("counts"), MEASURE / "Data3period_Raw_Info.csv", options={"name": "d3"})
    with pytest.raises(UnknownName, match="kinds"):
        ind.rta(store, "d3", kind="robots")


def test_cagr_skips_incomplete_years():
    rate, first, last = ind.cagr({2015: 100, 2016: 110, 2017: 121, 2018: 50}, [2015, 2016, 2017])
    assert (round(rate, 12), first, last) == (0.1, 2015, 2017)
    assert ind.cagr({2015: 1}, [2015]) == (None, None, None)


INTENSITY_DOCS = [(1, "CN", "a", 2014, False), (2, "CN", "b", 2014, False), (3, "CN", "c", 2015, False),
                  (4, "CN", "d", 2015, False), (5, "CN", "e", 2015, False), (6, "CN", "f", 2016, False),
                  (7, "US", "g", 2015, False), (8, "EP", "h", 2015, False)]


def test_intensity_uses_complete_years_of_both_sides(tmp_path):
    store, _ = tiny_store(tmp_path / "i.duckdb", INTENSITY_DOCS)
    ingest(store, reader_for("counts"), MEASURE / "applications_by_office_year.csv", options={"name": "apps"})
    rows = {r["country"]: r for r in ind.intensity(store, Method(), denominator="apps")}
    assert rows["CN"]["years_used"] == [2014, 2015]  # 2016 is incomplete in the denominator
    assert rows["CN"]["intensity"] == pytest.approx(5 / 300)
    assert rows["US"]["intensity"] == pytest.approx(1 / 100)
    assert "EP" not in rows  # no denominator for EP
    with pytest.raises(UnsupportedMethod, match="attribution office"):
        ind.intensity(store, Method(attribution="inventor"), denominator="apps")
    store.close()


def test_rank_share_and_group_share(tmp_path):
    store, _ = tiny_store(tmp_path / "r.duckdb", INTENSITY_DOCS)
    rows = ind.by_country(store, Method())
    assert [(r["country"], r["rank"], r["value"]) for r in rows] == [("CN", 1, 6), ("EP", None, 1),
                                                                      ("US", 2, 1)]
    assert rows[0]["share"] == pytest.approx(6 / 8)
    gs = ind.group_share(store, Method(), country="CN", group="BRICS")
    assert gs[0]["group_share"] == 1.0 and gs[0]["group_value"] == 6
    store.close()
