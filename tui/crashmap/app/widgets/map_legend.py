"""The legend (which character and colour means what, most important first) and, below it,
the status line: what is under the pointer or cursor, or what the drag is doing. The map panel
draws both on its last two lines (:class:`~crashmap.app.widgets.memory_map.MemoryMap`)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.map_view import MapPalette
from crashmap.mapscale import GLYPHS, LEGEND

PRIORITY = ("main", "low", "cma", "failed", "kernel", "crash", "ram", "reserved", "pci",
            "acpi", "rom", "device", "pmem", "soft", "hotplug", "limit")
"""Legend order: the plan first, then what the running system holds, then the base kinds."""


def legend_items(ctx: MapContext) -> list[tuple[str, str]]:
    """The kinds this map shows (and the plan's), with their labels, in legend order."""
    present = set(ctx.partition.kinds) | {o.kind for o in ctx.fixed_overlays}
    present |= {"main", "low"} | ({"cma"} if ctx.arch.cma else set())
    present |= {"limit"} if ctx.boundary is not None else set()
    labels = dict(LEGEND)
    return [(kind, labels[kind]) for kind in PRIORITY if kind in present]


def legend_line(palette: MapPalette, items: list[tuple[str, str]], width: int,
                base: Style) -> Strip:
    """The legend cut to ``width``: only whole items."""
    label_style = palette.part_style("gutter")
    segments: list[Segment] = []
    used = 0
    for kind, label in items:
        glyph = GLYPHS[kind]
        need = len(glyph) + 1 + len(label) + 2
        if used + need - 2 > width:
            break
        segments.append(Segment(glyph, palette.cell_style(kind)))
        segments.append(Segment(f" {label}  ", label_style))
        used += need
    return Strip(segments).crop_extend(0, width, base)


def status_line(palette: MapPalette, text: str, width: int, base: Style) -> Strip:
    """The status text, cut with an ellipsis where it is wider than ``width``."""
    text = text if len(text) <= width else text[: width - 1] + "…"
    return Strip([Segment(text, palette.part_style("gutter"))]).crop_extend(0, width, base)
