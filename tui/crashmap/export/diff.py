"""A whole kernel command line before and after: which words went, which came, shown as a diff.

Pure functions on strings; no terminal imports (the TUI colours the structured form itself).
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.kernel.cmdline_limit import check_length
from crashmap.kernel.params import WHITESPACE

"""What separates parameters for display (the same set as ``crashmap.kernel.cmdline_edit``)."""


class DiffWord(namedtuple("DiffWord", "start end text")):
    """One whitespace-separated word of a command line: ``line[start:end] == text``."""

    __slots__ = ()


class CmdlineDiff(namedtuple("CmdlineDiff", "current new removed added")):
    """The word-level difference between two command lines.

    ``removed`` are :class:`DiffWord` of ``current`` (offsets into ``current``) that are not in
    ``new``; ``added`` are words of ``new`` (offsets into ``new``) that were not in ``current``.
    Words present in both, in the same order, are neither: the longest common subsequence of
    the two word lists stays.
    """

    __slots__ = ()

    @property
    def changed(self) -> bool:
        """Whether the lines differ at all (also true for a whitespace-only change)."""
        return self.current != self.new

    def as_dict(self) -> dict[str, list[str]]:
        """``{"removed": [...], "added": [...]}``: the words as text, in line order."""
        return {"removed": [w.text for w in self.removed], "added": [w.text for w in self.added]}


_WORD = f"[^{re.escape(WHITESPACE)}]+"


def split_words(line: str) -> list[DiffWord]:
    """The whitespace-separated words of ``line`` with their offsets."""
    return [DiffWord(m.start(), m.end(), m.group()) for m in re.finditer(_WORD, line)]


MAX_EDITS = 200
"""Word edits :func:`_common` searches for at most. A plan changes a few words; past this many
the rest of the middle is shown as removed and added (still a common subsequence, no longer the
longest), so the work stays linear in the line's length."""


def _common(a: list[str], b: list[str]) -> tuple[set[int], set[int]]:
    """Indexes of ``a`` and of ``b`` in one longest common subsequence when the lists differ in
    at most :data:`MAX_EDITS` words (Myers' O((N+M)·D) greedy diff), else in their common
    prefix and suffix; both trimmed first."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while (tail < len(a) - head and tail < len(b) - head
           and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]):
        tail += 1
    keep_a = set(range(head)) | set(range(len(a) - tail, len(a)))
    keep_b = set(range(head)) | set(range(len(b) - tail, len(b)))
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    for i, j in _snakes(mid_a, mid_b):
        keep_a.add(head + i)
        keep_b.add(head + j)
    return keep_a, keep_b


def _snakes(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Matched index pairs of a shortest edit script from ``a`` to ``b`` (none when more than
    :data:`MAX_EDITS` edits are needed)."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    offset = n + m + 1  # room for diagonals -(n+m)-1 .. n+m+1
    frontier = [0] * (2 * offset + 2)  # furthest x reached on each diagonal k = x - y
    trace: list[list[int]] = []
    for depth in range(min(n + m, MAX_EDITS) + 1):
        trace.append(frontier[offset - depth - 1:offset + depth + 2])  # diagonals -d-1 .. d+1
        for k in range(-depth, depth + 1, 2):
            if k == -depth or (k != depth and frontier[offset + k - 1] < frontier[offset + k + 1]):
                x = frontier[offset + k + 1]  # a step down: one word of b added
            else:
                x = frontier[offset + k - 1] + 1  # a step right: one word of a removed
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            frontier[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b, depth, k)
    return []


def _backtrack(trace: list[list[int]], a: list[str], b: list[str], depth: int,
               k: int) -> list[tuple[int, int]]:
    """The diagonal runs (equal words) of the path that reached the end at ``depth``."""
    pairs: list[tuple[int, int]] = []
    x, y = len(a), len(b)
    for d in range(depth, 0, -1):
        frontier, base = trace[d], d + 1  # trace[d][base + k] is diagonal k before round d
        down = k == -d or (k != d and frontier[base + k - 1] < frontier[base + k + 1])
        k = k + 1 if down else k - 1
        start_x = frontier[base + k]
        start_y = start_x - k
        mid_x = start_x if down else start_x + 1
        mid_y = mid_x - (k - 1 if down else k + 1)
        while x > mid_x and y > mid_y:
            x -= 1
            y -= 1
            pairs.append((x, y))
        x, y = start_x, start_y
    while x > 0 and y > 0:
        x -= 1
        y -= 1
        pairs.append((x, y))
    return pairs


def diff_words(current: str, new: str) -> CmdlineDiff:
    """The structured difference between two whole command lines (see :class:`CmdlineDiff`).

    Raises :class:`~crashmap.errors.CrashmapError` for a line longer than any kernel command
    line could be (:func:`crashmap.kernel.cmdline_limit.check_length`)."""
    check_length(current, "the current command line")
    check_length(new, "the new command line")
    old_words, new_words = split_words(current), split_words(new)
    keep_old, keep_new = _common([w.text for w in old_words], [w.text for w in new_words])
    removed = tuple(w for i, w in enumerate(old_words) if i not in keep_old)
    added = tuple(w for i, w in enumerate(new_words) if i not in keep_new)
    return CmdlineDiff(current, new, removed, added)


def _visible(line: str) -> tuple[str, list[int]]:
    """``line`` with control characters escaped (a tab shows as ``\\t``), and for every index of
    ``line`` (plus its end) the column where it starts in the shown text."""
    shown, columns, column = [], [], 0
    for char in line:
        columns.append(column)
        text = char if char.isprintable() else repr(char)[1:-1]
        shown.append(text)
        column += len(text)
    columns.append(column)
    return "".join(shown), columns


def _marks(line: str, words: tuple[DiffWord, ...], columns: list[int]) -> str:
    """``^`` under ``words`` (as wide as the shown line), joining words that follow each other."""
    out = [" "] * columns[-1]
    if not words:
        return ""
    index = {w.start: i for i, w in enumerate(split_words(line))}
    spans: list[list[int]] = []
    previous = None
    for word in sorted(words, key=lambda w: w.start):
        i = index[word.start]
        if spans and previous is not None and i == previous + 1:
            spans[-1][1] = word.end
        else:
            spans.append([word.start, word.end])
        previous = i
    for start, end in spans:
        for col in range(columns[start], columns[end]):
            out[col] = "^"
    return "".join(out)


def _fold(shown: str, width: int | None) -> list[tuple[int, int]]:
    """Column ranges that cut ``shown`` into pieces of at most ``width``, after a space where
    one is found (a longer word stays whole)."""
    if width is None or width <= 0 or len(shown) <= width:
        return [(0, len(shown))]
    pieces, start = [], 0
    while start < len(shown):
        end = start + width
        if end >= len(shown):
            end = len(shown)
        else:
            cut = shown.rfind(" ", start, end)
            if cut > start:
                end = cut + 1
            else:
                following = shown.find(" ", end)
                end = len(shown) if following == -1 else following + 1
        pieces.append((start, end))
        start = end
    return pieces


def _side(sign: str, line: str, words: tuple[DiffWord, ...], width: int | None) -> list[str]:
    """``-``/``+`` lines for one side, folded to ``width``, each with its ``^`` line when it
    holds a marked word."""
    shown, columns = _visible(line)
    marks = _marks(line, words, columns)
    out = []
    for start, end in _fold(shown, width):
        out.append(f"{sign}{shown[start:end].rstrip()}" if end < len(shown) else
                   f"{sign}{shown[start:end]}")
        piece = marks[start:end].rstrip()
        if piece:
            out.append(f" {piece}")
    return out


def cmdline_diff(current: str, new: str, width: int | None = 100) -> str:
    """A readable whole-line diff of two kernel command lines, unified-diff style.

    ::

        --- current kernel command line
        +++ new kernel command line
        -ro crashkernel=256M quiet
            ^^^^^^^^^^^^^^^^
        +ro crashkernel=1G,high crashkernel=128M,low quiet
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        removed: crashkernel=256M
        added:   crashkernel=1G,high crashkernel=128M,low

    The ``^`` lines mark the words that went (under ``-``) and came (under ``+``). A line longer
    than ``width`` columns is folded after a space into several ``-`` (or ``+``) lines, each
    followed by its marks, so nothing wraps out of line on a terminal (``width=None``: never
    fold). Control characters are shown escaped (``\\t``) so the marks line up. Equal lines
    give a note and the line. No trailing newline.
    """
    diff = diff_words(current, new)
    if not diff.changed:
        return "\n".join(["unchanged kernel command line:",
                          *(" " + text for text in _side("", current, (), width))])
    lines = ["--- current kernel command line", "+++ new kernel command line"]
    lines += _side("-", current, diff.removed, width)
    lines += _side("+", new, diff.added, width)
    if diff.removed:
        lines.append("removed: " + " ".join(_visible(w.text)[0] for w in diff.removed))
    if diff.added:
        lines.append("added:   " + " ".join(_visible(w.text)[0] for w in diff.added))
    if not diff.removed and not diff.added:
        lines.append("(only the spacing changes)")
    return "\n".join(lines)
