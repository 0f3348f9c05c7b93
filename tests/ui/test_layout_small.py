"""Small terminals and narrow panels: labels are never cut inside a size, the resource tree
shows addresses first, 80×24 keeps a usable tree and the plan's whole mode switch, and 40×12
keeps the header, the map, the words and the keys in sight."""

from __future__ import annotations

import pytest
from crashmap.app.widgets.detail_grid import DetailGrid, fit_label
from crashmap.app.widgets.plan_editor import LAYOUT, PlanEditor

from tests.ui.conftest import make_app, settle


def test_fit_label_takes_the_longest_form_that_fits() -> None:
    forms = ("◆ main 576 MiB", "main 576 MiB", "main 576M", "main")
    assert fit_label(forms, 20) == "◆ main 576 MiB"
    assert fit_label(forms, 13) == "main 576 MiB"
    assert fit_label(forms, 11) == "main 576M"
    assert fit_label(forms, 5) == "main"
    assert fit_label(("System RAM",), 6) == "Syste…"


@pytest.mark.parametrize("name", ["arm64-board-stingray", "x86_64-laptop-zenbook",
                                  "x86_64-server-cascadelake"])
@pytest.mark.parametrize("width", [80, 120, 160])
async def test_block_labels_are_never_cut_inside_a_size(name: str, width: int) -> None:
    app = make_app(name, kernel="7.3")  # stingray's own 5.1 places no block to label
    async with app.run_test(size=(width, 36)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(DetailGrid)
        start = grid.gutter_width + grid.grid.cols + 1
        seen = 0
        for y, line in enumerate(grid.lines):
            if line.row is None or grid._row_keys[line.row].label[1] == "gutter":
                continue
            forms = grid._row_keys[line.row].label[0]
            drawn = grid.render_line(y).text[start:].rstrip()
            seen += 1
            # whole ("main 576 Mi" is not a form), or the bare name cut, or no room at all
            assert drawn in forms or drawn.endswith("…") and " " not in drawn \
                or not drawn and width - start < 4, (drawn, forms)
        assert seen


async def test_the_tree_shows_the_address_first_and_the_range_on_the_status_line() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#tree")
        tree.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        resource = tree.cursor_resource
        assert resource is tree.rows[1]
        from crashmap.app.widgets.resource_tree import node_label
        from crashmap.units import format_size

        label = "".join(node_label(resource))
        assert label == f"{resource.start:#x}  {format_size(resource.size)}  {resource.name}"
        drawn = "".join(segment.text for segment in tree.render_line(1 - tree.scroll_offset.y))
        drawn = drawn.rstrip().lstrip("▶▼ ")  # a narrow panel cuts the name's end
        assert drawn.startswith(f"{resource.start:#x}  {format_size(resource.size)}  ")
        assert label.startswith(drawn)
        status = app.screen.query_one("#map").status
        assert f"{resource.start:#x}–{resource.last:#x}" in status and resource.name in status


async def test_at_80x24_the_tree_takes_the_findings_place_and_the_plan_keeps_fixed() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        _, x, width = LAYOUT["mode"]
        assert width == len(" auto  high  fixed ")
        assert editor.content_size.width >= x + width
        await pilot.press("t")
        await pilot.pause()
        tree, findings = app.screen.query_one("#tree"), app.screen.query_one("#findings")
        assert tree.display and tree.has_focus and not findings.display
        assert tree.region.width >= 36  # "0x7a40f000  91.94 MiB  Reserved" and the guides
        assert editor.content_size.width >= x + width
        assert app.screen.query_one("#plan").region.right <= 80
        await pilot.press("t")
        await pilot.pause()
        assert not tree.display and findings.display
        assert app.focused is app.screen.query_one(DetailGrid)


async def test_at_40x12_the_header_map_words_and_keys_stay_in_sight() -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.scroll_offset.y == 0
        for selector in ("#header", "#map", "#summary", "KeyBar"):
            region = screen.query_one(selector).region
            assert region.height and region.y >= 0 and region.bottom <= 12, selector
        assert screen.query_one(DetailGrid).lines  # at least a row of the map
        await pilot.press("t")  # no room for the panels: said, not a hidden focus
        await pilot.pause()
        assert app.focused is screen.query_one(DetailGrid)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.query_one("#findings").region.height > 0
