"""The ``crashmap`` command: the TUI by default, headless subcommands beside it.

Contract: stdout carries data only; diagnostics go to stderr. Exit codes are
:class:`crashmap.cli.common.Exit`. Headless subcommands never import Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from crashmap import __version__
from crashmap.cli.common import Exit, add_kernel_argument, fail
from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

COMMANDS: dict[str, str] = {
    "show": "print the memory map as a tree with totals",
    "snapshot": "save the live machine (or any SOURCE) as a snapshot YAML",
    "cmdline": "read crashkernel= words exactly as the kernel does, and lint them",
    "check": "predict where the kernel puts the reservation, and check the plan",
    "verify": "configured, reserved, loaded and predicted side by side: does the box agree?",
    "export": "print a crashkernel= plan as a command line, snippet or command",
    "estimate": "how much memory the capture kernel needs: every model, and a suggested plan",
    "fleet": "check a plan on many machines, grouped into classes",
    "completion": "print the shell completion script (bash, zsh or fish)",
    "man": "print the manual page crashmap(1) as roff",
    "serve": "serve the interactive map to web browsers (pip install 'crashmap[web]')",
}
"""Subcommand modules in ``crashmap.cli`` and their one-line help. Each module has
``register(subparsers)``; only the module of the command being run is imported, so a headless
command pays for its own imports only."""

EPILOG = """\
SOURCE is one of: live (default), a snapshot .yaml, a raw /proc/iomem text file,
an extracted sosreport or supportconfig directory, or the name of a bundled map
(see `crashmap show --list`).

exit codes: 0 ok, 1 findings (the plan fails or has errors), 2 usage error or unreadable input
(each command's --help says what they mean for it)
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's layout; sizes itself without importing shutil (start-up time)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            try:
                width = min(os.get_terminal_size(sys.stderr.fileno()).columns, 100) - 2
            except (OSError, ValueError):
                width = 78
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose subcommand parsers share the formatter above."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> Any:  # argparse's NoReturn
        """A usage error is one line, as every diagnostic is (argparse prints the whole usage
        first), then exit 2."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file: Any = None) -> None:
        """argparse swallows write errors here; crashmap reports them (``--help > /dev/full``)."""
        if message:
            (file or sys.stderr).write(message)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command`` names the one subcommand to load fully (None: all of them)."""
    _skip_missing_translations()
    parser = _Parser(
        prog="crashmap",
        description="Map physical memory and plan kdump crashkernel= reservations.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"crashmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    tui = sub.add_parser("tui", help="open the interactive map (the default)", epilog=EPILOG)
    tui.add_argument("source", nargs="?", default=None, metavar="SOURCE")
    tui.add_argument("--arch", help="override the architecture of a raw dump")
    tui.add_argument("--cmdline", help="start from this kernel command line")
    add_kernel_argument(tui)
    tui.add_argument("--lesson", metavar="NAME",
                     help="open a lesson: its map and plan, with its Learn chapter beside the "
                          "map (`--lesson list` lists them)")
    tui.set_defaults(func=run_tui)
    for name, help_text in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"crashmap.cli.{name}").register(sub)
        else:  # listed in --help only: never parses (its own module does, when it runs)
            sub.add_parser(name, help=help_text, add_help=False)
    for name, child in sub.choices.items():
        if command is None or name in (command, "tui"):
            _add_exit_codes(child, name)
    return parser


def _skip_missing_translations() -> None:
    """argparse asks gettext for each of its messages, some 40 per run, and gettext looks for
    catalogs on disk each time (it caches only those it finds): 2 ms under LANG=C.UTF-8, 13 ms
    under en_US.UTF-8. Without a catalog for argparse's domain every answer is the message
    itself, so look once; with one, argparse translates as before."""
    import gettext

    domain = gettext.textdomain()
    if gettext.find(domain, gettext.bindtextdomain(domain)) is None:
        argparse._ = str  # type: ignore[attr-defined]  # its `from gettext import gettext as _`


def _add_exit_codes(parser: argparse.ArgumentParser, name: str) -> None:
    """Each subcommand's --help ends with its row of the exit-code table."""
    from crashmap.cli.exitcodes import help_text

    text = help_text(name)
    if text:
        parser.epilog = f"{parser.epilog.rstrip()}\n\n{text}" if parser.epilog else text


def run_tui(args: argparse.Namespace) -> int:
    """Open the Textual app (imported here so headless commands never pay for it)."""
    lesson = None
    if args.lesson is not None:
        from crashmap.app.learn.lessons import get_lesson, lesson_table

        if args.lesson == "list":
            print("\n".join(lesson_table()))
            return Exit.OK
        lesson = get_lesson(args.lesson)
    from crashmap.sources import is_fleet

    if is_fleet(args.source):  # a folder of hosts, or a JSON Lines file of many
        from crashmap.app.fleet_app import run_fleet_app

        if args.kernel is not None:
            from crashmap.cli.common import target_kernel

            target_kernel(args.kernel)  # a bad --kernel is a usage error, before any host
        return run_fleet_app([args.source], cmdline=args.cmdline, arch=args.arch,
                             kernel=args.kernel)
    from crashmap.app.main import run_app

    return run_app(source=args.source, arch=args.arch, cmdline=args.cmdline,
                   kernel=args.kernel, lesson=lesson)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can end is an exit code (0, 1, 2, 130 on Ctrl-C, 141 when
    the reader of stdout went away), never a traceback."""
    try:
        try:
            code = _run(argv)
        except SystemExit:  # argparse: --help, --version, usage errors (already printed)
            _flush_stdout()
            raise
        _flush_stdout()
        return code
    except BrokenPipeError:
        return _reader_gone()
    except OSError as error:  # what a subcommand did not turn into a CrashmapError
        return _output_failed(error)


def run_process() -> int:
    """:func:`main` for a process of its own (the ``crashmap`` command, ``python -m crashmap``).
    The objects still alive are then frozen (:func:`gc.freeze`): the interpreter's collection
    at exit would walk every one of them once more only to free them after it (5 ms after a
    fleet of 10 000 hosts)."""
    code = main()
    import gc

    gc.freeze()
    return code


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {"tui", *COMMANDS, "-h", "--help", "--version"}
    if not argv or argv[0] not in known:
        argv.insert(0, "tui")  # `crashmap [SOURCE]` opens the TUI
    parser = build_parser(argv[0] if argv[0] in COMMANDS else "")
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CrashmapError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return 130


SIGPIPE_STATUS = 141
"""128 + SIGPIPE: what the shell reports for ``cat`` or ``grep`` when ``head`` stops reading."""


def _reader_gone() -> int:
    """stdout's reader closed the pipe (``crashmap show | head -1``): stop quietly, as Unix tools
    do. Not a finding (1) and not a success (0): the shell's status for a tool killed by SIGPIPE."""
    _discard_stdout()
    return SIGPIPE_STATUS


def _output_failed(error: OSError) -> int:
    """One line for a failed write (``> /dev/full``: ENOSPC, EIO, EDQUOT ...), exit 2. Files
    are CrashmapErrors by the time they get here, so an error without a file name is stdout's."""
    from crashmap.files import reason

    if error.filename is not None:
        return fail(f"{error.filename}: {reason(error)}")
    _discard_stdout()
    return fail(f"stdout: cannot write: {reason(error)}")


def _flush_stdout() -> None:
    """Write out what stdout holds now, so a failure is reported here and not at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def _discard_stdout() -> None:
    """Point fd 1 at /dev/null, so the interpreter's last flush of what is left cannot fail
    again (that would print "Exception ignored" and exit 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass
