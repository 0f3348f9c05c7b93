"""The detail map: a zoomed window of the address space at a linear scale, in rows.

Each row spans a power of two bytes, so the low/high boundary (4 GiB, or the arch's low limit)
usually starts a row and is drawn as a separator line (else its cell is marked ``│``); runs of
rows with nothing in them collapse into one "nothing at …" line, so sparse maps get finer cells.
Plan blocks can be dragged: an edge resizes, the body of the static block moves it (pins it at a
fixed base). The widget only reports what the pointer did (``BlockDragged`` with a byte delta);
the screen turns that into a new plan. Rows are cached and redrawn only when what they show
changes, which keeps a drag step to a few milliseconds.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import groupby
from typing import ClassVar, Literal, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from crashmap import mapscale
from crashmap.app.evaluation import MapContext
from crashmap.app.widgets.map_view import MapView
from crashmap.mapscale import GLYPHS, Grid, Overlay
from crashmap.plan import Block
from crashmap.units import format_mib, format_size

Grip = Literal["start", "end", "body"]
"""Where a block was grabbed: an edge (resize) or the body (move)."""


def block_of(tag: str) -> Block | None:
    """The plan block a drawn tag belongs to (``cma2`` → ``cma``), None for anything else."""
    for block in ("main", "low", "cma"):
        if tag.startswith(block):
            return block  # type: ignore[return-value]
    return None


class _Grab(NamedTuple):
    tag: str
    block: Block
    grip: Grip
    press: int
    """Address of the cell where the button went down."""


class _Line(NamedTuple):
    row: int | None
    """The grid row shown on this line, or None for the boundary separator or a gap."""
    gap: tuple[int, int] | None = None
    """Empty rows collapsed into this line: the addresses they span."""


class _RowKey(NamedTuple):
    """What one row shows; the row is redrawn only when this changes."""

    kinds: tuple[str, ...]
    selected: tuple[bool, ...]
    highlight: tuple[bool, ...]
    cursor: int
    """Column of the cursor in this row, or -1."""
    edges: tuple[tuple[int, str], ...]
    """Columns drawn as the selected block's edges (``[`` and ``]``)."""
    label: tuple[tuple[str, ...], str]
    """The margin text (longest first: the longest that fits is drawn) and its kind."""


_NO_ROW = _RowKey((), (), (), -1, (), ((), ""))


def fit_label(texts: tuple[str, ...], room: int) -> str:
    """The first of ``texts`` (longest first) that fits ``room`` cells; else the last, cut with
    an ellipsis: a size is never drawn cut ("main 576 Mi")."""
    for text in texts:
        if len(text) <= room:
            return text
    last = texts[-1] if texts else ""
    return last[: max(room - 1, 0)] + "…" if room > 0 else ""


def _split(start: int, end: int, cursor: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut so the cursor column is a piece of its own (it has its own style)."""
    if start <= cursor < end:
        pieces = [(start, cursor), (cursor, cursor + 1), (cursor + 1, end)]
        return [(a, b) for a, b in pieces if a < b]
    return [(start, end)]


class DetailGrid(MapView, can_focus=True):
    """A linear window of the map; drag a block's edge to resize it, the static body to pin it.

    | Key | Does |
    | --- | --- |
    | arrows | move the cursor (the status line describes its cell) |
    | enter | select the block under the cursor |

    The mouse wheel zooms in and out around the pointer.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "cursor(-1, 0)", "Cursor left", show=False),
        Binding("right", "cursor(1, 0)", "Cursor right", show=False),
        Binding("up", "cursor(0, -1)", "Cursor up", show=False),
        Binding("down", "cursor(0, 1)", "Cursor down", show=False),
        Binding("enter", "pick", "Select block at cursor", show=False),
    ]

    class Hovered(Message):
        """The pointer or cursor is over ``[start, end)`` (None: it left the map)."""

        def __init__(self, grid: DetailGrid, span: tuple[int, int] | None) -> None:
            super().__init__()
            self.grid = grid
            self.span = span

        @property
        def control(self) -> DetailGrid:
            return self.grid

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, DetailGrid.Hovered)

    class BlockPicked(Message):
        """A plan block was pressed (or chosen with enter at the cursor)."""

        def __init__(self, grid: DetailGrid, block: Block, dragging: bool) -> None:
            super().__init__()
            self.grid = grid
            self.block = block
            self.dragging = dragging
            """True when a drag starts: the screen records one undo step for the whole drag."""

        @property
        def control(self) -> DetailGrid:
            return self.grid

    class BlockDragged(Message):
        """A drag moved by ``delta`` bytes since the press; ``final`` on release."""

        def __init__(self, grid: DetailGrid, block: Block, tag: str, grip: Grip, delta: int,
                     final: bool) -> None:
            super().__init__()
            self.grid = grid
            self.block = block
            self.tag = tag
            self.grip = grip
            self.delta = delta
            self.final = final

        @property
        def control(self) -> DetailGrid:
            return self.grid

        def can_replace(self, message: Message) -> bool:
            # A queued drag step is stale once a newer step or the release (which carries the
            # latest position) is queued behind it; the release itself is never dropped.
            return isinstance(message, DetailGrid.BlockDragged) and not self.final

    class ZoomAsked(Message):
        """The wheel turned over ``center``: zoom in (factor < 1) or out."""

        def __init__(self, grid: DetailGrid, factor: float, center: int) -> None:
            super().__init__()
            self.grid = grid
            self.factor = factor
            self.center = center

        @property
        def control(self) -> DetailGrid:
            return self.grid

    class WindowChanged(Message):
        """The grid now shows ``[lo, hi)`` (after a zoom or a resize)."""

        def __init__(self, grid: DetailGrid, lo: int, hi: int) -> None:
            super().__init__()
            self.grid = grid
            self.lo = lo
            self.hi = hi

        @property
        def control(self) -> DetailGrid:
            return self.grid

    def __init__(self, ctx: MapContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ctx = ctx
        self.window: tuple[int, int] = ctx.ram_window
        """The requested window; the grid shows it rounded out to whole rows."""
        self.auto_window = True
        """Pick the window from the plan's blocks (until the user zooms)."""
        self.grid: Grid | None = None
        self.gutter_width = 0
        self.lines: list[_Line] = []
        self.plan_overlays: tuple[Overlay, ...] = ()
        self.selected: Block = "main"
        self.highlight: tuple[int, int] | None = None
        self.cursor: int | None = None
        """Cell index of the keyboard cursor."""
        self._base: list[str] = []
        self._kinds: list[str] = []
        self._owners: list[str] = []
        self._row_keys: list[_RowKey] = []
        """What each row shows (cell looks and margin label): rows redraw only when it changes."""
        self._strips: dict[int, Strip] = {}
        self._pad_style: Style | None = None
        """:attr:`rich_style` for the cached rows (reset with them)."""
        self._touched: list[tuple[int, int]] = []
        self._shown_rows: set[int] = set()
        """Cell ranges the last repaint drew plan blocks, highlight and cursor in."""
        self._grab: _Grab | None = None
        self._last_delta: int | None = None
        self._shown: tuple[int, int] | None = None
        self._laid_out = Size(0, 0)
        """The content size the grid was chosen for."""

    # --- layout -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self.content_size != self._laid_out:  # the first render may have done it already
            self.relayout()

    def show_window(self, lo: int, hi: int) -> None:
        """Zoom to ``[lo, hi)``; the window stays until the next zoom."""
        if hi <= lo:
            hi = lo + 1
        self.window = (max(0, lo), hi)
        self.auto_window = False
        self.relayout()

    def focus_plan(self) -> None:
        """Go back to the window chosen from the plan's blocks."""
        self.auto_window = True
        self.relayout()

    def _plan_spans(self) -> list[tuple[int, int]]:
        return [(o.start, o.end) for o in self.plan_overlays]

    def relayout(self, *, rendering: bool = False) -> None:
        """Choose the grid for the window and the widget's size, then paint it.

        ``rendering``: called from :meth:`render_line` (the first frame comes before the first
        Resize event): the lines are being drawn right now, no refresh needed.
        """
        size: Size = self.content_size
        self._laid_out = size
        if size.width <= 2 or size.height <= 0:
            self.grid, self.lines = None, []
            self.refresh()
            return
        if self.auto_window:
            hi_guess = max(self.ctx.ram_window[1], 2)
            cols_guess = max(1, size.width - len(f"{hi_guess * 2 - 1:#x}") - 1)
            self.window = mapscale.focus_window(self.ctx.ram_window, self._plan_spans(),
                                                cols_guess, size.height)
        lo, hi = self.window
        self.gutter_width = len(f"{max(hi, 2) * 2 - 1:#x}") + 1
        cols = max(1, size.width - self.gutter_width)
        grid, lines = self._fit(lo, hi, cols, size.height)
        self.grid, self.lines = grid, lines[: size.height]
        self._shown_rows = {line.row for line in self.lines if line.row is not None}
        self._base = mapscale.paint_grid(grid, self.ctx.partition)
        self._row_keys, self._strips, self._pad_style = [], {}, None
        if not rendering:
            self.refresh()
        self.cursor = None if self.cursor is None else min(self.cursor, len(self._base) - 1)
        self.repaint()
        if self._shown != (grid.lo, grid.hi):
            self._shown = (grid.lo, grid.hi)
            self.post_message(self.WindowChanged(self, grid.lo, grid.hi))

    def _fit(self, lo: int, hi: int, cols: int, height: int) -> tuple[Grid, list[_Line]]:
        """The finest grid over ``[lo, hi)`` whose lines fit ``height``.

        Rows with nothing in them collapse into one gap line each run, so a sparse window (RAM
        split by a hole of hundreds of GiB) gets finer cells; rows left over show what follows
        the window, else what precedes it.
        """
        grid = mapscale.grid_for(lo, hi, cols, height)
        lines = self._lines(grid)
        while len(lines) > height and grid.cell < 1 << 62:  # the separator needs a line
            grid = mapscale.grid_for(lo, hi, cols, height, min_cell=grid.cell * 2)
            lines = self._lines(grid)
        cell = grid.cell // 2
        while cell >= 4096:
            finer = mapscale.grid_for(lo, hi, cols, 1 << 62, min_cell=cell)
            if finer.cell != cell or finer.rows > 8 * height:
                break
            finer_lines = self._lines(finer)
            if len(finer_lines) > height:
                break
            grid, lines, cell = finer, finer_lines, cell // 2
        step = grid.row_bytes
        for before in (False, True):  # more of what follows the window, then what precedes it
            while len(lines) < height:
                if before:
                    if grid.lo < step or self._empty(grid.lo - step, grid.lo):
                        break
                    wider = Grid(grid.lo - step, grid.cell, grid.cols, grid.rows + 1)
                elif self._empty(grid.hi, grid.hi + step):
                    break
                else:
                    wider = Grid(grid.lo, grid.cell, grid.cols, grid.rows + 1)
                wider_lines = self._lines(wider)
                if len(wider_lines) > height:
                    break
                grid, lines = wider, wider_lines
        return grid, lines

    def _lines(self, grid: Grid) -> list[_Line]:
        """The screen lines for ``grid``: rows, the boundary separator, collapsed empty rows."""
        boundary = self.ctx.boundary
        lines: list[_Line] = []
        gap_from: int | None = None
        for row in range(grid.rows):
            start, end = grid.row_start(row), grid.row_start(row + 1)
            if self._empty(start, end):
                gap_from = start if gap_from is None else gap_from
                continue
            if gap_from is not None:
                lines.append(_Line(None, (gap_from, start)))
                gap_from = None
            if row and boundary is not None and start == boundary:
                lines.append(_Line(None))
            lines.append(_Line(row))
        if gap_from is not None:
            lines.append(_Line(None, (gap_from, grid.hi)))
        return lines

    def _empty(self, start: int, end: int) -> bool:
        """Nothing at all in ``[start, end)``: a hole, or past the end of the address space."""
        part = self.ctx.partition
        i = bisect_right(part.starts, start) - 1
        for j in range(max(i, 0), len(part.starts)):
            if part.starts[j] >= end:
                break
            if part.ends[j] > start and part.kinds[j] != "hole":
                return False
        return True

    def set_plan(self, overlays: tuple[Overlay, ...], selected: Block,
                 highlight: tuple[int, int] | None, *, refocus: bool = False) -> None:
        """Show the predicted blocks; ``selected`` gets edges; ``highlight`` is marked.

        ``refocus`` (not during a drag): with the automatic window, choose it again when a
        block now lies outside it.
        """
        self.plan_overlays, self.selected, self.highlight = overlays, selected, highlight
        grid = self.grid
        if refocus and self.auto_window and grid is not None and any(
                o.start < grid.lo or o.end > grid.hi for o in overlays):
            self.relayout()
            return
        self.repaint()

    def repaint(self) -> None:
        """Paint the plan over the base; redraw only the rows whose cells or label changed.

        Only rows touched by the plan's blocks, the highlight or the cursor (before or now) can
        change between two repaints: the others keep their key and their cached strip.
        """
        grid = self.grid
        if grid is None:
            return
        scale = grid.scale
        overlays = (*self.ctx.fixed_overlays, *self._limit_marker(grid), *self.plan_overlays)
        kinds = mapscale.paint(self._base, scale, overlays)
        owners = [""] * len(self._base)
        edges: dict[int, str] = {}
        touched: list[tuple[int, int]] = []
        chosen: list[tuple[int, int]] = []
        for overlay in overlays:
            cells = scale.cell_range(overlay.start, overlay.end)
            if cells is None:
                continue
            first, last = cells
            owners[first:last] = [overlay.tag] * (last - first)
            if block_of(overlay.tag) is not None:
                touched.append(cells)
                if block_of(overlay.tag) == self.selected:
                    chosen.append(cells)
                    if last - first >= 3:
                        edges[first], edges[last - 1] = "[", "]"
        self._kinds, self._owners = kinds, owners
        count = len(kinds)
        hl = self._highlight_cells(grid) or (0, 0)
        highlight = [False] * count
        if hl[1] > hl[0]:
            touched.append(hl)
            highlight[hl[0]:hl[1]] = [True] * (hl[1] - hl[0])
        selected = [False] * count
        for first, last in chosen:
            selected[first:last] = [True] * (last - first)
        cursor = self.cursor
        if cursor is not None:
            touched.append((cursor, cursor + 1))
        if len(self._row_keys) != grid.rows:
            rows = set(self._shown_rows)
            self._row_keys = [_NO_ROW] * grid.rows
        else:
            rows = {r for first, last in (*touched, *self._touched)
                    for r in range(first // grid.cols, (last - 1) // grid.cols + 1)}
            rows &= self._shown_rows
        self._touched = touched
        cols = grid.cols
        changed = set()
        for row in rows:
            if not 0 <= row < grid.rows:
                continue
            a, b = row * cols, (row + 1) * cols
            key = _RowKey(
                tuple(kinds[a:b]), tuple(selected[a:b]), tuple(highlight[a:b]),
                cursor - a if cursor is not None and a <= cursor < b else -1,
                tuple((i - a, g) for i, g in edges.items() if a <= i < b),
                self._row_label(grid, row),
            )
            if self._row_keys[row] != key:
                self._row_keys[row] = key
                self._strips.pop(row, None)
                changed.add(row)
        width = self.content_size.width
        for y, line in enumerate(self.lines):
            if line.row in changed:
                self.refresh(Region(0, y, width, 1))

    def _limit_marker(self, grid: Grid) -> tuple[Overlay, ...]:
        """A boundary inside a row (not on a row start) is marked in its cell."""
        boundary = self.ctx.boundary
        if boundary is None or not grid.lo < boundary < grid.hi \
                or (boundary - grid.lo) % grid.row_bytes == 0:  # a separator line instead
            return ()
        return (Overlay(boundary, boundary + 1, "limit", "limit"),)

    def _row_label(self, grid: Grid, row: int) -> tuple[tuple[str, ...], str]:
        """What a row holds, for the margin right of it: a plan block, else the main resource.
        A block's label comes in shorter forms for a narrow margin (``main 576M``, ``main``)."""
        lo, hi = grid.row_start(row), grid.row_start(row + 1)
        for overlay in reversed(self.plan_overlays):
            if overlay.start < hi and lo < overlay.end:
                size = overlay.end - overlay.start
                tag, long, short = overlay.tag, format_size(size), format_mib(size)
                return (f"◆ {tag} {long}", f"{tag} {long}", f"{tag} {short}", tag), overlay.kind
        chain = mapscale.locate(self.ctx.snapshot.parsed.roots, (lo + hi) // 2)
        return ((chain[0].name or "(no name)",) if chain else ()), "gutter"

    # --- drawing ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips, self._pad_style = {}, None  # drawn in the old colours (a theme change)

    def render_line(self, y: int) -> Strip:
        if self.content_size != self._laid_out:
            self.relayout(rendering=True)
        width = self.content_size.width
        grid = self.grid
        if grid is None or y >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[y]
        row = line.row
        if line.gap is not None:
            return self._gap(line.gap, width)
        if row is None:
            return self._separator(grid, width)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._render_row(grid, row, width)
        return strip

    def _render_row(self, grid: Grid, row: int, width: int) -> Strip:
        key = self._row_keys[row]
        gutter_style = self.part_style("gutter")
        gutter = f"{grid.row_start(row):#x}".rjust(self.gutter_width - 1) + " "
        segments = [Segment(gutter, gutter_style)]
        edges = dict(key.edges)
        looks = zip(key.kinds, key.selected, key.highlight, strict=True)
        col = 0
        for (kind, selected, highlight), run in groupby(looks):
            length = len(tuple(run))
            for start, end in _split(col, col + length, key.cursor):
                glyph = GLYPHS.get(kind, "?")
                if any(start <= i < end for i in edges):  # a selected block's [ and ]
                    glyphs = "".join(edges.get(i) or glyph for i in range(start, end))
                else:
                    glyphs = glyph * (end - start)
                style = self.cell_style(kind, selected, highlight, start == key.cursor)
                segments.append(Segment(glyphs, style))
            col += length
        margin = width - self.gutter_width - grid.cols
        if margin >= 4:
            texts, kind = key.label
            style = gutter_style if kind == "gutter" else self.cell_style(kind)
            segments.append(Segment(" ", gutter_style))
            segments.append(Segment(fit_label(texts, margin - 1), style))
        strip = Strip(segments)
        if strip.cell_length == width:
            return strip
        return strip.crop_extend(0, width, self._blank_style())

    def _blank_style(self) -> Style:
        """The widget's own style, which pads a row: kept with the rows (:attr:`rich_style`
        walks every ancestor's styles)."""
        style = self._pad_style
        if style is None:
            style = self._pad_style = self.rich_style
        return style

    def gap_label(self, gap: tuple[int, int]) -> str:
        """What a collapsed gap stands for: the whole hole its empty rows lie in, which can
        reach far past the rows (and the window) shown."""
        lo, hi = mapscale.hole_around(self.ctx.partition, *gap)
        if hi is None:
            return f"nothing from {lo:#x} up"
        return f"nothing at {lo:#x}–{hi - 1:#x} ({format_size(hi - lo)})"

    def _gap(self, gap: tuple[int, int], width: int) -> Strip:
        style = self.part_style("gutter")
        text = f"{'⋮'.rjust(self.gutter_width - 1)}  {self.gap_label(gap)}"
        return Strip([Segment(text, style)]).crop_extend(0, width, self.rich_style)

    def _separator(self, grid: Grid, width: int) -> Strip:
        boundary = self.ctx.boundary or 0
        style = self.part_style("boundary")
        label = " ↑ low · high ↓ (CRASH_ADDR_LOW_MAX) "
        rule = "─" * grid.cols
        if len(label) + 4 < grid.cols:
            rule = "──" + label + rule[len(label) + 2:]
        head = format_size(boundary).rjust(self.gutter_width - 1) + " "
        strip = Strip([Segment(head, style), Segment(rule, style)])
        return strip.crop_extend(0, width, self.rich_style)

    def _highlight_cells(self, grid: Grid) -> tuple[int, int] | None:
        if self.highlight is None:
            return None
        return grid.scale.cell_range(*self.highlight)

    # --- pointer ----------------------------------------------------------------------------

    def cell_at(self, x: int, y: int, *, clamp: bool = False) -> int | None:
        """The cell index at content offset ``(x, y)``; with ``clamp``, the nearest cell."""
        grid = self.grid
        if grid is None or not self.lines:
            return None
        if clamp:
            y = min(max(y, 0), len(self.lines) - 1)
        elif not 0 <= y < len(self.lines):
            return None
        line = self.lines[y]
        if line.row is None:
            if not clamp:
                return None
            line = self.lines[min(y + 1, len(self.lines) - 1)]
        col = x - self.gutter_width
        if clamp:
            col = min(max(col, 0), grid.cols - 1)
        elif not 0 <= col < grid.cols:
            return None
        assert line.row is not None
        return line.row * grid.cols + col

    def span_of(self, index: int) -> tuple[int, int]:
        assert self.grid is not None
        start = self.grid.lo + index * self.grid.cell
        return start, start + self.grid.cell

    def block_cells(self, tag: str) -> tuple[int, int] | None:
        cells = [i for i, owner in enumerate(self._owners) if owner == tag]
        return (cells[0], cells[-1] + 1) if cells else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        index = None if offset is None else self.cell_at(offset.x, offset.y)
        if index is None:
            return
        self.focus()
        self.cursor = index
        self.post_message(self.Hovered(self, self.span_of(index)))
        tag = self._owners[index]
        block = block_of(tag)
        if block is None:
            self.repaint()
            return
        first, last = self.block_cells(tag) or (index, index + 1)
        count = last - first
        grip: Grip = "body"
        if count == 1 or index == last - 1:
            grip = "end"
        elif index == first:
            grip = "start"
        self._grab = _Grab(tag, block, grip, self.span_of(index)[0])
        self._last_delta = None
        self.capture_mouse()
        self.styles.pointer = "grabbing" if grip == "body" else "ew-resize"
        self.post_message(self.BlockPicked(self, block, dragging=True))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Never test event.button here: a grab is our own state (Pilot's hover sends button 0).
        if self._grab is None:
            offset = event.get_content_offset(self)
            index = None if offset is None else self.cell_at(offset.x, offset.y)
            self.post_message(self.Hovered(self, None if index is None else self.span_of(index)))
            return
        event.stop()  # a drag's motion is the grid's own: no bubbling through three more pumps
        self._drag_to(event, final=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grab is not None:
            self._drag_to(event, final=True)
            self._end_grab()

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        if self._grab is not None:  # capture taken away: finish the drag where it is
            self._report_drag(self._grab, self._last_delta or 0, final=True)
            self._end_grab()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, 0.5)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 2.0)

    def _wheel(self, event: events.MouseEvent, factor: float) -> None:
        offset = event.get_content_offset(self)
        index = None if offset is None else self.cell_at(offset.x, offset.y, clamp=True)
        if index is not None and self._grab is None:
            event.stop()
            self.post_message(self.ZoomAsked(self, factor, self.span_of(index)[0]))

    def on_leave(self, event: events.Leave) -> None:
        if self._grab is None:
            self.post_message(self.Hovered(self, None))

    def _drag_to(self, event: events.MouseEvent, *, final: bool) -> None:
        grab = self._grab
        assert grab is not None
        offset = event.get_content_offset_capture(self)
        index = self.cell_at(offset.x, offset.y, clamp=True)
        if index is None:
            return
        delta = self.span_of(index)[0] - grab.press
        self.cursor = index
        if delta != self._last_delta or final:
            self._last_delta = delta
            self._report_drag(grab, delta, final)

    def _report_drag(self, grab: _Grab, delta: int, final: bool) -> None:
        """Post :class:`BlockDragged` straight to the screen, its only handler: bubbling through
        the map would cost two more pumps (a dispatch and an idle each) on every drag step."""
        self.screen.post_message(self.BlockDragged(self, grab.block, grab.tag, grab.grip, delta,
                                                   final))

    def _end_grab(self) -> None:
        self._grab = None
        self.styles.pointer = "default"
        if self.app.mouse_captured is self:
            self.release_mouse()

    # --- keyboard ---------------------------------------------------------------------------

    def action_cursor(self, dx: int, dy: int) -> None:
        grid = self.grid
        if grid is None:
            return
        if self.cursor is None:
            cells = self.block_cells(self.selected) or self.block_cells(f"{self.selected}0")
            self.cursor = cells[0] if cells else 0
        else:
            total = grid.rows * grid.cols
            self.cursor = min(max(self.cursor + dx + dy * grid.cols, 0), total - 1)
        self.post_message(self.Hovered(self, self.span_of(self.cursor)))
        self.repaint()

    def action_pick(self) -> None:
        if self.cursor is None:
            return
        block = block_of(self._owners[self.cursor])
        if block is not None:
            self.post_message(self.BlockPicked(self, block, dragging=False))

    @property
    def cursor_address(self) -> int | None:
        return None if self.cursor is None or self.grid is None else self.span_of(self.cursor)[0]
