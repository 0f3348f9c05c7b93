"""Framed containers: a border around children that cover everything inside it."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class Framed(Widget):
    """Mix in after the container class, ``class PlanEditor(Vertical, Framed)`` (Textual takes
    CSS and component classes from the first base).

    The compositor cuts every line a widget renders at each widget edge on that line, and
    caches the pieces on the line. A framed panel's lines are covered by its children except
    for the border, yet Textual keeps them, and so their pieces: 50 to 70 strips per panel at
    160×48. Handing the compositor copies puts the pieces on the copies, which are dropped
    once the frame is composed. The lines themselves stay cached; a copy costs microseconds.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        return [Strip(list(line), line.cell_length) for line in super().render_lines(crop)]
