"""Fixtures of the browser tests: system Chromium, ``crashmap serve`` on a free loopback port,
and tabs on it (the pieces are in ``harness.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.harness import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    KEEP_TERMINAL,
    Page,
    Served,
    loopback_only,
    needs,
)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Headless system Chromium with a fresh profile (``--user-data-dir``), shared by the
    module's tests: each opens its own tab, and so its own app process. Skips when Chromium is
    absent. Module scope: Playwright's sync API runs an event loop in this thread while it is
    open, and asyncio tests collected after this module could not start theirs."""
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: apt-get install chromium (.ci/run does)")
    needs("textual_serve")
    needs("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # Playwright's --user-data-dir
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1450, "height": 880}, accept_downloads=True)
        context.route("**/*", loopback_only)
        context.add_init_script(KEEP_TERMINAL)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    """``serve(*args)`` starts ``crashmap serve ARGS --port FREE`` on loopback; stopped after."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = Served(list(args), tmp_path / f"serve-{len(started)}.log")
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def open_page(chromium: object) -> Iterator[object]:
    """``open_page(url)``: a new tab on ``url``, returned once the map is drawn; closed after."""
    opened: list[object] = []

    def start(url: str) -> Page:
        page = chromium.new_page()  # type: ignore[attr-defined]
        opened.append(page)
        page.goto(url)
        result = Page(page)
        result.wait_for("crashkernel=")
        return result

    yield start
    for page in opened:
        page.close()  # type: ignore[attr-defined]
