"""``crashmap man``: the manual page, crashmap(1), in roff, made from the parser.

A package installs it at build time (``crashmap man > crashmap.1``, then into
``/usr/share/man/man1``); ``man -l <(crashmap man)`` reads it without installing. The date is
``$SOURCE_DATE_EPOCH`` when set (reproducible builds), else left out.
"""

from __future__ import annotations

import argparse
import os

from crashmap import __version__
from crashmap.cli.common import Exit
from crashmap.cli.exitcodes import EVERY_COMMAND, EXIT_CODES
from crashmap.cli.parserinfo import Command, commands, top_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

SEE_ALSO = ("kdumpctl(8)", "kdump-config(8)", "kdumptool(8)", "grubby(8)", "makedumpfile(8)",
            "kexec(8)")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "man", help="print the manual page crashmap(1) as roff",
        description="Print the manual page, generated from crashmap's own parser, on stdout.",
        epilog="install: crashmap man > /usr/share/man/man1/crashmap.1\n"
               "read it: man -l <(crashmap man)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    sys.stdout.write(page())
    return Exit.OK


def roff(text: str) -> str:
    """Text safe in a roff line: backslashes and hyphens escaped, no control line start."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return f"\\&{text}" if text[:1] in (".", "'") else text


def _date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return ""
    import time

    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))


def _paragraphs(text: str) -> list[str]:
    """Free text (a description or an epilog) as roff: blank lines become .PP, indented lines
    stay as they are (.nf), the rest is filled."""
    out: list[str] = []
    block: list[str] = []
    literal = False

    def flush() -> None:
        if block:
            out.append(roff(" ".join(" ".join(block).split())))
            block.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
            if literal:
                out.append(".fi")
                literal = False
            out.append(".PP")
            continue
        if line.startswith("  "):
            flush()
            if not literal:
                out.append(".nf")
                literal = True
            out.append(roff(line))
            continue
        if literal:
            out.append(".fi")
            literal = False
        block.append(line)
    flush()
    if literal:
        out.append(".fi")
    return out


def _command(command: Command) -> list[str]:
    out = [f".SS crashmap {roff(command.name)}"]
    usage = command.usage.replace("usage: ", "", 1).rstrip().splitlines()
    out += [".nf", *(roff(line) for line in usage), ".fi"]
    if command.help:
        out += [".PP", roff(command.help[:1].upper() + command.help[1:] + ".")]
    if command.description and command.description.strip() != command.help:
        out += _paragraphs(command.description)
    for positional in command.positionals:
        out += [".TP", f"\\fI{roff(positional.metavar)}\\fR", roff(positional.help or "")]
    for option in command.options:
        flags = ", ".join(f"\\fB{roff(flag)}\\fR" for flag in option.flags)
        if option.metavar:
            flags += f" \\fI{roff(option.metavar)}\\fR"
        out += [".TP", flags, roff(option.help or "")]
    epilog = command.epilog.split("exit codes:")[0]
    if epilog.strip():
        out += [".PP", *_paragraphs(epilog)]
    return out


def page() -> str:
    """crashmap(1) in roff."""
    found = commands()
    out = [
        f'.TH CRASHMAP 1 "{_date()}" "crashmap {__version__}" "User Commands"',
        ".SH NAME",
        "crashmap \\- map physical memory and plan kdump crashkernel= reservations",
        ".SH SYNOPSIS",
        ".nf",
        "\\fBcrashmap\\fR [\\fISOURCE\\fR] [\\fIoptions\\fR]",
        "\\fBcrashmap\\fR \\fICOMMAND\\fR [\\fIoptions\\fR]",
        ".fi",
        ".SH DESCRIPTION",
        roff("crashmap reads /proc/iomem (live, or from a snapshot, a raw dump, a sosreport or "
             "supportconfig), parses crashkernel= exactly as the kernel does on each "
             "architecture, predicts where the next boot puts every block (or why it fails), "
             "explains each finding and prints the command line for the boot loader. It only "
             "reads: it never changes the system it runs on. Without a COMMAND it opens the "
             "interactive map."),
        ".PP",
        roff("SOURCE is one of: live (the default), a snapshot .yaml, a raw /proc/iomem text "
             "file, an extracted sosreport or supportconfig directory, or the name of a bundled "
             "map (crashmap show --list)."),
        ".SH OPTIONS",
    ]
    for option in top_options():
        out += [".TP", ", ".join(f"\\fB{roff(flag)}\\fR" for flag in option.flags),
                roff(option.help)]
    out.append(".SH COMMANDS")
    for command in found:
        out += _command(command)
    out.append(".SH EXIT STATUS")
    for name, codes in EXIT_CODES.items():
        out += [".TP", f"\\fB{roff(name)}\\fR"]
        out.append(roff("; ".join(f"{code}: {text}" for code, text in enumerate(codes)
                                  if text != "\u2014")))
    out += [".PP", roff("Any command: " + "; ".join(f"{code}: {text}"
                                                   for code, text in EVERY_COMMAND) + ".")]
    out += [".SH SEE ALSO", ", ".join(f"\\fB{name.split('(')[0]}\\fR({name.split('(')[1]}"
                                       for name in SEE_ALSO)]
    return "\n".join(out) + "\n"
