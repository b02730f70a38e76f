from pathlib import Path

import pytest

from aieco.errors import InputError
from aieco.sources.fred import read_fred
from conftest import shared_path

FIX = Path(__file__).parent / "fixtures" / "fred"


def test_real_yearly_cny_usd_2024_2025():
    f = read_fred(shared_path("fred-fx", "yearly.csv"))
    assert f.rule == "annual-average"
    assert f.rows_read == len(f.rates) + len(f.rejects)
    assert f.rejects == ()
    assert f.get("CNY", "2024").per_usd == pytest.approx(7.1957)
    assert f.get("CNY", "2025").per_usd == pytest.approx(7.1875)
    assert len(f.sha256) == 64


def test_real_monthly_cny_2025_04():
    f = read_fred(shared_path("fred-fx", "monthly.csv"))
    assert f.rule == "monthly-average"
    assert f.rows_read == len(f.rates) + len(f.rejects)
    assert f.get("CNY", "2025-04").per_usd == pytest.approx(7.2968)


def test_bad_rows_rejected_with_line_and_reason():
    f = read_fred(FIX / "yearly_bad.csv")
    assert f.rows_read == 8 == len(f.rates) + len(f.rejects)
    by_line = {r.line: r.reason for r in f.rejects}
    assert "duplicate key China 2024 (first on line 3)" in by_line[4]
    assert "unknown FRED country 'Atlantis'" in by_line[5]
    assert "not a number" in by_line[6]
    assert "first day of the year" in by_line[7]
    assert "not an ISO date" in by_line[8]
    assert set(by_line) == {4, 5, 6, 7, 8}
    fields = {r.line: r.field for r in f.rejects}
    assert fields == {4: "key", 5: "Country", 6: "Value", 7: "Date", 8: "Date"}
    aud = f.get("AUD", "2024")
    assert aud.orientation.startswith("currency per USD (inverse") and aud.per_usd == pytest.approx(0.66)


def test_wrong_header_is_an_input_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Date,Country,Rate\n2024-01-01,China,7.1\n")
    with pytest.raises(InputError, match="x.csv:1: header"):
        read_fred(p)


def test_fred_rate_rule_labels_and_cross():
    from datetime import date

    from aieco.money.rates import fred_rate

    y = shared_path("fred-fx", "yearly.csv")
    r = fred_rate(y, "USD", "CNY", date(2024, 6, 1))
    assert r.rate == pytest.approx(7.1957) and r.used == "2024" and r.method == "annual-average"
    assert "sha256" in r.rule and "FRED annual-average 2024" in r.rule
    inv = fred_rate(y, "CNY", "USD", date(2025, 1, 1))
    assert inv.rate == pytest.approx(1 / 7.1875)
    # 600 bn yuan at the 2025 annual average, the figure SOURCE.txt checks (about USD 83.5 bn)
    assert 600 * inv.rate == pytest.approx(83.48, abs=0.01)
    m = fred_rate(shared_path("fred-fx", "monthly.csv"), "USD", "CNY", date(2025, 4, 15))
    assert m.rate == pytest.approx(7.2968) and m.used == "2025-04"


def test_cli_convert_rule_annual_and_monthly(tmp_path):
    import json

    from typer.testing import CliRunner

    from aieco.cli import app

    y, m = shared_path("fred-fx", "yearly.csv"), shared_path("fred-fx", "monthly.csv")
    runner = CliRunner()
    base = ["--db", str(tmp_path / "s.duckdb"), "convert", "600", "CNY", "USD", "--date", "2025-04-30"]
    res = runner.invoke(app, [*base, "--rule", "annual-average", "--rates-file", str(y), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["amount"] == pytest.approx(83.478, abs=0.001) and out["rate_source"] == "fred"
    assert out["rate_date"] == "2025" and "sha256" in out["rule"]
    res = runner.invoke(app, [*base, "--rule", "monthly-average", "--rates-file", str(m), "--format", "json"])
    assert json.loads(res.output)["amount"] == pytest.approx(82.228, abs=0.001)
    res = runner.invoke(app, [*base, "--rule", "monthly-average", "--rates-file", str(y)])
    assert res.exit_code != 0 and "holds annual-average rates" in str(res.exception)


def _ingest(store, path):
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest

    return ingest(store, reader_for("fred"), path).run


def test_ingest_bad_rows_stored_as_rejects(store):
    run = _ingest(store, FIX / "monthly_bad.csv")
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (8, 3, 5)
    rejects = {r[0]: (r[1], r[2]) for r in store.query("SELECT line, field, reason FROM rejects ORDER BY line")}
    assert rejects[4] == ("key", "duplicate key China 2025-04 (first on line 3)")
    assert rejects[5][0] == "Date" and "first day of the month" in rejects[5][1]
    assert rejects[7][0] == "Country" and "Narnia" in rejects[7][1]
    assert rejects[8][0] == "Exchange rate" and "positive" in rejects[8][1]
    assert rejects[9][0] == "row" and "2 fields" in rejects[9][1]
    rows = store.query("SELECT currency, period, per_usd, published, orientation, series_id, line FROM rates "
                       "ORDER BY line")
    assert rows[0] == ("CNY", "2025-03", 7.2498, 7.2498, "currency per USD", "EXCHUS", 2)
    assert rows[2][:4] == ("EUR", "2025-04", 1.1214, 1.1214) and "inverse of FRED" in rows[2][4]


def test_every_series_is_currency_per_usd_against_the_ecb():
    """The data package's readme says Euro, Australia, ... are USD per currency; the values are not."""
    from datetime import date

    from aieco.money.rates import rate

    f = read_fred(shared_path("fred-fx", "yearly.csv"))
    for code in ("EUR", "AUD", "NZD", "JPY"):
        ecb = rate("USD", code, date(2019, 6, 1), source="ecb", method="year-mean").rate
        assert f.get(code, "2019").per_usd == pytest.approx(ecb, rel=0.005), code


def test_ingest_wrong_header_leaves_store_as_it_was(store, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Date,Country,Rate\n2024-01-01,China,7.1\n")
    with pytest.raises(InputError, match="x.csv:1: header"):
        _ingest(store, p)
    assert store.scalar("SELECT count(*) FROM runs") == 0
    assert store.scalar("SELECT count(*) FROM rates") == 0


@pytest.fixture(scope="module")
def real_rates(tmp_path_factory):
    from aieco.store import open_store

    s = open_store(tmp_path_factory.mktemp("fred") / "s.duckdb")
    yearly = _ingest(s, shared_path("fred-fx", "yearly.csv"))
    monthly = _ingest(s, shared_path("fred-fx", "monthly.csv"))
    yield s, yearly, monthly
    s.close()


def test_ingest_real_files_rows_read_accepted_rejected(real_rates):
    s, yearly, monthly = real_rates
    for run, rule in ((yearly, "annual-average"), (monthly, "monthly-average")):
        assert run.rows_read == run.rows_accepted + run.rows_rejected
        assert run.rows_rejected == 0
        assert s.scalar("SELECT count(*) FROM rates WHERE run_id = ? AND rule = ?", [run.run_id, rule]) == (
            run.rows_accepted)
    lines = [sum(1 for _ in open(shared_path("fred-fx", n))) - 1 for n in ("yearly.csv", "monthly.csv")]
    assert [yearly.rows_read, monthly.rows_read] == lines == [993, 17237]


def test_stored_annual_averages_cny_2024_2025(real_rates):
    from datetime import date

    from aieco.money.rates import fred_rate

    s, yearly, _ = real_rates
    r24 = fred_rate(s, "USD", "CNY", date(2024, 7, 1))
    assert r24.rate == pytest.approx(7.1957) and r24.used == "2024" and r24.method == "annual-average"
    assert "AEXCHUS" in r24.rule and yearly.sha256 in r24.rule
    r25 = fred_rate(s, "CNY", "USD", date(2025, 4, 30))
    assert r25.rate == pytest.approx(1 / 7.1875)
    assert 600 * r25.rate == pytest.approx(83.478, abs=0.001)
    # the same answer as reading the file directly
    direct = fred_rate(shared_path("fred-fx", "yearly.csv"), "CNY", "USD", date(2025, 4, 30))
    assert direct.rate == r25.rate
    m = fred_rate(s, "USD", "CNY", date(2025, 4, 15), rule="monthly-average")
    assert m.rate == pytest.approx(7.2968) and m.used == "2025-04" and "EXCHUS" in m.rule


def test_stored_rates_missing_period_or_rule_is_refused(store):
    from datetime import date

    from aieco.errors import RateNotFound
    from aieco.money.rates import fred_rate

    with pytest.raises(RateNotFound, match="no FRED annual-average rates"):
        fred_rate(store, "CNY", "USD", date(2024, 1, 1))
    _ingest(store, FIX / "yearly-cny.csv")
    with pytest.raises(RateNotFound, match="no CNY rate for 2019"):
        fred_rate(store, "CNY", "USD", date(2019, 1, 1))


def test_cli_convert_reads_stored_rates(tmp_path):
    import json

    from typer.testing import CliRunner

    from aieco.cli import app

    db = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    res = runner.invoke(app, ["--db", db, "ingest", "fred", str(shared_path("fred-fx", "yearly.csv"))])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--db", db, "convert", "600", "CNY", "USD", "--date", "2024-12-31",
                              "--rule", "annual-average", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["amount"] == pytest.approx(600 / 7.1957) and out["rate_date"] == "2024"
    assert "AEXCHUS" in out["rule"] and "stored from" in out["rule"] and "sha256" in out["rule"]
    res = runner.invoke(app, ["--db", db, "convert", "600", "CNY", "USD", "--date", "2025-04-30",
                              "--rule", "monthly-average"])
    assert res.exit_code != 0 and "no FRED monthly-average rates" in str(res.exception)


def test_parse_row_property():
    """Any row is a rate or a reason naming its field, never another exception; a valid row keeps its value."""
    from hypothesis import given
    from hypothesis import strategies as st

    from aieco.sources.fred import CURRENCIES, _Bad, parse_row

    @given(st.lists(st.text(max_size=12), min_size=0, max_size=4), st.sampled_from(["annual-average",
                                                                                     "monthly-average"]))
    def any_row(row, rule):
        try:
            r = parse_row(row, rule, "Value", 2)
        except _Bad as bad:
            assert bad.field in ("row", "Date", "Country", "Value") and bad.reason
        else:
            assert r.per_usd > 0

    @given(st.integers(1971, 2030), st.integers(1, 12), st.sampled_from(sorted(CURRENCIES)),
           st.floats(1e-4, 1e6, allow_nan=False))
    def valid_row(year, month, country, value):
        r = parse_row([f"{year}-{month:02d}-01", country, repr(value)], "monthly-average", "Exchange rate", 5)
        assert (r.period, r.per_usd, r.currency) == (f"{year}-{month:02d}", value, CURRENCIES[country])

    any_row()
    valid_row()
