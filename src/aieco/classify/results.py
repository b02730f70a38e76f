"""Reading classification results back: matched documents, counts, and ``explain`` for one document."""

from __future__ import annotations

import re
from typing import Any

from aieco.classify.compiler import base_tables_sql, drop_work_tables, rule_text
from aieco.classify.rules import Rule, Tables
from aieco.errors import InputError, UnknownName
from aieco.model import Definition
from aieco.store import Store

_DOC = re.compile(r"^([A-Z]{2})\s*-?\s*([0-9A-Z]*?\d)\s*-?\s*([A-Z]\d?)?$")
_SINGLE = Tables(keys="classify_keys_k", texts="classify_texts", docs="classify_docs")


def find_documents(store: Store, ref: str) -> list[int]:
    """doc_ids for ``US 20190385748 A1``, ``US20190385748A1``, ``US 20190385748`` or a doc_id."""
    text = " ".join(ref.strip().upper().split())
    if re.fullmatch(r"-?\d+", text):
        rows = store.query("SELECT doc_id FROM documents WHERE doc_id = ?", [int(text)])
        if rows:
            return [rows[0][0]]
    m = _DOC.match(text)
    if not m:
        raise InputError(f"{ref!r} is not a document: give e.g. `US 20190385748 A1`, `US20190385748A1` or a doc_id")
    office, number, kind = m.group(1), m.group(2), m.group(3)
    rows = store.query("SELECT doc_id FROM documents WHERE office = ? AND (number = ? OR number_raw = ?) "
                       "AND (? IS NULL OR kind = ?) ORDER BY doc_id", [office, number, number, kind, kind])
    if not rows:
        raise UnknownName(f"no document {ref!r} in the store")
    return [r[0] for r in rows]


def _leaf_matches(con: Any, rules: tuple[Rule, ...]) -> list[dict[str, Any]]:
    out = []
    for root in rules:
        for leaf in root.leaves():
            found = con.execute(leaf.evidence_sql(_SINGLE)).fetchall()
            if found:
                out.append({"rule": leaf.label(), "type": leaf.type, "where": leaf.where(),
                            "matched": sorted({str(e) for _, e in found})})
    return out


def _matches(con: Any, rules: tuple[Rule, ...]) -> bool:
    sql = " UNION ".join(f"({r.to_sql(_SINGLE)})" for r in rules)
    return bool(con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0])


def explain(store: Store, ref: str, definitions: list[Definition]) -> list[dict[str, Any]]:
    """Which rules of which definition match a document, in words, with what they matched.

    The rules are evaluated afresh on the document (no `aieco classify` needed). One entry per document
    found and definition: ``ai`` (in the universe), the universe rules that matched, the categories.
    """
    out = []
    for doc_id in find_documents(store, ref):
        doc = store.query_dicts("SELECT doc_id, office, number, kind, title FROM documents WHERE doc_id = ?",
                                [doc_id])[0]
        con = store.con
        for sql in base_tables_sql(f"doc_id = {int(doc_id)}"):
            con.execute(sql)
        try:
            for d in definitions:
                ai = _matches(con, d.universe)
                entry: dict[str, Any] = {**doc, "definition": d.id, "version": d.version, "ai": ai,
                                         "universe": _leaf_matches(con, d.universe) if ai else [],
                                         "categories": []}
                if ai:
                    techniques: dict[str, bool] = {}
                    for c in d.categories:
                        if c.otherwise:
                            continue
                        hit = _matches(con, c.rules)
                        techniques[c.dimension] = techniques.get(c.dimension, False) or hit
                        if hit:
                            entry["categories"].append({"category": c.id, "title": c.title,
                                                        "dimension": c.dimension,
                                                        "rules": _leaf_matches(con, c.rules)})
                    for c in d.categories:
                        if c.otherwise and not techniques.get(c.dimension, False):
                            entry["categories"].append({
                                "category": c.id, "title": c.title, "dimension": c.dimension,
                                "rules": [{"rule": f"no other {c.dimension} category matched", "type": "otherwise",
                                           "where": d.path, "matched": []}]})
                out.append(entry)
        finally:
            drop_work_tables(con)
    return out


def explain_lines(entries: list[dict[str, Any]]) -> list[str]:
    """``explain`` in words, one line per finding."""
    lines: list[str] = []
    for e in entries:
        head = f"{e['office']} {e['number']} {e['kind']} (doc_id {e['doc_id']}) — {e['definition']} {e['version']}: "
        if not e["ai"]:
            lines.append(head + "not AI (no rule of the universe matched)")
            continue
        lines.append(head + "AI patent, because:")
        for m in e["universe"]:
            lines.append(f"    {m['rule']} matched {', '.join(m['matched'])} [{m['where']}]")
        for c in e["categories"]:
            lines.append(f"  category {c['category']} ({c['dimension']}: {c['title']}), because:")
            for m in c["rules"]:
                what = f" matched {', '.join(m['matched'])}" if m["matched"] else ""
                lines.append(f"    {m['rule']}{what} [{m['where']}]")
    return lines


def list_classified(store: Store, definition: str | None = None, category: str | None = None,
                    limit: int | None = None) -> list[dict[str, Any]]:
    """Matched documents: office, number, kind, definition, version, category, rule."""
    sql = ("SELECT d.office, d.number, d.kind, c.definition, c.version, c.category, c.rule, c.doc_id "
           "FROM classified c JOIN documents d USING (doc_id) WHERE (? IS NULL OR c.definition = ?) "
           "AND (? IS NULL OR c.category = ?) ORDER BY c.definition, c.category, d.office, d.number, d.kind")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.query_dicts(sql, [definition, definition, category, category])


def counts(store: Store, definition: str | None = None) -> list[dict[str, Any]]:
    """Documents per definition and category ('' = the universe: AI documents)."""
    return store.query_dicts(
        "SELECT definition, version, category, count(DISTINCT doc_id) AS documents FROM classified "
        "WHERE (? IS NULL OR definition = ?) GROUP BY ALL ORDER BY definition, category", [definition, definition])


__all__ = ["counts", "explain", "explain_lines", "find_documents", "list_classified", "rule_text"]
