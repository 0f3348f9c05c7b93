"""A whole kernel command line before and after: which words went, which came, shown as a diff.

Pure functions on strings; no terminal imports (the TUI colours the structured form itself).
"""

from __future__ import annotations

from collections import namedtuple

WHITESPACE = " \t\n\r\v\f"
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


def split_words(line: str) -> list[DiffWord]:
    """The whitespace-separated words of ``line`` with their offsets."""
    words, pos, n = [], 0, len(line)
    while pos < n:
        while pos < n and line[pos] in WHITESPACE:
            pos += 1
        end = pos
        while end < n and line[end] not in WHITESPACE:
            end += 1
        if end > pos:
            words.append(DiffWord(pos, end, line[pos:end]))
        pos = end
    return words


def _common(a: list[str], b: list[str]) -> tuple[set[int], set[int]]:
    """Indexes of ``a`` and of ``b`` in one longest common subsequence (plain dynamic program;
    command lines have tens of words, and the common prefix and suffix are trimmed first)."""
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
    rows, cols = len(mid_a), len(mid_b)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        row, below = table[i], table[i + 1]
        for j in range(cols - 1, -1, -1):
            row[j] = below[j + 1] + 1 if mid_a[i] == mid_b[j] else max(below[j], row[j + 1])
    i = j = 0
    while i < rows and j < cols:
        if mid_a[i] == mid_b[j]:
            keep_a.add(head + i)
            keep_b.add(head + j)
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep_a, keep_b


def diff_words(current: str, new: str) -> CmdlineDiff:
    """The structured difference between two whole command lines (see :class:`CmdlineDiff`)."""
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
