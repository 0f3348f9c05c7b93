"""The TUI's export preview uses the same edit as ``crashmap export``: with ``--`` on the map's
command line, the plan goes in front of it, in every whole-line format shown."""

from __future__ import annotations

from crashmap.app.screens.export import ExportScreen
from textual.widgets import TextArea

from tests.ui.conftest import make_app, settle


async def test_the_preview_puts_the_plan_before_dashes() -> None:
    app = make_app(cmdline="crashkernel=256M")
    app.snapshot.cmdline = "root=/dev/sda quiet -- single crashkernel=96M"
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        for fmt, prefix in (("cmdline", ""), ("bls", "options ")):
            screen.fmt = fmt
            await pilot.pause()
            text = screen.query_one("#export-preview", TextArea).text
            line = next(x for x in text.splitlines() if x.startswith(prefix) and
                        not x.startswith("#"))[len(prefix):]
            kernel, dashes, init = line.partition(" -- ")
            assert kernel.split() == ["root=/dev/sda", "quiet", "crashkernel=256M"]
            assert dashes and init.split() == ["single"]
