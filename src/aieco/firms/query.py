"""What the store says about firms: the registries' firms with their links, one firm in detail.

A firm's documents are the documents of the applicant names linked to it (``firm_links.linked``: match
probability at or above the threshold of the last ``aieco firms match``). A firm's AI documents are those of
its documents a definition classified as AI (``classified``, category '' = the definition's universe), by
priority year (NULL when the source gives none).
"""

from __future__ import annotations

import json
from typing import Any

from aieco.errors import UnknownName
from aieco.firms.names import features
from aieco.results import FirmDetail, FirmLink, FirmRow, FirmYearCount, PublishedCount
from aieco.store.connection import Store

DATE_BASIS = "priority year"

# linked applicant names per firm, and the documents they applied for (any source)
FIRM_DOCS_SQL = """
    SELECT DISTINCT l.registry, l.firm_id, p.doc_id
    FROM firm_links l JOIN parties p ON p.role = 'applicant' AND p.name = l.applicant
    WHERE l.linked"""


def require_tables(store: Store) -> None:
    """A store made before firms (migration 0006) and opened read-only has no firm tables."""
    if not store.has_table("firm_registry"):
        raise UnknownName(f"{store.path}: the store has no firm tables (made before aieco knew firms); "
                          "load a registry (aieco ingest firms PATH --registry NAME) to add them")  # fmt: skip


def last_match(store: Store) -> dict[str, Any] | None:
    rows = store.query_dicts(
        "SELECT match_id, method, threshold, strftime(matched_at, '%Y-%m-%dT%H:%M:%S') AS matched_at "
        "FROM firm_match_runs ORDER BY match_id DESC LIMIT 1"
    )
    return rows[0] if rows else None


def list_firms(store: Store, *, registry: str | None = None) -> tuple[FirmRow, ...]:
    """Every firm of the loaded registries (or of one), with its linked applicant names and documents."""
    require_tables(store)
    if registry is not None and not store.scalar("SELECT count(*) FROM firm_registry WHERE registry = ?", [registry]):
        known = [r[0] for r in store.query("SELECT DISTINCT registry FROM firm_registry ORDER BY 1")]
        raise UnknownName(f"no registry {registry!r} in the store; loaded: {', '.join(known) or 'none'}")
    rows = store.query_dicts(
        f"""
        WITH f AS (
            SELECT registry, firm_id, any_value(credit_code) AS credit_code, any_value(name_zh) AS name_zh,
                   any_value(name_en) AS name_en, any_value(country) AS country, any_value(province) AS province,
                   string_agg(DISTINCT programme, '; ') AS programme,
                   string_agg(DISTINCT batch, '; ' ORDER BY batch) AS batch, min(year) AS year,
                   any_value(file_sha256) AS registry_sha256
            FROM firm_registry {"WHERE registry = ?" if registry else ""} GROUP BY registry, firm_id),
        a AS (SELECT registry, firm_id, count(*) AS applicants FROM firm_links WHERE linked GROUP BY ALL),
        d AS (SELECT registry, firm_id, count(*) AS documents FROM ({FIRM_DOCS_SQL}) GROUP BY ALL)
        SELECT f.*, coalesce(a.applicants, 0) AS applicants, coalesce(d.documents, 0) AS documents
        FROM f LEFT JOIN a USING (registry, firm_id) LEFT JOIN d USING (registry, firm_id)
        ORDER BY registry, documents DESC, coalesce(name_zh, name_en)""",
        [registry] if registry else [],
    )
    return tuple(FirmRow(**r) for r in rows)


def find_firms(store: Store, text: str) -> list[tuple[str, str]]:
    """(registry, firm_id) of the firms ``text`` names: a code or id, else a name or alias (exact, then by
    its key), else a part of a name."""
    require_tables(store)
    query = text.strip()
    if not query:
        raise UnknownName("give a firm's name, credit code or registry id")
    hits = store.query(
        "SELECT DISTINCT registry, firm_id FROM firm_registry WHERE firm_id = ? OR credit_code = ? ORDER BY 1, 2",
        [query.upper(), query.upper()],
    ) or store.query("SELECT DISTINCT registry, firm_id FROM firm_names WHERE name = ? ORDER BY 1, 2", [query])
    if not hits:
        f = features(query)
        hits = store.query(
            "SELECT DISTINCT registry, firm_id FROM firm_names WHERE name_key = ? "
            "AND (? IS NULL OR place IS NULL OR place = ?) ORDER BY 1, 2",
            [f.key, f.place, f.place],
        )
    if not hits:
        hits = store.query(
            "SELECT DISTINCT registry, firm_id FROM firm_names WHERE name ILIKE ? ORDER BY 1, 2",
            ["%" + query.replace("%", "") + "%"],
        )
    if not hits:
        raise UnknownName(f"no firm named {query!r} in the loaded registries (see `aieco firms list`)")
    return [(str(r), str(i)) for r, i in hits]


def show_firm(store: Store, text: str) -> tuple[FirmDetail, ...]:
    """Every registry entry of the firm ``text`` names: names, matched applicant names with scores, and its
    AI documents by definition and priority year."""
    match = last_match(store)
    out = []
    for registry, firm_id in find_firms(store, text):
        out.append(_detail(store, registry, firm_id, match))
    return tuple(out)


def _detail(store: Store, registry: str, firm_id: str, match: dict[str, Any] | None) -> FirmDetail:
    key = [registry, firm_id]
    entries = store.query_dicts(
        "SELECT * FROM firm_registry WHERE registry = ? AND firm_id = ? ORDER BY run_id, line", key
    )
    first = entries[0]
    names = tuple(r[0] for r in store.query(
        "SELECT name FROM firm_names WHERE registry = ? AND firm_id = ? ORDER BY origin DESC, name", key))  # fmt: skip
    links = tuple(
        FirmLink(applicant=r["applicant"], firm_name=r["firm_name"],
                 match_probability=round(float(r["match_probability"]), 4),
                 match_weight=round(float(r["match_weight"]), 3), linked=bool(r["linked"]),
                 levels=json.loads(r["levels"]), documents=int(r["documents"]))
        for r in store.query_dicts("""
            SELECT l.*, (SELECT count(DISTINCT doc_id) FROM parties p
                         WHERE p.role = 'applicant' AND p.name = l.applicant) AS documents
            FROM firm_links l WHERE registry = ? AND firm_id = ?
            ORDER BY linked DESC, match_probability DESC, applicant""", key)
    )  # fmt: skip
    docs = f"SELECT doc_id FROM ({FIRM_DOCS_SQL}) WHERE registry = ? AND firm_id = ?"
    documents = int(store.scalar(f"SELECT count(*) FROM ({docs})", key) or 0)
    ai = tuple(
        FirmYearCount(definition=d, version=v, year=y, documents=int(n))
        for d, v, y, n in store.query(f"""
            SELECT c.definition, c.version, d.priority_year, count(DISTINCT c.doc_id)
            FROM classified c JOIN documents d USING (doc_id)
            WHERE c.category = '' AND c.doc_id IN ({docs})
            GROUP BY ALL ORDER BY 1, 3 NULLS LAST""", key)
    )  # fmt: skip
    published = tuple(
        PublishedCount(measure=m, year=y, value=int(v))
        for m, y, v in store.query(
            "SELECT measure, year, value FROM firm_counts WHERE registry = ? AND firm_id = ? "
            "ORDER BY measure, year NULLS FIRST", key)
    )  # fmt: skip
    sources = tuple(r[0] for r in store.query(f"""
        SELECT DISTINCT r.sha256 FROM document_sources s JOIN runs r USING (run_id)
        WHERE s.doc_id IN ({docs}) ORDER BY 1""", key))  # fmt: skip
    return FirmDetail(
        registry=registry, firm_id=firm_id, credit_code=first["credit_code"], name_zh=first["name_zh"],
        name_en=first["name_en"], country=first["country"], province=first["province"], city=first["city"],
        programme=first["programme"], batches=tuple(str(e["batch"]) for e in entries if e["batch"] is not None),
        year=first["year"], industry=first["industry"], stage=first["stage"], names=names, links=links,
        documents=documents, ai_documents=ai, published=published,
        method=match["method"] if match else None, threshold=match["threshold"] if match else None,
        date_basis=DATE_BASIS, registry_sha256=first["file_sha256"], source_sha256=sources,
    )  # fmt: skip
