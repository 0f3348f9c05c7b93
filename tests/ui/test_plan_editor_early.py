"""A plan key pressed while the panels mount (a loaded machine: the full suite under load hit
it with ``H``) reached PlanEditor.show() before its fields existed: NoMatches, and the app
stopped. The editor keeps the plan and fills its fields when it is mounted."""

from __future__ import annotations

from crashmap.app.evaluation import context_for, evaluate
from crashmap.app.widgets.plan_editor import PlanEditor
from crashmap.plan import Plan
from crashmap.sources import load_source
from crashmap.units import MiB

from tests.ui.conftest import make_app, settle


def test_show_before_mount_keeps_the_plan() -> None:
    ctx = context_for(load_source("x86_64-laptop-zenbook"))
    editor = PlanEditor(ctx.arch, id="plan", kernel=ctx.kernel)
    plan = Plan(size=96 * MiB, mode="high")
    editor.show(plan, evaluate(ctx, plan, check=False))  # raised NoMatches before
    assert editor.plan == plan


async def test_H_during_start_up_lands_in_the_fields() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("H")  # maybe before the panels are mounted
        await settle(pilot)
        assert app.plan.mode == "high"
        fields = app.screen.query_one(PlanEditor).fields
        assert fields["size"].value == "96M"
        assert not fields["low"].disabled
