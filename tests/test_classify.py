"""Golden tests of the rule compiler: hand-written documents, exactly which definition/category matched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from aieco.classify import get_definition, load_definitions
from aieco.classify.compiler import classify
from aieco.classify.definitions import load_definition_file
from aieco.classify.results import counts, explain, explain_lines, find_documents, list_classified
from aieco.cli import main
from aieco.errors import InputError, UnknownName
from aieco.sources.fields import normalise_symbol
from conftest import shared_path

HERE = Path(__file__).resolve().parent / "fixtures" / "classify"
GOLDEN = yaml.safe_load((HERE / "golden.yaml").read_text("utf-8"))["documents"]


def load_golden(store) -> None:
    con = store.con
    for d in GOLDEN:
        con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, title_lang, "
                    "abstract) VALUES (?, 0, 'test', 'XX', ?, 'A1', ?, ?, ?)",
                    [d["id"], str(d["id"]), d.get("title"), d.get("title_lang"), d.get("abstract")])
        for scheme in ("cpc", "ipc"):
            for i, sym in enumerate(d.get(scheme, [])):
                con.execute("INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq) "
                            "VALUES (?, 0, ?, ?, ?, ?)", [d["id"], scheme, sym, normalise_symbol(sym), i])


@pytest.fixture(scope="module")
def golden_store(tmp_path_factory):
    from aieco.store import open_store

    store = open_store(tmp_path_factory.mktemp("golden") / "g.duckdb")
    load_golden(store)
    test_def = load_definition_file(HERE / "test-def.yaml")
    classify(store, [test_def, *load_definitions()])
    yield store
    store.close()


def _expectations():
    for d in GOLDEN:
        for definition, cats in d["expect"].items():
            yield pytest.param(d["id"], definition, sorted(cats), id=f"doc{d['id']}-{definition}")


@pytest.mark.parametrize(("doc_id", "definition", "expected"), list(_expectations()))
def test_golden(golden_store, doc_id, definition, expected):
    got = golden_store.query("SELECT category FROM classified WHERE doc_id = ? AND definition = ? ORDER BY 1",
                             [doc_id, definition])
    assert sorted(r[0] for r in got) == expected


def test_rows_carry_version_and_rule(golden_store):
    rows = golden_store.query_dicts("SELECT * FROM classified WHERE doc_id = 61 AND definition = 'cset-1790' "
                                    "ORDER BY category")
    assert [r["version"] for r in rows] == [get_definition("cset-1790").version] * 2
    assert rows[1]["rule"].startswith("CPC/IPC code G06N 7/005 or its successor G06N 7/01 [cset-1790.yaml:")


def test_reclassify_replaces_rows(golden_store):
    before = golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'genai'")
    classify(golden_store, [get_definition("genai")])
    assert golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'genai'") == before
    assert golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'test-def'") > 0


def test_explain_in_words(golden_store):
    entries = explain(golden_store, "XX 62 A1", [get_definition("cset-1790")])
    text = "\n".join(explain_lines(entries))
    assert "AI patent, because:" in text
    assert "CPC code H04N 21/4663 matched CPC H04N21/4663" in text
    assert "category probabilistic_reasoning" in text
    not_ai = explain(golden_store, "XX63A1", [get_definition("genai")])
    assert explain_lines(not_ai)[0].endswith("not AI (no rule of the universe matched)")
    kw = explain(golden_store, "69", [get_definition("cset-1790")])[0]
    assert any("“deep learning”" in m for r in kw["universe"] for m in r["matched"])


def test_find_documents_errors(golden_store):
    assert find_documents(golden_store, "xx 60 a1") == [60]
    with pytest.raises(UnknownName):
        find_documents(golden_store, "US 123 B1")
    with pytest.raises(InputError):
        find_documents(golden_store, "not a document!")


def test_list_and_counts(golden_store):
    rows = list_classified(golden_store, "genai", "")
    assert {(r["office"], r["number"]) for r in rows} == {("XX", "6"), ("XX", "65"), ("XX", "70")}
    c = {(r["definition"], r["category"]): r["documents"] for r in counts(golden_store, "core-ai-cpc")}
    assert c[("core-ai-cpc", "")] == 15


def test_cli(tmp_path, capsys):
    from aieco.store import open_store

    db = tmp_path / "cli.duckdb"
    with open_store(db) as store:
        load_golden(store)
    main(["--db", str(db), "definitions", "--format", "json"])
    defs = json.loads(capsys.readouterr().out)
    assert {d["id"] for d in defs} >= {"cset-1790", "core-ai-cpc", "genai", "cset-1790-zh"}
    assert all({"id", "version", "categories"} <= set(d) for d in defs)
    assert {"id": "agriculture", "title": "Agriculture", "dimension": "application_field"} in next(
        d for d in defs if d["id"] == "cset-1790")["categories"]
    main(["--db", str(db), "classify", "--definition", "genai", "--format", "json"])
    assert json.loads(capsys.readouterr().out)[0]["ai_documents"] == 3
    main(["--db", str(db), "classified", "--definition", "genai", "--format", "csv"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("office,number,kind,definition,version,category")
    assert len(out) == 1 + 3 + 3   # header, universe rows, category rows
    main(["--db", str(db), "explain", "XX 65 A1", "-d", "genai"])
    assert "keyword “generative +1w adversarial” in title or abstract matched title: “generative adversarial”" \
        in capsys.readouterr().out
    with pytest.raises(SystemExit) as ex:
        main(["--db", str(db), "classify", "--definition", "nope"])
    assert ex.value.code == 2
    assert "unknown definition 'nope'" in capsys.readouterr().err


@pytest.mark.shared
def test_lens_drones_counts(tmp_path):
    """The real Lens drones export: AI documents per definition (the figures in docs/definitions.md)."""
    from aieco.sources import reader_for
    from aieco.store import open_store
    from aieco.store.ingest import ingest

    path = shared_path("lens", "drones_fulltext_families_5884.csv")
    with open_store(tmp_path / "lens.duckdb") as store:
        ingest(store, reader_for("lens"), path)
        results = {r["definition"]: r for r in classify(store, load_definitions())}
        ai = {k: v["ai_documents"] for k, v in results.items()}
        assert ai == {"core-ai-cpc": 81, "cset-1790": 132, "cset-1790-zh": 132, "genai": 0}
        cats = results["cset-1790"]["categories"]
        assert (cats["agriculture"], cats["machine_learning"], cats["transportation"]) == (8, 89, 44)
        lines = explain_lines(explain(store, "US 20160217228 A1", [get_definition("cset-1790")]))
        assert "G06N 5" in lines[1]
