"""Keyboard flows on the main screen: every mouse action has a key, and undo/redo cover them all.

The demo map is x86_64 (CRASH_ALIGN 16 MiB) with ``crashkernel=96M`` on its command line, so
the plan starts at 96 MiB placed by the kernel. Its own kernel is 5.3, which does not read
``,cma``: the CMA flows plan for Linux 6.17 (``--kernel 6.17``, :data:`CMA_KERNEL`).
"""

from __future__ import annotations

import re

import pytest
from crashmap.app.main_screen import MainScreen
from crashmap.app.widgets.key_bar import KeyBar, KeySpan
from crashmap.app.widgets.plan_editor import LAYOUT, PlanEditor
from crashmap.units import GiB, MiB

from tests.ui.conftest import make_app, settle

CMA_KERNEL = "6.17"
"""x86_64 reads ,cma from 6.17 (arch/x86/kernel/setup.c, commit bf8be1c36108)."""


def words(app) -> str:
    return app.main_screen.evaluation.cmdline


async def test_starts_from_the_maps_command_line() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.plan.size == 96 * MiB and app.plan.mode == "auto"
        assert words(app) == "crashkernel=96M"
        assert app.main_screen.evaluation.block("main") is not None
        assert app.arch.name == "x86_64"
        assert app.snapshot.source == "map:x86_64-laptop-zenbook"


async def test_cmdline_option_overrides_and_default_plan() -> None:
    app = make_app(cmdline="quiet crashkernel=512M,high crashkernel=0,low")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert words(app) == "crashkernel=512M,high crashkernel=0,low"
    app = make_app(cmdline="quiet splash")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert words(app) == "crashkernel=256M"


async def test_grow_shrink_by_one_and_sixteen_steps_then_undo_redo() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("plus")
        assert words(app) == "crashkernel=112M"
        await pilot.press("right_curly_bracket")
        assert app.plan.size == 112 * MiB + 16 * 16 * MiB
        await pilot.press("minus")
        assert app.plan.size == 352 * MiB
        await pilot.press("left_curly_bracket")
        assert app.plan.size == 96 * MiB
        await pilot.press("u", "u")
        assert app.plan.size == 368 * MiB
        await pilot.press("ctrl+r")
        assert app.plan.size == 352 * MiB
        await pilot.press("u", "u", "u", "u")
        assert words(app) == "crashkernel=96M"  # one more undo than history: harmless


async def test_pin_move_and_unpin() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        predicted = app.main_screen.evaluation.block("main").start
        await pilot.press("p")
        assert app.plan.mode == "fixed" and app.plan.base == predicted
        assert words(app) == f"crashkernel=96M@{predicted >> 20}M"
        await pilot.press("l")
        assert app.plan.base == predicted + 16 * MiB
        await pilot.press("greater_than_sign")
        assert app.plan.base == predicted + 17 * 16 * MiB
        await pilot.press("h", "less_than_sign")
        assert app.plan.base == predicted
        await pilot.press("p")
        assert app.plan.mode == "auto" and words(app) == "crashkernel=96M"


async def test_move_needs_a_pinned_block() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("l")
        assert app.plan.mode == "auto"
        assert any("pin" in n.message for n in app._notifications)


async def test_high_mode_places_a_low_companion() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("H")
        assert words(app) == "crashkernel=96M,high"
        evaluation = app.main_screen.evaluation
        main, low = evaluation.block("main"), evaluation.block("low")
        assert main.start >= 4 * GiB and low.end <= 4 * GiB
        await pilot.press("2", "plus")  # the low block: 256 MiB + one 16 MiB step
        assert words(app) == "crashkernel=96M,high crashkernel=272M,low"
        await pilot.press("H")
        assert words(app) == "crashkernel=96M"


async def test_cma_toggle_select_and_resize_in_pageblock_steps() -> None:
    """CMA steps by one pageblock (2 MiB on x86_64 with 4K pages), the unit the kernel rounds
    each area to: the words, the placement and the summary say the same size after a step."""
    app = make_app(kernel=CMA_KERNEL)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert words(app) == "crashkernel=96M crashkernel=512M,cma"
        assert app.main_screen.selected == "cma"
        assert app.main_screen.evaluation.blocks_of("cma")
        await pilot.press("minus")
        assert app.plan.cma == 510 * MiB == app.plan.step("cma", app.arch) * 255
        assert words(app) == "crashkernel=96M crashkernel=510M,cma"
        evaluation = app.main_screen.evaluation
        assert evaluation.cma_reserved == 510 * MiB
        assert "CMA 510 MiB" in str(app.screen.query_one("#summary").content)
        await pilot.press("right_curly_bracket")
        assert app.plan.cma == 542 * MiB
        await pilot.press("c")
        assert words(app) == "crashkernel=96M"
        await pilot.press("c")
        assert app.plan.cma == 542 * MiB  # remembered


async def test_cma_refused_where_the_arch_ignores_it() -> None:
    app = make_app("arm64-board-rpi4-4gb")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        assert app.plan.cma == 0
        assert any(",cma" in n.message for n in app._notifications)


async def test_typed_fields_keep_exact_values() -> None:
    app = make_app(kernel=CMA_KERNEL)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        editor.edit("size")
        editor.fields["size"].set("")
        await pilot.press(*"1.5G", "enter")
        assert app.plan.size == 1536 * MiB
        assert words(app) == "crashkernel=1536M"
        assert app.focused.id == "detail"  # enter went back to the map
        cma = editor.fields["cma"]
        editor.edit("cma")
        await pilot.press(*"300M")
        assert app.plan.cma == 0  # nothing happens before enter
        await pilot.press("enter")
        assert app.plan.cma == 300 * MiB
        await pilot.press("u")  # the map has the focus again: u undoes
        assert app.plan.cma == 0
        editor.edit("cma")
        await pilot.press(*"77M", "escape")  # escape forgets what was typed
        await pilot.pause()
        assert app.plan.cma == 0 and app.focused.id == "detail"
        assert cma.value == ""
        size = editor.fields["size"]
        editor.edit("size")
        await pilot.press("backspace", "backspace", "escape")
        await pilot.pause()
        assert app.plan.size == 1536 * MiB and size.value == "1536M"


async def test_a_bad_size_is_refused_with_a_message() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        editor.edit("size")
        editor.fields["size"].set("")
        await pilot.press(*"12 parsecs", "enter")
        assert app.plan.size == 96 * MiB
        assert editor.fields["size"].invalid and app.focused is editor  # still in the field
        assert any("not a size" in n.message for n in app._notifications)


async def test_mode_switch_fixed_pins_at_the_prediction() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        predicted = app.main_screen.evaluation.block("main").start
        editor = app.screen.query_one(PlanEditor)
        _, x, _ = LAYOUT["mode"]
        left = editor.content_region.x - editor.region.x
        top = editor.content_region.y - editor.region.y
        await pilot.click(editor, offset=(left + x + 14, top))  # " auto  high  fixed "
        assert app.plan.mode == "fixed" and app.plan.base == predicted
        assert app.focused is editor and editor.current == "mode"
        await pilot.press("left")
        assert words(app) == "crashkernel=96M,high"
        await pilot.press("left")
        assert words(app) == "crashkernel=96M"


async def test_zoom_keys_change_the_window() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        grid = app.screen.query_one("#detail")
        before = grid.grid.hi - grid.grid.lo
        await pilot.press("z")
        assert grid.grid.hi - grid.grid.lo < before
        await pilot.press("Z", "Z")
        assert grid.grid.hi - grid.grid.lo > before // 2
        await pilot.press("0")
        assert grid.grid.lo <= app.ctx.ram_window[0]


async def test_command_palette_runs_plan_actions() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Pin")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.plan.mode == "fixed"


async def test_every_screen_binding_is_in_the_palette() -> None:
    from crashmap.app.commands import CrashmapCommands

    app = make_app()
    async with app.run_test(size=(120, 36)):
        provider = CrashmapCommands(app.screen)
        names = {name for name, _, _ in provider._commands()}
        for binding in MainScreen.BINDINGS:
            assert (app.screen.binding_tooltip(binding) or binding.description) in names
        assert "Open map arm64-board-rpi4-4gb" in names


@pytest.mark.parametrize("name", ["x86_64-laptop-zenbook", "arm64-board-rpi4-4gb",
                                  "s390x-vm-kvm-2g", "loongarch64-machine",
                                  "x86_64-vm-qemu-3g"])
async def test_texts_that_name_a_constant_take_it_from_the_maps_arch(name: str) -> None:
    """The palette, the footer's tooltips and the help name this map's step and low limit,
    never another arch's (issue 12 item 12: "Grow (16 MiB on x86_64 …)" on an arm64 map)."""
    from crashmap.app.commands import CrashmapCommands
    from crashmap.app.screens.help import HelpScreen
    from crashmap.arch import ARCHES
    from crashmap.units import format_size

    app = make_app(name)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        arch, limit = app.arch, app.ctx.boundary
        palette = {text: help_text for text, help_text, _ in
                   CrashmapCommands(app.screen)._commands() if not text.startswith("Open")}
        grow = next(text for text in palette if text.startswith("Grow"))
        assert f"{format_size(arch.crash_align)} (CRASH_ALIGN on {arch.name})" in grow
        assert ("for CMA" in grow) == arch.cma
        if arch.cma:
            assert f"{format_size(arch.pageblock)} for CMA" in grow
        high = next(text for text in palette if text.startswith("Toggle ,high"))
        if not arch.high_low:  # the rpi4's own 5.13: arm64 reads ,high from 5.19 (944a45abfabc)
            assert "does not read ,high" in high
        elif limit is not None:
            assert f"above {format_size(limit)}" in high
        others = re.compile("|".join(rf"\b{a}\b" for a in ARCHES if a != arch.name))
        for text, help_text in palette.items():
            assert not others.search(f"{text} {help_text}"), text
        bar = app.screen.query_one(KeyBar)
        tips = {span.binding.action: span.tooltip for span in bar.spans}
        assert tips["resize(1)"] == grow
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        how_to = app.screen.query_one("#help-text").source
        assert not others.search(how_to)
        if limit is not None:
            assert f"low/high line at {format_size(limit)}" in how_to and arch.name in how_to


async def test_next_block_and_zoom_to_block() -> None:
    app = make_app(kernel=CMA_KERNEL)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c", "1", "b")
        assert app.main_screen.selected == "cma"  # low is not placed: skipped
        await pilot.press("b")
        assert app.main_screen.selected == "main"
        await pilot.press("f")
        grid = app.screen.query_one("#detail").grid
        main = app.main_screen.evaluation.block("main")
        assert grid.lo <= main.start and main.end <= grid.hi
        assert grid.hi - grid.lo <= 16 * main.size  # the block and some room around it


async def test_a_pinned_block_on_busy_memory_is_a_ghost_and_an_error() -> None:
    app = make_app()  # the kernel image sits at 0x22000000 on this map
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        editor.fields["base"].disabled = False
        editor.edit("base")
        editor.fields["base"].set("")
        await pilot.press(*"0x22000000", "enter")
        await pilot.pause()
        evaluation = app.main_screen.evaluation
        assert app.plan.mode == "fixed" and app.plan.base == 0x22000000
        ghost = evaluation.block("main")
        assert ghost is not None and ghost.ghost and ghost.start == 0x22000000
        assert evaluation.outcome == "failed"
        assert any(f.severity == "error" for f in evaluation.findings)
        grid = app.screen.query_one("#detail")
        grid.show_window(0, 2 << 30)
        await pilot.pause()
        first, last = grid.block_cells("main")
        assert {grid._kinds[i] for i in range(first, last)} == {"failed"}


async def test_selecting_a_resource_in_the_tree_zooms_to_it() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#tree")
        acpi = next(r for r in tree.rows if r.name == "ACPI Tables")
        tree.select(tree.rows.index(acpi))
        await pilot.pause()
        grid = app.screen.query_one("#detail").grid
        assert grid.lo <= acpi.start and acpi.end <= grid.hi
        assert grid.hi - grid.lo < 1 << 24  # zoomed right in: a 500 KiB table


async def test_a_finding_shows_its_explanation_and_marks_its_range() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        findings = app.main_screen.evaluation.findings
        with_range = next(i for i, f in enumerate(findings) if f.range is not None)
        options = app.screen.query_one("#finding-list")
        options.focus()
        for _ in range(with_range):
            await pilot.press("down")
        await pilot.pause()
        finding = findings[with_range]
        assert app.main_screen.finding == finding
        detail = str(app.screen.query_one("#finding-detail").content)
        assert finding.code in detail and "learn more" in detail
        grid = app.screen.query_one("#detail")
        assert grid.highlight == (finding.range.start, finding.range.end)
        cells = grid._highlight_cells(grid.grid)
        assert cells is not None and cells[1] > cells[0]


async def test_tree_toggles_at_narrow_widths() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#tree")
        assert not tree.display
        await pilot.press("t")
        await pilot.pause()
        assert tree.display and tree.has_focus
        await pilot.press("t")
        await pilot.pause()
        assert not tree.display


async def test_key_bar_shows_the_keys_and_a_click_presses_one() -> None:
    from crashmap.app.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        keys = key_spans(bar)
        assert {"Grow", "Shrink", "Undo", "Help", "Quit"} <= set(keys)
        assert not keys["Undo"].enabled  # nothing to undo yet
        assert bar.spans[-1].binding.action == "command_palette"  # right-aligned at 120 columns
        await pilot.click(bar, offset=(keys["Help"].start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_key_bar_goes_compact_where_the_keys_would_not_fit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        assert key_spans(bar)["Quit"].end <= 80  # the last key is in sight at 80 columns
        assert " + Grow - Shrink " in bar_text(bar)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert " + Grow  - Shrink " in bar_text(bar)  # with room, two spaces between keys


async def test_key_bar_offers_verify_and_estimate_where_there_is_room() -> None:
    from crashmap.app.screens.verify import VerifyScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        keys = key_spans(bar)
        assert keys["Verify"].start > keys["Quit"].end - 1  # after the keys always shown
        assert list(keys)[-4:] == ["Verify", "Estimate the size", "Learn", "palette"]
        assert bar.spans[-1].binding.action == "command_palette"  # still right-aligned
        assert keys["Learn"].end < bar.spans[-1].start
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        keys = key_spans(bar)
        assert "Verify" in keys and "Estimate the size" not in keys  # only what fits
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Verify" not in key_spans(bar) and key_spans(bar)["Quit"].end <= 80
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.click(bar, offset=(key_spans(bar)["Verify"].start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, VerifyScreen)


def key_spans(bar: KeyBar) -> dict[str, KeySpan]:
    return {span.binding.description: span for span in bar.spans}


def bar_text(bar: KeyBar) -> str:
    return "".join(segment.text for segment in bar.render_line(0))


@pytest.mark.parametrize(("cmdline", "shown"), [
    ("crashkernel=96M", "✓ would reserve at boot"),
    ("crashkernel=15G", "✗ would fail at boot: nothing reserved"),
    ("crashkernel=96M@3G", "✗ would fail at boot: nothing reserved"),
])
async def test_the_plan_says_what_it_would_do_not_what_is_reserved(cmdline: str,
                                                                   shown: str) -> None:
    """The plan is a proposal: its outcome line says what the kernel would do with these words
    at the next boot ("✓ reserved" read as if the box reserved it today)."""
    app = make_app(cmdline=cmdline)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main_screen.evaluation.outcome in ("reserved", "failed")
        assert app.screen.query_one("PlanEditor").outcome_lines[0] == shown
