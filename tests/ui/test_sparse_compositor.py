"""The main screen's compositor renders, on a partial update, only the widgets a dirty region
touches: every update of a real drag (grid rows, the status line, the placements, the words)
and of a key press writes the same bytes to the terminal as Textual's own compositor."""

from __future__ import annotations

from crashmap.app.compositor import SparseCompositor
from crashmap.app.widgets.detail_grid import DetailGrid
from textual._compositor import Compositor

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
