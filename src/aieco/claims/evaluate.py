"""Scoring the checker against a claims corpus (``tests/claims/*.yaml``): extraction precision and recall,
field accuracy and verdict accuracy, per class of claim.

A found claim matches an expected one when its span overlaps the expected span (the first occurrence of
``span`` in the item's text). Verdicts are scored on matched claims; a found claim called ``contradicted``
where the corpus expects anything else is counted apart, as the worst error for a reader.

>>> score_item({"id": "x", "cls": "c", "text": "a", "claims": []}, ()).found
0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aieco.errors import InputError
from aieco.results import CheckResult, ClaimCheck

VERDICT_CLASS = {
    "supported": "supported",
    "supported-under-some-methods": "some",
    "contradicted": "contradicted",
    "not-checkable-with-loaded-data": "not-checkable",
    "ambiguous": "ambiguous",
}
FIELDS = ("subject", "measure", "unit", "period")
_ITEM_KEYS = ("id", "cls", "text", "claims")
_CLAIM_KEYS = ("span", "subject", "measure", "unit", "period", "verdict")


@dataclass(frozen=True, kw_only=True)
class ClassScore:
    """Counts of one class of claim (or of the whole corpus, ``cls`` = "all")."""

    cls: str
    expected: int = 0
    found: int = 0
    matched: int = 0
    fields_right: dict[str, int] = field(default_factory=dict)
    verdicts_right: int = 0
    false_contradicted: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.expected if self.expected else None

    @property
    def verdict_accuracy(self) -> float | None:
        return self.verdicts_right / self.matched if self.matched else None

    def field_accuracy(self, name: str) -> float | None:
        return self.fields_right.get(name, 0) / self.matched if self.matched else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cls": self.cls,
            "expected": self.expected,
            "found": self.found,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            **{f"{f}_accuracy": self.field_accuracy(f) for f in FIELDS},
            "verdict_accuracy": self.verdict_accuracy,
            "false_contradicted": self.false_contradicted,
        }


@dataclass(frozen=True, kw_only=True)
class Miss:
    """One difference between the checker and the corpus, for reading why a figure is what it is."""

    item: str
    kind: str  # missed | spurious | field | verdict
    detail: str


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """The scores of a corpus run: overall, per class of claim, per expected verdict class, and every miss."""

    corpus: str
    items: int
    overall: ClassScore
    by_class: tuple[ClassScore, ...]
    by_verdict: tuple[ClassScore, ...]
    misses: tuple[Miss, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "items": self.items,
            "overall": self.overall.to_dict(),
            "by_class": [c.to_dict() for c in self.by_class],
            "by_verdict": [c.to_dict() for c in self.by_verdict],
            "misses": [m.__dict__ for m in self.misses],
        }


@dataclass
class _Acc:
    expected: int = 0
    found: int = 0
    matched: int = 0
    fields_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    verdicts_right: int = 0
    false_contradicted: int = 0

    def add(self, other: _Acc) -> None:
        self.expected += other.expected
        self.found += other.found
        self.matched += other.matched
        for k, v in other.fields_right.items():
            self.fields_right[k] = self.fields_right.get(k, 0) + v
        self.verdicts_right += other.verdicts_right
        self.false_contradicted += other.false_contradicted

    def freeze(self, cls: str) -> ClassScore:
        return ClassScore(
            cls=cls,
            expected=self.expected,
            found=self.found,
            matched=self.matched,
            fields_right=dict(self.fields_right),
            verdicts_right=self.verdicts_right,
            false_contradicted=self.false_contradicted,
        )


# --- the corpus ---------------------------------------------------------------------------------------


def load_corpus(path: str | Path, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every item of the corpus (a folder of ``*.yaml`` files but those named in ``exclude``, or one file),
    each checked for its fields."""
    p = Path(path)
    files = sorted(f for f in p.glob("*.yaml") if f.name not in set(exclude)) if p.is_dir() else [p]
    if not files or not all(f.exists() for f in files):
        raise InputError("no corpus files (*.yaml) found", path=str(p))
    items: list[dict[str, Any]] = []
    for f in files:
        try:
            data = yaml.safe_load(f.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise InputError(f"cannot read the corpus file: {str(err).splitlines()[0]}", path=str(f)) from err
        if not isinstance(data, list):
            raise InputError("a corpus file is a YAML list of items", path=str(f))
        for i, item in enumerate(data, 1):
            where = f"{f}, item {i}"
            if not isinstance(item, dict):
                raise InputError("an item is a mapping", path=where)
            for k in _ITEM_KEYS:
                if k not in item:
                    raise InputError(f"field {k!r} is missing", path=where)
            for j, c in enumerate(item["claims"], 1):
                for k in _CLAIM_KEYS:
                    if k not in c:
                        raise InputError(f"claim {j}: field {k!r} is missing", path=f"{where} ({item['id']})")
                if str(c["span"]) not in item["text"]:
                    raise InputError(
                        f"claim {j}: span {c['span']!r} is not in the text", path=f"{where} ({item['id']})"
                    )
            items.append({**item, "file": f.name})
    return items


# --- normalising what the checker found to the corpus's vocabulary -------------------------------------


def found_subject(row: ClaimCheck) -> str | None:
    subj, kind = row.subject, row.subject_kind
    if subj is None:
        return None
    if kind == "firm":
        return f"firm:{subj}"
    if kind == "region":
        return f"region:{subj}"
    return str(subj)


def _subject_right(expected: Any, row: ClaimCheck) -> bool:
    got = found_subject(row)
    if expected is None:
        return got is None or row.subject_kind == "program"
    exp = str(expected)
    if got is None:
        return False
    if exp.startswith("firm:") and got.startswith("firm:"):
        return exp[5:].lower() in got[5:].lower() or got[5:].lower() in exp[5:].lower()
    return exp == got


def found_measure(row: ClaimCheck) -> tuple[str | None, str | None]:
    """(measure, unit) of a checked claim in the corpus's terms."""
    kind = row.kind
    head, _, base = str(row.measure or "").partition(":")
    if kind == "share":
        return "share", base or None
    if kind in ("growth", "ratio", "rank", "per-capita"):
        return kind, base or head or None
    if kind == "money":
        return "money", "money"
    if kind == "firm-count":
        return "firm-count", "firms"
    if kind == "membership":
        return "membership", None
    return "count", head or None


def found_period(row: ClaimCheck) -> str | None:
    kind, start, end = row.period.kind, row.period.start, row.period.end
    if kind in ("range", "since") and start and end:
        a, b = str(start)[:4], str(end)[:4]
        return a if a == b else f"{a}-{b}"
    if kind == "since" and start:
        return f"since:{str(start)[:4]}"
    if kind == "as-of" and end:
        if str(end)[5:] == "12-31":
            return f"asof:{str(end)[:4]}"
        return f"asof:{str(end)[:7]}"
    return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_item(item: dict[str, Any], rows: Sequence[ClaimCheck], *, unmatched: bool = True) -> _Acc:
    """Score one item's found rows against its expected claims (see :func:`evaluate`); ``unmatched`` False
    leaves rows that match no expected claim out of the false-contradicted count (scoring one claim of an
    item alone, the other claims' rows are not errors)."""
    acc = _Acc()
    text = item["text"]
    expected = list(item["claims"])
    acc.expected, acc.found = len(expected), len(rows)
    used: set[int] = set()
    for c in expected:
        at = text.index(str(c["span"]))
        span = (at, at + len(str(c["span"])))
        hit = next((i for i, r in enumerate(rows) if i not in used and _overlap(span, (r.start, r.end))), None)
        if hit is None:
            continue
        used.add(hit)
        r = rows[hit]
        acc.matched += 1
        measure, unit = found_measure(r)
        acc.fields_right["subject"] += _subject_right(c["subject"], r)
        acc.fields_right["measure"] += measure == c["measure"]
        acc.fields_right["unit"] += (unit or None) == (c["unit"] or None)
        acc.fields_right["period"] += found_period(r) == (None if c["period"] is None else str(c["period"]))
        got = VERDICT_CLASS.get(r.verdict, r.verdict)
        acc.verdicts_right += got == c["verdict"]
        acc.false_contradicted += got == "contradicted" and c["verdict"] != "contradicted"
    for i, r in enumerate(rows):
        if unmatched and i not in used and VERDICT_CLASS.get(r.verdict) == "contradicted":
            acc.false_contradicted += 1
    return acc


def _misses(item: dict[str, Any], rows: Sequence[ClaimCheck]) -> list[Miss]:
    out: list[Miss] = []
    text = item["text"]
    used: set[int] = set()
    for c in item["claims"]:
        at = text.index(str(c["span"]))
        span = (at, at + len(str(c["span"])))
        hit = next((i for i, r in enumerate(rows) if i not in used and _overlap(span, (r.start, r.end))), None)
        if hit is None:
            out.append(Miss(item=item["id"], kind="missed", detail=f"{c['span']!r} not found"))
            continue
        used.add(hit)
        r = rows[hit]
        measure, unit = found_measure(r)
        got = {"subject": found_subject(r), "measure": measure, "unit": unit, "period": found_period(r)}
        for f in FIELDS:
            right = _subject_right(c["subject"], r) if f == "subject" else got[f] == c[f]
            if not right:
                out.append(Miss(item=item["id"], kind="field", detail=f"{c['span']!r} {f}: {got[f]} != {c[f]}"))
        v = VERDICT_CLASS.get(r.verdict, r.verdict)
        if v != c["verdict"]:
            out.append(Miss(item=item["id"], kind="verdict", detail=f"{c['span']!r}: {v} != {c['verdict']}"))
    for i, r in enumerate(rows):
        if i not in used:
            out.append(Miss(item=item["id"], kind="spurious", detail=f"{r.text!r} is not a claim of the corpus"))
    return out


CheckFn = Callable[[str, str | None], CheckResult]


def evaluate(corpus: str | Path, check_fn: CheckFn, exclude: Iterable[str] = ()) -> Evaluation:
    """Run ``check_fn(text, as_of)`` on every item of ``corpus`` (but the files named in ``exclude``) and
    score it."""
    items = load_corpus(corpus, exclude)
    total = _Acc()
    by_cls: dict[str, _Acc] = {}
    by_verdict: dict[str, _Acc] = {}
    misses: list[Miss] = []
    for item in items:
        rows = check_fn(item["text"], item.get("as_of")).claims
        acc = score_item(item, rows)
        total.add(acc)
        by_cls.setdefault(str(item["cls"]), _Acc()).add(acc)
        for c in item["claims"]:
            one = score_item({**item, "claims": [c]}, rows, unmatched=False)
            one.found = 0  # precision is per item, not per expected verdict
            by_verdict.setdefault(str(c["verdict"]), _Acc()).add(one)
        misses.extend(_misses(item, rows))
    return Evaluation(
        corpus=str(corpus),
        items=len(items),
        overall=total.freeze("all"),
        by_class=tuple(a.freeze(k) for k, a in sorted(by_cls.items())),
        by_verdict=tuple(a.freeze(k) for k, a in sorted(by_verdict.items())),
        misses=tuple(misses),
    )


def classes(items: Iterable[dict[str, Any]]) -> list[str]:
    return sorted({str(i["cls"]) for i in items})


def pct(x: float | None) -> str:
    return "" if x is None else f"{x:.1%}"
