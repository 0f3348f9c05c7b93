"""What the map widgets share: component classes for every cell kind, and cell styling."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.widget import Widget

from crashmap.app.widgets.component_styles import LazyComponentClasses
from crashmap.mapscale import GLYPHS

KIND_CLASSES = {kind: f"memory-map--{kind}" for kind in GLYPHS}
"""The component class of each cell kind (colours live in ``crashmap.tcss``)."""

FLAG_CLASSES = ("memory-map--selected", "memory-map--highlight", "memory-map--cursor")
"""Extra component classes that combine with a kind: selected block, finding range, cursor."""


class MapPalette(LazyComponentClasses, Widget):
    """Owner of the map's cell styles (component classes), shared by the map's views.

    One owner keeps the styles in one place and resolves them once, not per view; each when
    first drawn, over one hidden node (:class:`LazyComponentClasses`), not 23.

    | Component class | What it styles |
    | --- | --- |
    | `memory-map--<kind>` | a cell of that kind (ram, reserved, pci, kernel, crash, main...) |
    | `memory-map--selected` | cells of the selected plan block |
    | `memory-map--highlight` | the address range of the selected finding |
    | `memory-map--cursor` | the keyboard cursor cell |
    | `memory-map--gutter` | addresses and axis labels |
    | `memory-map--boundary` | the low/high boundary (4 GiB or the arch's low limit) |
    | `memory-map--window` | the zoomed window drawn under the overview |
    """

    LAZY_COMPONENT_CLASSES: ClassVar[frozenset[str]] = frozenset({
        *KIND_CLASSES.values(), *FLAG_CLASSES,
        "memory-map--gutter", "memory-map--boundary", "memory-map--window",
    })

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        self._styles: dict[tuple[str, ...], Style] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # CSS or theme changed: resolve the styles again
        for view in self.query(MapView):
            view.refresh()

    def _style(self, *names: str) -> Style:
        """The combined style of component classes, resolved once (cells are drawn often)."""
        style = self._styles.get(names)
        if style is None:
            style = self._styles[names] = self.get_component_rich_style(*names)
        return style

    def cell_style(self, kind: str, selected: bool = False, highlight: bool = False,
                   cursor: bool = False) -> Style:
        names = [KIND_CLASSES.get(kind, "memory-map--hole")]
        if selected:
            names.append("memory-map--selected")
        if highlight:
            names.append("memory-map--highlight")
        if cursor:
            names.append("memory-map--cursor")
        return self._style(*names)

    def part_style(self, name: str) -> Style:
        return self._style(f"memory-map--{name}")


class MapView(Widget):
    """Base of the overview bar, the detail grid and the legend: styles come from the palette
    (the nearest :class:`MapPalette` ancestor)."""

    ALLOW_SELECT = False

    _palette: MapPalette | None = None

    @property
    def palette(self) -> MapPalette:
        if self._palette is None:
            self._palette = next(n for n in self.ancestors if isinstance(n, MapPalette))
        return self._palette

    def cell_style(self, kind: str, selected: bool = False, highlight: bool = False,
                   cursor: bool = False) -> Style:
        return self.palette.cell_style(kind, selected, highlight, cursor)

    def part_style(self, name: str) -> Style:
        return self.palette.part_style(name)


def runs(cells: list[tuple[str, Style]]) -> list[Segment]:
    """Join neighbouring cells of one style into a segment each."""
    out: list[Segment] = []
    text: list[str] = []
    style: Style | None = None
    for char, cell_style in cells:
        if style is not None and cell_style != style:
            out.append(Segment("".join(text), style))
            text = []
        text.append(char)
        style = cell_style
    if text:
        out.append(Segment("".join(text), style))
    return out
