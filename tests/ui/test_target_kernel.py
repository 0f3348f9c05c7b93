"""The target kernel in the TUI: the header says it, the plan's Kern field and the K key change
it, the palette offers it, and the plan is re-predicted by that kernel's rules."""

from __future__ import annotations

from crashmap.app.widgets.plan_editor import PlanEditor
from textual.widgets import Static

from tests.ui.conftest import make_app, settle


def header(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#header", Static).render())


def words(app) -> str:  # type: ignore[no-untyped-def]
    return app.main_screen.evaluation.cmdline


async def test_the_header_names_the_snapshots_kernel_and_an_assumed_one() -> None:
    app = make_app()  # the demo map runs 5.3.11-gentoo
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "for Linux 5.3.11" in header(app) and "assumed" not in header(app)
        assert app.screen.query_one(PlanEditor).fields["kernel"].value == "5.3.11"
    app = make_app("arm64-vm-qemu-virt")  # no kernel_release in this map
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "for Linux 7.3 (assumed" in header(app)
        assert app.screen.query_one(PlanEditor).fields["kernel"].style == "$warning"  # assumed


async def test_k_and_the_field_replan_for_another_kernel_keeping_the_plan() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")  # Linux 5.3 does not read ,cma: refused, and said why
        assert app.plan.cma == 0
        assert any("from Linux 6.17" in n.message for n in app._notifications)
        await pilot.press("plus")
        plan = app.plan
        await pilot.press("K")
        await pilot.pause()
        editor = app.screen.query_one(PlanEditor)
        assert app.focused is editor and editor.current == "kernel"
        field = editor.fields["kernel"]
        field.set("")
        await pilot.press(*"6.17.2", "enter")
        await settle(pilot)
        assert app.ctx.kernel.version_text == "6.17.2" and app.ctx.kernel.source == "given"
        assert app.plan == plan and app.main_screen.undo_stack  # plan and history kept
        assert "for Linux 6.17.2 (chosen; runs 5.3.11-gentoo)" in header(app)
        await pilot.press("c")
        assert words(app).endswith("crashkernel=512M,cma")
        assert app.main_screen.evaluation.blocks_of("cma")
        # an empty field goes back to the snapshot's own kernel: the ,cma word is now a plain
        # word the 5.3 kernel rejects (35c18f2933c5 came in 6.17)
        editor = app.screen.query_one(PlanEditor)
        editor.edit("kernel")
        editor.fields["kernel"].set("")
        await pilot.press("enter")
        await settle(pilot)
        assert app.ctx.kernel.source == "snapshot" and app.plan.cma
        assert app.main_screen.evaluation.words_error  # the renderer refuses ,cma on 5.3


async def test_a_bad_version_is_refused_and_changes_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(PlanEditor)
        editor.edit("kernel")
        editor.fields["kernel"].set("nonsense")
        await pilot.press("enter")
        await pilot.pause()
        assert app.ctx.kernel.version_text == "5.3.11"
        assert any("not a kernel version" in n.message for n in app._notifications)


async def test_the_palette_offers_the_kernel() -> None:
    from crashmap.app.commands import CrashmapCommands

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        names = {text for text, _, _ in CrashmapCommands(app.screen)._commands()}
        assert "Plan for another kernel: the version that will boot next" in names
        command = next(call for text, _, call in CrashmapCommands(app.screen)._commands()
                       if text.startswith("Plan for another kernel"))
        await command()  # app.run_action, as the palette runs it
        await pilot.pause()
        editor = app.screen.query_one(PlanEditor)
        assert app.focused is editor and editor.current == "kernel"
