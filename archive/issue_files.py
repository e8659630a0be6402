"""Finding and reading the issue files ingest is given.

Paths named on the command line, the ``*.txt`` files under directories, and
globs. The walk says what it passed over and why: a FIFO, socket or device
(opening one would block or read forever), a link that leads nowhere or back
into itself, a directory that cannot be listed, a file that cannot be read.
Nothing is skipped in silence; the ingest command exits non-zero when
anything was.

Reading is bounded before anything is parsed: the file's size, then the
length of every line (see the ``INGEST_MAX_*`` settings and where their
figures come from in ``config/settings.py``).
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from archive.parsing.decoding import DecodeError, decode_issue_bytes

ISSUE_SUFFIX = ".txt"


class IngestError(Exception):
    """A file that cannot go in; the message is one line for the user."""


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.path}: skipped, {self.reason}"


@dataclass
class FoundFiles:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _kind(mode: int) -> str | None:
    """What a non-regular, non-directory file is, for a reason line."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return None


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when it can."""
    try:
        os.stat(path)
    except OSError as exc:
        target = os.readlink(path)
        if exc.errno == errno.ELOOP:
            return f"symbolic link loop (→ {target})"
        if exc.errno == errno.ENOENT:
            return f"dangling symbolic link (→ {target}, which does not exist)"
        return f"symbolic link cannot be followed (→ {target}: {exc.strerror})"
    return None


def find_issue_files(patterns: Iterable[str]) -> FoundFiles:
    found = FoundFiles()
    for pattern in patterns:
        path = Path(pattern)
        if path.is_symlink() and (problem := _link_problem(path)):
            found.skipped.append(Skipped(pattern, problem))
        elif path.is_dir():
            _walk(path, found, visited=set())
        elif os.path.lexists(path):
            _add_named_file(path, found)
        else:
            matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
            if not matches:
                raise IngestError(f"{pattern}: no such file, directory or matching files")
            for match in matches:
                if match.is_dir():
                    continue
                _add_named_file(match, found)
    found.files = _unique(found.files)
    return found


def _add_named_file(path: Path, found: FoundFiles) -> None:
    """A file the user named: any name, but a regular file."""
    if path.is_symlink() and (problem := _link_problem(path)):
        found.skipped.append(Skipped(str(path), problem))
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        found.skipped.append(Skipped(str(path), f"cannot read ({exc.strerror})"))
        return
    kind = _kind(mode)
    if kind:
        found.skipped.append(Skipped(str(path), f"{kind}, not a regular file"))
    else:
        found.files.append(path)


def _walk(directory: Path, found: FoundFiles, visited: set[tuple[int, int]]) -> None:
    """The ``*.txt`` files under ``directory``, following links to directories
    once each (a link back up the tree would otherwise never end)."""
    try:
        info = os.stat(directory)
    except OSError as exc:
        found.skipped.append(Skipped(str(directory), f"cannot read directory ({exc.strerror})"))
        return
    key = (info.st_dev, info.st_ino)
    if key in visited:
        found.skipped.append(Skipped(str(directory), "symbolic link to a directory already walked (a loop)"))
        return
    visited.add(key)
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        found.skipped.append(Skipped(str(directory), f"cannot read directory ({exc.strerror})"))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink() and (problem := _link_problem(path)):
            found.skipped.append(Skipped(str(path), problem))
            continue
        try:
            mode = entry.stat().st_mode
        except OSError as exc:
            found.skipped.append(Skipped(str(path), f"cannot read ({exc.strerror})"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, found, visited)
        elif kind := _kind(mode):
            # Reported whatever its name: a pipe named like a note is still a
            # thing someone put in the issues folder.
            found.skipped.append(Skipped(str(path), f"{kind}, not a regular file"))
        elif path.suffix.lower() == ISSUE_SUFFIX:
            if not os.access(path, os.R_OK):
                found.skipped.append(Skipped(str(path), "cannot read (Permission denied)"))
            else:
                found.files.append(path)


def _unique(paths: list[Path]) -> list[Path]:
    unique, seen = [], set()
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_issue_file(path: Path) -> tuple[str, str]:
    """Return the decoded text and its encoding, or raise :class:`IngestError`.

    Opened without blocking and checked to be a regular file on the open
    descriptor, so a FIFO swapped in after the walk cannot hang the run; read
    no further than the size limit; every line checked against the line limit
    before the parser sees the text."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror})") from exc
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        kind = _kind(info.st_mode)
        if kind or not stat.S_ISREG(info.st_mode):
            raise IngestError(f"{path}: {kind or 'a special file'}, not a regular file")
        limit = settings.INGEST_MAX_BYTES
        if info.st_size > limit:
            raise IngestError(
                f"{path}: file is {human_size(info.st_size)}, over the {human_size(limit)} limit (INGEST_MAX_BYTES)"
            )
        # A file still growing is read up to the limit and one byte more.
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise IngestError(f"{path}: file grew past the {human_size(limit)} limit while read (INGEST_MAX_BYTES)")
    try:
        text, encoding = decode_issue_bytes(data)
    except DecodeError as exc:
        raise IngestError(f"{path}: {exc}") from exc
    check_line_lengths(text, str(path))
    return text, encoding


def check_line_lengths(text: str, name: str) -> None:
    limit = settings.INGEST_MAX_LINE_CHARS
    start = 0
    number = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        number += 1
        if end - start > limit:
            raise IngestError(
                f"{name}: line {number} has {end - start:,} characters, over the limit of {limit:,} "
                "(INGEST_MAX_LINE_CHARS); split it where the paragraphs end"
            )
        start = end + 1


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
