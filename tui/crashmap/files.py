"""Files in: inputs read with a size cap. Every failure is a
:class:`~crashmap.errors.CrashmapError` naming the path (never an ``OSError``), so the CLI prints
one line and exits 2, and the TUI says why in its dialog and keeps running.

- :func:`read_capped`: at most the cap plus one byte is read (``/dev/zero`` stops at once).

Files out are :mod:`crashmap.writing` (:func:`~crashmap.writing.write_atomic`,
:func:`~crashmap.writing.check_target`, :class:`~crashmap.writing.TargetExists`), importable
from here too: reading needs none of it (start-up of every command).
"""

from __future__ import annotations

from crashmap.errors import CrashmapError
from crashmap.iomem import MAX_BYTES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path


def reason(error: OSError) -> str:
    """The system's words for ``error``, as the C library prints them (``No space left on
    device``)."""
    return error.strerror or error.__class__.__name__


def read_capped(path: str | Path, cap: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, reading at most ``cap + 1`` of them; more than ``cap`` is refused."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(cap + 1)
    except OSError as error:
        raise CrashmapError(f"cannot read: {reason(error)}", path=name) from None
    if len(data) > cap:
        raise CrashmapError(f"larger than {cap >> 20} MiB, the most crashmap reads from one file "
                            "(a /proc/iomem is a few hundred KiB)", path=name)
    return data


_WRITING = frozenset(("TargetExists", "NotARegularFile", "check_target", "write_atomic"))


def __getattr__(name: str) -> object:
    if name in _WRITING:
        from crashmap import writing

        return getattr(writing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
