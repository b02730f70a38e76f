"""One root for every error aieco raises on purpose.

Each error carries a one-line, user-facing message and an exit code; the CLI prints the message and exits
with the code, never a traceback. Subclasses also inherit the builtin they resemble, so library users can
catch ``LookupError`` or ``ValueError`` as usual.
"""

from __future__ import annotations


class AiecoError(Exception):
    """Root of aieco's errors. ``str(err)`` is the one-line message shown to the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)


class InputError(AiecoError, ValueError):
    """A file or value given by the user cannot be read as asked (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}"
            if field:
                where += f" [{field}]"
            where += ": "
        super().__init__(where + message)
        self.path, self.line, self.field = path, line, field


class UnknownName(AiecoError, LookupError):
    """A kind, definition, group, run or other named thing does not exist (exit 2)."""

    exit_code = 2


class StoreError(AiecoError, RuntimeError):
    """The store cannot be opened, migrated or queried."""

    exit_code = 3


class UnsupportedMethod(AiecoError, ValueError):
    """The loaded data cannot support the counting method asked for (exit 4)."""

    exit_code = 4


class DefinitionError(AiecoError, ValueError):
    """A definition file is malformed (exit 2)."""

    exit_code = 2


class MissingDependency(AiecoError, ImportError):
    """An optional part is not installed; the message gives the exact install command."""

    exit_code = 5

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed: run `.venv/bin/pip install -e '.[{extra}]'`")


class Interrupted(AiecoError, KeyboardInterrupt):
    """The user interrupted a run; nothing was written (exit 130)."""

    exit_code = 130


class InterruptedAfterCommit(AiecoError, KeyboardInterrupt):
    """A signal arrived once the commit had begun: the run was completed and is in the store (exit 130)."""

    exit_code = 130

    def __init__(self, what: str) -> None:
        super().__init__(f"interrupted after {what} was committed; it is in the store")
        self.what = what


class SettingError(AiecoError, ValueError):
    """A setting (an AIECO_* environment variable) has a value aieco cannot use (exit 2)."""

    exit_code = 2


class RateNotFound(AiecoError, LookupError):
    """No exchange rate for the currency, date and method asked, and no fallback rule was allowed (exit 4)."""

    exit_code = 4
