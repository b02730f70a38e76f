"""Table sets read set-based give what row-by-row reading gives.

The PATSTAT tables are typed and checked in SQL (the specs' ``sql`` twins); a row the SQL does not clear goes
through the Python converter. Here every PATSTAT table is written with a nasty value in each of its columns in
turn (edge whitespace of every kind, signs, other digits, ids that overflow, odd dates and years, non-ASCII
codes, symbols with tabs, …), and the folder is ingested twice: set-based, and with the twins switched off so
that every row goes through the converters. Documents, parties, classifications, priorities, rejects (file,
line, field, reason) and findings must be the same.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from aieco.sources import patstat
from aieco.sources.patstat import PatstatReader
from aieco.store import open_store
from aieco.store.ingest import ingest

NASTY = [
    "",
    " ",
    "\t",
    "\u00a0",
    "\u3000x",
    "x\u2028",
    " \t7 ",
    "7\x1c",
    "+7",
    "-0",
    "007",
    "٣",
    "1e5",
    "1_000",
    "0x10",
    "2147483647",
    "2147483648",
    "-2147483648",
    "999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "12345678901234567890",
    "2018-02-30",
    "2018-03-01T10:00",
    "20180301",
    "2018-3-1",
    "0000-01-01",
    "9999-12-31",
    "9999\t",
    "2018-03-01\t",
    "\t2018-03-01",
    "2018-03-01\u3000",
    "2018\t",
    "\u00a02018",
    "CN\t",
    "G06N 3/08\t",
    "01/03/2018",
    "18",
    "0000",
    "1799",
    "2101",
    "٢٠١٨",
    "cn",
    " us ",
    "ﬁ",
    "XX",
    "ÇN",
    "ß",
    "y",
    "Yes",
    "ja",
    "NY",
    " un ",
    "g06n   3/08",
    "G06N\t3/08",
    "ｇ06N 3/08",
    "G06N 3/08\u3000",
    "H04L",
    'a "quoted" value, with a comma',
    "中文标题",
]

HEADERS = {
    "tls201": (
        "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,ipr_type,earliest_filing_date,"
        "earliest_filing_year,earliest_filing_id,granted,docdb_family_id,inpadoc_family_id,docdb_family_size"
    ),
    "tls202": "appln_id,appln_title_lg,appln_title",
    "tls203": "appln_id,appln_abstract_lg,appln_abstract",
    "tls204": "appln_id,prior_appln_id,prior_appln_seq_nr",
    "tls206": "person_id,person_name,person_ctry_code",
    "tls207": "person_id,appln_id,applt_seq_nr,invt_seq_nr",
    "tls209": "appln_id,ipc_class_symbol",
    "tls224": "appln_id,cpc_class_symbol",
    "tls211": "pat_publn_id,publn_auth,publn_nr,publn_kind,appln_id,publn_date,publn_first_grant",
}


def _good(table: str, i: int) -> list[str]:
    """A valid row for application (or person, publication) ``i``."""
    year = 1990 + i % 30
    return {
        "tls201": [
            str(i),
            "CN",
            f"{year}{i:08d}",
            "A",
            f"{year}-03-01",
            str(year),
            "PI",
            f"{year}-02-01",
            str(year),
            str(max(1, i - 1)),
            "YN"[i % 2],
            str(i // 2),
            str(i // 3),
            "2",
        ],
        "tls202": [str(i), "en", f"A neural network, number {i}"],
        "tls203": [str(i), "en", f"An abstract\nover two lines ({i})"],
        "tls204": [str(i), str(max(1, i - 1)), "1"],
        "tls206": [str(i), f"Firm {i} GmbH", ["DE", "ja", "NY", "SU", ""][i % 5]],
        "tls207": [str(i), str(i), "1", "0"],
        "tls209": [str(i), ["G06N 3/08", "G06F  17/30", "H04L"][i % 3]],
        "tls224": [str(i), "G06N   3/04"],
        "tls211": [str(i), "CN", f"{i:09d}", "A", str(i), "2019-09-01", "N"],
    }[table]


def _rows(table: str) -> list[list[str]]:
    """Valid rows for ids 1..40, then one row per (column, nasty value) on ids from 100 on."""
    rows = [_good(table, i) for i in range(1, 41)]
    width = len(HEADERS[table].split(","))
    n = 100
    for column in range(width):
        for value in NASTY:
            row = _good(table, n % 40 + 1)
            row[0] = str(n)  # its own id, unless the id is the column made nasty
            if table == "tls201":
                row[2] = f"N{n}"  # and its own number: another document
            if table in ("tls207", "tls211"):  # their own key, a good application
                row[1 if table == "tls207" else 4] = str(n % 40 + 1)
            row[column] = value
            rows.append(row)
            n += 1
    return rows


def _write(folder: Path) -> Path:
    folder.mkdir()
    for table, header in HEADERS.items():
        rows = _rows(table)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header.split(","), *rows])
        text = buf.getvalue()
        if table == "tls201":  # two parts, the second zipped: keys 10**9 + line
            lines = text.splitlines(keepends=True)
            (folder / "tls201_part01.csv").write_text("".join(lines[:300]), encoding="utf-8")
            with zipfile.ZipFile(folder / "tls201_part02.zip", "w") as zf:
                # rows of the wrong width shift the lines of the rows after them (keys follow the lines)
                short = "1,CN\n" * 3
                zf.writestr("tls201_part02.csv", lines[0] + short + "".join(lines[300:]))
        else:
            (folder / f"{table}_part01.csv").write_text(text, encoding="utf-8")
    return folder


QUERIES = {
    "documents": "SELECT * EXCLUDE (run_id) FROM documents",
    "parties": "SELECT * EXCLUDE (run_id) FROM parties",
    "classifications": "SELECT * EXCLUDE (run_id) FROM classifications",
    "priorities": "SELECT * EXCLUDE (run_id) FROM priorities",
    "rejects": "SELECT regexp_extract(file, '[^/]+$'), line, field, reason FROM rejects",
    "findings": "SELECT finding, count, examples FROM findings",
    "runs": "SELECT rows_read, rows_accepted, rows_rejected FROM runs",
}


def _outcome(db: Path, folder: Path) -> dict[str, list[tuple[object, ...]]]:
    with open_store(db) as store:
        ingest(store, PatstatReader(), folder)
        return {name: sorted(store.query(sql), key=repr) for name, sql in QUERIES.items()}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    work = tmp_path_factory.mktemp("tablesets")
    folder = _write(work / "tables")
    set_based = _outcome(work / "sql.duckdb", folder)
    with pytest.MonkeyPatch.context() as mp:
        for name, spec in patstat.TABLES.items():
            mp.setitem(patstat.TABLES, name, dataclasses.replace(spec, sql=None))
        row_by_row = _outcome(work / "rows.duckdb", folder)
    return set_based, row_by_row


@pytest.mark.parametrize("what", sorted(QUERIES))
def test_set_based_reading_gives_what_row_by_row_gives(outcomes, what):
    set_based, row_by_row = outcomes
    assert set_based[what] == row_by_row[what]


def test_the_nasty_rows_are_real_work(outcomes):
    """The corpus exercises both outcomes: rows accepted through the converters and rejects of every table."""
    set_based, _ = outcomes
    ((read, accepted, rejected),) = set_based["runs"]
    assert read == accepted + rejected and accepted > 100 and rejected > 100
    rejected_tables = {reason.split(":")[0] for _, _, _, reason in set_based["rejects"]}
    assert rejected_tables >= set(HEADERS)
    assert {f[0] for f in set_based["findings"]} >= {"unparseable-date", "unparseable-symbol", "unknown-country-code"}
