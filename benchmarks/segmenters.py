"""Sentence segmenters measured on the claims corpus: the checker run with syntok (what it uses), pysbd, and a
plain regex split at ". ", each scored by ``aieco.claims.evaluate`` (extraction precision / recall and field
accuracy, no store) — the measurement behind the choice in docs/claims.md.

Only the sentence spans change: the checker's own rules on top of them (Chinese full stops, "No." before a
number, a full stop after a bracket, over-long sentences cut) stay the same for every segmenter.

    python benchmarks/segmenters.py            # needs pysbd (make bench installs it)
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def pysbd_spans(text: str, offset: int) -> list[tuple[int, int]]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    out = []
    for span in seg.segment(text):
        a, b = span.start, span.end
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((offset + a, offset + b))
    return out


_NAIVE = re.compile(r"(?<=[.!?])\s+")


def naive_spans(text: str, offset: int) -> list[tuple[int, int]]:
    out, a = [], 0
    for m in _NAIVE.finditer(text):
        out.append((offset + a, offset + m.start()))
        a = m.end()
    if a < len(text.rstrip()):
        out.append((offset + a, offset + len(text.rstrip())))
    return out


def main() -> int:
    from aieco.claims import segment
    from aieco.claims.check import check
    from aieco.claims.evaluate import evaluate

    syntok_spans = segment._syntok_spans
    corpus = ROOT / "tests" / "claims"
    print("| segmenter | precision | recall | subject | measure | unit | period | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    evaluate(corpus, lambda text, as_of=None: check(text, None, as_of=as_of))  # warm-up: imports, caches
    for name, fn in (("syntok (used)", syntok_spans), ("pysbd", pysbd_spans), ("regex '. '", naive_spans)):
        segment._syntok_spans = fn  # type: ignore[assignment]
        t = time.perf_counter()
        ev = evaluate(corpus, lambda text, as_of=None: check(text, None, as_of=as_of))
        seconds = time.perf_counter() - t
        o = ev.overall
        cells = [o.precision, o.recall, *(o.field_accuracy(f) for f in ("subject", "measure", "unit", "period"))]
        print(
            f"| {name} | " + " | ".join("–" if x is None else f"{100 * x:.1f}%" for x in cells) + f" | {seconds:.1f} |"
        )
    segment._syntok_spans = syntok_spans  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    sys.exit(main())
