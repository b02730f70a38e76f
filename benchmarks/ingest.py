"""Ingest benchmark: aieco's CSET/1790 ingest next to a bare DuckDB read_csv and pandas, in one run.

Each variant runs in its own process, so peak RSS (VmHWM) is that variant's alone. Machines are shared
and noisy: the ratios matter, not the seconds.

    python benchmarks/ingest.py [--file PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "cset-1790" / "patent_database-7b5b096.csv.zip"

VARIANTS = {
    # aieco: sha256, encoding check, staging, checks, normalisation, dedupe, merge, commit — from the zip
    "aieco ingest": """
from pathlib import Path
from aieco.store import open_store
from aieco.store.ingest import ingest
from aieco.sources.cset1790 import Cset1790Reader
with open_store(OUT) as s:
    r = ingest(s, Cset1790Reader(), Path(ZIP)).run
rows = r.rows_accepted
""",
    # the engine's limit: unzip (DuckDB cannot read zip) and one read_csv into a table in a file
    "bare DuckDB read_csv": """
import duckdb, zipfile, shutil
with zipfile.ZipFile(ZIP) as zf, zf.open("patent_database.csv") as src, open(CSV, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
con = duckdb.connect(OUT)
con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{CSV}', all_varchar=true)")
rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
con.close()
""",
    # the common baseline: pandas reads the zip and drops exact repeats
    "pandas read_csv + drop_duplicates": """
import pandas as pd, zipfile
with zipfile.ZipFile(ZIP) as zf, zf.open("patent_database.csv") as fh:
    df = pd.read_csv(fh, dtype=str, keep_default_na=False)
rows = len(df.drop_duplicates())
""",
}

PRELUDE = f"""
import time, json, sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from rss import peak_rss_mb
ZIP, OUT, CSV = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
"""
POSTLUDE = """
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": int(rows),
                  "peak_rss_mb": peak_rss_mb()}))
"""


def run_variant(code: str, path: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.duckdb"
        csv = Path(tmp) / "raw.csv"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.run([sys.executable, "-c", PRELUDE + code + POSTLUDE, str(path), str(out), str(csv)],
                              capture_output=True, text=True, env=env, check=True)
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"ingest benchmark skipped: {args.file} not found")
        return []
    with zipfile.ZipFile(args.file) as zf:
        size = sum(i.file_size for i in zf.infolist() if i.filename.endswith(".csv"))
    results = []
    for name, code in VARIANTS.items():
        runs = [run_variant(code, args.file) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        results.append({"variant": name, "seconds": best["seconds"], "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                        "rows": best["rows"]})
    bare = next(r for r in results if r["variant"].startswith("bare"))
    print(f"\n### Ingest: {args.file.name} ({size / 1e6:.0f} MB CSV inside the zip), best of {args.repeat}\n")
    print("| variant | rows | seconds | × bare DuckDB | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['variant']} | {r['rows']:,} | {r['seconds']:.2f} | {r['seconds'] / bare['seconds']:.1f} "
              f"| {r['peak_rss_mb']:.0f} |")
    return results


if __name__ == "__main__":
    main()
