"""ExportScreen: switches formats, copies with OSC 52, saves atomically and never overwrites a file
without asking, and shows the whole command line with only the crashkernel= words changed.

The mechanics are tested with a stand-in crashmap.export that records its calls; the last tests
check that, with the real module, what the screen shows is exactly what crashmap.export produces.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from crashmap.app.screens.export import (
    FORMAT_NAMES,
    ConfirmOverwrite,
    ExportScreen,
    format_choices,
)
from crashmap.kernel.cmdline_edit import replace_crashkernel
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static, TextArea

CURRENT = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=96M quiet"
WORDS = "crashkernel=256M crashkernel=1G,cma"


def _stand_in_result(fmt: str, words: list[str], current: str) -> types.SimpleNamespace:
    new = replace_crashkernel(current, words)
    added, cursor = [], 0
    for word in words:
        start = new.index(word, cursor)
        added.append(types.SimpleNamespace(text=word, start=start, end=start + len(word)))
        cursor = start + len(word)
    removed = [types.SimpleNamespace(text=w) for w in current.split()
               if w.startswith("crashkernel=") and w not in words]
    return types.SimpleNamespace(
        text=f"<{fmt}> {' '.join(words)}\n", warnings=(f"stand-in warning for {fmt}",),
        new_cmdline=new, diff=types.SimpleNamespace(removed=removed, added=added))


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """A stand-in crashmap.export that records its calls and labels its output by format."""
    calls: list[tuple[object, ...]] = []

    def export(fmt: str, words: list[str], current: str | None, arch: str,
               *, snapshot: Snapshot) -> types.SimpleNamespace:
        calls.append((fmt, tuple(words), current, arch))
        if fmt == "zipl" and arch != "s390x":
            raise ValueError("zipl is the s390x boot loader")
        return _stand_in_result(fmt, words, current or "")

    module = types.ModuleType("crashmap.export")
    module.export = export  # type: ignore[attr-defined]
    module.FORMATS = {name: f"about {name}" for name in FORMAT_NAMES}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crashmap.export", module)
    return calls


@pytest.fixture
def no_exporter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "crashmap.export", types.ModuleType("crashmap.export"))


class Host(App[None]):
    def __init__(self, cmdline: str | None = CURRENT) -> None:
        super().__init__()
        self.export = ExportScreen(Snapshot(iomem="", cmdline=cmdline), WORDS, "x86_64")

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.export)


def preview(screen: ExportScreen) -> str:
    return screen.query_one("#export-preview", TextArea).text


async def test_starts_on_cmdline_and_switches_format_with_the_list(
        exporter: list[tuple[object, ...]]) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.export
        assert screen.fmt == "cmdline"
        assert preview(screen) == f"<cmdline> {WORDS}\n"
        assert exporter[-1] == ("cmdline", tuple(WORDS.split()), CURRENT, "x86_64")
        await pilot.press("down")
        await pilot.pause()
        assert screen.fmt == "grub" and preview(screen) == f"<grub> {WORDS}\n"
        await pilot.press("end")
        await pilot.pause()
        assert screen.fmt == "json" and screen.text == f"<json> {WORDS}\n"
        assert [call[0] for call in exporter] == ["cmdline", "grub", "json"]


async def test_every_format_is_offered_and_a_refusal_is_shown_not_raised(
        exporter: list[tuple[object, ...]]) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.export
        for name in FORMAT_NAMES:
            screen.fmt = name
            await pilot.pause()
        assert [call[0] for call in exporter][1:] == list(FORMAT_NAMES)[1:]
        screen.fmt = "zipl"
        await pilot.pause()
        assert screen.text is None
        assert "zipl is the s390x boot loader" in preview(screen)


async def test_copy_puts_the_preview_on_the_clipboard(exporter: list[tuple[object, ...]]) -> None:
    app = Host()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "c")
        await pilot.pause()
        assert copied == [f"<grub> {WORDS}\n"]
        assert "clipboard" in str(app.export.query_one("#export-status", Static).content)


async def test_save_writes_a_new_file(exporter: list[tuple[object, ...]], tmp_path: Path) -> None:
    target = tmp_path / "out.cfg"
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")  # first s: go to the file name
        field = app.export.query_one("#export-path", Input)
        assert app.export.focused is field and field.value == "crashkernel-cmdline.txt"
        field.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text() == f"<cmdline> {WORDS}\n"
        assert "Saved" in str(app.export.query_one("#export-status", Static).content)
        # The field lets go once saved: s is the Save key again, not a letter typed over the name.
        assert app.export.focused is app.export.query_one("#export-formats")
        await pilot.press("s")
        assert app.export.focused is field and field.value == str(target)


async def test_save_never_overwrites_without_asking(exporter: list[tuple[object, ...]],
                                                    tmp_path: Path) -> None:
    target = tmp_path / "existing.txt"
    target.write_text("precious\n")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.export.query_one("#export-path", Input)
        field.focus()
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        assert target.read_text() == "precious\n"  # nothing written while asking
        await pilot.press("enter")  # a second Enter is not a yes
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        assert target.read_text() == "precious\n"
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text() == "precious\n"
        assert "kept" in str(app.export.query_one("#export-status", Static).content)
        assert app.export.focused is app.export.query_one("#export-formats")  # keys again
        await pilot.press("s", "enter")  # back to the name, as it was: ask again
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text() == f"<cmdline> {WORDS}\n"


async def test_save_into_a_missing_directory_says_why(exporter: list[tuple[object, ...]],
                                                      tmp_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.export.query_one("#export-path", Input)
        field.focus()
        field.value = str(tmp_path / "no" / "such" / "dir.txt")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmOverwrite)
        assert "Not saved" in str(app.export.query_one("#export-status", Static).content)


async def test_diff_shows_removed_and_added_words(exporter: list[tuple[object, ...]]) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        diff = str(app.export.query_one("#export-diff", Static).content)
        assert diff.startswith("⚠ stand-in warning for cmdline\n")
        assert "- crashkernel=96M\n+ crashkernel=256M\n+ crashkernel=1G,cma\n" in diff
        assert diff.endswith("After: BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=256M "
                             "crashkernel=1G,cma quiet")


async def test_without_a_current_cmdline_the_words_are_shown_alone(
        exporter: list[tuple[object, ...]]) -> None:
    app = Host(cmdline=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        diff = str(app.export.query_one("#export-diff", Static).content)
        assert "no kernel command line" in diff
        assert exporter[-1][2] is None


async def test_without_the_export_module_nothing_is_faked(no_exporter: None,
                                                          tmp_path: Path) -> None:
    app = Host()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.export
        assert screen.text is None
        assert "crashmap.export is not available" in preview(screen)
        await pilot.press("c")
        assert copied == []
        assert screen.check_action("save", ()) is None  # dimmed in the footer
        assert [name for name, _ in format_choices()] == list(FORMAT_NAMES)


async def test_escape_closes(exporter: list[tuple[object, ...]]) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


# --- with the real crashmap.export ---------------------------------------------------------------


@pytest.fixture
def real_export() -> types.ModuleType:
    module = pytest.importorskip("crashmap.export")
    if not callable(getattr(module, "export", None)):
        pytest.skip("crashmap.export has no export() yet")
    return module


async def test_real_formats_are_shown_exactly(real_export: types.ModuleType) -> None:
    snapshot = load_source("x86_64-laptop-zenbook")  # cmdline has crashkernel=96M
    screen = ExportScreen(snapshot, WORDS, "x86_64")

    class RealHost(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with RealHost().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = screen.query_one("#export-formats", OptionList)
        assert listed.option_count == len(real_export.FORMATS)
        for name in real_export.FORMATS:
            screen.fmt = name
            await pilot.pause()
            expected = real_export.export(name, WORDS.split(), snapshot.cmdline, "x86_64",
                                          snapshot=snapshot)
            assert preview(screen) == expected.text, name
            details = str(screen.query_one("#export-diff", Static).content)
            for warning in expected.warnings:
                assert f"⚠ {warning}" in details
        assert "- crashkernel=96M\n+ crashkernel=256M\n+ crashkernel=1G,cma\n" in details
        assert details.endswith(f"After: {expected.new_cmdline}")
