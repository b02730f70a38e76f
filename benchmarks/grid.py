"""Benchmark: the full method grid over a generated corpus, on DuckDB, against a pandas implementation.

    .venv/bin/python benchmarks/grid.py --docs 1000000

Prints seconds, peak RSS and the pandas/aieco time ratio in one run, and checks both give the same counts.
Each variant runs in a process of its own (over the same generated store), so each peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rss import peak_rss_mb

OFFICES = ["CN", "US", "WO", "JP", "EP", "KR", "DE", "IN", "RU", "GB", "FR", "CA", "AU", "TW", "KZ"]
WEIGHTS = [32, 33, 8, 8, 5, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1]


def generate(store, n: int) -> None:
    """n documents in about n/1.85 simple families; priority years 2000-2019; a fifth granted."""
    cum, acc = [], 0
    for w in WEIGHTS:
        acc += w
        cum.append(acc)
    cases = " ".join(f"WHEN r < {c / acc!r} THEN '{o}'" for o, c in zip(OFFICES, cum, strict=True))
    con = store.con
    con.execute("INSERT INTO runs (run_id, kind, path, sha256, started_at, aieco_version) "
                "VALUES (1, 'bench', 'generated', 'generated', now(), 'bench')")
    con.execute(f"""
        INSERT INTO documents (doc_id, run_id, source, office, number, family_id, priority_year, granted)
        SELECT i, 1, 'bench', CASE {cases} ELSE 'CN' END, i::VARCHAR, 'F' || (i * 0.54)::BIGINT::VARCHAR,
               2000 + (hash(i * 0.54::BIGINT) % 20)::INTEGER, random() < 0.2
        FROM (SELECT i, random() AS r FROM range({n}) t(i))""")
    con.execute("INSERT INTO document_sources SELECT doc_id, 1, doc_id FROM documents")


def pandas_grid(df, subjects: dict[str, dict[int, set[str]]]) -> dict[tuple[str, str, str], float]:
    """The same counts with pandas: per unit its year (min) and distinct offices; whole and fractional."""
    import pandas as pd

    out = {}
    df = df.assign(family_id=pd.factorize(df.family_id)[0])  # group on integer codes, not strings, from here on
    for unit in ("document", "family", "granted-family"):
        d = df
        key = "doc_id" if unit == "document" else "family_id"
        if unit == "granted-family":
            d = d[d.groupby("family_id").granted.transform("any")]  # families with a granted document
        years = d.groupby(key).priority_year.min().rename("year")
        uc = d[[key, "office"]].drop_duplicates().join(years, on=key)
        uc = uc[uc.year.notna()]
        n = uc.groupby(key).office.transform("size")
        uc = uc.assign(n=n)
        for name, by_year in subjects.items():
            members = pd.DataFrame([(y, c) for y, cs in by_year.items() for c in cs], columns=["year", "office"])
            members["hit"] = 1
            m = uc.merge(members.astype({"year": uc.year.dtype}), on=["year", "office"], how="left")
            m["hit"] = m.hit.fillna(0)
            hit = m.groupby(key).agg(h=("hit", "sum"), n=("n", "first"))
            out[(name, unit, "whole")] = float((hit.h > 0).sum())
            out[(name, unit, "fractional")] = float((hit.h / hit.n).sum())
    return out


def run_aieco(db: Path, repeat: int) -> dict:
    """The full grid for CN and SCO on DuckDB, ``repeat`` times in this process."""
    from aieco.measure.grid import grid
    from aieco.store import open_store

    store = open_store(db, read_only=True)
    times, rows = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = grid(store, country="CN", group="SCO")
        times.append(time.perf_counter() - t0)
    store.close()
    counts = {f"{r['subject']}|{r['unit']}|{r['counting']}": float(r["value"]) for r in rows}
    return {"seconds": times, "methods": len(rows), "counts": counts}


def run_pandas(db: Path, repeat: int) -> dict:
    """Load the documents into pandas and compute the same counts, ``repeat`` times in this process."""
    from aieco.measure import groups as g
    from aieco.store import open_store

    sco = g.get_group("SCO")
    subjects = {"CN": {y: {"CN"} for y in range(1990, 2030)},
                "SCO": {y: set(g.members(sco, y)) for y in range(1990, 2030)}}
    times, loads, expected = [], [], {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        store = open_store(db, read_only=True)
        df = store.con.execute("SELECT doc_id, office, family_id, priority_year, granted FROM documents").df()
        store.close()
        loads.append(time.perf_counter() - t0)
        expected = pandas_grid(df, subjects)
        times.append(time.perf_counter() - t0)
        del df
    counts = {"|".join(k): v for k, v in expected.items()}
    return {"seconds": times, "load_seconds": loads, "counts": counts}


def child(variant: str, db: Path, repeat: int) -> dict:
    """Run one variant in a fresh process, so its peak RSS is its own."""
    cmd = [sys.executable, __file__, "--variant", variant, "--db", str(db), "--repeat", str(repeat)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000_000)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (the best is compared)")
    parser.add_argument("--variant", choices=("aieco", "pandas"), help=argparse.SUPPRESS)  # child process
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:  # a child: one variant, its results and peak RSS as one JSON line
        res = (run_aieco if args.variant == "aieco" else run_pandas)(args.db, args.repeat)
        print(json.dumps({**res, "peak_rss_mb": peak_rss_mb()}))
        return 0
    from aieco.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        store = open_store(db)
        t0 = time.perf_counter()
        generate(store, args.docs)
        store.con.execute("CHECKPOINT")
        store.close()
        print(f"docs {args.docs:,}: generated in {time.perf_counter() - t0:.1f}s", flush=True)
        a = child("aieco", db, args.repeat)
        a_s = min(a["seconds"])
        print(f"aieco: full grid ({a['methods']} methods, CN and SCO) on duckdb in {a_s:.2f}s "
              f"(runs: {', '.join(f'{s:.2f}' for s in a['seconds'])}); peak RSS {a['peak_rss_mb']:.0f} MB",
              flush=True)
        if args.skip_pandas:
            return 0
        p = child("pandas", db, args.repeat)
        p_s = min(p["seconds"])
        for key, value in a["counts"].items():
            want = p["counts"][key]
            if abs(value - want) > 1e-6 * max(1.0, want):
                print(f"MISMATCH {key}: aieco {value} pandas {want}")
                return 1
        print(f"pandas (load + same counts) in {p_s:.2f}s (load {min(p['load_seconds']):.2f}s; runs: "
              f"{', '.join(f'{s:.2f}' for s in p['seconds'])}); peak RSS {p['peak_rss_mb']:.0f} MB; "
              f"ratio pandas/aieco {p_s / a_s:.1f}x; counts identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
