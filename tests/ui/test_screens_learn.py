"""LearnScreen: opens on the chapter asked for, pages with n/p, follows the list and links."""

from __future__ import annotations

from crashmap.app.learn import CHAPTER_IDS, chapter_text
from crashmap.app.screens.learn import LearnScreen
from textual.app import App, ComposeResult
from textual.widgets import Markdown, OptionList, Static


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def open(self, chapter: str = "kdump") -> LearnScreen:
        screen = LearnScreen(chapter)
        self.push_screen(screen, self.results.append)
        return screen


def shown(screen: LearnScreen) -> str:
    return screen.query_one("#learn-text", Markdown).source


async def test_opens_on_the_chapter_asked_for() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("placement")
        await pilot.pause()
        assert screen.chapter == "placement"
        assert shown(screen) == chapter_text("placement")
        assert screen.query_one("#learn-chapters", OptionList).highlighted == 3
        assert "chapter 4 of 7" in str(screen.query_one("#learn-title", Static).content)


async def test_n_and_p_page_through_and_stop_at_the_ends() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("kdump")
        await pilot.pause()
        await pilot.press("p")
        assert screen.chapter == "kdump"
        seen = []
        for _ in CHAPTER_IDS:
            await pilot.press("n")
            await pilot.pause()
            seen.append(screen.chapter)
        assert seen == [*CHAPTER_IDS[1:], "sizing"]
        assert shown(screen) == chapter_text("sizing")
        await pilot.press("p", "p")
        await pilot.pause()
        assert screen.chapter == "fragmentation"
        assert screen.query_one("#learn-chapters", OptionList).highlighted == 4


async def test_browsing_the_chapter_list_switches_chapter() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("syntax")
        await pilot.pause()
        screen.query_one("#learn-chapters", OptionList).focus()
        await pilot.press("down", "down")
        await pilot.pause()
        assert screen.chapter == "placement"
        assert shown(screen) == chapter_text("placement")
        await pilot.press("enter")  # reading starts: the text takes the focus
        await pilot.pause()
        assert screen.focused is not None and screen.focused.id == "learn-scroll"


async def test_clicking_a_chapter_in_the_list() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("kdump")
        await pilot.pause()
        await pilot.click("#learn-chapters", offset=(3, 5))  # row 6: "6 CMA"
        await pilot.pause()
        assert screen.chapter == "cma"


async def test_a_link_to_another_chapter_follows_it() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("kdump")
        await pilot.pause()
        markdown = screen.query_one("#learn-text", Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "lowhigh.md"))
        await pilot.pause()
        assert screen.chapter == "lowhigh"
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org/"))
        await pilot.pause()
        assert screen.chapter == "lowhigh"  # not a chapter: stays, says so


async def test_unknown_chapter_falls_back_to_the_first_and_says_so() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.open("no-such-chapter")
        await pilot.pause()
        assert screen.chapter == "kdump"
        assert any("no-such-chapter" in n.message for n in app._notifications)


async def test_escape_and_q_close_with_no_result() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("escape", "q"):
            screen = app.open("cma")
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not screen
            assert not isinstance(app.screen, LearnScreen)
        assert app.results == [None, None]
