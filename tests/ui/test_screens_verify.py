"""The verify screen (V, or "Verify the box" in the palette): the rows of crashmap.verify for
the map shown, the same ones ``crashmap verify`` prints, on a real boot of the oracle kernel."""

from __future__ import annotations

from crashmap.app.app import CrashmapApp
from crashmap.app.main_screen import MainScreen
from crashmap.app.screens.verify import VerifyScreen
from crashmap.verify import verify
from textual.geometry import Region
from textual.widgets import Static

from tests.corpus import DATA
from tests.kernel.serial import Boot
from tests.ui.conftest import settle

BOOT = DATA / "kernel-boots" / "arm64-virt-6G-512M-high.txt"


def boot_app(**changes: object) -> CrashmapApp:
    snapshot = Boot.parse(BOOT.read_text(encoding="utf-8")).snapshot("arm64")
    for key, value in changes.items():
        setattr(snapshot, key, value)
    return CrashmapApp(snapshot, source="qemu")


def shown(screen: VerifyScreen) -> str:
    """The rows as drawn, line by line, at the width the screen gives them."""
    widget = screen.query_one("#verify-rows", Static)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text for line in lines)


async def test_v_opens_the_rows_of_crashmap_verify_and_escape_closes() -> None:
    app = boot_app(kexec_crash_loaded=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VerifyScreen)
        expected = verify(app.snapshot, app.ctx.kernel)
        assert screen.result.rows == expected.rows  # one core function, CLI and TUI
        text = shown(screen)
        for row in expected.rows:
            assert row.label in text and row.status in text
        assert "0xf8000000-0xffffffff" in text  # the kernel's low block, from /proc/iomem
        verdict = screen.query_one("#verify-verdict", Static)
        assert str(verdict.render()).startswith("Verified") and verdict.has_class("-ok")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_box_without_a_loaded_capture_kernel_differs() -> None:
    app = boot_app()  # the oracle loads no capture kernel: crash_loaded 0
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await pilot.pause()
        verdict = app.screen.query_one("#verify-verdict", Static)
        assert verdict.has_class("-differs")
        assert "no capture kernel is loaded" in str(verdict.render())
        assert "differs" in shown(app.screen)


async def test_the_palette_opens_it() -> None:
    app = boot_app(kexec_crash_loaded=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Verify the box")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, VerifyScreen)
