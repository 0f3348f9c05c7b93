"""The exit-code contract of every subcommand: what 0, 1 and 2 mean.

The README's "Exit codes" table says the same, word for word (``tests/cli/test_exit_codes.py``
compares them and runs the README's examples); each subcommand's ``--help`` prints its row. A new
subcommand adds its row here and in the README.
"""

from __future__ import annotations

EXIT_CODES: dict[str, tuple[str, str, str]] = {
    "tui": ("the app was quit",
            "—",
            "usage error, unknown --arch, unreadable SOURCE (an unreadable live map opens the "
            "demo instead)"),
    "show": ("the map (or the list) was printed",
             "—",
             "usage error, unreadable SOURCE"),
    "snapshot": ("the snapshot was printed or written",
                 "—",
                 "usage error, unreadable SOURCE, FILE not written (it exists and no --force, "
                 "it is not a regular file, the disk is full)"),
    "cmdline": ("the kernel accepts the crashkernel= words (or there are none) and no lint is an "
                "error",
                "the kernel rejects the words, or a lint is an error (--batch: any line, or a "
                "line that is not a JSON object)",
                "usage error"),
    "check": ("no finding is an error (warnings do not count) and the reservation does not fail",
              "an error finding, or nothing can be reserved",
              "usage error, unreadable SOURCE"),
    "verify": ("configured, reserved, loaded and predicted agree (a row the source does not "
               "show is unknown, not a disagreement)",
               "a row differs: configured vs reserved vs predicted, the boot entry or "
               "kdumptool's expected words vs /proc/cmdline, or no capture kernel loaded",
               "usage error, unreadable SOURCE"),
    "export": ("the text was printed (with --force, even for a plan check fails)",
               "the plan fails check on this map: nothing was printed",
               "usage error, unreadable SOURCE, fadump=on or nocma off ppc64le"),
    "estimate": ("the estimate was printed",
                 "the suggested plan cannot be placed on this map",
                 "usage error, unreadable SOURCE, or a --calibrate / --kdumpctl-estimate "
                 "FILE that is unreadable or not that output"),
    "fleet": ("every host passes",
              "a host fails, or a member could not be read",
              "usage error, or no member could be read"),
    "serve": ("the server was stopped (Ctrl-C or SIGTERM is its normal end: 0, not 130), or "
              "the lessons were listed",
              "—",
              "usage error, unreadable SOURCE, live without --live, textual-serve not installed, "
              "the port cannot be listened on"),
    "completion": ("the script was printed", "—", "usage error (a shell other than bash, zsh, "
                   "fish)"),
    "man": ("the manual page was printed", "—", "usage error"),
}
"""Subcommand → (exit 0, exit 1, exit 2); "—" where the code is never used."""

EVERY_COMMAND: tuple[tuple[int, str], ...] = (
    (130, "interrupted (Ctrl-C)"),
    (141, "the reader of stdout went away (`crashmap show | head -1`): no message, the status "
          "the shell shows for cat there; any other failure to write stdout is 2"),
)
"""What any subcommand may also end with."""


def help_text(command: str, width: int = 78) -> str:
    """The ``exit codes:`` paragraph of a subcommand's ``--help``."""
    codes = EXIT_CODES.get(command)
    if codes is None:
        return ""
    lines = ["exit codes:"]
    for code, text in enumerate(codes):
        if text != "—":
            lines += _wrap(f"  {code}  ", text, width)
    for code, text in EVERY_COMMAND:
        lines += _wrap(f"  {code}  ", text, width)
    return "\n".join(lines)


def _wrap(head: str, text: str, width: int) -> list[str]:
    """``text`` after ``head``, wrapped at ``width`` and indented under its first word (a few
    lines of help: not worth importing textwrap on every run)."""
    lines, line = [], head
    for word in text.split():
        if len(line) > len(head) and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = " " * len(head) + word
        else:
            line += ("" if len(line) == len(head) else " ") + word
    lines.append(line)
    return lines
