"""PATSTAT reader: split/zipped Global tables with Data Catalog column names, linking and rejects, the Leusin
extracts, and the foundation guarantees (read = accepted + rejected, atomic, one-line errors)."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

import pytest

from aieco.cli import main
from aieco.errors import InputError
from aieco.sources.patstat import PatstatReader, table_of
from aieco.store.ingest import ingest
from aieco.store.readback import stats
from conftest import FIXTURES, shared_path

TABLES = FIXTURES / "patstat" / "tables"
LEUSIN = FIXTURES / "patstat" / "leusin_ipc.csv"


def balanced(store, run) -> None:
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    assert store.scalar("SELECT count(*) FROM rejects WHERE run_id = ?", [run.run_id]) == run.rows_rejected


def test_table_names():
    assert table_of("tls201_part01.zip") == "tls201"
    assert table_of("TLS209_APPLN_IPC.csv") == "tls209"
    assert table_of("tls201.csv") == "tls201"
    assert table_of("README.txt") is None


def test_tables_exact_counts(store):
    run = ingest(store, PatstatReader(), TABLES).run
    # 9 tls201 rows (3 rejected) + 10 rejected rows of other tables
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (19, 6, 13)
    balanced(store, run)
    assert run.options["tables"]["tls201"] == ["tls201_part01.zip", "tls201_part02.zip"]
    assert run.options["tables_ignored"] == ["README.txt"]
    docs = store.query_dicts("SELECT * FROM documents ORDER BY source_line")
    assert [(d["office"], d["number"], d["kind"], d["family_id"], d["extended_family_id"]) for d in docs] == [
        ("CN", "201810001234", "A", "5001", "6001"),
        ("US", "16123456", "A", "5001", "6001"),
        ("EP", "19150001", "A", "5002", "6002"),
        ("JP", "2018100200", "A", "5002", "6002"),
        ("KR", "1020190001", "A", "5003", "6003"),
        ("WO", "IB2019050001", "W", "5006", "6006"),
    ]
    # the second part keys its rows by 10**9 + line
    assert [d["source_line"] for d in docs] == [2, 3, 4, 1_000_000_002, 1_000_000_003, 1_000_000_007]
    assert {d["number"]: d["priority_office"] for d in docs} == {
        "201810001234": "CN",  # its own first filing (earliest_filing_id = appln_id)
        "16123456": "CN",  # tls204 claims 1001 (CN)
        "19150001": "JP",  # tls204 claims 1004, in the second part (JP)
        "2018100200": "JP",
        "1020190001": None,  # earliest filing 9999 is not in tls201: unknown
        "IB2019050001": "WO",
    }  # no claim in tls204 and no earliest_filing_id: own first filing
    us = docs[1]
    assert (us["priority_date"], us["priority_year"], us["application_date"], us["filing_year"]) == (
        date(2018, 3, 1),
        2018,
        date(2019, 2, 20),
        2019,
    )
    assert docs[5]["priority_date"] is None and docs[5]["priority_year"] is None  # 9999-12-31 / 9999
    assert all(d["doc_type"] == "application" for d in docs)
    assert [d["granted"] for d in docs] == [True, False, False, False, False, False]
    assert docs[0]["title"] == 'Neural network, "deep" training method' and docs[0]["title_lang"] == "en"
    assert docs[0]["abstract"] == "A method of training.\nA second line, with a comma."
    assert docs[0]["publication_date"] == date(2018, 9, 1)
    assert store.scalar("SELECT count(*) FROM parties") == 11
    assert dict(store.query("SELECT role, count(*) FROM parties GROUP BY 1")) == {
        "applicant": 6,
        "inventor": 5,
    }
    assert dict(store.query("SELECT scheme, count(*) FROM classifications GROUP BY 1")) == {
        "ipc": 6,
        "cpc": 3,
    }
    assert store.scalar("SELECT count(*) FROM classifications WHERE symbol_norm IS NULL") == 0
    assert store.query("SELECT office, number, priority_date FROM priorities ORDER BY office") == [
        ("CN", "201810001234", date(2018, 3, 1)),
        ("JP", "2018100200", date(2018, 6, 1)),
    ]


def test_country_hygiene(store):
    ingest(store, PatstatReader(), TABLES)
    rows = store.query(
        "SELECT country_raw, country FROM parties WHERE country_raw IS NOT NULL "
        "AND country_raw <> coalesce(country, '') ORDER BY 1"
    )
    assert sorted(set(rows)) == [("DT", "DE"), ("JA", "JP"), ("NY", "US"), ("un", None)]
    assert store.scalar("SELECT country FROM parties WHERE name = 'IVANOV Ivan'") == "SU"
    found = dict(store.query("SELECT finding, count FROM findings"))
    assert found == {
        "country-code-normalised": 2,
        "historical-country-code": 1,
        "us-state-code-as-country": 1,
        "unknown-country-code": 1,
    }


def test_rejects_with_reasons(store):
    run = ingest(store, PatstatReader(), TABLES).run
    rejects = {
        (r[0].split("/")[-1], r[1], r[2]): r[3]
        for r in store.query("SELECT file, line, field, reason FROM rejects WHERE run_id = ?", [run.run_id])
    }
    assert set(rejects) == {
        ("tls201_part02.zip", 4, "appln_nr"),
        ("tls201_part02.zip", 5, "appln_id"),
        ("tls201_part02.zip", 6, "appln_id"),
        ("tls202_part01.csv", 4, "appln_id"),
        ("tls204_part01.csv", 4, "appln_id"),
        ("tls206_part01.csv", 8, "person_id"),
        ("tls207_part01.csv", 12, "person_id"),
        ("tls207_part01.csv", 13, "appln_id"),
        ("tls207_part01.csv", 14, "applt_seq_nr"),
        ("tls209_part01.csv", 8, "appln_id"),
        ("tls209_part01.csv", 9, "appln_id"),
        ("tls209_part01.csv", 10, "ipc_class_symbol"),
        ("tls211_part01.csv", 5, "appln_id"),
    }
    assert rejects[("tls201_part02.zip", 6, "appln_id")].startswith("tls201: repeat of 1001 (first at ")
    assert rejects[("tls207_part01.csv", 12, "person_id")] == "tls207: no tls206 row for person_id 11"


def test_coverage_per_source(store):
    ingest(store, PatstatReader(), TABLES)
    cov = stats(store)["coverage"]["patstat"]
    assert cov["documents"] == 6
    assert cov["family_id"] == 1.0
    assert cov["priority_office"] == pytest.approx(5 / 6, abs=1e-4)
    assert cov["applicant_country"] == pytest.approx(5 / 6, abs=1e-4)  # KIM has no country; ACME NY → US
    assert cov["inventor_country"] == pytest.approx(4 / 6, abs=1e-4)


def test_same_folder_twice_is_a_noop(store):
    ingest(store, PatstatReader(), TABLES)
    assert ingest(store, PatstatReader(), TABLES).noop


def _copy(tmp_path):
    folder = tmp_path / "tables"
    shutil.copytree(TABLES, folder)
    return folder


def test_bad_header_is_atomic_one_line_error(store, tmp_path):
    folder = _copy(tmp_path)
    (folder / "tls209_part01.csv").write_text("appln_id,ipc_symbol\n1001,G06N 3/08\n")
    with pytest.raises(
        InputError,
        match=r"tls209_part01.csv:1: not a tls209 table header: missing ipc_class_symbol",
    ):
        ingest(store, PatstatReader(), folder)
    assert store.scalar("SELECT count(*) FROM runs") == 0
    assert store.scalar("SELECT count(*) FROM documents") == 0
    assert store.scalar("SELECT count(*) FROM rejects") == 0
    assert store.scalar("SELECT count(*) FROM duckdb_tables() WHERE temporary") == 0


def test_corrupt_zip_part_leaves_store_unchanged(store, tmp_path):
    ingest(store, PatstatReader(), TABLES)
    before = store.scalar("SELECT count(*) FROM documents")
    folder = _copy(tmp_path)
    (folder / "tls201_part02.zip").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputError, match="tls201_part02.zip"):
        ingest(store, PatstatReader(), folder)
    assert store.scalar("SELECT count(*) FROM documents") == before
    assert store.scalar("SELECT count(*) FROM runs") == 1


def test_missing_tables(store, tmp_path):
    folder = _copy(tmp_path)
    for part in folder.glob("tls201*"):
        part.unlink()
    with pytest.raises(InputError, match="no tls201_appln table"):
        ingest(store, PatstatReader(), folder)
    folder = _copy(tmp_path / "b")
    (folder / "tls206_part01.csv").unlink()
    with pytest.raises(InputError, match="tls207 is there but tls206 is not"):
        ingest(store, PatstatReader(), folder)


def test_only_tls201_uses_filing_dates(store, tmp_path):
    folder = tmp_path / "only201"
    folder.mkdir()
    with zipfile.ZipFile(TABLES / "tls201_part01.zip") as z:
        text = z.read("tls201_part01.csv").decode().replace(",1001,Y,", ",,Y,").replace(",1001,N,", ",,N,")
    (folder / "tls201.csv").write_text(text)
    run = ingest(store, PatstatReader(), folder).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (3, 3, 0)
    # without tls204 and earliest_filing_id, an application is its own first filing when its dates agree
    assert dict(store.query("SELECT number, priority_office FROM documents")) == {
        "201810001234": "CN",
        "16123456": None,
        "19150001": None,
    }


def test_cli_error_is_one_line_exit_2(tmp_path, capsys):
    folder = _copy(tmp_path)
    (folder / "tls209_part01.csv").write_text("appln_id,ipc_symbol\n1001,G06N 3/08\n")
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "cli.duckdb"), "ingest", "patstat", str(folder)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "tls209_part01.csv:1" in err


def test_leusin_fixture(store):
    run = ingest(store, PatstatReader(), LEUSIN).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (8, 6, 2)
    balanced(store, run)
    assert store.scalar("SELECT count(*) FROM documents WHERE source = 'patstat-leusin'") == 3
    assert store.query(
        "SELECT d.number, p.country, p.country_raw FROM parties p JOIN documents d USING (doc_id) "
        "ORDER BY 1, p.seq"
    ) == [("101", "CN", "CN"), ("101", "US", "US"), ("102", "JP", "JA"), ("103", "DE", "DE")]
    assert store.query(
        "SELECT d.number, c.symbol_norm FROM classifications c JOIN documents d USING (doc_id) "
        "ORDER BY 1, c.seq"
    ) == [("101", "G06N3/08"), ("101", "G06F17/30"), ("102", "G06N"), ("103", "G06K9/62")]
    assert dict(store.query("SELECT number, priority_year FROM documents")) == {
        "101": 2004,
        "102": 2010,
        "103": None,
    }


def test_leusin_real_ipc_sample(store):
    path = shared_path("patstat-leusin", "All_patents_and_IPC_codes_Part1_SmallSampleWithHeader.csv")
    run = ingest(store, PatstatReader(), path).run
    assert (run.rows_read, run.rows_rejected) == (10_000, 0)
    balanced(store, run)
    assert store.scalar("SELECT count(*) FROM documents") == 3224
    assert store.scalar("SELECT count(*) FROM parties WHERE country = 'CN'") > 0
    assert stats(store)["coverage"]["patstat-leusin"]["inventor_country"] == 1.0


def test_leusin_real_weights_sample(store):
    path = shared_path("patstat-leusin", "All_patents_and_IPCs_Part1_SmallSampleWithHeader.csv")
    run = ingest(store, PatstatReader(), path).run
    assert (run.rows_read, run.rows_rejected) == (10_000, 0)
    balanced(store, run)
    assert store.scalar("SELECT count(*) FROM documents") == 3255
    assert run.options["layout"] == "techn_field/weight"
    assert store.scalar("SELECT count FROM findings WHERE finding = 'weight-decimal-lost'") == 10_000
    # an application's field weights over its inventor countries add up to one field
    assert store.scalar("SELECT median(weight) FROM classifications") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("appln_id", "reason"),
    [
        ("12345678901234567890", "integer out of range: 12345678901234567890"),
        ("7" * 10_000_000, "integer out of range: 77777777777777777777… (10,000,000 characters)"),
        ("١٢", "not an integer: '١٢'"),
    ],
    ids=["20-digits", "10MB-digits", "arabic-digits"],
)
def test_an_id_that_does_not_fit_bigint_is_a_reject(store, tmp_path, appln_id, reason):
    import shutil

    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    with open(tables / "tls202_part01.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{appln_id},en,An oversized id\n")
    run = ingest(store, PatstatReader(), tables).run
    got = store.query("SELECT field, reason FROM rejects WHERE run_id = ? AND file LIKE '%tls202%' "
                      "AND reason NOT LIKE '%no tls201%' ORDER BY line DESC LIMIT 1", [run.run_id])
    assert got == [("appln_id", "tls202: " + reason)]
    assert run.rows_read == run.rows_accepted + run.rows_rejected
