"""One line saying which character and colour means what, most important first."""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.strip import Strip

from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.map_view import MapView
from crashmap.mapscale import GLYPHS, LEGEND

PRIORITY = ("main", "low", "cma", "failed", "kernel", "crash", "ram", "reserved", "pci",
            "acpi", "rom", "device", "pmem", "soft", "hotplug", "limit")
"""Legend order: the plan first, then what the running system holds, then the base kinds."""


class MapLegend(MapView):
    """The legend of the map: only kinds this map shows, cut to the width."""

    DEFAULT_CSS = "MapLegend { height: 1; }"

    def __init__(self, ctx: MapContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        present = set(ctx.partition.kinds) | {o.kind for o in ctx.fixed_overlays}
        present |= {"main", "low"} | ({"cma"} if ctx.arch.cma else set())
        present |= {"limit"} if ctx.boundary is not None else set()
        labels = dict(LEGEND)
        self.items = [(kind, labels[kind]) for kind in PRIORITY if kind in present]

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
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
