"""Served to a browser, the app opens the bundled maps and the SOURCE it was served with only.

The page has no login: whoever reaches it must not read the server's files or its live memory
through ``o``, the palette or ``r``. Textual says it runs in a browser through ``App.is_web``
(its web driver); these tests set that one property and drive the real app with Pilot. The
browser itself is in ``tests/web``.
"""

from __future__ import annotations

import pytest
from crashmap.app.app import CrashmapApp
from crashmap.app.main import build_app

from tests.ui.conftest import settle


@pytest.fixture
def in_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CrashmapApp, "is_web", property(lambda self: True))


async def test_a_browser_cannot_open_server_files_or_live(in_a_browser, tmp_path) -> None:
    dump = tmp_path / "iomem.txt"
    dump.write_text("00000000-0009ffff : System RAM\n00100000-3fffffff : System RAM\n")
    app = build_app("demo")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for spec in (str(dump), "live"):
            assert app.load(spec) is False
            await pilot.pause()
            assert app.source == "demo"
        messages = [n.message for n in app._notifications]
        assert any("files of the server stay private" in m for m in messages)
        assert any("live memory map stay private" in m for m in messages)
        assert app.load("x86_64-desktop-i7") is True  # the bundled maps are the material
        await pilot.pause()
        await settle(pilot)
        assert app.source == "x86_64-desktop-i7"


async def test_a_browser_reopens_the_file_it_was_served(in_a_browser, tmp_path) -> None:
    dump = tmp_path / "iomem.txt"
    dump.write_text("00000000-0009ffff : System RAM\n00100000-3fffffff : System RAM\n")
    app = build_app(str(dump), arch="x86_64")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.load("demo") is True
        await pilot.pause()
        await settle(pilot)
        assert app.load(str(dump)) is True  # what `crashmap serve FILE` was started on
        await pilot.pause()
        await settle(pilot)
        assert app.source == str(dump)


async def test_in_a_terminal_any_source_opens(tmp_path) -> None:
    dump = tmp_path / "iomem.txt"
    dump.write_text("00000000-0009ffff : System RAM\n00100000-3fffffff : System RAM\n")
    app = build_app("demo")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.web_refusal(str(dump)) is None and app.web_refusal("live") is None
        assert app.load(str(dump)) is True
        await pilot.pause()
        await settle(pilot)
        assert app.source == str(dump)
