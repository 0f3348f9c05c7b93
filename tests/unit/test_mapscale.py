"""The map's address ↔ cell mapping and cell painting (crashmap.mapscale), without Textual."""

from __future__ import annotations

import pytest
from crashmap import mapscale
from crashmap.iomem import parse_iomem
from crashmap.mapscale import Overlay, Partition, Segment, hole_around
from crashmap.sources import bundled_maps, load_source
from crashmap.units import GiB, MiB, TiB
from hypothesis import given, settings
from hypothesis import strategies as st

SPARSE = """\
00000000-00000fff : Reserved
00001000-0009efff : System RAM
000f0000-000fffff : System ROM
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  20000000-2fffffff : Crash kernel
c0000000-febfffff : PCI Bus 0000:00
fed00000-fed003ff : HPET 0
100000000-fffffffff : System RAM
400000000000-7fffffffffff : PCI Bus 0000:00
"""


@pytest.fixture(scope="module")
def sparse():
    return parse_iomem(SPARSE)


def scale_invariants(scale: mapscale.Scale) -> None:
    """Monotonic, every cell non-empty, cells tile the address range, round trips hold."""
    spans = scale.spans()
    assert len(spans) == scale.cells
    assert spans[0][0] == scale.lo and spans[-1][1] == scale.hi
    for (a, b), (c, _) in zip(spans, spans[1:], strict=False):
        assert a < b == c
    for cell, (a, b) in enumerate(spans):
        assert scale.span_of(cell) == (a, b)
        assert scale.cell_of(a) == cell
        assert scale.cell_of(b - 1) == cell


# --- the overview scale ------------------------------------------------------------------------


def test_every_top_level_range_and_hole_gets_a_cell(sparse):
    parts = mapscale.segments(sparse.roots)
    assert [p.hole for p in parts].count(True) == 4
    scale = mapscale.overview_scale(parts, 80)
    scale_invariants(scale)
    for part in parts:
        first, last = scale.cell_range(part.start, part.end)
        assert last - first >= 1, part


def test_small_ranges_stay_visible_next_to_huge_ones(sparse):
    """A 4 KiB Reserved page and 1 KiB of HPET beside 64 TiB of PCI space each keep a cell."""
    scale = mapscale.overview_scale(mapscale.segments(sparse.roots), 40)
    base = mapscale.paint_base(scale.spans(), mapscale.base_partition(sparse))
    text = mapscale.text_of(base)
    assert text.count("·") < 30  # the PCI windows are compressed
    assert "r" in text  # the System ROM
    assert ":" in text  # the HPET


def test_ram_gets_more_cells_than_a_larger_pci_window(sparse):
    scale = mapscale.overview_scale(mapscale.segments(sparse.roots), 80)
    ram = scale.cell_range(0x100000000, 0x1000000000)
    pci = scale.cell_range(0x400000000000, 0x800000000000)
    assert ram[1] - ram[0] > pci[1] - pci[0]


@pytest.mark.parametrize("name", sorted(bundled_maps()))
@pytest.mark.parametrize("cells", [1, 7, 38, 76, 156])
def test_bundled_maps_scale_is_sound(name, cells):
    snapshot = load_source(name)
    parts = mapscale.segments(snapshot.parsed.roots)
    scale = mapscale.overview_scale(parts, cells)
    assert scale.cells == cells
    scale_invariants(scale)
    if len(parts) <= cells * 3 // 4:
        for part in parts:
            first, last = scale.cell_range(part.start, part.end)
            assert last > first


@st.composite
def segment_lists(draw):
    sizes = draw(st.lists(st.integers(1, 1 << 44), min_size=1, max_size=60))
    holes = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    parts, cursor = [], 0
    for size, hole in zip(sizes, holes, strict=True):
        parts.append(Segment(cursor, cursor + size, hole=hole, ram=not hole and size % 2 == 0))
        cursor += size
    return parts


@settings(max_examples=200, deadline=None)
@given(segment_lists(), st.integers(1, 200))
def test_overview_scale_properties(parts, cells):
    scale = mapscale.overview_scale(parts, cells)
    total_bytes = parts[-1].end - parts[0].start
    assert scale.cells == min(cells, total_bytes) or scale.cells <= cells
    scale_invariants(scale)
    previous = -1
    for part in parts:  # monotonic over the parts' starts
        cell = scale.cell_of(part.start)
        assert cell >= previous
        previous = cell
    if len(parts) <= cells * 3 // 4 and all(p.size >= cells for p in parts):
        for part in parts:
            first, last = scale.cell_range(part.start, part.end)
            assert last - first >= 1


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1 << 50), st.integers(1, 1 << 50), st.integers(1, 500),
       st.integers(0, 1 << 51))
def test_linear_scale_round_trip(lo, size, cells, addr):
    scale = mapscale.linear_scale(lo, lo + size, cells)
    cell = scale.cell_of(addr)
    start, end = scale.span_of(cell)
    if lo <= addr < lo + size:
        assert start <= addr < end
    assert scale.cell_of(start) == cell


# --- the detail grid ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1 << 46), st.integers(1, 1 << 44), st.integers(1, 300),
       st.integers(1, 60))
def test_grid_covers_the_window_with_aligned_power_of_two_rows(lo, size, cols, rows):
    grid = mapscale.grid_for(lo, lo + size, cols, rows)
    assert grid.cols & (grid.cols - 1) == 0 and grid.cols <= cols
    assert grid.cell & (grid.cell - 1) == 0 and grid.cell >= 4096
    assert grid.lo <= lo and grid.hi >= lo + size
    assert grid.lo % grid.row_bytes == 0
    assert grid.rows <= rows or grid.cell >= 1 << 62
    row, col = grid.position(lo)
    assert grid.addr_at(row, col) <= lo < grid.addr_at(row, col) + grid.cell


def test_four_gib_starts_a_row():
    grid = mapscale.grid_for(0, 16 * GiB, 100, 10)
    assert grid.cols == 64
    assert (4 * GiB - grid.lo) % grid.row_bytes == 0


def test_grid_is_the_finest_that_fits():
    grid = mapscale.grid_for(0, 4 * GiB, 64, 4)
    assert (grid.cell, grid.rows) == (16 * MiB, 4)
    assert mapscale.grid_for(0, 4 * GiB, 64, 3).cell == 32 * MiB


def test_focus_window_zooms_until_the_smallest_block_is_wide_enough():
    ram = (0x1000, 18 * GiB)
    blocks = [(0x70000000, 0x76000000)]  # 96 MiB at 1.75 GiB
    assert mapscale.focus_window(ram, blocks, 128, 24) == ram  # 8 MiB cells: 12 of them
    lo, hi = mapscale.focus_window(ram, blocks, 64, 5)
    assert lo <= 0x70000000 and hi >= 0x76000000 and hi - lo < 18 * GiB
    grid = mapscale.grid_for(lo, hi, 64, 5)
    assert 8 * grid.cell <= 0x6000000


# --- painting ----------------------------------------------------------------------------------


def test_partition_paints_inside_ram(sparse):
    part = mapscale.base_partition(sparse)
    assert list(part.starts) == sorted(part.starts)
    assert all(s < e for s, e in zip(part.starts, part.ends, strict=True))
    kinds = dict(zip(part.starts, part.kinds, strict=True))
    assert kinds[0] == "reserved"
    assert kinds[0x1000] == "ram"
    assert kinds[0xf0000] == "rom"
    assert kinds[0xc0000000] == "pci"
    # Kernel code and Crash kernel are overlays, not base kinds: RAM underneath.
    assert "kernel" not in part.kinds and "crash" not in part.kinds


def test_majority_with_holes_last(sparse):
    part = mapscale.base_partition(sparse)
    spans = [(0, 0x1000), (0x9f000, 0x100000), (0x1000000000, 0x2000000000)]
    assert mapscale.paint_base(spans, part) == ["reserved", "rom", "hole"]


def test_overlays_win_wherever_they_touch():
    scale = mapscale.linear_scale(0, 1024, 8)  # 128 bytes per cell
    base = ["ram"] * 8
    painted = mapscale.paint(base, scale, [Overlay(130, 131, "kernel"), Overlay(500, 700, "main")])
    assert mapscale.text_of(painted) == "█K█MMM██"  # 500 is in cell 3


def test_glyphs_are_distinct():
    glyphs = [g for k, g in mapscale.GLYPHS.items() if k != "hole"]
    assert len(set(glyphs)) == len(glyphs)


def test_hotplug_ram_under_a_device():
    iomem = parse_iomem("00000000-3fffffff : System RAM\n"
                        "40000000-7fffffff : virtio0\n  40000000-4fffffff : System RAM\n")
    part = mapscale.base_partition(iomem)
    assert list(part.kinds) == ["ram", "hotplug", "device"]


def test_locate_finds_the_innermost(sparse):
    chain = mapscale.locate(sparse.roots, 0x20000000)
    assert [r.name for r in chain] == ["System RAM", "Crash kernel"]
    assert mapscale.locate(sparse.roots, 0x2000000000) == []
    assert mapscale.locate(sparse.roots, 64 * TiB)[0].name == "PCI Bus 0000:00"


@pytest.mark.parametrize("name", sorted(bundled_maps()))
def test_paint_grid_equals_paint_base(name):
    """The grid's fast painter gives the same cells as the general one."""
    snapshot = load_source(name)
    part = mapscale.base_partition(snapshot.parsed)
    end = snapshot.memmap.address_limit
    for lo, hi, cols, rows in ((0, end, 64, 20), (0, 4 * GiB, 128, 40), (0x1000, 18 * GiB, 32, 9),
                               (end // 3, end // 2, 16, 5)):
        grid = mapscale.grid_for(lo, hi, cols, rows)
        assert mapscale.paint_grid(grid, part) == mapscale.paint_base(grid.scale.spans(), part)


def test_hole_around_reaches_the_neighbours_of_an_empty_span():
    part = Partition((0, 0x1000, 0x5000, 0x9000), (0x1000, 0x5000, 0x9000, 0xa000),
                     ("ram", "hole", "hole", "pci"))
    assert hole_around(part, 0x2000, 0x3000) == (0x1000, 0x9000)
    assert hole_around(part, 0x1000, 0x9000) == (0x1000, 0x9000)
    assert hole_around(part, 0xb000, 0xc000) == (0xa000, None)  # past the end: nothing follows
    leading = Partition((0, 0x4000), (0x4000, 0x5000), ("hole", "ram"))
    assert hole_around(leading, 0x1000, 0x2000) == (0, 0x4000)
