"""CSET/1790 reader: both published layouts, the real hazards, enrichment, and the real files."""

from __future__ import annotations

import csv

from aieco.sources.cset1790 import Cset1790Reader
from aieco.store.ingest import ingest
from aieco.store.readback import findings, rejects, stats
from conftest import FIXTURES, shared_path

L45 = FIXTURES / "cset1790" / "layout45.csv"
L46 = FIXTURES / "cset1790" / "layout46.csv"


def test_45_column_layout(store):
    run = ingest(store, Cset1790Reader(), L45).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (9, 8, 1)
    assert rejects(store, run.run_id)[0] | {"raw": ""} == {
        "run_id": run.run_id, "file": str(L45), "line": 4, "field": "row",
        "reason": "exact repeat of line 3", "raw": ""}
    s = stats(store)
    assert s["documents"] == 8 and s["families"] == 7
    assert s["by_office"] == {"CN": 2, "DE": 2, "US": 2, "BR": 1, "JP": 1}
    assert s["by_document_type"] == {"Patent Application": 6, "Granted Patent": 2}
    assert s["by_priority_year"] == {"2015": 1, "2016": 2, "2017": 4, "2018": 1}
    assert s["findings"] == {"mangled-publication-number": 3, "cset1790-mislabelled-columns": 1}
    # the same number with two kind codes is two documents; granted follows Patent_Type
    rows = store.query("SELECT kind, granted FROM documents WHERE office = 'CN' ORDER BY kind")
    assert rows == [("A", False), ("B", True)]
    cats = store.query("SELECT d.office, d.number, c.dimension, c.category FROM categories c "
                       "JOIN documents d USING (doc_id) WHERE d.office = 'US' ORDER BY 1, 2, 4")
    assert cats == [("US", "10000001", "functional_application", "Control"),
                    ("US", "10000001", "functional_application", "Robotics"),
                    ("US", "20190385748", "application_field", "Agricultural"),
                    ("US", "20190385748", "ai_technique", "Machine_Learning")]
    # every flag of the layout is declared, so a missing row means false
    assert store.scalar("SELECT count(*) FROM run_categories WHERE run_id = ?", [run.run_id]) == 34
    assert store.scalar("SELECT extra->>'num_ai_techniques' FROM documents WHERE office = 'JP'") == "1"
    # the two mislabelled columns are declared as what they hold
    declared = {r[0] for r in store.query("SELECT category FROM run_categories WHERE run_id = ?", [run.run_id])}
    assert {"Life_Sciences", "Networks__eg_social_IOT_etc"} <= declared
    assert not {"Security__eg_cybersecurity", "Business"} & declared


def test_45_column_layout_reads_its_mislabelled_columns_as_what_they_hold(store, tmp_path):
    """7b5b096 heads the Life_Sciences and Networks flags Security__eg_cybersecurity and Business (the real
    files agree column by column, see the reader): a true flag there is a Life_Sciences / Networks flag."""
    rows = list(csv.reader(L45.open()))
    header = rows[0]
    rows[1][header.index("Security__eg_cybersecurity")] = "true"   # JP 2017207839
    rows[1][header.index("Business")] = "true"
    path = tmp_path / "l45.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    ingest(store, Cset1790Reader(), path)
    cats = store.query("SELECT c.dimension, c.category FROM categories c JOIN documents d USING (doc_id) "
                       "WHERE d.office = 'JP' ORDER BY 2")
    assert cats == [("application_field", "Life_Sciences"), ("ai_technique", "Machine_Learning"),
                    ("application_field", "Networks__eg_social_IOT_etc")]
    (finding,) = [f for f in findings(store) if f["finding"] == "cset1790-mislabelled-columns"]
    assert "Security__eg_cybersecurity as Life_Sciences" in finding["examples"][0]


def test_46_column_layout_enriches_without_doubling(store):
    ingest(store, Cset1790Reader(), L45)
    run = ingest(store, Cset1790Reader(), L46).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (9, 7, 2)
    reasons = {r["line"]: (r["field"], r["reason"]) for r in rejects(store, run.run_id)}
    assert reasons[7] == ("row", "exact repeat of line 6")
    field, reason = reasons[10]
    assert field == "Publication_number"
    assert "mangled publication number 1.02004E+11" in reason and "cannot be linked safely" in reason
    s = stats(store)
    assert s["documents"] == 8  # not doubled
    assert store.scalar("SELECT count(DISTINCT doc_id) FROM documents") == 8  # ids stay unique
    # every document: the 45-column file carries the flags too (under another name), the 46-column adds none
    assert s["category_coverage"]["Life_Sciences"] == 8
    assert s["categories"]["Life_Sciences"] == 2
    # the 10-digit US pre-grant number linked to the 11-digit one, and the finding says so
    assert s["findings"]["us-pregrant-number-normalised"] == 1
    assert store.scalar("SELECT count(*) FROM document_sources WHERE run_id = ?", [run.run_id]) == 7
    # fields only the first layout has stay; the enrichment did not erase them
    assert store.scalar("SELECT count(*) FROM documents WHERE doc_type IS NULL") == 0


def test_enrichment_in_the_other_order_fills_missing_fields(store):
    ingest(store, Cset1790Reader(), L46)
    run = ingest(store, Cset1790Reader(), L45).run
    assert run.rows_rejected == 2  # the exact repeat and the BR number rounded differently
    assert store.scalar("SELECT count(*) FROM documents") == 8
    assert store.scalar("SELECT count(*) FROM documents WHERE priority_year IS NULL") == 1  # the BR one


def test_same_document_with_other_values_is_rejected(store, tmp_path):
    lines = L45.read_text().splitlines()
    changed = lines[1].replace("Patent Application,2016", "Patent Application,2015")
    path = tmp_path / "conflict.csv"
    path.write_text("\n".join([lines[0], lines[1], changed]) + "\n")
    run = ingest(store, Cset1790Reader(), path).run
    assert (run.rows_accepted, run.rows_rejected) == (1, 1)
    assert "same document (JP 2017207839 A, family 60414974) as line 2" in rejects(store, run.run_id)[0]["reason"]


def test_bad_values_are_rejected_with_field(store, tmp_path):
    lines = L45.read_text().splitlines()
    bad_office = lines[1].replace("JP,", "J1,", 1)
    head, _, tail = lines[5].rpartition(",true")  # the last true flag is a category (Fuzzy_Logic)
    bad_flag = head + ",maybe" + tail
    short = ",".join(lines[6].split(",")[:10])
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([lines[0], bad_office, lines[2], bad_flag, short]) + "\n")
    run = ingest(store, Cset1790Reader(), path).run
    got = {r["line"]: (r["field"], r["reason"]) for r in rejects(store, run.run_id)}
    assert got[2] == ("Publication_country", "not a two-letter office code: J1")
    assert got[4][1] == "not true/false: maybe"
    assert got[5] == ("row", "row has 10 fields, header has 45")
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (4, 1, 3)


def test_real_7b5b096_then_f0c0114():
    """The issue's numbers, on the real files (CI runs this)."""
    from aieco.store import open_store

    p45 = shared_path("cset-1790", "patent_database-7b5b096.csv.zip")
    p46 = shared_path("cset-1790", "patent_database-f0c0114.csv.zip")
    with open_store(":memory:") as store:
        run = ingest(store, Cset1790Reader(), p45).run
        assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (287532, 287443, 89)
        s = stats(store)
        assert (s["documents"], s["families"]) == (287443, 155770)
        assert s["by_office"]["CN"] == 90765 and s["by_office"]["US"] == 95285
        mangled = [f for f in findings(store) if f["finding"] == "mangled-publication-number"]
        assert mangled[0]["count"] == 4023
        assert all(r["reason"].startswith("exact repeat of line") for r in rejects(store, run.run_id))

        run2 = ingest(store, Cset1790Reader(), p46).run
        assert run2.rows_read == 287532
        assert run2.rows_read == run2.rows_accepted + run2.rows_rejected
        s = stats(store)
        assert s["documents"] == 287443
        assert store.scalar("SELECT count(DISTINCT doc_id) FROM documents") == 287443
        assert s["category_coverage"]["Life_Sciences"] == 287443
        # The 45-column file's "Security" and "Business" columns are read as Life_Sciences and Networks: the
        # 46-column file then adds no such flag to a document it shares (they agree), and brings every Security
        # and Business flag (the 45-column file has none).
        by_run = dict(((r[0], r[1]), r[2]) for r in store.query(
            "SELECT category, run_id = ?, count(*) FROM categories WHERE category IN ('Life_Sciences', "
            "'Networks__eg_social_IOT_etc', 'Security__eg_cybersecurity', 'Business') GROUP BY ALL", [run.run_id]))
        assert by_run == {("Life_Sciences", True): 38600, ("Networks__eg_social_IOT_etc", True): 2796,
                          ("Security__eg_cybersecurity", False): 15972, ("Business", False): 39621}
        reasons = store.query("SELECT split_part(reason, ' ', 1), count(*) FROM rejects WHERE run_id = ? "
                              "GROUP BY 1 ORDER BY 1", [run2.run_id])
        assert reasons == [("exact", 89), ("mangled", 299)]


def test_legacy_encoding_and_quoted_newlines_take_the_general_reader(store, tmp_path):
    lines = L45.read_text().splitlines()
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("\n".join([lines[0], lines[1].replace("Patent Application", "Patent Applicatiön"),
                                  lines[2]]).encode("mac_roman") + b"\n")
    run = ingest(store, Cset1790Reader(), legacy).run
    assert (run.encoding, run.options["parser"], run.rows_accepted) == ("cp1252", "python", 2)
    assert store.scalar("SELECT doc_type FROM documents WHERE office = 'JP'") == "Patent Applicati\u0161n"
    assert "legacy-encoding-detected" in stats(store)["findings"]

    quoted = tmp_path / "quoted.csv"
    multi = lines[6].replace("Patent Application", '"Patent\nApplication"')
    head, _, tail = lines[8].rpartition(",true")  # the last true flag is a category (Robotics)
    quoted.write_text("\n".join([lines[0], multi, lines[7], head + ",oops" + tail]) + "\n")
    run = ingest(store, Cset1790Reader(), quoted).run
    assert run.options["parser"] == "python"
    # the record after the two-line one starts on line 4, the next on line 5, and its reject names it
    assert [(r["line"], r["field"]) for r in rejects(store, run.run_id)] == [(5, "Robotics")]


def test_fast_reader_keeps_lines_right_around_a_short_row(store, tmp_path):
    lines = L45.read_text().splitlines()
    path = tmp_path / "short.csv"
    path.write_text("\n".join([lines[0], lines[1], "JP,1,2", lines[5], "x", lines[6]]) + "\n")
    run = ingest(store, Cset1790Reader(), path).run
    assert run.options["parser"] == "arrow"
    got = [(r["line"], r["reason"]) for r in rejects(store, run.run_id)]
    assert got == [(3, "row has 3 fields, header has 45"), (5, "row has 1 fields, header has 45")]
    assert sorted(r[0] for r in store.query("SELECT source_line FROM documents")) == [2, 4, 6]
