"""Nothing lost, nothing half-done: no-op re-ingest, --replace, bad input, Ctrl-C and SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from aieco.errors import InputError
from aieco.sources.cset1790 import Cset1790Reader
from aieco.store import open_store
from aieco.store.ingest import ingest
from conftest import FIXTURES, ROOT, shared_path

L45 = FIXTURES / "cset1790" / "layout45.csv"
L46 = FIXTURES / "cset1790" / "layout46.csv"
LENS = FIXTURES / "lens" / "current.csv"


def aieco(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "aieco", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)


def snapshot(db: Path) -> dict[str, object]:
    with open_store(db, read_only=True) as s:
        tables = [r[0] for r in s.query("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main' ORDER BY 1")]
        out: dict[str, object] = {t: s.scalar(f"SELECT count(*) FROM {t}") for t in tables}
        out["runs"] = s.query("SELECT run_id, kind, sha256, rows_read FROM runs ORDER BY run_id")
        out["docs"] = s.scalar("SELECT sum(doc_id % 1000003) FROM documents")
    return out


@pytest.fixture
def loaded(db_path):
    result = aieco(db_path, "ingest", "cset1790", L45)
    assert result.returncode == 0, result.stderr
    return db_path


def test_same_file_again_is_a_noop(loaded):
    before = snapshot(loaded)
    again = aieco(loaded, "ingest", "cset1790", L45)
    assert again.returncode == 0
    assert again.stdout.startswith("already loaded:") and "same sha256 as run 1" in again.stdout
    assert snapshot(loaded) == before


def test_replace_replaces_the_run(loaded):
    aieco(loaded, "ingest", "cset1790", L46)
    before = snapshot(loaded)
    result = aieco(loaded, "ingest", "cset1790", L45, "--replace")
    assert result.returncode == 0, result.stderr
    assert "replaced run 1 with run 3" in result.stdout
    after = snapshot(loaded)
    assert after["documents"] == before["documents"] == 8
    assert after["docs"] == before["docs"]  # the same document ids: run 2's enrichment still links
    assert [r[0] for r in after["runs"]] == [2, 3]  # type: ignore[union-attr]
    assert after["categories"] == before["categories"]


def _corrupt_copies(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Corrupted copies of the real files: (ingest args, what the one-line error must say)."""
    real_zip = shared_path("cset-1790", "patent_database-7b5b096.csv.zip")
    pizza = shared_path("lens", "pizza_lens_1000_raw.csv")
    data = real_zip.read_bytes()
    truncated = tmp / "truncated.csv.zip"
    truncated.write_bytes(data[: len(data) // 2])
    # bad bytes inside the compressed stream: the archive opens, reading it fails midway
    info = zipfile.ZipFile(real_zip).getinfo("patent_database.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    bad = bytearray(data)
    for k in range(start + 2_000_000, start + 2_000_400):
        bad[k] ^= 0x5A
    badbytes = tmp / "badbytes.csv.zip"
    badbytes.write_bytes(bytes(bad))
    # header names in another order than the values below them
    with zipfile.ZipFile(real_zip) as zf:
        text = zf.read("patent_database.csv").decode()
    header, _, body = text.partition("\n")
    names = header.split(",")
    names[0], names[1], names[3] = names[3], names[0], names[1]
    shuffled = tmp / "shuffled.csv"
    shuffled.write_text(",".join(names) + "\n" + body)
    empty = tmp / "empty.csv"
    empty.write_bytes(b"")
    header_only = tmp / "header_only.csv"
    header_only.write_text("")
    garbage = tmp / "garbage.csv"
    garbage.write_bytes(b"\x00\x01\x02 not, a, patent, file\n1,2,3,4\n")
    return {
        "truncated zip": (["cset1790", str(truncated)], "not a valid zip archive"),
        "bad bytes": (["cset1790", str(badbytes)], "corrupt or truncated zip archive"),
        "shuffled header": (["cset1790", str(shuffled)], "the columns do not match the data"),
        "empty": (["cset1790", str(empty)], "empty file"),
        "missing": (["cset1790", str(tmp / "nope.csv")], "no such file"),
        "folder": (["cset1790", str(tmp)], "is a folder"),
        "wrong kind": (["cset1790", str(pizza)], "not a CSET/1790 patent database header"),
        "unknown header": (["lens", str(garbage)], "not a Lens.org export header"),
        "unknown kind": (["patents-from-mars", str(empty)], "unknown ingest kind"),
    }


def test_bad_input_one_line_error_exit_2_store_unchanged(loaded, tmp_path):
    before = snapshot(loaded)
    for case, (args, message) in _corrupt_copies(tmp_path).items():
        result = aieco(loaded, "ingest", *args)
        assert result.returncode == 2, (case, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (case, result.stderr)
        assert lines[0].startswith("aieco: error: ") and message in lines[0], (case, lines[0])
        if case != "unknown kind":
            assert args[1] in lines[0], (case, lines[0])  # names the file
        assert "Traceback" not in result.stderr
        assert snapshot(loaded) == before, case


def test_library_error_leaves_store_unchanged(store):
    ingest(store, Cset1790Reader(), L45)
    before = store.query("SELECT count(*), sum(doc_id % 1000) FROM documents")

    class Exploding(Cset1790Reader):
        def _transform(self, ctx, categories):  # type: ignore[no-untyped-def]
            super()._transform(ctx, categories)
            ctx.reject(99, "row", "staged, then the reader fails")
            raise InputError("boom", path="x")

    with pytest.raises(InputError):
        ingest(store, Exploding(), L46)
    assert store.query("SELECT count(*), sum(doc_id % 1000) FROM documents") == before
    assert store.scalar("SELECT count(*) FROM runs") == 1
    assert store.scalar("SELECT count(*) FROM rejects WHERE reason LIKE 'staged%'") == 0


def test_keyboard_interrupt_rolls_back(store):
    class Interrupted(Cset1790Reader):
        def _transform(self, ctx, categories):  # type: ignore[no-untyped-def]
            super()._transform(ctx, categories)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(store, Interrupted(), L45)
    assert store.scalar("SELECT count(*) FROM documents") == 0
    assert ingest(store, Cset1790Reader(), L45).run.rows_accepted == 8  # still usable


def test_sigkill_mid_ingest_leaves_store_unchanged_and_usable(loaded):
    """SIGKILL while the real CSET file's rows are staged and merged (held there by the test hook, so the
    kill lands mid-ingest however fast or busy the machine): DuckDB discards the uncommitted transaction."""
    from test_signals import held

    before = snapshot(loaded)
    real = shared_path("cset-1790", "patent_database-7b5b096.csv.zip")
    proc = held(loaded, "merge", "ingest", "cset1790", str(real))
    proc.kill()
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(loaded) == before
    result = aieco(loaded, "ingest", "lens", LENS)
    assert result.returncode == 0, result.stderr
    assert snapshot(loaded)["documents"] == 12


def test_store_copy_opens_read_only(loaded, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(loaded, copy)
    assert aieco(copy, "stats", "--format", "json").returncode == 0


def test_a_full_disk_is_not_reported_as_memory(store, monkeypatch):
    """DuckDB reports a spill folder it could not write as 'Out of Memory Error: failed to offload …'
    (seen on a 3 MB tmpfs with the real CSET file); the user must read that the disk is full."""
    import duckdb

    from aieco.errors import StoreError

    class FullDisk(Cset1790Reader):
        def read(self, path, ctx):  # type: ignore[no-untyped-def]
            raise duckdb.OutOfMemoryException(
                "Out of Memory Error: failed to offload data block of size 256.0 KiB (2.5 MiB/2.6 MiB used).\n"
                "This limit was set by the 'max_temp_directory_size' setting.")

    class NoMemory(Cset1790Reader):
        def read(self, path, ctx):  # type: ignore[no-untyped-def]
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256 KiB "
                                              "(400.0 MiB/400.0 MiB used)")

    with pytest.raises(StoreError, match="the disk is full .*nothing was written; free space"):
        ingest(store, FullDisk(), L45)
    with pytest.raises(StoreError, match="ran out of memory .*raise AIECO_INGEST_MEMORY_LIMIT"):
        ingest(store, NoMemory(), L45)
    assert store.scalar("SELECT count(*) FROM runs") == 0


def test_a_file_of_repeats_is_not_a_wrong_header(store, tmp_path):
    """The fixture's 8 good rows 150 times (1,200 rows, 1,192 exact repeats, over the 90% of the guard): the 8
    are accepted, the repeats rejected as repeats — not refused as 'a shuffled or wrong header'."""
    first = ingest(store, Cset1790Reader(), L45).run
    lines = L45.read_text("utf-8").splitlines()
    good = [lines[i] for i in sorted(set(range(1, len(lines))) - {r[0] - 1 for r in store.query(
        "SELECT line FROM rejects WHERE run_id = ?", [first.run_id])})]
    assert len(good) == 8
    path = tmp_path / "repeats.csv"
    path.write_text("\n".join([lines[0], *(good * 150)]) + "\n", encoding="utf-8")
    run = ingest(store, Cset1790Reader(), path).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (1200, 8, 1192)
    assert store.scalar("SELECT count(*) FROM rejects WHERE run_id = ? AND reason LIKE 'exact repeat of line %'",
                        [run.run_id]) == 1192
