"""``crashmap export``: a crashkernel= plan as what a user pastes, with the whole-line diff."""

from __future__ import annotations

import argparse
import os
import sys

from crashmap.cli.common import (
    Exit,
    add_kernel_argument,
    add_source_arguments,
    fail,
    print_json,
    target_kernel,
    warn,
)
from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.snapshot import Snapshot

DESCRIPTION = """\
Turn a crashkernel= plan into what you paste: a kernel command line, a boot-loader or installer
snippet, or a command. Nothing is ever applied to the system: crashmap only prints.
"""


def _epilog() -> str:
    from crashmap.export import FORMATS

    width = max(len(name) for name in FORMATS)
    formats = "\n".join(f"  {name:<{width}}  {text}" for name, text in FORMATS.items())
    return f"""\
formats:
{formats}

The plan is the crashkernel= parameters of --cmdline (a whole kernel command line or just the
words), or the words of --words ('--words ""' plans no reservation: every format then removes
the parameters). Without either, the plan is the source's current crashkernel= words, so the
output reproduces the current setting. The plan is read with the kernel's rules for the
source's architecture and RAM, by the rules of the kernel that will boot (--kernel, else the
source's kernel release): a plan the kernel rejects is refused, lint findings are warned.

stdout carries only the formatted text, ready to paste. The whole new kernel command line is
shown as a diff against the current one (the source's /proc/cmdline, or --current) on stderr,
with the warnings. --format json puts everything on stdout: {{"format", "arch", "ram", "words",
"current_cmdline", "new_cmdline", "diff": {{"removed", "added"}}, "outputs": {{format: text}},
"warnings", "format_warnings": {{format: [...]}}, "kernel", "update_kernel"}}.

grubby and bls change one boot entry: the running kernel's (/boot/vmlinuz- and the source's
kernel release; /boot/vmlinuz-$(uname -r) when the source does not say), as `kdumpctl
reset-crashkernel` does without --kernel. --update-kernel=ALL changes every entry (and, with
grubby, GRUB_CMDLINE_LINUX in /etc/default/grub); --update-kernel=PATH names another kernel.

The plan is also checked as `crashmap check SOURCE --cmdline NEW_LINE` checks it (the same
function): if a finding is an error or nothing can be reserved on this map, nothing is printed
and the exit code is 1; --force prints it anyway (exit 0, with a warning).
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="print a crashkernel= plan as a command line, snippet or command",
        description=DESCRIPTION, epilog=_epilog())  # crashmap's raw-description formatter
    add_source_arguments(parser)
    plan = parser.add_argument_group("the plan (default: the source's current crashkernel=)")
    plan.add_argument("--cmdline", default=None, metavar="CMDLINE",
                      help="a kernel command line, or just crashkernel= words; its crashkernel= "
                           "parameters are the plan")
    plan.add_argument("--words", default=None, metavar="WORDS",
                      help="the plan as crashkernel= words, e.g. 'crashkernel=1G,high "
                           "crashkernel=128M,low', and on ppc64le fadump=on|nocma|off; '' for "
                           "no reservation")
    parser.add_argument("--format", "-f", required=True, metavar="FORMAT",
                        help="one of the formats listed below (required)")
    parser.add_argument("--current", default=None, metavar="CMDLINE",
                        help="the current kernel command line (default: the source's)")
    parser.add_argument("--ram", default=None, metavar="SIZE",
                        help="the kernel's system_ram, e.g. 16G (default: the source's System "
                             "RAM)")
    parser.add_argument("--update-kernel", default=None, metavar="PATH|ALL",
                        help="the boot entry the grubby and bls formats change: a kernel image "
                             "such as /boot/vmlinuz-6.12.0, or ALL (default: the source's "
                             "running kernel, /boot/vmlinuz-RELEASE, as kdumpctl "
                             "reset-crashkernel does)")
    parser.add_argument("--force", action="store_true",
                        help="print the plan even when `crashmap check` says it fails on this map")
    add_kernel_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crashmap.export import FORMATS, cmdline_diff, export, plan_words

    if args.format is None:
        raise CrashmapError(f"--format is required: one of {', '.join(FORMATS)}")
    if args.format not in FORMATS:
        raise CrashmapError(f"unknown format {args.format!r}: one of {', '.join(FORMATS)}")
    if args.cmdline is not None and args.words is not None:
        raise CrashmapError("give the plan as --cmdline or as --words, not both")
    explicit_words = None
    if args.words is not None:
        explicit_words = tuple(args.words.split())
        for word in explicit_words:
            if not word.startswith(("crashkernel=", "fadump=")):
                raise CrashmapError(f"--words: {word!r} is not a crashkernel= word (nor a fadump= word)")
    ram = _parse_ram(args.ram) if args.ram is not None else None

    from crashmap.cli.loading import load_for_cli

    snapshot = load_for_cli(args.source, args.arch, allow_hidden=True)
    kernel = target_kernel(args.kernel, snapshot)
    arch, ram = _arch_and_ram(snapshot, ram)
    current = args.current if args.current is not None else snapshot.cmdline
    if current is not None and current.endswith("\n"):
        current = current[:-1]
    if explicit_words is not None:
        words = explicit_words
    elif args.cmdline is not None:
        words = plan_words(args.cmdline)
        _warn_lookalikes(args.cmdline)
    elif current is None:
        raise CrashmapError("the source has no kernel command line, so there is no current "
                            "plan: give --cmdline or --words (and --current)")
    else:
        words = plan_words(current)
    if current is None:
        warn("the source has no kernel command line: the diff starts from an empty one "
             "(give --current)")
        current = ""

    result = export(args.format, words, current, arch, snapshot=snapshot, ram=ram, kernel=kernel,
                    update_kernel=args.update_kernel)
    if kernel.assumed:
        warn(f"checked for {kernel.describe()}")
    failure = result.failure
    if args.cmdline is not None and not words and result.new is not None:
        failure = f"the kernel rejects the plan: {result.new.error}"  # --words '' plans nothing
    if failure is not None and not args.force:
        return fail(f"not printed: the plan fails `crashmap check` on this map: "
                    f"{_sentence(failure)} (--force prints it anyway)", Exit.FINDINGS)
    if result.verdict is None and snapshot.hidden:
        warn("the map's addresses are hidden, so the plan was read with the kernel's rules but "
             "not placed on the map (run as root, or load a snapshot)")
    if args.format == "json":
        print_json(result.data)
    else:
        sys.stdout.write(result.text)
        sys.stdout.flush()
        print(cmdline_diff(result.current_cmdline, result.new_cmdline, _stderr_width()),
              file=sys.stderr)
    for message in result.warnings:
        warn(message)
    if failure is not None:
        warn(f"printed anyway (--force): the plan fails `crashmap check` on this map: "
             f"{_sentence(failure)}")
    return Exit.OK


def _sentence(text: str) -> str:
    """``text`` without its final full stop (it goes inside a longer line)."""
    return text[:-1] if text.endswith(".") else text


def _parse_ram(text: str) -> int:
    from crashmap.units import parse_size

    try:
        ram = parse_size(text)
    except ValueError as error:
        raise CrashmapError(f"--ram: {error}") from None
    if not 0 < ram < 1 << 64:
        raise CrashmapError(f"--ram: {text!r} is not a RAM size the kernel can have")
    return ram


def _arch_and_ram(snapshot: Snapshot, ram: int | None) -> tuple[str, int]:
    """The source's architecture and ``system_ram`` (or ``--ram``), or a usage error."""
    if not snapshot.arch:
        raise CrashmapError("cannot tell the source's architecture: give --arch")
    if ram is None:
        ram = snapshot.system_ram
        if ram is None:
            raise CrashmapError("cannot tell the source's RAM: give --ram")
        if snapshot.hidden:
            warn("/proc/iomem hides its addresses (not root), so RAM is MemTotal, a little less "
                 "than the kernel's system_ram (give --ram to set it)")
    return snapshot.arch, ram


def _warn_lookalikes(cmdline: str) -> None:
    """Say which crashkernel= look-alikes in --cmdline are not taken into the plan."""
    from crashmap.export import plan_words
    from crashmap.kernel.grammar import find_words

    taken = len(plan_words(cmdline))
    if len(find_words(cmdline)) > taken:
        for token in cmdline.split():
            if "crashkernel=" in token and not token.startswith("crashkernel="):
                warn(f"--cmdline: {token!r} is not a crashkernel= parameter and is not part of "
                     "the plan")


def _stderr_width() -> int:
    try:
        return max(40, os.get_terminal_size(sys.stderr.fileno()).columns - 1)
    except (OSError, ValueError):
        return 100
