"""Checking articles at scale: N articles of about W words each against a loaded store (issue 13's goal:
under 50 ms an article after start-up), with time per article and per claim and the peak RSS.

Each article is built deterministically (``--seed``) from the claims corpus (``tests/claims/*.yaml``: the
sentences with numbers a reader brings) and prose without numbers (below), about one claim sentence in eight,
as in the news texts the corpus was written from. Start-up (imports, the first check: ledger, rates, store
metadata) is timed apart from the articles.

    python benchmarks/articles.py --db out/demo.duckdb --articles 1000
    python benchmarks/articles.py --articles 50          # builds the demo store from ../shared/data first

Results: ``benchmarks/results/articles.json`` and a Markdown table on stdout (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rss import peak_rss_mb  # noqa: E402

# Prose with no quantities, written for this benchmark: what surrounds the numbers of a news article.
PROSE = (
    "Officials described the programme as a cornerstone of the national strategy for the digital economy.",
    "Analysts caution that headline figures hide choices about what counts as artificial intelligence.",
    "The forum brought together ministers, researchers and business leaders from across the region.",
    "Several companies showed systems for crop monitoring, medical imaging and personalised teaching.",
    "Critics argue that patent filings measure activity rather than the quality of the inventions.",
    "The ministry said it would publish detailed statistics later in the year.",
    "Universities have expanded their programmes in machine learning and data science.",
    "Investors remain interested in start-ups that build tools for manufacturing and logistics.",
    "The report did not say which classification of patents it had used.",
    "Local governments compete to attract laboratories, data centres and skilled engineers.",
    "Observers noted that cooperation agreements often take years to produce results.",
    "The speaker stressed the importance of open standards and shared infrastructure.",
    "Researchers warned that comparisons between countries depend heavily on the method chosen.",
    "The delegation visited a smart port and an automated factory during the trip.",
    "Industry groups welcomed the plan but asked for clearer rules on data protection.",
    "The agency said its figures cover applications received by the national office.",
)


def corpus_sentences(corpus: Path) -> list[str]:
    texts: list[str] = []
    for path in sorted(corpus.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text("utf-8")) or []:
            if entry.get("claims"):
                texts.append(" ".join(str(entry["text"]).split()))
    return texts


def make_articles(n: int, words: int, seed: int, claims: list[str]) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = ["BEIJING, May 29, 2025 —"]
        count = 0
        while count < words:
            sentence = rng.choice(claims) if rng.random() < 1 / 8 else rng.choice(PROSE)
            parts.append(sentence)
            count += len(sentence.split())
        out.append(" ".join(parts))
    return out


def build_store(db: Path) -> None:
    from aieco.demo import run_demo

    data = ROOT.parent / "shared" / "data"
    db.parent.mkdir(parents=True, exist_ok=True)
    run_demo(db, data, echo=lambda _line: None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a loaded store (default: build the demo store under out/)")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "articles.json")
    args = ap.parse_args()

    db = args.db or ROOT / "out" / "bench-articles" / "demo.duckdb"
    if not db.exists():
        print(f"building the demo store {db} from ../shared/data …", file=sys.stderr, flush=True)
        build_store(db)
    articles = make_articles(args.articles, args.words, args.seed, corpus_sentences(ROOT / "tests" / "claims"))

    t0 = time.perf_counter()
    from aieco.claims.check import check
    from aieco.store import open_store

    with open_store(db, read_only=True) as store:
        check(articles[0], store)  # start-up: imports, ledger, rates, the store's metadata
        startup = time.perf_counter() - t0
        times: list[float] = []
        claims = 0
        for text in articles:
            t = time.perf_counter()
            claims += len(check(text, store).claims)
            times.append(time.perf_counter() - t)
    total = sum(times)
    result = {
        "stage": "check-articles",
        "articles": len(articles),
        "words_per_article": args.words,
        "claims": claims,
        "startup_seconds": round(startup, 3),
        "seconds": round(total, 3),
        "ms_per_article_mean": round(1000 * total / len(times), 1),
        "ms_per_article_p50": round(1000 * statistics.median(times), 1),
        "ms_per_article_p95": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 1),
        "ms_per_claim": round(1000 * total / max(claims, 1), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "goal_ms_per_article": 50,
        "store": str(db),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("| articles | words | claims | start-up s | ms/article mean | p50 | p95 | ms/claim | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result['articles']:,} | {args.words} | {claims:,} | {result['startup_seconds']} | "
        f"{result['ms_per_article_mean']} | {result['ms_per_article_p50']} | {result['ms_per_article_p95']} | "
        f"{result['ms_per_claim']} | {result['peak_rss_mb']} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
