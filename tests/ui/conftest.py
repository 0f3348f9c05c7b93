"""Shared fixtures for the TUI tests: bundled maps only, never the live machine."""

from __future__ import annotations

import pytest
from crashmap.app.app import CrashmapApp
from crashmap.sources import load_source

DEMO = "x86_64-laptop-zenbook"
"""The demo map: x86_64, 16 GiB, crashkernel=96M on its command line."""


@pytest.fixture(autouse=True)
def no_live_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that reaches the live loader fails instead of reading this machine's /proc/iomem."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to read the live machine")

    monkeypatch.setattr("crashmap.live.capture", refuse)


def make_app(name: str = DEMO, *, cmdline: str | None = None, banner: str | None = None,
             source: str | None = None, kernel: str | None = None) -> CrashmapApp:
    """The app on a bundled map, as ``crashmap NAME [--cmdline ...] [--kernel ...]`` would
    start it (the demo map's own kernel is 5.3, which does not read ``,cma``)."""
    return CrashmapApp(load_source(name), source=source or name, banner=banner, cmdline=cmdline,
                       kernel=kernel)


async def settle(pilot: object) -> None:
    """Wait until what is mounted after the first frame (tree, plan fields, findings, footer
    keys) is in."""
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(100):
        await pilot.pause()  # type: ignore[attr-defined]
        if app.screen.query("#finding-list") and app.screen.query("KeyBar"):
            await pilot.pause()  # type: ignore[attr-defined]
            return
    raise AssertionError("the panels never mounted")
