"""``crashmap cmdline``: what the kernel makes of the crashkernel= words in a command line."""

from __future__ import annotations

import argparse
import json
import sys

from crashmap.arch import normalize_arch
from crashmap.cli.common import Exit, add_kernel_argument, print_json, target_kernel, warn
from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import CrashkernelResult, parse_crashkernel
from crashmap.kernel.lint import Lint, lint_crashkernel
from crashmap.units import format_size, parse_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import IO, Any

DESCRIPTION = """\
Read a kernel command line exactly as parse_crashkernel() of the kernel that will boot does on
the given architecture: which crashkernel= words count, what size, base, ,high/,low and ,cma it
yields, and why words are ignored. The kernel is --kernel, else this machine's running kernel
(when the architecture is this machine's too), else the newest kernel crashmap models.
"""
EPILOG = """\
--batch reads JSON lines {"cmdline": str, "ram": int, "arch": str, "kernel": str} on stdin
("kernel" optional) and writes one compact JSON object per line, in order; a bad line gives
{"ok": false, "error": ...}.
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cmdline", help="explain and lint the crashkernel= words of a kernel command line",
        description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("cmdline", nargs="?", default=None, metavar="CMDLINE",
                        help="a whole kernel command line (default: this machine's /proc/cmdline)")
    parser.add_argument("--arch", default=None,
                        help="architecture, e.g. x86_64, aarch64, ppc64le (default: this machine)")
    parser.add_argument("--ram", default=None, metavar="SIZE",
                        help="the kernel's system_ram, bytes or with a unit such as 16G "
                             "(default: this machine's System RAM)")
    parser.add_argument("--add", default=None, metavar="SIZE",
                        help="first add SIZE (e.g. 64M; a negative one as --add=-16M) to "
                             "every size of every crashkernel= word, as kdumpctl's "
                             "_crashkernel_add does, and show the line read (JSON: "
                             "\"cmdline\")")
    add_kernel_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--batch", action="store_true", help="JSON lines in, JSON lines out")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.batch:
        if args.cmdline is not None:
            raise CrashmapError("--batch reads command lines from stdin; give no CMDLINE")
        if args.add is not None:
            raise CrashmapError("--add works on one CMDLINE, not with --batch")
        ram = _parse_ram(args.ram) if args.ram is not None else None
        arch = normalize_arch(args.arch) if args.arch is not None else None
        kernel = target_kernel(args.kernel) if args.kernel is not None else None
        return run_batch(sys.stdin, sys.stdout, default_ram=ram, default_arch=arch,
                         default_kernel=kernel)
    cmdline, ram, arch = resolve_inputs(args.cmdline, args.ram, args.arch)
    if args.add is not None:
        cmdline = add_to_words(cmdline, args.add)
    kernel = target_kernel(args.kernel, release=_live_release() if args.arch is None else None)
    result = parse_crashkernel(cmdline, ram, arch, kernel=kernel)
    findings = lint_crashkernel(result)
    if args.json:
        data = result_dict(result, findings)
        if args.add is not None:
            data["cmdline"] = cmdline  # the line read, after --add
        print_json(data)
    else:
        print_human(result, findings, added=args.add)
    return Exit.FINDINGS if is_finding(result, findings) else Exit.OK


NOTHING_ASKED = ("no-crashkernel", "zero-size")
"""Parse "failures" that are no finding: no crashkernel= at all, or an explicit size 0."""


def is_finding(result: CrashkernelResult, findings: tuple[Lint, ...]) -> bool:
    """Exit 1: the kernel rejects the crashkernel= words, or a lint is an error. A line that
    asks for nothing (no crashkernel=, ``crashkernel=0``) is not a finding, as in ``check``."""
    rejected = not result.ok and result.error_code not in NOTHING_ASKED
    return rejected or any(finding.severity == "error" for finding in findings)


def add_to_words(cmdline: str, delta: str) -> str:
    """``cmdline`` with ``delta`` added to every crashkernel= parameter (``--add``)."""
    from crashmap.kernel.arith import crashkernel_add
    from crashmap.kernel.cmdline_edit import crashkernel_spans

    out, cursor = [], 0
    for start, end in crashkernel_spans(cmdline):
        try:
            word = crashkernel_add(cmdline[start:end], delta)
        except CrashmapError as error:
            raise CrashmapError(f"--add: {error}") from None
        out += [cmdline[cursor:start], word]
        cursor = end
    if not out:
        raise CrashmapError("--add: the command line has no crashkernel= parameter")
    return "".join(out) + cmdline[cursor:]


def _live_release() -> str | None:
    """This machine's running kernel release (``uname -r``)."""
    import platform

    return platform.release() or None


def _parse_ram(text: str) -> int:
    try:
        ram = parse_size(text)
    except ValueError as error:
        raise CrashmapError(f"--ram: {error}") from None
    if not 0 <= ram < 1 << 64:
        raise CrashmapError(f"--ram: {text!r} does not fit the kernel's 64-bit system_ram")
    return ram


def resolve_inputs(cmdline: str | None, ram_text: str | None,
                   arch_name: str | None) -> tuple[str, int, str]:
    """The command line, RAM and canonical arch: the arguments, else this machine's values."""
    ram = _parse_ram(ram_text) if ram_text is not None else None
    arch = normalize_arch(arch_name) if arch_name is not None else None
    if cmdline is None or ram is None or arch is None:
        live_cmdline, live_ram, live_arch = live_defaults(need_ram=ram is None)
        if cmdline is None:
            if live_cmdline is None:
                raise CrashmapError("cannot read /proc/cmdline; give CMDLINE")
            cmdline = live_cmdline
        if ram is None:
            if live_ram is None:
                raise CrashmapError("cannot tell this machine's RAM; give --ram")
            ram = live_ram
        if arch is None:
            if not live_arch:
                raise CrashmapError("cannot tell this machine's architecture; give --arch")
            arch = normalize_arch(live_arch)
    return cmdline, ram, arch


def live_defaults(*, need_ram: bool = True) -> tuple[str | None, int | None, str | None]:
    """This machine's command line (trailing newline removed), ``system_ram`` and arch.

    RAM is the sum of System RAM in /proc/iomem when readable; otherwise MemTotal, which is
    smaller than the kernel's memblock count, so a note says so on stderr.
    """
    try:
        from crashmap.sources import load_source

        snapshot = load_source("live")
        cmdline, ram, arch = snapshot.cmdline, snapshot.system_ram, snapshot.arch
        if need_ram and ram is not None and ram == snapshot.mem_total:
            warn("System RAM in /proc/iomem is not readable; using MemTotal, which is smaller "
                 "than the kernel's system_ram")
    except (ImportError, CrashmapError, OSError):
        cmdline, ram, arch = _fallback_defaults(need_ram)
    if cmdline is not None and cmdline.endswith("\n"):
        cmdline = cmdline[:-1]
    return cmdline, ram, arch


def _fallback_defaults(need_ram: bool) -> tuple[str | None, int | None, str | None]:
    """/proc/cmdline, psutil's MemTotal and platform.machine(), when no map can be read."""
    import platform

    try:
        with open("/proc/cmdline", encoding="utf-8", errors="surrogateescape") as handle:
            cmdline: str | None = handle.read()
    except OSError:
        cmdline = None
    ram = None
    if need_ram:
        try:
            import psutil

            ram = int(psutil.virtual_memory().total)
            warn("using MemTotal as system RAM (/proc/iomem is unreadable); the kernel counts "
                 "a little more")
        except Exception:  # psutil can fail in odd containers
            ram = None
    return cmdline, ram, platform.machine() or None


def result_dict(result: CrashkernelResult, findings: tuple[Lint, ...]) -> dict[str, Any]:
    """The JSON schema of ``--json`` and ``--batch`` (required keys first)."""
    plain = result.plain
    return {
        "ok": result.ok,
        "crash_size": result.crash_size,
        "crash_base": result.crash_base,
        "low_size": result.low_size,
        "cma_size": result.cma_size,
        "high": result.high,
        "error": result.error,
        "warnings": [str(finding) for finding in findings],
        "arch": result.arch,
        "ram": result.system_ram,
        "kernel": result.kernel.as_dict() if result.kernel is not None else None,
        "ret": result.ret,
        "error_code": result.error_code,
        "cma_kept": result.cma_kept,
        "syntax": plain.syntax if plain else None,
        "range_total_mem": plain.total_mem if plain else None,
        "kernel_messages": list(result.messages),
        "words_used": [{"word": u.word.text, "start": u.word.start, "reason": u.reason}
                       for u in result.words if u.status == "used"],
        "words_ignored": [{"word": u.word.text, "start": u.word.start, "status": u.status,
                           "reason": u.reason} for u in result.words if u.status != "used"],
        "lint": [finding.as_dict() for finding in findings],
    }


def _bad_line(number: int, message: str) -> dict[str, Any]:
    return {"ok": False, "crash_size": 0, "crash_base": 0, "low_size": 0, "cma_size": 0,
            "high": False, "error": f"input line {number}: {message}", "warnings": [],
            "error_code": "bad-input"}


BATCH_MEMO = 65_536
"""Distinct ``--batch`` lines whose answers are kept for repeats."""


def batch_line(text: str, number: int, default_ram: int | None = None,
               default_arch: str | None = None, default_kernel: Any = None) -> dict[str, Any]:
    """One ``--batch`` input line → its output object (never raises for bad input)."""
    if not text.strip():
        return _bad_line(number, "empty line")
    try:
        item = json.loads(text)
    except ValueError as error:
        return _bad_line(number, f"not JSON ({error})")
    if not isinstance(item, dict):
        return _bad_line(number, "expected a JSON object")
    cmdline, ram, arch = item.get("cmdline"), item.get("ram", default_ram), item.get(
        "arch", default_arch)
    if not isinstance(cmdline, str):
        return _bad_line(number, '"cmdline" must be a string')
    try:
        if isinstance(ram, str):
            ram = _parse_ram(ram)
        if isinstance(ram, bool) or not isinstance(ram, int) or not 0 <= ram < 1 << 64:
            return _bad_line(number, '"ram" must be an integer number of bytes below 2**64')
        if not isinstance(arch, str):
            return _bad_line(number, '"arch" must be a string')
        kernel = item.get("kernel")
        if kernel is not None and not isinstance(kernel, str):
            return _bad_line(number, '"kernel" must be a string such as "7.3.4"')
        if kernel is not None:
            from crashmap.kernel.target import parse_release

            target = parse_release(kernel)
        else:
            target = default_kernel
        result = parse_crashkernel(cmdline, ram, normalize_arch(arch), kernel=target)
    except CrashmapError as error:
        return _bad_line(number, str(error))
    findings = lint_crashkernel(result)
    out = result_dict(result, findings)
    out["finding"] = is_finding(result, findings)
    return out


def run_batch(stdin: IO[str], stdout: IO[str], *, default_ram: int | None = None,
              default_arch: str | None = None, default_kernel: Any = None) -> int:
    """JSON lines in, compact JSON lines out, same order; 1 if any line is not ok.

    A line repeated verbatim (fleets send the same command line and RAM size from many hosts)
    is answered from the first one's output: the answer depends on the line and the defaults
    only. Bad lines are never reused (their error names their line number)."""
    status = Exit.OK
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    write = stdout.write
    answered: dict[str, tuple[str, bool]] = {}
    for number, text in enumerate(stdin, 1):
        known = answered.get(text)
        if known is None:
            out = batch_line(text, number, default_ram, default_arch, default_kernel)
            known = (dumps(out), out.get("error_code") == "bad-input" or bool(out.get("finding")))
            if out.get("error_code") != "bad-input" and len(answered) < BATCH_MEMO:
                answered[text] = known
        if known[1]:
            status = Exit.FINDINGS
        write(known[0])
        write("\n")
    stdout.flush()
    return status


def print_human(result: CrashkernelResult, findings: tuple[Lint, ...], *,
                added: str | None = None) -> None:
    """The explanation for people: rich markup on a terminal, plain text when piped; with
    ``added`` (``--add``), the line read first."""
    from rich.markup import escape

    from crashmap.cli.common import console

    out = console()
    if added is not None:
        out.print(f"[bold]after --add {escape(added)}:[/] {escape(_visible(result.cmdline))}")
    out.print(f"[bold]crashkernel= on {result.arch}[/] with system RAM "
              f"{format_size(result.system_ram)} ({result.system_ram} bytes)")
    if result.kernel is not None:
        out.print(f"[dim]as read by {escape(result.kernel.describe())}[/]")
    if result.ok:
        out.print("[green]The kernel accepts it[/] (parse_crashkernel() returns 0).")
    elif result.error_code in NOTHING_ASKED:
        error = escape(_visible(result.error or ""))
        out.print(f"[dim]Nothing is asked:[/] {error[:1].upper() + error[1:]}.")
    else:
        error = escape(_visible(result.error or ""))
        out.print(f"[red]The kernel reserves nothing:[/] {error}")
    rows = _request_rows(result)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        out.print(f"  {label:<{width}}  {escape(value)}")
    if result.words:
        out.print("[bold]Words[/]")
        for use in result.words:
            colour = {"used": "green", "overridden": "yellow", "ignored": "yellow"}[use.status]
            out.print(f"  [{colour}]{use.status:<10}[/] {escape(repr(use.word.text))}: "
                      f"{escape(_visible(use.reason))}")
    if result.messages:
        out.print("[bold]Kernel log[/]")
        for message in result.messages:
            out.print(f"  {escape(_visible(message))}")
    if findings:
        out.print("[bold]Findings[/]")
        for finding in findings:
            colour = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
            out.print(f"  [{colour}]{finding.severity:<7}[/] {finding.code}: "
                      f"{escape(_visible(finding.message))}")
            out.print(f"  {'':<7} {escape(finding.reason)}.")


def _visible(text: str) -> str:
    """Control characters (a tab, a newline) as escapes, so one message stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _request_rows(result: CrashkernelResult) -> list[tuple[str, str]]:
    """What the kernel will request; values left in the variables after an error are marked."""
    note = "" if result.ok else " (left over, not used)"
    base = f"{result.crash_base:#x} ({format_size(result.crash_base)})" if result.crash_base \
        else "automatic"
    rows = [("static size", format_size(result.crash_size) + note),
            ("base", base + (note if result.crash_base else "")),
            ("high", "yes (,high)" if result.high else "no")]
    if result.high:
        explicit = any(u.word.kind == "low" and u.status == "used" for u in result.words)
        rows.append(("low size", format_size(result.low_size)
                     + ("" if explicit else " (arch default)")))
    cma = format_size(result.cma_size) if result.cma_size else "none"
    if result.cma_size and not result.cma_kept:
        cma += " (not reserved)"
    rows.append(("CMA size", cma))
    return rows
