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
from crashmap.kernel.params import find_params, next_arg, param_at

_NAME = "crashkernel"


def form_findings(result: CrashkernelResult) -> list[Lint]:
    """Every finding of this module for one parse, in command-line order."""
    return bare_word_findings(result.cmdline) + missing_start_findings(result)


def bare_word_findings(line: str) -> list[Lint]:
    """``crashkernel`` (or ``crashkernel =256M``, ``CRASHKERNEL=256M``) that is not read.

    Parameters are split as ``next_arg()`` splits them (:mod:`crashmap.kernel.params`), so a
    word inside another parameter's quoted value (``foo="a crashkernel b"``) is not one."""
    found = []
    for start, end in find_params(line, (_NAME, '"' + _NAME), ignore_case=True):
        param, text = param_at(line, start, end), line[start:end]
        if param.name == _NAME and param.value is None:
            following = next_arg(line, end)[0]
            after = line[following.start:following.end] if following is not None else ""
            hint = (f"; the value went into a separate word {after!r}: write "
                    f"'{_NAME}{after}'" if after.startswith("=") and len(after) > 1 else "")
            found.append(Lint(
                "bare-crashkernel", "warning",
                f"{text!r} has no '=' and is not a crashkernel= parameter{hint}",
                "get_last_crashkernel() (kernel/crash_reserve.c) looks for 'crashkernel=' "
                "only, so this word reserves nothing; the kernel passes an unknown word to init "
                "(init/main.c unknown_bootoption)", param.start))
        elif (param.value is not None and param.name.lower() == _NAME
              and param.name != _NAME):
            found.append(Lint(
                "crashkernel-name-case", "warning",
                f"{text!r} is not read: the parameter name is lower case 'crashkernel='",
                "get_last_crashkernel() (kernel/crash_reserve.c) finds the name with strstr(), "
                "which is case-sensitive, so this word reserves nothing", param.start))
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
