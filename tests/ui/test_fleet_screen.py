"""The fleet screen, driven by keys: classes and hosts, the plan edited live, a host's map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crashmap.app.evaluation import context_for, initial_plan
from crashmap.app.fleet_app import FleetApp, load_hosts
from crashmap.app.main_screen import MainScreen
from crashmap.app.screens.fleet import FleetScreen
from crashmap.fleet.evaluate import target
from crashmap.fleet.members import is_fleet
from crashmap.kernel.grammar import parse_crashkernel

MAPS = str(Path(__file__).resolve().parents[2] / "maps")


def fleet_app(cmdline: str | None = None) -> FleetApp:
    """The bundled maps planned for Linux 7.3 (on their own old kernels some boards place no
    block at all)."""
    hosts, bad = load_hosts([MAPS], None)
    assert not bad
    return FleetApp(hosts, cmdline=cmdline, kernel="7.3")


async def checked(app: FleetApp, pilot) -> FleetScreen:  # type: ignore[no-untyped-def]
    """Wait until every host has been checked against the current words."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, FleetScreen)
    return screen


async def test_every_host_is_listed_by_class_with_its_outcome():
    app = fleet_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await checked(app, pilot)
        classes = screen.query_one("#classes")
        summary = screen.summary
        assert summary.hosts == len(app.fleet_hosts) == 13
        assert classes.row_count == len(summary.classes)
        rows = [classes.get_row_at(i) for i in range(classes.row_count)]
        assert sum(int(r[1]) for r in rows) == 13
        assert {r[0] for r in rows} == set(summary.classes)
        hosts = screen.query_one("#hosts")
        assert hosts.row_count == summary.classes[rows[0][0]].count


async def test_typed_words_recheck_every_host():
    app = fleet_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await checked(app, pilot)
        await pilot.press("slash", *"crashkernel=4T")
        screen = await checked(app, pilot)
        assert screen.words == "crashkernel=4T"
        assert screen.summary.ok == 0 and screen.summary.failed == 13  # no host has 4 TiB
        classes = screen.query_one("#classes")
        assert all(classes.get_row_at(i)[3] == classes.get_row_at(i)[1]
                   for i in range(classes.row_count))
        await pilot.press(*["backspace"] * 2, "2", "5", "6", "M")  # crashkernel=256M
        screen = await checked(app, pilot)
        assert screen.words == "crashkernel=256M" and screen.summary.failed == 0


async def test_map_keys_edit_the_fleet_plan():
    app = fleet_app("crashkernel=256M")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await checked(app, pilot)
        step = context_for(screen._most_common(), target("7.3", None)).arch.crash_align
        await pilot.press("plus")
        screen = await checked(app, pilot)
        size = parse_crashkernel(screen.words, 8 << 30, "x86_64").crash_size
        assert size == (256 << 20) + step
        assert all(h.shape.static == size for h in screen.results)  # every host rechecked
        await pilot.press("c")
        screen = await checked(app, pilot)
        assert screen.words.endswith("crashkernel=512M,cma")
        await pilot.press("minus", "minus")
        screen = await checked(app, pilot)
        assert parse_crashkernel(screen.words, 8 << 30, "x86_64").crash_size == \
            (256 << 20) - step


async def test_enter_on_a_host_opens_its_map_with_the_plan():
    app = fleet_app("crashkernel=1G-4G:192M,4G-:320M")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await checked(app, pilot)
        await pilot.press("tab")  # the hosts of the first class
        assert app.focused is screen.query_one("#hosts")
        host = screen.results[int(screen.query_one("#hosts").coordinate_to_cell_key(
            (0, 0)).row_key.value)]
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert isinstance(app.screen, MainScreen)
        snapshot = next(s for label, s in app.fleet_hosts if label == host.label)
        assert app.snapshot is snapshot
        ctx = context_for(snapshot, target("7.3", snapshot.kernel_release))
        assert app.plan == initial_plan(ctx, "crashkernel=1G-4G:192M,4G-:320M")
        assert app.plan.size == host.shape.static  # the entry the kernel matches there
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FleetScreen)


def test_a_fleet_folder_or_jsonl_opens_the_fleet_screen(tmp_path):
    assert is_fleet(MAPS)
    host = tmp_path / "web01"
    host.mkdir()
    (host / "crashmap-collect.txt").write_text("crashmap-collect 1\n")
    assert not is_fleet(str(host))  # one host's folder opens its map
    one = tmp_path / "one.jsonl"
    one.write_text('{"a": 1}\n\n')
    assert not is_fleet(str(one))
    two = tmp_path / "two.jsonl"
    two.write_text('{"a": 1}\n{"b": 2}\n')
    assert is_fleet(str(two))


def test_the_one_map_tui_never_loads_the_fleet_code():
    code = ("import sys, crashmap.app.app, crashmap.app.main\n"
            "bad = [m for m in sys.modules if m.startswith(('crashmap.fleet', "
            "'crashmap.app.fleet_app', 'crashmap.app.screens.fleet'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
