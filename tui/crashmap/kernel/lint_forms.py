"""Lints for forms people write that the kernel does not read as they meant.

Kept apart from :mod:`crashmap.kernel.lint` (one function per finding); ``lint_crashkernel``
calls :func:`form_findings`.

- ``bare-crashkernel``: a ``crashkernel`` word without ``=``. ``get_last_crashkernel()``
  (kernel/crash_reserve.c) looks for the substring ``crashkernel=``, so the word is never read;
  the boot code hands a parameter it does not know to init (init/main.c
  ``unknown_bootoption``), and nothing is reserved from it.
- ``range-missing-start``: a range entry such as ``-512M:64M``. ``parse_crashkernel_mem()``
  reads the start with ``memparse()``, which makes no progress on ``-``: "Memory value
  expected", and the whole word is rejected. The start must be written: ``0-512M:64M``.
"""

from __future__ import annotations

from crashmap.kernel.grammar import CrashkernelResult
from crashmap.kernel.lint import Lint
from crashmap.kernel.memparse import memparse

WHITESPACE = " \t\n\r\v\f"
_NAME = "crashkernel"


def form_findings(result: CrashkernelResult) -> list[Lint]:
    """Every finding of this module for one parse, in command-line order."""
    return bare_word_findings(result.cmdline) + missing_start_findings(result)


def _tokens(line: str) -> list[tuple[int, str]]:
    tokens, pos, n = [], 0, len(line)
    while pos < n:
        while pos < n and line[pos] in WHITESPACE:
            pos += 1
        end = pos
        while end < n and line[end] not in WHITESPACE:
            end += 1
        if end > pos:
            tokens.append((pos, line[pos:end]))
        pos = end
    return tokens


def bare_word_findings(line: str) -> list[Lint]:
    """``crashkernel`` (or ``crashkernel =256M``, ``CRASHKERNEL=256M``) that is not read."""
    found = []
    tokens = _tokens(line)
    for i, (start, token) in enumerate(tokens):
        if token == _NAME:
            after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            hint = (f"; the value went into a separate word {after!r}: write "
                    f"'{_NAME}{after}'" if after.startswith("=") and len(after) > 1 else "")
            found.append(Lint(
                "bare-crashkernel", "warning",
                f"{token!r} has no '=' and is not a crashkernel= parameter{hint}",
                "get_last_crashkernel() (kernel/crash_reserve.c) looks for 'crashkernel=' "
                "only, so this word reserves nothing; the kernel passes an unknown word to init "
                "(init/main.c unknown_bootoption)", start))
        elif token.lower().startswith(_NAME + "=") and not token.startswith(_NAME + "="):
            found.append(Lint(
                "crashkernel-name-case", "warning",
                f"{token!r} is not read: the parameter name is lower case 'crashkernel='",
                "get_last_crashkernel() (kernel/crash_reserve.c) finds the name with strstr(), "
                "which is case-sensitive, so this word reserves nothing", start))
    return found


def missing_start_findings(result: CrashkernelResult) -> list[Lint]:
    """Range entries with no start (``-512M:64M``), with the start to write."""
    found = []
    for use in result.words:
        word = use.word
        if word.kind != "plain" or ":" not in word.value:
            continue
        previous_end = "0"
        for entry in _entries(word.value):
            if ":" not in entry:
                break
            ranges = entry.split(":", 1)[0]
            if ranges.startswith("-"):
                fixed = f"{previous_end}{entry}"
                found.append(Lint(
                    "range-missing-start",
                    "error" if use.status == "used" and not result.ok else "warning",
                    f"range entry {entry!r} of {word.text!r} has no start: write {fixed!r}",
                    "parse_crashkernel_mem() (kernel/crash_reserve.c) reads each start with "
                    "memparse(), which reads nothing from '-': 'Memory value expected', and the "
                    "kernel rejects the whole word", word.start))
            end = ranges.partition("-")[2]
            _, stop = memparse(end, 0)
            previous_end = end if end and stop == len(end) else previous_end
    return found


def _entries(value: str) -> list[str]:
    """The comma-separated entries before an ``@offset``."""
    return value.split("@", 1)[0].split(",")


__all__ = ["bare_word_findings", "form_findings", "missing_start_findings"]
