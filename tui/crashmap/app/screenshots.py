"""``python -m crashmap.app.screenshots [OUTDIR]``: regenerate the README images from the real app.

Each picture runs the app headless on a bundled map from ``maps/``, presses the keys a user
would, and saves an SVG with ``App.save_screenshot``; with ``rsvg-convert`` on the PATH (Debian:
``librsvg2-bin``, plus ``fonts-firacode`` for the exact font) a PNG is written beside it.
Never edit the images by hand: change the app or this script and run it again.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from crashmap.app.app import CrashmapApp
from crashmap.app.main import initial_snapshot
from crashmap.sources import load_source

OUT = Path(__file__).resolve().parents[3] / "screenshots"
"""``screenshots/`` of the source checkout."""

Steps = Callable[[Pilot[int]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    """One picture: which map, what size, what the user does first."""

    name: str
    source: str
    size: tuple[int, int]
    steps: Steps | None = None
    cmdline: str | None = None
    no_color: bool = False
    live_hidden: bool = False
    """Start as ``crashmap`` on a machine whose live map is unreadable (the banner)."""


async def settle(pilot: Pilot[int]) -> None:
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        if app.screen.query("#finding-list") and app.screen.query("FooterKey"):
            break
    await pilot.pause(0.2)


def keys(*names: str) -> Steps:
    async def run(pilot: Pilot[int]) -> None:
        for name in names:
            await pilot.press(name)
        await pilot.pause()

    return run


async def drag_main_down(pilot: Pilot[int]) -> None:
    """Grab the main block's body and move it 6 cells lower: it is pinned there."""
    from crashmap.app.widgets.detail_grid import DetailGrid

    grid = pilot.app.screen.query_one(DetailGrid)
    cells = grid.block_cells("main")
    assert cells is not None and grid.grid is not None
    row, col = divmod((cells[0] + cells[1]) // 2, grid.grid.cols)
    y = next(i for i, line in enumerate(grid.lines) if line.row == row)
    x = grid.gutter_width + col
    await pilot.mouse_down(grid, offset=(x, y))
    for step in range(1, 7):
        await pilot.hover(grid, offset=(x - step, y))
    await pilot.mouse_up(grid, offset=(x - 6, y))
    await pilot.pause()


async def findings_focus(pilot: Pilot[int]) -> None:
    """CMA on, then the findings list focused: the explanation, and the range on the map."""
    await pilot.press("c")
    pilot.app.screen.query_one("#finding-list").focus()
    await pilot.press("down")
    await pilot.pause()


SHOTS = (
    Shot("main-160x48", "x86_64-laptop-zenbook", (160, 48), keys("c", "1")),
    Shot("main-80x24", "x86_64-laptop-zenbook", (80, 24)),
    Shot("drag-pinned-120x36", "x86_64-server-cascadelake", (120, 36), drag_main_down),
    Shot("high-low-arm64-120x36", "arm64-board-stingray", (120, 36), keys("H", "0")),
    Shot("findings-120x36", "x86_64-vm-firecracker-6.18", (120, 36), findings_focus),
    Shot("no-color-100x30", "x86_64-laptop-zenbook", (100, 30), keys("c"), no_color=True),
    Shot("not-root-banner-100x30", "live", (100, 30), live_hidden=True),
    Shot("verify-120x36", "x86_64-laptop-zenbook", (120, 36), keys("V")),
)


def _hidden_live() -> object:
    from crashmap.sources import snapshot_from_iomem

    text = "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n"
    snapshot = snapshot_from_iomem(text, "live")
    snapshot.source = "live"
    return snapshot


async def take(shot: Shot, out: Path) -> Path:
    """Run the app for ``shot`` and save its SVG; returns the path."""
    banner = None
    if shot.live_hidden:
        import crashmap.live

        real = crashmap.live.capture
        crashmap.live.capture = _hidden_live  # type: ignore[assignment]
        try:
            snapshot, banner = initial_snapshot(None, None)
        finally:
            crashmap.live.capture = real
    else:
        snapshot = load_source(shot.source)
    if shot.no_color:
        os.environ["NO_COLOR"] = "1"
    try:
        app = CrashmapApp(snapshot, source=shot.source, banner=banner, cmdline=shot.cmdline)
    finally:
        os.environ.pop("NO_COLOR", None)
    async with app.run_test(size=shot.size) as pilot:
        await settle(pilot)
        if shot.steps is not None:
            await shot.steps(pilot)
        await pilot.pause(0.3)
        app.refresh()
        await pilot.pause()
        svg = Path(app.save_screenshot(f"{shot.name}.svg", path=str(out)))
    # Leading spaces of a span are dropped by some SVG renderers (rsvg) unless preserved.
    svg.write_text(svg.read_text().replace("<svg ", '<svg xml:space="preserve" ', 1))
    return svg


def to_png(svg: Path) -> Path | None:
    """A PNG beside ``svg`` when rsvg-convert is installed."""
    if shutil.which("rsvg-convert") is None:
        return None
    png = svg.with_suffix(".png")
    subprocess.run(["rsvg-convert", "-z", "1", "-o", str(png), str(svg)], check=True)
    return png


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        svg = asyncio.run(take(shot, out))
        png = to_png(svg)
        print(svg if png is None else f"{svg}  {png}")
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert not found: SVG only (Debian: apt install librsvg2-bin fonts-firacode)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
