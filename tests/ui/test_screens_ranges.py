"""RangeTableScreen: picks a table, explains it with the kernel explainer, marks this machine."""

from __future__ import annotations

from crashmap.app.screens.ranges import RangePlotView, RangeTableScreen
from crashmap.rangeplot import DISTRO_TABLES
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Select, Static

M, G = 1 << 20, 1 << 30
FEDORA = "2G-64G:256M,64G-:512M"
OLD_RHEL = "1G-4G:192M,4G-64G:256M,64G-:512M"


class Host(App[None]):
    def __init__(self, screen: RangeTableScreen) -> None:
        super().__init__()
        self.ranges = screen

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.ranges)


def verdict(screen: RangeTableScreen) -> str:
    return str(screen.query_one("#ranges-verdict", Static).content)


async def test_machine_is_marked_in_its_bracket() -> None:
    screen = RangeTableScreen(FEDORA, 64 * G - 200 * M, "x86_64")  # rounds to 63.875 GiB
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen.value == FEDORA
        assert screen.machine_bracket == 2
        assert screen.brackets[2].ram_from == 2 * G and screen.brackets[2].ram_to == 64 * G
        assert screen.machine_size == 256 * M
        assert "gets 256 MiB from entry 1, 2G-64G:256M" in verdict(screen)
        assert "Next cliff at 64 GiB (128 MiB more): 512 MiB" in verdict(screen)
        drawn = screen.query_one(RangePlotView).current
        assert drawn is not None and drawn.machine_column is not None
        assert drawn.column_sizes[drawn.machine_column] == 256 * M
        table = screen.query_one("#ranges-brackets", DataTable)
        assert table.row_count == 4 and table.cursor_row == 2
        assert str(table.get_row_at(2)[3]).startswith("◀ this machine")


async def test_without_a_value_the_arch_default_is_shown() -> None:
    screen = RangeTableScreen(None, 3 * G, "arm64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen.value == "2G-4G:256M,4G-64G:320M,64G-:576M"
        assert screen.machine_size == 256 * M
        pick = screen.query_one("#ranges-pick", Select)
        index = [v for _, v, _ in DISTRO_TABLES].index("2G-4G:256M,4G-64G:320M,64G-:576M")
        assert pick.value == f"preset:{index}"


async def test_picking_a_distro_table_explains_it() -> None:
    screen = RangeTableScreen(FEDORA, 3 * G, "x86_64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen.query_one("#ranges-pick", Select).value == "cmdline"
        old = [v for _, v, _ in DISTRO_TABLES].index(OLD_RHEL)
        screen.query_one("#ranges-pick", Select).value = f"preset:{old}"
        await pilot.pause()
        assert screen.value == OLD_RHEL
        assert screen.query_one("#ranges-value", Input).value == OLD_RHEL
        assert screen.machine_size == 192 * M
        assert screen.brackets[screen.machine_bracket or 0].size == 192 * M


async def test_ctrl_n_cycles_through_the_tables() -> None:
    screen = RangeTableScreen(None, 8 * G, "x86_64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = [screen.value]
        for _ in DISTRO_TABLES:
            await pilot.press("ctrl+n")
            await pilot.pause()
            seen.append(screen.value)
        assert seen == [v for _, v, _ in DISTRO_TABLES] + [DISTRO_TABLES[0][1]]
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.value == DISTRO_TABLES[-1][1]


async def test_typing_a_table_explains_it_and_marks_it_as_typed() -> None:
    screen = RangeTableScreen(None, 8 * G, "x86_64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = screen.query_one("#ranges-value", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"crashkernel=4G-:1G")
        await pilot.pause()
        assert screen.value == "4G-:1G"
        assert screen.machine_size == 1 * G
        assert screen.query_one("#ranges-pick", Select).value is Select.NULL
        assert [b.size for b in screen.brackets][-1] == 1 * G


async def test_a_bad_value_says_why_and_draws_nothing() -> None:
    screen = RangeTableScreen(None, 8 * G, "x86_64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen.query_one("#ranges-value", Input).value = "1G-4G: 192M"
        await pilot.pause()
        assert screen.explained is None and screen.brackets == ()
        assert "no spaces" in verdict(screen)
        assert screen.query_one(RangePlotView).current is None
        assert screen.query_one("#ranges-brackets", DataTable).row_count == 0
        screen.query_one("#ranges-value", Input).value = "1G-4G:192M,4G-x"
        await pilot.pause()
        assert "Syntax problem" in verdict(screen)
        assert screen.machine_size == 0  # 8G reaches the broken entry: nothing


async def test_unknown_ram_has_no_mark() -> None:
    screen = RangeTableScreen(FEDORA, 0, "x86_64")
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen.machine_bracket is None
        drawn = screen.query_one(RangePlotView).current
        assert drawn is not None and drawn.machine_column is None
        assert "unknown" in str(screen.query_one("#ranges-title", Static).content)


async def test_escape_closes() -> None:
    screen = RangeTableScreen(FEDORA, 8 * G, "x86_64")
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_survives_small_terminals() -> None:
    screen = RangeTableScreen(FEDORA, 8 * G, "x86_64")
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((40, 12), (20, 8), (160, 48), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        drawn = screen.query_one(RangePlotView).current
        assert drawn is not None and drawn.column_sizes[drawn.machine_column or 0] == 256 * M


async def test_add_row_adds_to_every_size_like_kdumpctl() -> None:
    """kdump-utils spec/kdump-lib_spec.sh ``_crashkernel_add()``: the aarch64 table + 100M gives
    ``1G-4G:356M,4G-64G:420M,64G-:676M``; ``foo`` is an error and leaves the table alone."""
    screen = RangeTableScreen("1G-4G:256M,4G-64G:320M,64G-:576M", 16 * G, "arm64")
    async with Host(screen).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        add = screen.query_one("#ranges-add", Input)
        add.focus()
        await pilot.press(*"100M", "enter")
        await pilot.pause()
        assert screen.value == "1G-4G:356M,4G-64G:420M,64G-:676M"
        assert screen.machine_size == 420 * M
        assert add.value == ""
        await pilot.press(*"foo", "enter")
        await pilot.pause()
        assert screen.value == "1G-4G:356M,4G-64G:420M,64G-:676M"
        assert add.value == "foo"
