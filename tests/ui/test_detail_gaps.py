"""The detail grid's collapsed gaps: each "nothing at …" line names the whole hole its empty
rows stand for, not just the rows it replaces (issue 12 item 8: a 230 GiB hole was labelled
"nothing at 0x700000000–0x7ffffffff (4 GiB)")."""

from __future__ import annotations

import re

import pytest
from crashmap.app.widgets.detail_grid import DetailGrid
from crashmap.sources import bundled_maps

from tests.ui.conftest import make_app, settle

LABEL = re.compile(r"nothing (?:at (0x[0-9a-f]+)–(0x[0-9a-f]+) \(([^)]+)\)|from (0x[0-9a-f]+) up)")


def gap_texts(grid: DetailGrid) -> list[str]:
    return [grid.render_line(y).text for y, line in enumerate(grid.lines) if line.gap]


async def test_a_gap_past_the_window_names_the_whole_hole() -> None:
    """Stingray at 160×48: the last gap line stands for 0xc00000000–0x1fffffffff of the window,
    but the hole runs on to the 0x9000000000 RAM bank: 528 GiB."""
    # planned for a current kernel: the map's own 5.1 places no block (arm64 before 5.19 is not
    # modelled), and the window then shows the whole map instead of the plan
    app = make_app("arm64-board-stingray", kernel="7.3")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        assert grid.grid.hi == 0x2000000000  # the window ends inside the hole
        texts = gap_texts(grid)
        assert any("nothing at 0xc00000000–0x8fffffffff (528 GiB)" in t for t in texts), texts


@pytest.mark.parametrize("name", sorted(bundled_maps()))
@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_every_gap_label_is_a_whole_hole(name: str, size: tuple[int, int]) -> None:
    """Whatever the map and size: inside the labelled span nothing at all, and something
    right before it (unless it starts at 0) and right after it (unless nothing follows)."""
    app = make_app(name)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        for line in (line for line in grid.lines if line.gap):
            found = LABEL.search(grid.gap_label(line.gap))
            assert found, grid.gap_label(line.gap)
            if found[4]:
                lo, hi = int(found[4], 16), None
            else:
                lo, hi = int(found[1], 16), int(found[2], 16) + 1
            start, end = line.gap
            assert lo <= start and (hi is None or end <= hi)
            assert lo == 0 or not grid._empty(lo - 1, lo)
            if hi is None:
                assert grid._empty(lo, 1 << 64)
            else:
                assert grid._empty(lo, hi) and not grid._empty(hi, hi + 1)
