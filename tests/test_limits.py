"""Bounded memory for pathological fields: CSV lines over the line limit are rejects, never read whole."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from aieco.files import LINE_LIMIT
from aieco.sources.files import LineLimiter
from aieco.sources.lens import LensReader
from aieco.store.ingest import ingest
from conftest import FIXTURES


def _limited(data: bytes, limit: int) -> bytes:
    return io.BufferedReader(LineLimiter(io.BytesIO(data), limit), buffer_size=7).read()


def _expected(data: bytes, limit: int) -> bytes:
    parts = re.split(rb"(\r\n|\r|\n)", data)
    out = []
    for i, part in enumerate(parts):
        is_end = i % 2 == 1
        out.append(part if is_end or len(part) <= limit else f"aieco-oversized-line:{len(part)}:".encode())
    return b"".join(out)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.sampled_from([b"\n", b"\r\n", b"\r", b""])), max_size=30),
    st.integers(1, 25),
)
def test_lines_over_the_limit_become_markers_and_the_rest_is_unchanged(lines, limit):
    data = b"".join(b"x" * n + end for n, end in lines)
    assert _limited(data, limit) == _expected(data, limit)


def test_a_lens_row_with_a_20_mb_field_is_a_reject_with_its_size(store, tmp_path):
    lines = (FIXTURES / "lens" / "current.csv").read_text("utf-8").splitlines()
    cells = lines[2].split(",")
    cells[-1] = "y" * (20 << 20)
    path = tmp_path / "big.csv"
    path.write_text("\n".join([lines[0], lines[1], ",".join(cells), *lines[3:]]) + "\n", encoding="utf-8")
    run = ingest(store, LensReader(), path).run
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    size = len(",".join(cells).encode())
    assert store.query("SELECT field, reason FROM rejects WHERE line = 3") == [
        ("row", f"line of {size:,} bytes, over the line limit of {LINE_LIMIT:,}; not read")
    ]
