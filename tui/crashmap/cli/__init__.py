"""The ``crashmap`` command: the TUI by default, headless subcommands beside it.

Contract: stdout carries data only; diagnostics go to stderr. Exit codes are
:class:`crashmap.cli.common.Exit`. Headless subcommands never import Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from crashmap import __version__
from crashmap.cli.common import Exit, fail
from crashmap.errors import CrashmapError

COMMANDS = ("show", "snapshot")
"""Subcommand modules in ``crashmap.cli``; each has ``register(subparsers)``."""

EPILOG = """\
SOURCE is one of: live (default), a snapshot .yaml, a raw /proc/iomem text file,
an extracted sosreport or supportconfig directory, or the name of a bundled map
(see `crashmap show --list`).

exit codes: 0 ok, 1 findings (the plan fails or has errors), 2 usage error or unreadable input
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crashmap",
        description="Map physical memory and plan kdump crashkernel= reservations.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"crashmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    tui = sub.add_parser("tui", help="open the interactive map (the default)", epilog=EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    tui.add_argument("source", nargs="?", default=None, metavar="SOURCE")
    tui.add_argument("--arch", help="override the architecture of a raw dump")
    tui.add_argument("--cmdline", help="start from this kernel command line")
    tui.set_defaults(func=run_tui)
    for name in COMMANDS:
        module = importlib.import_module(f"crashmap.cli.{name}")
        module.register(sub)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """Open the Textual app (imported here so headless commands never pay for it)."""
    from crashmap.app.main import run_app

    return run_app(source=args.source, arch=args.arch, cmdline=args.cmdline)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {"tui", *COMMANDS, "-h", "--help", "--version"}
    if not argv or argv[0] not in known:
        argv.insert(0, "tui")  # `crashmap [SOURCE]` opens the TUI
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CrashmapError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
