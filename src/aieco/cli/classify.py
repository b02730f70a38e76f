"""Classification commands: definitions, classify, classified, explain, agreement, model train / report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.cli.app import app, state
from aieco.cli.render import Format, dump_json, emit, table
from aieco.store import open_store

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
model_app = typer.Typer(help="The ML classifier of AI titles: train it, read its measured quality.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


@app.command()
def definitions(fmt: FormatOpt = Format.table) -> None:
    """List the shipped AI definitions: id, version, citation, categories by dimension."""
    from aieco.classify.definitions import definition_infos

    infos = definition_infos()
    if fmt == Format.table:
        table([{"id": d.id, "version": d.version, "cpc_version": d.cpc_version, "title": d.title,
                "categories": f"{len(d.categories)} in " + ", ".join(d.dimensions())} for d in infos],
              title="AI definitions")
    else:
        emit([{k: v for k, v in d.to_dict().items() if k != "applied"} for d in infos], fmt)


@app.command("classify")
def classify_cmd(
    definition: Annotated[list[str] | None, typer.Option(
        "--definition", "-d", help="Definition id (repeat for several; default: every shipped one).")] = None,
    model: Annotated[Path | None, typer.Option(
        "--model", help="Apply a trained ML model (file from `aieco model train`) instead of definitions.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Apply AI definitions (or an ML model) to every document; replaces their earlier results."""
    from aieco.classify import get_definition, load_definitions
    from aieco.classify.compiler import classify

    with open_store(state.db) as store:
        if model is not None:
            from aieco.classify.ml import classify_with_model

            results = [classify_with_model(store, model)]
            if definition:
                results += classify(store, [get_definition(i) for i in definition])
        else:
            defs = [get_definition(i) for i in definition] if definition else load_definitions()
            results = classify(store, defs)
    if fmt == Format.json:
        dump_json(results)
        return
    table([{**r, "categories": len(r["categories"])} for r in results], title="classified",
          columns=["definition", "version", "documents", "ai_documents", "categories", "seconds"])


@app.command()
def classified(
    definition: Annotated[str | None, typer.Option("--definition", "-d", help="Only this definition.")] = None,
    category: Annotated[str | None, typer.Option(
        "--category", help="Only this category ('' = the universe).")] = None,
    counts: Annotated[bool, typer.Option("--counts", help="Counts per definition and category instead.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List matched documents: office, number, kind, definition, category (category '' = AI universe)."""
    from aieco.classify.results import counts as count_rows
    from aieco.classify.results import list_classified

    with open_store(state.db, read_only=True) as store:
        if not store.has_table("classified"):
            from aieco.errors import StoreError

            raise StoreError(f"{state.db}: no classification yet; run `aieco classify`")
        if counts:
            emit(count_rows(store, definition), fmt, title="documents per definition and category")
            return
        rows = list_classified(store, definition, category, limit)
    emit(rows, fmt, title="classified documents",
         columns=["office", "number", "kind", "definition", "category", "rule"])


@app.command()
def explain(
    doc: Annotated[str, typer.Argument(help="Document: `US 20190385748 A1`, `US20190385748A1` or a doc_id.")],
    definition: Annotated[list[str] | None, typer.Option(
        "--definition", "-d", help="Only these definitions (default: every shipped one).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Which rules of which definition match a document, in words, with what they matched."""
    from aieco.classify import get_definition, load_definitions
    from aieco.classify.results import explain as compute
    from aieco.classify.results import explain_lines

    defs = [get_definition(i) for i in definition] if definition else load_definitions()
    with open_store(state.db, read_only=True) as store:
        entries = compute(store, doc, defs)
    if fmt == Format.json:
        dump_json(entries)
        return
    for line in explain_lines(entries):
        typer.echo(line)


@app.command()
def agreement(
    definition: Annotated[str, typer.Option("--definition", "-d", help="Definition whose results to compare.")] = (
        "cset-1790"),
    differences: Annotated[bool, typer.Option(
        "--differences", help="Also list every document where the two differ (title, aieco's rule).")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Compare a definition's results with the CSET/1790 database on the documents of other sources."""
    from aieco.classify.agreement import agreement as compute
    from aieco.present import text

    with open_store(state.db, read_only=True) as store:
        r = compute(store, definition, differences=differences)
    if fmt == Format.json:
        dump_json(r.to_dict())
        return
    typer.echo(text.agreement_heading(r))
    table(text.agreement_matrix(r), title=f"{r.documents:,} documents")
    typer.echo(text.agreement_rates(r))
    if r.categories:
        table([c.to_dict() for c in r.categories], title="categories, among the documents both call AI",
              columns=["category", "both", "aieco_only", "cset_only"])
    if r.differences is not None:
        table([d.to_dict() for d in r.differences], title="documents where they differ",
              columns=["office", "number", "kind", "source", "cset_ai", "aieco_rule", "title"])


@model_app.command("train")
def model_train(
    out: Annotated[Path | None, typer.Option(
        "--out", help="Model file (default: models/ml-tfidf-titles.joblib beside the store).")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Default: $AIECO_DATA_DIR.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the split and the model.")] = 42,
    fmt: FormatOpt = Format.table,
) -> None:
    """Train the TF-IDF classifier on AI titles (Leusin) vs non-AI Lens titles; report held-out metrics.

    Lens titles are non-AI unless cset-1790 calls them AI or the CSET/1790 database (if in the data folder)
    lists them."""
    from aieco.classify import ml
    from aieco.settings import setting

    base = Path(data_dir or setting("data_dir"))
    lens = [base / "lens" / n for n in ("pizza_lens_1000_raw.csv", "drones_fulltext_families_5884.csv",
                                        "drones_tac_1606_families.csv")]
    cset = base / "cset-1790" / "patent_database-7b5b096.csv.zip"   # its AI documents leave the negatives
    data = ml.assemble(base / "patstat-leusin" / "ai_titles_40341.csv", [p for p in lens if p.exists()],
                       [cset] if cset.exists() else [])
    path = out or ml.default_model_path(state.db)
    meta = ml.train(data, path, seed=seed)
    typer.echo(f"trained {meta['id']} {meta['version']} -> {path}", err=True)
    _show_report(meta, fmt)


@model_app.command("report")
def model_report(
    model: Annotated[Path | None, typer.Argument(help="Model file (default: beside the store).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The measured quality of a trained model: precision, recall, F1, confusion matrix, data sha256s."""
    from aieco.classify import ml

    _show_report(ml.report(model or ml.default_model_path(state.db)), fmt)


def _show_report(meta: dict, fmt: Format) -> None:  # type: ignore[type-arg]
    if fmt == Format.json:
        dump_json(meta)
        return
    m, cm = meta["metrics"], meta["metrics"]["confusion_matrix"]
    typer.echo(f"{meta['id']} {meta['version']} ({meta['kind']}, seed {meta['seed']}, "
               f"train {meta['train_size']:,} / held-out {meta['test_size']:,} titles)")
    typer.echo(f"precision {m['precision']:.3f}   recall {m['recall']:.3f}   F1 {m['f1']:.3f}")
    table([{"": "actual AI", "predicted AI": cm["true_positive"], "predicted non-AI": cm["false_negative"]},
           {"": "actual non-AI", "predicted AI": cm["false_positive"], "predicted non-AI": cm["true_negative"]}],
          title="confusion matrix (held-out)")
    files = [s for s in meta["training_data"] if s.get("role") != "summary"]
    table(files, title="training data", columns=["role", "path", "sha256"])
    for s in meta["training_data"]:
        if s.get("role") == "summary":
            typer.echo("titles: " + ", ".join(f"{k} {v:,}" for k, v in s.items() if k != "role"))
