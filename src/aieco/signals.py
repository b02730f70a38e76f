"""Ctrl-C and SIGTERM during a run, honest at every moment.

Before the commit begins, a signal aborts the run: the connection is interrupted (so that DuckDB and Arrow
work stops at once), ``KeyboardInterrupt`` unwinds the transaction, the store is as it was and the user reads
"interrupted; nothing was written". From the moment the commit begins the signal is held: the run completes,
and then :class:`InterruptedAfterCommit` says that it was written (exit 130). Every committed run is recorded
in :data:`committed`, so a signal that arrives later (while the result is printed) is reported truthfully.

Tests block a run at a named stage with the test-only environment variable ``AIECO_TEST_HOLD_AT``
(``staging``, ``merge`` or ``commit``): the process prints ``aieco: holding at STAGE`` on stderr and waits for
a signal, so that each stage is tested without depending on timing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

from aieco.errors import InterruptedAfterCommit

HOLD_ENV = "AIECO_TEST_HOLD_AT"  # test-only, deliberately not a setting
STAGES = ("staging", "merge", "commit")
committed: list[str] = []  # what this process has committed ("run 3"), in order
held_through_commit: list[str] = []  # commits during which a signal arrived (and was held)
_active: list[SignalGuard] = []


class SignalGuard:
    """Installs SIGINT/SIGTERM handlers for one run on ``con`` (a no-op outside the main thread)."""

    def __init__(self, con: Any, what: str = "the changes") -> None:
        self.con = con
        self.what = what  # what a commit writes, for the messages ("run 3")
        self.committing = False
        self.pending: int | None = None
        self._held: set[str] = set()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> SignalGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        _active.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _active.remove(self)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.committing:
            self.pending = signum  # the commit has begun: finish it, then say so
            return
        self.pending = signum
        with contextlib.suppress(Exception):
            self.con.interrupt()
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def commit(self) -> Iterator[None]:
        """The commit: signals are held until it is done; then a held one raises InterruptedAfterCommit."""
        self.committing = True
        hold_at("commit")
        yield
        committed.append(self.what)
        if self.pending is not None:
            held_through_commit.append(self.what)
            raise InterruptedAfterCommit(self.what)

    def hold(self, stage: str) -> None:
        if stage in self._held or os.environ.get(HOLD_ENV) != stage:
            return
        self._held.add(stage)
        sys.stderr.write(f"aieco: holding at {stage}\n")
        sys.stderr.flush()
        while self.pending is None:  # a signal before the commit raises out of this loop
            time.sleep(0.02)


def hold_at(stage: str) -> None:
    """Test hook: block the active run at ``stage`` until a signal arrives (when AIECO_TEST_HOLD_AT says so)."""
    if _active:
        _active[-1].hold(stage)


def interrupted_message() -> str:
    """What to tell a user whose Ctrl-C ended the command: true whatever this process committed before.

    The command line framework turns every KeyboardInterrupt (InterruptedAfterCommit included) into its own
    abort, so the message is made from what was recorded here, not from the exception."""
    if held_through_commit:
        return str(InterruptedAfterCommit(held_through_commit[-1]))
    if committed:
        done = ", ".join(committed)
        verb = "was" if len(committed) == 1 else "were"
        return f"interrupted; nothing more was written ({done} {verb} committed before and is in the store)"
    return "interrupted; nothing was written"
