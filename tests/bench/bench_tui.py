"""TUI budgets (issue 5), run by hand: ``.venv/bin/python tests/bench/bench_tui.py``.

* first paint on the largest map in ``maps/`` ≤ 1.25 × a one-Label Textual app's first paint
  (whole processes, headless at 80×24 and at 160×48, alternating runs, medians; the best run
  is shown too, as this host's timings are noisy: from the parent's clock before the launch
  to the child's ``CLOCK_MONOTONIC`` when Textual posts ``Ready``, the first frame displayed).
  crashmap starts as the ``crashmap`` command does (``run_app``), made headless. The first
  frame holds the header, the whole map (overview, detail grid with the planned blocks,
  legend) and the summary with the ``crashkernel=`` words (the child checks that the grid was
  drawn); the resource tree, plan fields, findings and footer are mounted right after it: the
  time until they are all there is reported too. ``run_app`` pauses the garbage collector
  until the first frame;
* one drag step on a synthetic 10 000-resource map (mouse move → plan revalidated → frame
  displayed): p95 ≤ 16.7 ms;
* peak RSS on the largest map ≤ 1.15 × the one-Label app (issue 16; 1.2 in issue 5)
  (``ru_maxrss`` of the same processes, read at exit: each stays idle for ``SETTLE`` seconds
  once complete, the Label app after its first frame, crashmap once every panel is mounted and
  painted; crashmap's instrumenting hook loads no module the Label app does not).

Not collected by pytest (``norecursedirs``); prints a table and exits 1 when a budget is missed.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 15
"""Process launches per app for the first-paint and RSS figures."""
DRAG_STEPS = 200

SETTLE = 0.5
"""Seconds each app stays idle once complete before it exits (its peak RSS is read after)."""

RSS_BUDGET = 1.15
"""Peak RSS over the one-Label app's (``run_all.py`` asks the same)."""

SIZES = ((80, 24), (160, 48))
"""Terminal sizes measured: the smallest the screen must work at, and the roomy one."""

LABEL_APP = f"""
import resource, time
SETTLE = {SETTLE}
from textual.app import App
from textual.widgets import Label

class One(App):
    def compose(self):
        yield Label("crashmap")
    def on_ready(self):
        print(time.monotonic())
        print(time.monotonic())
        self.set_timer(SETTLE, self.exit)

One().run(headless=True, size={{size}})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

CRASHMAP_APP = f"""
import importlib.machinery, resource, sys, time
SETTLE = {SETTLE}

def instrument(app_class):
    # Time the real start-up path (crashmap.app.main.run_app) headless, at 160x48.
    run, ready = app_class.run, app_class.on_ready
    def on_ready(self):
        print(time.monotonic())
        assert self.screen.query_one("#detail").grid is not None, "first frame without the map"
        ready(self)
        self.bench_poll = self.set_interval(0.001, lambda: complete(self))
    def complete(self):
        # A tick already due can still run after stop(): print the time only once.
        if not getattr(self, "bench_done", False) and self.screen.query("FindingsPanel") \
                and self.screen.query("KeyBar"):
            self.bench_done = True
            print(time.monotonic())
            self.bench_poll.stop()
            self.set_timer(SETTLE, self.exit)
    app_class.on_ready = on_ready
    app_class.run = lambda self: run(self, headless=True, size={{size}})

class AfterImport:
    # A plain meta path finder through importlib.machinery, which every Python has loaded at
    # start-up: importlib.abc and importlib.util (and importlib.resources behind them) would be
    # ~0.1 MiB counted against crashmap that the one-Label app does not load.
    def find_spec(self, name, path, target=None):
        if name != "crashmap.app.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module)
            instrument(module.CrashmapApp)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, AfterImport())
from crashmap.app.main import run_app
run_app({{map!r}})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def compile_package() -> None:
    """Write crashmap's bytecode first: with PYTHONDONTWRITEBYTECODE set (as on the build
    machine) every launch would otherwise compile the edited modules from source, while Textual
    loads from bytecode; an installed crashmap has its bytecode."""
    import compileall

    import crashmap

    compileall.compile_dir(str(Path(crashmap.__file__).parent), quiet=1)


def largest_map() -> str:
    from crashmap.sources import bundled_maps

    return max(bundled_maps().items(), key=lambda item: item[1].stat().st_size)[0]


def launch(code: str) -> tuple[float, float, int]:
    """Seconds to the first frame and to the complete screen, and the peak RSS in KiB."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    first, complete, rss = done.stdout.split()
    return float(first) - start, float(complete) - start, int(rss)


def first_paint_and_rss(name: str, size: tuple[int, int]) -> dict[str, float]:
    """Medians (and the best first paint) of RUNS alternating launches of both apps."""
    label_code = LABEL_APP.format(size=size)
    app_code = CRASHMAP_APP.format(map=name, size=size)
    launch(label_code)  # warm the .pyc caches
    launch(app_code)
    label: list[tuple[float, float, int]] = []
    app: list[tuple[float, float, int]] = []
    for _ in range(RUNS):
        label.append(launch(label_code))
        app.append(launch(app_code))
    return {
        "label_ms": statistics.median(r[0] for r in label) * 1000,
        "app_ms": statistics.median(r[0] for r in app) * 1000,
        "label_best_ms": min(r[0] for r in label) * 1000,
        "app_best_ms": min(r[0] for r in app) * 1000,
        "app_complete_ms": statistics.median(r[1] for r in app) * 1000,
        "label_rss_mib": statistics.median(r[2] for r in label) / 1024,
        "app_rss_mib": statistics.median(r[2] for r in app) / 1024,
    }


class Frames:
    """What the timed ``_display`` tells :func:`frame_after`: a timed frame is out (``timed``),
    and when the last frame of any kind was."""

    def __init__(self) -> None:
        self.timed = asyncio.Event()
        self.last = 0.0

    def displayed(self, timed: bool) -> None:
        self.last = time.perf_counter()
        if timed:
            self.timed.set()


async def frame_after(pilot: object, event: object, frames: Frames) -> None:
    """Hand ``event`` to the app the way the terminal driver does, wait for the timed frame,
    then let the app settle.

    The driver path (``Driver.process_message``: the app's queue, then the screen forwards it)
    is what a real terminal takes. Pilot's ``hover`` and ``press`` are not used in the timed
    window: ``hover``'s trailing pause posts a callback to every widget right behind the event
    (so the window would count the screen's widget count), while ``press`` does not, so the
    two sides would be timed differently.

    The next event comes at least two frame periods after the last frame drawn (the timed one,
    or one the app drew after it): once the screen's update timer has ticked after a pause, it
    sleeps to the second next point of its 1/60 s grid (its skip arithmetic,
    ``textual.timer.Timer._run``) before it can tick again, so an event sent sooner would time
    that sleep (the 60 fps cap, the same for any app) instead of the work."""
    from textual.constants import MAX_FPS

    frames.timed.clear()
    pilot.app._driver.process_message(event)  # type: ignore[attr-defined]
    await asyncio.wait_for(frames.timed.wait(), 10)
    while True:
        await pilot.pause()  # type: ignore[attr-defined]
        due = frames.last + 2 / MAX_FPS - time.perf_counter()
        if due <= 0:
            return
        await asyncio.sleep(due)


def mouse_move(x: int, y: int, button: int) -> object:
    """A terminal's motion report at screen cell (x, y), ``button`` held (1: a drag)."""
    from textual import events

    return events.MouseMove(None, x, y, 0, 0, button, False, False, False, screen_x=x,
                            screen_y=y)


async def drag_steps(lines: int = 10_000, steps: int = DRAG_STEPS, *,
                     pilot_hover: bool = False) -> list[float]:
    """Milliseconds from each drag MouseMove reaching the map to the next displayed frame (the
    release that ends the drag, which runs every check, is not a step and is not counted).

    The moves come as a terminal sends them during a drag (button 1 held, through the driver:
    :func:`frame_after`); ``pilot_hover``: through Pilot's ``hover`` instead, as this bench did
    before (its trailing pause puts a callback for each of the screen's widgets in the window)."""
    from crashmap.app.app import CrashmapApp
    from crashmap.app.widgets.detail_grid import DetailGrid
    from crashmap.sources import snapshot_from_iomem

    from tests.bench.synthetic import synthetic_iomem

    snapshot = snapshot_from_iomem(synthetic_iomem(lines), "synthetic-10k")
    snapshot.arch = "x86_64"
    assert len(snapshot.parsed) >= lines * 0.99
    app = CrashmapApp(snapshot, cmdline="crashkernel=64M crashkernel=256M,cma")
    pending: list[float] = []
    timings: list[float] = []
    frames = Frames()
    moving = DetailGrid.on_mouse_move
    display = type(app)._display

    def timed_move(self: DetailGrid, event: object) -> None:
        if not pending:
            pending.append(time.perf_counter())
        moving(self, event)  # type: ignore[arg-type]

    def timed_display(self: CrashmapApp, screen: object, renderable: object) -> None:
        display(self, screen, renderable)  # type: ignore[arg-type]
        timed = bool(pending)
        if timed:
            timings.append((time.perf_counter() - pending.pop()) * 1000)
        frames.displayed(timed)

    DetailGrid.on_mouse_move = timed_move  # type: ignore[method-assign]
    CrashmapApp._display = timed_display  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            grid = app.screen.query_one(DetailGrid)
            SCREEN_WIDGETS[0] = len(list(app.screen.walk_children(with_self=True)))
            first, _ = grid.block_cells("main")
            row, col = divmod(first, grid.grid.cols)
            y = next(i for i, line in enumerate(grid.lines) if line.row == row)
            x = grid.gutter_width + col
            per_step = -(-app.arch.crash_align // grid.grid.cell)  # cells per size step
            assert col >= 6 * per_step, "the bench drags the start edge up to 6 steps left"
            origin = grid.region.offset  # Pilot offsets are from the region
            await pilot.mouse_down(grid, offset=(x, y))
            timings.clear()
            pending.clear()
            for i in range(steps):
                dx = (1 + i % 6) * per_step  # out and back: every move changes the size
                if pilot_hover:
                    await pilot.hover(grid, offset=(x - dx, y))
                else:
                    at = origin + (x - dx, y)
                    await frame_after(pilot, mouse_move(at.x, at.y, 1), frames)
            assert len(timings) == steps, f"{steps} moves drew {len(timings)} timed frames"
            moves = timings[:]
            await pilot.mouse_up(grid, offset=(x, y))  # the release (full checks): not a step
    finally:
        DetailGrid.on_mouse_move = moving  # type: ignore[method-assign]
        CrashmapApp._display = display  # type: ignore[method-assign]
    return moves


def screen_widgets() -> int:
    """How many widgets the drag bench's screen holds, the screen itself included (what
    Pilot's pause waits on before each frame)."""
    return SCREEN_WIDGETS[0]


SCREEN_WIDGETS = [0]
"""Set by :func:`drag_steps` once its screen is up."""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> int:
    compile_package()
    name = largest_map()
    rows: list[tuple[str, str, str]] = []
    ok = True
    for size in SIZES:
        m = first_paint_and_rss(name, size)
        paint, best = m["app_ms"] / m["label_ms"], m["app_best_ms"] / m["label_best_ms"]
        rss = m["app_rss_mib"] / m["label_rss_mib"]
        ok = ok and paint <= 1.25 and rss <= RSS_BUDGET
        at = f"{size[0]}x{size[1]}"
        rows += [
            (f"{at} first paint, one-Label app: median / best (ms)",
             f"{m['label_ms']:.0f} / {m['label_best_ms']:.0f}", ""),
            (f"{at} first paint, crashmap {name} (ms)",
             f"{m['app_ms']:.0f} / {m['app_best_ms']:.0f}",
             f"ratio {paint:.2f} / {best:.2f} (budget 1.25)"),
            (f"{at} every panel mounted and painted (ms)", f"{m['app_complete_ms']:.0f}",
             f"ratio {m['app_complete_ms'] / m['label_ms']:.2f}"),
            (f"{at} peak RSS, one-Label app (MiB)", f"{m['label_rss_mib']:.1f}", ""),
            (f"{at} peak RSS, crashmap (MiB)", f"{m['app_rss_mib']:.1f}",
             f"ratio {rss:.3f} (budget {RSS_BUDGET})"),
        ]
    steps = asyncio.run(drag_steps())
    ok = ok and p95(steps) <= 16.7
    rows += [
        (f"drag step, 10k resources, {len(steps)} steps: median (ms)",
         f"{statistics.median(steps):.1f}", ""),
        ("drag step p95 (ms)", f"{p95(steps):.1f}", "budget 16.7"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>9}  {note}")
    print("all budgets met (first paint on the medians)" if ok else "BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
