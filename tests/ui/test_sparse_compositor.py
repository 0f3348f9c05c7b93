"""The main screen's compositor renders, on a partial update, only the widget lines a dirty
region touches and that no widget in front covers: every update of a real drag (grid rows, the
status line, the placements, the words) and of a key press writes the same bytes to the
terminal as Textual's own compositor."""

from __future__ import annotations

from crashmap.app.compositor import SparseCompositor, _add, _within
from crashmap.app.widgets.detail_grid import DetailGrid
from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

from tests.ui.conftest import make_app, settle
from tests.ui.test_map_drag import block_edges, drag

SIZE = (160, 48)


async def test_partial_updates_write_what_textual_writes(monkeypatch) -> None:
    compared: list[int] = []
    sparse_update = SparseCompositor.render_partial_update

    def both(self: SparseCompositor):  # type: ignore[no-untyped-def]
        dirty = set(self._dirty_regions)
        plain = Compositor.render_partial_update(self)  # _updating unset: every widget renders
        self._dirty_regions.update(dirty)
        sparse = sparse_update(self)
        if plain is None:
            assert sparse is None
            return None
        assert sparse.render_segments(app.console) == plain.render_segments(app.console)
        compared.append(len(dirty))
        return sparse

    monkeypatch.setattr(SparseCompositor, "render_partial_update", both)
    app = make_app(cmdline="crashkernel=256M crashkernel=64M,cma")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen._compositor, SparseCompositor)
        grid = app.screen.query_one(DetailGrid)
        start, end, _ = block_edges(grid, "main")
        await drag(pilot, grid, end, (end[0] + 5, end[1]), steps=5)
        await drag(pilot, grid, start, (start[0] - 3, start[1]), steps=3)
        await pilot.press("plus", "c", "minus")
        await pilot.pause()
    assert len(compared) >= 8  # the drag steps and key presses were partial updates
    assert max(compared) > 1  # several regions at once: the case the union crop rendered whole


async def test_a_drag_step_renders_no_line_that_widgets_in_front_cover(monkeypatch) -> None:
    """The map panel and the screen lie under the grid row a step redraws: neither is asked
    for that line (the bytes are Textual's all the same, see above), the grid and the words
    are."""
    asked: list[tuple[str, int, int]] = []
    render_lines = Widget.render_lines

    def recording(self: Widget, crop: Region):  # type: ignore[no-untyped-def]
        asked.append((type(self).__name__, self.region.y + crop.y, crop.height))
        return render_lines(self, crop)

    app = make_app(cmdline="crashkernel=256M")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start, end, _ = block_edges(grid, "main")
        await pilot.mouse_down(grid, offset=end)
        await pilot.pause()
        monkeypatch.setattr(Widget, "render_lines", recording)
        monkeypatch.setattr(Screen, "render_lines", recording, raising=False)
        for step in range(1, 4):
            await pilot.hover(grid, offset=(end[0] + step, end[1]))
        await pilot.pause()
        monkeypatch.undo()
        await pilot.mouse_up(grid, offset=(end[0] + 3, end[1]))
    rows = {y for name, y, height in asked if name == "DetailGrid" for y in range(y, y + height)}
    assert rows, "the steps redrew grid rows"
    under = [(name, y, h) for name, y, h in asked
             if name in ("MemoryMap", "MainScreen") and rows & set(range(y, y + h))]
    assert under == []
    assert any(name == "SummaryBar" for name, _, _ in asked)  # the words changed: drawn


def test_covered_ranges() -> None:
    assert _add(None, 2, 5) == [(2, 5)]
    assert _add([(2, 5)], 5, 8) == [(2, 8)]  # touching ranges merge
    assert _add([(2, 5), (10, 12)], 0, 1) == [(0, 1), (2, 5), (10, 12)]
    assert _add([(2, 5), (10, 12)], 4, 11) == [(2, 12)]
    covered = [(0, 2), (2, 158)]
    assert _within([(2, 158)], _add(_add(None, *covered[0]), *covered[1]))
    assert _within([(3, 4), (6, 9)], [(0, 5), (6, 10)])
    assert not _within([(3, 7)], [(0, 5), (6, 10)])  # the gap at 5
    assert not _within([(0, 1)], None)
    assert not _within([(9, 11)], [(0, 10)])
