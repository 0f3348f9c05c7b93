"""The overview: the whole physical address space on one row, every top-level range visible.

The scale is compressed (see :func:`crashmap.mapscale.overview_scale`); the row below marks the
window the detail grid shows (``▔``) and the low/high boundary (``▲``). Clicking a cell zooms the
detail grid to it.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from crashmap import mapscale
from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.map_view import MapView, runs
from crashmap.mapscale import GLYPHS, Overlay, Scale
from crashmap.units import format_size


def short_address(addr: int) -> str:
    """An address as a size from zero (``4G``, ``512G``, ``1.5T``): readable on an axis."""
    return format_size(addr).replace(" ", "").replace("iB", "") if addr else "0"


class OverviewBar(MapView):
    """The whole address space at a compressed scale, with the zoomed window marked."""

    DEFAULT_CSS = "OverviewBar { height: 2; }"

    class Picked(Message):
        """A cell was clicked: zoom the detail grid to ``[start, end)``."""

        def __init__(self, bar: OverviewBar, start: int, end: int) -> None:
            super().__init__()
            self.bar = bar
            self.start = start
            self.end = end

        @property
        def control(self) -> OverviewBar:
            return self.bar

    class Hovered(Message):
        """The pointer is over ``[start, end)`` (None: it left the bar)."""

        def __init__(self, bar: OverviewBar, span: tuple[int, int] | None) -> None:
            super().__init__()
            self.bar = bar
            self.span = span

        @property
        def control(self) -> OverviewBar:
            return self.bar

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, OverviewBar.Hovered)

    def __init__(self, ctx: MapContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ctx = ctx
        self.scale: Scale | None = None
        self.window: tuple[int, int] | None = None
        self.plan_overlays: tuple[Overlay, ...] = ()
        self._base: list[str] = []
        self._kinds: list[str] = []

    def on_resize(self, event: events.Resize) -> None:
        if self.scale is None or self.scale.cells != self.content_size.width:
            self._layout()
            self.refresh()

    def _layout(self) -> None:
        """The compressed scale for this width (also from the first render, before Resize)."""
        width = self.content_size.width
        if width <= 0:
            self.scale = None
            return
        self.scale = mapscale.overview_scale(self.ctx.segments, width)
        self._base = mapscale.paint_base(self.scale.spans(), self.ctx.partition)
        self._kinds = mapscale.paint(self._base, self.scale,
                                     (*self.ctx.fixed_overlays, *self.plan_overlays))

    def set_plan(self, overlays: tuple[Overlay, ...]) -> None:
        self.plan_overlays = overlays
        self.repaint()

    def set_window(self, lo: int, hi: int) -> None:
        self.window = (lo, hi)
        self.refresh()

    def repaint(self) -> None:
        if self.scale is None:
            return
        overlays = (*self.ctx.fixed_overlays, *self.plan_overlays)
        kinds = mapscale.paint(self._base, self.scale, overlays)
        if kinds != self._kinds:  # a drag step rarely changes the compressed view
            self._kinds = kinds
            self.refresh(Region(0, 0, self.content_size.width, 1))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if width > 0 and (self.scale is None or self.scale.cells != width):
            self._layout()
        if self.scale is None or not self._kinds:
            return Strip.blank(width, self.rich_style)
        if y == 0:
            cells = [(GLYPHS.get(k, "?"), self.cell_style(k)) for k in self._kinds]
            return Strip(runs(cells)).crop_extend(0, width, self.rich_style)
        if y == 1:
            return self._axis(self.scale, width)
        return Strip.blank(width, self.rich_style)

    def _axis(self, scale: Scale, width: int) -> Strip:
        gutter, window, boundary = (self.part_style(n) for n in ("gutter", "window", "boundary"))
        cells = [(" ", gutter)] * width
        if self.window is not None:
            span = scale.cell_range(*self.window)
            if span is not None:
                for i in range(span[0], min(span[1], width)):
                    cells[i] = ("▔", window)
        self._label(cells, 0, "0", gutter)
        end = short_address(scale.hi)
        self._label(cells, width - len(end), end, gutter)
        limit = self.ctx.boundary
        if limit is not None and scale.lo < limit < scale.hi:
            at = scale.cell_of(limit)
            self._label(cells, at, "▲" + short_address(limit), boundary)
        return Strip(runs(cells)).crop_extend(0, width, self.rich_style)

    @staticmethod
    def _label(cells: list[tuple[str, object]], at: int, text: str, style: object) -> None:
        at = max(0, min(at, len(cells) - len(text)))
        for i, char in enumerate(text):
            if 0 <= at + i < len(cells):
                cells[at + i] = (char, style)

    def _index(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or self.scale is None or not 0 <= offset.x < self.scale.cells:
            return None
        return offset.x

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._index(event)
        span = None if index is None or self.scale is None else self.scale.span_of(index)
        self.post_message(self.Hovered(self, span))

    def on_leave(self, event: events.Leave) -> None:
        self.post_message(self.Hovered(self, None))

    def on_click(self, event: events.Click) -> None:
        index = self._index(event)
        if index is None or self.scale is None:
            return
        start, end = self.scale.span_of(index)
        chain = mapscale.locate(self.ctx.snapshot.parsed.roots, start)
        if chain:
            top = chain[0]
            cells = self.scale.cell_range(top.start, top.end)
            if cells is not None and cells[1] - cells[0] <= 4:
                start, end = top.start, top.end
        self.post_message(self.Picked(self, start, end))
