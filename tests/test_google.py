"""Google Patents Public Data (BigQuery publications export): .gz JSONL with nested arrays, Parquet, rejects,
and the foundation guarantees."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aieco.cli import main
from aieco.errors import InputError
from aieco.sources.google import GoogleReader, pick_text, split_publication_number
from aieco.store.ingest import ingest
from aieco.store.readback import stats
from conftest import FIXTURES

EXPORT = FIXTURES / "google" / "publications-000000000000.json.gz"


def _good_rows() -> list[dict]:
    rows = []
    with gzip.open(EXPORT, "rt", encoding="utf-8") as fh:
        for text in fh:
            try:
                row = json.loads(text)
            except json.JSONDecodeError:
                continue
            if (
                isinstance(row, dict)
                and row.get("kind_code")
                and "-" in row.get("publication_number", "")
                and row["publication_number"][:2] == row["country_code"]
            ):
                rows.append(row)
    return rows[:4]


def test_split_publication_number():
    assert split_publication_number("US-2019385748-A1") == ("US", "2019385748", "A1")
    assert split_publication_number("US1234567B2") is None
    assert pick_text([{"text": "x", "language": "zh"}, {"text": "y", "language": "en"}]) == ("y", "en")
    assert pick_text(None) == (None, None)


def test_gz_jsonl_exact_counts(store):
    run = ingest(store, GoogleReader(), EXPORT).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (10, 4, 6)
    assert store.scalar("SELECT count(*) FROM rejects WHERE run_id = ?", [run.run_id]) == 6
    assert run.options["format"] == "gzip"
    docs = store.query_dicts("SELECT * FROM documents ORDER BY source_line")
    assert [(d["office"], d["number"], d["kind"], d["family_id"]) for d in docs] == [
        ("US", "20190385748", "A1", "5001"),
        ("CN", "108000001", "A", "5002"),
        ("EP", "3500001", "B1", "5003"),
        ("WO", "2020000001", "A1", None),
    ]
    assert [d["priority_office"] for d in docs] == ["US", "CN", "DE", "WO"]
    assert [d["priority_date"] for d in docs] == [
        date(2017, 6, 21),
        date(2018, 3, 1),
        date(2017, 10, 13),
        None,
    ]
    assert [d["granted"] for d in docs] == [False, False, True, False]
    assert docs[1]["title"] == "Neural network training method" and docs[1]["title_lang"] == "en"
    assert docs[0]["abstract"] == 'An accelerator for\ntraining "deep" networks.'
    assert dict(store.query("SELECT role, count(*) FROM parties GROUP BY 1")) == {
        "applicant": 4,
        "inventor": 7,
    }
    assert dict(store.query("SELECT scheme, count(*) FROM classifications GROUP BY 1")) == {
        "cpc": 3,
        "ipc": 4,
    }
    assert store.scalar("SELECT count(*) FROM priorities") == 3
    reasons = dict(store.query("SELECT line, field FROM rejects"))
    assert reasons == {
        6: "row",
        7: "publication_number",
        8: "publication_number",
        9: "row",
        10: "country_code",
        11: "row",
    }
    assert dict(store.query("SELECT finding, count FROM findings WHERE finding LIKE '%country%'")) == {
        "country-code-normalised": 2,
        "historical-country-code": 1,
        "unknown-country-code": 1,
        "us-state-code-as-country": 1,
    }
    cov = stats(store)["coverage"]["google"]
    assert cov["family_id"] == 0.75 and cov["priority_office"] == 1.0 and cov["inventor_country"] == 0.75


def test_parquet_gives_the_same_documents(store, tmp_path):
    path = tmp_path / "publications.parquet"
    pq.write_table(pa.Table.from_pylist(_good_rows()), path)
    run = ingest(store, GoogleReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (4, 4, 0)
    assert run.options["format"] == "parquet"
    assert store.scalar("SELECT count(*) FROM parties") == 11
    assert store.scalar("SELECT count(*) FROM classifications") == 7


def test_folder_of_shards(store, tmp_path):
    rows = _good_rows()
    for i, chunk in enumerate((rows[:2], rows[2:])):
        (tmp_path / f"publications-{i:012d}.json").write_text("\n".join(json.dumps(r) for r in chunk) + "\n")
    run = ingest(store, GoogleReader(), tmp_path).run
    assert (run.rows_read, run.rows_accepted) == (4, 4) and run.options["files"] == 2
    assert store.query("SELECT source_line FROM documents ORDER BY 1") == [
        (1,),
        (2,),
        (1_000_000_001,),
        (1_000_000_002,),
    ]


def test_truncated_gzip_is_atomic_one_line_error(store, tmp_path, capsys):
    ingest(store, GoogleReader(), EXPORT)
    data = EXPORT.read_bytes()
    bad = tmp_path / "cut.json.gz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.json.gz.*corrupt or truncated gzip"):
        ingest(store, GoogleReader(), bad)
    assert store.scalar("SELECT count(*) FROM runs") == 1
    assert store.scalar("SELECT count(*) FROM documents") == 4
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "cli.duckdb"), "ingest", "google", str(bad)])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err


def test_bigquery_mapping_runs_and_agrees_with_the_reader(store):
    """The grid's view of ``patents-public-data.patents.publications`` (compiled by Ibis), run on the exported
    rows in DuckDB, gives each publication the priority office the reader gives it; the whole grid query for
    the priority-office attribution runs."""
    import duckdb
    import ibis

    from aieco.measure.grid import grid_sql, subjects_for
    from aieco.measure.queries import (
        GOOGLE_PUBLICATIONS_SCHEMA,
        Filter,
        compile_sql,
        google_tables,
        subject_counts_expr,
        unit_year_country,
    )
    from aieco.model import Method

    rows = _good_rows()
    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS \"patents-public-data\"")
    con.execute('CREATE SCHEMA "patents-public-data".patents')
    publications = pa.Table.from_pylist(rows, schema=ibis.schema(GOOGLE_PUBLICATIONS_SCHEMA).to_pyarrow())
    con.register("export", publications)
    con.execute('CREATE TABLE "patents-public-data".patents.publications AS SELECT * FROM export')
    got = dict(
        con.execute(
            "SELECT doc_id, priority_office FROM ("
            + compile_sql(google_tables(priority_office=True).documents, "duckdb")
            + ")"
        ).fetchall()
    )
    ingest(store, GoogleReader(), EXPORT)
    expected = [
        d["priority_office"] for d in store.query_dicts("SELECT priority_office FROM documents ORDER BY source_line")
    ]
    assert [got[r["publication_number"]] for r in rows] == expected == ["US", "CN", "DE", "WO"]
    # The grid query itself (documents by priority office, DE), on the BigQuery-shaped table.
    method = Method(unit="document", attribution="priority-office")
    assert "first_office" in grid_sql("bigquery", method, country="DE")
    expr = subject_counts_expr(
        unit_year_country(google_tables(priority_office=True), method, Filter(source=None)), subjects_for("DE", None)
    )
    counts = con.execute(compile_sql(expr, "duckdb")).fetch_df()
    # Priority years: US 2017, CN 2018, DE (the EP publication's claim) 2017, WO none.
    assert counts.sort_values("year").to_dict("records") == [
        {"year": 2017, "world": 2, "w0": 1.0, "f0": 1.0},
        {"year": 2018, "world": 1, "w0": 0.0, "f0": 0.0},
    ]


# -- shapes that do not fit the schema: each a reject with its reason, never a traceback or a silent change


def _mutant(**changes: object) -> dict:
    row = dict(_good_rows()[0])
    row.update(changes)
    return row


SHAPES = [
    ({"cpc": "G06N3/08"}, "cpc", "expected a list, got a string"),
    ({"cpc": 7}, "cpc", "expected a list, got an integer"),
    ({"assignee_harmonized": "ACME CORP"}, "assignee_harmonized", "expected a list, got a string"),
    ({"assignee_harmonized": ["ACME CORP"]}, "assignee_harmonized[0]", "expected an object, got a string"),
    (
        {"inventor_harmonized": [{"name": "A", "country_code": 86}]},
        "inventor_harmonized[0].country_code",
        "expected a string, got an integer",
    ),
    ({"country_code": 12}, "country_code", "expected a string, got an integer"),
    (
        {"title_localized": [{"text": ["x"], "language": "en"}]},
        "title_localized[0].text",
        "expected a string, got a list",
    ),
    ({"family_id": True}, "family_id", "expected a string or an integer, got true/false"),
    ({"publication_date": 2**70}, "publication_date", "integer out of range (22 digits)"),
    ({"cpc": [{"code": "G06N"}] * 10_001}, "cpc", "10,001 entries, over the limit of 10,000"),
    (
        {"abstract_localized": [{"text": "x" * 1_000_001, "language": "en"}]},
        "abstract_localized[0].text",
        "1,000,001 characters, over the field limit of 1,000,000",
    ),
]


@pytest.mark.parametrize(("changes", "field", "reason"), SHAPES, ids=[s[1] + ":" + s[2][:20] for s in SHAPES])
def test_a_field_of_the_wrong_shape_is_a_reject(store, tmp_path, changes, field, reason):
    path = tmp_path / "shape.json"
    good = _good_rows()[1]
    path.write_text(json.dumps(_mutant(**changes)) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    run = ingest(store, GoogleReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (2, 1, 1)
    assert store.query("SELECT line, field, reason FROM rejects") == [(1, field, reason)]
    assert store.scalar("SELECT count(*) FROM classifications WHERE symbol = 'G'") == 0  # not char by char


def test_a_file_of_only_bad_records_is_refused_without_blaming_a_header(store, tmp_path):
    """JSON lines name their fields: a file whose every record is rejected is not 'a shuffled or wrong header'."""
    path = tmp_path / "all-bad.jsonl"
    path.write_text(json.dumps(_mutant(cpc="G06N3/08")) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest(store, GoogleReader(), path)
    message = str(err.value)
    assert "1 of 1 rows rejected (first: line 1 [cpc] expected a list, got a string)" in message
    assert "not in the layout this reader reads" in message and "header" not in message
    assert store.scalar("SELECT count(*) FROM runs") == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{"publication_number": "US-1-A", "title_localized": [{"text": "\\ud800"}]}',
            "invalid Unicode (a lone surrogate escape such as \\ud800)",
        ),
        ("[" * 1000 + "]" * 1000, "JSON nested too deeply"),
        ('{"publication_number": "US-1-A", "family_id": ' + "7" * 5000 + "}", "not readable JSON"),
        (b'{"publication_number": "US-1-A", "kind_code": "A\xff"}', "not UTF-8 (byte 49"),
    ],
    ids=["surrogate", "deep", "huge-int", "not-utf8"],
)
def test_unreadable_json_lines_are_rejects(store, tmp_path, text, reason):
    path = tmp_path / "bad.json"
    data = text if isinstance(text, bytes) else text.encode()
    path.write_bytes(data + b"\n" + json.dumps(_good_rows()[1]).encode() + b"\n")
    run = ingest(store, GoogleReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (2, 1, 1)
    assert str(store.scalar("SELECT reason FROM rejects")).startswith(reason)


def test_a_line_over_the_row_limit_is_skipped_unread(store, tmp_path, monkeypatch):
    import aieco.sources.google as google

    monkeypatch.setattr(google, "_LINE_LIMIT", 1000)
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps(_mutant(cpc=[{"code": "G06N3/08"}] * 200)) + "\n" + json.dumps(_good_rows()[1]) + "\n",
        encoding="utf-8",
    )
    run = ingest(store, GoogleReader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (2, 1, 1)
    assert "over the row limit of 1,000" in str(store.scalar("SELECT reason FROM rejects"))


def test_parquet_with_a_number_for_country_code_is_a_reject(store, tmp_path):
    rows = [_mutant(country_code=None), _good_rows()[1]]
    table = pa.Table.from_pylist(
        [
            {"publication_number": r["publication_number"], "kind_code": r["kind_code"], "country_code": c}
            for r, c in zip(rows, [44, None], strict=True)
        ]
    )
    pq.write_table(table, tmp_path / "x.parquet")
    run = ingest(store, GoogleReader(), tmp_path / "x.parquet").run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (2, 1, 1)
    assert store.query("SELECT field, reason FROM rejects") == [("country_code", "expected a string, got an integer")]


def test_corrupt_gzip_body_is_one_line_error(store, tmp_path):
    data = bytearray(EXPORT.read_bytes())
    data[30:60] = b"\x00" * 30  # the deflate stream, past the header
    path = tmp_path / "corrupt.json.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt or truncated gzip file"):
        ingest(store, GoogleReader(), path)
    assert store.scalar("SELECT count(*) FROM runs") == 0
