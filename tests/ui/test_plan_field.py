"""The plan's fields: FieldState (typing, cursor, deleting, select-on-focus, drawing) and the
editor that draws them (tab order, keys, clicks, paste, the messages the screen reads)."""

from __future__ import annotations

from crashmap.app.widgets.plan_editor import LAYOUT, PlanEditor
from crashmap.app.widgets.plan_field import FieldState
from crashmap.units import MiB
from textual import events

from tests.ui.conftest import make_app, settle


def test_typing_over_a_selection_replaces_it_and_the_cursor_keys_edit_in_place() -> None:
    field = FieldState("size", "256M", "256M")
    field.selected = True
    assert field.insert("5") and field.value == "5" and field.cursor == 1
    field.insert("12M")
    field.move(-1000)
    assert field.cursor == 0
    assert field.delete(1) and field.value == "12M"
    field.move(1)
    assert field.insert("x") and field.value == "1x2M" and field.cursor == 2
    assert field.delete_to(-1) and field.value == "1x"
    field.move(-1)
    assert field.delete_to(0) and field.value == "x" and field.cursor == 0
    assert not field.delete(-1)  # nothing before the cursor


def test_a_long_value_scrolls_to_the_cursor_and_an_empty_one_shows_its_placeholder() -> None:
    kernel = FieldState("kernel", "version", "6.17.2-300.fc43")
    assert kernel.content(9, editing=False).plain == "6.17.2-30"
    assert kernel.content(9, editing=True).plain == "300.fc43 "  # the cursor cell at the end
    kernel.click(2, 9)
    assert kernel.cursor == 7 + 2 and not kernel.selected
    empty = FieldState("base", "auto")
    assert empty.content(9, editing=False).plain == "auto     "
    assert empty.value == ""


async def test_tab_walks_the_fields_then_leaves_and_shift_tab_comes_back_at_the_last() -> None:
    app = make_app(kernel="6.17")  # x86_64 reads ,cma from 6.17: the CMA field is open
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        app.screen.query_one("#tree").focus()
        await pilot.press("tab")
        assert app.focused is editor and editor.current == "size"
        assert editor.fields["size"].selected  # typing replaces it, as in Textual's Input
        await pilot.press("tab")
        assert editor.current == "mode"
        await pilot.press("tab")  # base and low are off in auto mode
        assert editor.current == "cma"
        await pilot.press("tab", "tab")  # kernel, then out
        assert app.focused.id == "finding-list"
        await pilot.press("shift+tab")
        assert app.focused is editor and editor.current == "kernel"


async def test_typed_sizes_reach_the_plan_on_enter_and_on_leaving_the_field() -> None:
    app = make_app(kernel="6.17")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        editor.edit("size")
        await pilot.press(*"512M")
        assert app.plan.size == 96 * MiB  # nothing before enter or tab
        await pilot.press("tab")
        await pilot.pause()
        assert app.plan.size == 512 * MiB and editor.current == "mode"
        await pilot.press("right")  # auto -> high: the Low field opens
        await pilot.pause()
        assert app.plan.mode == "high" and not editor.fields["low"].disabled
        editor.edit("cma")
        editor.post_message(events.Paste("1G\nsecond line"))
        await pilot.pause()
        assert editor.fields["cma"].value == "1G"
        await pilot.press("enter")
        await pilot.pause()
        assert app.plan.cma == 1024 * MiB and app.focused.id == "detail"


async def test_a_click_picks_the_field_and_the_cell() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        row, x, _ = LAYOUT["size"]
        left = editor.content_region.x - editor.region.x
        top = editor.content_region.y - editor.region.y
        await pilot.click(editor, offset=(left + x + 1, top + row))
        assert app.focused is editor and editor.current == "size"
        size = editor.fields["size"]
        assert size.cursor == 1 and not size.selected
        await pilot.press("0")
        assert size.value == "906M"
        row, x, _ = LAYOUT["base"]  # off in auto mode: a click there changes nothing
        await pilot.click(editor, offset=(left + x, top + row))
        assert editor.current == "size"
