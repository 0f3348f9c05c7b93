"""OpenSourceScreen: lists live, demo and every bundled map with facts read from each map, and
returns what the user picked or typed (None on Escape)."""

from __future__ import annotations

from pathlib import Path

from crashmap.app.screens.open_source import MapChoice, OpenSourceScreen, map_choices
from crashmap.sources import bundled_maps, load_source
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(OpenSourceScreen(), self.results.append)


def test_choices_cover_live_demo_and_every_bundled_map() -> None:
    choices = map_choices()
    assert [c.spec for c in choices] == ["live", "demo", *bundled_maps()]
    by_spec = {c.spec: c for c in choices}
    zenbook = by_spec["x86_64-laptop-zenbook"]
    assert zenbook.facts == "x86_64 · 15.82 GiB RAM · Linux 5.3.11-gentoo"
    assert zenbook.about.startswith("laptop: ASUSTeK ZenBook UX391FA")
    rpi = by_spec["arm64-board-rpi4-4gb"]
    assert rpi.facts.startswith("arm64 · 3.86 GiB RAM")
    assert all(len(c.about) <= 70 for c in choices)


def test_every_listed_spec_is_loadable_except_live() -> None:
    for choice in map_choices():
        if choice.spec != "live":  # never read the live machine in tests
            assert load_source(choice.spec).iomem


async def test_enter_on_a_map_returns_its_name() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpenSourceScreen)
        await pilot.press("down", "down", "enter")  # live, demo, then the first map
        await pilot.pause()
        assert app.results == [next(iter(bundled_maps()))]
        assert not isinstance(app.screen, OpenSourceScreen)


async def test_click_on_demo_returns_demo() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#open-list", offset=(4, 2))  # the demo option's first line
        await pilot.pause()
        assert app.results == ["demo"]


async def test_typed_existing_path_is_returned_expanded(tmp_path: Path) -> None:
    target = tmp_path / "iomem.txt"
    target.write_text("00000000-00000fff : Reserved\n")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        field = app.screen.query_one("#open-path", Input)
        assert app.screen.focused is field
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [str(target)]


async def test_missing_path_is_refused_with_a_reason_and_the_screen_stays() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        field = screen.query_one("#open-path", Input)
        field.focus()
        field.value = "/no/such/map.yaml"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and app.screen is screen
        error = str(screen.query_one("#open-error", Static).content)
        assert error == "/no/such/map.yaml: no such file or directory"
        await pilot.press("x")  # typing again clears the complaint
        assert str(screen.query_one("#open-error", Static).content) == ""
        await pilot.press("enter")
        assert app.results == []


async def test_typed_map_name_is_accepted() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#open-path", Input).focus()
        await pilot.press(*"s390x-vm-kvm-2g", "enter")
        await pilot.pause()
        assert app.results == ["s390x-vm-kvm-2g"]


async def test_escape_cancels_with_none() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#open-list", OptionList).option_count == len(map_choices())
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_a_broken_map_is_listed_with_its_error(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.yaml"
    broken.write_text("crashmap_snapshot: 1\n")
    monkeypatch.setattr("crashmap.app.screens.open_source.bundled_maps",
                        lambda: {"broken": broken})
    assert map_choices()[-1] == MapChoice("broken", "cannot be read",
                                          "snapshot has no 'iomem' text")
