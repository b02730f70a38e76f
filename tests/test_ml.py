"""The ML classifier: reproducible training, held-out metrics, versioned metadata, classification rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aieco.classify import ml
from aieco.cli import main
from aieco.errors import InputError
from conftest import shared_path

HERE = Path(__file__).resolve().parent / "fixtures" / "classify"


@pytest.fixture(scope="module")
def data():
    return ml.assemble(HERE / "ai_titles_small.csv", [HERE / "lens_small.csv"])


def test_assemble_drops_ai_lens_documents(data):
    assert data.labels.count(1) == 20                 # English titles only
    assert data.labels.count(0) == 20                 # the 2 Lens documents cset-1790 calls AI are left out
    assert "neural network for drone navigation" not in data.texts
    summary = data.sources[-1]
    assert summary["lens_ai_documents_removed"] == 2
    assert all(len(s["sha256"]) == 64 for s in data.sources[:-1])


def test_assemble_drops_lens_documents_the_cset_database_lists(tmp_path):
    """A Lens document the CSET/1790 database calls AI is no negative, even when the rules miss it (its authors
    also read abstracts)."""
    header = (Path(__file__).resolve().parent / "fixtures" / "cset1790" / "layout45.csv").read_text().splitlines()[0]
    flags = header.count(",") - 10
    (tmp_path / "cset.csv").write_text(header + "\nUS,20190000000,1,A1,Patent Application,2017,0,0,1,false,true,"
                                       + ",".join(["false"] * (flags - 1) + ["true"]) + "\n")
    d = ml.assemble(HERE / "ai_titles_small.csv", [HERE / "lens_small.csv"], [tmp_path / "cset.csv"])
    assert "pizza box with vent holes" not in d.texts and d.labels.count(0) == 19
    summary = d.sources[-1]
    assert (summary["lens_ai_documents_removed"], summary["lens_cset_listed_removed"]) == (2, 1)
    assert d.sources[-2]["role"] == "AI documents removed from the non-ai titles"


def test_train_is_reproducible_and_versioned(data, tmp_path):
    a = ml.train(data, tmp_path / "a" / "m.joblib", seed=7)
    b = ml.train(data, tmp_path / "b" / "m.joblib", seed=7)
    assert a["metrics"] == b["metrics"] and a["version"] == b["version"]
    assert a["id"] == "ml-tfidf-titles" and a["seed"] == 7 and a["test_size"] == 8
    cm = a["metrics"]["confusion_matrix"]
    assert sum(cm.values()) == 8
    assert set(a["metrics"]) == {"precision", "recall", "f1", "confusion_matrix"}
    saved = json.loads((tmp_path / "a" / "m.json").read_text())
    assert saved["training_data"][0]["sha256"] == data.sources[0]["sha256"]
    assert ml.report(tmp_path / "a" / "m.joblib")["model_sha256"] == saved["model_sha256"]


def test_too_little_data(tmp_path):
    with pytest.raises(InputError, match="at least 5"):
        ml.train(ml.TrainingSet(texts=["a", "b"], labels=[0, 1], sources=[]), tmp_path / "m.joblib")


def test_cli_train_report_classify(tmp_path, capsys):
    data_dir = tmp_path / "data"
    (data_dir / "patstat-leusin").mkdir(parents=True)
    (data_dir / "lens").mkdir()
    (data_dir / "patstat-leusin" / "ai_titles_40341.csv").write_bytes((HERE / "ai_titles_small.csv").read_bytes())
    (data_dir / "lens" / "drones_fulltext_families_5884.csv").write_bytes((HERE / "lens_small.csv").read_bytes())
    db, model = tmp_path / "s.duckdb", tmp_path / "models" / "m.joblib"
    main(["--db", str(db), "model", "train", "--data-dir", str(data_dir), "--out", str(model), "--format", "json"])
    meta = json.loads(capsys.readouterr().out)
    assert meta["metrics"]["f1"] >= 0
    main(["--db", str(db), "model", "report", str(model)])
    out = capsys.readouterr().out
    assert "precision" in out and "confusion matrix" in out
    main(["--db", str(db), "ingest", "lens", str(HERE / "lens_small.csv")])
    capsys.readouterr()
    main(["--db", str(db), "classify", "--model", str(model), "--format", "json"])
    res = json.loads(capsys.readouterr().out)[0]
    assert res["definition"] == "ml-tfidf-titles" and res["documents"] == 22
    main(["--db", str(db), "classified", "-d", "ml-tfidf-titles", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == res["ai_documents"] and all(r["rule"].startswith("model p(AI)=") for r in rows)
    with pytest.raises(SystemExit) as ex:
        main(["--db", str(db), "model", "report", str(tmp_path / "none.joblib")])
    assert ex.value.code == 2


@pytest.mark.shared
def test_real_ai_titles_read():
    titles = ml.read_ai_titles(shared_path("patstat-leusin", "ai_titles_40341.csv"))
    assert len(titles) > 30_000
