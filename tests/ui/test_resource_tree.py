"""The resource tree: its lines, keys, clicks, expansion, and the two messages the main screen
answers (a highlighted resource on the status line, a selected one zooms the map)."""

from __future__ import annotations

from crashmap.app.widgets.resource_tree import ResourceTree, describe, node_label
from crashmap.iomem import parse_iomem

from tests.ui.conftest import make_app, settle


def drawn(tree: ResourceTree, line: int) -> str:
    """The text of ``line`` of the tree (a line of the whole list, not of the view)."""
    return "".join(s.text for s in tree.render_line(line - tree.scroll_offset.y))


async def started(pilot: object) -> ResourceTree:
    await settle(pilot)
    tree = pilot.app.screen.query_one("#tree", ResourceTree)  # type: ignore[attr-defined]
    tree.focus()
    await pilot.pause()  # type: ignore[attr-defined]
    return tree


def status(app: object) -> str:
    return app.screen.query_one("#map").status  # type: ignore[attr-defined]


def zoom(app: object) -> tuple[int, int]:
    grid = app.screen.query_one("#detail").grid  # type: ignore[attr-defined]
    return grid.lo, grid.hi


def test_lines_nest_with_guides_and_expanders() -> None:
    iomem = parse_iomem("00000000-00000fff : Reserved\n"
                        "00001000-7fffffff : System RAM\n"
                        "  01000000-01ffffff : Kernel code\n"
                        "    01000000-010fffff : inner\n"
                        "  02000000-02ffffff : Kernel data\n")
    tree = ResourceTree(iomem)
    top = iomem.roots[1]
    assert tree.rows == iomem.roots  # the top level, collapsed
    assert [bool(r.children) for r in tree.rows] == [False, True]
    tree.expanded.update({top, top.children[0]})
    tree._flatten()
    assert [r.name for r in tree.rows] == ["Reserved", "System RAM", "Kernel code", "inner",
                                          "Kernel data"]
    assert "".join(node_label(top.children[1])) == "0x2000000  16 MiB  Kernel data"


async def test_keys_move_the_cursor_and_say_what_is_under_it() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        tree = await started(pilot)
        assert tree.cursor_line == -1 and tree.cursor_resource is None
        await pilot.press("down")
        assert tree.cursor_resource is tree.rows[0]
        await pilot.press("down", "down")
        await pilot.pause()
        assert tree.cursor_line == 2
        assert status(app) == describe(tree.rows[2])  # Highlighted: the status line
        await pilot.press("up")
        assert tree.cursor_line == 1
        await pilot.press("end")
        await pilot.pause()
        last = len(tree.rows) - 1
        assert tree.cursor_line == last and status(app) == describe(tree.rows[last])
        assert tree.scroll_offset.y > 0  # the cursor stays in view
        assert 0 <= last - tree.scroll_offset.y < tree.scrollable_content_region.height
        await pilot.press("down")
        assert tree.cursor_line == last  # the end stops it
        await pilot.press("home")
        await pilot.pause()
        assert tree.cursor_line == 0 and tree.scroll_offset.y == 0
        page = tree.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert tree.cursor_line == min(page, last)
        await pilot.press("pageup")
        assert tree.cursor_line == 0


async def test_right_expands_left_goes_back_and_collapses() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        tree = await started(pilot)
        line = next(i for i, r in enumerate(tree.rows) if r.children)
        parent = tree.rows[line]
        count = len(tree.rows)
        await pilot.press("down")
        for _ in range(line):
            await pilot.press("down")
        assert drawn(tree, line).startswith("▶ ")
        await pilot.press("right")
        await pilot.pause()
        assert parent in tree.expanded and tree.cursor_resource is parent
        assert tree.rows[line + 1:line + 1 + len(parent.children)] == parent.children
        assert len(tree.rows) == count + len(parent.children)
        assert drawn(tree, line).startswith("▼ ")
        assert drawn(tree, line + 1).startswith("├ " if len(parent.children) > 1 else "└ ")
        assert drawn(tree, line + len(parent.children)).startswith("└ ")
        await pilot.press("right")  # expanded: to the first child
        assert tree.cursor_resource is parent.children[0]
        await pilot.press("left")  # a leaf (or collapsed): to the parent
        assert tree.cursor_resource is parent
        await pilot.press("left")  # expanded: collapses
        await pilot.pause()
        assert parent not in tree.expanded and len(tree.rows) == count
        assert tree.cursor_resource is parent
        await pilot.press("space")  # toggles, selects nothing
        await pilot.pause()
        assert parent in tree.expanded and zoom(app) != (parent.start, parent.end)
        await pilot.press("space")
        assert parent not in tree.expanded


async def test_enter_selects_zooms_the_map_and_toggles() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        tree = await started(pilot)
        line = next(i for i, r in enumerate(tree.rows) if r.children)
        parent = tree.rows[line]
        before = zoom(app)
        for _ in range(line + 1):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        lo, hi = zoom(app)
        assert (lo, hi) != before and lo <= parent.start and parent.end <= hi  # Selected
        assert parent in tree.expanded
        await pilot.press("enter")
        await pilot.pause()
        assert parent not in tree.expanded


async def test_clicks_select_a_line_and_toggle_on_the_expander() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        tree = await started(pilot)
        left, top = tree.content_region.x - tree.region.x, tree.content_region.y - tree.region.y
        line = next(i for i, r in enumerate(tree.rows) if r.children)
        parent = tree.rows[line]
        before = zoom(app)
        await pilot.click(tree, offset=(left, top + line))  # on "▶"
        await pilot.pause()
        assert parent in tree.expanded and tree.cursor_line == -1 and zoom(app) == before
        child = parent.children[-1]
        child_line = tree.rows.index(child)
        await pilot.click(tree, offset=(left + 12, top + child_line))  # on its label
        await pilot.pause()
        assert tree.cursor_resource is child
        lo, hi = zoom(app)
        assert lo <= child.start and child.end <= hi and (lo, hi) != before
        await pilot.click(tree, offset=(left, top + line))  # collapsing hides the cursor
        await pilot.pause()
        assert parent not in tree.expanded and tree.cursor_resource is parent


async def test_the_cursor_is_highlighted_and_long_names_are_cut() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await started(pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        width = tree.scrollable_content_region.width
        assert not tree.show_horizontal_scrollbar and tree.show_vertical_scrollbar
        assert width == tree.content_region.width - tree.styles.scrollbar_size_vertical
        cut = 0
        for line in range(min(len(tree.rows), tree.scrollable_content_region.height)):
            strip = tree.render_line(line)
            assert strip.cell_length == width
            text = drawn(tree, line).rstrip()
            label = "".join(node_label(tree.rows[line]))
            assert label.startswith(text.lstrip("▶▼ ")[:len(label)])
            cut += len(text.lstrip("▶▼ ")) < len(label)
        assert cut  # the panel is narrow: some names lose their end

        def label_background(line: int) -> object:
            segments = [s for s in tree.render_line(line) if s.text.strip()]
            return segments[-1].style.bgcolor

        cursor, other = label_background(1), label_background(2)
        assert cursor != other
        tree.blur()
        await pilot.pause()
        assert label_background(1) not in (cursor, other)  # dimmer without the focus


async def test_every_theme_draws_the_cursor_in_its_block_cursor_colours() -> None:
    """nord and others set ``$block-cursor-text-style`` to "none", which a style string reads
    as a colour: the focused tree used to fail to draw under them."""
    from textual.color import Color
    from textual.theme import BUILTIN_THEMES

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await started(pilot)
        await pilot.press("down")
        for name in BUILTIN_THEMES:
            app.theme = name
            await pilot.pause()
            assert tree.has_focus and tree.cursor_line == 0
            segments = [s for s in tree.render_line(0) if s.text.strip()]
            wanted = Color.parse(app.theme_variables["block-cursor-background"])
            assert segments[-1].style.bgcolor.triplet == wanted.rich_color.triplet, name
