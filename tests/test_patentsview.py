"""PatentsView granted bulk TSVs: zipped and plain tables, quoted fields with tabs and newlines, linking,
rejects, and the foundation guarantees."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from aieco.cli import main
from aieco.errors import InputError
from aieco.sources.patentsview import PatentsViewReader, table_of
from aieco.store.ingest import ingest
from aieco.store.readback import stats
from conftest import FIXTURES

TABLES = FIXTURES / "patentsview"


def test_table_names():
    assert table_of("g_patent.tsv.zip") == "g_patent"
    assert table_of("g_cpc_current.tsv") == "g_cpc_current"
    assert table_of("notes.md") is None


def test_exact_counts(store):
    run = ingest(store, PatentsViewReader(), TABLES).run
    # 8 g_patent rows (4 rejected) + 6 rejected rows of other tables
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (14, 4, 10)
    assert store.scalar("SELECT count(*) FROM rejects WHERE run_id = ?", [run.run_id]) == 10
    assert run.options["tables_ignored"] == ["g_gov_interest"]
    docs = store.query_dicts("SELECT * FROM documents ORDER BY source_line")
    assert [(d["office"], d["number"], d["kind"], d["granted"], d["doc_type"]) for d in docs] == [
        ("US", "10000001", "B2", True, "grant"),
        ("US", "10000002", "B1", True, "grant"),
        ("US", "D820001", "S1", True, "grant"),
        ("US", "RE47001", "E1", True, "grant"),
    ]
    assert docs[0]["title"] == "Neural network\twith a tab in its title"
    assert docs[0]["abstract"] == 'First line of the abstract.\nSecond line with a "quote".'
    assert [(d["priority_office"], d["priority_date"]) for d in docs] == [
        ("JP", date(2015, 1, 5)),
        ("JP", date(2015, 2, 2)),
        ("US", date(2017, 3, 1)),
        (None, None),
    ]
    assert docs[0]["application_number"] == "15/000001" and docs[0]["publication_date"] == date(2018, 6, 19)
    assert dict(store.query("SELECT role, count(*) FROM parties GROUP BY 1")) == {
        "applicant": 4,
        "inventor": 5,
    }
    assert dict(store.query("SELECT scheme, count(*) FROM classifications GROUP BY 1")) == {
        "ipc": 3,
        "cpc": 3,
    }
    assert store.scalar("SELECT count(*) FROM priorities") == 3
    assert store.scalar("SELECT name FROM parties WHERE country_raw = 'NY'") == "ACME\tCorp"
    assert store.query(
        "SELECT DISTINCT country_raw, country FROM parties WHERE country_raw <> "
        "coalesce(country, '') ORDER BY 1"
    ) == [("JA", "JP"), ("NY", "US"), ("un", None)]
    cov = stats(store)["coverage"]["patentsview"]
    assert (cov["applicant_country"], cov["inventor_country"], cov["priority_office"], cov["family_id"]) == (
        1.0,
        0.75,
        0.75,
        0.0,
    )


def test_rejects_with_reasons(store):
    run = ingest(store, PatentsViewReader(), TABLES).run
    got = {
        (f.split("/")[-1], line, field)
        for f, line, field in store.query(
            "SELECT file, line, field FROM rejects WHERE run_id = ?", [run.run_id]
        )
    }
    assert got == {
        ("g_patent.tsv.zip", 7, "patent_id"),
        ("g_patent.tsv.zip", 8, "wipo_kind"),
        ("g_patent.tsv.zip", 9, "patent_id"),
        ("g_patent.tsv.zip", 11, "row"),
        ("g_application.tsv", 5, "patent_id"),
        ("g_foreign_priority.tsv", 5, "patent_id"),
        ("g_cpc_current.tsv", 5, "patent_id"),
        ("g_cpc_current.tsv", 6, "patent_id"),
        ("g_inventor_disambiguated.tsv", 7, "patent_id"),
        ("g_location_disambiguated.tsv", 8, "location_id"),
    }


def test_bad_header_is_atomic_one_line_error(store, tmp_path, capsys):
    ingest(store, PatentsViewReader(), TABLES)
    folder = tmp_path / "pv"
    shutil.copytree(TABLES, folder)
    (folder / "g_location_disambiguated.tsv").write_text("location_id\tcountry\nloc-cn\tCN\n")
    with pytest.raises(
        InputError, match=r"g_location_disambiguated.tsv:1: not a g_location_disambiguated table"
    ):
        ingest(store, PatentsViewReader(), folder)
    assert (
        store.scalar("SELECT count(*) FROM runs") == 1 and store.scalar("SELECT count(*) FROM documents") == 4
    )
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "cli.duckdb"), "ingest", "patentsview", str(folder)])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_file_is_not_a_table_set(store):
    with pytest.raises(InputError, match="give the folder"):
        ingest(store, PatentsViewReader(), TABLES / "g_application.tsv")
