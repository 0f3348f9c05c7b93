"""crashmap.files: inputs read with a cap, outputs written atomically to regular files only.

Every failure is one CrashmapError naming the path; nothing is left behind; nothing that is not
a regular file is ever replaced. The targets are made inside the test's folder (never a node of
/dev: a writer that replaced one would break the machine).
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from crashmap.errors import CrashmapError
from crashmap.files import (
    NotARegularFile,
    TargetExists,
    read_capped,
    write_atomic,
)
from crashmap.writing import _link_new


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.lstat().st_mode) for p in folder.iterdir())


def _char_device(tmp: Path) -> Path:
    node = tmp / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return node


def _symlink(tmp: Path) -> Path:
    (tmp / "real.txt").write_text("kept\n")
    (tmp / "link").symlink_to("real.txt")
    return tmp / "link"


def _dangling(tmp: Path) -> Path:
    (tmp / "dangling").symlink_to("nowhere.txt")
    return tmp / "dangling"


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe")
    return tmp / "pipe"


def _socket(tmp: Path) -> Path:
    import socket

    path = tmp / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


NOT_REGULAR = {
    "directory": (lambda tmp: tmp / "sub", "is a directory"),
    "character device": (_char_device, "is a character device"),
    "symlink to a file": (_symlink, "is a symbolic link"),
    "dangling symlink": (_dangling, "is a symbolic link"),
    "fifo": (_fifo, "is a FIFO"),
    "socket": (_socket, "is a socket"),
}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", NOT_REGULAR)
def test_only_a_regular_file_is_ever_replaced(kind: str, force: bool, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    make, words = NOT_REGULAR[kind]
    target = make(tmp_path)
    before = _listing(tmp_path)
    with pytest.raises(NotARegularFile) as caught:
        write_atomic(target, "new\n", force=force)
    message = str(caught.value)
    assert message.startswith(f"{target}: {words}") and "\n" not in message
    assert _listing(tmp_path) == before
    if kind == "symlink to a file":
        assert (tmp_path / "real.txt").read_text() == "kept\n"


def test_an_existing_file_needs_force_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    write_atomic(target, "one\n")
    target.chmod(0o640)
    with pytest.raises(TargetExists, match="already exists"):
        write_atomic(target, "two\n")
    assert target.read_text() == "one\n"
    write_atomic(target, "two\n", force=True)
    assert target.read_text() == "two\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _listing(tmp_path) == [("a.yaml", target.stat().st_mode)]


def test_a_file_that_appears_while_writing_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "late.txt"
    tmp = tmp_path / "tmp"
    tmp.write_text("mine\n")
    target.write_text("theirs\n")  # created by someone else after the first check
    with pytest.raises(TargetExists):
        _link_new(str(tmp), target, str(target))
    assert target.read_text() == "theirs\n"


@pytest.mark.parametrize(("relative", "words"), [
    ("no/such/a.yaml", "the folder {tmp}/no/such does not exist"),
    ("file.txt/a.yaml", "the folder {tmp}/file.txt is not a folder"),
    ("new-folder/", "names a folder"),
])
def test_where_no_file_can_be(relative: str, words: str, tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    before = _listing(tmp_path)
    target = f"{tmp_path}/{relative}"
    with pytest.raises(CrashmapError) as caught:
        write_atomic(target, "x")
    assert str(caught.value).startswith(f"{target}: ")
    assert words.format(tmp=tmp_path) in str(caught.value)
    assert _listing(tmp_path) == before


def test_text_utf8_cannot_encode_is_refused_with_the_path(tmp_path: Path) -> None:
    with pytest.raises(CrashmapError, match="UTF-8 cannot encode"):
        write_atomic(tmp_path / "a.txt", "bad \ud800 surrogate")
    assert _listing(tmp_path) == []


WRITER = ("import sys\nfrom crashmap.files import write_atomic\nfrom crashmap.errors import "
          "CrashmapError\ntry:\n    write_atomic(sys.argv[1], 'x' * (1 << 20))\nexcept "
          "CrashmapError as e:\n    print(e)\n    sys.exit(2)\n")


def test_a_file_size_limit_is_one_line(tmp_path: Path) -> None:
    """RLIMIT_FSIZE (``ulimit -f``) makes write() fail with EFBIG, as a full quota would."""
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path / "big.txt")],
                          capture_output=True, text=True, preexec_fn=limit)
    assert done.returncode == 2, done.stderr
    assert done.stdout == f"{tmp_path / 'big.txt'}: cannot write: File too large\n"
    assert _listing(tmp_path) == []


def _mount_tmpfs(tmp_path: Path, options: str):  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.fixture
def small_tmpfs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 64 KiB tmpfs: a really full disk."""
    yield from _mount_tmpfs(tmp_path, "size=64k")


@pytest.fixture
def read_only_folder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A read-only tmpfs as root (a folder's mode does not stop root), else a 0555 folder."""
    if os.geteuid() == 0:
        yield from _mount_tmpfs(tmp_path, "ro,size=64k")
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_a_full_disk_is_one_line_and_leaves_nothing(small_tmpfs: Path) -> None:
    target = small_tmpfs / "a.yaml"
    with pytest.raises(CrashmapError) as caught:
        write_atomic(target, "x" * (1 << 20))
    assert str(caught.value) == f"{target}: cannot write: No space left on device"
    assert list(small_tmpfs.iterdir()) == []


def test_a_read_only_folder_is_one_line(read_only_folder: Path) -> None:
    target = read_only_folder / "a.txt"
    with pytest.raises(CrashmapError) as caught:
        write_atomic(target, "x")
    assert str(caught.value) in (
        f"{target}: cannot write in {read_only_folder}: Read-only file system",
        f"{target}: cannot write in {read_only_folder}: Permission denied")
    assert list(read_only_folder.iterdir()) == []


def test_read_capped_reads_at_most_the_cap_plus_one_byte() -> None:
    """/dev/zero never ends: the read stops after cap + 1 bytes (counted by the kernel)."""
    io_path = Path("/proc/self/io")
    if not io_path.exists() or not Path("/dev/zero").is_char_device():
        pytest.skip("needs Linux /proc/self/io and /dev/zero")

    def rchar() -> int:
        return int(io_path.read_text().split("rchar:")[1].split()[0])

    cap = 1 << 20
    before = rchar()
    with pytest.raises(CrashmapError, match="larger than 1 MiB"):
        read_capped("/dev/zero", cap)
    read = rchar() - before
    assert cap < read <= cap + 1 + (64 << 10)  # the cap + 1, and the reads of /proc/self/io


def test_read_capped_names_the_path_of_what_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CrashmapError) as caught:
        read_capped(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read: Is a directory"
    (tmp_path / "ok").write_bytes(b"abc")
    assert read_capped(tmp_path / "ok", 3) == b"abc"
    with pytest.raises(CrashmapError):
        read_capped(tmp_path / "ok", 2)


@pytest.mark.parametrize("kind", ["character device", "symlink to a file", "fifo", "directory"])
def test_a_jsonl_append_never_opens_what_is_not_a_regular_file(kind: str,
                                                                tmp_path: Path) -> None:
    """``snapshot --jsonl -o`` appends: the same rule as the atomic writer, checked before the
    open (opening a device node can have effects of its own)."""
    from crashmap.jsonl import append_line

    (tmp_path / "sub").mkdir()
    make, words = NOT_REGULAR[kind]
    target = make(tmp_path)
    before = _listing(tmp_path)
    with pytest.raises(NotARegularFile) as caught:
        append_line(target, '{"a": 1}\n')
    assert str(caught.value).startswith(f"{target}: {words}")
    assert _listing(tmp_path) == before
    if kind == "symlink to a file":
        assert (tmp_path / "real.txt").read_text() == "kept\n"
