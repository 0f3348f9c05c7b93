"""Issue 13 §2 "Smaller" in the TUI: the start's command line lints (a bare ``crashkernel``, a
range with no start) and Anaconda's installer bounds, as ``crashmap check`` reports them.

Sources: kernel/crash_reserve.c ``get_last_crashkernel()`` (looks for ``crashkernel=`` only) and
``parse_crashkernel_mem()`` (``-512M:64M``: "Memory value expected"); kdump-utils
``is_memrange`` refuses an empty start; rhinstaller/kdump-anaconda-addon
``com_redhat_kdump/common.py`` ``getMemoryBounds`` (400359b2): at least 512 MiB on aarch64, at
most MemTotal + kexec_crash_size - 512 MiB.
"""

from __future__ import annotations

from crashmap.app.evaluation import DEFAULT_PLAN
from crashmap.app.widgets.plan_editor import PlanEditor
from crashmap.checks import evaluate_cmdline
from crashmap.placement import context_from_snapshot
from crashmap.sources import load_source
from crashmap.units import KiB, MiB
from textual.widgets import Static

from tests.ui.conftest import make_app, settle


async def _checked(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await settle(pilot)
    for _ in range(50):
        if app.main_screen.evaluation.checked:
            return
        await pilot.pause()  # type: ignore[attr-defined]
    raise AssertionError("the findings never came")


def _check_codes(source: str, cmdline: str) -> dict[str, str]:
    snapshot = load_source(source)
    verdict = evaluate_cmdline(context_from_snapshot(snapshot), cmdline,
                               system_ram=snapshot.system_ram)
    return {f.code: f.message for f in verdict.findings}


async def test_the_banner_names_the_start_lints_and_the_plan_it_starts_from() -> None:
    line = "ro crashkernel crashkernel=-512M:64M"
    app = make_app("x86_64-vm-qemu-3g", cmdline=line)
    async with app.run_test(size=(160, 48)) as pilot:
        await _checked(pilot)
        banner = str(app.screen.query_one("#banner", Static).render())
        expected = _check_codes("x86_64-vm-qemu-3g", line)
        for code in ("cmdline-bare-crashkernel", "cmdline-range-missing-start"):
            assert f"{code}: {expected[code]}" in banner
        assert "write '0-512M:64M'" in banner
        assert "Memory value expected" in banner  # the kernel's own message
        assert app.plan == DEFAULT_PLAN
        assert f"The plan starts at {app.main_screen.evaluation.cmdline}." in banner


async def test_no_banner_for_a_line_the_kernel_reads_cleanly() -> None:
    app = make_app("x86_64-vm-qemu-3g", cmdline="ro crashkernel=0-512M:64M,512M-:192M")
    async with app.run_test(size=(160, 48)) as pilot:
        await _checked(pilot)
        assert not app.screen.query("#banner")
        assert app.plan.size == 192 * MiB


async def test_a_valid_word_beside_a_bare_one_is_kept_and_the_bare_one_said() -> None:
    app = make_app("x86_64-vm-qemu-3g", cmdline="crashkernel crashkernel=320M")
    async with app.run_test(size=(160, 48)) as pilot:
        await _checked(pilot)
        assert app.plan.size == 320 * MiB
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "cmdline-bare-crashkernel" in banner and "plan starts at" not in banner


async def test_installer_minimum_on_aarch64_in_the_findings() -> None:
    """arm64 (aarch64 for blivet): 256 MiB is below the add-on's 512 MiB minimum; typing 512M
    clears it."""
    app = make_app("arm64-vm-qemu-virt", cmdline="crashkernel=256M")
    async with app.run_test(size=(160, 48)) as pilot:
        await _checked(pilot)
        panel = app.screen.query_one("#findings")
        found = {f.code: f.message for f in panel.findings}
        assert "below its minimum: it allows 512-" in found["installer-bounds"]
        assert "from System RAM: the source has no MemTotal" in found["installer-bounds"]
        await _type_size(pilot, "512M")
        assert "installer-bounds" not in _codes(app)


async def test_installer_maximum_is_memtotal_plus_reserved_minus_512() -> None:
    """The firecracker map's MemTotal is 24684100 kB (25276518400 bytes), nothing reserved now:
    the add-on's upper bound is floor(24684100 / 1024) - 512 = 23593 MiB (x86_64), its lower
    one 160 MiB."""
    app = make_app("x86_64-vm-firecracker-6.18", cmdline="crashkernel=256M")
    assert app.ctx.placement.facts.mem_total == 24684100 * KiB
    async with app.run_test(size=(160, 48)) as pilot:
        await _checked(pilot)
        assert "installer-bounds" not in _codes(app)
        for typed, said in (("159M", "below its minimum"), ("160M", None), ("23593M", None),
                            ("23594M", "above its maximum"), ("256M", None)):
            await _type_size(pilot, typed)
            codes = _codes(app)
            if said is None:
                assert "installer-bounds" not in codes, typed
            else:
                assert f"{said}: it allows 160-23593 MiB on x86_64" in codes["installer-bounds"]
                assert "MemTotal" not in codes["installer-bounds"]


async def _type_size(pilot: object, typed: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    editor = app.screen.query_one(PlanEditor)
    editor.edit("size")
    editor.fields["size"].set("")
    await pilot.press(*typed, "enter")  # type: ignore[attr-defined]
    assert app.plan.size == int(typed[:-1]) * MiB
    await _checked(pilot)


def _codes(app: object) -> dict[str, str]:
    return {f.code: f.message for f in app.main_screen.evaluation.findings}  # type: ignore
