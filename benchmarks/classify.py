"""Benchmark: the rule compiler (set-based SQL in DuckDB) against pandas applying the same rules.

A corpus of N generated documents (titles, abstracts, 3 CPC + 1 IPC codes each, a few percent with AI codes or
phrases) is written to a scratch store; then each engine classifies it with every shipped definition, each in
its own process so that peak RSS is its own. Both engines must give the same counts per definition and
category (checked). Prints a markdown table per corpus.

Two corpora (``--corpus``, both by default):

- ``patent-words``: 8-word titles and 100-word abstracts drawn from the word frequencies of real patent text
  (the USPTO grant XML and the Lens titles in ../shared/data), so that AI words are as rare as in patents;
- ``ai-dense``: 6-word titles and 25-word abstracts from a 130-word vocabulary full of AI words, a stress
  case where nearly every text holds several words a keyword rule looks for.

    .venv/bin/python benchmarks/classify.py --docs 200000 --corpus patent-words
    .venv/bin/python benchmarks/classify.py --repeat 3     # medians of three runs of each engine (make bench)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rss import peak_rss_mb

WORDS = ("system method apparatus device control unit vehicle aerial unmanned drone image data network signal "
         "processing sensor camera flight wireless communication battery power module frame motor propeller "
         "wing body landing payload delivery package antenna radar navigation position location map route "
         "user terminal server storage display light water spray crop field soil plant animal food pizza "
         "oven dough cheese box heating cooking machine tool learning model tree forest vector logic program "
         "support decision random neural intelligent artificial deep search adaptive semantic graph knowledge "
         "expert fuzzy genetic algorithm probability markov monte carlo entity relation robot arm gripper").split()
AI_PHRASES = ("neural network", "machine learning", "deep learning model", "support vector machine",
              "fuzzy logic controller", "bayesian inference", "generative adversarial network",
              "large language model", "artificial intelligence", "learning machine", "random forest classifier",
              "decision tree", "genetic algorithms", "knowledge graph", "expert system", "diffusion model",
              "monte carlo search", "semantic parsing", "variational autoencoder")
CODES = ("B64C39/024", "B64C2201/127", "G05D1/0088", "G05D1/10", "H04N7/18", "G06T7/70", "G06K9/00624",
         "G06K9/6256", "G06V20/13", "G06F17/289", "G06F40/30", "G06N3/08", "G06N3/0454", "G06N3/045",
         "G06N20/00", "G06N5/04", "G06N5/022", "G06N7/005", "G06N7/01", "G06N99/005", "A01B79/005", "A01C21/00",
         "A21B1/00", "A21D13/00", "A61B5/7267", "H04L9/32", "H04W4/40", "G01S7/417", "G06Q10/08", "G06Q50/02",
         "G08G5/0069", "H01L31/042", "F03G7/10", "Y10S901/01", "G09B9/00", "G10L15/16", "B65D85/36")


CORPORA = {
    "patent-words": "8-word titles, 100-word abstracts drawn from the word frequencies of real patent text",
    "ai-dense": "6-word titles, 25-word abstracts from a 130-word vocabulary full of AI words (stress case)",
}


def patent_words(data_dir: Path) -> tuple[list[str], list[str]]:
    """Word pools (each word repeated in proportion to its frequency) for titles and abstracts, from the real
    patent text in ``data_dir``: USPTO grant XML (titles; abstracts, claims and descriptions) and Lens titles."""
    import collections
    import csv
    import io

    word = re.compile(r"[a-z][a-z\-]+")
    titles: collections.Counter[str] = collections.Counter()
    body: collections.Counter[str] = collections.Counter()
    xml_files = sorted((data_dir / "uspto-xml").glob("*.xml"))
    lens_files = sorted((data_dir / "lens").glob("*.csv"))
    if not xml_files or not lens_files:
        raise SystemExit(f"the patent-words corpus needs the real data in {data_dir} (uspto-xml, lens)")
    for path in xml_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"<invention-title[^>]*>(.*?)</invention-title>", text, re.S):
            titles.update(word.findall(re.sub(r"<[^>]+>", " ", m.group(1)).lower()))
        body.update(word.findall(re.sub(r"<[^>]+>", " ", text).lower()))
    for path in lens_files:
        rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8", errors="replace"), newline=None))
        for row in rows:
            titles.update(word.findall((row.get("Title") or "").lower()))

    def pool(counts: collections.Counter[str], size: int = 200_000) -> list[str]:
        total = sum(counts.values())
        return [w for w, c in counts.most_common() for _ in range(max(1, round(c / total * size)))]

    return pool(titles), pool(body)


def generate(db: Path, n: int, corpus: str = "ai-dense", data_dir: Path | None = None) -> None:
    """Write N documents with titles, abstracts and codes to a fresh store (deterministic: setseed)."""
    from aieco.store import open_store

    if corpus == "patent-words":
        title_pool, abstract_pool = patent_words(data_dir or Path("../shared/data"))
        title_words, abstract_words = 8, 100
    else:
        title_pool = abstract_pool = list(WORDS)
        title_words, abstract_words = 6, 25
    phrases = "[" + ", ".join(f"'{p}'" for p in AI_PHRASES) + "]"
    codes = "[" + ", ".join(f"'{c}'" for c in CODES) + "]"
    with open_store(db) as store:
        con = store.con
        con.execute("SELECT setseed(0.42)")
        con.execute("CREATE TEMP TABLE pools AS SELECT ?::VARCHAR[] AS t, ?::VARCHAR[] AS a",
                    [title_pool, abstract_pool])
        con.execute(f"""
            INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, abstract)
            SELECT i, 0, 'bench', 'XX', i::VARCHAR, 'A1',
                   array_to_string(list_transform(range({title_words}),
                                   lambda x: p.t[1 + floor(random() * {len(title_pool)})::INT]),
                                   ' ') || CASE WHEN random() < 0.03
                       THEN ' ' || {phrases}[1 + floor(random() * {len(AI_PHRASES)})::INT] ELSE '' END,
                   array_to_string(list_transform(range({abstract_words}),
                                   lambda x: p.a[1 + floor(random() * {len(abstract_pool)})::INT]),
                                   ' ') || CASE WHEN random() < 0.04
                       THEN ' ' || {phrases}[1 + floor(random() * {len(AI_PHRASES)})::INT] ELSE '' END
            FROM range({n}) t(i), pools p""")
        # A pool of 50,000 generic symbols (a real corpus repeats symbols), plus the list of real, partly AI,
        # codes; 3 CPC and 1 IPC code per document, 5% drawn from the real codes.
        con.execute("""
            CREATE TEMP TABLE pool AS SELECT row_number() OVER () AS n, c FROM (SELECT DISTINCT
                   chr(65 + floor(random() * 8)::INT) || lpad(floor(random() * 99)::INT::VARCHAR, 2, '0')
                   || chr(65 + floor(random() * 26)::INT) || floor(random() * 80)::INT::VARCHAR || '/'
                   || lpad(floor(random() * 100)::INT::VARCHAR, 2, '0') AS c FROM range(50000))""")
        pool = con.execute("SELECT count(*) FROM pool").fetchone()[0]
        con.execute(f"""
            INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq)
            SELECT x.i, 0, x.s, coalesce(x.real_code, pool.c), coalesce(x.real_code, pool.c), x.k FROM (
              SELECT i, k, CASE WHEN k = 3 THEN 'ipc' ELSE 'cpc' END AS s,
                     CASE WHEN random() < 0.05 THEN {codes}[1 + floor(random() * {len(CODES)})::INT]
                          ELSE NULL END AS real_code,
                     1 + floor(random() * {pool})::INT AS n
              FROM range({n}) t(i), range(4) u(k)) x
            LEFT JOIN pool ON pool.n = x.n""")
        con.execute("CHECKPOINT")


# ---- pandas: the same rules, evaluated with vectorised pandas / numpy operations -----------------------

def _pandas_key(sym: Any) -> Any:
    has = sym.str.contains("/", regex=False)
    head, rest = sym.str[:4], sym.str[4:]
    group = rest.str.split("/", n=1).str[0].str.zfill(5)
    sub = sym.str.split("/", n=1).str[1].fillna("").str.ljust(8, "0")
    return (head + group + "/" + sub).where(has, sym)


def _pandas_eval(rule: Any, f: dict[str, Any], universe: Any = None) -> Any:
    import numpy as np

    from aieco.classify.rules import AllRule, AnyRule, KeywordRule, NotRule

    if isinstance(rule, AnyRule):
        return np.unique(np.concatenate([_pandas_eval(r, f) for r in rule.rules]))
    if isinstance(rule, AllRule):
        out = _pandas_eval(rule.rules[0], f)
        for r in rule.rules[1:]:
            out = np.intersect1d(out, _pandas_eval(r, f))
        return out
    if isinstance(rule, NotRule):
        return np.setdiff1d(f["docs"], _pandas_eval(rule.rules[0], f))
    if isinstance(rule, KeywordRule):
        rx = re.compile(rule.regex())
        texts = f["texts"]
        mask = np.zeros(len(texts), dtype=bool)
        for field in rule.fields:
            m = np.asarray(texts[field].str.contains(rx, regex=True), dtype=bool)
            if rule.lang == "zh":
                m = m & np.asarray(texts[field].str.contains("[\u4e00-\u9fff]", regex=True), dtype=bool)
            mask |= m
        return np.unique(texts["doc_id"].to_numpy()[mask])
    keys = f["keys"]
    mask = np.zeros(len(keys), dtype=bool)
    k = keys["key"]
    for lo, hi in rule.intervals():
        mask |= np.asarray((k >= lo) & (k <= hi), dtype=bool)
    mask &= np.asarray(keys["scheme"].isin(rule.schemes), dtype=bool)
    return np.unique(keys["doc_id"].to_numpy()[mask])


def classify_pandas(db: Path, definitions: list[Any]) -> tuple[dict[str, dict[str, int]], float, float]:
    """Counts, seconds classifying (symbol keys, rules), seconds including loading the frames from the store."""
    import duckdb
    import numpy as np
    import pandas as pd

    start = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    docs = con.execute("SELECT doc_id, coalesce(lower(title), '') AS title, "
                       "coalesce(lower(abstract), '') AS abstract FROM documents").df()
    keys = con.execute("SELECT doc_id, scheme, symbol_norm FROM classifications WHERE scheme IN ('cpc','ipc') "
                       "AND symbol_norm IS NOT NULL").df()
    con.close()
    load = time.perf_counter()
    # The key of each distinct symbol, mapped back to the rows, as the rule compiler does (a corpus repeats
    # symbols: 4 M rows, 50,000 distinct; computed row by row it took 13 s of pandas' time).
    distinct = keys["symbol_norm"].drop_duplicates()
    keys["key"] = keys["symbol_norm"].map(pd.Series(_pandas_key(distinct).to_numpy(), index=distinct.to_numpy()))
    frames = {"docs": docs["doc_id"].to_numpy(), "texts": docs, "keys": keys}
    out: dict[str, dict[str, int]] = {}
    for d in definitions:
        universe = np.unique(np.concatenate([_pandas_eval(r, frames) for r in d.universe]))
        sub = {"docs": universe, "texts": docs[docs["doc_id"].isin(universe)],
               "keys": keys[keys["doc_id"].isin(universe)]}
        counts = {"": len(universe)}
        matched: dict[str, Any] = {}
        for c in d.categories:
            if not c.otherwise:
                matched[c.id] = np.unique(np.concatenate([_pandas_eval(r, sub) for r in c.rules]))
        for c in d.categories:
            if c.otherwise:
                others = [matched[o.id] for o in d.categories if o.dimension == c.dimension and not o.otherwise]
                matched[c.id] = np.setdiff1d(universe, np.concatenate(others) if others else [])
        counts.update({k: len(v) for k, v in matched.items() if len(v)})
        out[d.id] = counts
    end = time.perf_counter()
    return out, end - load, end - start


def classify_duckdb(db: Path, definitions: list[Any]) -> tuple[dict[str, dict[str, int]], float, float]:
    """Counts, seconds classifying (the definitions' own statements), seconds of the whole run (also the
    relations every definition reads: distinct symbols and their keys; and the commit)."""
    from aieco.classify.compiler import classify
    from aieco.store import open_store

    with open_store(db) as store:
        t0 = time.perf_counter()
        results = classify(store, definitions)
        seconds = time.perf_counter() - t0
    counts = {r["definition"]: {"": r["ai_documents"], **r["categories"]} for r in results}
    return counts, sum(r["seconds"] for r in results), seconds


def scan_duckdb(db: Path, definitions: list[Any]) -> tuple[dict[str, dict[str, int]], float, float]:
    """The keyword scan alone (every title and abstract against the alternation of the universes' keyword
    rules, as ``classify`` runs it first): the part of the DuckDB time that grows with the text of the store,
    below which no other part of the rule compiler can bring a definition. Counts: the candidates."""
    from aieco.classify.compiler import _Leaves, base_tables_sql, scan_texts
    from aieco.classify.rules import KeywordRule
    from aieco.store import open_store

    leaves = [r for d in definitions for r in _Leaves.of(d.universe).rules if isinstance(r, KeywordRule)]
    with open_store(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        for sql in base_tables_sql():
            con.execute(sql)
        docs = int(con.execute("SELECT count(*) FROM classify_docs").fetchall()[0][0])
        t0 = time.perf_counter()
        scan_texts(con, leaves, docs)
        seconds = time.perf_counter() - t0
        found = int(con.execute("SELECT count(*) FROM classify_texts_c").fetchall()[0][0])
        con.execute("ROLLBACK")
    return {"candidates": {"": found}}, seconds, seconds


def _child(engine: str, db: Path, definition: str) -> None:
    from aieco.classify import get_definition

    # "a,b,c": several definitions in one run (as `aieco classify` does with no --definition).
    defs = [get_definition(d) for d in definition.split(",")]
    run = {"duckdb": classify_duckdb, "scan": scan_duckdb, "pandas": classify_pandas}[engine]
    counts, seconds, total = run(db, defs)
    print(json.dumps({"counts": counts, "seconds": seconds, "total": total, "rss_mb": peak_rss_mb()}))


def run_corpus(corpus: str, n: int, ids: list[str], pandas: bool, data_dir: Path,
               repeat: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """Generate one corpus, classify it with every definition by both engines; rows of the table, same counts.

    With ``repeat`` > 1 the engines run that many times each, taking turns (so that both see the same spells of
    a shared machine's load); a row gives the median of each engine's seconds (and their range), the highest
    peak RSS, and the speed-up of the medians. Every run must give the same counts.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        generate(db, n, corpus, data_dir)
        print(f"{corpus}: generated {n:,} documents in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        rows, ok = [], True
        for d in ids + ([",".join(ids)] if len(ids) > 1 else []):
            runs: dict[str, list[dict[str, Any]]] = {}
            for _ in range(repeat):
                for engine in ("duckdb", "scan") + (("pandas",) if pandas else ()):
                    proc = subprocess.run([sys.executable, __file__, "--child", engine, str(db), d],
                                          capture_output=True, text=True, check=False)
                    if proc.returncode:
                        raise SystemExit(proc.stderr)
                    runs.setdefault(engine, []).append(json.loads(proc.stdout.strip().splitlines()[-1]))
            for engine, rs in runs.items():
                if any(r["counts"] != rs[0]["counts"] for r in rs):
                    raise SystemExit(f"{d}: {engine} gave different counts in repeated runs")
            res = {engine: {"counts": rs[0]["counts"], "rss_mb": max(r["rss_mb"] for r in rs),
                            "seconds": statistics.median(r["seconds"] for r in rs),
                            "total": statistics.median(r["total"] for r in rs),
                            "range": (min(r["seconds"] for r in rs), max(r["seconds"] for r in rs))}
                   for engine, rs in runs.items()}
            scan = res.pop("scan")
            same = "pandas" not in res or res["pandas"]["counts"] == res["duckdb"]["counts"]
            ok &= same
            if not same:
                dc, pc = res["duckdb"]["counts"], res["pandas"]["counts"]
                diff = {k: (dc.get(k), pc.get(k)) for k in sorted(set(dc) | set(pc)) if dc.get(k) != pc.get(k)}
                print(f"{d}: counts differ (category: (DuckDB, pandas)): {diff}", file=sys.stderr)
            dk = res["duckdb"]
            ai_docs = dk["counts"][d][""] if d in dk["counts"] else sum(c[""] for c in dk["counts"].values())
            label = d if "," not in d else f"all {len(d.split(','))} in one run"
            row = {"definition": label, "ai_docs": ai_docs, "duck_s": dk["seconds"], "duck_t": dk["total"],
                   "duck_rate": n / dk["seconds"], "duck_rss": dk["rss_mb"], "duck_range": dk["range"],
                   "scan_s": scan["seconds"]}
            if "pandas" in res:
                pd_ = res["pandas"]
                row |= {"pd_s": pd_["seconds"], "pd_t": pd_["total"], "pd_rate": n / pd_["seconds"],
                        "pd_range": pd_["range"],
                        "pd_rss": pd_["rss_mb"], "speedup": pd_["seconds"] / dk["seconds"],
                        "ceiling": pd_["seconds"] / scan["seconds"] if scan["seconds"] > 0.01 else None,
                        "speedup_t": pd_["total"] / dk["total"], "same": same}
            rows.append(row)
    return rows, ok


def _range(r: tuple[float, float]) -> str:
    """' (lo–hi)' of repeated runs, or nothing for one run."""
    lo, hi = f"{r[0]:.2f}", f"{r[1]:.2f}"
    return "" if lo == hi else f" ({lo}–{hi})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1_000_000, help="documents to generate (default 1,000,000)")
    ap.add_argument("--corpus", action="append", choices=CORPORA, help="corpus (default: both)")
    ap.add_argument("--definition", action="append", help="definition id (default: every shipped one)")
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas run")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each engine, taking turns; the table gives medians (default 1)")
    ap.add_argument("--data-dir", type=Path, default=None, help="real data (default: the data_dir setting)")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "DB", "DEFINITION"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child[0], Path(args.child[1]), args.child[2])
        return 0
    from aieco.classify import load_definitions
    from aieco.settings import setting

    ids = args.definition or [d.id for d in load_definitions()]
    data_dir = args.data_dir or Path(setting("data_dir"))
    ok = True
    print(f"\nclassify benchmark: {args.docs:,} generated documents (3 CPC + 1 IPC codes, title, abstract), "
          "DuckDB threads and memory limit from settings; pandas = the same rules with vectorised pandas/numpy.\n"
          "classify s: DuckDB = the definition's statements (keyword scan, symbol hits, keyword rules, "
          "categories, rows written); pandas = symbol keys + rules, after loading. total s: DuckDB = the whole "
          "transaction (also distinct symbols and keys, commit); pandas = also loading documents and symbols "
          "from the store into frames. docs/s from classify s. Each engine in its own process (peak RSS its "
          "own). scan s: the keyword scan alone (reading every title and abstract out of DuckDB, one regular "
          "expression), in a process of its own; pandas ÷ scan: the speed-up if the rest took no time.")
    for corpus in args.corpus or list(CORPORA):
        rows, same = run_corpus(corpus, args.docs, ids, not args.no_pandas, data_dir, max(1, args.repeat))
        ok &= same
        print(f"\n**{corpus}** ({CORPORA[corpus]})\n")
        if args.repeat > 1:
            print(f"Medians of {args.repeat} runs of each engine, taking turns; classify s also gives the range.\n")
        print("| definition | AI docs | DuckDB classify s | DuckDB total s | DuckDB docs/s | DuckDB peak RSS MB "
              "| pandas classify s | pandas total s | pandas docs/s | pandas peak RSS MB | speed-up classify "
              "| speed-up total | same counts | scan s | pandas ÷ scan |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for r in rows:
            pd_part = (f"{r['pd_s']:.2f}{_range(r['pd_range'])} | {r['pd_t']:.2f} | {r['pd_rate']:,.0f} | "
                       f"{r['pd_rss']:,.0f} | "
                       f"{r['speedup']:.1f}× | {r['speedup_t']:.1f}× | {'yes' if r['same'] else 'NO'}"
                       ) if "pd_s" in r else "– | – | – | – | – | – | –"
            ceiling = f"{r['ceiling']:.1f}×" if r.get("ceiling") else "–"
            pd_part += f" | {r['scan_s']:.2f} | {ceiling}"
            print(f"| {r['definition']} | {r['ai_docs']:,} | {r['duck_s']:.2f}{_range(r['duck_range'])} | "
                  f"{r['duck_t']:.2f} | "
                  f"{r['duck_rate']:,.0f} | {r['duck_rss']:,.0f} | {pd_part} |", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
