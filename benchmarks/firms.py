"""Benchmark: aieco's firm-name normaliser + Fellegi-Sunter matcher (aieco.firms.match) on PatentsView's
hand-labelled assignee benchmarks, and its time and memory at scale.

``pv``: the AIR-UMASS and NBER-subset assignee benchmarks shipped inside the ``pv-evaluation`` package
(``pv_evaluation/data/assignee/*.csv``: mention_id, unique_id = the true assignee, organization = the name as
on the patent). The file is read from the installed distribution without importing the package (its
``__init__`` needs pkg_resources and plotting libraries we do not use), so ``pip install --no-deps
pv-evaluation==2.1.1`` is enough. A sample of whole true clusters (seeded) up to ``--mentions`` mentions is
disambiguated: the distinct names are deduplicated with the matcher (the same comparisons, priors and u
estimation as ``aieco firms match``, splink's dedupe_only: each pair of distinct names once); names linked at
p >= threshold are joined (connected components); every mention takes its name's cluster. Pairwise precision,
recall and F1 over mentions, for the matcher at several thresholds and for the normaliser alone (mentions with
equal (place, key) joined).

``scale``: ``--applicants`` generated company names against ``--firms`` generated firm names (a vocabulary
of real applicant words, deterministic): seconds for features, for scoring, and peak RSS.

    .venv/bin/python benchmarks/firms.py pv --mentions 10000            # a check at small N (--json: JSON)
    .venv/bin/python benchmarks/firms.py pv --mentions 0                # the whole benchmarks (0 = all)
    .venv/bin/python benchmarks/firms.py scale --applicants 1000000 --firms 10000
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import time
from collections import defaultdict
from importlib.metadata import PackageNotFoundError, distribution
from math import comb
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rss import peak_rss_mb  # noqa: E402

from aieco.firms.match import score  # noqa: E402
from aieco.firms.names import features  # noqa: E402

BENCHMARKS = {
    "air-umass": "pv_evaluation/data/assignee/air-umass-assignees-benchmark.csv",
    "nber-subset": "pv_evaluation/data/assignee/nber-subset-assignees-benchmark.csv",
}
THRESHOLDS = (0.5, 0.9, 0.99)
SEED = 14


def load_benchmark(name: str) -> list[tuple[str, str, str]]:
    """(mention_id, true id, organization) rows of a pv-evaluation assignee benchmark."""
    try:
        dist = distribution("pv-evaluation")
    except PackageNotFoundError:
        sys.exit("pv-evaluation is not installed: .venv/bin/pip install --no-deps pv-evaluation==2.1.1")
    path = Path(str(dist.locate_file(BENCHMARKS[name])))
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["mention_id"], r["unique_id"], r["organization"]) for r in csv.DictReader(fh) if r["organization"]]


def sample_clusters(rows: list[tuple[str, str, str]], mentions: int) -> list[tuple[str, str, str]]:
    """Whole true clusters, drawn in a seeded random order, until ``mentions`` mentions (0: all)."""
    if not mentions:
        return rows
    clusters: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for r in rows:
        clusters[r[1]].append(r)
    ids = sorted(clusters)
    random.Random(SEED).shuffle(ids)
    out: list[tuple[str, str, str]] = []
    for cid in ids:
        if len(out) >= mentions:
            break
        out.extend(clusters[cid])
    return out


def pairwise(truth: list[str], predicted: list[Any]) -> dict[str, float]:
    """Pairwise precision, recall, F1 over mentions: pairs in one predicted cluster vs one true cluster."""
    both: dict[tuple[Any, str], int] = defaultdict(int)
    pred: dict[Any, int] = defaultdict(int)
    true: dict[str, int] = defaultdict(int)
    for t, p in zip(truth, predicted, strict=True):
        both[(p, t)] += 1
        pred[p] += 1
        true[t] += 1
    tp = sum(comb(n, 2) for n in both.values())
    pp = sum(comb(n, 2) for n in pred.values())
    tt = sum(comb(n, 2) for n in true.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_pairs": tt, "predicted_pairs": pp}  # fmt: skip


def _records(names: list[str]) -> list[dict[str, Any]]:
    out = []
    for i, name in enumerate(names):
        f = features(name)
        out.append({"unique_id": i, "name": name, "script": f.script, "place": f.place,
                    "name_key": f.key or name.casefold(), "pinyin": f.pinyin or name.casefold()})  # fmt: skip
    return out


def _components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return [find(i) for i in range(n)]


def run_pv(name: str, mentions: int) -> dict[str, Any]:
    rows = sample_clusters(load_benchmark(name), mentions)
    names = sorted({r[2] for r in rows})
    index = {n: i for i, n in enumerate(names)}
    truth = [r[1] for r in rows]
    started = time.perf_counter()
    records = _records(names)
    keys = [(r["place"], r["name_key"]) for r in records]
    baseline = pairwise(truth, [keys[index[r[2]]] for r in rows])
    scored = score(records, None)
    seconds = time.perf_counter() - started
    results = {"normaliser only (equal place + key)": baseline}
    for t in THRESHOLDS:
        edges = [(int(r["unique_id_l"]), int(r["unique_id_r"])) for r in scored.rows
                 if r["match_probability"] >= t and r["unique_id_l"] != r["unique_id_r"]]  # fmt: skip
        comp = _components(len(names), edges)
        results[f"matcher, p >= {t}"] = pairwise(truth, [comp[index[r[2]]] for r in rows])
    return {"benchmark": name, "mentions": len(rows), "clusters": len(set(truth)), "names": len(names),
            "pairs_scored": scored.pairs, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_rss_mb()),
            "u_source": scored.model.get("u_source"), "results": results}  # fmt: skip


WORDS = (
    "shenzhen beijing shanghai hangzhou suzhou tianjin nanjing wuhan chengdu xian guangzhou dongguan "
    "technology tech intelligent intelligence electronic electronics information network communication "
    "science industrial industry precision machinery automation robot robotics vision optical photonics "
    "semiconductor microelectronics software data cloud digital smart energy power battery vehicle auto "
    "aviation aerospace drone uav medical health bio pharmaceutical chemical materials new innovation "
    "development research instrument equipment systems control security sensor display display lighting "
    "huawei dajiang sensetime megvii iflytek baidu tencent alibaba xiaomi zte lenovo haier midea gree"
).split()
FORMS = ("co ltd", "co., ltd.", "technology co ltd", "inc", "corp", "limited", "group co ltd", "")


def _names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(WORDS, rng.randint(2, 4))).upper() + " " + rng.choice(FORMS).upper() for _ in range(n)]


def run_scale(applicants: int, firms: int) -> dict[str, Any]:
    started = time.perf_counter()
    apps = _records(_names(applicants, 1))
    firm_names = _records(_names(firms, 2))
    featured = time.perf_counter() - started
    scored = score(firm_names, apps)
    total = time.perf_counter() - started
    return {"applicants": applicants, "firm_names": firms, "pairs_scored": scored.pairs,
            "candidates": len(scored.rows), "features_seconds": round(featured, 1),
            "score_seconds": round(total - featured, 1), "total_seconds": round(total, 1),
            "peak_rss_mb": round(peak_rss_mb()), "u_source": scored.model.get("u_source")}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    pv = sub.add_parser("pv")
    pv.add_argument("--mentions", type=int, default=10_000, help="mentions per benchmark (whole clusters); 0: all")
    pv.add_argument("--benchmark", choices=sorted(BENCHMARKS), action="append")
    sc = sub.add_parser("scale")
    sc.add_argument("--applicants", type=int, default=10_000)
    sc.add_argument("--firms", type=int, default=1_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON, not markdown tables")
    args = parser.parse_args()
    if args.what == "pv":
        out = [run_pv(b, args.mentions) for b in args.benchmark or sorted(BENCHMARKS)]
    else:
        out = [run_scale(args.applicants, args.firms)]
    if args.json:
        buf = io.StringIO()
        json.dump(out, buf, indent=2, ensure_ascii=False)
        print(buf.getvalue())
    elif args.what == "pv":
        print("| benchmark | mentions | true clusters | names | method | precision | recall | F1 | s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for b in out:
            for method, m in b["results"].items():
                print(
                    f"| {b['benchmark']} | {b['mentions']:,} | {b['clusters']:,} | {b['names']:,} | {method} | "
                    f"{m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {b['seconds']} | {b['peak_rss_mb']} |"
                )
    else:
        b = out[0]
        print("| applicant names | firm names | pairs after blocking | features s | scoring s | peak MB |")
        print("|---|---|---|---|---|---|")
        print(
            f"| {b['applicants']:,} | {b['firm_names']:,} | {b['pairs_scored']:,} | {b['features_seconds']} | "
            f"{b['score_seconds']} | {b['peak_rss_mb']} |"
        )


if __name__ == "__main__":
    main()
