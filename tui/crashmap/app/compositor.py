"""A compositor that renders, on a partial update, only the widget lines that can show.

Textual's partial update crops to the union of the dirty regions and asks every widget inside
it for its lines. A drag step dirties a few grid rows at the top of the screen and the words
at the bottom, so the union is the whole screen and all ~35 widgets render (about 3 ms of a
~10 ms step at 160×48, the largest single cost). Only the chops that lie in a dirty span are
written to the terminal, and each of them is covered by a widget that overlaps a dirty region
(cuts are made at every widget edge), so leaving the other widgets out writes the same bytes;
likewise a widget is asked only for its lines that a dirty region crosses.

Behind those, the compositor fills each chop with the first (frontmost) widget's piece, so a
line whose dirty spans are all covered by widgets in front cannot show: the screen's and the
map panel's lines under the grid row a drag step redraws. Such a line is not rendered; a blank
strip stands in for it, whose pieces only fill chops outside the dirty spans (as the widget's
own would; a chop that starts where a span ends is written as a cursor move alone).
Written against textual 8.2.8 (pinned in pyproject.toml): ``Compositor._get_renders``,
``_regions_to_spans`` and the front-first filling of ``_render_chops``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

Spans = list[tuple[int, int]]
"""Sorted, disjoint ``[x1, x2)`` ranges of one line."""


class SparseCompositor(Compositor):
    """:class:`Compositor` whose partial updates skip the widget lines that cannot show."""

    _updating: list[Region] | None = None
    """The dirty regions of the partial update being rendered."""

    def __init__(self) -> None:
        super().__init__()
        self._blanks: dict[int, Strip] = {}
        """A blank strip per width, standing in for a covered line."""

    def render_partial_update(self):  # type: ignore[no-untyped-def]
        self._updating = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._updating = None

    def _get_renders(self, crop: Region | None = None,
                     ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        regions = self._updating
        if crop is None or not regions:
            yield from super()._get_renders(crop)
            return
        spans: dict[int, Spans] = {}
        for y, x1, x2 in self._regions_to_spans(regions):  # merged, as the update writes them
            spans.setdefault(y, []).append((x1, x2))
        lines = sorted(spans)
        covered: dict[int, Spans] = {}
        """Per line, the ranges that widgets in front filled."""
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            shown = region.intersection(clip)
            if not shown.area:
                continue
            x, right = shown.x, shown.right
            runs: list[list[int]] = []  # [top, bottom, shows]
            for y in lines[bisect_left(lines, shown.y):bisect_left(lines, shown.bottom)]:
                need = [(max(a, x), min(b, right)) for a, b in spans[y] if a < right and x < b]
                if not need:
                    continue
                shows = not _within(need, covered.get(y))
                if shows:
                    covered[y] = _add(covered.get(y), x, right)
                if runs and runs[-1][1] == y and runs[-1][2] == shows:
                    runs[-1][1] = y + 1
                else:
                    runs.append([y, y + 1, shows])
            for top, bottom, shows in runs:
                band = Region(x, top, shown.width, bottom - top)
                if shows:
                    strips = widget.render_lines(
                        Region(x - region.x, top - region.y, shown.width, bottom - top))
                else:
                    strips = [self._blank(shown.width)] * (bottom - top)
                yield region, clip.intersection(band), strips

    def _blank(self, width: int) -> Strip:
        blank = self._blanks.get(width)
        if blank is None:
            blank = self._blanks[width] = Strip.blank(width)
        return blank


def _within(need: Spans, covered: Spans | None) -> bool:
    """Every range of ``need`` lies inside the union of ``covered`` (sorted, disjoint)."""
    if not covered:
        return False
    for a, b in need:
        for c, d in covered:
            if c <= a < d:
                a = d
                if a >= b:
                    break
        else:
            return False
    return True


def _add(covered: Spans | None, x: int, right: int) -> Spans:
    """``covered`` with ``[x, right)`` added, merged: sorted and disjoint."""
    merged: Spans = []
    for c, d in sorted([*(covered or ()), (x, right)]):
        if merged and c <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], d))
        else:
            merged.append((c, d))
    return merged
