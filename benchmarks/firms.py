"""Benchmark: aieco's firm-name normaliser + Fellegi-Sunter matcher (aieco.firms.match) on PatentsView's
hand-labelled assignee benchmarks, and its time and memory at scale.

``pv``: the AIR-UMASS and NBER-subset assignee benchmarks shipped inside the ``pv-evaluation`` package
(``pv_evaluation/data/assignee/*.csv``: mention_id, unique_id = the true assignee, organization = the name as
on the patent). The file is read from the installed distribution without importing the package (its
``__init__`` needs pkg_resources and plotting libraries we do not use), so ``pip install --no-deps
pv-evaluation==2.1.1`` is enough. A sample of whole true clusters (seeded) up to ``--mentions`` mentions is
disambiguated: the distinct names are deduplicated with the matcher (the same comparisons, priors and u
estimation as ``aieco firms match``, splink's dedupe_only: each pair of distinct names once); names linked
by ``aieco.firms.match.is_linked``, the decision of ``aieco firms match`` (p >= threshold, or equal keys with
places not different), are joined (connected components); every mention takes its name's cluster. Pairwise
precision, recall and F1 over mentions, for the matcher at several thresholds and for the normaliser alone
(mentions with equal (place, key) joined).

``scale``: ``--applicants`` generated company names against ``--firms`` generated firm names, shaped like
the real applicant names of ../shared/data (Lens exports, USPTO XML samples: :class:`NameModel`, seeded),
5% of the applicants other spellings of a firm's name: pairs after blocking, seconds, peak RSS.

    .venv/bin/python benchmarks/firms.py pv --mentions 10000            # a check at small N (--json: JSON)
    .venv/bin/python benchmarks/firms.py pv --mentions 0                # the whole benchmarks (0 = all)
    .venv/bin/python benchmarks/firms.py scale --applicants 1000000 --firms 10000
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from importlib.metadata import PackageNotFoundError, distribution
from math import comb
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rss import peak_rss_mb  # noqa: E402

from aieco.firms.match import is_linked, score  # noqa: E402
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


def missed_pairs(rows: list[tuple[str, str, str]], records: list[dict[str, Any]], comp: list[int],
                 scored: dict[tuple[int, int], float], n: int) -> dict[str, Any]:
    """The true pairs of distinct names (one true cluster) that the matcher leaves in two clusters: the ``n``
    that miss the most mention pairs, with their keys and their score (None: not blocked together)."""
    index = {r["name"]: r["unique_id"] for r in records}
    mentions = Counter((r[1], r[2]) for r in rows)
    by_cluster: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (cluster, name), k in mentions.items():
        by_cluster[cluster].append((name, k))
    missed, total_missed = [], 0
    for cluster, members in by_cluster.items():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                (na, ka), (nb, kb) = members[a], members[b]
                ia, ib = index[na], index[nb]
                if comp[ia] != comp[ib]:
                    total_missed += ka * kb
                    missed.append((ka * kb, cluster, na, nb, ia, ib))
    missed.sort(key=lambda m: (-m[0], m[2], m[3]))
    out = [{"mention_pairs": w, "names": [na, nb], "keys": [records[ia]["name_key"], records[ib]["name_key"]],
            "places": [records[ia]["place"], records[ib]["place"]],
            "p": scored.get((min(ia, ib), max(ia, ib)))} for w, _, na, nb, ia, ib in missed[:n]]  # fmt: skip
    return {"missed_mention_pairs": total_missed, "missed_name_pairs": len(missed), "top": out}


def run_pv(name: str, mentions: int, missed: int = 0) -> dict[str, Any]:
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
                 if is_linked(r, t) and r["unique_id_l"] != r["unique_id_r"]]  # fmt: skip
        comp = _components(len(names), edges)
        results[f"matcher, p >= {t}"] = pairwise(truth, [comp[index[r[2]]] for r in rows])
        if t == 0.9 and missed:
            probs = {(min(int(r["unique_id_l"]), int(r["unique_id_r"])), max(int(r["unique_id_l"]),
                     int(r["unique_id_r"]))): round(float(r["match_probability"]), 4) for r in scored.rows}  # fmt: skip
            results["missed at p >= 0.9"] = missed_pairs(rows, records, comp, probs, missed)
    return {"benchmark": name, "mentions": len(rows), "clusters": len(set(truth)), "names": len(names),
            "pairs_scored": scored.pairs, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_rss_mb()),
            "u_source": scored.model.get("u_source"), "results": results}  # fmt: skip


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared beside the repository, as CI has it
FORMS = ("CO LTD", "CO., LTD.", "INC", "CORP", "LIMITED", "GMBH", "LLC", "AG", "")


def real_applicant_names(data: Path = DATA) -> list[str]:
    """The distinct applicant names of the real Lens exports and USPTO XML samples (read at run time from the
    data folder, never committed)."""
    import html
    import re

    from aieco.sources.fields import split_multi

    names: set[str] = set()
    csv.field_size_limit(1 << 30)
    for path in sorted((data / "lens").glob("*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                names.update(split_multi(row.get("Applicants") or ""))
    org = re.compile(r"<orgname>([^<]+)</orgname>")
    for path in sorted((data / "uspto-xml").glob("*.xml")):
        names.update(html.unescape(m) for m in org.findall(path.read_text(encoding="utf-8", errors="replace")))
    if not names:
        sys.exit(f"no applicant names under {data} (lens/*.csv, uspto-xml/*.xml): the scale run reads them")
    return sorted(names)


class NameModel:
    """Generated company names shaped like the real applicant names: the words of the real names' keys
    drawn by how many names hold them (their own Zipf-like law), the number of words as in the real names,
    a leading place as often as there, and, as often as the real names have a word no other name has, a
    coined word (2-3 pieces of real words, each piece drawn by a Zipf law over its rank) standing for a
    brand, so that the vocabulary grows with the number of names as a real one does."""

    def __init__(self, names: list[str]) -> None:
        feats = [features(n) for n in names]
        keys = [f.key.split(" ") for f in feats if f.key and f.script == "latin"]
        held = Counter(w for k in keys for w in set(k))
        self.words = [w for w, _ in held.most_common()]
        self.cum_weights = list(itertools.accumulate(n for _, n in held.most_common()))
        self.lengths = [len(k) for k in keys]
        self.unique_share = sum(1 for k in keys if any(held[w] == 1 for w in k)) / len(keys)
        self.places = sorted({f.place for f in feats if f.place})
        self.place_share = sum(1 for f in feats if f.place) / len(feats)
        pieces = Counter(w[i:i + 3] for w in self.words if len(w) >= 6 for i in (0, 3) if w[i:i + 3].isalpha())
        self.pieces = [p for p, _ in pieces.most_common()]
        self.piece_cum = list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(self.pieces))))
        self.real_names = len(names)

    def names(self, n: int, seed: int) -> list[str]:
        rng = random.Random(seed)
        out = []
        for _ in range(n):
            k = rng.choice(self.lengths)
            parts: list[str] = []
            if rng.random() < self.unique_share:
                parts.append("".join(rng.choices(self.pieces, cum_weights=self.piece_cum, k=rng.randint(2, 3))))
                k -= 1
            parts += rng.choices(self.words, cum_weights=self.cum_weights, k=max(k, 0 if parts else 1))
            if self.places and rng.random() < self.place_share:
                parts.insert(0, rng.choice(self.places))
            out.append((" ".join(parts) + " " + rng.choice(FORMS)).upper().strip())
        return out


def _respelt(name: str, rng: random.Random) -> str:
    """Another spelling of a firm's name, as applicants write it: another legal form, other case."""
    base = name
    for form in sorted(FORMS, key=len, reverse=True):
        if form and base.endswith(" " + form):
            base = base[: -len(form) - 1]
            break
    spelt = base + " " + rng.choice(FORMS)
    return spelt.strip().title() if rng.random() < 0.5 else spelt.strip()


def run_scale(applicants: int, firms: int, matched_share: float = 0.05) -> dict[str, Any]:
    """``firms`` generated firm names against ``applicants`` generated applicant names, ``matched_share``
    of which are other spellings of a firm's name (so that blocks hold true pairs, as a real match does)."""
    started = time.perf_counter()
    model = NameModel(real_applicant_names())
    firm_names = model.names(firms, 2)
    rng = random.Random(3)
    matched = int(applicants * matched_share)
    app_names = [_respelt(rng.choice(firm_names), rng) for _ in range(matched)] + model.names(applicants - matched, 1)
    generated = time.perf_counter() - started
    apps = _records(app_names)
    firm_records = _records(firm_names)
    featured = time.perf_counter() - started
    scored = score(firm_records, apps)
    total = time.perf_counter() - started
    vocab = len({w for r in apps for w in r["name_key"].split(" ")})
    return {"applicants": applicants, "firm_names": firms, "respelt_firm_names": matched,
            "real_names_modelled": model.real_names, "distinct_applicant_keys": len({r["name_key"] for r in apps}),
            "applicant_vocabulary": vocab, "pairs_scored": scored.pairs, "candidates": len(scored.rows),
            "links_p90": sum(1 for r in scored.rows if is_linked(r, 0.9)),
            "generate_seconds": round(generated, 1), "features_seconds": round(featured - generated, 1),
            "score_seconds": round(total - featured, 1), "total_seconds": round(total, 1),
            "peak_rss_mb": round(peak_rss_mb()), "u_source": scored.model.get("u_source")}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    pv = sub.add_parser("pv")
    pv.add_argument("--mentions", type=int, default=10_000, help="mentions per benchmark (whole clusters); 0: all")
    pv.add_argument("--benchmark", choices=sorted(BENCHMARKS), action="append")
    pv.add_argument("--missed", type=int, default=0, help="list the N true name pairs missed at p >= 0.9 (JSON)")
    sc = sub.add_parser("scale")
    sc.add_argument("--applicants", type=int, default=10_000)
    sc.add_argument("--firms", type=int, default=1_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON, not markdown tables")
    args = parser.parse_args()
    if args.what == "pv":
        out = [run_pv(b, args.mentions, args.missed) for b in args.benchmark or sorted(BENCHMARKS)]
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
                if "precision" not in m:  # the missed pairs: --json
                    continue
                print(
                    f"| {b['benchmark']} | {b['mentions']:,} | {b['clusters']:,} | {b['names']:,} | {method} | "
                    f"{m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {b['seconds']} | {b['peak_rss_mb']} |"
                )
    else:
        b = out[0]
        print("| applicant names | firm names | applicant vocabulary | pairs after blocking | links p >= 0.9 | "
              "generate s | features s | scoring s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(
            f"| {b['applicants']:,} | {b['firm_names']:,} | {b['applicant_vocabulary']:,} | {b['pairs_scored']:,} | "
            f"{b['links_p90']:,} | {b['generate_seconds']} | {b['features_seconds']} | {b['score_seconds']} | "
            f"{b['peak_rss_mb']} |"
        )


if __name__ == "__main__":
    main()
