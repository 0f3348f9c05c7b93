"""SVG snapshots of the main screen (pytest-textual-snapshot). Few, fixed sizes, bundled maps.

Update only after reading the report: ``pytest tests/ui/test_snapshots_main.py --snapshot-update``.
The findings panel shows the checks' own words: a change of wording there changes the pictures.
"""

from __future__ import annotations

import pytest
from crashmap.app.app import CrashmapApp
from crashmap.app.main import initial_snapshot
from crashmap.app.screenshots import drag_main_down
from textual.pilot import Pilot

from tests.ui.conftest import make_app, settle
from tests.ui.test_main_sources import zeroed_live


def test_demo_map_at_80x24(snap_compare) -> None:
    """80×24, the demo map as `crashmap x86_64-laptop-zenbook` opens it.

    Header: x86_64, kernel 5.3.11-gentoo, RAM 15.82 GiB, `now crashkernel=96M → Crash kernel
    96 MiB @ 0x65000000`. Overview: one row, every top-level range visible, ▲4G under it. Detail
    grid (8 MiB cells): the kernel image `KKKKK`, the current `CCCC…` reservation, and the planned
    main block `[MMMMMMMMMM]` (selected: brackets) at 0x70000000, PCI `····` below. Plan fields:
    Static 96M, mode auto (highlighted), ✓ would reserve at boot. Summary: `crashkernel=96M │
    static 96 MiB (0.6% of RAM) │ no CMA │ 15.72 GiB left`; the footer lists the keys.
    """
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settle)


def test_cma_on_at_120x36(snap_compare) -> None:
    """120×36 after `c`: a 512 MiB CMA area `[ccc…]` (bright green, selected) starts the first
    row above the `4 GiB ── ↑ low · high ↓` separator; the main block stays below 4 GiB.

    Summary: `crashkernel=96M crashkernel=512M,cma` and `CMA 512 MiB usable until a crash`.
    Plan fields: CMA 512M, placements `main … @ 0x70000000` and `cma0 512 MiB @ 0x100000000`.
    """

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()

    # the demo's own kernel is 5.3: plan for 6.17, the first x86_64 kernel that reads ,cma
    assert snap_compare(make_app(kernel="6.17"), terminal_size=(120, 36), run_before=run_before)


def test_body_drag_pins_the_block(snap_compare) -> None:
    """120×36, cascadelake server: the main block's body dragged six cells lower.

    The block is now pinned: mode `fixed` highlighted, Base 1008M, status line `main 256 MiB at
    0x3f000000–0x4effffff, pinned · crashkernel=256M@1008M`, summary `crashkernel=256M@1008M`.
    """

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await drag_main_down(pilot)  # the screenshot script's drag: one definition of it

    app = make_app("x86_64-server-cascadelake")
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_unreadable_live_map_banner(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    """100×30, `crashmap` as a user without root: an amber banner under the header says `The
    live map cannot be read — addresses are hidden: run as root, or load a snapshot. Showing the
    bundled demo map (x86_64-laptop-zenbook) instead; o opens another source.` The header's
    source reads `demo (bundled map x86_64-laptop-zenbook)`; below is the demo map."""
    monkeypatch.setattr("crashmap.live.capture", zeroed_live)
    snapshot, banner = initial_snapshot(None, None)
    app = CrashmapApp(snapshot, source="live", banner=banner)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)


def test_no_color_stays_readable(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    """100×30 with NO_COLOR set: no colours at all, yet every kind has its own character —
    RAM `█`, reserved `░`, PCI `·`, ACPI `a`, kernel `K`, current crash kernel `C`, main `M`
    (bracketed when selected), CMA `c` — and the legend spells them out."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("c", "1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
