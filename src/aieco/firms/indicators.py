"""Firm indicators: AI documents per firm by definition and year, the AI share of a firm's portfolio, niche
concentration (Herfindahl index over CPC subclasses), and PARAT's published AI patent counts against
aieco's own for the matched firms.

A firm's portfolio is the documents of its linked applicant names (any loaded source; each document once).
Its AI documents are those a definition classified AI (category '' = in the definition's universe). The
Herfindahl index is Σ s², s = the share of a CPC subclass (4 characters: G06N) among the firm's distinct
(document, subclass) pairs: 1 = every document in one subclass; 1/k = spread evenly over k.

>>> firm_indicators(store, definition="cset-1790")[0].ai_share  # doctest: +SKIP
0.25
"""

from __future__ import annotations

from aieco.errors import UnknownName
from aieco.firms.query import DATE_BASIS, FIRM_DOCS_SQL, last_match, require_tables
from aieco.results import FirmAgreement, FirmIndicator
from aieco.store.connection import Store


def _definition(store: Store, definition: str) -> str:
    version = store.scalar("SELECT version FROM classify_runs WHERE definition = ?", [definition])
    if version is None:
        done = [r[0] for r in store.query("SELECT definition FROM classify_runs ORDER BY 1")]
        raise UnknownName(f"documents not classified by {definition!r} (classified: {', '.join(done) or 'none'}); "
                          f"run aieco classify --definition {definition}")  # fmt: skip
    return str(version)


def _need_links(store: Store) -> dict[str, object]:
    require_tables(store)
    match = last_match(store)
    if match is None:
        raise UnknownName("applicants are not linked to firms: run aieco firms match")
    return match


def firm_indicators(store: Store, *, definition: str, registry: str | None = None) -> tuple[FirmIndicator, ...]:
    """One row per firm with at least one linked document: portfolio, AI documents (total and by priority
    year), AI share, and the Herfindahl index of its CPC subclasses."""
    version = _definition(store, definition)
    match = _need_links(store)
    where = "WHERE registry = ?" if registry else ""
    params: list[object] = [registry] if registry else []
    rows = store.query_dicts(
        f"""
        WITH fd AS (SELECT * FROM ({FIRM_DOCS_SQL}) {where}),
        ai AS (SELECT fd.registry, fd.firm_id, fd.doc_id, d.priority_year FROM fd
               JOIN classified c ON c.doc_id = fd.doc_id AND c.category = '' AND c.definition = ?
               JOIN documents d ON d.doc_id = fd.doc_id),
        sub AS (SELECT DISTINCT fd.registry, fd.firm_id, fd.doc_id, substr(k.symbol_norm, 1, 4) AS subclass
                FROM fd JOIN classifications k ON k.doc_id = fd.doc_id
                WHERE k.scheme = 'cpc' AND k.symbol_norm IS NOT NULL),
        shares AS (SELECT registry, firm_id, count(*) AS n FROM sub GROUP BY registry, firm_id, subclass),
        hhi AS (SELECT registry, firm_id, sum(n * n) / (sum(n) * sum(n)) AS hhi, count(*) AS subclasses
                FROM shares GROUP BY ALL),
        totals AS (SELECT registry, firm_id, count(*) AS documents FROM fd GROUP BY ALL),
        ai_totals AS (SELECT registry, firm_id, count(DISTINCT doc_id) AS ai_documents FROM ai GROUP BY ALL),
        ai_years AS (SELECT registry, firm_id, map(list(priority_year ORDER BY priority_year),
                                                   list(n ORDER BY priority_year)) AS by_year
                     FROM (SELECT registry, firm_id, priority_year, count(DISTINCT doc_id) AS n FROM ai
                           WHERE priority_year IS NOT NULL GROUP BY ALL) GROUP BY ALL)
        SELECT t.registry, t.firm_id, any_value(coalesce(f.name_zh, f.name_en)) AS name, t.documents,
               any_value(f.file_sha256) AS registry_sha256,
               coalesce(a.ai_documents, 0) AS ai_documents, y.by_year, h.hhi, coalesce(h.subclasses, 0) AS subclasses
        FROM totals t JOIN firm_registry f USING (registry, firm_id)
        LEFT JOIN ai_totals a USING (registry, firm_id) LEFT JOIN ai_years y USING (registry, firm_id)
        LEFT JOIN hhi h USING (registry, firm_id)
        GROUP BY t.registry, t.firm_id, t.documents, a.ai_documents, y.by_year, h.hhi, h.subclasses
        ORDER BY ai_documents DESC, t.documents DESC, t.registry, t.firm_id""",
        [*params, definition],
    )
    return tuple(
        FirmIndicator(
            registry=r["registry"],
            firm_id=r["firm_id"],
            name=r["name"],
            documents=int(r["documents"]),
            ai_documents=int(r["ai_documents"]),
            ai_share=round(int(r["ai_documents"]) / int(r["documents"]), 4),
            ai_by_year={int(k): int(v) for k, v in (r["by_year"] or {}).items()},
            hhi_cpc_subclass=None if r["hhi"] is None else round(float(r["hhi"]), 4),
            cpc_subclasses=int(r["subclasses"]),
            definition=definition,
            definition_version=version,
            date_basis=DATE_BASIS,
            threshold=float(match["threshold"]),  # type: ignore[arg-type]
            registry_sha256=r["registry_sha256"],
        )  # fmt: skip
        for r in rows
    )


def parat_agreement(
    store: Store, *, definition: str, registry: str = "parat", years: tuple[int, int] | None = None
) -> tuple[FirmAgreement, ...]:
    """PARAT's published AI patent count of each matched firm next to aieco's AI documents for it.

    The two count different things and the table says so: PARAT counts a firm's AI patents worldwide
    (its own definition, all patent offices); aieco counts the AI documents of the loaded sources only whose
    applicant name is linked to the firm. ``years`` restricts both to those years (PARAT's by-year series,
    aieco's priority years); without it both are totals.
    """
    version = _definition(store, definition)
    _need_links(store)
    lo, hi = years if years else (None, None)
    rows = store.query_dicts(
        f"""
        WITH linked AS (SELECT DISTINCT registry, firm_id FROM firm_links WHERE linked AND registry = ?),
        fd AS (SELECT * FROM ({FIRM_DOCS_SQL}) WHERE registry = ?),
        ours AS (SELECT fd.firm_id, count(DISTINCT fd.doc_id) AS n FROM fd
                 JOIN classified c ON c.doc_id = fd.doc_id AND c.category = '' AND c.definition = ?
                 JOIN documents d ON d.doc_id = fd.doc_id
                 WHERE (CAST(? AS INTEGER) IS NULL OR d.priority_year BETWEEN ? AND ?) GROUP BY 1),
        docs AS (SELECT firm_id, count(*) AS n FROM fd GROUP BY 1),
        theirs AS (SELECT firm_id, sum(value) AS n FROM firm_counts
                   WHERE registry = ? AND measure = 'ai_patents'
                     AND ((CAST(? AS INTEGER) IS NULL AND year IS NULL) OR year BETWEEN ? AND ?) GROUP BY 1)
        SELECT l.firm_id, any_value(f.name_en) AS name, any_value(f.country) AS country,
               any_value(f.file_sha256) AS sha, t.n AS parat, coalesce(o.n, 0) AS ours, coalesce(d.n, 0) AS docs
        FROM linked l JOIN firm_registry f USING (registry, firm_id)
        LEFT JOIN theirs t USING (firm_id) LEFT JOIN ours o USING (firm_id) LEFT JOIN docs d USING (firm_id)
        GROUP BY l.firm_id, t.n, o.n, d.n ORDER BY t.n DESC NULLS LAST, name""",
        [registry, registry, definition, lo, lo, hi, registry, lo, lo, hi],
    )
    period = f"{lo}-{hi}" if years else "all years"
    return tuple(
        FirmAgreement(
            firm_id=r["firm_id"],
            name=r["name"],
            country=r["country"],
            parat_ai_patents=None if r["parat"] is None else int(r["parat"]),
            aieco_ai_documents=int(r["ours"]),
            aieco_documents=int(r["docs"]),
            ratio=None if not r["parat"] else round(int(r["ours"]) / int(r["parat"]), 4),
            period=period,
            definition=definition,
            definition_version=version,
            registry_sha256=r["sha"],
            parat_unit="AI patents, all offices (PARAT's definition)",
            aieco_unit="AI documents of the loaded sources, linked applicants",
        )  # fmt: skip
        for r in rows
    )
