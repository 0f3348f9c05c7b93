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
    was none); the other old ones go together with the whitespace in front of them. A space is
    added after the new words when a tab or the like would follow them (spec §2.2: only a space
    ends a word; a final newline is kept as is, the kernel never sees a file's newline).
    """
    new = " ".join(words)
    spans = crashkernel_spans(cmdline)
    if not spans:
        if not new:
            return cmdline
        body = cmdline.rstrip(WHITESPACE)
        head = f"{body} {new}" if body else new
        return _end_word(head, cmdline[len(body):])
    out, cursor, new_end = [], 0, None
    for i, (start, end) in enumerate(spans):
        if i == 0 and new:
            out.append(cmdline[cursor:start] + new)
            new_end = sum(map(len, out))
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
    text = "".join(out)
    return text if new_end is None else _end_word(text[:new_end], text[new_end:])


def _end_word(head: str, rest: str) -> str:
    """``head + rest``, with a space between when ``rest`` starts with a tab or the like."""
    if rest and rest[0] != " " and rest[0] in WHITESPACE and rest.strip("\n"):
        return f"{head} {rest}"
    return head + rest
