"""The legend (which character and colour means what, most important first) and, below it,
the status line: what is under the pointer or cursor, or what the drag is doing."""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.strip import Strip

from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.map_view import MapView
from crashmap.mapscale import GLYPHS, LEGEND

PRIORITY = ("main", "low", "cma", "failed", "kernel", "crash", "ram", "reserved", "pci",
            "acpi", "rom", "device", "pmem", "soft", "hotplug", "limit")
"""Legend order: the plan first, then what the running system holds, then the base kinds."""


class MapLegend(MapView):
    """Two lines under the map: the legend (only kinds this map shows, cut to the width) and the
    status line (one widget rather than two: a widget less to lay out and style)."""

    DEFAULT_CSS = "MapLegend { height: 2; }"

    status: str = ""
    """The status line's text (see :meth:`set_status`)."""

    def __init__(self, ctx: MapContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        present = set(ctx.partition.kinds) | {o.kind for o in ctx.fixed_overlays}
        present |= {"main", "low"} | ({"cma"} if ctx.arch.cma else set())
        present |= {"limit"} if ctx.boundary is not None else set()
        labels = dict(LEGEND)
        self.items = [(kind, labels[kind]) for kind in PRIORITY if kind in present]

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.refresh(Region(0, 1, self.content_size.width, 1))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y == 1:
            text = self.status if len(self.status) <= width else self.status[: width - 1] + "…"
            return Strip([Segment(text, self.part_style("gutter"))]).crop_extend(
                0, width, self.rich_style)
        if y:
            return Strip.blank(width, self.rich_style)
        label_style = self.part_style("gutter")
        segments: list[Segment] = []
        used = 0
        for kind, label in self.items:
            glyph = GLYPHS[kind]
            need = len(glyph) + 1 + len(label) + 2
            if used + need - 2 > width:
                break
            segments.append(Segment(glyph, self.cell_style(kind)))
            segments.append(Segment(f" {label}  ", label_style))
            used += need
        return Strip(segments).crop_extend(0, width, self.rich_style)
