"""Shared pieces of the subcommands: exit codes, stderr diagnostics, JSON and rich output."""

from __future__ import annotations

import json
import sys
from enum import IntEnum
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any


class Exit(IntEnum):
    """The exit-code contract, documented in ``--help`` and the README."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


def fail(message: str, code: int = Exit.USAGE) -> int:
    """Print one diagnostic line on stderr and return ``code``."""
    print(f"crashmap: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    """A non-fatal diagnostic on stderr."""
    print(f"crashmap: warning: {message}", file=sys.stderr)


def print_json(data: Any) -> None:
    """Data on stdout, one JSON document, ints kept as ints: indented for a terminal, compact
    when piped. ``json.dumps`` and one write: ``json.dump`` streams through the pure-Python
    encoder even when compact (a 100 000-line map took 3 s instead of 0.3 s)."""
    if sys.stdout.isatty():
        text = json.dumps(data, indent=2)
    else:
        text = json.dumps(data, separators=(",", ":"))
    sys.stdout.write(text + "\n")


def console():  # type: ignore[no-untyped-def]
    """A rich Console for stdout; plain (no colour, no wrapping tricks) when piped."""
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    out.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return out


def _reader_gone() -> None:
    """rich's own handler exits 1 (a finding, to crashmap); let ``main`` end it as Unix tools
    end when the reader of their pipe goes away."""
    raise BrokenPipeError


def add_source_arguments(parser: Any, *, arch: bool = True) -> None:
    """The SOURCE positional and ``--arch`` shared by every map-reading subcommand."""
    parser.add_argument("source", nargs="?", default="live", metavar="SOURCE",
                        help="live (default), snapshot .yaml, iomem text, sosreport/supportconfig "
                             "directory, or a bundled map name")
    if arch:
        parser.add_argument("--arch", default=None,
                            help="override the architecture (a raw dump cannot tell it)")


KERNEL_HELP = ("the kernel that will boot next, e.g. 7.3.4, 6.17.2-300.fc43.x86_64 or "
               "4.18.0-553.el8_10.x86_64 (default: the source's kernel_release; when the source "
               "does not say, the newest kernel crashmap models is assumed, and said)")


def add_kernel_argument(parser: Any) -> None:
    """``--kernel VERSION``: the target kernel, shared by every planning subcommand."""
    parser.add_argument("--kernel", default=None, metavar="VERSION", help=KERNEL_HELP)


def target_kernel(given: str | None, snapshot: Any = None, *, release: str | None = None) -> Any:
    """The :class:`~crashmap.kernel.target.TargetKernel` for ``--kernel`` and a SOURCE.

    ``given`` is the ``--kernel`` text (a bad one is a usage error naming the option); else the
    snapshot's ``kernel_release`` (or ``release``); else the assumed newest kernel.
    """
    from crashmap.errors import CrashmapError
    from crashmap.kernel.target import resolve_target

    if snapshot is not None and release is None:
        release = snapshot.kernel_release
    live = snapshot is not None and getattr(snapshot, "source", None) == "live"
    try:
        return resolve_target(given, release, live=live)
    except CrashmapError as error:
        raise CrashmapError(f"--kernel: {error}") from None
