"""``crashmap serve`` in a real headless Chromium: keys and a mouse drag change the words.

Each test starts the real server on a free loopback port, opens the printed URL in Chromium,
and reads the page's terminal (xterm.js) as text. Expected sizes come from the same functions
the app uses (the drag's step rounding, the map's own "MiB per cell" legend). The screenshots
are the README's (``screenshots/web-*.png``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from crashmap.app.evaluation import nearest_step
from crashmap.snapshot import from_yaml
from crashmap.sources import load_source
from crashmap.units import MiB

SIZE = (160, 48)


def summary_words(text: str) -> str:
    """The ``crashkernel=`` words of the summary bar (the line that starts with them)."""
    for line in reversed(text.splitlines()):
        if line.lstrip().startswith("crashkernel="):
            return line.split("│")[0].strip()
    raise AssertionError(f"no summary line on the page:\n{text}")


def block_run(text: str, letter: str) -> tuple[int, int, int]:
    """Row, first and last column of the detail grid's run of ``letter`` cells (with the
    ``[`` ``]`` edges of a selected block)."""
    for row, line in enumerate(text.splitlines()):
        if not re.match(r"│\s+0x[0-9a-f]+ ", line):  # detail rows start with their address
            continue
        run = re.search(rf"\[?{letter}{{3,}}\]?", line)
        if run:
            return row, run.start(), run.end() - 1
    raise AssertionError(f"no {letter} block on the map:\n{text}")


def cell_size(text: str) -> int:
    found = re.search(r"(\d+) MiB per cell", text)
    assert found, f"no scale legend on the page:\n{text}"
    return int(found.group(1)) * MiB


def test_keys_and_a_drag_in_the_browser_change_the_words(serve, open_page) -> None:
    started = time.monotonic()
    served = serve("--kernel", "6.18")  # the demo map (x86_64, crashkernel=96M) for 6.18: ,cma
    page = open_page(served.url)
    page.fit(*SIZE)
    text = page.wait_for("Findings")  # the panels are mounted: the app is fully up
    assert summary_words(text) == "crashkernel=96M"
    assert "0x40000000" in text and "System RAM" in text  # the map itself is drawn
    page.page.locator(".xterm-helper-textarea").focus()  # keys go to the terminal

    page.press("+")  # one 16 MiB step (x86_64 CRASH_ALIGN)
    text = page.wait_for("crashkernel=112M │")
    assert summary_words(text) == "crashkernel=112M"

    page.press("c")  # CMA on: the default 512 MiB, as the app's DEFAULT_CMA
    text = page.wait_for("crashkernel=512M,cma")
    assert summary_words(text) == "crashkernel=112M crashkernel=512M,cma"

    row, _, last = block_run(text, "M")
    cell = cell_size(text)
    page.drag((last, row), (last + 3, row))  # the main block's end edge, 3 cells right
    grown = nearest_step(112 * MiB + 3 * cell, 16 * MiB)
    expected = f"crashkernel={grown // MiB}M crashkernel=512M,cma"
    text = page.wait_for(f"{expected} │")
    assert summary_words(text) == expected
    assert grown > 112 * MiB
    page.wait_for(f"Static {grown // MiB}M")  # the release arrived: the plan fields followed
    page.screenshot("web-map-160x48.png")

    page.press("?")
    text = page.wait_for("Help: keys")
    assert "Grow" in text and "CMA" in text
    page.press("Escape")
    text = page.wait_for("Help: keys", gone=True)
    assert summary_words(text) == expected  # the plan outlived the help screen
    print(f"\nbrowser test: {time.monotonic() - started:.1f} s; tab: {page.timeline()}")


def test_a_lesson_is_served_beside_its_map(serve, open_page) -> None:
    served = serve("--lesson", "fragmentation")
    page = open_page(served.url)
    page.fit(*SIZE)
    text = page.wait_for("Plenty of low RAM")
    lines = text.splitlines()
    assert lines[2].startswith("╭─ Map"), text  # the map keeps the left of the screen...
    title_at = lines[0].index("Plenty of low RAM")
    assert title_at > SIZE[0] // 2, text  # ...and the lesson its own column on the right
    assert "Fragmentation: why free RAM is not enough" in text  # the chapter beside it
    page.wait_for("Findings")
    assert summary_words(page.text()) == "crashkernel=1440M"

    page.page.locator(".xterm-helper-textarea").focus()
    page.press("+")  # what the task says to do: one step more no longer fits low
    text = page.wait_for("crashkernel=1456M │")
    assert "does not fit below 4 GiB" in text
    page.screenshot("web-lesson-160x48.png")


def test_in_the_browser_files_go_to_the_browser_and_the_server_keeps_its_own(
        serve, open_page, tmp_path: Path) -> None:
    """``s`` downloads the snapshot through the page (not onto the server's disk), and a path
    of the server typed into ``o`` is refused: the page has no login."""
    served = serve()
    page = open_page(served.url)
    page.wait_for("Findings")
    page.page.locator(".xterm-helper-textarea").focus()
    with page.page.expect_download(timeout=30_000) as downloading:
        page.press("s")
    download = downloading.value
    assert download.suggested_filename == "snapshot.yaml"
    saved = from_yaml(Path(download.path()).read_text(), "snapshot.yaml")
    assert saved.iomem == load_source("demo").iomem  # the map itself, byte-exact

    private = tmp_path / "server-only.iomem"
    private.write_text("00000000-0009ffff : System RAM\n00100000-3fffffff : System RAM\n")
    page.press("o")
    page.wait_for("Open a memory map")
    page.press("Tab")  # from the list of bundled maps to the path field
    page.page.keyboard.type(str(private))
    page.press("Enter")
    text = page.wait_for("stay private")
    assert summary_words(text) == "crashkernel=96M"  # still the demo map
