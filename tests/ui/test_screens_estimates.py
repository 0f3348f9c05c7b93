"""The estimates screen in a tiny host app: models shown, what-ifs recompute, apply dismisses."""

from __future__ import annotations

import pytest
from crashmap.app.screens.estimates import EstimatesScreen
from crashmap.estimate.inputs import gather
from crashmap.plan import Plan
from crashmap.sources import load_source
from crashmap.units import format_size
from textual.app import App, ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

M = 1 << 20
FIRECRACKER = "x86_64-vm-firecracker-6.18"
"""x86_64, 24 GiB, Linux 6.18 (reads ,cma)."""


class Host(App[None]):
    """Pushes the screen on mount and records what it dismissed with."""

    def __init__(self, screen: EstimatesScreen) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.results: list[Plan | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self.results.append)


def make_screen(name: str = FIRECRACKER, **given: object) -> EstimatesScreen:
    snapshot = load_source(name)
    inputs = gather(snapshot, live=False)
    if given:
        inputs = inputs.given(**given)
    return EstimatesScreen(snapshot, snapshot.arch, inputs=inputs)


def text_of(screen: EstimatesScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.mark.asyncio
async def test_shows_models_side_by_side_and_suggestion() -> None:
    screen = make_screen(initrd=40 * M, modules=())
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        assert "Fedora/RHEL kdumpctl estimate" in text_of(screen, "#est-model-kdumpctl")
        assert "SUSE kdumptool calibrate" in text_of(screen, "#est-model-suse")
        debian = text_of(screen, "#est-model-debian")
        assert "unknown: needs" in debian and "meminfo" in debian
        suggestion = text_of(screen, "#est-suggestion")
        assert "crashkernel=" in suggestion and ",cma" in suggestion
        assert "vmcore loses" in suggestion
        assert "Spread" in text_of(screen, "#est-spread")


@pytest.mark.asyncio
async def test_apply_dismisses_with_the_suggested_plan() -> None:
    screen = make_screen(initrd=40 * M, modules=())
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        expected = screen.estimate.suggestion.plan
        assert expected is not None and expected.cma > 0
        await pilot.press("a")
        await pilot.pause()
    assert app.results == [expected]


@pytest.mark.asyncio
async def test_escape_dismisses_with_none() -> None:
    screen = make_screen()
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


@pytest.mark.asyncio
async def test_what_if_fields_recompute_at_once() -> None:
    screen = make_screen(initrd=40 * M, modules=())
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        suse_before = screen.estimate.model("suse").bytes
        kdump_before = screen.estimate.model("kdumpctl").need
        screen.query_one("#est-cpus", Input).value = "64"
        await pilot.pause()
        assert screen.estimate.model("suse").bytes > suse_before  # more per-CPU cost
        screen.query_one("#est-luks-memory", Input).value = "1G"
        screen.query_one("#est-luks", Checkbox).value = True
        await pilot.pause()
        assert screen.estimate.model("kdumpctl").need == kdump_before + 1024 * M + 20 * M
        screen.query_one("#est-cma", Checkbox).value = False
        await pilot.pause()
        assert screen.estimate.suggestion.cma == 0
        assert "what-if" in text_of(screen, "#est-title")


@pytest.mark.asyncio
async def test_bad_field_keeps_the_last_estimate_and_says_why() -> None:
    screen = make_screen()
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        before = screen.estimate
        screen.query_one("#est-ram", Input).value = "12X"
        await pilot.pause()
        assert screen.estimate is before
        assert "not a size" in text_of(screen, "#est-status")
        screen.query_one("#est-ram", Input).value = "2T"
        await pilot.pause()
        assert screen.estimate.inputs.ram == 2 << 40
        assert text_of(screen, "#est-status") == ""


@pytest.mark.asyncio
async def test_other_arch_is_shown_but_not_applied() -> None:
    screen = make_screen()
    app = Host(screen)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        screen.query_one("#est-arch", Select).value = "arm64"
        await pilot.pause()
        assert screen.estimate.inputs.arch == "arm64"
        await pilot.press("a")
        await pilot.pause()
        assert app.results == []  # refused: the plan is for another arch than the map
        screen.query_one("#est-page", Select).value = 64 * 1024
        await pilot.pause()
        assert screen.estimate.inputs.page_size == 64 * 1024


UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "%")


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48)])
async def test_values_stay_with_their_units_and_labels(size: tuple[int, int]) -> None:
    """Each breakdown value is drawn whole at the end of its label's line, no line of any
    panel starts with a unit cut off its number, and every what-if field is on screen."""
    screen = make_screen()
    app = Host(screen)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        suse = next(m for m in screen.estimate.models if m.bytes is not None)
        panel = screen.query_one(f"#est-model-{suse.key}")
        lines = str(panel.render()).split("\n")
        assert all(len(line) <= panel.content_size.width for line in lines)
        for label, value, _ in suse.breakdown:
            shown = format_size(value)
            last_word = label.split()[-1]
            assert any(ln.endswith(f" {shown}") and last_word in ln[:-len(shown)]
                       for ln in lines), (label, shown, lines)
        for selector in ("#est-model-kdumpctl", "#est-model-suse", "#est-model-debian",
                         "#est-spread", "#est-suggestion"):
            for line in str(screen.query_one(selector).render()).split("\n"):
                assert not line.lstrip().startswith(UNITS), (selector, line)
        for field in ("#est-ram", "#est-cpus", "#est-arch", "#est-page", "#est-luks-memory",
                      "#est-luks", "#est-network", "#est-cma"):
            assert screen.query_one(field).region.right <= size[0], field
