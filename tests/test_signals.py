"""Ctrl-C and SIGTERM at every stage of an ingest, tested without depending on timing.

The test-only hook ``AIECO_TEST_HOLD_AT=STAGE`` blocks the run at a named stage (staging, merge, commit) and
prints ``aieco: holding at STAGE``; the test waits for that line, sends the signal and checks what the user
reads and what the store holds. However busy the machine, the signal lands at that stage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from aieco.errors import InterruptedAfterCommit
from aieco.signals import SignalGuard, committed, held_through_commit, interrupted_message
from aieco.store import open_store
from conftest import FIXTURES, ROOT
from test_ingest import L46, LENS, aieco, snapshot

NOTHING = "aieco: interrupted; nothing was written"


def held(db: Path, stage: str, *args: str) -> subprocess.Popen[str]:
    """Start ``aieco --db DB ARGS`` held at ``stage``; return once it says it is holding there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AIECO_TEST_HOLD_AT": stage}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aieco", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    watchdog = threading.Timer(300, proc.kill)  # a hold that never comes must not hang the suite
    watchdog.start()
    try:
        line = proc.stderr.readline()  # type: ignore[union-attr]
    finally:
        watchdog.cancel()
    assert line.strip() == f"aieco: holding at {stage}", line + proc.communicate()[1]
    return proc


def finish(proc: subprocess.Popen[str], sig: int) -> tuple[int, str]:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


@pytest.fixture
def loaded(db_path):
    result = aieco(db_path, "ingest", "lens", LENS)
    assert result.returncode == 0, result.stderr
    return db_path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize(
    ("stage", "kind", "path"),
    [
        ("staging", "cset1790", L46),  # set-based reader: raw CSV staged through Arrow
        ("staging", "lens", FIXTURES / "lens" / "older_macroman.csv"),  # row-by-row reader
        ("merge", "cset1790", L46),
    ],
)
def test_signal_before_commit_writes_nothing(loaded, sig, stage, kind, path):
    before = snapshot(loaded)
    code, err = finish(held(loaded, stage, "ingest", kind, str(path)), sig)
    assert (code, err.strip()) == (130, NOTHING)
    assert snapshot(loaded) == before
    assert aieco(loaded, "ingest", kind, str(path)).returncode == 0  # the store takes the run afterwards


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_once_the_commit_began_completes_the_run_and_says_so(loaded, sig):
    before = snapshot(loaded)
    code, err = finish(held(loaded, "commit", "ingest", "cset1790", str(L46)), sig)
    assert code == 130
    assert err.strip() == "aieco: interrupted after run 2 was committed; it is in the store"
    after = snapshot(loaded)
    assert after["runs"][:-1] == before["runs"] and after["runs"][-1][:2] == (2, "cset1790")  # type: ignore[index]
    assert after["documents"] > before["documents"]  # type: ignore[operator]


def test_signal_during_start_up_is_no_traceback(db_path):
    code, err = finish(held(db_path, "start-up", "stats"), signal.SIGINT)
    assert (code, err.strip()) == (130, NOTHING)
    assert not db_path.exists()


def test_a_classification_is_guarded_too(loaded):
    before = snapshot(loaded)
    code, err = finish(held(loaded, "commit", "classify", "--definition", "core-ai-cpc"), signal.SIGINT)
    assert code == 130 and "was committed; it is in the store" in err and "Traceback" not in err
    assert snapshot(loaded) != before


def test_guard_in_process_rolls_back_and_reports_after_commit(tmp_path):
    """The library's own view: a signal before the commit is a KeyboardInterrupt and a rollback; one during
    the commit completes it and raises InterruptedAfterCommit; the message for later signals stays true."""
    store = open_store(tmp_path / "s.duckdb")
    store.con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(KeyboardInterrupt), store.transaction(what="the test rows"):
        store.con.execute("INSERT INTO t VALUES (1)")
        os.kill(os.getpid(), signal.SIGINT)
        store.con.execute("SELECT 1").fetchall()
    assert store.scalar("SELECT count(*) FROM t") == 0
    committed.clear()
    assert interrupted_message() == "interrupted; nothing was written"
    with pytest.raises(InterruptedAfterCommit, match="the test rows was committed"):
        with store.transaction(what="the test rows"):
            store.con.execute("INSERT INTO t VALUES (2)")
            assert store.guard is not None
            store.guard.committing = True  # as if the commit had begun when the signal came
            os.kill(os.getpid(), signal.SIGTERM)
    assert store.scalar("SELECT count(*) FROM t") == 1
    assert interrupted_message() == "interrupted after the test rows was committed; it is in the store"
    held_through_commit.clear()
    assert interrupted_message().startswith("interrupted; nothing more was written (the test rows was")
    committed.clear()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handlers restored
    with SignalGuard(store.con):
        assert signal.getsignal(signal.SIGINT) != signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) == signal.default_int_handler
    store.close()


@pytest.mark.parametrize("ending", ["returns", "exits 0", "exits 2"])
def test_once_the_command_has_ended_a_signal_is_ignored_not_fatal(monkeypatch, ending):
    """Python's finalisation puts SIG_DFL back for signals with a Python handler: a Ctrl-C during the teardown
    of a finished, committed run killed the process silently (make fuzz's SIGINT sweep, 1 of 50). Once the
    command has ended, the console script ignores SIGINT and SIGTERM (an ignored signal stays ignored)."""
    import signal

    import aieco.cli
    from aieco import entry

    def command() -> None:
        if ending != "returns":
            raise SystemExit(0 if ending == "exits 0" else 2)

    monkeypatch.setattr(aieco.cli, "main", command)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ending == "returns":
            entry.main()
        else:
            with pytest.raises(SystemExit):
                entry.main()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
