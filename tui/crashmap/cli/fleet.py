"""``crashmap fleet PATH... [--cmdline CMDLINE | --suggest [--rollout]] [--arch A] [--kernel V]
[--json|--jsonl|--csv]``.

Every member read and checked with ``check``'s functions; hosts grouped into classes; per class
and per host the outcome, where each block lands or why it fails, the memory taken and the
findings that differ between hosts. Exit 0: every host passes; 1: a host fails or a member
could not be read; 2: nothing could be read (or a usage error).
"""

from __future__ import annotations

import argparse
import sys

from crashmap.cli.common import add_kernel_argument, target_kernel, warn
from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from crashmap.fleet import Host, Summary

DESCRIPTION = """\
Check a crashkernel= plan on many machines at once. Each PATH is a member: a snapshot .yaml, a
JSON Lines file of snapshots (crashmap snapshot --jsonl), a raw /proc/iomem text file, a host
folder from contrib/ansible/collect.yml, an extracted sosreport or supportconfig, or a folder
of any of these. Hosts are grouped into classes (arch, kernel series, RAM bracket of the plan,
largest free block below the low limit); each host is checked exactly as `crashmap check` does.
"""
EPILOG = """\
A member that cannot be read is reported on stderr (FILE:LINE: what is wrong) and skipped.

--json prints one document {"plan", "hosts": [...], "unreadable": [...], "classes": [...],
"summary"}; --jsonl one record a line, each with a "type" (host, unreadable, class, summary);
--csv one row per host. Hosts stream out as they are checked.
"""

CSV_COLUMNS = ("host", "member", "class", "arch", "kernel", "ram", "bracket", "outcome", "ok",
               "main", "low", "cma_areas", "static", "cma", "errors", "warnings")


def register(sub: Any) -> None:
    parser = sub.add_parser("fleet", help="check a plan on many machines, grouped into classes",
                            description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="fleet members (see above)")
    plan = parser.add_mutually_exclusive_group()
    plan.add_argument("--cmdline", default=None, metavar="CMDLINE",
                      help="the plan to check on every host (default: each host's own "
                           "/proc/cmdline)")
    plan.add_argument("--suggest", action="store_true",
                      help="one plan for the whole fleet (or the fewest), checked on every host")
    parser.add_argument("--rollout", action="store_true",
                        help="with --suggest: print Ansible group_vars/host_vars and a task "
                             "file that apply the plan (printed, never applied)")
    parser.add_argument("--update-kernel", default=None, metavar="PATH|ALL",
                        help="with --rollout: the boot entry grubby changes, as for crashmap "
                             "export: a kernel image such as /boot/vmlinuz-6.12.0, or ALL "
                             "(default: each host's running kernel, as kdumpctl "
                             "reset-crashkernel does)")
    parser.add_argument("--arch", default=None, help="override every host's architecture")
    add_kernel_argument(parser)
    parser.add_argument("--tui", action="store_true",
                        help="open the fleet screen: classes, hosts, a plan edited live")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON document")
    out.add_argument("--jsonl", action="store_true", help="JSON Lines: one record a line")
    out.add_argument("--csv", action="store_true", help="CSV: one row per host")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crashmap.arch import normalize_arch
    from crashmap.fleet import FleetRun, check_fleet

    arch = normalize_arch(args.arch) if args.arch else None
    if args.kernel is not None:
        target_kernel(args.kernel)  # a bad --kernel is a usage error, before any member
    if args.rollout and not args.suggest:
        raise CrashmapError("--rollout goes with --suggest")
    if args.update_kernel is not None:
        if not args.rollout:
            raise CrashmapError("--update-kernel goes with --suggest --rollout")
        from crashmap.export import boot_entry

        boot_entry(args.update_kernel, None)  # a bad one is a usage error, before any member
    if args.suggest:
        return run_suggest(args, arch)
    if args.tui:
        from crashmap.app.fleet_app import run_fleet_app

        return run_fleet_app(args.paths, cmdline=args.cmdline, arch=arch, kernel=args.kernel)
    fleet = FleetRun(args.cmdline, arch=arch, kernel=args.kernel)
    out = sys.stdout
    if args.json or args.jsonl:
        summary = _stream_json(args, fleet, out)
    elif args.csv:
        summary = _stream_csv(args, fleet, out)
    else:
        summary = check_fleet(args.paths, fleet, on_bad=_report, on_skip=_skip)
        for message in fleet.warnings:
            warn(message)
        render(summary, args.cmdline)
    if summary.hosts == 0:
        warn("no host could be read")
    return summary.exit_code()


def _report(message: str) -> None:
    """An unreadable member: ``crashmap: FILE:LINE: what is wrong`` on stderr, one line."""
    print(f"crashmap: {message}", file=sys.stderr)


def _skip(label: str) -> None:
    warn(f"{label}: not a fleet member (.yaml, .jsonl, .txt, or a host folder), skipped")


def _stream_json(args: argparse.Namespace, fleet: Any, out: Any) -> Summary:
    """Hosts as they come; the classes and the summary once every member is read."""
    import json

    from crashmap.fleet import check_fleet

    bad: list[str] = []
    write = out.write

    def on_bad(message: str) -> None:
        _report(message)
        if args.jsonl:
            write(json.dumps({"type": "unreadable", "error": message}) + "\n")
        else:
            bad.append(message)

    if args.jsonl:
        def on_host(host: Host) -> None:
            write(host.json_line() + "\n")
    else:
        first = [True]
        write('{"plan":' + json.dumps(args.cmdline) + ',"hosts":[')

        def on_host(host: Host) -> None:
            write(("\n" if first[0] else ",\n") + host.json_line())
            first[0] = False

    summary = check_fleet(args.paths, fleet, on_host=on_host, on_bad=on_bad, on_skip=_skip)
    for message in fleet.warnings:
        warn(message)
    classes = [c.to_json() for c in summary.classes.values()]
    if args.jsonl:
        for record in classes:
            write(json.dumps(record, separators=(",", ":")) + "\n")
        write(json.dumps(summary.to_json(), separators=(",", ":")) + "\n")
    else:
        write('],\n"unreadable":' + json.dumps(bad) + ',\n"classes":'
              + json.dumps(classes, separators=(",", ":")) + ',\n"summary":'
              + json.dumps(summary.to_json(), separators=(",", ":")) + "}\n")
    return summary


def _stream_csv(args: argparse.Namespace, fleet: Any, out: Any) -> Summary:
    import csv

    from crashmap.fleet import check_fleet

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def block(shape: Any, kind: str) -> str:
        return " ".join(f"{s:#x}-{e - 1:#x}" for k, s, e in shape.blocks if k == kind)

    def on_host(host: Host) -> None:
        s = host.shape
        writer.writerow((host.name, host.label, s.class_name, s.arch, s.release or "", s.ram,
                         s.bracket, s.outcome, int(s.ok), block(s, "main"), block(s, "low"),
                         block(s, "cma"), s.static, s.cma, " ".join(s.errors),
                         " ".join(s.warnings)))

    summary = check_fleet(args.paths, fleet, on_host=on_host, on_bad=_report, on_skip=_skip)
    for message in fleet.warnings:
        warn(message)
    return summary


OUTCOME_STYLE = {"reserved": "green", "partially reserved": "yellow", "failed": "bold red",
                 "nothing requested": "dim", "not modelled": "yellow"}


def render(summary: Summary, plan: str | None) -> None:
    """The classes as a table, then the failing hosts by reason and the findings that differ
    (rich on a terminal, plain text when piped)."""
    from rich.markup import escape

    from crashmap.cli.common import console
    from crashmap.units import format_size

    out = console()
    tty = sys.stdout.isatty()
    head = (f"[bold]fleet[/]: {summary.hosts} host{'s' if summary.hosts != 1 else ''} in "
            f"{len(summary.classes)} class{'es' if len(summary.classes) != 1 else ''}: "
            f"{summary.ok} pass, {summary.failed} fail")
    if summary.bad_count:
        head += f"; {summary.bad_count} member{'s' if summary.bad_count != 1 else ''} unreadable"
    out.print(head)
    out.print("plan: " + (escape(plan) if plan is not None else "each host's own /proc/cmdline"))
    rows = []
    for c in sorted(summary.classes.values(), key=lambda c: (-c.failed, -c.count, c.name)):
        outcome = ", ".join(f"{n} {o}" for o, n in sorted(c.outcomes.items(),
                                                           key=lambda kv: -kv[1]))
        static = format_size(c.static // c.count) if c.count else "0"
        cma = format_size(c.cma // c.count) if c.cma else "-"
        rows.append((c.name, str(c.count), str(c.ok), str(c.failed), outcome, static, cma,
                     _placement(c.first)))
    columns = ("class", "hosts", "pass", "fail", "outcome", "static/host", "CMA/host",
               "where (first host)")
    if tty:
        from rich.table import Table

        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for i, column in enumerate(columns):
            table.add_column(column, justify="right" if 1 <= i <= 3 or i in (5, 6) else "left")
        for row in rows:
            style = "red" if row[3] != "0" else ""
            table.add_row(*(escape(cell) for cell in row), style=style)
        out.print(table)
    else:
        widths = [max(len(columns[i]), *(len(r[i]) for r in rows)) if rows else len(columns[i])
                  for i in range(len(columns))]
        for row in (columns, *rows):
            out.print("  ".join(cell.ljust(widths[i]) if i in (0, 4, 7) else
                                cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip(),
                      markup=False)
    failing = [c for c in summary.classes.values() if c.failed]
    if failing:
        out.print("[bold]failing hosts[/]")
        for c in failing:
            for reason, (count, names) in c.reasons.items():
                more = f" and {count - len(names)} more" if count > len(names) else ""
                out.print(f"  [bold red]{escape(c.name)}[/]: {count} host"
                          f"{'s' if count != 1 else ''}: {escape(reason)} "
                          f"({escape(', '.join(names))}{more})")
    differing = summary.differing
    if differing:
        out.print("[bold]findings that differ between hosts[/]")
        messages = {}
        for c in summary.classes.values():
            severity, text = c.severity, c.messages
            messages.update({code: (severity[code], text[code]) for code in severity})
        for code, count in sorted(differing.items(), key=lambda kv: -kv[1]):
            severity, message = messages[code]
            out.print(f"  {code} ({severity}): {count} of {summary.hosts} hosts, e.g. "
                      f"{escape(message)}")
    out.print(f"static memory taken: {format_size(summary.static)} across the fleet"
              + (f", CMA {format_size(summary.cma)}" if summary.cma else ""))


def _placement(shape: Any) -> str:
    """Where the blocks land, or why nothing does."""
    if shape.blocks:
        return ", ".join(f"{k} {s:#x}-{e - 1:#x}" for k, s, e in shape.blocks)
    if shape.outcome == "nothing requested":
        return "-"
    return shape.reason


def run_suggest(args: argparse.Namespace, arch: str | None) -> int:
    """``--suggest``: the plan(s), who forces each bracket, and the cost against each host's
    own best plan; ``--rollout`` prints the Ansible files instead."""
    from crashmap.fleet.plan import plan_fleet

    if args.csv or args.jsonl:
        raise CrashmapError("--suggest prints a report or --json (per-host records: run "
                            "crashmap fleet --cmdline with the plan's words)")
    result = plan_fleet(args.paths, arch=arch, kernel=args.kernel, on_bad=_report)
    if result.hosts == 0:
        warn("no host could be read")
        return result.exit_code()
    if args.rollout:
        from crashmap.fleet.rollout import render as render_rollout

        sys.stdout.write(render_rollout(result, args.update_kernel))
    elif args.json:
        from crashmap.cli.common import print_json

        document = result.to_json()
        document["unreadable"] = result.bad
        print_json(document)
    else:
        sys.stdout.write(suggest_text(result))
    return result.exit_code()


def suggest_text(result: Any) -> str:
    """The plans for people: words, hosts, brackets with the hosts that force them, cost."""
    from crashmap.fleet.plan import describe_bracket
    from crashmap.units import format_size

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    head = f"fleet plan for {plural(result.hosts, 'host')}: {plural(len(result.plans), 'plan')}"
    if result.unplanned.count:
        head += f", {plural(result.unplanned.count, 'host')} without one"
    if result.bad_count:
        head += f"; {plural(result.bad_count, 'member')} unreadable"
    out = [head]
    for number, plan in enumerate(result.plans, 1):
        who = "every host" if plan.hosts == result.hosts else plural(plan.hosts, "host")
        out += ["", f"plan {number} ({who}): {plan.cmdline}"]
        if plan.kind == "high":
            out.append("  ,high: these hosts' static block does not fit below the low limit "
                       "(a range table cannot be ,high)")
            out.append(f"  static {format_size(plan.brackets[0].static)}, forced by "
                       + ", ".join(plan.brackets[0].forced_by))
        else:
            out.extend(f"  {describe_bracket(bracket)}" for bracket in plan.brackets)
        if plan.cma:
            out.append(f"  ,cma {format_size(plan.cma)}, forced by {', '.join(plan.cma_by)}")
        ranked = sorted(plan.classes.items(), key=lambda kv: -kv[1])
        classes = ", ".join(f"{name} ({n})" for name, n in ranked[:6])
        more = f" and {len(ranked) - 6} more" if len(ranked) > 6 else ""
        out.append(f"  classes: {classes}{more}")
        out.append(f"  static RAM: {format_size(plan.static)}; with each host's own best plan "
                   f"{format_size(plan.own_static)} ({_signed(plan.static - plan.own_static)})"
                   + (f"; CMA {format_size(plan.cma_taken)}" if plan.cma_taken else ""))
    if result.unplanned.count:
        out += ["", f"no plan ({plural(result.unplanned.count, 'host')}):"]
        for reason, (count, names) in result.unplanned.reasons.items():
            more = f" and {count - len(names)} more" if count > len(names) else ""
            out.append(f"  {count}: {reason} ({', '.join(names)}{more})")
    extra = result.static - result.own_static
    share = f", {extra * 100 / result.own_static:+.1f}%" if result.own_static else ""
    out += ["", f"the fleet pays {format_size(result.static)} of static RAM in all; each "
                f"host's own best plan would take {format_size(result.own_static)} "
                f"({_signed(extra)}{share})"
                + (f"; CMA {format_size(result.cma)} (usable until a crash)" if result.cma
                   else ""),
            "rollout: add --rollout for the Ansible group_vars, host_vars and task file"]
    return "\n".join(out) + "\n"


def _signed(n: int) -> str:
    from crashmap.units import format_size

    return ("+" if n >= 0 else "-") + format_size(abs(n))
