"""What a firm registry says about a programme claim ("over 400 little giant firms …", "DeepSeek is among
them"), for the claims checker: a typed answer, or exactly what is missing to give one.

>>> registry_answer(store, programme="little giant", firm="DeepSeek")  # doctest: +SKIP
RegistryAnswer(programme='little giant', firms=3, firm_found=True, missing=(), ...)
"""

from __future__ import annotations

import duckdb

from aieco.errors import UnknownName
from aieco.firms.names import fold
from aieco.firms.query import FIRM_DOCS_SQL, find_firms, last_match
from aieco.results import RegistryAnswer
from aieco.store.connection import Store

# Programme ids and the words that name them in registries and articles (folded: width, case, t→s).
PROGRAMMES: dict[str, tuple[str, ...]] = {
    "little-giant": ("小巨人", "little giant", "xiaojuren"),
}  # fmt: skip
AI_INDUSTRY_WORDS = ("人工智能", "artificial intelligence", "ai")


def programme_words(programme: str) -> tuple[str, ...]:
    """The folded words that name ``programme``: its id's words when it is one of PROGRAMMES (or names one),
    else the text itself."""
    text = fold(programme)
    for pid, words in PROGRAMMES.items():
        if text == fold(pid) or any(fold(w) in text for w in words):
            return tuple(dict.fromkeys(fold(w) for w in words))
    return (text,)


def _store(con: Store | duckdb.DuckDBPyConnection) -> Store:
    return con if isinstance(con, Store) else Store(con, ":memory:")


def _is_ai_industry(industry: str | None) -> bool:
    text = fold(industry or "")
    return any(w == text or (len(w) > 2 and w in text) or w in text.split(" ") for w in AI_INDUSTRY_WORDS)


def _firms_with_ai(store: Store, members: set[tuple[str, str]], definition: str) -> int:
    rows = store.query(
        f"""
        SELECT DISTINCT f.registry, f.firm_id FROM ({FIRM_DOCS_SQL}) f
        JOIN classified c ON c.doc_id = f.doc_id AND c.category = '' AND c.definition = ?""",
        [definition],
    )
    return len({(str(r), str(i)) for r, i in rows} & members)


def registry_answer(
    con: Store | duckdb.DuckDBPyConnection,
    *,
    programme: str,
    batch: str | None = None,
    province: str | None = None,
    firm: str | None = None,
    definition: str | None = None,
) -> RegistryAnswer:
    """How many firms of a programme (batch, province) the loaded registries list, how many of them have at
    least one AI document (their linked applicants' documents classified AI by ``definition``; default: every
    classified definition, reported one by one in ``firms_with_ai_by_definition``), whether ``firm`` is
    among them, and — when something needed is not in the store — what is missing, in words."""
    store = _store(con)
    missing: list[str] = []
    words = programme_words(programme)
    # a store made before migration 0006 and opened read-only has no firm tables: no registry either
    tables = store.has_table("firm_registry")
    loaded = (
        store.query_dicts(
            "SELECT registry, programme, batch, province, firm_id, name_zh, name_en, industry, file_sha256 "
            "FROM firm_registry WHERE programme IS NOT NULL"
        )
        if tables
        else []
    )
    any_registry = tables and bool(store.scalar("SELECT count(*) FROM firm_registry"))
    if not any_registry:
        missing.append("no firm registry loaded: aieco ingest firms PATH --registry NAME (a programme list with "
                       "name_zh, name_en, credit_code, programme, batch, ...)")  # fmt: skip
    rows = [r for r in loaded if any(w in fold(r["programme"]) for w in words)]
    if any_registry and not rows:
        listed = sorted({r["programme"] for r in loaded})
        missing.append(f"no loaded registry lists the programme {programme!r} (programmes loaded: "
                       f"{', '.join(listed) or 'none'})")  # fmt: skip
    if batch is not None:
        rows = [r for r in rows if str(r["batch"]) == str(batch)]
    if province is not None:
        rows = [r for r in rows if fold(r["province"] or "") == fold(province)]
    members = {(r["registry"], r["firm_id"]) for r in rows}
    registries = tuple(sorted({r["registry"] for r in rows}))
    sha = tuple(sorted({r["file_sha256"] for r in rows}))
    ai_industry = len({(r["registry"], r["firm_id"]) for r in rows if _is_ai_industry(r["industry"])})

    match = last_match(store) if tables else None
    classified = {d: v for d, v in store.query("SELECT definition, version FROM classify_runs ORDER BY 1")}
    if definition is not None and definition not in classified:
        missing.append(f"documents not classified by {definition!r}: aieco classify --definition {definition}")
    if members and match is None:
        missing.append("applicants not linked to the registry's firms: aieco firms match")
    if members and not classified:
        missing.append("no AI classification of the documents: aieco classify")
    by_definition: dict[str, int] = {}
    if members and match is not None:
        for d in [definition] if definition else sorted(classified):
            if d not in classified:
                continue
            by_definition[d] = _firms_with_ai(store, members, d)

    found: bool | None = None
    found_as: tuple[str, ...] = ()
    if firm is not None and any_registry:
        try:
            hits = find_firms(store, firm)
        except UnknownName:
            hits = []
        inside = [h for h in hits if h in members]
        found = bool(inside)
        names = {(r["registry"], r["firm_id"]): r["name_zh"] or r["name_en"] for r in rows}
        found_as = tuple(sorted({str(names[h]) for h in inside}))
    with_ai = by_definition.get(definition) if definition else (max(by_definition.values()) if by_definition else None)
    return RegistryAnswer(
        programme=programme, programme_words=words, batch=batch, province=province,
        registries=registries, registry_sha256=sha, firms=len(members) if any_registry else None,
        firms_ai_industry=ai_industry if any_registry else None, firms_with_ai=with_ai,
        firms_with_ai_by_definition=by_definition,
        definition=definition, definition_versions={d: classified[d] for d in by_definition},
        firm=firm, firm_found=found, firm_found_as=found_as,
        method=(match["method"] if match else None), threshold=(match["threshold"] if match else None),
        missing=tuple(missing),
    )  # fmt: skip
