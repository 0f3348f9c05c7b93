"""Saving to a path that cannot take a file (a directory, a device node, a missing folder) keeps
the app running and the plan as it was, and says why: for the export text and the snapshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from crashmap.app.screens.export import ConfirmOverwrite, ExportScreen
from textual.widgets import Input, Static

from tests.ui.conftest import make_app, settle


def _fifo(tmp: Path) -> Path:
    """A named pipe of the test's own (never a node of /dev: a writer that replaces it would
    break the machine)."""
    os.mkfifo(tmp / "pipe")
    return tmp / "pipe"


BAD_TARGETS = {
    "directory": lambda tmp: tmp,
    "fifo": _fifo,
    "missing folder": lambda tmp: tmp / "no" / "such" / "file.txt",
}


@pytest.mark.parametrize("kind", BAD_TARGETS)
async def test_export_save_to_a_bad_target_says_why(kind: str, tmp_path: Path) -> None:
    target = BAD_TARGETS[kind](tmp_path)
    before = sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir())
    app = make_app(cmdline="crashkernel=256M")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        plan = app.plan
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        field = screen.query_one("#export-path", Input)
        field.focus()
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmOverwrite):  # it must not ask, but if it does: yes
            await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is screen
        status = str(screen.query_one("#export-status", Static).content)
        assert status.startswith("Not saved") and str(target) in status
        assert not isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("escape")
        await pilot.pause()
        assert app.plan == plan
    # nothing replaced, no temporary file left behind
    assert sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("kind", BAD_TARGETS)
async def test_snapshot_save_to_a_bad_target_says_why(kind: str, tmp_path: Path) -> None:
    target = BAD_TARGETS[kind](tmp_path)
    before = sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir())
    app = make_app(cmdline="crashkernel=256M")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        plan = app.plan
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one("#path-input", Input)
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmOverwrite):  # it must not ask, but if it does: yes
            await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is dialog  # the dialog stays, saying why
        hint = str(dialog.query_one("#path-hint", Static).content)
        assert hint.startswith("Not saved") and str(target) in hint
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main_screen and app.plan == plan
    assert sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir()) == before
