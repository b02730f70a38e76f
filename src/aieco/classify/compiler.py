"""The rule compiler: a definition becomes set-based SQL over the store, and its results the ``classified`` rows.

A run works in two phases, each a handful of set operations (no loop over documents):

1. every leaf rule of the universe is evaluated once over all documents into ``classify_hits`` (doc_id,
   leaf); the universe's boolean structure is then evaluated over those hits;
2. the category rules are evaluated the same way (their symbol leaves in the same join as the universe's,
   their keyword leaves over the universe's texts only) and kept for the documents of the universe.

``classified`` gets one row per document × definition × category matched (``category = ''`` for the universe),
with the definition's version and, in ``rule``, the first rule (in file order) that matched. A run replaces
the rows of the definitions it runs, in one transaction.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aieco.classify.rules import AnyRule, KeywordRule, Rule, Tables, _Composite, _SymbolBase
from aieco.classify.symbols import symbol_key_sql
from aieco.model import Definition
from aieco.store import Store

ALL = Tables(keys="classify_keys_k", texts="classify_texts_c", docs="classify_docs")
UNIVERSE = Tables(keys="classify_keys_k", texts="classify_texts_u", docs="classify_universe")


def base_tables_sql(where: str = "") -> list[str]:
    """SQL creating the relations rules read (see :mod:`aieco.classify.rules`), for the documents ``where``.

    Only the distinct symbols (with their sortable key) are materialised; documents, their symbols and their
    lower-cased texts are views, read by the one scan of each phase that needs them.
    """
    w = f"WHERE {where}" if where else ""
    wk = f"AND {where}" if where else ""
    return [
        f"CREATE OR REPLACE TEMP VIEW classify_docs AS SELECT doc_id FROM documents {w}",
        f"""CREATE OR REPLACE TEMP VIEW classify_keys AS
            SELECT doc_id, scheme, symbol_norm FROM classifications
            WHERE scheme IN ('cpc', 'ipc') AND symbol_norm IS NOT NULL {wk}""",
        # Symbol rules are matched against each distinct symbol once (a corpus repeats symbols a lot), then
        # joined back to documents; `classify_keys_k` also gets the key, for rules evaluated on their own.
        f"""CREATE OR REPLACE TEMP TABLE classify_symbols AS
            SELECT symbol_norm, {symbol_key_sql()} AS key FROM (SELECT DISTINCT symbol_norm FROM classify_keys)""",
        """CREATE OR REPLACE TEMP VIEW classify_keys_k AS
            SELECT k.doc_id, k.scheme, k.symbol_norm, s.key FROM classify_keys k JOIN classify_symbols s
            USING (symbol_norm)""",
        f"CREATE OR REPLACE TEMP VIEW classify_texts AS SELECT {_TEXT_COLUMNS} FROM documents {w}",
    ]


_TEXT_COLUMNS = ("doc_id, coalesce(lower(title), '') AS title, coalesce(lower(abstract), '') AS abstract, "
                 "title_lang, abstract_lang")


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


def _flat(rule: Rule) -> bool:
    """Whether a rule is an OR of leaves (its documents: those with a hit of any of its leaves)."""
    return not isinstance(rule, _Composite) or (isinstance(rule, AnyRule) and all(_flat(r) for r in rule.rules))


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

    def insert_symbol_hits(self, con: Any, keys: str, offset: int) -> None:
        """(doc_id, leaf) for every symbol leaf into ``classify_hits``: one statement for all of them.

        A table of (leaf, scheme, lo, hi) key intervals is range-joined with the distinct symbols (small),
        and the (symbol, scheme, leaf) matches are equi-joined back to the documents' symbols in one scan.
        """
        intervals = [(offset + i, scheme, lo, hi, os.path.commonprefix([lo, hi])) for i, r in enumerate(self.rules)
                     if isinstance(r, _SymbolBase) for lo, hi in r.intervals() for scheme in r.schemes]
        if not intervals:
            return
        con.execute("CREATE OR REPLACE TEMP TABLE classify_intervals AS SELECT unnest(?::INTEGER[]) AS leaf, "
                    "unnest(?::VARCHAR[]) AS scheme, unnest(?::VARCHAR[]) AS lo, unnest(?::VARCHAR[]) AS hi, "
                    "unnest(?::VARCHAR[]) AS prefix, unnest(?::INTEGER[]) AS plen",
                    [list(c) for c in zip(*intervals, strict=True)] + [[len(iv[4]) for iv in intervals]])
        # Every key in [lo, hi] starts with the common prefix of lo and hi: an equi-join of each symbol's
        # key prefixes (one per prefix length in use) with the intervals' prefixes, the interval as a filter.
        con.execute(f"""
            INSERT INTO classify_hits
            SELECT DISTINCT k.doc_id, h.leaf FROM {keys} k JOIN (
                SELECT DISTINCT s.symbol_norm, i.scheme, i.leaf FROM (
                    SELECT symbol_norm, key, unnest((SELECT list(DISTINCT plen) FROM classify_intervals)) AS plen
                    FROM classify_symbols) s
                JOIN classify_intervals i ON s.plen = i.plen AND left(s.key, s.plen) = i.prefix
                WHERE s.key >= i.lo AND s.key <= i.hi) h
            ON k.symbol_norm = h.symbol_norm AND k.scheme = h.scheme""")

    def insert_text_hits(self, con: Any, t: Tables, offset: int) -> None:
        """(doc_id, leaf) for every other leaf: keyword leaves in one pass over ``t.texts`` (one expression
        per leaf, all in one projection), leaves of other kinds with their own SQL."""
        cases = [f"CASE WHEN {' OR '.join(r.field_conditions())} THEN {offset + i} END"
                 for i, r in enumerate(self.rules) if isinstance(r, KeywordRule)]
        if cases:
            con.execute(f"""INSERT INTO classify_hits SELECT doc_id, leaf FROM (
                SELECT doc_id, unnest([{", ".join(cases)}]) AS leaf FROM {t.texts}) WHERE leaf IS NOT NULL""")
        parts = [f"SELECT doc_id, {offset + i} AS leaf FROM ({r.leaf_to_sql(t)})"
                 for i, r in enumerate(self.rules) if not isinstance(r, (_SymbolBase, KeywordRule))]
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
    The number of statements does not grow with the number of rules: symbol leaves of both phases are one
    join, keyword leaves one pass per phase, and every category that is an OR of leaves (all shipped ones)
    is written by one statement for all of them.
    """
    con.execute("DELETE FROM classified WHERE definition = ?", [d.id])
    con.execute("CREATE OR REPLACE TEMP TABLE classify_hits (doc_id BIGINT, leaf INTEGER)")
    uleaves = _Leaves.of(d.universe)
    offset = len(uleaves.rules)
    cleaves = _Leaves.of(r for c in d.categories for r in c.rules)
    labels = [rule_text(r) for r in uleaves.rules + cleaves.rules]
    con.execute("CREATE OR REPLACE TEMP TABLE classify_labels AS SELECT unnest(range(?))::INTEGER AS leaf, "
                "unnest(?::VARCHAR[]) AS rule", [len(labels), labels])
    # Symbol leaves of the universe and of the categories at once (category hits outside the universe are
    # never read: every category is restricted to the universe below).
    _Leaves(uleaves.rules + cleaves.rules).insert_symbol_hits(con, "classify_keys", 0)
    # Phase 1: the universe.
    con.execute(prefilter_sql(uleaves.rules, "classify_texts", "classify_texts_c"))
    uleaves.insert_text_hits(con, ALL, 0)
    if all(_flat(r) for r in d.universe):
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS "
                    f"SELECT DISTINCT doc_id FROM classify_hits WHERE leaf < {offset}")
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW classify_docs_scope AS SELECT doc_id FROM classify_docs")
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS "
                    f"SELECT DISTINCT doc_id FROM ({_any_sql(d.universe, uleaves.via_hits(0))})")
    # Phase 2: categories, over the universe's documents only.
    con.execute(f"CREATE OR REPLACE TEMP VIEW classify_texts_uv AS SELECT {_TEXT_COLUMNS} FROM documents "
                "WHERE doc_id IN (SELECT doc_id FROM classify_universe)")
    con.execute(prefilter_sql(cleaves.rules, "classify_texts_uv", "classify_texts_u"))
    cleaves.insert_text_hits(con, UNIVERSE, offset)
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
    # Categories that are an OR of leaves: all in one statement, a document's rule being its first leaf hit.
    flat = [(c.id, offset + cidx[id(leaf)]) for c in d.categories if not c.otherwise and all(map(_flat, c.rules))
            for r in c.rules for leaf in r.leaves()]
    if flat:
        con.execute("CREATE OR REPLACE TEMP TABLE classify_catleaves AS SELECT DISTINCT * FROM (SELECT "
                    "unnest(?::VARCHAR[]) AS category, unnest(?::INTEGER[]) AS leaf)",
                    [list(c) for c in zip(*flat, strict=True)])
        con.execute("""
            INSERT INTO classified (doc_id, definition, version, category, rule)
            SELECT h.doc_id, ?, ?, h.category, l.rule FROM (
                SELECT h.doc_id, c.category, min(h.leaf) AS leaf FROM classify_hits h JOIN classify_catleaves c
                USING (leaf) WHERE h.doc_id IN (SELECT doc_id FROM classify_universe) GROUP BY ALL) h
            JOIN classify_labels l USING (leaf)""", [d.id, d.version])
    for c in d.categories:
        if c.otherwise or all(map(_flat, c.rules)):
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
    for name in ("classify_keys_k", "classify_docs_scope", "classify_texts_uv", "classify_texts", "classify_keys",
                 "classify_docs"):
        con.execute(f"DROP VIEW IF EXISTS {name}")
    for name in ("classify_hits", "classify_labels", "classify_texts_u", "classify_texts_c", "classify_universe",
                 "classify_symbols", "classify_intervals", "classify_catleaves"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
