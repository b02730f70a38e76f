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
    aud = f.get("AUD", "2024")
    assert aud.orientation == "USD per currency" and aud.per_usd == pytest.approx(1 / 0.66)


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
