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
    (and faster: the C encoder) when piped."""
    if sys.stdout.isatty():
        json.dump(data, sys.stdout, indent=2)
    else:
        json.dump(data, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


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
