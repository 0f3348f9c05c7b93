"""The pieces of the browser tests: a running ``crashmap serve``, and one Chromium tab on it
read through xterm.js (the fixtures that start them are in ``conftest.py``).

Playwright drives Debian's ``/usr/bin/chromium`` (``executable_path``: no browser is downloaded):
its mouse API sends the press, the moves and the release of a drag as the browser's own input
events, which xterm.js turns into the terminal's mouse reports, as it would for a hand. The page
is read through xterm.js itself: an init script keeps a reference to the page's ``Terminal``
(textual-serve does not expose it), and the test reads its buffer, the text the page draws.
Requests to anything but the loopback server are aborted (the page links a web font).
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox refuses to start
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
TIMEOUT_MS = 30_000
"""How long the page may take for each step (the machine is shared: generous, not tight)."""

KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer && !window.crashmapTerminal) window.crashmapTerminal = value;
  },
});
"""
"""Runs before the page's scripts: the first object assigned to a ``terminal`` property that
has a ``buffer`` (textual-serve's ``this.terminal = new Terminal(...)``) is kept on ``window``."""

SCREEN_TEXT = """() => {
  const term = window.crashmapTerminal;
  if (!term) return "";
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def needs(module: str) -> None:
    pytest.importorskip(module, reason=f"the browser test needs {module}: pip install -e '.[test]'")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A running ``crashmap serve``: its URL, and its stderr for failure reports."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.log = log
        self.port = free_port()
        command = [sys.executable, "-m", "crashmap", "serve", *args, "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log.open("wb"),
                                        text=True, start_new_session=True)
        self.url = self._read_url()

    def _read_url(self) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT_MS / 1000)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            self.stop()
            raise AssertionError(f"crashmap serve printed no URL: {line!r}\n{self.stderr()}")
        return line

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM (textual-serve stops its app processes), then the group if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Page:
    """One browser tab on the served map, read through xterm.js."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.opened = time.monotonic()
        self.steps: list[tuple[str, float]] = []
        """What the test did and when (seconds since the tab opened), for ``pytest -s``."""

    def _step(self, what: str) -> None:
        self.steps.append((what, time.monotonic() - self.opened))

    def timeline(self) -> str:
        return " · ".join(f"{what} {at:.1f}s" for what, at in self.steps)

    def text(self) -> str:
        return self.page.evaluate(SCREEN_TEXT)  # type: ignore[attr-defined]

    def wait_for(self, needle: str, *, gone: bool = False) -> str:
        """Wait until the screen shows ``needle`` (or no longer shows it); the screen text."""
        script = f"(needle) => ({SCREEN_TEXT})().includes(needle) !== {str(gone).lower()}"
        try:
            self.page.wait_for_function(script, arg=needle,  # type: ignore[attr-defined]
                                        timeout=TIMEOUT_MS)
        except Exception as error:
            raise AssertionError(f"the page never {'dropped' if gone else 'showed'} "
                                 f"{needle!r}:\n{self.text()}") from error
        self._step(f"{'without' if gone else 'saw'} {needle!r}")
        return self.text()

    def size(self) -> tuple[int, int]:
        cols, rows = self.page.evaluate(  # type: ignore[attr-defined]
            "[window.crashmapTerminal.cols, window.crashmapTerminal.rows]")
        return int(cols), int(rows)

    def fit(self, cols: int, rows: int) -> None:
        """Resize the window so the terminal is ``cols`` × ``rows`` cells (as a user would)."""
        for _ in range(3):
            box = self._screen_box()
            have_cols, have_rows = self.size()
            if (have_cols, have_rows) == (cols, rows):
                break
            viewport = self.page.viewport_size  # type: ignore[attr-defined]
            cell_w, cell_h = box["width"] / have_cols, box["height"] / have_rows
            self.page.set_viewport_size({  # type: ignore[attr-defined]
                "width": int(viewport["width"] + (cols - have_cols) * cell_w + 1),
                "height": int(viewport["height"] + (rows - have_rows) * cell_h + 1)})
            deadline = time.monotonic() + 5
            while self.size() == (have_cols, have_rows) and time.monotonic() < deadline:
                time.sleep(0.05)
        assert self.size() == (cols, rows), f"the terminal is {self.size()}, not {cols}x{rows}"
        self._step(f"{cols}x{rows}")

    def _screen_box(self) -> dict[str, float]:
        return self.page.locator(".xterm-screen").bounding_box()  # type: ignore[attr-defined]

    def cell_center(self, col: int, row: int) -> tuple[float, float]:
        box = self._screen_box()
        cols, rows = self.size()
        return (box["x"] + (col + 0.5) * box["width"] / cols,
                box["y"] + (row + 0.5) * box["height"] / rows)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)  # type: ignore[attr-defined]
        self._step(f"key {key}")

    def drag(self, start: tuple[int, int], end: tuple[int, int], steps: int = 6) -> None:
        """Press on cell ``start``, move through the cells to ``end``, release there."""
        mouse = self.page.mouse  # type: ignore[attr-defined]
        x0, y0 = self.cell_center(*start)
        x1, y1 = self.cell_center(*end)
        mouse.move(x0, y0)
        mouse.down()
        for i in range(1, steps + 1):
            mouse.move(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
            time.sleep(0.05)  # a hand takes its time; each step is one mouse report
        mouse.up()
        self._step("drag")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path))  # type: ignore[attr-defined]
        return path


def loopback_only(route: object) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    host = url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    if host in ("127.0.0.1", "localhost", "[::1]"):
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort()  # type: ignore[attr-defined]
