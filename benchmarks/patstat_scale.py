"""Scale benchmark: ingest a generated PATSTAT tls201_appln table and report rows/s and peak RSS.

    .venv/bin/python benchmarks/patstat_scale.py --rows 1000000
    .venv/bin/python benchmarks/patstat_scale.py            # 10,000,000 rows (the issue's target)

The table is written as two zipped parts, as the EPO distributes it, with the Data Catalog columns. Peak RSS
is the process's resident set, sampled every 50 ms while the ingest runs (and checked against getrusage).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import psutil
from rss import peak_rss_mb

from aieco.sources.patstat import PatstatReader
from aieco.store import open_store
from aieco.store.ingest import ingest

HEADER = (
    "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,appln_nr_original,ipr_type,"
    "internat_appln_id,earliest_filing_date,earliest_filing_year,earliest_filing_id,granted,"
    "docdb_family_id,inpadoc_family_id,docdb_family_size,nb_applicants,nb_inventors\n"
)
OFFICES = ("CN", "US", "JP", "KR", "EP", "DE", "WO", "GB", "FR", "TW")


def write_tls201(folder: Path, rows: int, parts: int = 2, seed: int = 7) -> list[Path]:
    """Write ``rows`` tls201 rows in ``parts`` zipped parts; returns the part paths."""
    rnd = random.Random(seed)
    per_part = -(-rows // parts)
    paths = []
    appln_id = 0
    for part in range(1, parts + 1):
        path = folder / f"tls201_part{part:02d}.zip"
        with (
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
            zf.open(f"tls201_part{part:02d}.csv", "w", force_zip64=True) as raw,
        ):
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out.write(HEADER)
            for _ in range(min(per_part, rows - appln_id)):
                appln_id += 1
                office = OFFICES[rnd.randrange(len(OFFICES))]
                year = 1990 + rnd.randrange(33)
                filing = f"{year}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
                first = appln_id if rnd.random() < 0.6 else max(1, appln_id - rnd.randrange(1, 1000))
                early = filing if first == appln_id else f"{year - 1}-06-01"
                family = 1_000_000 + appln_id // 3
                out.write(
                    f"{appln_id},{office},{year}{appln_id:09d},A ,{filing},{year},{appln_id},PI,0,"
                    f"{early},{early[:4]},{first},{'Y' if rnd.random() < 0.4 else 'N'},{family},"
                    f"{family},3,1,2\n"
                )
            out.flush()
            out.detach()
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=10_000_000, help="tls201 rows to generate (default 10,000,000)"
    )
    parser.add_argument(
        "--memory-limit",
        default="400MB",
        help="DuckDB memory limit while ingesting (AIECO_INGEST_MEMORY_LIMIT, default as the project's); "
        "the rest is Python and buffers",
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args(argv)
    os.environ["AIECO_INGEST_MEMORY_LIMIT"] = args.memory_limit
    with tempfile.TemporaryDirectory(prefix="aieco-bench-") as tmp:
        work = args.keep or Path(tmp)
        tables = work / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_tls201(tables, args.rows)
        generated = time.perf_counter() - started
        proc = psutil.Process()
        peak = proc.memory_info().rss
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, proc.memory_info().rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        with open_store(work / "bench.duckdb") as store:
            run = ingest(store, PatstatReader(), tables).run
            documents = store.scalar("SELECT count(*) FROM documents")
            with_office = store.scalar("SELECT count(*) FROM documents WHERE priority_office IS NOT NULL")
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        peak = max(peak, peak_rss_mb() * 2**20)
        result = {
            "rows": args.rows,
            "generate_seconds": round(generated, 1),
            "ingest_seconds": round(seconds, 1),
            "rows_per_second": round(args.rows / seconds),
            "peak_rss_mb": round(peak / 2**20),
            "rows_read": run.rows_read,
            "rows_accepted": run.rows_accepted,
            "rows_rejected": run.rows_rejected,
            "documents": documents,
            "priority_office_known": with_office,
            "under_2gb": peak < 2 * 2**30,
        }
        print(json.dumps(result, indent=2))
        return 0 if result["under_2gb"] and run.rows_accepted == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
