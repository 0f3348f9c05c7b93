"""``crashmap --lesson NAME``: the lesson's map and plan, its task and chapter in a column beside
the map (Pilot). 160×48 is the roomy size, 100×30 the small one it must still work at."""

from __future__ import annotations

import pytest
from crashmap.app.learn import chapter_title
from crashmap.app.learn.lessons import get_lesson
from crashmap.app.main import build_app
from crashmap.app.screens.learn import LearnScreen
from crashmap.app.widgets.lesson_panel import MAX_WIDTH, MIN_WIDTH, panel_width
from textual.widgets import Markdown

from tests.ui.conftest import settle


def lesson_app(name: str):
    return build_app(lesson=get_lesson(name))


def test_panel_width_is_a_share_between_bounds() -> None:
    assert panel_width(160) == 57
    assert panel_width(100) == 36
    assert panel_width(60) == MIN_WIDTH
    assert panel_width(400) == MAX_WIDTH


@pytest.mark.parametrize("size", [(160, 48), (100, 30)])
async def test_the_lesson_sits_beside_the_map(size: tuple[int, int]) -> None:
    app = lesson_app("fragmentation")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        panel, grid = screen.query_one("#lesson"), screen.query_one("#map")
        width = panel_width(size[0])
        assert panel.region.width == width and panel.region.right == size[0]
        assert panel.region.height == size[1]  # the whole height: task and chapter
        # The map, the plan and the words keep the rest of the screen, all of it visible.
        assert grid.region.right <= panel.region.x and grid.region.width == size[0] - width
        for part in ("#plan", "#findings", "#summary"):
            region = screen.query_one(part).region
            assert region.width > 0 and region.right <= panel.region.x
            assert region.bottom <= size[1]
        assert screen.has_class("-narrow")  # 103 or 64 columns left: no resource tree
        assert app.plan.size >> 20 == 1440  # the lesson's plan, from its cmdline
        assert app.source == "x86_64-server-cascadelake"
        chapter = panel.query_one("#lesson-chapter", Markdown)
        assert chapter.source.startswith("# Fragmentation")


async def test_i_hides_and_shows_the_lesson() -> None:
    app = lesson_app("high-fallback")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("i")
        await pilot.pause()
        assert not screen.query_one("#lesson").display
        assert screen.query_one("#map").region.width == 160
        assert screen.has_class("-wide")  # the tree is back at full width
        await pilot.press("i")
        await pilot.pause()
        assert screen.query_one("#lesson").region.width == panel_width(160)
        assert screen.has_class("-narrow")


async def test_keys_drive_the_map_while_the_lesson_shows() -> None:
    """What the high-fallback task says: three `+` (2 MiB on arm64) and it no longer fits low."""
    app = lesson_app("high-fallback")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("plus")
        await pilot.pause()
        evaluation = app.main_screen.evaluation
        assert evaluation.cmdline == "crashkernel=518M"
        low = evaluation.block("low")
        assert low is not None and low.size == 128 << 20


async def test_a_link_shows_that_chapter_in_the_panel_and_L_opens_it_full_screen() -> None:
    app = lesson_app("fragmentation")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#lesson")
        chapter = panel.query_one("#lesson-chapter", Markdown)
        chapter.post_message(Markdown.LinkClicked(chapter, "cma.md"))  # as a click on the link
        await pilot.pause()
        assert panel.chapter == "cma"
        assert chapter_title("cma") in str(panel.query_one("#lesson-title").render())
        assert isinstance(app.screen, type(app.main_screen))  # the map stayed in view
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LearnScreen)
        assert app.screen.chapter == "cma"  # the chapter the panel shows, full screen


async def test_L_opens_the_lessons_chapter_and_with_the_panel_hidden_the_findings() -> None:
    app = lesson_app("first-look")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert app.screen.chapter == "kdump"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        finding = app.main_screen.finding
        assert finding is not None and finding.chapter == "sizing"  # 96M is below the floor
        await pilot.press("L")
        await pilot.pause()
        assert app.screen.chapter == finding.chapter  # as without a lesson


async def test_without_a_lesson_there_is_no_panel_and_no_i() -> None:
    app = build_app("demo")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#lesson")
        assert app.screen.check_action("toggle_lesson", ()) is False
