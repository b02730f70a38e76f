"""Agreement of a definition's results with CSET/1790's published classification of the same documents.

The CSET/1790 database (``aieco ingest cset1790``) is the published result of the definition that
``cset-1790`` encodes, applied by its authors to their own data (codes, titles and abstracts as of 2020). A
document that another source holds with its own codes and title (Lens, USPTO XML, …) and that was published
in the database's window can be compared with it one by one: the database lists AI documents only, so a
document it does not list was not called AI. Documents are matched by office, number and kind.

Reported, for the documents compared: AI by both, by aieco only, by CSET only, by neither; precision and
recall of aieco's result taking CSET's as the reference; per category (CSET's column names mapped to the
definition's category ids), among the documents both call AI, counting a flag only where the CSET file that
holds the document carried that column; and every document where the two differ, with aieco's first rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aieco.classify.definitions import get_definition
from aieco.errors import StoreError
from aieco.results import Agreement, CategoryAgreement, Difference, FileRef
from aieco.store import Store

CSET_SOURCE = "cset1790"
# The publications the database covers: January 2000 to March 2020 (its authors' description).
CSET_WINDOW = (date(2000, 1, 1), date(2020, 3, 31))
# CSET's column names whose id is not the plain reading (lower case, "_and_" dropped, "__eg_…" dropped).
_COLUMN_IDS = {"agricultural": "agriculture", "document_mgt_publishing": "document_management_publishing"}


def category_id(column: str) -> str:
    """The category id of a CSET database column: ``Security__eg_cybersecurity`` → ``security``,
    ``Personal_Devices_and_Computing`` → ``personal_devices_computing``."""
    plain = column.split("__")[0].lower().replace("_and_", "_")
    return _COLUMN_IDS.get(plain, plain)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def agreement(store: Store, definition: str = "cset-1790", *, differences: bool = False) -> Agreement:
    """Compare ``definition``'s stored results (``aieco classify``) with the CSET/1790 database in the store;
    ``differences``: also list every document where the two differ (title and aieco's rule)."""
    d = get_definition(definition)
    runs = store.query_dicts("SELECT version, documents FROM classify_runs WHERE definition = ? AND kind = 'rules'",
                             [d.id]) if store.has_table("classify_runs") else []
    if not runs:
        raise StoreError(f"no results of {d.id} in the store: run `aieco classify --definition {d.id}` first")
    if runs[0]["version"] != d.version:
        raise StoreError(f"the stored results of {d.id} are of version {runs[0]['version']}, the definition is "
                         f"{d.version}: run `aieco classify --definition {d.id}` again")
    total = store.query("SELECT count(*) FROM documents")[0][0]
    if runs[0]["documents"] != total:
        raise StoreError(f"the store holds {total:,} documents, {d.id} classified {runs[0]['documents']:,}: run "
                         f"`aieco classify --definition {d.id}` again")
    cset_runs = store.query_dicts("SELECT run_id, path, sha256 FROM runs WHERE kind = ? ORDER BY run_id",
                                  [CSET_SOURCE])
    if not cset_runs:
        raise StoreError("no CSET/1790 database in the store: ingest it with `aieco ingest cset1790 FILE`")
    con = store.con
    lo, hi = CSET_WINDOW
    con.execute(f"""CREATE OR REPLACE TEMP TABLE agreement_docs AS
        SELECT d.doc_id, d.source, d.office, d.number, d.kind, c.doc_id AS cset_doc, o.rule
        FROM documents d
        LEFT JOIN (SELECT office, number, kind, min(doc_id) AS doc_id FROM documents WHERE source = '{CSET_SOURCE}'
                   GROUP BY ALL) c ON c.office = d.office AND c.number = d.number AND c.kind = d.kind
        LEFT JOIN (SELECT doc_id, min(rule) AS rule FROM classified WHERE definition = ? AND category = ''
                   GROUP BY doc_id) o ON o.doc_id = d.doc_id
        WHERE d.source <> '{CSET_SOURCE}' AND d.publication_date BETWEEN DATE '{lo}' AND DATE '{hi}'""",
                [d.id])
    try:
        both, ours, theirs, neither = con.execute(
            "SELECT count(*) FILTER (WHERE rule IS NOT NULL AND cset_doc IS NOT NULL), "
            "count(*) FILTER (WHERE rule IS NOT NULL AND cset_doc IS NULL), "
            "count(*) FILTER (WHERE rule IS NULL AND cset_doc IS NOT NULL), "
            "count(*) FILTER (WHERE rule IS NULL AND cset_doc IS NULL) FROM agreement_docs").fetchall()[0]
        sources = store.query_dicts("SELECT source, count(*) AS documents FROM agreement_docs GROUP BY ALL "
                                    "ORDER BY source")
        files = store.query_dicts(   # document_sources: every run that saw a document, the first one included
            "SELECT r.kind, r.path, r.sha256 FROM runs r WHERE r.run_id IN (SELECT s.run_id FROM document_sources s "
            "JOIN agreement_docs a USING (doc_id)) ORDER BY r.run_id")
        diff = store.query_dicts(
            "SELECT a.office, a.number, a.kind, a.source, d.title, a.rule AS aieco_rule, "
            "a.cset_doc IS NOT NULL AS cset_ai FROM agreement_docs a JOIN documents d USING (doc_id) "
            "WHERE (a.rule IS NULL) <> (a.cset_doc IS NULL) ORDER BY cset_ai, a.office, a.number, a.kind"
        ) if differences else None
        categories = _categories(store, d.id, {c.id for c in d.categories})
    finally:
        con.execute("DROP TABLE IF EXISTS agreement_docs")
    return Agreement(
        definition=d.id, version=str(d.version), reference="CSET/1790 database",
        reference_files=tuple(FileRef(path=r["path"], sha256=r["sha256"], kind=CSET_SOURCE) for r in cset_runs),
        window=(str(lo), str(hi)), documents=both + ours + theirs + neither,
        by_source={s["source"]: int(s["documents"]) for s in sources},
        compared_files=tuple(FileRef(path=f["path"], sha256=f["sha256"], kind=f["kind"]) for f in files),
        ai_both=both, ai_aieco_only=ours, ai_cset_only=theirs, ai_neither=neither,
        precision=_ratio(both, both + ours), recall=_ratio(both, both + theirs),
        categories=tuple(CategoryAgreement(**c) for c in categories),
        differences=tuple(Difference(**x) for x in diff) if diff is not None else None)


def _categories(store: Store, definition: str, ids: set[str]) -> list[dict[str, Any]]:
    """Per category, among the documents both call AI: both, aieco only, CSET only (only where the CSET file of
    the document carried that column)."""
    columns = [r[0] for r in store.query("SELECT DISTINCT category FROM run_categories WHERE scheme = ?",
                                         [CSET_SOURCE])]
    mapping = [(c, category_id(c)) for c in columns if category_id(c) in ids]
    if not mapping:
        return []
    store.con.execute("CREATE OR REPLACE TEMP TABLE agreement_map AS SELECT unnest(?::VARCHAR[]) AS col, "
                      "unnest(?::VARCHAR[]) AS category", [[m[0] for m in mapping], [m[1] for m in mapping]])
    try:
        return store.query_dicts(f"""
            WITH pairs AS (SELECT doc_id, cset_doc FROM agreement_docs WHERE rule IS NOT NULL AND cset_doc IS NOT NULL),
            known AS (SELECT DISTINCT p.doc_id, m.category FROM pairs p JOIN document_sources r ON r.doc_id = p.cset_doc
                      JOIN run_categories rc ON rc.run_id = r.run_id AND rc.scheme = '{CSET_SOURCE}'
                      JOIN agreement_map m ON m.col = rc.category),
            theirs AS (SELECT DISTINCT p.doc_id, m.category FROM pairs p JOIN categories g ON g.doc_id = p.cset_doc
                       AND g.scheme = '{CSET_SOURCE}' JOIN agreement_map m ON m.col = g.category),
            ours AS (SELECT DISTINCT o.doc_id, o.category FROM classified o JOIN pairs p USING (doc_id)
                     WHERE o.definition = ? AND o.category <> '')
            SELECT k.category, count(*) FILTER (WHERE t.doc_id IS NOT NULL AND o.doc_id IS NOT NULL) AS both,
                   count(*) FILTER (WHERE t.doc_id IS NULL AND o.doc_id IS NOT NULL) AS aieco_only,
                   count(*) FILTER (WHERE t.doc_id IS NOT NULL AND o.doc_id IS NULL) AS cset_only
            FROM known k LEFT JOIN theirs t USING (doc_id, category) LEFT JOIN ours o USING (doc_id, category)
            GROUP BY k.category HAVING count(t.doc_id) + count(o.doc_id) > 0 ORDER BY k.category""", [definition])
    finally:
        store.con.execute("DROP TABLE IF EXISTS agreement_map")
