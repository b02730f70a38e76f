"""`make fuzz`: every reader on ≥ 1,000 mutated inputs, large pathological inputs, and a SIGINT sweep.

Three parts, each printed as a Markdown table and written to benchmarks/results/fuzz.json:

1. mutants (tests/mutants.py) per reader, ingested in-process through the command line into one store per
   reader: exit codes, tracebacks, broken invariants (rows read = accepted + rejected, stored rejects =
   counted, a failed run leaves the store as it was, errors are one line), runs over 60 s;
2. large inputs (up to 100 MB: one 100 MB field, 100 MB of random bytes, 100 MB of repeated rows), each in
   its own process: exit code, one-line error, seconds and peak RSS (goal: under 1 GB);
3. a SIGINT sweep over the real CSET ingest: the full run is timed, then SIGINT is sent at N moments spread
   over it; each outcome is checked against the store (exit 130 and "nothing was written" with the store
   unchanged, or a message that the run was committed and it is there), with no SIGABRT and no traceback.

    python benchmarks/fuzz.py [--mutants 1000] [--moments 50] [--skip-large] [--skip-sweep]
                              [--readers patstat,lens] [--out benchmarks/results/fuzz.json]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from mutants import SEEDS, make_mutant, run_mutant, snapshot  # noqa: E402

REAL_CSET = ROOT.parent / "shared" / "data" / "cset-1790" / "patent_database-7b5b096.csv.zip"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def mutants(n: int, work: Path, readers: list[str]) -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = {}
    for kind in readers:
        db = work / f"{kind}.duckdb"
        codes: collections.Counter[int] = collections.Counter()
        tracebacks, invariants, slow, slowest = [], [], 0, 0.0
        started = time.perf_counter()
        for seed in range(n):
            folder = work / f"{kind}-{seed}"
            folder.mkdir()
            path, mutations = make_mutant(kind, seed, folder)
            out = run_mutant(kind, path, db, mutations)
            shutil.rmtree(folder)
            codes[out.exit_code] += 1
            slowest = max(slowest, out.seconds)
            slow += out.seconds > 60
            if out.traceback:
                tracebacks.append((seed, mutations, out.traceback.strip().splitlines()[-1]))
            if out.invariant:
                invariants.append((seed, mutations, out.invariant[:200]))
        table[kind] = {
            "mutants": n,
            "exit_codes": dict(sorted(codes.items())),
            "tracebacks": tracebacks,
            "invariant_violations": invariants,
            "over_60s": slow,
            "slowest_s": round(slowest, 2),
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(f"  {kind}: {dict(codes)} tracebacks {len(tracebacks)} invariants {len(invariants)}", flush=True)
    return table


# -- large inputs, each in its own process ---------------------------------------------------------------------

MB = 1 << 20


def _large_inputs(work: Path) -> list[tuple[str, str, Path]]:
    rng = random.Random(7)
    out: list[tuple[str, str, Path]] = []
    lines = (SEEDS["cset1790"]).read_text("utf-8").splitlines()
    cells = lines[2].split(",")
    cells[1] = "9" * (100 * MB)
    path = work / "cset_field.csv.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.csv", "\n".join([lines[0], lines[1], ",".join(cells), *lines[3:]]) + "\n")
    out.append(("cset1790", "one 100 MB field (zip)", path))
    path = work / "cset_repeats.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(lines[0] + "\n")
        while fh.tell() < 100 * MB:
            fh.write("\n".join(lines[1:]) + "\n")
    out.append(("cset1790", "100 MB of repeated rows", path))
    lens = SEEDS["lens"].read_text("utf-8").splitlines()
    cells = lens[2].split(",")
    cells[-1] = "y" * (100 * MB)
    path = work / "lens_field.csv"
    path.write_text("\n".join([lens[0], lens[1], ",".join(cells), *lens[3:]]) + "\n", encoding="utf-8")
    out.append(("lens", "one 100 MB field", path))
    path = work / "lens_random.csv"
    path.write_bytes(lens[0].encode() + b"\n" + rng.randbytes(100 * MB))
    out.append(("lens", "header + 100 MB of random bytes", path))
    with gzip.open(SEEDS["google"], "rt", encoding="utf-8") as fh:
        first = json.loads(next(ln for ln in fh if ln.startswith("{")))
    for name, value in (("cpc", "G06N3/08" * (12 * MB)), ("title_localized", [{"text": "t" * (100 * MB)}])):
        row = dict(first, **{name: value})
        path = work / f"google_{name}.json"
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        out.append(("google", f"a 100 MB {name}", path))
    path = work / "counts_field.csv"
    counts = SEEDS["counts"].read_text("utf-8").splitlines()
    path.write_text("\n".join([counts[0], counts[1] + "1" * (100 * MB), *counts[2:]]) + "\n", encoding="utf-8")
    out.append(("counts", "one 100 MB number", path))
    xml = SEEDS["uspto-xml"].read_text("utf-8")
    path = work / "uspto_big.xml"
    path.write_text(xml.replace("</invention-title>", "z" * (100 * MB) + "</invention-title>", 1), encoding="utf-8")
    out.append(("uspto-xml", "a 100 MB title", path))
    return out


def large(work: Path) -> list[dict[str, object]]:
    rows = []
    for kind, what, path in _large_inputs(work):
        db = work / f"large-{kind}.duckdb"
        started = time.perf_counter()
        # measured by a small process of its own: a child's peak RSS starts at its parent's when forked
        probe = subprocess.run(
            [sys.executable, __file__, "--measure", str(db), kind, str(path)], capture_output=True, text=True, env=ENV
        )
        m = json.loads(probe.stdout)
        err = m["stderr"]
        rows.append(
            {
                "kind": kind,
                "input": what,
                "mb": round(path.stat().st_size / MB, 1),
                "exit": m["exit"],
                "seconds": round(time.perf_counter() - started, 1),
                "peak_rss_mb": m["peak_rss_mb"],
                "traceback": "Traceback" in err,
                "message": (err.strip().splitlines() or [""])[0][:160],
            }
        )
        print(f"  {kind} {what}: exit {m['exit']}, {m['peak_rss_mb']} MB", flush=True)
        path.unlink()
    return rows


# -- the SIGINT sweep ----------------------------------------------------------------------------------------------


def sweep(moments: int, work: Path) -> dict[str, object]:
    if not REAL_CSET.exists():
        return {"skipped": f"{REAL_CSET} is missing"}
    db = work / "sweep.duckdb"
    base = work / "base.duckdb"
    lens = SEEDS["lens"]
    subprocess.run(
        [sys.executable, "-m", "aieco", "--db", str(base), "ingest", "lens", str(lens)],
        env=ENV,
        check=True,
        capture_output=True,
    )
    shutil.copy(base, db)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "aieco", "--db", str(db), "ingest", "cset1790", str(REAL_CSET)],
        env=ENV,
        check=True,
        capture_output=True,
    )
    full = time.perf_counter() - started
    before = snapshot(base)
    outcomes: collections.Counter[str] = collections.Counter()
    problems = []
    for i in range(moments):
        shutil.copy(base, db)
        for leftover in db.parent.glob(db.name + ".wal"):
            leftover.unlink()
        at = full * (i + 0.5) / moments * 1.05  # a few moments past the end too
        proc = subprocess.Popen(
            [sys.executable, "-m", "aieco", "--db", str(db), "ingest", "cset1790", str(REAL_CSET)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        time.sleep(at)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        after = snapshot(db)
        runs = int(after.get("runs", 0)) - int(before.get("runs", 0))
        text = err.strip()
        if proc.returncode == 130 and text.endswith("interrupted; nothing was written"):
            kind = "130, nothing written"
            ok = after == before
        elif proc.returncode == 130 and "was committed" in text:
            kind = "130, committed and said"
            ok = runs == 1
        elif proc.returncode == 0:
            kind = "0, finished before the signal"
            ok = runs == 1
        else:
            kind = f"exit {proc.returncode}"
            ok = False
        if "Traceback" in err or proc.returncode == -signal.SIGABRT:
            ok = False
        outcomes[kind] += 1
        if not ok:
            problems.append({"at_s": round(at, 2), "exit": proc.returncode, "stderr": text[-300:], "runs": runs})
    return {"full_run_s": round(full, 2), "moments": moments, "outcomes": dict(outcomes), "problems": problems}


def _measure(db: str, kind: str, path: str) -> None:
    """Run one ingest as this small process's child; print its exit code, stderr and peak RSS as JSON."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "aieco", "--db", db, "ingest", kind, path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    rss = round(usage.ru_maxrss / 1024)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "stderr": err[-3000:], "peak_rss_mb": rss}))


def main() -> int:
    if sys.argv[1:2] == ["--measure"]:
        _measure(*sys.argv[2:5])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", type=int, default=1000)
    ap.add_argument("--moments", type=int, default=50)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-sweep", action="store_true")
    ap.add_argument("--readers", default=",".join(sorted(SEEDS)), help="comma-separated; default every reader")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz.json")
    args = ap.parse_args()
    readers = args.readers.split(",")
    unknown = sorted(set(readers) - set(SEEDS))
    if unknown:
        ap.error(f"unknown reader(s) {', '.join(unknown)}; known: {', '.join(sorted(SEEDS))}")
    result: dict[str, object] = {"date": time.strftime("%Y-%m-%d %H:%M")}
    with tempfile.TemporaryDirectory(prefix="aieco-fuzz-") as tmp:
        work = Path(tmp)
        print(f"1. {args.mutants} mutants per reader", flush=True)
        table = mutants(args.mutants, work, readers)
        result["mutants"] = table
        if not args.skip_large:
            print("2. large inputs", flush=True)
            result["large"] = large(work)
        if not args.skip_sweep:
            print(f"3. SIGINT sweep, {args.moments} moments over the real CSET ingest", flush=True)
            result["sweep"] = sweep(args.moments, work)
    out = args.out
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print("\n| reader | mutants | exit codes | tracebacks | invariant violations | over 60 s | slowest s |")
    print("|---|---|---|---|---|---|---|")
    bad = 0
    for kind, row in table.items():
        codes = ", ".join(f"{c}: {n}" for c, n in row["exit_codes"].items())  # type: ignore[attr-defined]
        tb, inv = len(row["tracebacks"]), len(row["invariant_violations"])  # type: ignore[arg-type]
        bad += tb + inv + int(row["over_60s"])  # type: ignore[call-overload]
        print(f"| {kind} | {row['mutants']} | {codes} | {tb} | {inv} | {row['over_60s']} | {row['slowest_s']} |")
    for kind, row in table.items():
        for seed, mutations, last in row["tracebacks"][:3]:  # type: ignore[index]
            print(f"  traceback {kind} #{seed} {mutations}: {last}")
        for seed, mutations, what in row["invariant_violations"][:3]:  # type: ignore[index]
            print(f"  invariant {kind} #{seed} {mutations}: {what}")
    if "large" in result:
        print("\n| reader | input | MB | exit | seconds | peak RSS MB | traceback | message |")
        print("|---|---|---|---|---|---|---|---|")
        for r in result["large"]:  # type: ignore[attr-defined]
            bad += bool(r["traceback"]) + (r["peak_rss_mb"] > 1024)
            print(
                f"| {r['kind']} | {r['input']} | {r['mb']} | {r['exit']} | {r['seconds']} | {r['peak_rss_mb']} | "
                f"{r['traceback']} | {r['message']} |"
            )
    if "sweep" in result:
        s = result["sweep"]
        print(f"\nSIGINT sweep: {s}")
        bad += len(s.get("problems", []))  # type: ignore[union-attr,attr-defined]
    print(f"\nwritten: {out}; problems: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
