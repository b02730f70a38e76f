"""Mutated inputs for every reader, and the invariants a run must keep on them (used by tests/test_fuzz.py
and by `make fuzz`, benchmarks/fuzz.py).

A mutant is a seed input (a fixture in the reader's real format) changed by one or more mutations drawn
from a seeded ``random.Random``: byte-level (truncate, delete, insert, flip, duplicate a span), line-level
(delete, repeat, swap lines; shuffle the header; short and long rows; a nasty value in a field), JSON-level
(a value of the wrong type, deep nesting, a 5,000-digit integer, a lone surrogate escape), XML-level
(unclosed tags, unknown entities, entity expansion), encoding-level (UTF-16, Latin-1, a BOM, CR-only line
ends) and container-level (corrupt gzip/zip bodies, a zip whose only member is not data, encrypted flags).

:func:`run_mutant` ingests it through the command line in-process (``aieco.cli.main``) and reports the exit
code, whether a traceback escaped (any exception other than SystemExit), and whether the store kept its
promises: a failed run changed nothing; a successful one has rows read = accepted + rejected and as many
stored rejects as it counted.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import random
import shutil
import struct
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# kind -> the seed: a file, or a folder (a table set) of which one file is mutated
SEEDS: dict[str, Path] = {
    "cset1790": FIXTURES / "cset1790" / "layout46.csv",
    "lens": FIXTURES / "lens" / "current.csv",
    "google": FIXTURES / "google" / "publications-000000000000.json.gz",
    "patstat": FIXTURES / "patstat" / "tables",
    "patentsview": FIXTURES / "patentsview",
    "uspto-xml": FIXTURES / "uspto_xml" / "two_grants_one_broken.xml",
    "counts": FIXTURES / "measure" / "counts_long.csv",
    "eto-cat": FIXTURES / "eto" / "agree",
    "ncses": FIXTURES / "ncses" / "sinv17",
    "wdi": FIXTURES / "wdi" / "population.csv",
    "fred": FIXTURES / "fred" / "yearly-cny.csv",
    "firms": FIXTURES / "firms" / "little_giants.csv",
    "parat": FIXTURES / "firms" / "parat_small.js",
}
# Options a reader needs on the command line (a firm registry is loaded under a name).
SEED_ARGS: dict[str, list[str]] = {"firms": ["--registry", "fuzz"]}

NASTY_TEXT = [
    "",
    " ",
    "NA",
    "null",
    "-1",
    "0",
    "0000",
    "9" * 20,
    "9" * 5000,
    "1e400",
    "1.5",
    "٣",
    "中国",
    "XX",
    "QQ",
    "x" * 100_000,
    '"unbalanced',
    "a,b",
    "a;b",
    "a\tb",
    "\x00",
    "\ufeff",
    "\u202e",
    "=cmd()",
    "2019-13-45",
    "99999999",
    "G06N",
    "G06N 3/08;;H04L",
    "[1,2]",
    "{}",
    "\\ud800",
]
NASTY_JSON: list[Any] = [
    None,
    0,
    -1,
    2**70,
    1.5,
    True,
    "",
    "G06N3/08",
    "x" * 100_000,
    [],
    [1, 2],
    [None],
    ["a"],
    {},
    {"code": 5},
    [{"code": ["x"]}],
    [{"name": 7, "country_code": 8}],
    [{"text": {"a": 1}}],
]


@dataclass(frozen=True)
class Outcome:
    kind: str
    mutations: tuple[str, ...]
    exit_code: int
    traceback: str | None  # the exception that escaped the command line, if any
    invariant: str | None  # a broken promise of the store, if any
    seconds: float
    message: str  # the first line the command printed on stderr


# -- byte-level ---------------------------------------------------------------------------------------------


def _bytes_mutation(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    n = len(data)
    pos = rng.randrange(n + 1) if n else 0
    op = rng.choice(["truncate", "delete", "insert", "flip", "duplicate"])
    if op == "truncate":
        return op, data[:pos]
    if op == "delete":
        return op, data[:pos] + data[pos + rng.randrange(1, 200) :]
    if op == "insert":
        junk = bytes(
            rng.choice([0, 0xFF, 0xFE, 0x0D, 0x0A, 0x22, 0x2C, 0x3B, 0x09, 0xC3, 0x80, 0x5C])
            for _ in range(rng.randrange(1, 8))
        )
        return op, data[:pos] + junk + data[pos:]
    if op == "flip" and n:
        i = rng.randrange(n)
        return op, data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]
    span = data[pos : pos + rng.randrange(1, 400)]
    return "duplicate", data[:pos] + span * rng.randrange(2, 50) + data[pos:]


# -- line- and field-level (delimited text) ------------------------------------------------------------------


def _delimiter(line: str) -> str:
    return max((",", ";", "\t"), key=line.count)


def _text_mutation(rng: random.Random, text: str) -> tuple[str, str]:
    lines = text.split("\n")
    if len(lines) < 2:
        return "noop", text
    sep = _delimiter(lines[0])
    i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
    op = rng.choice(
        [
            "delete-line",
            "repeat-line",
            "swap-lines",
            "shuffle-header",
            "short-row",
            "long-row",
            "nasty-field",
            "nasty-field",
            "nasty-field",
            "drop-header",
            "blank-lines",
        ]
    )
    if op == "delete-line":
        del lines[rng.randrange(len(lines))]
    elif op == "repeat-line":
        lines[i:i] = [lines[i]] * rng.choice([1, 5, 1200])
    elif op == "swap-lines":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "shuffle-header":
        cols = lines[0].split(sep)
        rng.shuffle(cols)
        lines[0] = sep.join(cols)
    elif op == "short-row":
        cells = lines[i].split(sep)
        lines[i] = sep.join(cells[: rng.randrange(len(cells))])
    elif op == "long-row":
        lines[i] = lines[i] + sep + "extra" * rng.randrange(1, 4)
    elif op == "nasty-field":
        cells = lines[i].split(sep)
        cells[rng.randrange(len(cells))] = rng.choice(NASTY_TEXT)
        lines[i] = sep.join(cells)
    elif op == "drop-header":
        lines = lines[1:]
    else:
        lines[i:i] = [""] * 3
    return op, "\n".join(lines)


def _json_mutation(rng: random.Random, text: str) -> tuple[str, str]:
    lines = [ln for ln in text.split("\n")]
    good = [k for k, ln in enumerate(lines) if ln.startswith("{")]
    if not good:
        return "noop", text
    k = rng.choice(good)
    try:
        row = json.loads(lines[k])
    except (ValueError, RecursionError):  # a line an earlier mutation made unreadable
        return "noop", text
    op = rng.choice(["wrong-type", "wrong-type", "delete-key", "deep", "huge-int", "surrogate", "not-object"])
    if op == "wrong-type" and row:
        row[rng.choice(sorted(row))] = rng.choice(NASTY_JSON)
        lines[k] = json.dumps(row)
    elif op == "delete-key" and row:
        del row[rng.choice(sorted(row))]
        lines[k] = json.dumps(row)
    elif op == "deep":
        lines[k] = "[" * 1000 + "]" * 1000
    elif op == "huge-int":
        lines[k] = lines[k].replace("{", '{"family_id": ' + "7" * 5000 + ", ", 1)
    elif op == "surrogate":
        lines[k] = lines[k].replace('"', '"\\ud800', 2)
    else:
        lines[k] = json.dumps([row])
    return op, "\n".join(lines)


def _xml_mutation(rng: random.Random, text: str) -> tuple[str, str]:
    op = rng.choice(["unclosed", "entity", "expansion", "nasty-text", "cut-document"])
    if op == "unclosed":
        return op, text.replace("</us-patent-grant>", "", 1)
    if op == "entity":
        return op, text.replace("<invention-title", "&bogus;<invention-title", 1)
    if op == "expansion":
        doctype = (
            '<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + "]>"
        )
        return op, text.replace("<us-patent-grant", doctype + "<us-patent-grant", 1).replace(
            "</invention-title>", "&i;</invention-title>", 1
        )
    if op == "nasty-text":
        tag = rng.choice(["country", "doc-number", "date", "main-classification", "orgname", "kind"])
        start = text.find(f"<{tag}>")
        if start < 0:
            return "noop", text
        end = text.find(f"</{tag}>", start)
        value = rng.choice(NASTY_TEXT).replace("<", "").replace("&", "")
        return op, text[: start + len(tag) + 2] + value + text[end:]
    cut = text.find("<us-patent-grant", 10)
    return op, text[: cut + rng.randrange(1, 2000)] if cut > 0 else text


def _encoding_mutation(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    op = rng.choice(["utf-16", "latin-1", "bom", "cr-only"])
    text = data.decode("utf-8", "replace")
    if op == "utf-16":
        return op, text.encode("utf-16")
    if op == "latin-1":
        return op, text.encode("latin-1", "replace")
    if op == "bom":
        return op, b"\xef\xbb\xbf" + data
    return op, data.replace(b"\r\n", b"\r").replace(b"\n", b"\r")


# -- containers ----------------------------------------------------------------------------------------------


def _zip_bytes(name: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    op = rng.choice(["rezip", "corrupt-body", "not-data-member", "encrypted-flag", "unknown-method"])
    buf = io.BytesIO()
    member = "readme.pdf" if op == "not-data-member" else name
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, data)
    raw = bytearray(buf.getvalue())
    if op == "corrupt-body" and len(raw) > 80:
        for k in range(30, min(len(raw) - 30, 60)):
            raw[k] = rng.randrange(256)
    for sig, flag_at, method_at in ((b"PK\x01\x02", 8, 10), (b"PK\x03\x04", 6, 8)):
        at = raw.find(sig)
        if op == "encrypted-flag":
            raw[at + flag_at : at + flag_at + 2] = struct.pack("<H", 1)
        if op == "unknown-method":
            raw[at + method_at : at + method_at + 2] = struct.pack("<H", rng.choice([9, 97, 99]))
    return "zip-" + op, bytes(raw)


def _mutate_file(rng: random.Random, path: Path, kind: str) -> list[str]:
    """Mutate ``path`` in place (1-3 mutations); returns their names."""
    data = path.read_bytes()
    gz = data[:2] == b"\x1f\x8b"
    zipped = data[:4] == b"PK\x03\x04"
    member = ""
    if gz:
        data = gzip.decompress(data)
    if zipped:
        with zipfile.ZipFile(path) as zf:
            member = zf.namelist()[0]
            data = zf.read(member)
    done: list[str] = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        layer = rng.random()
        if layer < 0.25:
            op, data = _bytes_mutation(rng, data)
        elif layer < 0.85:
            text = data.decode("utf-8", "surrogateescape")
            mutate = {"google": _json_mutation, "uspto-xml": _xml_mutation}.get(kind, _text_mutation)
            op, text = mutate(rng, text)
            data = text.encode("utf-8", "surrogateescape")
        else:
            op, data = _encoding_mutation(rng, data)
        done.append(op)
    if gz:
        if rng.random() < 0.15:
            body = bytearray(gzip.compress(data))
            body[len(body) // 2 : len(body) // 2 + 8] = bytes(8)
            data = bytes(body)
            done.append("gzip-corrupt-body")
        else:
            data = gzip.compress(data)
    if zipped:
        op, data = _zip_bytes(member, data, rng) if rng.random() < 0.3 else ("rezip", _zip_plain(member, data))
        done.append(op)
    path.write_bytes(data)
    return done


def _zip_plain(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, data)
    return buf.getvalue()


def make_mutant(kind: str, seed: int, work: Path) -> tuple[Path, tuple[str, ...]]:
    """Write the mutant ``seed`` of ``kind``'s seed input under ``work``; returns its path and mutations."""
    rng = random.Random(f"{kind}:{seed}")
    source = SEEDS[kind]
    target = work / source.name
    if source.is_dir():
        shutil.copytree(source, target)
        files = sorted(p for p in target.rglob("*") if p.is_file())
        victim = rng.choice(files)
        names = _mutate_file(rng, victim, kind)
        return target, tuple(f"{victim.name}:{n}" for n in names)
    shutil.copy(source, target)
    return target, tuple(_mutate_file(rng, target, kind))


# -- running ---------------------------------------------------------------------------------------------------


def snapshot(db: Path) -> Any:
    from aieco.store import open_store

    if not db.exists():
        return {}  # as good as an empty store: creating (and migrating) one is not a change of its data
    with open_store(db, read_only=True) as s:
        tables = [
            r[0]
            for r in s.query(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_name <> 'schema_version'"
            )
        ]
        counts = {t: s.scalar(f"SELECT count(*) FROM {t}") for t in sorted(tables)}
        return {t: n for t, n in counts.items() if n}


def _last_run_problem(db: Path, before_runs: int) -> str | None:
    from aieco.store import open_store

    with open_store(db, read_only=True) as s:
        runs = s.query("SELECT run_id, rows_read, rows_accepted, rows_rejected FROM runs ORDER BY run_id")
        if len(runs) <= before_runs:
            return None  # the same input again: a no-op
        run_id, read, accepted, rejected = runs[-1]
        if read != accepted + rejected:
            return f"run {run_id}: rows read {read} != accepted {accepted} + rejected {rejected}"
        stored = s.scalar("SELECT count(*) FROM rejects WHERE run_id = ?", [run_id])
        if stored != rejected:
            return f"run {run_id}: {stored} rejects stored, {rejected} counted"
    return None


def run_mutant(kind: str, path: Path, db: Path, mutations: tuple[str, ...] = ()) -> Outcome:
    """Ingest ``path`` as ``kind`` into ``db`` through the command line, in this process."""
    import traceback

    from aieco.cli import main

    before = snapshot(db)
    before_runs = int(before.get("runs", 0))
    err = io.StringIO()
    escaped = None
    started = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main(["--db", str(db), "ingest", kind, str(path), *SEED_ARGS.get(kind, [])])
        except SystemExit as ex:
            code = int(ex.code or 0) if not isinstance(ex.code, str) else 1
        except BaseException:  # a traceback a user would have seen
            escaped = traceback.format_exc(limit=-3)
            code = -1
    seconds = time.perf_counter() - started
    invariant = None
    if code != 0:
        after = snapshot(db)
        if after != before:
            invariant = f"a failed run changed the store: {before} -> {after}"
    else:
        invariant = _last_run_problem(db, before_runs)
    text = err.getvalue()
    if escaped is None and ("Traceback" in text or "Exception ignored" in text):
        escaped = text[-2000:]
    lines = text.strip().splitlines()
    message = lines[0] if lines else ""
    if code not in (0, -1) and len(lines) != 1:
        invariant = invariant or f"the error is {len(lines)} lines, not one: {lines[:3]}"
    return Outcome(
        kind=kind,
        mutations=mutations,
        exit_code=code,
        traceback=escaped,
        invariant=invariant,
        seconds=seconds,
        message=message[:300],
    )
