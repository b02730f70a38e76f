"""The rule compiler: a definition becomes set-based SQL over the store, and its results the ``classified`` rows.

A run works in two phases, each a handful of set operations (no loop over documents):

1. every leaf rule of the universe is evaluated once over all documents into ``classify_hits`` (doc_id,
   leaf); the universe's boolean structure is then evaluated over those hits;
2. the category rules are evaluated the same way (their symbol leaves in the same join as the universe's,
   their keyword leaves over the universe's texts only) and kept for the documents of the universe.

``classified`` gets one row per document × definition × category matched (``category = ''`` for the universe),
with the definition's version and, in ``rule``, the first rule (in file order) that matched. A run replaces
the rows of the definitions it runs, in one transaction.

A definition that extends another (``extends:``; its universe starts with the other's, its categories are the
other's) reuses the rows of that definition when both are in one run: the other's universe and categories are
copied, and only the documents it leaves out are classified.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aieco.arrowsql import execute_over
from aieco.classify.rules import TEXT_FIELDS, AnyRule, KeywordRule, Rule, Tables, _Composite, _quote, _SymbolBase
from aieco.classify.symbols import symbol_key_sql
from aieco.model import Definition
from aieco.settings import setting_count
from aieco.store import Store

ALL = Tables(keys="classify_keys_k", texts="classify_texts_c", docs="classify_docs")
# Phase 2 runs over the documents of ``classify_scope``: the universe, less those whose rows are reused.
UNIVERSE = Tables(keys="classify_keys_k", texts="classify_texts_u", docs="classify_scope")


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
        f"CREATE OR REPLACE TEMP VIEW classify_texts_raw AS SELECT doc_id, title, abstract, title_lang, abstract_lang "
        f"FROM documents {w}",
    ]


_TEXT_COLUMNS = ("doc_id, coalesce(lower(title), '') AS title, coalesce(lower(abstract), '') AS abstract, "
                 "title_lang, abstract_lang")


_HAN = "[\\x{4e00}-\\x{9fff}]"   # the CJK block Chinese terms are written in (RE2 syntax)


def _alternation(leaves: list[Rule], *, case_insensitive: bool = False) -> str | None:
    """One regular expression that every text a keyword leaf matches also matches, outside texts whose
    language is Chinese (see :func:`_chinese_sql`); None without keyword leaves.

    A Chinese keyword leaf only matches a text in Chinese: one whose language says so, or, when unknown, one
    written in CJK script. Outside the first, any Han character stands for its terms (a few hundred literals,
    some as short as "AI", would make the alternation slower to scan with and far less selective).
    ``case_insensitive``: for the stored (not lower-cased) text, see :func:`prefilter_arrow`.
    """
    rules = [r for r in leaves if isinstance(r, KeywordRule)]
    if not rules:
        return None
    english = "|".join(dict.fromkeys(r.regex() for r in rules if r.lang != "zh"))
    parts = [f"(?i:{english})" if case_insensitive else f"(?:{english})"] if english else []
    if any(r.lang == "zh" for r in rules):
        parts.append(_HAN)
    if case_insensitive:
        parts.append(_LOWER_TO_ASCII)
    return "|".join(parts)


def _chinese_sql(leaves: list[Rule]) -> str | None:
    """SQL true for the texts whose language is Chinese; None without a Chinese keyword leaf in ``leaves``."""
    fields = sorted({f for r in leaves if isinstance(r, KeywordRule) and r.lang == "zh" for f in r.fields})
    return " OR ".join(f"{f}_lang LIKE 'zh%'" for f in fields) or None


def prefilter_sql(leaves: list[Rule], source: str, target: str) -> str:
    """Texts that any keyword leaf could match: one scan with one alternation, instead of one per rule.

    Each keyword rule is then evaluated on these candidates only (a few percent of a corpus).
    """
    alternation = _alternation(leaves)
    if alternation is None:
        return f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {source} LIMIT 0"
    q = _quote(alternation)
    chinese = _chinese_sql(leaves)
    return (f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {source} "
            f"WHERE regexp_matches(title, {q}) OR regexp_matches(abstract, {q})"
            + (f" OR {chinese}" if chinese else ""))


# Characters that lower() maps to ASCII letters while RE2's case folding does not (dotted capital I) or whose
# word-ness changes (Kelvin sign): texts with them are always candidates of the case-insensitive scan.
_LOWER_TO_ASCII = "[\u0130\u212a]"
_BATCH_ROWS = 100_000
# From this many documents on, the scan over every text runs in Arrow (:func:`prefilter_arrow`); below, DuckDB's
# own scan is quicker than Arrow's start-up (a quarter of a second the first time a process computes with it).
ARROW_SCAN_MIN_DOCUMENTS = 200_000


def prefilter_arrow(con: Any, leaves: list[Rule], target: str) -> None:
    """:func:`prefilter_sql` over every document, with the regular expression run by Arrow's RE2.

    The scan over all titles and abstracts is the one step whose cost grows with the text of the whole
    store. Arrow's RE2 matches about twice as fast per thread as DuckDB's (benchmarks/classify.py), and a
    case-insensitive match on the stored text saves lower-casing every text: the documents stream out of
    DuckDB in batches, each batch is matched on a worker thread (Arrow releases the GIL; no Python loop over
    rows), and only the candidates' texts are lower-cased, into ``target``. A superset of the exact
    candidates: lower(text) matching a lower-case pattern implies the text matching it case-insensitively,
    except for the two characters in ``_LOWER_TO_ASCII``, which make a text a candidate by themselves.
    """
    pattern = _alternation(leaves, case_insensitive=True)
    if pattern is None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM classify_texts LIMIT 0")
        return
    # Imported here, not before: a tenth of a second that a definition without keyword rules need not pay.
    import pyarrow as pa
    import pyarrow.compute as pc

    def candidates(batch: Any) -> Any:
        # A missing text gives null: Kleene OR keeps a match in the other field, filter drops the nulls.
        # (No fill_null: its first call costs a sizeable fraction of a second.)
        mask = None
        for name in TEXT_FIELDS:
            m = pc.match_substring_regex(batch.column(name), pattern)
            mask = m if mask is None else pc.or_kleene(mask, m)
        return pc.filter(batch.column("doc_id"), mask, null_selection_behavior="drop")

    reader = con.sql("SELECT doc_id, title, abstract FROM classify_texts_raw").to_arrow_reader(_BATCH_ROWS)
    found: list[Any] = []
    threads = max(1, setting_count("threads"))
    with ThreadPoolExecutor(threads) as pool:
        pending: deque[Future[Any]] = deque()
        for batch in reader:
            pending.append(pool.submit(candidates, batch))
            while len(pending) > threads:   # at most one batch waiting per thread: memory stays bounded
                found.append(pending.popleft().result())
        found += [f.result() for f in pending]
    ids = pa.table({"doc_id": pa.concat_arrays(found) if found else pa.array([], pa.int64())})
    chinese = _chinese_sql(leaves)
    execute_over(con, "CREATE OR REPLACE TEMP TABLE classify_candidates AS SELECT doc_id FROM arrow_input"
                 + (f" UNION SELECT doc_id FROM classify_texts_raw WHERE {chinese}" if chinese else ""), ids)
    # A join, not IN: DuckDB then reads the texts of the candidates only.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT t.* FROM classify_texts t "
                "JOIN classify_candidates USING (doc_id)")


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
        A document with two symbols under one leaf gets the pair twice: every reader of ``classify_hits``
        takes it as a set (DISTINCT, GROUP BY, UNION/INTERSECT/EXCEPT), and removing the repeats (under 1%)
        cost a quarter of the statement.
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
            SELECT k.doc_id, h.leaf FROM {keys} k JOIN (
                SELECT DISTINCT s.symbol_norm, i.scheme, i.leaf FROM (
                    SELECT symbol_norm, key, unnest((SELECT list(DISTINCT plen) FROM classify_intervals)) AS plen
                    FROM classify_symbols) s
                JOIN classify_intervals i ON s.plen = i.plen AND left(s.key, s.plen) = i.prefix
                WHERE s.key >= i.lo AND s.key <= i.hi) h
            ON k.symbol_norm = h.symbol_norm AND k.scheme = h.scheme""")

    def insert_text_hits(self, con: Any, t: Tables, offset: int, groups: list[list[Rule]] | None = None) -> None:
        """(doc_id, leaf) for every other leaf: keyword leaves in one pass over ``t.texts``, leaves of other
        kinds with their own SQL.

        A group is a flat rule set (the universe, a category) whose only use of its hits is "any, and the
        first in file order": its keyword leaves are one ``CASE`` that stops at the first that matches, and is
        not evaluated at all for documents that already have an earlier (symbol) hit in the group. Keyword
        leaves outside every group are each evaluated.
        """
        idx = self.index()
        grouped = [[r for r in g if isinstance(r, KeywordRule)] for g in groups or []]
        in_group = {id(r) for g in grouped for r in g}
        exprs = [f"CASE WHEN {r.condition()} THEN {offset + i} END"
                 for i, r in enumerate(self.rules) if isinstance(r, KeywordRule) and id(r) not in in_group]
        early: list[tuple[int, int]] = []   # (group, a symbol leaf before the group's first keyword leaf)
        for gi, (g, kws) in enumerate(zip(groups or [], grouped, strict=True)):
            if not kws:
                continue
            first = offset + min(idx[id(r)] for r in kws)
            ordered = sorted(kws, key=lambda r: idx[id(r)])
            whens = " ".join(f"WHEN {r.condition()} THEN {offset + idx[id(r)]}"
                             for r in ordered)
            before = [offset + idx[id(r)] for r in g if not isinstance(r, KeywordRule) and offset + idx[id(r)] < first]
            skip = f"WHEN list_contains(e.groups, {gi}) THEN NULL " if before else ""
            early += [(gi, leaf) for leaf in before]
            exprs.append(f"CASE {skip}{whens} END")
        if exprs:
            join = ""
            if early:
                con.execute("CREATE OR REPLACE TEMP TABLE classify_early AS SELECT h.doc_id, list(DISTINCT g.grp) "
                            "AS groups FROM classify_hits h JOIN (SELECT unnest(?::INTEGER[]) AS grp, "
                            "unnest(?::INTEGER[]) AS leaf) g USING (leaf) GROUP BY h.doc_id",
                            [[e[0] for e in early], [e[1] for e in early]])
                join = "LEFT JOIN classify_early e USING (doc_id)"
            cases = ", ".join(exprs)
            con.execute("INSERT INTO classify_hits " + _in_parts(
                lambda part: f"""SELECT doc_id, leaf FROM (SELECT doc_id, unnest([{cases}]) AS leaf FROM
                    (SELECT * FROM {t.texts} WHERE {part}) {join}) WHERE leaf IS NOT NULL"""))
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


def _in_parts(select: Callable[[str], str]) -> str:
    """The statement ``select(part)`` as one part per thread, ``part`` being the condition on ``doc_id``
    that chooses the part's documents.

    DuckDB splits a table scan between threads by row group (122,880 rows), so a statement over the
    candidates of a scan (tens of thousands of texts) would run on one thread; the parts of a
    ``UNION ALL`` run side by side.
    """
    n = max(1, setting_count("threads"))
    if n == 1:
        return select("true")
    return "\nUNION ALL\n".join(select(f"doc_id % {n} = {i}") for i in range(n))


def rule_text(rule: Rule) -> str:
    """What ``classified.rule`` says: the rule in words and where it is written."""
    return f"{rule.label()} [{rule.where()}]"


def _any_sql(rules: Iterable[Rule], t: Tables) -> str:
    return "\nUNION\n".join(f"({r.to_sql(t)})" for r in rules)


def scan_texts(con: Any, leaves: list[Rule], documents: int) -> None:
    """``classify_texts_c``: the texts any of the keyword ``leaves`` could match (of ``documents``), by Arrow's
    scan from :data:`ARROW_SCAN_MIN_DOCUMENTS` on, else by DuckDB's."""
    if documents >= ARROW_SCAN_MIN_DOCUMENTS:
        prefilter_arrow(con, leaves, "classify_texts_c")
    else:
        con.execute(prefilter_sql(leaves, "classify_texts", "classify_texts_c"))


def extended(d: Definition, earlier: Iterable[Definition]) -> Definition | None:
    """The definition among ``earlier`` that ``d`` extends (its universe is ``d``'s first rule, the same
    objects, as :mod:`aieco.classify.definitions` builds it) and whose rows ``d`` can reuse, or None.

    Only a universe that is an OR of leaves qualifies: a document outside it then has no hit of its leaves,
    so its ``rule`` (the first leaf that matched) is one of ``d``'s own.
    """
    first = d.universe[0] if d.universe else None
    if isinstance(first, AnyRule):
        for p in earlier:
            if first.rules is p.universe and all(_flat(r) for r in p.universe):
                return p
    return None


def classify_definition(con: Any, d: Definition, base: Definition | None = None) -> dict[str, int]:
    """Write the rows of one definition into ``classified`` (inside the caller's transaction).

    Expects the base relations of :func:`base_tables_sql` and the candidates of :func:`scan_texts` for (at
    least) this definition's universe; returns counts by category ('' = universe).
    The number of statements does not grow with the number of rules: symbol leaves of both phases are one
    join, keyword leaves one pass per phase, and every category that is an OR of leaves (all shipped ones)
    is written by one statement for all of them.

    ``base``: a definition that ``d`` extends (see :func:`extended`) whose rows this transaction wrote. Its
    universe documents are ``d``'s with the same first rule (its leaves come first in ``d``'s file order);
    when the categories are the same objects too, so are their rows, and phase 2 runs only over the
    documents that ``d``'s own rules add. The rows are the same as without ``base`` (tested).
    """
    con.execute("DELETE FROM classified WHERE definition = ?", [d.id])
    con.execute("CREATE OR REPLACE TEMP TABLE classify_hits (doc_id BIGINT, leaf INTEGER)")
    roots = d.universe[1:] if base is not None else d.universe
    shared = (base is not None and len(d.categories) == len(base.categories)
              and all(a is b for a, b in zip(d.categories, base.categories, strict=True)))
    uleaves = _Leaves.of(roots)
    offset = len(uleaves.rules)
    cleaves = _Leaves.of(r for c in d.categories for r in c.rules)
    labels = [rule_text(r) for r in uleaves.rules + cleaves.rules]
    con.execute("CREATE OR REPLACE TEMP TABLE classify_labels AS SELECT unnest(range(?))::INTEGER AS leaf, "
                "unnest(?::VARCHAR[]) AS rule", [len(labels), labels])
    # Symbol leaves of the universe and of the categories at once (category hits outside the universe are
    # never read: every category is restricted to the universe below). Reused categories need their hits
    # only for the documents the base leaves out: those are known after phase 1.
    _Leaves(uleaves.rules if shared else uleaves.rules + cleaves.rules).insert_symbol_hits(con, "classify_keys", 0)
    # Phase 1: the universe.
    flat_universe = all(_flat(r) for r in roots)
    uleaves.insert_text_hits(con, ALL, 0, [[leaf for r in roots for leaf in r.leaves()]] if flat_universe else [])
    if flat_universe:
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS "
                    f"SELECT DISTINCT doc_id FROM classify_hits WHERE leaf < {offset}")
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW classify_docs_scope AS SELECT doc_id FROM classify_docs")
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS "
                    f"SELECT DISTINCT doc_id FROM ({_any_sql(roots, uleaves.via_hits(0))})")

    uidx = uleaves.index()
    own = [uidx[id(leaf)] for r in roots for leaf in r.leaves()]
    if base is None:
        _insert(con, d, "", "SELECT doc_id FROM classify_universe", own)
    else:
        # The base's universe documents, with the base's rule; then those only d's own rules match.
        base_universe = f"SELECT doc_id FROM classified WHERE definition = {_quote(base.id)} AND category = ''"
        _insert(con, d, "", f"SELECT doc_id FROM classify_universe EXCEPT {base_universe}", own)
        # The base's rows: its universe, and its categories when they are d's.
        con.execute("INSERT INTO classified (doc_id, definition, version, category, rule) SELECT doc_id, ?, ?, "
                    "category, rule FROM classified WHERE definition = ? AND (category = '' OR ?)",
                    [d.id, d.version, base.id, shared])
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_universe AS SELECT doc_id FROM classify_universe "
                    f"UNION {base_universe}")
    if shared and base is not None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE classify_scope AS SELECT doc_id FROM classify_universe "
                    f"EXCEPT {base_universe}")
        if not con.execute("SELECT count(*) FROM classify_scope").fetchall()[0][0]:
            return _counts(con, d)
        con.execute("CREATE OR REPLACE TEMP VIEW classify_keys_scope AS SELECT * FROM classify_keys "
                    "WHERE doc_id IN (SELECT doc_id FROM classify_scope)")
        cleaves.insert_symbol_hits(con, "classify_keys_scope", offset)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE classify_scope AS SELECT doc_id FROM classify_universe")
    _categories(con, d, cleaves, offset)
    return _counts(con, d)


def _insert(con: Any, d: Definition, category: str, set_sql: str, leaf_ids: list[int]) -> None:
    """Rows of ``d`` for the documents of ``set_sql`` in ``category``, each with the first of ``leaf_ids`` (file
    order) that it hit as its rule."""
    ids = ", ".join(map(str, leaf_ids)) or "NULL"
    con.execute(f"""
        INSERT INTO classified (doc_id, definition, version, category, rule)
        SELECT s.doc_id, ?, ?, ?, l.rule
        FROM (SELECT DISTINCT doc_id FROM ({set_sql})) s
        LEFT JOIN (SELECT doc_id, min(leaf) AS leaf FROM classify_hits WHERE leaf IN ({ids})
                   GROUP BY doc_id) h USING (doc_id)
        LEFT JOIN classify_labels l USING (leaf)""", [d.id, d.version, category])


def _counts(con: Any, d: Definition) -> dict[str, int]:
    """The rows of ``d`` in ``classified`` by category ('' = universe)."""
    rows = con.execute("SELECT category, count(*) FROM classified WHERE definition = ? GROUP BY category",
                       [d.id]).fetchall()
    return {str(cat): int(n) for cat, n in rows}


def _categories(con: Any, d: Definition, cleaves: _Leaves, offset: int) -> None:
    """Phase 2: the category rows of the documents of ``classify_scope`` (category leaves numbered from
    ``offset``; their symbol hits already in ``classify_hits``)."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW classify_texts_uv AS SELECT {_TEXT_COLUMNS} FROM documents "
                "JOIN classify_scope USING (doc_id)")
    con.execute(prefilter_sql(cleaves.rules, "classify_texts_uv", "classify_texts_u"))
    flat_categories = [c for c in d.categories if not c.otherwise and all(map(_flat, c.rules))]
    cleaves.insert_text_hits(con, UNIVERSE, offset, [[leaf for r in c.rules for leaf in r.leaves()]
                                                     for c in flat_categories])
    con.execute("CREATE OR REPLACE TEMP VIEW classify_docs_scope AS SELECT doc_id FROM classify_scope")
    cidx, via = cleaves.index(), cleaves.via_hits(offset)
    # Categories that are an OR of leaves: all in one statement, a document's rule being its first leaf hit.
    flat = [(c.id, offset + cidx[id(leaf)]) for c in flat_categories for r in c.rules for leaf in r.leaves()]
    if flat:
        con.execute("CREATE OR REPLACE TEMP TABLE classify_catleaves AS SELECT DISTINCT * FROM (SELECT "
                    "unnest(?::VARCHAR[]) AS category, unnest(?::INTEGER[]) AS leaf)",
                    [list(c) for c in zip(*flat, strict=True)])
        con.execute("""
            INSERT INTO classified (doc_id, definition, version, category, rule)
            SELECT h.doc_id, ?, ?, h.category, l.rule FROM (
                SELECT h.doc_id, c.category, min(h.leaf) AS leaf FROM classify_hits h JOIN classify_catleaves c
                USING (leaf) WHERE h.doc_id IN (SELECT doc_id FROM classify_scope) GROUP BY ALL) h
            JOIN classify_labels l USING (leaf)""", [d.id, d.version])
    for c in d.categories:
        if c.otherwise or all(map(_flat, c.rules)):
            continue
        leaves = [offset + cidx[id(leaf)] for r in c.rules for leaf in r.leaves()]
        _insert(con, d, c.id, f"SELECT doc_id FROM ({_any_sql(c.rules, via)}) WHERE doc_id IN "
                "(SELECT doc_id FROM classify_scope)", leaves)
    for c in d.categories:
        if c.otherwise:
            others = ", ".join("'" + o.id + "'" for o in d.categories
                               if o.dimension == c.dimension and not o.otherwise) or "NULL"
            _insert(con, d, c.id, f"""SELECT doc_id FROM classify_scope EXCEPT
                    SELECT doc_id FROM classified WHERE definition = '{d.id}' AND category IN ({others})""", [])


def classify(store: Store, definitions: list[Definition]) -> list[dict[str, Any]]:
    """Apply definitions to every document of the store, replacing their rows of ``classified``.

    One transaction: either every definition asked for is recomputed, or nothing changes. Returns, per
    definition, the documents read, the AI documents, the count per category and the seconds taken.
    """
    out = []
    with store.transaction() as con:
        for sql in base_tables_sql():
            con.execute(sql)
        docs = int(con.execute("SELECT count(*) FROM classify_docs").fetchall()[0][0])   # all: no open result
        # The definitions share one scan of every text (each then runs its keyword rules exactly on the
        # candidates of all); each definition with keyword rules is given an equal share of its time.
        keywords = {id(d): [r for r in _Leaves.of(d.universe).rules if isinstance(r, KeywordRule)]
                    for d in definitions}
        t0 = time.perf_counter()
        scan_texts(con, [r for rules in keywords.values() for r in rules], docs)
        share = (time.perf_counter() - t0) / max(1, sum(1 for rules in keywords.values() if rules))
        # A definition runs after the one it extends (when both are asked for), so that it can reuse its rows.
        order = sorted(definitions, key=lambda d: extended(d, definitions) is not None)
        for i, d in enumerate(order):
            t0 = time.perf_counter()
            counts = classify_definition(con, d, extended(d, order[:i]))
            seconds = time.perf_counter() - t0 + (share if keywords[id(d)] else 0.0)
            con.execute("DELETE FROM classify_runs WHERE definition = ?", [d.id])
            con.execute("INSERT INTO classify_runs (definition, version, kind, documents, matched, seconds, "
                        "detail) VALUES (?, ?, 'rules', ?, ?, ?, ?)",
                        [d.id, d.version, docs, counts.get("", 0), seconds, d.citation])
            out.append({"definition": d.id, "version": d.version, "documents": int(docs),
                        "ai_documents": counts.pop("", 0), "categories": dict(sorted(counts.items())),
                        "seconds": round(seconds, 3)})
        drop_work_tables(con)
    return sorted(out, key=lambda r: [d.id for d in definitions].index(r["definition"]))


def drop_work_tables(con: Any) -> None:
    """Drop the temporary relations of a run (views first: they read the tables)."""
    for name in ("classify_keys_k", "classify_docs_scope", "classify_keys_scope", "classify_texts_uv",
                 "classify_texts", "classify_texts_raw", "classify_keys", "classify_docs"):
        con.execute(f"DROP VIEW IF EXISTS {name}")
    for name in ("classify_hits", "classify_labels", "classify_texts_u", "classify_texts_c", "classify_universe",
                 "classify_scope", "classify_symbols", "classify_intervals", "classify_catleaves", "classify_early",
                 "classify_candidates"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
