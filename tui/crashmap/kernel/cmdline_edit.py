"""Swap the ``crashkernel=`` parameters of a whole command line, leaving the rest byte-identical.

A ``--`` ends the kernel's parameters: ``parse_args()`` (kernel/params.c) stops there and
``init/main.c`` hands every later word to init as an argument. New words therefore go before it,
and no word is ever moved across it. (The crashkernel= parser itself still finds a word after
``--``: ``get_last_crashkernel()`` searches the whole ``boot_command_line``, as a Linux 7.3.4 boot
confirms; so an old crashkernel= after ``--`` is removed, or it would override the plan.)
"""

from __future__ import annotations

from collections.abc import Sequence

from crashmap.kernel.params import WHITESPACE, Param, find_params, init_args_start, param_at

PARAM = "crashkernel="


def crashkernel_params(cmdline: str) -> list[Param]:
    """Every parameter ``next_arg()`` splits off (:mod:`crashmap.kernel.params`) that is written
    ``crashkernel=...``, on either side of ``--``.

    Look-alikes such as ``xcrashkernel=`` and a ``crashkernel=`` inside another parameter's
    quoted value belong to other parameters and are left alone (the linter reports them).
    """
    return [param_at(cmdline, start, end) for start, end in crashkernel_spans(cmdline)]


def crashkernel_spans(cmdline: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each of :func:`crashkernel_params`."""
    return find_params(cmdline, (PARAM,))


def replace_crashkernel(cmdline: str, words: Sequence[str]) -> str:
    """``cmdline`` with its crashkernel= parameters replaced by ``words``.

    The new words take the place of the first old one before ``--`` (or go after the last kernel
    parameter, before ``--`` when there is one); the other old ones, on either side of ``--``, go
    together with the whitespace in front of them. A space is added after the new words when a
    tab or the like would follow them (``get_last_crashkernel()`` ends a word at a space only; a
    final newline is kept as is, the kernel never sees a file's newline).
    """
    new = " ".join(words)
    spans = crashkernel_spans(cmdline)
    if new and spans and spans[0][0] > init_args_start(cmdline):
        return _insert(replace_crashkernel(cmdline, ()), new)  # only init's words to drop
    if not spans:
        return _insert(cmdline, new) if new else cmdline
    return _replace(cmdline, spans, new)


def _insert(cmdline: str, new: str) -> str:
    """``new`` after the last kernel parameter: before ``--``, else at the end."""
    separator = init_args_start(cmdline)
    if separator < len(cmdline):
        return f"{cmdline[:separator]}{new} {cmdline[separator:]}"
    body = cmdline.rstrip(WHITESPACE)
    head = f"{body} {new}" if body else new
    return _end_word(head, cmdline[len(body):])


def _replace(cmdline: str, spans: list[tuple[int, int]], new: str) -> str:
    """The old words at ``spans`` out, ``new`` in the place of the first one."""
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


__all__ = ["PARAM", "WHITESPACE", "crashkernel_params", "crashkernel_spans", "init_args_start",
           "replace_crashkernel"]
