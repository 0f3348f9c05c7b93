"""``crashmap verify [SOURCE] [--arch ARCH] [--kernel VERSION] [--json]``.

What the box has configured, reserved and loaded, and what crashmap predicts, side by side
(:mod:`crashmap.verify`). Exit 0: nothing differs; 1: a row differs; 2: usage or unreadable
input.
"""

from __future__ import annotations

import argparse
import sys

from crashmap.cli.common import (
    Exit,
    add_kernel_argument,
    add_source_arguments,
    print_json,
    target_kernel,
)
from crashmap.cli.loading import load_for_cli

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

DESCRIPTION = """\
Verify a box, as `kdumptool commandline -c` and `kdumpctl status` do together: the
crashkernel= words of /proc/cmdline (and the boot loader's default entry when the source has
one: a sosreport's or this machine's /boot/loader/entries with grubenv), the Crash kernel
lines of /proc/iomem, /sys/kernel/kexec/crash_size and crash_cma_ranges, crash_loaded, and
where `crashmap check` predicts the kernel puts each block, each with a verdict. Sizes agree
exactly; an estimated one (crashkernel=auto) within -4/+16 MiB, as kdumptool allows. A row
the source does not show is unknown, not a disagreement.
"""

STATUS_STYLE = {"agrees": "green", "differs": "bold red", "unknown": "dim"}


def register(sub: Any) -> None:
    parser = sub.add_parser("verify", help="configured, reserved, loaded and predicted, side "
                                           "by side", description=DESCRIPTION,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_arguments(parser)
    add_kernel_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crashmap.verify import verify

    snapshot = load_for_cli(args.source, args.arch, allow_hidden=True)  # sysfs still tells
    result = verify(snapshot, target_kernel(args.kernel, snapshot))
    if args.json:
        print_json(result.to_json())
    else:
        render(result)
    return Exit.OK if result.ok else Exit.FINDINGS


def render(result: Any) -> None:
    """One line per row (a table on a terminal), then the verdict."""
    from rich.markup import escape

    from crashmap.cli.common import console

    out = console()
    out.print(f"[bold]{escape(result.source)}[/] {result.arch}"
              + (f", {escape(result.kernel)}" if result.kernel else ""))
    if sys.stdout.isatty():
        from rich.table import Table

        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for column in ("", "value", "status", "verdict", "from"):
            table.add_column(column, overflow="fold")
        for row in result.rows:
            style = STATUS_STYLE[row.status]
            table.add_row(row.label, escape(row.value), f"[{style}]{row.status}[/]",
                          escape(row.verdict), f"[dim]{escape(row.source)}[/]")
        out.print(table)
    else:
        for row in result.rows:
            out.print(f"{row.label:<11} {row.status:<8} {row.value}")
            out.print(f"{'':<11} {'':<8} {row.verdict} ({row.source})")
    style = "green" if result.ok else "bold red"
    out.print(f"[{style}]{escape(result.verdict)}[/]")
