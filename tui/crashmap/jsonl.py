"""JSON Lines fleet files: one snapshot per line, the fast format for thousands of hosts.

Each line is one JSON object with the keys of a snapshot YAML (``crashmap_snapshot: 1`` ...
``iomem``), checked the same way (:func:`crashmap.snapshot.from_mapping`). Reading streams the
file line by line; a bad line is reported with its number and the rest is still read.
:func:`append_line` adds one line with one ``write`` and never leaves half a line behind.
"""

from __future__ import annotations

import contextlib
import os
from json import loads

from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

    from crashmap.snapshot import Snapshot

MAX_LINE = 64 << 20
"""A record longer than this is refused (a real snapshot is tens of KiB)."""
CHUNK = 1 << 17
"""Bytes read at once (128 KiB: larger blocks were slower, leaving the CPU caches)."""


def read_mappings(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, decoded JSON value)`` per non-blank line, or a :class:`CrashmapError`
    in place of the value for a line that is not JSON. Raises only if the file cannot be
    opened."""
    name = str(path)
    for number, raw in read_lines(path):
        yield number, raw if isinstance(raw, CrashmapError) else decode_line(raw, name, number)


def read_lines(path: str | Path) -> Iterator[tuple[int, bytes | CrashmapError]]:
    """``(line number, the line's bytes)`` per non-blank line, undecoded (see
    :func:`decode_line`), or a :class:`CrashmapError` for a line that cannot be read or is
    longer than :data:`MAX_LINE`. Raises only if the file cannot be opened.

    The file is read in :data:`CHUNK` blocks and cut at ``find(b"\\n")`` (memchr): half the
    cost of ``readline``, which looks at each byte in a loop of its own."""
    name = str(path)
    try:
        handle = open(path, "rb", buffering=0)  # noqa: SIM115 (closed below; a generator holds it)
    except OSError as error:
        raise CrashmapError(f"cannot read: {error.strerror or error}", path=name) from None
    with handle:
        number = 0
        read, size, limit = handle.read, CHUNK, MAX_LINE
        head: list[bytes] = []  # the start of a line that goes on in the next chunk
        held = 0  # its length
        skip = False  # the rest of a line found longer than MAX_LINE
        while True:
            try:
                chunk = read(size)
            except OSError as error:
                yield number + 1, CrashmapError(f"cannot read: {error.strerror or error}",
                                                path=name, line=number + 1)
                return
            if not chunk:
                break
            find = chunk.find
            pos, end = 0, find(b"\n")
            if head or skip:
                if end < 0:
                    if not skip:
                        head.append(chunk)
                        held += len(chunk)
                        if held > MAX_LINE:
                            number += 1
                            yield number, _too_long(name, number)
                            head, held, skip = [], 0, True
                    continue
                pos = end + 1
                if skip:
                    skip = False
                else:
                    number += 1
                    head.append(chunk[:pos])
                    raw = b"".join(head)
                    if len(raw) > MAX_LINE:
                        yield number, _too_long(name, number)
                    elif not raw.isspace():
                        yield number, raw
                head, held = [], 0
                end = find(b"\n", pos)
            while end >= 0:  # the lines that are whole in this chunk
                number += 1
                if end - pos >= limit:
                    yield number, _too_long(name, number)
                elif not (raw := chunk[pos:end + 1]).isspace():
                    yield number, raw
                pos = end + 1
                end = find(b"\n", pos)
            if pos < len(chunk):
                head, held = [chunk[pos:]], len(chunk) - pos
        if head and not skip:
            number += 1
            raw = b"".join(head)
            if len(raw) > MAX_LINE:
                yield number, _too_long(name, number)
            elif not raw.isspace():
                yield number, raw


def _too_long(name: str, number: int) -> CrashmapError:
    return CrashmapError(f"line longer than {MAX_LINE >> 20} MiB", path=name, line=number)


def decode_line(raw: bytes, name: str, number: int) -> Any:
    """The JSON value of one line of :func:`read_lines`, or a :class:`CrashmapError` naming
    ``name:number`` for a line that is not JSON."""
    try:
        return loads(raw)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        reason = getattr(error, "msg", None) or str(error).split(":")[0]
        return CrashmapError(f"not a JSON object: {reason}", path=name, line=number)


def read_records(path: str | Path) -> Iterator[tuple[int, Snapshot | CrashmapError]]:
    """``(line number, snapshot)`` per record, or a :class:`CrashmapError` for a bad line."""
    from crashmap.snapshot import from_mapping

    name = str(path)
    for number, value in read_mappings(path):
        if isinstance(value, CrashmapError):
            yield number, value
            continue
        try:
            yield number, from_mapping(value, name, line=number)
        except CrashmapError as error:
            yield number, error


def append_line(path: str | Path, line: str) -> None:
    """Append ``line`` (one record ending in a newline) to ``path`` with a single ``write``.

    The file is created if missing and must otherwise be a regular file. Writers hold an
    exclusive ``flock`` for the append, so lines from parallel ``crashmap snapshot --jsonl`` runs
    never interleave. A file whose last line lacks its newline gets one first, so the new
    record stands on its own line. If the write fails or comes up short (a full disk), the
    file is cut back to its old length: a partial line is never left behind.
    """
    import fcntl

    name = str(path)
    if not line.endswith("\n") or "\n" in line[:-1]:
        raise ValueError("a JSON Lines record is one line ending in a newline")
    data = line.encode("utf-8")
    from crashmap.writing import check_target

    check_target(path, force=True)  # never opened unless a regular file (or a new one): opening
    try:                            # a device node can have effects (a watchdog, a tape rewind)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                     0o666)
    except OSError as error:
        raise CrashmapError(f"cannot append: {error.strerror or error}", path=name) from None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CrashmapError("not a regular file: a snapshot line can only be appended to "
                                "a file", path=name)
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise CrashmapError(f"cannot append: only {written} of {len(data)} bytes were "
                                    f"written (disk full?)", path=name)
            os.fsync(fd)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            if isinstance(error, OSError):
                raise CrashmapError(f"cannot append: {error.strerror or error}",
                                    path=name) from None
            raise
    finally:
        os.close(fd)
