"""Firm registries and PARAT in the store: counts, rejects, several registries, XLSX, a killed ingest."""

from __future__ import annotations

import csv
import signal
from pathlib import Path

import pytest

from aieco.errors import InputError
from aieco.firms.creditcode import check_character
from aieco.firms.ingest import FirmsReader, ParatReader
from aieco.firms.query import find_firms, list_firms
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path
from test_ingest import aieco, snapshot
from test_signals import held

REGISTRY = FIXTURES / "firms" / "little_giants.csv"
DJI = "91440300545822842Q"


def _load(store, registry: str, path: Path, **kw):  # type: ignore[no-untyped-def]
    return ingest(store, FirmsReader(), path, options={"registry": registry}, **kw)


def test_fixture_registry_rows_read_equal_accepted_plus_rejected(store) -> None:
    run = _load(store, "little-giants", REGISTRY).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (10, 6, 4)
    rejects = store.query("SELECT file, line, field, reason FROM rejects WHERE run_id = ? ORDER BY line", [run.run_id])
    assert [(r[1], r[2]) for r in rejects] == [(8, "credit_code"), (9, "name_zh"), (10, "credit_code"),
                                               (11, "credit_code")]  # fmt: skip
    assert all(r[0] == str(REGISTRY) for r in rejects)
    assert "GB 32100-2015 gives" in rejects[0][3] and "already given to a different name on line 4" in rejects[2][3]
    assert store.scalar("SELECT count(*) FROM firm_registry WHERE run_id = ?", [run.run_id]) == 6
    names = {r[0] for r in store.query("SELECT name FROM firm_names WHERE firm_id = ?", [DJI])}
    assert names == {"深圳市大疆创新科技有限公司", "SZ DJI Technology Co., Ltd.", "DJI", "大疆"}
    assert run.options["registry"] == "little-giants"


def _copy_with(tmp_path: Path, name: str, change: dict[str, str], extra: list[dict[str, str]] | None = None) -> Path:
    with REGISTRY.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = tmp_path / name
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for r in rows[:6]:
            writer.writerow({**r, **change})
        for r in extra or []:
            writer.writerow({**rows[0], **r})
    return out


def test_registries_coexist_and_a_firm_is_in_several(store, tmp_path) -> None:
    _load(store, "little-giants", REGISTRY)
    other = _copy_with(tmp_path, "hightech.csv", {"programme": "高新技术企业", "batch": "2020"})
    run = _load(store, "high-tech", other).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (6, 6, 0)
    assert find_firms(store, DJI) == [("high-tech", DJI), ("little-giants", DJI)]
    assert {r.registry for r in list_firms(store)} == {"high-tech", "little-giants"}
    assert [r.programme for r in list_firms(store, registry="high-tech")] == ["高新技术企业"] * 6


def test_code_loaded_with_another_name_is_a_reject(store, tmp_path) -> None:
    _load(store, "little-giants", REGISTRY)
    # the same firms listed again in a later batch: second memberships, not second firms
    batch6 = _copy_with(tmp_path, "batch6.csv", {"batch": "6"})
    assert _load(store, "little-giants", batch6).run.rows_accepted == 6
    batches = store.query("SELECT batch FROM firm_registry WHERE firm_id = ? ORDER BY batch", [DJI])
    assert [b[0] for b in batches] == ["4", "6"]
    new_code = "91110108MA0000001" + check_character("91110108MA0000001")
    late = tmp_path / "late.csv"
    late.write_text(
        f"name_zh,name_en,credit_code,batch\n深圳市别的公司,,{DJI},7\n北京某某科技有限公司,,{new_code},7\n",
        encoding="utf-8",
    )
    run = _load(store, "little-giants", late).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (2, 1, 1)
    line, reason = store.query("SELECT line, reason FROM rejects WHERE run_id = ?", [run.run_id])[0]
    assert line == 2 and "in the registry already loaded" in reason and "深圳市大疆创新科技有限公司" in reason
    # another registry may give the code its own name: the check is within one registry (a copy: one file
    # is one registry, test_same_file_under_another_registry_is_an_error)
    copy = tmp_path / "late-other.csv"
    copy.write_text(late.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _load(store, "other", copy).run.rows_accepted == 2


def test_registry_name_required_and_checked(store) -> None:
    with pytest.raises(InputError, match="--registry NAME"):
        ingest(store, FirmsReader(), REGISTRY)
    with pytest.raises(InputError, match="lower-case letters"):
        _load(store, "Little Giants!", REGISTRY)
    assert store.scalar("SELECT count(*) FROM runs") == 0
    assert store.scalar("SELECT count(*) FROM firm_registry") == 0


def test_cli_without_registry_is_one_line_error(db_path) -> None:
    result = aieco(db_path, "ingest", "firms", REGISTRY)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--registry NAME" in result.stderr
    assert "Traceback" not in result.stderr


def test_xlsx_registry_same_as_csv(store, tmp_path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    with REGISTRY.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            # a spreadsheet keeps the year as a number
            sheet.append([int(c) if c.isdigit() and len(c) == 4 else c for c in row])
    sheet.append([None] * 10)  # a trailing empty row is not data
    path = tmp_path / "little_giants.xlsx"
    book.save(path)
    run = _load(store, "little-giants", path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (10, 6, 4)
    lines = [r[0] for r in store.query("SELECT line FROM rejects ORDER BY line")]
    assert lines == [8, 9, 10, 11]
    assert store.scalar("SELECT year FROM firm_registry WHERE firm_id = ?", [DJI]) == 2022


def test_not_a_workbook(store, tmp_path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(InputError, match=r"bad\.xlsx: not an XLSX workbook"):
        _load(store, "x", bad)


def test_replace_removes_the_run_and_its_links(store) -> None:
    run = _load(store, "little-giants", REGISTRY).run
    store.con.execute(
        "INSERT INTO firm_links VALUES (?, 'little-giants', ?, 'SZ DJI TECHNOLOGY CO LTD', 'DJI', 0.99, 6.0, "
        "'{}', true, 1)", [run.run_id, DJI])  # fmt: skip
    again = _load(store, "little-giants", REGISTRY, replace=True)
    assert again.replaced_run_id == run.run_id
    assert store.scalar("SELECT count(*) FROM firm_links") == 0
    assert store.scalar("SELECT count(DISTINCT run_id) FROM firm_registry") == 1


def test_same_file_under_another_registry_is_an_error(store, db_path) -> None:
    """One file is one registry: asked again under another name, a one-line error names the registry it is
    loaded as (not a silent "already loaded"); under the same name it is the usual no-op; --replace loads
    it under the new name, once."""
    run = _load(store, "little-giants", REGISTRY).run
    before = store.scalar("SELECT count(*) FROM firm_registry")
    with pytest.raises(InputError, match=r"little_giants\.csv: already loaded as registry 'little-giants' \(run 1\)"):
        _load(store, "programme-b", REGISTRY)
    assert store.scalar("SELECT count(*) FROM firm_registry") == before
    assert _load(store, "little-giants", REGISTRY).noop
    moved = _load(store, "programme-b", REGISTRY, replace=True)
    assert moved.replaced_run_id == run.run_id
    assert {r for (r,) in store.query("SELECT DISTINCT registry FROM firm_registry")} == {"programme-b"}
    # PARAT under its default name, then again without --registry: the usual no-op; with another: the error
    parat = FIXTURES / "firms" / "parat_small.js"
    ingest(store, ParatReader(), parat, options={"registry": "parat-2021"})
    assert ingest(store, ParatReader(), parat).noop
    with pytest.raises(InputError, match="already loaded as registry 'parat-2021'"):
        ingest(store, ParatReader(), parat, options={"registry": "parat"})

    assert aieco(db_path, "ingest", "firms", REGISTRY, "--registry", "a").returncode == 0
    result = aieco(db_path, "ingest", "firms", REGISTRY, "--registry", "b")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "already loaded as registry 'a'" in result.stderr


@pytest.mark.parametrize("stage", ["staging", "merge"])
def test_sigkill_mid_ingest_leaves_store_unchanged(stage, tmp_path) -> None:
    db = tmp_path / "store.duckdb"
    first = aieco(db, "ingest", "firms", REGISTRY, "--registry", "little-giants")
    assert first.returncode == 0, first.stderr
    before = snapshot(db)
    other = _copy_with(tmp_path, "hightech.csv", {"programme": "高新技术企业"})
    proc = held(db, stage, "ingest", "firms", str(other), "--registry", "high-tech")
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before
    after = aieco(db, "ingest", "firms", other, "--registry", "high-tech")
    assert after.returncode == 0, after.stderr


def test_real_parat_into_store(store) -> None:
    run = ingest(store, ParatReader(), shared_path("cset-parat", "parat_data_2021.js")).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (1311, 1311, 0)
    assert store.scalar("SELECT count(*) FROM firm_registry WHERE registry = 'parat' AND country = 'China'") == 134
    microsoft = store.scalar("SELECT firm_id FROM firm_registry WHERE name_en = 'Microsoft'")
    total = store.scalar("SELECT value FROM firm_counts WHERE firm_id = ? AND measure = 'ai_patents' AND year IS NULL",
                         [microsoft])  # fmt: skip
    assert total == 1741
    assert store.scalar("SELECT value FROM firm_counts WHERE firm_id = ? AND measure = 'ai_patents' AND year = 2010",
                        [microsoft]) == 120  # fmt: skip
    # Chinese-script aliases are names to match on, in Han script
    han = store.scalar(
        "SELECT count(DISTINCT n.firm_id) FROM firm_names n JOIN firm_registry f USING (registry, firm_id) "
        "WHERE f.country = 'China' AND n.script = 'han'"
    )
    assert han == 124
