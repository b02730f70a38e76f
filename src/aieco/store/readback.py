"""Reading the store back: runs, statistics, findings, rejects. Pure queries, no formatting."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

from aieco.errors import UnknownName
from aieco.results import Reject, Stats
from aieco.store.connection import Store


@cache
def finding_catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("aieco").joinpath("data/findings.yaml").read_text("utf-8")
    return {f["id"]: f for f in yaml.safe_load(text)["findings"]}


def list_runs(store: Store) -> list[dict[str, Any]]:
    rows = store.query_dicts(
        "SELECT run_id, kind, path, sha256, rows_read, rows_accepted, rows_rejected, "
        "strftime(started_at, '%Y-%m-%dT%H:%M:%S') AS started_at, round(seconds, 3) AS seconds, "
        "aieco_version, encoding, options FROM runs ORDER BY run_id")
    for r in rows:
        r["options"] = json.loads(r["options"]) if r["options"] else {}
    return rows


def _pairs(store: Store, sql: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in store.query(sql)}


def stats(store: Store) -> dict[str, Any]:
    """Headline counts of what the store holds, overall and per source."""
    out: dict[str, Any] = {
        "documents": int(store.scalar("SELECT count(*) FROM documents")),
        "families": int(store.scalar("SELECT count(DISTINCT (source, family_id)) FROM documents "
                                     "WHERE family_id IS NOT NULL")),
        "by_source": _pairs(store, "SELECT source, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"),
        "by_office": _pairs(store, "SELECT coalesce(office, '?'), count(*) FROM documents GROUP BY 1 "
                                   "ORDER BY 2 DESC, 1"),
        "by_priority_year": _pairs(store, "SELECT coalesce(CAST(priority_year AS VARCHAR), 'unknown'), "
                                          "count(*) FROM documents GROUP BY 1 ORDER BY 1"),
        "by_document_type": _pairs(store, "SELECT coalesce(doc_type, 'unknown'), count(*) FROM documents "
                                          "GROUP BY 1 ORDER BY 2 DESC"),
        "rejects": int(store.scalar("SELECT count(*) FROM rejects")),
        "findings": _pairs(store, "SELECT finding, sum(count) FROM findings GROUP BY 1 ORDER BY 2 DESC"),
        "categories": _pairs(store, "SELECT category, count(DISTINCT doc_id) FROM categories GROUP BY 1 "
                                    "ORDER BY 2 DESC"),
        "category_coverage": _pairs(store, """
            SELECT rc.category, count(DISTINCT ds.doc_id) FROM run_categories rc
            JOIN document_sources ds USING (run_id) GROUP BY 1 ORDER BY 1"""),
        "coverage": coverage(store),
    }
    return out


def stats_result(store: Store) -> Stats:
    """:func:`stats` as the typed result every face renders."""
    return Stats(**stats(store))


def coverage(store: Store) -> dict[str, dict[str, float]]:
    """Per source: share of documents with a known applicant country, inventor country, priority office,
    family id, priority year."""
    rows = store.query_dicts("""
        WITH d AS (SELECT doc_id, source, family_id, priority_office, priority_year FROM documents),
        app AS (SELECT DISTINCT doc_id FROM parties WHERE role = 'applicant' AND country IS NOT NULL),
        inv AS (SELECT DISTINCT doc_id FROM parties WHERE role = 'inventor' AND country IS NOT NULL)
        SELECT source, count(*) AS documents,
               avg(CASE WHEN app.doc_id IS NOT NULL THEN 1 ELSE 0 END) AS applicant_country,
               avg(CASE WHEN inv.doc_id IS NOT NULL THEN 1 ELSE 0 END) AS inventor_country,
               avg(CASE WHEN priority_office IS NOT NULL THEN 1 ELSE 0 END) AS priority_office,
               avg(CASE WHEN family_id IS NOT NULL THEN 1 ELSE 0 END) AS family_id,
               avg(CASE WHEN priority_year IS NOT NULL THEN 1 ELSE 0 END) AS priority_year
        FROM d LEFT JOIN app USING (doc_id) LEFT JOIN inv USING (doc_id) GROUP BY source ORDER BY source""")
    return {r.pop("source"): {k: (round(float(v), 4) if k != "documents" else int(v)) for k, v in r.items()}
            for r in rows}


def findings(store: Store) -> list[dict[str, Any]]:
    catalogue = finding_catalogue()
    rows = store.query_dicts("SELECT run_id, finding, count, examples, detail FROM findings "
                             "ORDER BY finding, run_id")
    for r in rows:
        entry = catalogue.get(r["finding"], {})
        r["title"] = entry.get("title", r["finding"])
        r["message"] = entry.get("message", "").format(count=r["count"]) + (
            f" {r['detail']}" if r["detail"] else "")
        r["examples"] = json.loads(r["examples"]) if r["examples"] else []
    return rows


def rejects(store: Store, run_id: int, limit: int | None = None) -> list[dict[str, Any]]:
    if not store.scalar("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]):
        raise UnknownName(f"no run {run_id}; see `aieco sources` for the runs in the store")
    sql = "SELECT run_id, file, line, field, reason, raw FROM rejects WHERE run_id = ? ORDER BY line"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.query_dicts(sql, [run_id])


def reject_rows(store: Store, run_id: int, limit: int | None = None) -> tuple[Reject, ...]:
    """:func:`rejects` as typed results."""
    return tuple(Reject(**r) for r in rejects(store, run_id, limit))
