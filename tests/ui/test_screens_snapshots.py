"""SVG snapshots of the secondary screens at 80×24, each in a tiny host app.

Review a changed picture against its docstring before running ``pytest --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from crashmap.app.screens.help import HelpScreen
from crashmap.app.screens.learn import LearnScreen
from crashmap.app.screens.ranges import RangeTableScreen
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

G, M = 1 << 30, 1 << 20


class Host(App[None]):
    """Pushes one screen over a blank screen."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make())


class Main(Screen[None]):
    BINDINGS = [Binding("plus", "grow", "Grow block"), Binding("minus", "shrink", "Shrink block"),
                Binding("u", "undo", "Undo", show=False)]

    def compose(self) -> ComposeResult:
        yield Static("main")
        yield Footer()


class HelpHost(App[None]):
    BINDINGS = [Binding("question_mark", "help", "Help"), Binding("l", "learn", "Learn")]

    def on_mount(self) -> None:
        self.push_screen(Main())
        self.push_screen(HelpScreen())


def test_learn_cma_chapter(snap_compare: Any) -> None:
    """The Learn screen on chapter 6: a title bar "Learn · chapter 6 of 7 · CMA crashkernel",
    the seven chapters listed on the left with "6 CMA" highlighted, the
    chapter's heading and first paragraphs on the right, and a footer with n, p and esc."""
    assert snap_compare(Host(lambda: LearnScreen("cma")), terminal_size=(80, 24))


def test_range_table_machine_one_step_below_a_cliff(snap_compare: Any) -> None:
    """The Fedora x86_64 table for a machine with 63.8 GiB RAM (rounded up to 63.875 GiB): the
    verdict says it gets 256 MiB from entry 1 and that the next cliff, 128 MiB away at 64 GiB,
    gives 512 MiB; the step plot rises at 2G and 64G (both labelled under the axis), the dotted
    machine line and ● sit on the 256M level just left of the 64G riser, with "this machine:
    63.875 GiB → 256 MiB ▲" below (the ▲ under the machine line); the bracket table has four
    rows, the third one marked "◀ this machine"."""
    screen = lambda: RangeTableScreen("2G-64G:256M,64G-:512M", 64 * G - 200 * M, "x86_64")  # noqa: E731
    assert snap_compare(Host(screen), terminal_size=(80, 24))


def test_help_over_a_main_screen(snap_compare: Any) -> None:
    """Help in a rounded box titled "Help: keys": a "This screen (Main)" section with tab,
    shift+tab, ^c, + Grow block, - Shrink block and u Undo, then "Everywhere" with ^q Quit,
    ? Help, l Learn and ^p Palette; the footer shows esc Close and l Learn."""
    assert snap_compare(HelpHost(), terminal_size=(80, 24))
