"""Output and files: whatever already sits at a ``-o`` path (a regular file, a FIFO, a device
node, a symbolic link to a file or to nothing, a folder, a socket) and whether ``--force`` is
given, ``write_atomic`` replaces only a regular file (and that only with force), otherwise
raises one line naming the path and leaves the target as it was; a capped read of an endless
device stops at the cap plus one byte."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest
from crashmap.errors import CrashmapError
from crashmap.files import read_capped, write_atomic
from hypothesis import given
from hypothesis import strategies as st

from tests.property.profile import examples

KINDS = ("new", "file", "fifo", "device", "link-file", "link-dangling", "dir", "socket")


def _make(kind: str, path: Path) -> None:
    if kind == "file":
        path.write_text("kept\n")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":  # what /dev/null is, made privately here
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root (CAP_MKNOD)")
    elif kind.startswith("link"):
        behind = path.with_name("behind")
        if kind == "link-file":
            behind.write_text("kept\n")
        path.symlink_to(behind)
    elif kind == "dir":
        path.mkdir()
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()


def _state(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    return {p.name: (p.lstat().st_mode,
                     p.read_bytes() if stat.S_ISREG(p.lstat().st_mode) else None)
            for p in folder.iterdir()}


@examples(60)
@given(st.sampled_from(KINDS), st.booleans(), st.text(max_size=50))
def test_only_a_new_path_or_a_regular_file_with_force_is_written(kind, force, text) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        target = folder / "out.yaml"
        _make(kind, target)
        before = _state(folder)
        try:
            write_atomic(target, text, force=force)
        except CrashmapError as error:
            assert str(error).startswith(str(target)) and "\n" not in str(error)
            assert _state(folder) == before  # nothing replaced, no temporary file left
            assert not (kind == "new" or (kind == "file" and force))
            return
        assert kind == "new" or (kind == "file" and force)
        assert stat.S_ISREG(target.lstat().st_mode)
        assert target.read_bytes() == text.encode("utf-8")
        assert sorted(p.name for p in folder.iterdir()) == sorted({*before, "out.yaml"})


@examples(20)
@given(st.integers(min_value=0, max_value=1 << 16))
def test_an_endless_device_is_read_up_to_the_cap_and_refused(cap: int) -> None:
    with pytest.raises(CrashmapError, match=r"^/dev/zero: larger than"):
        read_capped("/dev/zero", cap)
