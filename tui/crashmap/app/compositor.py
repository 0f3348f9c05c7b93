"""A compositor that renders, on a partial update, only the widgets the dirty regions touch.

Textual's partial update crops to the union of the dirty regions and asks every widget inside
it for its lines. A drag step dirties a few grid rows at the top of the screen and the words
at the bottom, so the union is the whole screen and all ~35 widgets render (about 3 ms of a
~10 ms step at 160×48, the largest single cost). Only the chops that lie in a dirty span are
written to the terminal, and each of them is covered by a widget that overlaps a dirty region
(cuts are made at every widget edge), so leaving the other widgets out writes the same bytes;
likewise a widget is asked only for its lines that a dirty region crosses.
Written against textual 8.2.8 (pinned in pyproject.toml): ``Compositor._get_renders``.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class SparseCompositor(Compositor):
    """:class:`Compositor` whose partial updates skip widgets no dirty region overlaps."""

    _updating: list[Region] | None = None
    """The dirty regions of the partial update being rendered."""

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
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            shown = region.intersection(clip)
            if not shown.area:
                continue
            for top, bottom in _bands(shown, regions):
                x, y, width, height = band = Region(shown.x, top, shown.width, bottom - top)
                yield region, clip.intersection(band), widget.render_lines(
                    Region(x - region.x, y - region.y, width, height))


def _bands(shown: Region, regions: list[Region]) -> list[tuple[int, int]]:
    """The lines of ``shown`` that dirty regions overlap, as merged ``[top, bottom)`` runs: a
    widget renders only those lines (a framed panel no longer copies its every line).

    The overlap test is written out: ``Region.overlaps`` keeps an ``lru_cache`` of 1024 pairs,
    and every widget × dirty region of the first frames filled it (~130 KiB kept)."""
    x, y, right, bottom = shown.x, shown.y, shown.right, shown.bottom
    spans = sorted((max(r.y, y), min(r.bottom, bottom)) for r in regions
                   if r.x < right and x < r.right and r.y < bottom and y < r.bottom)
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged
