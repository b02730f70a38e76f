"""The ``aieco`` console script: a Ctrl-C at any moment, start-up included, ends without a traceback.

Importing the command line loads DuckDB, Arrow and typer (most of a second); a signal during those imports
would otherwise print a KeyboardInterrupt traceback. Nothing has been written then.
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _settled(code: int) -> None:
    """Leave at once with ``code`` once the message is out: a second Ctrl-C during the interpreter's
    teardown (DuckDB's and Arrow's threads) would print a traceback or abort."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _finished() -> None:
    """The command has ended and said so: a signal from now on is ignored. Python's finalisation puts SIG_DFL
    back for signals that have a Python handler, so a Ctrl-C during the interpreter's teardown would otherwise
    kill the process by the signal, with no message, after a run it had committed and reported (make fuzz's
    SIGINT sweep met this once in 50). It leaves an ignored signal ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM ends aieco as Ctrl-C does: rolled back, with a true message


def main() -> None:
    # a parent that ignored SIGINT (nohup, some CI runners) must not make aieco ignore Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if os.environ.get("AIECO_TEST_HOLD_AT") == "start-up":  # test hook (aieco.signals)
            sys.stderr.write("aieco: holding at start-up\n")
            sys.stderr.flush()
            while True:
                time.sleep(0.02)
        from aieco.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("aieco: interrupted; nothing was written\n")
        _settled(130)
    try:
        cli_main()
    except SystemExit as ex:
        if ex.code == 130:
            _settled(130)
        _finished()
        raise
    except KeyboardInterrupt:  # after the command's own handling (while its output was written)
        from aieco.signals import interrupted_message

        sys.stderr.write(f"aieco: {interrupted_message()}\n")
        _settled(130)
    _finished()


if __name__ == "__main__":
    main()
