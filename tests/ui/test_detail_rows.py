"""The detail grid keeps each row's strip until what the row shows changes: a theme change
redraws the rows in the new theme's colours."""

from __future__ import annotations

from crashmap.app.widgets.detail_grid import DetailGrid

from tests.ui.conftest import make_app, settle


def row_colours(grid: DetailGrid, y: int) -> list[object]:
    return [segment.style.color for segment in grid.render_line(y) if segment.style]


async def test_a_theme_change_redraws_the_cached_rows() -> None:
    app = make_app(cmdline="crashkernel=256M")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        y = next(i for i, line in enumerate(grid.lines) if line.row is not None)
        ram = grid.cell_style("ram").color
        dark = row_colours(grid, y)
        assert ram in dark
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.pause()
        assert grid.cell_style("ram").color != ram  # the theme has its own map colours
        light = row_colours(grid, y)
        assert grid.cell_style("ram").color in light and ram not in light
        last = list(grid.render_line(y))[-1]
        assert last.text.isspace() and last.style == grid.rich_style  # the padding too
