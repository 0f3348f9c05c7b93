"""Split a command line into parameters as the kernel's ``next_arg()`` does (lib/cmdline.c).

``parse_args()`` (kernel/params.c) skips whitespace, then ``next_arg()`` takes one parameter: a
leading ``"`` opens a quote, every later ``"`` toggles it, and the parameter ends at the first
whitespace outside quotes (an unclosed quote runs to the end of the line). The name is what comes
before the first ``=`` (an ``=`` in the very first place does not count: ``equals`` stays 0), the
value what follows it, None without one; a value that opens with ``"`` loses that quote and a
closing one, and so does a parameter that opens with ``"``. A parameter named ``--`` with no value
(``--``, ``"--"``) ends the kernel's parameters: the rest goes to init (init/main.c).

crashmap only reads: each :class:`Param` keeps ``start`` and ``end`` in the original text, so
callers can edit the line byte for byte around it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import namedtuple
from functools import lru_cache

WHITESPACE = " \t\n\r\v\f"
"""What ``isspace()`` accepts (lib/ctype.c) among ASCII, the separators of ``next_arg()``."""
INIT_SEPARATOR = "--"


class Param(namedtuple("Param", "start end name value")):
    """One parameter: ``line[start:end]`` as written, ``name`` and ``value`` as the kernel gets
    them (quotes removed where ``next_arg()`` removes them)."""

    __slots__ = ()

    start: int
    end: int
    name: str
    value: str | None

    @property
    def ends_kernel_params(self) -> bool:
        """``--``: ``parse_args()`` stops here and init gets the rest."""
        return self.value is None and self.name == INIT_SEPARATOR


_PARAM = re.compile(r'(?:[^ \t\n\r\v\f"]+|"[^"]*"?)+')
"""One parameter: runs of other characters and quoted stretches (a quote opens, the next one
closes, an unclosed one runs to the end): ``next_arg()``'s loop, at the regex engine's speed."""
SEPARATORS = (INIT_SEPARATOR, '"' + INIT_SEPARATOR, f'"{INIT_SEPARATOR}"')
"""The texts of a parameter named ``--`` with no value (an unclosed ``"--`` ends the line)."""


def param_at(line: str, start: int, end: int) -> Param:
    """The parameter ``line[start:end]`` (a span of :func:`spans`), named as ``next_arg()``
    names it."""
    quoted = line[start] == '"'
    body = start + quoted
    equals = line.find("=", body + 1, end)  # equals == 0 is "no =" in next_arg()
    if equals < 0:
        stop = end - 1 if quoted and end > body and line[end - 1] == '"' else end
        return Param(start, end, line[body:stop], None)
    value_start, stop = equals + 1, end
    if value_start < end and line[value_start] == '"':
        value_start += 1
        if end > value_start and line[end - 1] == '"':
            stop -= 1
    elif quoted and line[end - 1] == '"':
        stop -= 1
    return Param(start, end, line[body:equals], line[value_start:stop])


def spans(line: str, *, kernel_only: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` of every parameter in order; ``kernel_only`` stops before ``--``."""
    found = [match.span() for match in _PARAM.finditer(line)]
    if kernel_only:
        stop = next((i for i, (s, e) in enumerate(found) if line[s:e] in SEPARATORS), None)
        return found if stop is None else found[:stop]
    return found


_WS = re.escape(WHITESPACE)
_SEPARATOR_PLAIN = re.compile(rf"(?<![^{_WS}]){INIT_SEPARATOR}(?![^{_WS}])")


def find_params(line: str, heads: tuple[str, ...], *, kernel_only: bool = False,
                ignore_case: bool = False) -> list[tuple[int, int]]:
    """The :func:`spans` whose text starts with one of ``heads``, found without splitting the
    whole line when it has no quote (then a parameter is a run of non-whitespace): a 4 MB line
    of two million words is searched at the regex engine's speed."""
    if '"' in line:
        fold = str.lower if ignore_case else str
        width = max(map(len, heads))
        wanted = tuple(fold(head) for head in heads)
        return [(s, e) for s, e in spans(line, kernel_only=kernel_only)
                if fold(line[s:s + width]).startswith(wanted)]
    found = [match.span() for match in _heads_pattern(heads, ignore_case).finditer(line)]
    if kernel_only:
        stop = init_args_start(line)
        return [(s, e) for s, e in found if s < stop]
    return found


@lru_cache(maxsize=16)
def _heads_pattern(heads: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    """A parameter starting with one of ``heads``, compiled once per ``heads`` (a lint and a
    plan's words ask for the same few)."""
    alternatives = "|".join(re.escape(head) for head in heads)
    return re.compile(rf"(?<![^{_WS}])(?:{alternatives})[^{_WS}]*",
                      re.IGNORECASE if ignore_case else 0)


def parameter_at(line: str, index: int) -> tuple[int, int]:
    """``(start, end)`` of the parameter ``next_arg()`` puts the non-blank ``line[index]`` in:
    ``foo="a crashkernel=64M b"`` for the ``c`` of its ``crashkernel=``."""
    if '"' not in line:  # a run of non-blanks
        start = max(line.rfind(c, 0, index) for c in WHITESPACE) + 1
        ends = (i for i in (line.find(c, index) for c in WHITESPACE) if i != -1)
        return start, min(ends, default=len(line))
    split, starts = _split(line)
    return split[max(bisect_right(starts, index) - 1, 0)]


@lru_cache(maxsize=4)
def _split(line: str) -> tuple[list[tuple[int, int]], list[int]]:
    """:func:`spans` and their starts, kept for the few lines a lint or an export asks about
    word by word."""
    found = spans(line)
    return found, [start for start, _ in found]


def next_arg(line: str, pos: int) -> tuple[Param | None, int]:
    """The parameter at or after ``pos`` and where the next search starts; None at the end."""
    match = _PARAM.search(line, pos)
    if match is None:
        return None, len(line)
    return param_at(line, *match.span()), match.end()


def params(line: str, *, kernel_only: bool = False) -> list[Param]:
    """Every parameter of ``line`` in order; ``kernel_only`` stops before ``--`` (init's)."""
    return [param_at(line, s, e) for s, e in spans(line, kernel_only=kernel_only)]


def init_args_start(line: str) -> int:
    """Where the ``--`` that ends the kernel's parameters starts, or ``len(line)`` if none."""
    if '"' not in line:
        match = _SEPARATOR_PLAIN.search(line)
        return match.start() if match else len(line)
    for match in _PARAM.finditer(line):
        if match.group() in SEPARATORS:
            return match.start()
    return len(line)


__all__ = ["INIT_SEPARATOR", "SEPARATORS", "WHITESPACE", "Param", "find_params",
           "init_args_start", "next_arg", "param_at", "parameter_at", "params", "spans"]
