"""A measured ML classifier of AI patent titles: TF-IDF + logistic regression (scikit-learn).

Training data, assembled reproducibly from files whose sha256 is recorded:

- AI titles: the English titles of ``patstat-leusin/ai_titles_40341.csv`` (AI patent applications found by the
  keyword query of Leusin et al.);
- non-AI titles: the titles of the Lens exports (pizza, drones) **except** the documents that the ``cset-1790``
  definition calls AI (by CPC/IPC or keyword) and, when the CSET/1790 database is given, the documents it lists
  (its authors also read abstracts, which Lens exports lack: 43 drone patents that the rules miss on titles
  and codes alone). Drone patents are not all non-AI — autonomous flight, object recognition and swarm
  planning are AI — so they are filtered, not taken whole.

Titles in both classes, and repeats, are dropped. A fixed seed splits 80/20 (stratified); precision, recall,
F1 and the confusion matrix are measured on the held-out 20%. The model is versioned like a definition: id,
version (the model kind's version + a digest of the training data), sha256 of every input file, seed,
parameters and metrics, saved as JSON next to the model file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco.errors import InputError, MissingDependency
from aieco.files import sha256_file
from aieco.store import Store, open_store

MODEL_ID = "ml-tfidf-titles"
MODEL_KIND_VERSION = "1"
SEED = 42
TEST_SHARE = 0.2
THRESHOLD = 0.5


def _sklearn() -> Any:
    try:
        import sklearn  # noqa: F401
    except ImportError as err:  # pragma: no cover - a core dependency, kept lazy for start-up time
        raise MissingDependency("scikit-learn", "ml") from err
    import sklearn as sk

    return sk


@dataclass(frozen=True, kw_only=True)
class TrainingSet:
    texts: list[str]
    labels: list[int]
    sources: list[dict[str, Any]]

    def digest(self) -> str:
        h = hashlib.sha256()
        for t, y in zip(self.texts, self.labels, strict=True):
            h.update(f"{y}\t{t}\n".encode())
        return h.hexdigest()


def read_ai_titles(path: Path) -> list[str]:
    """English titles of the Leusin AI titles file (``;``-separated, columns appln_title_lg, appln_title)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read AI titles: {err}", path=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")   # the PATSTAT extract is not UTF-8
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    if rows and not {"appln_title", "appln_title_lg"} <= set(rows[0]):
        raise InputError("expected columns appln_title_lg and appln_title", path=str(path))
    return [r["appln_title"] for r in rows if (r.get("appln_title_lg") or "en") == "en" and r.get("appln_title")]


def non_ai_lens_titles(paths: Sequence[Path], cset_files: Sequence[Path] = ()) -> tuple[list[str], int, int]:
    """Titles of Lens documents that cset-1790 does not call AI and the CSET/1790 database (``cset_files``)
    does not list; also how many were left out for each reason (the rules first)."""
    from aieco.classify.compiler import classify
    from aieco.classify.definitions import get_definition
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest

    with open_store(":memory:") as store:
        for p in paths:
            ingest(store, reader_for("lens"), p)
        for p in cset_files:
            ingest(store, reader_for("cset1790"), p)
        classify(store, [get_definition("cset-1790")])
        rows = store.query("""
            SELECT d.title, d.doc_id IN (SELECT doc_id FROM classified WHERE definition = 'cset-1790'
                                         AND category = ''),
                   EXISTS (SELECT 1 FROM documents c WHERE c.source = 'cset1790' AND c.office = d.office
                           AND c.number = d.number AND c.kind = d.kind)
            FROM documents d WHERE d.source = 'lens' AND d.title IS NOT NULL ORDER BY d.doc_id""")
    by_rules = sum(1 for _, ai, _ in rows if ai)
    by_cset = sum(1 for _, ai, listed in rows if listed and not ai)
    return [t for t, ai, listed in rows if not ai and not listed], by_rules, by_cset


def assemble(ai_titles: Path, lens_files: Sequence[Path], cset_files: Sequence[Path] = ()) -> TrainingSet:
    """The labelled titles (1 = AI), deduplicated, with the sha256 of each input."""
    ai = read_ai_titles(ai_titles)
    non_ai, dropped, listed = non_ai_lens_titles(lens_files, cset_files)
    norm = lambda t: " ".join(t.lower().split())  # noqa: E731
    ai_set, non_set = {norm(t) for t in ai}, {norm(t) for t in non_ai}
    both = ai_set & non_set
    texts, labels = [], []
    for label, group in ((1, sorted(ai_set - both)), (0, sorted(non_set - both))):
        texts.extend(group)
        labels.extend([label] * len(group))
    sources = [{"path": str(ai_titles), "sha256": sha256_file(ai_titles), "role": "ai", "titles": len(ai)}]
    sources += [{"path": str(p), "sha256": sha256_file(p), "role": "non-ai (cset-1790 AI documents removed)"}
                for p in lens_files]
    sources += [{"path": str(p), "sha256": sha256_file(p), "role": "AI documents removed from the non-ai titles"}
                for p in cset_files]
    sources.append({"role": "summary", "ai_unique": len(ai_set - both), "non_ai_unique": len(non_set - both),
                    "in_both_dropped": len(both), "lens_ai_documents_removed": dropped,
                    "lens_cset_listed_removed": listed})
    return TrainingSet(texts=texts, labels=labels, sources=sources)


def _pipeline(seed: int) -> Any:
    _sklearn()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)),
        ("clf", LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0, random_state=seed)),
    ])


def train(data: TrainingSet, out: Path, *, seed: int = SEED) -> dict[str, Any]:
    """Fit on 80%, measure on the held-out 20%, refit nothing; save model + metadata; return the metadata."""
    sk = _sklearn()
    import joblib
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
    from sklearn.model_selection import train_test_split

    if len(set(data.labels)) < 2 or min(data.labels.count(0), data.labels.count(1)) < 5:
        raise InputError("training data needs at least 5 AI and 5 non-AI titles")
    t0 = time.perf_counter()
    x_train, x_test, y_train, y_test = train_test_split(
        data.texts, data.labels, test_size=TEST_SHARE, random_state=seed, stratify=data.labels)
    model = _pipeline(seed).fit(x_train, y_train)
    proba = model.predict_proba(x_test)[:, 1]
    pred = (proba >= THRESHOLD).astype(int)
    p, r, f, _ = precision_recall_fscore_support(y_test, pred, average="binary", pos_label=1, zero_division=0)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y_test, pred, labels=[0, 1]).ravel())
    meta = {
        "id": MODEL_ID, "version": f"{MODEL_KIND_VERSION}.{data.digest()[:10]}", "kind": "tfidf-logistic-regression",
        "text": "title", "threshold": THRESHOLD, "seed": seed, "test_share": TEST_SHARE,
        "training_data": data.sources, "training_data_digest": data.digest(),
        "train_size": len(x_train), "test_size": len(x_test),
        "metrics": {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                    "confusion_matrix": {"true_negative": tn, "false_positive": fp, "false_negative": fn,
                                         "true_positive": tp}},
        "params": {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True, "C": 4.0,
                   "class_weight": "balanced"},
        "sklearn_version": sk.__version__, "seconds": round(time.perf_counter() - t0, 2),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out)
    meta["model_sha256"] = sha256_file(out)
    metadata_path(out).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def metadata_path(model: Path) -> Path:
    return model.with_suffix(".json")


def default_model_path(db: Path) -> Path:
    """Beside the store: ``<store folder>/models/ml-tfidf-titles.joblib``."""
    return Path(db).parent / "models" / f"{MODEL_ID}.joblib"


def report(model: Path) -> dict[str, Any]:
    """The metadata saved with a model (id, version, data sha256s, seed, metrics)."""
    meta = metadata_path(model)
    if not meta.exists():
        raise InputError("no model metadata next to the model (train one with `aieco model train`)",
                         path=str(meta))
    return json.loads(meta.read_text("utf-8"))


def load(model: Path) -> tuple[Any, dict[str, Any]]:
    meta = report(model)
    _sklearn()
    import joblib

    if sha256_file(model) != meta.get("model_sha256"):
        raise InputError("model file does not match the sha256 in its metadata", path=str(model))
    return joblib.load(model), meta


def classify_with_model(store: Store, model_path: Path, batch_rows: int = 100_000) -> dict[str, Any]:
    """Score every titled document; write those at or above the threshold to ``classified`` (definition = id).

    Batches of titles go through the model as arrays (vectorised), never one document at a time.
    """
    import numpy as np
    import pyarrow as pa

    model, meta = load(model_path)
    t0 = time.perf_counter()
    with store.transaction() as con:
        con.execute("DELETE FROM classified WHERE definition = ?", [meta["id"]])
        reader = con.sql("SELECT doc_id, title FROM documents WHERE title IS NOT NULL").to_arrow_reader(
            batch_rows)
        batches = list(reader)
        docs = matched = 0
        for batch in batches:
            titles = batch.column("title").to_pylist()
            proba = model.predict_proba(titles)[:, 1]
            keep = proba >= meta["threshold"]
            docs += len(titles)
            if keep.any():
                ids = batch.column("doc_id").to_numpy(zero_copy_only=False)[keep]
                hits = pa.table({"doc_id": ids, "p": np.round(proba[keep], 3)})  # noqa: F841 - used by SQL
                con.execute("INSERT INTO classified SELECT doc_id, ?, ?, '', 'model p(AI)=' || p::VARCHAR "
                            "FROM hits", [meta["id"], meta["version"]])
                matched += int(keep.sum())
        seconds = time.perf_counter() - t0
        con.execute("DELETE FROM classify_runs WHERE definition = ?", [meta["id"]])
        con.execute("INSERT INTO classify_runs (definition, version, kind, documents, matched, seconds, detail) "
                    "VALUES (?, ?, 'model', ?, ?, ?, ?)",
                    [meta["id"], meta["version"], docs, matched, seconds, json.dumps(meta["metrics"])])
    return {"definition": meta["id"], "version": meta["version"], "documents": docs, "ai_documents": matched,
            "categories": {}, "seconds": round(seconds, 3)}
