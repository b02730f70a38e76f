"""Plain file helpers shared by readers and the store: checksums and readability checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aieco.errors import InputError

_BLOCK = 1 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def sha256_folder(path: Path) -> str:
    """Checksum of a folder of input files (a table set): the sorted relative names and each file's sha256.

    Hidden files (``.DS_Store``, ``._*``) are left out, so copying the folder does not change it.
    """
    files = sorted(p for p in path.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise InputError("empty folder: no input files", path=str(path))
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.relative_to(path).as_posix()}\0{sha256_file(f)}\n".encode())
    return h.hexdigest()


def check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a folder; give a file", path=str(path))
    if path.stat().st_size == 0:
        raise InputError("empty file", path=str(path))


# A physical line of a CSV file longer than this is not read: a pathological field (300 MB in one cell) must
# not have to fit in memory. The line comes through as a marker (sources.files.LineLimiter) that the run
# rejects with the line's size.
LINE_LIMIT = 16 << 20
OVERSIZED = "aieco-oversized-line"


def oversized_reason(raw: str) -> str | None:
    """The reject reason for a row that stands for an oversized line, or None."""
    if not raw.startswith(OVERSIZED + ":"):
        return None
    size = raw[len(OVERSIZED) + 1 :].split(":", 1)[0]
    if not size.isdigit():
        return None
    return f"line of {int(size):,} bytes, over the line limit of {LINE_LIMIT:,}; not read"
