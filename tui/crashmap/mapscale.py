"""Address ↔ cell mapping and cell painting for the memory map (pure: no terminal, no Textual).

Two scales share one type, :class:`Scale` (piecewise linear, monotonic):

* the **overview** gives every top-level range and hole of the sparse physical address space a
  share of cells from a compressed function of its size, at least one cell each while they fit
  (holes compressed most), so a 4 KiB ROM beside 64 TiB of PCI space stays visible;
* the **detail grid** is linear: ``rows × cols`` cells of one power-of-two size, rows aligned so
  that power-of-two boundaries (4 GiB, the arm64 DMA limit) fall on a row start.

:func:`paint` decides what each cell shows: the base kind covering most of the cell (RAM,
reserved, PCI...), then overlays that win wherever they touch a cell (the kernel image, the current
``Crash kernel``, the planned blocks), so small but important things never disappear.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from crashmap.iomem import Iomem, Resource
from crashmap.memmap import classify, is_ram

GLYPHS: dict[str, str] = {
    "hole": " ",
    "ram": "█",
    "hotplug": "▓",
    "reserved": "░",
    "acpi": "a",
    "rom": "r",
    "pci": "·",
    "device": ":",
    "pmem": "P",
    "soft": "s",
    "kernel": "K",
    "crash": "C",
    "main": "M",
    "low": "L",
    "cma": "c",
    "failed": "x",
    "limit": "│",
}
"""One distinct character per cell kind: the map stays readable without colour (NO_COLOR)."""

LEGEND: tuple[tuple[str, str], ...] = (
    ("ram", "RAM"), ("reserved", "reserved"), ("acpi", "ACPI"), ("rom", "ROM"),
    ("pci", "PCI/MMIO"), ("device", "device"), ("pmem", "pmem"), ("soft", "soft-reserved"),
    ("hotplug", "hot-plugged RAM"), ("kernel", "kernel"), ("crash", "Crash kernel now"),
    ("main", "main"), ("low", "low"), ("cma", "CMA"), ("failed", "cannot place"),
    ("limit", "low/high limit"),
)
"""Legend entries in display order: kind and label."""

BASE_KINDS = frozenset({"hole", "ram", "hotplug", "reserved", "acpi", "rom", "pci", "device",
                        "pmem", "soft"})
"""Kinds of the base partition (painted by majority); the others are overlays."""

_DOMAIN_KIND = {"empty": "hole", "kernel": "reserved", "crash": "ram"}
"""classify() kinds that the base layer shows differently (kernel and crash are overlays)."""


class Scale(NamedTuple):
    """A monotonic piecewise-linear map from ``[lo, hi)`` addresses onto ``cells`` cells.

    Piece ``i`` maps addresses ``[starts[i], starts[i+1])`` onto cells
    ``[firsts[i], firsts[i+1])``; each piece has at least one cell and at least one byte per cell.
    """

    starts: tuple[int, ...]
    """Address where each piece starts, then the end address (one more entry than pieces)."""
    firsts: tuple[int, ...]
    """First cell of each piece, then ``cells``."""

    @property
    def lo(self) -> int:
        return self.starts[0]

    @property
    def hi(self) -> int:
        return self.starts[-1]

    @property
    def cells(self) -> int:
        return self.firsts[-1]

    def _piece_of_addr(self, addr: int) -> int:
        return min(max(bisect_right(self.starts, addr) - 1, 0), len(self.starts) - 2)

    def cell_of(self, addr: int) -> int:
        """The cell showing ``addr`` (addresses outside ``[lo, hi)`` clamp to the end cells)."""
        if addr < self.lo:
            return 0
        if addr >= self.hi:
            return self.cells - 1
        i = self._piece_of_addr(addr)
        start, size = self.starts[i], self.starts[i + 1] - self.starts[i]
        count = self.firsts[i + 1] - self.firsts[i]
        return self.firsts[i] + (addr - start) * count // size

    def span_of(self, cell: int) -> tuple[int, int]:
        """The addresses ``[start, end)`` that ``cell`` shows (clamped to the valid cells)."""
        cell = min(max(cell, 0), self.cells - 1)
        i = min(max(bisect_right(self.firsts, cell) - 1, 0), len(self.firsts) - 2)
        start, size = self.starts[i], self.starts[i + 1] - self.starts[i]
        count = self.firsts[i + 1] - self.firsts[i]
        k = cell - self.firsts[i]
        return start + -(-k * size // count), start + -(-(k + 1) * size // count)

    def cell_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Cells ``[first, last+1)`` touching addresses ``[start, end)``; None when outside."""
        if end <= self.lo or start >= self.hi or end <= start:
            return None
        return self.cell_of(start), self.cell_of(end - 1) + 1

    def spans(self) -> list[tuple[int, int]]:
        """The address span of every cell, in order."""
        out: list[tuple[int, int]] = []
        for i in range(len(self.starts) - 1):
            start, size = self.starts[i], self.starts[i + 1] - self.starts[i]
            count = self.firsts[i + 1] - self.firsts[i]
            edges = [start + -(-k * size // count) for k in range(count + 1)]
            out.extend(zip(edges, edges[1:], strict=False))
        return out


def linear_scale(lo: int, hi: int, cells: int) -> Scale:
    """``[lo, hi)`` spread evenly over ``cells`` cells (fewer if the range has fewer bytes)."""
    if hi <= lo:
        raise ValueError("empty range")
    cells = max(1, min(cells, hi - lo))
    return Scale((lo, hi), (0, cells))


# --- the overview: every top-level range visible ------------------------------------------------


class Segment(NamedTuple):
    """A top-level range of the address space, or a hole between them."""

    start: int
    end: int
    hole: bool = False
    ram: bool = False

    @property
    def size(self) -> int:
        return self.end - self.start


def segments(roots: Iterable[Resource], limit: int | None = None) -> list[Segment]:
    """Top-level ranges and the holes between them, covering ``[0, end)`` without gaps.

    Overlapping top-level lines (mangled dumps) are merged; empty ``0-0`` lines are skipped.
    """
    out: list[Segment] = []
    cursor = 0
    for root in sorted((r for r in roots if not r.is_empty), key=lambda r: r.start):
        if root.end <= cursor:
            continue
        start = max(root.start, cursor)
        if start > cursor:
            out.append(Segment(cursor, start, hole=True))
        out.append(Segment(start, root.end, ram=is_ram(root.name)))
        cursor = root.end
    if limit is not None and limit > cursor:
        out.append(Segment(cursor, limit, hole=True))
    return out or [Segment(0, max(limit or 0, 1 << 32), hole=True)]


def weight(segment: Segment) -> float:
    """Compressed share of a range: RAM by the square root of its size (it is what a plan uses),
    other ranges by a smaller power, holes by the smallest."""
    if segment.hole:
        return segment.size ** 0.2
    return math.sqrt(segment.size) if segment.ram else segment.size ** 0.38


def overview_scale(parts: Sequence[Segment], cells: int) -> Scale:
    """A scale giving each part ≥ 1 cell and the rest by :func:`weight`.

    A quarter of the cells is kept for the weights: when there are more parts than three
    quarters of ``cells``, the smallest holes are folded into their neighbours first, then the
    smallest adjacent pairs of ranges are merged, until the parts fit.
    """
    cells = max(1, cells)
    groups = _fit(list(parts), max(1, cells * 3 // 4))
    sizes = [g[-1].end - g[0].start for g in groups]
    counts = [1] * len(groups)
    spare = cells - len(groups)
    if spare > 0:
        weights = [sum(weight(s) for s in g) for g in groups]
        room = [max(0, size - 1) for size in sizes]  # never more cells than bytes
        _distribute(counts, weights, room, spare)
    starts = [g[0].start for g in groups] + [groups[-1][-1].end]
    firsts = [0]
    for count in counts:
        firsts.append(firsts[-1] + count)
    return Scale(tuple(starts), tuple(firsts))


def _fit(parts: list[Segment], cells: int) -> list[list[Segment]]:
    groups = [[p] for p in parts]
    if len(groups) <= cells:
        return groups
    # Fold holes into the previous range (or the next, for a leading hole), smallest first.
    holes = sorted((g[0].size, i) for i, g in enumerate(groups) if g[0].hole)
    drop = set()
    for _, i in holes:
        if len(groups) - len(drop) <= cells:
            break
        drop.add(i)
    merged: list[list[Segment]] = []
    pending: list[Segment] = []
    for i, g in enumerate(groups):
        if i in drop:
            if merged:
                merged[-1].extend(g)
            else:
                pending.extend(g)
            continue
        merged.append(pending + g)
        pending = []
    if pending:
        merged = merged or [[]]
        merged[-1].extend(pending)
    groups = merged
    # Then merge the adjacent pair with the smallest combined size until they fit.
    while len(groups) > cells:
        best = min(range(len(groups) - 1),
                   key=lambda i: groups[i][-1].end - groups[i][0].start
                   + groups[i + 1][-1].end - groups[i + 1][0].start)
        groups[best : best + 2] = [groups[best] + groups[best + 1]]
    return groups


def _distribute(counts: list[int], weights: list[float], room: list[int], spare: int) -> None:
    """Add ``spare`` cells in proportion to ``weights`` (largest remainder), capped by ``room``."""
    while spare > 0:
        live = [i for i in range(len(counts)) if room[i] > 0 and weights[i] > 0]
        if not live:
            return
        total = sum(weights[i] for i in live)
        shares = {i: spare * weights[i] / total for i in live}
        given = 0
        for i in live:
            add = min(int(shares[i]), room[i])
            counts[i] += add
            room[i] -= add
            given += add
        left = spare - given
        for i in sorted(live, key=lambda i: shares[i] - int(shares[i]), reverse=True):
            if left <= 0:
                break
            if room[i] > 0:
                counts[i] += 1
                room[i] -= 1
                left -= 1
        if left == spare:  # nothing could move: every live part is full
            return
        spare = left


# --- the detail grid: a linear ruler in rows ---------------------------------------------------


class Grid(NamedTuple):
    """A linear window shown as ``rows`` rows of ``cols`` cells of ``cell`` bytes each."""

    lo: int
    cell: int
    cols: int
    rows: int

    @property
    def row_bytes(self) -> int:
        return self.cell * self.cols

    @property
    def hi(self) -> int:
        return self.lo + self.rows * self.row_bytes

    @property
    def scale(self) -> Scale:
        return Scale((self.lo, self.hi), (0, self.rows * self.cols))

    def row_start(self, row: int) -> int:
        return self.lo + row * self.row_bytes

    def addr_at(self, row: int, col: int) -> int:
        """The first address of the cell at ``(row, col)`` (row-major, unclamped)."""
        return self.lo + (row * self.cols + col) * self.cell

    def position(self, addr: int) -> tuple[int, int]:
        """``(row, col)`` of the cell showing ``addr`` (clamped to the grid)."""
        index = min(max((addr - self.lo) // self.cell, 0), self.rows * self.cols - 1)
        return divmod(index, self.cols)


def pow2_floor(n: int) -> int:
    return 1 << (max(1, n).bit_length() - 1)


def grid_for(lo: int, hi: int, cols: int, rows: int, *, min_cell: int = 4096) -> Grid:
    """The finest grid of power-of-two cells whose aligned rows cover ``[lo, hi)`` in ``rows``.

    ``cols`` is rounded down to a power of two, so a row spans a power of two bytes and the
    4 GiB boundary (any power-of-two boundary at least a row long) starts a row.
    """
    cols = pow2_floor(max(cols, 1))
    rows = max(rows, 1)
    cell = pow2_floor(max(min_cell, 1))
    while True:
        row_bytes = cell * cols
        start = lo // row_bytes * row_bytes
        needed = -(-(hi - start) // row_bytes)
        if needed <= rows or cell >= 1 << 62:
            return Grid(start, cell, cols, max(1, needed))
        cell *= 2


# --- painting -----------------------------------------------------------------------------------


class Partition(NamedTuple):
    """Disjoint, sorted ``[start, end)`` pieces of the address space with their base kind."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    kinds: tuple[str, ...]


def base_partition(iomem: Iomem) -> Partition:
    """The base layer: top-level kinds, with what sits inside boot RAM painted over RAM.

    Inside System RAM: reserved/ACPI/ROM children keep their kind (kernel image and
    ``Crash kernel`` stay RAM here: they are overlays); RAM nested under a device is hot-plugged.
    """
    pieces: list[tuple[int, int, str]] = []
    for root in sorted((r for r in iomem.roots if not r.is_empty), key=lambda r: r.start):
        kind = _base_kind(root)
        if kind == "ram":
            pieces.extend(_ram_pieces(root))
        else:
            pieces.extend(_device_pieces(root, kind))
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []
    cursor = 0
    for start, end, kind in pieces:
        start = max(start, cursor)
        if end <= start:
            continue
        if start > cursor:
            _push(starts, ends, kinds, cursor, start, "hole")
        _push(starts, ends, kinds, start, end, kind)
        cursor = end
    return Partition(tuple(starts), tuple(ends), tuple(kinds))


def _push(starts: list[int], ends: list[int], kinds: list[str], start: int, end: int,
          kind: str) -> None:
    if kinds and kinds[-1] == kind and ends[-1] == start:
        ends[-1] = end
        return
    starts.append(start)
    ends.append(end)
    kinds.append(kind)


def _base_kind(resource: Resource) -> str:
    kind = classify(resource)
    return _DOMAIN_KIND.get(kind, kind)


def _ram_pieces(ram: Resource) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    cursor = ram.start
    for child in ram.children:
        if child.is_empty or child.end <= cursor:
            continue
        kind = _base_kind(child)
        if kind == "ram":
            continue
        if child.start > cursor:
            out.append((cursor, child.start, "ram"))
        start = max(child.start, cursor)
        out.append((start, min(child.end, ram.end), kind))
        cursor = min(child.end, ram.end)
    if cursor < ram.end:
        out.append((cursor, ram.end, "ram"))
    return out


def _device_pieces(root: Resource, kind: str) -> list[tuple[int, int, str]]:
    """A non-RAM range, with hot-plugged RAM inside it (virtio-mem, dax kmem) shown as such."""
    hot = sorted(((r.start, r.end) for r in root.walk()
                  if r is not root and is_ram(r.name) and not r.is_empty), key=lambda p: p[0])
    if not hot:
        return [(root.start, root.end, kind)]
    out: list[tuple[int, int, str]] = []
    cursor = root.start
    for start, end in hot:
        if end <= cursor:
            continue
        if start > cursor:
            out.append((cursor, start, kind))
        out.append((max(start, cursor), min(end, root.end), "hotplug"))
        cursor = min(end, root.end)
    if cursor < root.end:
        out.append((cursor, root.end, kind))
    return out


def hole_around(part: Partition, start: int, end: int) -> tuple[int, int | None]:
    """The whole hole around ``[start, end)``, a span with nothing in it: ``(lo, hi)`` from the
    end of what precedes it to the start of what follows (``hi`` None: nothing follows)."""
    starts, ends, kinds = part.starts, part.ends, part.kinds
    i = bisect_right(starts, start) - 1
    while i >= 0 and kinds[i] == "hole":
        i -= 1
    lo = min(ends[i], start) if i >= 0 else 0
    j = bisect_right(starts, end - 1)
    while j < len(starts) and kinds[j] == "hole":
        j += 1
    return lo, (max(starts[j], end) if j < len(starts) else None)


def paint_base(spans: Sequence[tuple[int, int]], part: Partition) -> list[str]:
    """For each cell span (sorted, non-overlapping), the kind covering most of it; a cell
    shows a hole only when nothing at all is in it."""
    out: list[str] = []
    starts, ends, kinds = part.starts, part.ends, part.kinds
    n = len(starts)
    if not spans:
        return out
    i = max(bisect_right(starts, spans[0][0]) - 1, 0)
    for a, b in spans:
        while i < n and ends[i] <= a:
            i += 1
        best, covered, j = "hole", 0, i
        while j < n and starts[j] < b:
            kind = kinds[j]
            if kind != "hole":  # a hole shows only where nothing else is
                cover = min(b, ends[j]) - max(a, starts[j])
                if cover > covered:
                    best, covered = kind, cover
            j += 1
        out.append(best)
    return out


def paint_grid(grid: Grid, part: Partition) -> list[str]:
    """:func:`paint_base` for a linear grid, piece by piece: whole cells inside one piece are
    filled by slices, only the cells a piece boundary crosses are weighed (same result)."""
    count, cell, lo = grid.rows * grid.cols, grid.cell, grid.lo
    hi = lo + count * cell
    kinds = ["hole"] * count
    covered = [0] * count
    starts, ends, names = part.starts, part.ends, part.kinds
    i = max(bisect_right(starts, lo) - 1, 0)
    for j in range(i, len(starts)):
        start, end, kind = starts[j], ends[j], names[j]
        if start >= hi:
            break
        if end <= lo or kind == "hole":
            continue
        s, e = max(start, lo), min(end, hi)
        first, last = (s - lo) // cell, (e - 1 - lo) // cell
        if first == last:
            if e - s > covered[first]:
                kinds[first], covered[first] = kind, e - s
            continue
        cover = lo + (first + 1) * cell - s  # the cells the piece's two ends cross
        if cover > covered[first]:
            kinds[first], covered[first] = kind, cover
        cover = e - (lo + last * cell)
        if cover > covered[last]:
            kinds[last], covered[last] = kind, cover
        if last - first > 1:
            kinds[first + 1:last] = [kind] * (last - first - 1)
            covered[first + 1:last] = [cell] * (last - first - 1)
    return kinds


class Overlay(NamedTuple):
    """Something drawn over the base wherever it touches a cell."""

    start: int
    end: int
    kind: str
    tag: str = ""
    """Who it belongs to (a block id such as ``main`` or ``cma1``), for hit-testing."""


def paint(base: Sequence[str], scale: Scale, overlays: Iterable[Overlay]) -> list[str]:
    """``base`` with ``overlays`` drawn on top, later overlays over earlier ones."""
    out = list(base)
    for overlay in overlays:
        cells = scale.cell_range(overlay.start, overlay.end)
        if cells is None:
            continue
        first, last = cells
        out[first:last] = [overlay.kind] * (last - first)
    return out


def text_of(kinds: Sequence[str]) -> str:
    """The cells as plain text (what a NO_COLOR terminal shows)."""
    return "".join(GLYPHS.get(k, "?") for k in kinds)


# --- what is under an address --------------------------------------------------------------------


def locate(roots: Sequence[Resource], addr: int) -> list[Resource]:
    """The chain of resources containing ``addr``, outermost first (empty in a hole)."""
    chain: list[Resource] = []
    level: Sequence[Resource] = roots
    while True:
        found = _find(level, addr)
        if found is None:
            return chain
        chain.append(found)
        level = found.children


def _find(level: Sequence[Resource], addr: int) -> Resource | None:
    lo, hi = 0, len(level)
    while lo < hi:  # the last resource starting at or before addr
        mid = (lo + hi) // 2
        if level[mid].start <= addr:
            lo = mid + 1
        else:
            hi = mid
    for k in range(lo - 1, max(lo - 4, -1), -1):  # a few back: identical ranges nest oddly
        r = level[k]
        if r.start <= addr < r.end and not r.is_empty:
            return r
    return None


def focus_window(ram: tuple[int, int], blocks: Sequence[tuple[int, int]], cols: int, rows: int,
                 *, min_cells: int = 8) -> tuple[int, int]:
    """The window to show first: all of RAM when the smallest block is still ``min_cells`` wide
    there, else the largest power-of-two window holding every block where it is."""
    candidates = [ram]
    if blocks:
        lo, hi = min(s for s, _ in blocks), max(e for _, e in blocks)
        size = 1 << max(ram[1] - ram[0] - 1, 1).bit_length()
        while size >= hi - lo and size >= 4096:
            start = lo // size * size
            if start + size >= hi:
                candidates.append((start, start + size))
            size //= 2
    smallest = min((e - s for s, e in blocks), default=0)
    for window in candidates:
        grid = grid_for(window[0], window[1], cols, rows)
        if smallest >= min_cells * grid.cell:
            return window
    return candidates[-1]
