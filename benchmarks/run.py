"""`make bench`: every benchmark, each in its own process, its markdown tables collected in out/benchmarks.md.

Sizes follow the issues (1 M documents to classify, 10 M for the grid and the PATSTAT table); set
BENCH_SMALL=1 for a quick pass at a tenth of that. Record the figures you publish in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = os.environ.get("BENCH_SMALL") == "1"

BENCHMARKS: list[tuple[str, list[str]]] = [
    ("ingest.py", ["--repeat", "1" if SMALL else "3"]),
    ("classify.py", ["--docs", "100000" if SMALL else "1000000", "--repeat", "1" if SMALL else "3"]),
    ("grid.py", ["--docs", "1000000" if SMALL else "10000000"]),
    ("patstat_scale.py", ["--rows", "1000000" if SMALL else "10000000"]),
    # the whole job at two sizes; writes benchmarks/results/job-*.json and the table in docs/benchmarks.md
    ("job.py", ["--docs", os.environ.get("BENCH_JOB_DOCS", "1e4,1e5" if SMALL else "1e6,1e7")]),
    # firm matching: the pv-evaluation assignee benchmarks (the bench extra), 1 M applicant names x 10,000 firms
    ("firms.py", ["pv", "--mentions", "10000" if SMALL else "0"]),
    ("firms.py", ["scale", "--applicants", "100000" if SMALL else "1000000", "--firms", "10000"]),
    # the claims checker: 1,000 articles of 1,000 words on the demo store; syntok against pysbd on the corpus
    ("articles.py", ["--articles", "100" if SMALL else "1000"]),
    ("segmenters.py", []),
]


def main() -> int:
    out = ROOT / "out" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    parts = [f"# aieco benchmarks, {time.strftime('%Y-%m-%d %H:%M')} ({'small' if SMALL else 'full'} sizes)\n"]
    failed = 0
    for script, args in BENCHMARKS:
        path = ROOT / "benchmarks" / script
        if not path.exists():
            continue
        print(f"== {script} {' '.join(args)}", flush=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, env=env)
        print(proc.stdout)
        if proc.returncode:
            failed += 1
            print(proc.stderr, file=sys.stderr)
        parts.append(f"\n## {script} {' '.join(args)}\n\n{proc.stdout}")
    out.write_text("".join(parts))
    print(f"written: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
