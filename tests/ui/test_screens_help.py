"""HelpScreen: lists the keys that really work where it was opened, read from live bindings."""

from __future__ import annotations

import io
from typing import ClassVar

from crashmap.app.screens.help import HelpScreen, binding_sections
from crashmap.app.screens.learn import LearnScreen
from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static


class Main(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "grow", "Grow block", key_display="+/-"),
        Binding("u", "undo", "Undo", show=False),
        Binding("shift+right", "grow16", "Grow by 16 steps"),
        Binding("d", "disabled_thing", "Never shown"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("main")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "disabled_thing"


class Host(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("x", "do_x", "Do the x thing"),
    ]

    def on_mount(self) -> None:
        self.push_screen(Main())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def rows(help_screen: HelpScreen) -> dict[str, dict[str, str]]:
    return {title: {desc: keys for keys, desc in entries}
            for title, entries in help_screen.sections}


async def test_lists_screen_and_app_keys_including_hidden_ones() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        found = rows(app.screen)
        screen_keys = found["This screen (Main)"]
        assert screen_keys["Grow block"] == "+ / ="  # real keys, not the footer's "+/-"
        assert screen_keys["Undo"] == "u"  # show=False bindings are listed too
        assert screen_keys["Grow by 16 steps"] == "shift+→"
        assert "Never shown" not in screen_keys  # check_action said no
        everywhere = found["Everywhere"]
        assert everywhere["Do the x thing"] == "x"
        assert everywhere["Help"] == "?"
        assert everywhere["Quit"] == "^q"


async def test_keys_are_rendered_on_screen() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(width=78, record=True, file=io.StringIO())
        for section in app.screen.query(".help-section").results(Static):
            console.print(section.content)
        text = console.export_text()
        assert "This screen (Main)" in text and "Everywhere" in text
        assert any(line.split() == ["+", "/", "=", "Grow", "block"] for line in text.splitlines())
        assert any(line.split() == ["x", "Do", "the", "x", "thing"] for line in text.splitlines())


async def test_over_a_modal_screen_only_its_keys_and_priority_app_keys_work() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LearnScreen())
        await pilot.pause()
        sections = dict(binding_sections(app.screen))
        learn = {desc for _, desc in sections["This screen (Learn screen)"]}
        assert {"Next chapter", "Previous chapter", "Close"} <= learn
        everywhere = {desc for _, desc in sections["Everywhere"]}
        assert "Quit" in everywhere  # priority: works under a modal
        assert "Do the x thing" not in everywhere  # blocked by the modal screen


async def test_escape_and_q_close() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("escape", "q"):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, Main)


async def test_l_opens_learn_in_place_of_help() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark", "l")
        await pilot.pause()
        assert isinstance(app.screen, LearnScreen)
        assert app.screen.chapter == "kdump"
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)


async def test_learn_link_opens_that_chapter() -> None:
    from textual.widgets import Markdown

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        markdown = app.screen.query_one("#help-text", Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "learn:cma"))
        await pilot.pause()
        assert isinstance(app.screen, LearnScreen)
        assert app.screen.chapter == "cma"
