"""Load test of the API: N concurrent clients for S seconds against /api/v1/grid and /api/v1/check.

    python benchmarks/load.py --db out/demo.duckdb [--clients 32] [--seconds 30]

Starts `aieco serve` on a free loopback port (its own process), then for each endpoint runs the clients (threads,
keep-alive HTTP/1.1 over 127.0.0.1 only; bounded by time and by a request cap) and prints requests/s, p50 / p99 /
max latency and errors. /grid requests cycle over countries and groups (each distinct answer is computed once,
then served from the server's cache: the store is read-only); /check posts the seed article (its claims are
extracted and decided on every request; the grid rows it needs are cached).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "articles" / "china-ai-ecosystem.txt"
GRID_QUERIES = [
    f"/api/v1/grid?country={c}&years=2000-2019&source=cset1790"
    for c in ("CN", "US", "JP", "KR", "DE", "FR", "GB", "IN", "RU", "CA")
] + [f"/api/v1/grid?group={g}&years=2000-2019&source=cset1790" for g in ("SCO", "BRICS", "G7", "EU")]
MAX_REQUESTS = 200_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(port: int, stop: float, make: object, out: list[tuple[float, int]], lock: threading.Lock) -> None:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    mine: list[tuple[float, int]] = []
    while time.monotonic() < stop and len(mine) < MAX_REQUESTS:
        method, path, body = make(i)  # type: ignore[operator]
        t = time.perf_counter()
        try:
            con.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
            r = con.getresponse()
            r.read()
            status = r.status
        except (OSError, http.client.HTTPException):
            status = -1
            con.close()
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine.append((time.perf_counter() - t, status))
        i += 1
    con.close()
    with lock:
        out.extend(mine)


def run(port: int, name: str, make: object, clients: int, seconds: float) -> dict[str, object]:
    out: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, stop, make, out, lock)) for _ in range(clients)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - t0
    lat = sorted(x for x, _ in out)
    errors = sum(1 for _, s in out if s != 200)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
    return {
        "endpoint": name,
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(out),
        "rps": round(len(out) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
        "errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "out" / "demo.duckdb")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "aieco", "--db", str(args.db), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError as err:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"the server did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from err
                time.sleep(0.2)
        article = json.dumps({"text": ARTICLE.read_text("utf-8")}).encode()
        results = [
            run(
                port,
                "GET /api/v1/grid",
                lambda i: ("GET", GRID_QUERIES[i % len(GRID_QUERIES)], None),
                args.clients,
                args.seconds,
            ),
            run(port, "POST /api/v1/check", lambda i: ("POST", "/api/v1/check", article), args.clients, args.seconds),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("| endpoint | clients | s | requests | req/s | p50 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['endpoint']} | {r['clients']} | {r['seconds']} | {r['requests']:,} | {r['rps']} | {r['p50_ms']} | "
            f"{r['p99_ms']} | {r['max_ms']} | {r['errors']} |"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
