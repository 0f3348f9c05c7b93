"""Every secondary screen survives shrinking to 40×12 and growing back, without an exception."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from crashmap.app.screens.export import ExportScreen
from crashmap.app.screens.help import HelpScreen
from crashmap.app.screens.learn import LearnScreen
from crashmap.app.screens.open_source import OpenSourceScreen
from crashmap.app.screens.ranges import RangeTableScreen
from crashmap.sources import load_source
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

FACTORIES: dict[str, Callable[[], Screen[object]]] = {
    "help": HelpScreen,
    "learn": lambda: LearnScreen("syntax"),
    "ranges": lambda: RangeTableScreen("2G-64G:256M,64G-:512M", 16 << 30, "x86_64"),
    "export": lambda: ExportScreen(load_source("x86_64-desktop-i7"), "crashkernel=256M",
                                   "x86_64"),
    "open_source": OpenSourceScreen,
}


class Host(App[None]):
    def __init__(self, make: Callable[[], Screen[object]]) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make())


@pytest.mark.parametrize("name", FACTORIES)
async def test_resize_down_and_back(name: str) -> None:
    app = Host(FACTORIES[name])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for size in ((40, 12), (30, 8), (160, 48), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.screen is screen and app.return_code is None
