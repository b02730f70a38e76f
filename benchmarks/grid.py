"""Benchmark: the full method grid over a generated corpus, on DuckDB, against a pandas implementation.

    .venv/bin/python benchmarks/grid.py --docs 1000000

Prints seconds, peak RSS and the pandas/aieco time ratio in one run, and checks both give the same counts.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

OFFICES = ["CN", "US", "WO", "JP", "EP", "KR", "DE", "IN", "RU", "GB", "FR", "CA", "AU", "TW", "KZ"]
WEIGHTS = [32, 33, 8, 8, 5, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    for unit in ("document", "family", "granted-family"):
        d = df
        key = "doc_id" if unit == "document" else "family_id"
        if unit == "granted-family":
            d = d[d.family_id.isin(d.loc[d.granted, "family_id"].unique())]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000_000)
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args(argv)
    from aieco.measure import groups as g
    from aieco.measure.grid import grid
    from aieco.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        generate(store, args.docs)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = grid(store, country="CN", group="SCO")
        aieco_s = time.perf_counter() - t0
        rss_aieco = peak_rss_mb()
        print(f"docs {args.docs:,}: generated in {gen_s:.1f}s; full grid ({len(rows)} methods, CN and SCO) "
              f"on duckdb in {aieco_s:.2f}s; peak RSS {rss_aieco:.0f} MB")
        if args.skip_pandas:
            return 0
        t0 = time.perf_counter()
        df = store.con.execute("SELECT doc_id, office, family_id, priority_year, granted FROM documents").df()
        sco = g.get_group("SCO")
        subjects = {"CN": {y: {"CN"} for y in range(1990, 2030)},
                    "SCO": {y: set(g.members(sco, y)) for y in range(1990, 2030)}}
        expected = pandas_grid(df, subjects)
        pandas_s = time.perf_counter() - t0
        rss_all = peak_rss_mb()
        for r in rows:
            want = expected[(r["subject"], r["unit"], r["counting"])]
            if abs(float(r["value"]) - want) > 1e-6 * max(1.0, want):
                print(f"MISMATCH {r['subject']} {r['unit']} {r['counting']}: aieco {r['value']} pandas {want}")
                return 1
        print(f"pandas (load + same counts) in {pandas_s:.2f}s; peak RSS after pandas {rss_all:.0f} MB; "
              f"ratio pandas/aieco {pandas_s / aieco_s:.1f}x; counts identical")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
