"""The map panel: overview bar, detail grid, and under them the legend and a status line for
what is pointed at (drawn by the panel itself)."""

from __future__ import annotations

from functools import cached_property

from textual import events, on
from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from crashmap import mapscale
from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.detail_grid import DetailGrid
from crashmap.app.widgets.frame import Framed
from crashmap.app.widgets.map_legend import legend_items, legend_line, status_line
from crashmap.app.widgets.map_view import MapPalette
from crashmap.app.widgets.overview_bar import OverviewBar
from crashmap.mapscale import Overlay
from crashmap.plan import Block
from crashmap.units import format_size

MIN_WINDOW = 64 << 10
"""The smallest zoom window (16 cells of 4 KiB)."""

BLOCK_NAMES = {"main": "main (static)", "low": "low companion", "cma": "CMA",
               "failed": "not placed"}


def describe_span(ctx: MapContext, span: tuple[int, int], overlays: tuple[Overlay, ...]) -> str:
    """What a cell shows: its addresses and size, the resources there, and the plan blocks."""
    start, end = span
    chain = mapscale.locate(ctx.snapshot.parsed.roots, start)
    where = " › ".join(r.name or "(no name)" for r in chain) if chain else \
        "hole (nothing claims it)"
    text = f"{start:#011x}–{end - 1:#011x}  {format_size(end - start)}  {where}"
    if chain:
        inner = chain[-1]
        text += f"  [{inner.start:#x}–{inner.last:#x}, {format_size(inner.size)}]"
    planned = [o for o in overlays if o.start < end and start < o.end]
    for overlay in planned:
        name = BLOCK_NAMES.get(overlay.kind, overlay.kind)
        text += f"  ◆ {name} {format_size(overlay.end - overlay.start)} @ {overlay.start:#x}"
    return text


class MemoryMap(MapPalette, Framed):
    """Everything map-shaped on the main screen; the screen pushes the plan's blocks in.

    Its last two lines, which the detail grid's margin leaves uncovered, are drawn here: the
    legend (only kinds this map shows, cut to the width) and the status line (a widget for
    them was one more to lay out, style and visit on every frame)."""

    DEFAULT_CSS = """
    MemoryMap { layout: vertical; }
    MemoryMap > DetailGrid { margin-bottom: 2; }
    """

    status: str = ""
    """The status line's text (see :meth:`say`)."""

    def __init__(self, ctx: MapContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ctx = ctx
        self.overlays: tuple[Overlay, ...] = ()
        self.items = legend_items(ctx)
        """The legend's kinds and labels."""

    def compose(self) -> ComposeResult:
        yield OverviewBar(self.ctx, id="overview")
        yield DetailGrid(self.ctx, id="detail")

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        base = self.rich_style
        if y == height - 2:
            return legend_line(self, self.items, width, base)
        if y == height - 1:
            return status_line(self, self.status, width, base)
        return Strip.blank(width, base)  # under the overview and the grid

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()  # the legend's colours

    @cached_property
    def grid(self) -> DetailGrid:
        return self.query_one(DetailGrid)  # kept: every drag step asks

    @cached_property
    def overview(self) -> OverviewBar:
        return self.query_one(OverviewBar)  # kept: every drag step asks

    def set_plan(self, overlays: tuple[Overlay, ...], selected: Block,
                 highlight: tuple[int, int] | None, *, refocus: bool = False) -> None:
        self.overlays = overlays
        self.grid.set_plan(overlays, selected, highlight, refocus=refocus)
        self.overview.set_plan(overlays)

    # --- zoom ---------------------------------------------------------------------------------

    def zoom_to(self, start: int, end: int, *, margin: bool = True) -> None:
        """Show ``[start, end)`` in the grid, with some room around it when ``margin``."""
        size = max(end - start, MIN_WINDOW)
        pad = size // 8 if margin else 0
        self.grid.show_window(max(0, start - pad), start + size + pad)

    def zoom(self, factor: float, center: int | None = None) -> None:
        """Zoom in (factor < 1) or out around ``center`` (default: the middle of the window)."""
        lo, hi = self.grid.window
        if self.grid.grid is not None:
            lo, hi = self.grid.grid.lo, self.grid.grid.hi
        mid = (lo + hi) // 2 if center is None else center
        half = max(int((hi - lo) * factor) // 2, MIN_WINDOW // 2)
        limit = max(self.ctx.address_end, hi)
        lo, hi = max(0, mid - half), min(limit, mid + half)
        self.grid.show_window(lo, max(hi, lo + MIN_WINDOW))

    def reset_zoom(self) -> None:
        """Back to the automatic window: the plan's blocks at a useful scale."""
        self.grid.focus_plan()

    def ensure_visible(self, start: int, end: int) -> None:
        """Zoom out to the RAM window, or onto the range, when ``[start, end)`` is not shown."""
        grid = self.grid.grid
        if grid is not None and grid.lo <= start and end <= grid.hi:
            return
        self.zoom_to(start, end)

    # --- messages from the parts --------------------------------------------------------------

    @on(DetailGrid.WindowChanged)
    def _window_changed(self, event: DetailGrid.WindowChanged) -> None:
        self.overview.set_window(event.lo, event.hi)
        self.say(self.hint())

    @on(DetailGrid.ZoomAsked)
    def _wheel_zoom(self, event: DetailGrid.ZoomAsked) -> None:
        self.zoom(event.factor, event.center)

    @on(OverviewBar.Picked)
    def _picked(self, event: OverviewBar.Picked) -> None:
        self.zoom_to(event.start, event.end)

    @on(DetailGrid.Hovered)
    @on(OverviewBar.Hovered)
    def _hovered(self, event: DetailGrid.Hovered | OverviewBar.Hovered) -> None:
        text = self.hint() if event.span is None else describe_span(self.ctx, event.span,
                                                                    self.overlays)
        self.say(text)

    def say(self, text: str) -> None:
        """Show ``text`` in the status line (until the pointer moves on)."""
        if text != self.status:
            self.status = text
            width, height = self.content_size
            self.refresh(Region(0, height - 1, width, 1))

    def hint(self) -> str:
        grid = self.grid.grid
        scale = f"{format_size(grid.cell)} per cell · " if grid else ""
        return f"{scale}drag a block's edge to resize it, the main block's body to pin it"
