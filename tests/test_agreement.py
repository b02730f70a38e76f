"""Agreement of cset-1790's results with the CSET/1790 database: hand-made files with every case, and the real
Lens exports against the real database (the figures in docs/definitions.md)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from aieco.classify.agreement import agreement, category_id
from aieco.cli import app, main
from aieco.errors import StoreError
from conftest import FIXTURES, shared_path

runner = CliRunner()
CSET_HEADER = (FIXTURES / "cset1790" / "layout45.csv").read_text().splitlines()[0].split(",")
LENS_HEADER = (FIXTURES / "lens" / "current.csv").read_text().splitlines()[0].split(",")
FLAGS = CSET_HEADER[11:]


def test_category_ids_of_the_cset_columns_are_the_definitions():
    from aieco.classify import get_definition

    ids = {c.id for c in get_definition("cset-1790").categories}
    assert {category_id(c) for c in FLAGS + ["Life_Sciences", "Networks__eg_social_IOT_etc"]} <= ids
    assert category_id("Security__eg_cybersecurity") == "security"
    assert category_id("Agricultural") == "agriculture"


def _cset_file(path, rows):
    """rows: (office, number, kind, flags that are true)."""
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSET_HEADER)
        for i, (office, number, kind, true) in enumerate(rows):
            w.writerow([office, number, 60000000 + i, kind, "Patent Application", 2015, 0, 0, 1, "false", "true"]
                       + ["true" if c in true else "false" for c in FLAGS])


def _lens_file(path, rows):
    """rows: (office, number, kind, publication date, title, CPC codes)."""
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(LENS_HEADER)
        for i, (office, number, kind, date, title, cpc) in enumerate(rows):
            row = dict.fromkeys(LENS_HEADER, "")
            row.update({"#": i + 1, "Jurisdiction": office, "Kind": kind,
                        "Publication Number": f"{office} {number} {kind}",
                        "Lens ID": f"000-000-000-000-{i:03d}", "Publication Date": date, "Publication Year": date[:4],
                        "Title": title, "Type": "Patent Application", "CPC Classifications": cpc})
            w.writerow([row[c] for c in LENS_HEADER])


def _error(argv, capsys):
    """(exit code, the one line on stderr) of a command that fails."""
    with pytest.raises(SystemExit) as ex:
        main(argv)
    return ex.value.code, capsys.readouterr().err.strip()


def test_agreement_counts_every_case(tmp_path, capsys):
    _cset_file(tmp_path / "cset.csv", [
        # (the 45-column layout's "Security" column holds the Life_Sciences flags: see the CSET reader)
        ("US", "20150000001", "A1", {"Machine_Learning", "Transportation", "Security__eg_cybersecurity"}),
        ("US", "20150000002", "A1", {"Transportation"}),     # AI for CSET (by its abstract), not by the title
        ("US", "20210000006", "A1", {"Machine_Learning"}),   # published after the database's window
        ("JP", "2015000099", "A", {"Machine_Learning"}),     # not in the other source
    ])
    _lens_file(tmp_path / "lens.csv", [
        ("US", "20150000001", "A1", "2015-03-05", "Flight control", "G06N3/08;;B64C39/024"),  # both
        ("US", "20150000002", "A1", "2015-04-02", "Drone frame", "B64C39/024"),             # CSET only
        ("US", "20150000003", "A1", "2015-05-07", "Autonomous drone", "G05D1/0088"),        # aieco only
        ("US", "20150000004", "A1", "2015-06-04", "Pizza box", "B65D85/36"),                # neither
        ("US", "5000005", "A", "1999-06-01", "Neural network drone", "G06N3/08"),          # before the window
        ("US", "20210000006", "A1", "2021-01-07", "Neural network drone", "G06N3/08"),     # after the window
    ])
    db = str(tmp_path / "a.duckdb")
    for args in (["ingest", "cset1790", str(tmp_path / "cset.csv")], ["ingest", "lens", str(tmp_path / "lens.csv")]):
        assert runner.invoke(app, ["--db", db, *args]).exit_code == 0
    assert _error(["--db", db, "agreement"], capsys) == (
        3, "aieco: error: no results of cset-1790 in the store: run `aieco classify --definition cset-1790` first")
    assert runner.invoke(app, ["--db", db, "classify", "-d", "cset-1790"]).exit_code == 0
    r = json.loads(runner.invoke(app, ["--db", db, "agreement", "-f", "json", "--differences"]).stdout)
    assert (r["documents"], r["ai_both"], r["ai_cset_only"], r["ai_aieco_only"], r["ai_neither"]) == (4, 1, 1, 1, 1)
    assert (r["precision"], r["recall"]) == (0.5, 0.5)
    assert r["by_source"] == [{"source": "lens", "documents": 4}]
    assert [(f["kind"], len(f["sha256"])) for f in r["compared_files"]] == [("lens", 64)]
    cats = {c["category"]: (c["both"], c["aieco_only"], c["cset_only"]) for c in r["categories"]}
    assert cats == {"machine_learning": (1, 0, 0), "transportation": (1, 0, 0), "life_sciences": (0, 0, 1)}
    diff = {(d["number"], d["cset_ai"]): d["aieco_rule"] for d in r["differences"]}
    assert diff == {("20150000002", True): None, ("20150000003", False): "CPC code G05D 1/0088 [cset-1790.yaml:92]"}
    text = runner.invoke(app, ["--db", db, "agreement", "--differences"]).stdout
    assert "precision 50.0%" in text and "recall 50.0%" in text and "20150000003" in text
    assert "differences" not in json.loads(runner.invoke(app, ["--db", db, "agreement", "-f", "json"]).stdout)

    # a document added after `aieco classify`: the results no longer cover the store
    _lens_file(tmp_path / "more.csv", [("US", "20150000009", "A1", "2015-06-04", "Tray", "B65D85/36")])
    assert runner.invoke(app, ["--db", db, "ingest", "lens", str(tmp_path / "more.csv")]).exit_code == 0
    code, message = _error(["--db", db, "agreement"], capsys)
    assert code == 3 and "holds 11 documents, cset-1790 classified 10" in message


def test_agreement_without_the_database(store):
    from aieco.classify import get_definition
    from aieco.classify.compiler import classify

    classify(store, [get_definition("cset-1790")])
    with pytest.raises(StoreError, match="no CSET/1790 database"):
        agreement(store)


@pytest.mark.shared
def test_real_lens_against_the_real_cset_database(tmp_path, tmp_path_factory):
    """The three real Lens exports against the real CSET/1790 database: cset-1790 finds 128 of the 171 Lens
    documents the database lists (no abstracts in Lens: CSET's keyword search also read them); the 8 it adds
    all carry a code of the published universe (code assignments differ between the two data sets)."""
    import shutil

    from aieco.classify import get_definition
    from aieco.classify.compiler import classify
    from aieco.sources import reader_for
    from aieco.store import open_store
    from aieco.store.ingest import ingest
    from fixtures_measure import cset_db

    db = tmp_path / "lens_cset.duckdb"
    shutil.copy(cset_db(tmp_path_factory), db)
    with open_store(db) as store:
        for name in ("drones_fulltext_families_5884.csv", "drones_tac_1606_families.csv", "pizza_lens_1000_raw.csv"):
            ingest(store, reader_for("lens"), shared_path("lens", name))
        classify(store, [get_definition("cset-1790")])
        r = agreement(store, differences=True).to_dict()
    assert (r["ai_both"], r["ai_cset_only"], r["ai_aieco_only"]) == (128, 43, 8)
    assert r["by_source"] == [{"source": "lens", "documents": 5892}]
    added = [d["aieco_rule"] for d in r["differences"] if not d["cset_ai"]]
    assert len(added) == 8 and all(rule.startswith(("CPC code G05D 1/0088", "CPC code G06T 3/4046")) for rule in added)
    cats = {c["category"]: (c["both"], c["aieco_only"], c["cset_only"]) for c in r["categories"]}
    assert cats["machine_learning"] == (83, 0, 20) and cats["control"] == (60, 0, 4)
    # where aieco adds a category, it is by a code of the published category (G06N 5/048: fuzzy inference)
    assert {k for k, v in cats.items() if v[1]} == {"fuzzy_logic", "generic_unspecified", "probabilistic_reasoning"}

