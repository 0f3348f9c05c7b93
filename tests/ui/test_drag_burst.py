"""Motion events that arrive faster than frames (a fast hand, a slow terminal link) are
coalesced: only the latest position is evaluated, and the drag ends at the plan a slow drag to
the same place gives, with findings of that plan. Events are posted to the app the way the
terminal driver posts them, all at once, before the app gets to run."""

from __future__ import annotations

from crashmap.app.evaluation import evaluate
from crashmap.app.widgets.detail_grid import DetailGrid
from textual import events

from tests.ui.conftest import make_app, settle
from tests.ui.test_map_drag import block_edges

SIZE = (160, 48)
CMDLINE = "crashkernel=256M crashkernel=64M,cma"


def mouse(kind: type[events.MouseEvent], grid: DetailGrid, x: int, y: int,
          button: int = 1) -> events.MouseEvent:
    """A mouse event at offset ``(x, y)`` of ``grid``, as the driver makes it (no widget)."""
    sx, sy = grid.region.x + x, grid.region.y + y
    return kind(None, sx, sy, 0, 0, button, False, False, False, screen_x=sx, screen_y=sy)


async def drag_plan(path: list[tuple[int, int]], *, burst: bool) -> tuple[object, int, object]:
    """Drag the main block's end edge along ``path`` (offsets from the edge); the plan after
    the release, how many steps the screen evaluated, and whether the findings are current."""
    from crashmap.app import main_screen

    app = make_app(cmdline=CMDLINE)
    evaluated: list[object] = []
    real = main_screen.evaluate

    def counting(ctx, plan, **kwargs):  # type: ignore[no-untyped-def]
        evaluated.append(plan)
        return real(ctx, plan, **kwargs)

    main_screen.evaluate = counting
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            grid = app.screen.query_one(DetailGrid)
            _, (x, y), _ = block_edges(grid, "main")
            app.post_message(mouse(events.MouseDown, grid, x, y))
            await pilot.pause()
            evaluated.clear()
            for dx, dy in path:
                app.post_message(mouse(events.MouseMove, grid, x + dx, y + dy))
                if not burst:
                    await pilot.pause()
                    await pilot.pause()
            dx, dy = path[-1]
            app.post_message(mouse(events.MouseUp, grid, x + dx, y + dy, button=1))
            await pilot.pause()
            await pilot.pause()
            screen = app.main_screen
            full = evaluate(screen.ctx, screen.plan)
            current = screen.evaluation == full and \
                screen.query_one("FindingsPanel").findings == full.findings
            assert app.mouse_captured is None
            return app.plan, len(evaluated), current
    finally:
        main_screen.evaluate = real


async def test_a_burst_of_motion_ends_where_slow_steps_end() -> None:
    path = [(dx, 0) for dx in (1, 2, 3, 4, 5, 6, 7, 8, 6, 4, 2, 3, 5, 9, 12, 10)]
    slow, slow_steps, slow_current = await drag_plan(path, burst=False)
    fast, fast_steps, fast_current = await drag_plan(path, burst=True)
    assert fast == slow and slow.size > 256 << 20  # the last position, not an earlier one
    assert slow_current and fast_current
    assert slow_steps >= 8  # each slow step is its own plan...
    assert fast_steps <= 2  # ...a burst is one step, or none: the release supersedes it
