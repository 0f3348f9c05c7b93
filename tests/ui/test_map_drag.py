"""Real mouse drags on the detail grid (Pilot mouse_down / hover / mouse_up), then the plan and
the crashkernel= words. The demo map is x86_64: main-block steps of 16 MiB (CRASH_ALIGN), CMA steps
of 2 MiB (a pageblock).
"""

from __future__ import annotations

import gc

from crashmap.app.evaluation import nearest_step
from crashmap.app.widgets.detail_grid import DetailGrid
from crashmap.units import MiB, align_down

from tests.ui.conftest import make_app, settle

SIZE = (120, 36)


def cell_offset(grid: DetailGrid, index: int) -> tuple[int, int]:
    """Offset inside the grid widget of cell ``index``."""
    assert grid.grid is not None
    row, col = divmod(index, grid.grid.cols)
    y = next(i for i, line in enumerate(grid.lines) if line.row == row)
    return grid.gutter_width + col, y


def block_edges(grid: DetailGrid, tag: str) -> tuple[tuple[int, int], tuple[int, int], int]:
    """Offsets of a block's first and last cells, and its cell count."""
    cells = grid.block_cells(tag)
    assert cells is not None, f"{tag} is not drawn"
    first, last = cells
    return cell_offset(grid, first), cell_offset(grid, last - 1), last - first


async def drag(pilot, grid: DetailGrid, start: tuple[int, int], end: tuple[int, int],
               steps: int = 3) -> None:
    await pilot.mouse_down(grid, offset=start)
    for i in range(1, steps + 1):  # a few intermediate moves, as a hand would make
        x = start[0] + (end[0] - start[0]) * i // steps
        y = start[1] + (end[1] - start[1]) * i // steps
        await pilot.hover(grid, offset=(x, y))
    await pilot.mouse_up(grid, offset=end)


def words(app) -> str:
    return app.main_screen.evaluation.cmdline


async def test_drag_the_end_edge_grows_by_whole_steps() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        _, end, count = block_edges(grid, "main")
        assert count >= 3
        cell = grid.grid.cell
        await drag(pilot, grid, end, (end[0] + 3, end[1]))
        expected = nearest_step(96 * MiB + 3 * cell, 16 * MiB)
        assert app.plan.size == expected and app.plan.mode == "auto"
        assert words(app) == f"crashkernel={expected >> 20}M"
        assert app.mouse_captured is None
        # The plan editor followed on release.
        assert app.screen.query_one("#plan").fields["size"].value == f"{expected >> 20}M"


async def test_drag_the_start_edge_down_grows_and_back_up_shrinks() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start, _, _ = block_edges(grid, "main")
        cell = grid.grid.cell
        await drag(pilot, grid, start, (start[0] - 4, start[1]))
        grown = nearest_step(96 * MiB + 4 * cell, 16 * MiB)
        assert app.plan.size == grown
        start, _, _ = block_edges(grid, "main")
        await drag(pilot, grid, start, (start[0] + 2, start[1]))
        assert app.plan.size == nearest_step(grown - 2 * cell, 16 * MiB)


async def test_drag_the_body_pins_at_a_fixed_base() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start, end, _ = block_edges(grid, "main")
        origin = app.main_screen.evaluation.block("main").start
        body = ((start[0] + end[0]) // 2, start[1])
        cell = grid.grid.cell
        await drag(pilot, grid, body, (body[0] - 5, body[1]))
        base = align_down(origin - 5 * cell, 16 * MiB)
        assert app.plan.mode == "fixed" and app.plan.base == base
        assert words(app) == f"crashkernel=96M@{base >> 20}M"
        main = app.main_screen.evaluation.block("main")
        assert main.start == base and not main.ghost


async def test_a_whole_drag_is_one_undo_step() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        _, end, _ = block_edges(grid, "main")
        await drag(pilot, grid, end, (end[0] + 4, end[1]), steps=4)
        assert app.plan.size > 96 * MiB
        await pilot.press("u")
        assert words(app) == "crashkernel=96M"
        await pilot.press("ctrl+r")
        assert app.plan.size > 96 * MiB


async def test_drag_a_cma_edge_in_pageblock_steps() -> None:
    app = make_app(kernel="6.17")  # the demo's own 5.3 does not read ,cma
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        grid = app.screen.query_one(DetailGrid)
        grid.show_window(4 << 30, 6 << 30)  # the CMA area sits just above 4 GiB
        await pilot.pause()
        _, end, _ = block_edges(grid, "cma0")
        cell = grid.grid.cell
        await drag(pilot, grid, end, (end[0] - 3, end[1]))
        assert app.plan.cma == nearest_step(512 * MiB - 3 * cell, 2 * MiB) < 512 * MiB
        assert words(app) == f"crashkernel=96M crashkernel={app.plan.cma >> 20}M,cma"
        assert app.main_screen.evaluation.cma_reserved == app.plan.cma  # no rounding left


async def test_dragging_past_the_map_clamps() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start, _, _ = block_edges(grid, "main")
        await pilot.mouse_down(grid, offset=start)
        await pilot.hover(grid, offset=(-1, start[1]))  # left of the grid, still on screen
        await pilot.mouse_up(grid, offset=(-1, start[1]))
        assert app.plan.size > 96 * MiB
        assert app.mouse_captured is None


async def test_the_kernels_low_companion_cannot_be_resized_without_high() -> None:
    app = make_app(cmdline="crashkernel=4G")  # too big below 4 GiB: falls back high + 256M low
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        evaluation = app.main_screen.evaluation
        assert evaluation.block("low") is not None and evaluation.block("main").start >= 4 << 30
        grid = app.screen.query_one(DetailGrid)
        grid.show_window(0, 4 << 30)
        await pilot.pause()
        _, end, _ = block_edges(grid, "low")
        await drag(pilot, grid, end, (end[0] + 2, end[1]))
        assert words(app) == "crashkernel=4G"
        assert any("companion" in n.message for n in app._notifications)


async def test_hover_and_cursor_describe_the_cell() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start, _, _ = block_edges(grid, "main")
        await pilot.hover(grid, offset=start)
        status = app.screen.query_one("#map").status
        assert "System RAM" in status and "main (static) 96 MiB" in status
        grid.focus()
        await pilot.press("right")
        status = app.screen.query_one("#map").status
        assert status.startswith("0x")


async def test_click_on_the_overview_zooms_the_grid() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        before = (grid.grid.lo, grid.grid.hi)
        await pilot.click("#overview", offset=(1, 0))  # the first cells: low memory
        assert (grid.grid.lo, grid.grid.hi) != before
        assert grid.grid.hi - grid.grid.lo < before[1] - before[0]


async def test_the_wheel_zooms_around_the_pointer() -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        x, y = block_edges(grid, "main")[0]
        before = grid.grid.hi - grid.grid.lo
        region = grid.content_region  # Pilot has no wheel: post what the driver would
        wheel = events.MouseScrollUp(grid, x, y, 0, -1, 0, False, False, False,
                                     screen_x=region.x + x, screen_y=region.y + y)
        grid.post_message(wheel)
        await pilot.pause()
        main = app.main_screen.evaluation.block("main")
        assert grid.grid.hi - grid.grid.lo < before
        assert grid.grid.lo <= main.start < grid.grid.hi


async def test_the_findings_detail_follows_a_drag() -> None:
    """The explanation under the findings list (and the map's highlight) are those of the
    plan after the drag, not of the plan before it (issue 12 item 9)."""
    from crashmap.app.widgets.findings_panel import finding_detail

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("FindingsPanel")
        panel.query_one("#finding-list").focus()
        codes = [f.code for f in panel.findings]
        await pilot.press("home", *["down"] * codes.index("plan-changes"))  # its range: the block
        await pilot.pause()
        before = panel.current
        assert before.code == "plan-changes"
        grid = app.screen.query_one(DetailGrid)
        _, end, _ = block_edges(grid, "main")
        await drag(pilot, grid, end, (end[0] + 4, end[1]))
        await pilot.pause()
        main = app.main_screen.evaluation.block("main")
        current = panel.current
        assert current.code == "plan-changes" and current != before
        assert (current.range.start, current.range.end) == (main.start, main.end)
        detail = str(panel.query_one("#finding-detail").content)
        assert detail == str(finding_detail(current))
        assert f"{main.end - 1:#x}" in detail
        assert app.main_screen.finding == current  # the map highlights where the block is now


async def test_findings_follow_each_drag_step_and_are_current_on_release() -> None:
    """A drag step draws the map and words first; its checks (and the plan editor's placement
    lines) follow once that frame is out, so the findings after each step (and after the
    release) are those of the plan drawn. During
    the drag the list keeps its entries (their texts follow) while the codes stay; a changed
    list follows on release."""
    from crashmap.app.evaluation import evaluate

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        panel = screen.query_one("FindingsPanel")
        editor = screen.query_one("PlanEditor")
        grid = app.screen.query_one(DetailGrid)
        _, end, _ = block_edges(grid, "main")
        before = panel.findings
        followed = 0
        await pilot.mouse_down(grid, offset=end)
        for dx in (1, 2, 3, 5, 7):
            await pilot.hover(grid, offset=(end[0] + dx, end[1]))
            await pilot.pause()
            full = evaluate(screen.ctx, screen.plan)
            assert screen.evaluation == full  # checked, not the quick step's
            assert editor.outcome_lines[1:] == editor.placements(full).splitlines()  # late too
            if [f.code for f in full.findings] == [f.code for f in before]:
                assert panel.findings == full.findings
                followed += full.findings != before  # the messages name the sizes
        assert followed
        assert gc.get_freeze_count() > 0  # the map's objects sit out the drag's collections
        assert not gc.isenabled()  # young objects are collected between frames, not in them
        await pilot.mouse_up(grid, offset=(end[0] + 7, end[1]))
        await pilot.pause()
        full = evaluate(screen.ctx, screen.plan)
        assert screen.evaluation == full and panel.findings == full.findings
        assert app.plan.size > 96 * MiB
        assert gc.get_freeze_count() == 0 and gc.isenabled()  # and collect again once it ends
