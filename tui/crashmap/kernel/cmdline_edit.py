"""Swap the ``crashkernel=`` parameters of a whole command line, leaving the rest byte-identical."""

from __future__ import annotations

from collections.abc import Sequence

PARAM = "crashkernel="
WHITESPACE = " \t\n\r\v\f"


def crashkernel_spans(cmdline: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every whitespace-separated parameter that starts with ``crashkernel=``.

    Look-alikes such as ``xcrashkernel=`` belong to other parameters and are left alone (the
    linter reports them).
    """
    spans, pos, n = [], 0, len(cmdline)
    while pos < n:
        while pos < n and cmdline[pos] in WHITESPACE:
            pos += 1
        end = pos
        while end < n and cmdline[end] not in WHITESPACE:
            end += 1
        if cmdline.startswith(PARAM, pos):
            spans.append((pos, end))
        pos = end
    return spans


def replace_crashkernel(cmdline: str, words: Sequence[str]) -> str:
    """``cmdline`` with its crashkernel= parameters replaced by ``words``.

    The new words take the place of the first old one (or go after the last parameter when there
    was none); the other old ones go together with the whitespace in front of them.
    """
    new = " ".join(words)
    spans = crashkernel_spans(cmdline)
    if not spans:
        if not new:
            return cmdline
        body = cmdline.rstrip(WHITESPACE)
        tail = cmdline[len(body):]
        return f"{body} {new}{tail}" if body else f"{new}{tail}"
    out, cursor = [], 0
    for i, (start, end) in enumerate(spans):
        if i == 0 and new:
            out.append(cmdline[cursor:start])
            out.append(new)
        else:
            cut = start
            while cut > 0 and cmdline[cut - 1] in WHITESPACE:
                cut -= 1
            if cut < cursor or (cut == 0 and i == 0):  # at the very start: eat what follows
                out.append(cmdline[cursor:start])
                while end < len(cmdline) and cmdline[end] in WHITESPACE:
                    end += 1
            else:
                out.append(cmdline[cursor:cut])
        cursor = end
    out.append(cmdline[cursor:])
    return "".join(out)
