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


def check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a folder; give a file", path=str(path))
    if path.stat().st_size == 0:
        raise InputError("empty file", path=str(path))
