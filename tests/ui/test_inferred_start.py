"""A raw dump with a Crash kernel and no command line: the TUI starts from the reservation the
map shows (the plan ``crashmap check`` checks), not from 256 MiB, and says so."""

from __future__ import annotations

from crashmap.plan import Plan
from crashmap.units import MiB

from tests.corpus import dump
from tests.ui.conftest import make_app, settle


async def test_starts_from_the_inferred_reservation() -> None:
    path = str(dump("01"))  # x86_64, Crash kernel 96 MiB, no /proc/cmdline in a raw dump
    app = make_app(path)
    assert app.snapshot.cmdline is None
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.plan == Plan(size=96 * MiB)
        assert app.main_screen.evaluation.words == ("crashkernel=96M",)
        assert app.banner is not None
        assert "the plan starts from the reservation the map shows" in app.banner


async def test_reloading_a_dump_starts_from_its_reservation_too() -> None:
    app = make_app(cmdline="crashkernel=512M")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.plan == Plan(size=512 * MiB)
        assert app.load(str(dump("70")))  # the zenbook again, after a firmware fix: 96 MiB
        await pilot.pause()
        await pilot.pause()
        assert app.plan == Plan(size=96 * MiB)
        assert any("the reservation the map shows, crashkernel=96M" in n.message
                   for n in app._notifications)
