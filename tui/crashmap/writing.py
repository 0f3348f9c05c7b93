"""Files out: written atomically and safely.

- :func:`write_atomic`: a temporary file in the same folder, fsync, then a rename; only a regular
  file is ever replaced (never a directory, a device node, a FIFO, a socket or a symbolic link),
  and an existing file only with ``force`` (:class:`TargetExists` otherwise, so a caller can ask).

Every failure is a :class:`~crashmap.errors.CrashmapError` naming the path, as in
:mod:`crashmap.files` (the reading half).
"""

from __future__ import annotations

import contextlib
import os
import stat

from crashmap.errors import CrashmapError
from crashmap.files import reason

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path


class TargetExists(CrashmapError):
    """The target is an existing regular file and ``force`` was not given: a caller may ask the
    user and try again with ``force=True``."""


class NotARegularFile(CrashmapError):
    """The target exists but is not a regular file: crashmap never replaces it."""


_KINDS = ((stat.S_ISDIR, "a directory: give the path of a file to write"),
          (stat.S_ISLNK, "a symbolic link"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def check_target(path: str | Path, *, force: bool = False) -> None:
    """Raise unless ``path`` may be written: a new file in an existing folder, or (with
    ``force``) an existing regular file."""
    name = str(path)
    if name.endswith(os.sep):
        raise NotARegularFile("names a folder: give the path of a file to write", path=name)
    from pathlib import Path  # reading needs none of it (start-up time of every command)

    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        parent = target.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise CrashmapError(f"cannot write: the folder {parent} {what}", path=name) from None
        return
    except OSError as error:  # EACCES, ELOOP, ENAMETOOLONG ...
        raise CrashmapError(f"cannot write: {reason(error)}", path=name) from None
    if not stat.S_ISREG(mode):
        kind = next((text for test, text in _KINDS if test(mode)), "not a regular file")
        if not stat.S_ISDIR(mode):
            kind += ", not a regular file; crashmap writes only regular files"
        raise NotARegularFile(f"is {kind}", path=name)
    if not force:
        raise TargetExists("already exists (use --force to overwrite)", path=name)


def _default_mode(target: Path) -> int:
    """Keep an overwritten file's mode; a new file gets 0666 minus the umask, like open()."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file, fsync and a rename.

    Without ``force`` an existing file is never replaced, not even one that appears while
    writing (the new file is hard-linked into place, which fails if the name is taken).
    """
    name = str(path)
    from pathlib import Path  # reading needs none of it (start-up time of every command)

    target = Path(path)
    check_target(path, force=force)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CrashmapError(f"cannot write: the text holds {error.object[error.start]!r}, "
                            "which UTF-8 cannot encode", path=name) from None
    import tempfile  # only writers pay for it

    directory = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise CrashmapError(f"cannot write in {directory}: {reason(error)}", path=name) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _default_mode(target))
        if force:
            check_target(target, force=True)  # still a regular file (or gone)
            os.replace(tmp, target)
        else:
            _link_new(tmp, target, name)
    except OSError as error:
        raise CrashmapError(f"cannot write: {reason(error)}", path=name) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_folder(directory)


def _link_new(tmp: str, target: Path, name: str) -> None:
    """Put ``tmp`` in place as ``target`` only if that name is still free."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise TargetExists("already exists (use --force to overwrite)", path=name) from None
    except OSError:  # no hard links here (vfat, some network file systems): check, then rename
        check_target(target, force=False)
        os.replace(tmp, target)


def _sync_folder(directory: Path) -> None:
    """Make the rename durable (best effort: not every file system lets a folder be fsynced)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
