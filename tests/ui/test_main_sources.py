"""Sources: the unreadable-live banner with the demo map, opening and reloading maps, bad input
that must not kill the app, saving a snapshot, and the keys that open the other screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from crashmap.app.app import CrashmapApp
from crashmap.app.main import initial_snapshot
from crashmap.app.main_screen import MainScreen
from crashmap.errors import CrashmapError
from crashmap.iomem import HIDDEN_MESSAGE
from crashmap.snapshot import load_snapshot
from crashmap.sources import DEMO_MAP, snapshot_from_iomem
from textual.widgets import Input, Static

from tests.corpus import dump
from tests.ui.conftest import make_app, settle

NONROOT = dump("29")
ZEROED = "\n".join(["00000000-00000000 : Reserved", "00000000-00000000 : System RAM",
                    "  00000000-00000000 : Kernel code", "00000000-00000000 : PCI Bus 0000:00"])


def zeroed_live() -> object:
    text = NONROOT.read_text() if NONROOT.exists() else ZEROED
    snapshot = snapshot_from_iomem(text, "live")
    snapshot.source = "live"
    return snapshot


def notes(app: CrashmapApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def test_unreadable_live_map_falls_back_to_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crashmap.live.capture", zeroed_live)
    snapshot, banner = initial_snapshot(None, None)
    assert snapshot.source == "demo" and not snapshot.hidden
    assert banner is not None and HIDDEN_MESSAGE in banner and DEMO_MAP in banner


def test_a_failing_live_read_also_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise CrashmapError("cannot read /proc/iomem: No such file or directory")

    monkeypatch.setattr("crashmap.live.capture", broken)
    snapshot, banner = initial_snapshot("live", None)
    assert snapshot.source == "demo"
    assert banner is not None and "No such file" in banner


def test_an_explicit_bad_source_is_an_error() -> None:
    with pytest.raises(CrashmapError):
        initial_snapshot("no-such-map-or-file", None)


async def test_the_banner_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crashmap.live.capture", zeroed_live)
    snapshot, banner = initial_snapshot(None, None)
    app = CrashmapApp(snapshot, source="live", banner=banner)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#banner", Static).content)
        assert "run as root, or load a snapshot" in shown and "demo" in shown
        header = str(app.screen.query_one("#header", Static).content)
        assert "demo" in header
        # Reloading the (still unreadable) live map keeps the demo and says why.
        await pilot.press("r")
        await pilot.pause()
        assert app.snapshot.source == "demo"
        assert HIDDEN_MESSAGE in notes(app)


async def test_load_a_bundled_map_and_survive_bad_ones(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.load("arm64-board-rpi4-4gb")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.arch.name == "arm64" and app.snapshot.source == "map:arm64-board-rpi4-4gb"
        binary = tmp_path / "junk.bin"
        binary.write_bytes(b"\x00\x01\x02" * 100)
        assert not app.load(str(binary))
        assert not app.load(str(tmp_path / "missing.yaml"))
        garbage = tmp_path / "garbage.txt"
        garbage.write_text("hello world\nthis is not iomem\n")
        assert not app.load(str(garbage))
        await pilot.pause()
        assert app.arch.name == "arm64"  # the map stayed
        assert "binary" in notes(app) and "garbage.txt" in notes(app)


async def test_open_screen_returns_a_source(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenSourceScreen"
        app.screen.dismiss("x86_64-vm-qemu-3g")
        await settle(pilot)
        assert app.snapshot.source == "map:x86_64-vm-qemu-3g"


async def test_save_a_snapshot_never_overwrites_silently(tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "saved.yaml"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one("#path-input", Input)
        field.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert load_snapshot(target).iomem == app.snapshot.iomem
        target.write_text("precious\n")
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#path-input", Input).value = str(target)
        await pilot.press("enter", "enter")  # it exists: the confirm dialog, where enter is no yes
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmOverwrite"
        assert target.read_text() == "precious\n"
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text() == "precious\n"
        assert "kept" in str(app.screen.query_one("#path-hint", Static).content)
        await pilot.press("enter")  # the same name again, and this time yes
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert load_snapshot(target).iomem == app.snapshot.iomem
        assert app.screen is app.main_screen


async def test_export_help_learn_and_ranges_keys_open_their_screens() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key, name in (("e", "ExportScreen"), ("question_mark", "HelpScreen"),
                          ("L", "LearnScreen"), ("R", "RangeTableScreen")):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == name, key
            if name == "ExportScreen":
                assert "crashkernel=96M" in str(vars(app.screen))
            app.screen.dismiss(None)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


async def test_learn_more_opens_the_findings_chapter() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        finding = app.main_screen.evaluation.findings[0]
        app.screen.query_one("#finding-list").focus()
        await pilot.press("L")
        await pilot.pause()
        assert type(app.screen).__name__ == "LearnScreen"
        assert app.screen.chapter == finding.chapter


async def test_learn_from_the_map_opens_the_highlighted_findings_chapter() -> None:
    """L with the map focused opens the chapter the findings panel names ("L: learn more
    (sizing)"), not the first chapter (issue 12 item 9)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("FindingsPanel")
        assert app.focused is app.screen.query_one("#detail")
        first = panel.current
        assert first is not None and first.chapter != "kdump"
        await pilot.press("L")
        await pilot.pause()
        assert app.screen.chapter == first.chapter
        app.screen.dismiss(None)
        await pilot.pause()
        panel.query_one("#finding-list").focus()
        await pilot.press("down")  # another finding, another chapter
        await pilot.pause()
        second = panel.current
        assert second.chapter != first.chapter
        app.screen.query_one("#detail").focus()
        await pilot.press("L")
        await pilot.pause()
        assert app.screen.chapter == second.chapter


async def test_a_missing_screen_module_is_reported_not_fatal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def without_export(name: str, *args: object) -> object:
        if name == "crashmap.app.screens.export":
            raise ImportError(name)
        return real(name, *args)

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(importlib, "import_module", without_export)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "not available yet" in notes(app)


@pytest.mark.parametrize("name", ["x86_64-laptop-zenbook", "arm64-board-stingray",
                                  "s390x-vm-kvm-2g", "loongarch64-machine"])
async def test_resize_down_to_40x12_and_back(name: str) -> None:
    app = make_app(name)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for size in ((80, 24), (60, 16), (40, 12), (41, 13), (80, 24), (160, 48)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("plus")
        assert app.screen.query_one("#detail").grid is not None
        assert app.plan.size > 0


@pytest.mark.parametrize("name", sorted(__import__("crashmap.sources").sources.bundled_maps()))
async def test_every_bundled_map_opens_and_edits(name: str) -> None:
    """Every map in maps/: the screen composes, the keys work, nothing raises."""
    app = make_app(name)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main_screen.evaluation.words or app.main_screen.evaluation.words_error
        for key in ("plus", "c", "H", "p", "l", "u", "u", "z", "0", "3", "minus"):
            await pilot.press(key)
        await pilot.pause()
        assert app.screen.query_one("#detail").grid is not None
