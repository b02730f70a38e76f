"""Opening input files: checksums, zip members, encodings, CSV rows with their line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from aieco.errors import InputError
from aieco.files import LINE_LIMIT, OVERSIZED, check_readable

# Bytes that cp1252 leaves undefined; seeing them means the legacy encoding is not Windows-1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_BLOCK = 1 << 20


_ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2",
                zipfile.ZIP_LZMA: "lzma"}


def _zip_member(zf: zipfile.ZipFile, path: Path, suffixes: tuple[str, ...]) -> zipfile.ZipInfo:
    """The one data member of an archive, checked: its name says it is data, it is not encrypted, and its
    compression method is one Python reads (else a one-line error, never NotImplementedError)."""
    members = [i for i in zf.infolist()
               if not i.is_dir() and not i.filename.startswith("__MACOSX/")
               and not Path(i.filename).name.startswith("._")]
    wanted = [i for i in members if i.filename.lower().endswith(suffixes)]
    if len(wanted) != 1:
        kinds = "/".join(suffixes)
        found = ", ".join(i.filename for i in (wanted or members)) or "nothing"
        what = "no data file" if not wanted else "several data files"
        raise InputError(f"zip holds {what} ({kinds}), exactly one expected; found: {found}", path=str(path))
    member = wanted[0]
    if member.flag_bits & 0x1:
        raise InputError(f"zip member {member.filename} is encrypted; unpack it with its password first",
                         path=str(path))
    if member.compress_type not in _ZIP_METHODS:
        raise InputError(f"zip member {member.filename} uses compression method {member.compress_type}, "
                         f"which cannot be read (supported: {', '.join(_ZIP_METHODS.values())}); "
                         "unpack it first", path=str(path))
    return member


csv.field_size_limit(LINE_LIMIT)  # a quoted field spanning many lines: "field larger than field limit"


class LineLimiter(io.RawIOBase):
    """A binary stream whose physical lines (ended by LF, CR or CRLF) longer than ``limit`` bytes are replaced
    by the one-field line ``aieco-oversized-line:<bytes>:``; memory stays within ``limit`` whatever the line."""

    def __init__(self, inner: IO[bytes], limit: int = LINE_LIMIT) -> None:
        self.inner, self.limit = inner, limit
        self.out = bytearray()
        self.tail = bytearray()  # the current, unfinished line
        self.skipping = 0  # bytes of an oversized line skipped so far (0: not skipping)
        self.eof = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(self.inner.seekable())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only back to the start (readers that sniff the first line and start again)."""
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a line-limited stream seeks only to its start")
        self.inner.seek(0)
        self.out.clear()
        self.tail.clear()
        self.skipping, self.eof = 0, False
        return 0

    @staticmethod
    def _first_end(block: bytes) -> int:
        ends = [i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0]
        return min(ends) if ends else -1

    def _marker(self, size: int) -> bytes:
        return f"{OVERSIZED}:{size}:".encode()

    def _fill(self) -> None:
        # a line wholly inside one block is shorter than the block, so no longer than the limit
        block = self.inner.read(min(1 << 20, self.limit))
        if not block:
            self.eof = True
            if self.skipping:
                self.out += self._marker(self.skipping)
            self.out += self.tail
            self.tail.clear()
            return
        if self.skipping:
            end = self._first_end(block)
            if end < 0:
                self.skipping += len(block)
                return
            self.out += self._marker(self.skipping + end)
            self.skipping = 0
            block = block[end:]  # the line end itself passes through
        last = max(block.rfind(b"\n"), block.rfind(b"\r"))
        if last < 0:
            self.tail += block
        else:
            first = self._first_end(block)
            if len(self.tail) + first > self.limit:  # the unfinished line ends here, too long
                self.out += self._marker(len(self.tail) + first)
                block = block[first:]
                last -= first
                self.tail.clear()
            self.out += self.tail
            self.out += block[: last + 1]
            self.tail = bytearray(block[last + 1 :])
        if len(self.tail) > self.limit:
            self.skipping = len(self.tail)
            self.tail.clear()

    def readinto(self, buffer: Any) -> int:
        while not self.out and not self.eof:
            self._fill()
        n = min(len(buffer), len(self.out))
        buffer[:n] = self.out[:n]
        del self.out[:n]
        return n


@contextmanager
def open_binary(path: Path, suffixes: tuple[str, ...] = (".csv", ".tsv", ".txt"), *,
                limit_lines: bool = True) -> Iterator[IO[bytes]]:
    """The file's bytes; for a .zip, the one data member inside. Corrupt archives are InputErrors. With
    ``limit_lines``, lines over :data:`LINE_LIMIT` come through as markers (see :class:`LineLimiter`)."""
    with _open_binary(path, suffixes) as fh:
        yield io.BufferedReader(LineLimiter(fh)) if limit_lines else fh


@contextmanager
def _open_binary(path: Path, suffixes: tuple[str, ...]) -> Iterator[IO[bytes]]:
    check_readable(path)
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
            member = _zip_member(zf, path, suffixes)
            fh = zf.open(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
            raise InputError(f"corrupt or truncated zip archive ({err})", path=str(path)) from err
        try:
            with zf, fh:
                yield fh
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise InputError(f"corrupt or truncated zip archive ({err})", path=str(path)) from err
    elif path.suffix.lower() == ".zip":
        raise InputError("not a valid zip archive (truncated or corrupt)", path=str(path))
    else:
        with open(path, "rb") as fh:
            yield fh


@dataclass(frozen=True, kw_only=True)
class Encoding:
    name: str
    detected: bool  # True when aieco chose a legacy encoding because the bytes are not UTF-8
    reason: str = ""
    lines: int = 0  # physical lines (LF, CRLF or lone CR each end one)
    blank_lines: bool = False  # any empty line: records and lines may then not correspond one to one


class LineCounter:
    """Counts physical lines (LF, CRLF or lone CR each end one) and notices empty lines, block by block."""

    def __init__(self) -> None:
        self.lf = self.cr = self.crlf = 0
        self.blank = False
        self.last = b""

    def feed(self, block: bytes) -> None:
        tail = self.last[-3:]
        joined = tail + block  # terminators that straddle two blocks are counted once
        self.lf += block.count(b"\n")
        self.cr += block.count(b"\r")
        self.crlf += joined.count(b"\r\n") - tail.count(b"\r\n")
        if not self.blank and (b"\n\n" in joined or b"\r\r" in joined or b"\n\r\n" in joined):
            self.blank = True
        if block:
            self.last = block

    @property
    def lines(self) -> int:
        unterminated = 1 if self.last and self.last[-1:] not in (b"\n", b"\r") else 0
        return self.lf + self.cr - self.crlf + unterminated


class CountingReader(io.RawIOBase):
    """A binary stream that counts lines as another reader (Arrow's CSV parser) pulls bytes through it."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.counter = LineCounter()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self.inner.read(size)
        self.counter.feed(block)
        return block

    def readinto(self, buffer: Any) -> int:
        block = self.read(len(buffer))
        buffer[: len(block)] = block
        return len(block)


def detect_encoding(path: Path) -> Encoding:
    """UTF-8 when every byte decodes as UTF-8; else Mac Roman or Windows-1252, decided by the bytes.

    The same pass counts physical lines, so a fast reader can check that each record is one line.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    counter = LineCounter()
    with open_binary(path) as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            if utf8_ok:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8_ok = False
            counter.feed(block)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    lines, blank = counter.lines, counter.blank
    if utf8_ok:
        return Encoding(name="utf-8", detected=False, lines=lines, blank_lines=blank)
    high = _high_bytes(path)
    if high & _CP1252_UNDEFINED:
        return Encoding(name="mac_roman", detected=True, lines=lines, blank_lines=blank,
                        reason="not UTF-8; bytes undefined in Windows-1252 (0x81/0x8D/0x8F/0x90/0x9D) occur, "
                               "so read as Mac Roman")
    return Encoding(name="cp1252", detected=True, reason="not UTF-8; read as Windows-1252", lines=lines,
                    blank_lines=blank)


def _high_bytes(path: Path) -> set[int]:
    high: set[int] = set()
    with open_binary(path) as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            high.update(block.translate(None, bytes(range(0x80))))
    return high


@contextmanager
def open_text(path: Path, encoding: str) -> Iterator[io.TextIOWrapper]:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=str(path)) from None
    with open_binary(path) as fh:
        # errors="replace" keeps a row whose bytes do not fit a user-forced encoding: never drop a row.
        yield io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")


def check_header(path: Path, header: list[str], *, what: str, required: tuple[str, ...],
                 known: frozenset[str] | set[str] | None = None) -> None:
    """Refuse a header that lacks a required column, has an unknown one (when ``known`` is given) or repeats
    one: the one-line error names the file, line 1 and the columns."""
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"not a {what} header: missing {', '.join(missing)} (got {', '.join(header[:6])}…)",
                         path=str(path), line=1)
    unknown = [h for h in header if known is not None and h not in known]
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(unknown)} in a {what} header", path=str(path), line=1)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(f"column(s) repeated in header: {', '.join(dupes)}", path=str(path), line=1)


class CsvRows:
    """CSV records with the physical line each starts on. Handles CR, LF and CRLF line ends."""

    def __init__(self, text: IO[str], *, path: Path, delimiter: str = ",") -> None:
        self._reader = csv.reader(text, delimiter=delimiter, strict=False)
        self.path = path
        self.header: list[str] = []

    def read_header(self) -> list[str]:
        try:
            header = next(self._reader)
        except StopIteration:
            raise InputError("empty file: no header line", path=str(self.path)) from None
        except (csv.Error, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise InputError(f"unreadable header ({err})", path=str(self.path), line=1) from err
        self.header = [h.strip().lstrip("\ufeff") for h in header]
        return self.header

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (zipfile.BadZipFile, zlib.error, EOFError) as err:
                raise InputError(f"corrupt or truncated zip archive ({err})", path=str(self.path),
                                 line=line) from err
            except csv.Error as err:
                raise InputError(f"malformed CSV ({err})", path=str(self.path), line=line) from err
            if row:  # blank lines are not records
                yield line, row
            line = reader.line_num + 1
