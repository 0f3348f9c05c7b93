"""``crashmap check [SOURCE] [--cmdline CMDLINE] [--arch ARCH] [--kernel VERSION] [--json]``.

Where the next boot puts the crashkernel= reservation on this map, or why it fails, and what an
engineer should know about it. Exit 0: reserves what it asks with no error finding; 1: an
error finding or a partial/failed reservation; 2: usage or unreadable input.
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
    warn,
)
from crashmap.cli.loading import load_for_cli

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

DESCRIPTION = """\
Simulate the kernel's crashkernel= reservation on a memory map, by the rules of the kernel
that will boot next (--kernel, else the source's kernel release): where each block lands, the
kernel log lines it prints, and findings with explanations and fixes.
"""


def register(sub: Any) -> None:
    parser = sub.add_parser("check", help="predict and check the crashkernel= reservation",
                            description=DESCRIPTION)
    add_source_arguments(parser)
    parser.add_argument("--cmdline", default=None,
                        help="kernel command line to check (default: the source's /proc/cmdline)")
    add_kernel_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crashmap.checks import evaluate_cmdline
    from crashmap.placement import infer_current, shared_context

    snapshot = load_for_cli(args.source, args.arch)
    kernel = target_kernel(args.kernel, snapshot)
    ctx = shared_context(snapshot, kernel=kernel)
    cmdline, inferred = args.cmdline, None
    if cmdline is None:
        cmdline = snapshot.cmdline
    if cmdline is None:
        inferred = infer_current(ctx)
        if inferred is None:
            warn("the source has no kernel command line and its map shows no reservation; "
                 "checking an empty one (give --cmdline)")
            cmdline = ""
        else:
            warn(f"checking the current reservation as {inferred.cmdline}, {inferred.why} "
                 "(give --cmdline to check another plan)")
            cmdline = inferred.cmdline
    verdict = evaluate_cmdline(ctx, cmdline, system_ram=snapshot.system_ram)
    if args.json:
        document = check_json(snapshot, ctx, verdict, cmdline)
        document["cmdline_inferred"] = inferred.why if inferred is not None else None
        print_json(document)
    else:
        render(snapshot, ctx, verdict, inferred)
    return Exit.OK if verdict.ok else Exit.FINDINGS


def check_json(snapshot: Any, ctx: Any, verdict: Any, cmdline: str) -> dict[str, Any]:
    """The ``--json`` document (required keys first; ``end`` inclusive everywhere)."""
    from crashmap.cli.cmdline import result_dict

    p = verdict.placement
    extra = p.to_json()
    return {
        "arch": ctx.arch.name,
        "ram": snapshot.system_ram,
        "kernel": kernel_json(ctx),
        "request": result_dict(verdict.grammar, verdict.lints),
        "outcome": p.outcome,
        "placements": extra["placements"],
        "findings": [f.to_json() for f in verdict.findings],
        "ok": verdict.ok,
        "verdict": verdict.verdict_line,
        "source": snapshot.source,
        "cmdline": cmdline,
        "confidence": p.confidence,
        "window": extra["window"],
        "kernel_log": extra["kernel_log"],
        "static": extra["static"],
        "cma": extra["cma"],
        "low_max": ctx.low_max,
        "low_max_source": ctx.low_max_source,
        "notes": extra["notes"],
    }


def kernel_json(ctx: Any) -> dict[str, Any]:
    """Which kernel the prediction is for, whether it was assumed, and its placement era."""
    kernel, era = ctx.kernel, ctx.era
    data = kernel.as_dict() if kernel is not None else {"assumed": True}
    if era is not None:
        data["placement_era"] = era.key
        data["placement_modelled"] = era.modelled
    return data


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
OUTCOME_STYLE = {"reserved": "green", "partially reserved": "yellow", "failed": "bold red",
                 "nothing requested": "dim", "not modelled": "yellow"}


def render(snapshot: Any, ctx: Any, verdict: Any, inferred: Any = None) -> None:
    """Verdict line, placements, kernel log, then findings by severity (rich or plain)."""
    from rich.markup import escape

    from crashmap.cli.common import console
    from crashmap.units import format_size

    out = console()
    tty = sys.stdout.isatty()
    p = verdict.placement
    style = OUTCOME_STYLE.get(p.outcome, "")
    out.print(f"[bold]{escape(snapshot.source)}[/] {ctx.arch.name}, RAM "
              f"{format_size(snapshot.system_ram or 0)}")
    if ctx.kernel is not None:
        kernel_style = "yellow" if ctx.kernel.assumed else "dim"
        out.print(f"[{kernel_style}]predicting for {escape(ctx.kernel.describe())}[/]")
    if inferred is not None:
        out.print(f"plan: {escape(inferred.cmdline)} ([dim]{escape(inferred.why)}[/])")
    out.print(f"[{style}]{escape(verdict.verdict_line)}[/]")
    if p.blocks:
        if tty:
            from rich.table import Table

            table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
            for column in ("block", "start", "end", "size"):
                table.add_column(column, justify="right" if column == "size" else "left")
            for b in p.blocks:
                table.add_row(b.kind, f"{b.start:#011x}", f"{b.end - 1:#011x}",
                              format_size(b.size))
            out.print(table)
        else:
            for b in p.blocks:
                out.print(f"  {b.kind:<5} {b.start:#011x}-{b.end - 1:#011x} "
                          f"{format_size(b.size):>10}")
    if p.main is not None:
        out.print(f"confidence: {p.confidence}"
                  + (f" (likely window {p.window.start:#x}-{p.window.end - 1:#x})"
                     if p.window is not None else ""))
    if p.kernel_log:
        out.print("[bold]kernel log[/]")
        for line in p.kernel_log:
            out.print(f"  {escape(line)}")
    for severity in ("error", "warning", "info"):
        found = verdict.by_severity(severity)
        if not found:
            continue
        out.print(f"[bold]{severity}s[/] ({len(found)})")
        for f in found:
            out.print(f"  [{SEVERITY_STYLE[severity]}]{f.code}[/]: {escape(f.message)}")
            out.print(f"      [dim]why:[/] {escape(f.explain)}")
            if f.fix:
                out.print(f"      [dim]fix:[/] {escape(f.fix)}")
