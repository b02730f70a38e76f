"""The rule compiler: a definition becomes set-based SQL over the store, and its results the ``classified`` rows.

A run works in two phases, each a handful of set operations (no loop over documents):

1. every leaf rule of the universe is evaluated once over all documents into ``classify_hits`` (doc_id,
   leaf); the universe's boolean structure is then evaluated over those hits;
2. the category rules are evaluated the same way, over the documents of the universe only.

``classified`` gets one row per document × definition × category matched (``category = ''`` for the universe),
with the definition's version and, in ``rule``, the first rule (in file order) that matched. A run replaces
the rows of the definitions it runs, in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aieco.classify.rules import KeywordRule, Rule, Tables, _SymbolBase
from aieco.classify.symbols import symbol_key_sql
from aieco.model import Definition
from aieco.store import Store

ALL = Tables(keys="classify_keys_k", texts="classify_texts_c", docs="classify_docs")
UNIVERSE = Tables(keys="classify_keys_u", texts="classify_texts_u", docs="classify_universe")


def base_tables_sql(where: str = "") -> list[str]:
    """SQL creating the relations rules read (see :mod:`aieco.classify.rules`), for the documents ``where``."""
    w = f"WHERE {where}" if where else ""
    wk = f"AND {where}" if where else ""
    return [
        f"CREATE OR REPLACE TEMP TABLE classify_docs AS SELECT doc_id FROM documents {w}",
        f"""CREATE OR REPLACE TEMP TABLE classify_keys AS
            SELECT doc_id, scheme, symbol_norm FROM classifications
            WHERE scheme IN ('cpc', 'ipc') AND symbol_norm IS NOT NULL {wk}""",
        # Symbol rules are matched against each distinct symbol once (a corpus repeats symbols a lot), then
        # joined back to documents; `classify_keys` also gets the key, for rules evaluated on their own.
        f"""CREATE OR REPLACE TEMP TABLE classify_symbols AS
            SELECT symbol_norm, {symbol_key_sql()} AS key FROM (SELECT DISTINCT symbol_norm FROM classify_keys)""",
        """CREATE OR REPLACE TEMP VIEW classify_keys_k AS
            SELECT k.doc_id, k.scheme, k.symbol_norm, s.key FROM classify_keys k JOIN classify_symbols s
            USING (symbol_norm)""",
        f"""CREATE OR REPLACE TEMP TABLE classify_texts AS
            SELECT doc_id, coalesce(lower(title), '') AS title, coalesce(lower(abstract), '') AS abstract,
                   title_lang, abstract_lang
            FROM documents {w}""",
    ]


def prefilter_sql(leaves: list[Rule], source: str, target: str) -> str:
    """Texts that any keyword leaf could match: one scan with one alternation, instead of one per rule.

    Each keyword rule is then evaluated on these candidates only (a few percent of a corpus).
    """
    regexes = [r.regex() for r in leaves if isinstance(r, KeywordRule)]
    if not regexes:
        return f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {source} LIMIT 0"
    q = "'" + ("(?:" + "|".join(regexes) + ")").replace("'", "''") + "'"
    return (f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {source} "
            f"WHERE regexp_matches(title, {q}) OR regexp_matches(abstract, {q})")


@dataclass
class _Leaves:
    """Numbered leaf rules of one phase; the SQL of their hits, and their labels."""

    rules: list[Rule]

    @classmethod
    def of(cls, roots: Iterable[Rule]) -> _Leaves:
        out: list[Rule] = []
        seen: set[int] = set()
        for root in roots:
            for leaf in root.leaves():
                if id(leaf) not in seen:
                    seen.add(id(leaf))
                    out.append(leaf)
        return cls(out)

    def index(self) -> dict[int, int]:
        return {id(r): i for i, r in enumerate(self.rules)}

    def insert_hits(self, con: Any, t: Tables, keys: str, offset: int) -> None:
        """Fill ``classify_hits`` with (doc_id, leaf) for every leaf, set-based.

        Symbol leaves: one range join of their key intervals with the distinct symbols, then one equi-join
        back to the documents' symbols (``keys``). Other leaves: their own SQL, one statement in all.
        """
        intervals = [(offset + i, scheme, lo, hi) for i, r in enumerate(self.rules) if isinstance(r, _SymbolBase)
                     for lo, hi in r.intervals() for scheme in r.schemes]
        con.execute("CREATE OR REPLACE TEMP TABLE classify_intervals (leaf INTEGER, scheme VARCHAR, lo VARCHAR, "
                    "hi VARCHAR)")
        if intervals:
            con.executemany("INSERT INTO classify_intervals VALUES (?, ?, ?, ?)", intervals)
            con.execute(f"""
                INSERT INTO classify_hits
                SELECT DISTINCT k.doc_id, h.leaf FROM {keys} k JOIN (
                    SELECT DISTINCT s.symbol_norm, i.scheme, i.leaf FROM classify_symbols s
                    JOIN classify_intervals i ON s.key >= i.lo AND s.key <= i.hi) h
                ON k.symbol_norm = h.symbol_norm AND k.scheme = h.scheme""")
        parts = [f"SELECT doc_id, {offset + i} AS leaf FROM ({r.leaf_to_sql(t)})"
                 for i, r in enumerate(self.rules) if not isinstance(r, _SymbolBase)]
        if parts:
            con.execute("INSERT INTO classify_hits " + "\nUNION ALL\n".join(parts))

    def via_hits(self, offset: int) -> Tables:
        idx = self.index()

        def leaf_sql(rule: Rule) -> str | None:
            i = idx.get(id(rule))
            return None if i is None else f"SELECT doc_id FROM classify_hits WHERE leaf = {offset + i}"

        return Tables(keys="", texts="", docs="classify_docs_scope", leaf_sql=leaf_sql)


def rule_text(rule: Rule) -> str:
    """What ``classified.rule`` says: the rule in words and where it is written."""
    return f"{rule.label()} [{rule.where()}]"


def _any_sql(rules: Iterable[Rule], t: Tables) -> str:
    return "\nUNION\n".join(f"({r.to_sql(t)})" for r in rules)


def classify_definition(con: Any, d: Definition) -> dict[str, int]:
    """Write the rows of one definition into ``classified`` (inside the caller's transaction).

    Expects the base relations of :func:`base_tables_sql`; returns counts by category ('' = universe).
    """
    con.execute("DELETE FROM classified WHERE definition = ?", [d.id])
    con.execute("CREATE OR REPLACE TEMP TABLE classify_hits (doc_id BIGINT, leaf INTEGER)")
    con.execute("CREATE OR REPLACE TEMP TABLE classify_labels (leaf INTEGER, rule VARCHAR)")
    # Phase 1: the universe.
    uleaves = _Leaves.of(d.universe)
    con.execute(prefilter_sql(uleaves.rules, "classify_texts", "classify_texts_c"))
    uleaves.insert_hits(con, ALL, "classify_keys", 0)
    con.execute("CREATE OR REPLACE TEMP VIEW classify_docs_scope AS SELECT doc_id FROM classify_docs")
    con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS "
                f"SELECT DISTINCT doc_id FROM ({_any_sql(d.universe, uleaves.via_hits(0))})")
    # Phase 2: categories, over the universe's documents only.
    con.execute("CREATE OR REPLACE TEMP TABLE classify_keys_u AS SELECT * FROM classify_keys_k "
                "WHERE doc_id IN (SELECT doc_id FROM classify_universe)")
    offset = len(uleaves.rules)
    cleaves = _Leaves.of(r for c in d.categories for r in c.rules)
    con.execute("CREATE OR REPLACE TEMP VIEW classify_texts_uv AS SELECT * FROM classify_texts "
                "WHERE doc_id IN (SELECT doc_id FROM classify_universe)")
    con.execute(prefilter_sql(cleaves.rules, "classify_texts_uv", "classify_texts_u"))
    cleaves.insert_hits(con, UNIVERSE, "classify_keys_u", offset)
    labels = [(i, rule_text(r)) for i, r in enumerate(uleaves.rules + cleaves.rules)]
    if labels:
        con.executemany("INSERT INTO classify_labels VALUES (?, ?)", labels)
    con.execute("CREATE OR REPLACE TEMP VIEW classify_docs_scope AS SELECT doc_id FROM classify_universe")

    def insert(category: str, set_sql: str, leaf_ids: list[int]) -> None:
        ids = ", ".join(map(str, leaf_ids)) or "NULL"
        con.execute(f"""
            INSERT INTO classified (doc_id, definition, version, category, rule)
            SELECT s.doc_id, ?, ?, ?, l.rule
            FROM (SELECT DISTINCT doc_id FROM ({set_sql})) s
            LEFT JOIN (SELECT doc_id, min(leaf) AS leaf FROM classify_hits WHERE leaf IN ({ids})
                       GROUP BY doc_id) h USING (doc_id)
            LEFT JOIN classify_labels l USING (leaf)""", [d.id, d.version, category])

    uidx = uleaves.index()
    insert("", "SELECT doc_id FROM classify_universe",
           [uidx[id(leaf)] for r in d.universe for leaf in r.leaves()])
    cidx, via = cleaves.index(), cleaves.via_hits(offset)
    for c in d.categories:
        if c.otherwise:
            continue
        insert(c.id, f"SELECT doc_id FROM ({_any_sql(c.rules, via)}) WHERE doc_id IN "
                     "(SELECT doc_id FROM classify_universe)",
               [offset + cidx[id(leaf)] for r in c.rules for leaf in r.leaves()])
    for c in d.categories:
        if c.otherwise:
            others = ", ".join("'" + o.id + "'" for o in d.categories
                               if o.dimension == c.dimension and not o.otherwise) or "NULL"
            insert(c.id, f"""SELECT doc_id FROM classify_universe EXCEPT
                             SELECT doc_id FROM classified WHERE definition = '{d.id}'
                             AND category IN ({others})""", [])
    rows = con.execute("SELECT category, count(*) FROM classified WHERE definition = ? GROUP BY category",
                       [d.id]).fetchall()
    return {str(cat): int(n) for cat, n in rows}


def classify(store: Store, definitions: list[Definition]) -> list[dict[str, Any]]:
    """Apply definitions to every document of the store, replacing their rows of ``classified``.

    One transaction: either every definition asked for is recomputed, or nothing changes. Returns, per
    definition, the documents read, the AI documents, the count per category and the seconds taken.
    """
    out = []
    with store.transaction() as con:
        for sql in base_tables_sql():
            con.execute(sql)
        row = con.execute("SELECT count(*) FROM classify_docs").fetchone()
        docs = int(row[0]) if row else 0
        for d in definitions:
            t0 = time.perf_counter()
            counts = classify_definition(con, d)
            seconds = time.perf_counter() - t0
            con.execute("DELETE FROM classify_runs WHERE definition = ?", [d.id])
            con.execute("INSERT INTO classify_runs (definition, version, kind, documents, matched, seconds, "
                        "detail) VALUES (?, ?, 'rules', ?, ?, ?, ?)",
                        [d.id, d.version, docs, counts.get("", 0), seconds, d.citation])
            out.append({"definition": d.id, "version": d.version, "documents": int(docs),
                        "ai_documents": counts.pop("", 0), "categories": dict(sorted(counts.items())),
                        "seconds": round(seconds, 3)})
        drop_work_tables(con)
    return out


def drop_work_tables(con: Any) -> None:
    """Drop the temporary relations of a run (views first: they read the tables)."""
    for name in ("classify_keys_k", "classify_docs_scope", "classify_texts_uv"):
        con.execute(f"DROP VIEW IF EXISTS {name}")
    for name in ("classify_hits", "classify_labels", "classify_keys_u", "classify_texts_u", "classify_texts_c",
                 "classify_universe", "classify_keys", "classify_texts", "classify_symbols", "classify_intervals",
                 "classify_docs"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
