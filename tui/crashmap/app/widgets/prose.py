"""Text wrapped for its width that never separates a number from its unit.

Textual wraps at any space, so "55.08 MiB" could end one line and start the next with "MiB", and
a breakdown row "kernel base  55.08 MiB" became a label on one line and its value under it.
:class:`Prose` wraps at the spaces between words only and lays out rows (a label and its value)
with the value right-aligned on the label's last line; it measures its height with the same
layout it draws, so the two always agree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.geometry import Size

Part = Content | tuple[str, str]
"""A paragraph, or a row: ``(label, value)``."""

GLUED = re.compile(r"\d(?:[\d.,]*\d)? (?:B|KiB|MiB|GiB|TiB|PiB|%)(?![\w])")
"""A number and its unit: the space between them is not a place to break."""


def break_offsets(text: str, width: int) -> list[int]:
    """Where to cut one line of ``text`` so each piece fits ``width``: before a word, never
    inside "55.08 MiB"; a word longer than the width is cut where it must be."""
    width = max(width, 1)
    glued = {m.start() + m.group().index(" ") for m in GLUED.finditer(text)}
    starts = [0]  # where each word starts (after a run of breakable spaces)
    i = 0
    while i < len(text):
        if text[i] == " " and i not in glued:
            while i < len(text) and text[i] == " ":
                i += 1
            if i < len(text):
                starts.append(i)
        else:
            i += 1
    offsets: list[int] = []
    line = 0
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        if start > line and len(text[line:end].rstrip()) > width:
            offsets.append(start)
            line = start
        while len(text[line:end].rstrip()) > width:
            line += width
            offsets.append(line)
    return offsets


def wrap(content: Content, width: int) -> list[Content]:
    """``content`` as lines no wider than ``width`` (its own newlines kept)."""
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        offsets = break_offsets(line.plain, width)
        lines.extend(piece.rstrip() for piece in (line.divide(offsets) if offsets else [line]))
    return lines


def row(label: str, value: str, width: int) -> list[Content]:
    """A label and its value: the value whole and right-aligned on the label's last line (the
    label wraps first); on a line of its own when the width leaves no room beside it."""
    room = width - len(value) - 1
    if room < min(len(label), 8):
        return [*wrap(Content(label), width), Content(value.rjust(width))]
    lines = wrap(Content(label), room)
    last = lines[-1]
    gap = width - last.cell_length - len(value)
    return [*lines[:-1], last + Content(" " * gap + value)]


def layout(parts: list[Part], width: int) -> Content:
    """Every part laid out for ``width``, one line each in the result."""
    lines: list[Content] = []
    for part in parts:
        lines.extend(row(*part, width) if isinstance(part, tuple) else wrap(part, width))
    return Content("\n").join(lines)


class Prose(Static):
    """Paragraphs and label/value rows, wrapped for the widget's width (see the module)."""

    DEFAULT_CSS = "Prose { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.parts: list[Part] = []

    def show(self, parts: list[Part]) -> None:
        """Show ``parts`` (paragraphs as Content, rows as ``(label, value)``)."""
        self.parts = parts
        self.refresh(layout=True)

    def render(self) -> Content:
        return layout(self.parts, self.content_size.width or 80)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(layout(self.parts, width).split("\n", allow_blank=True))
