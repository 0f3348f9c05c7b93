"""FindingList, the findings panel's list: keys, clicks, scrolling the highlighted line into
view, and the message the panel reads."""

from __future__ import annotations

from crashmap.app.widgets.finding_list import FindingList
from textual.app import App, ComposeResult
from textual.content import Content


class Listing(App[None]):
    CSS = "FindingList { height: 4; }"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int] = []

    def compose(self) -> ComposeResult:
        yield FindingList(id="finding-list")

    def on_mount(self) -> None:
        prompts = [Content(f"finding {i} " + "x" * 60) for i in range(10)]
        self.query_one(FindingList).set_prompts(prompts, 0)

    def on_finding_list_highlighted(self, event: FindingList.Highlighted) -> None:
        self.seen.append(event.index)


def lines(app: Listing) -> list[str]:
    found = app.query_one(FindingList)
    return ["".join(s.text for s in found.render_line(y)) for y in range(found.size.height)]


async def test_keys_move_the_highlight_and_scroll_it_into_view() -> None:
    app = Listing()
    async with app.run_test(size=(40, 6)) as pilot:
        found = app.query_one(FindingList)
        found.focus()
        await pilot.press("down", "down")
        assert found.highlighted == 2 and app.seen == [1, 2]
        await pilot.press("end")
        await pilot.pause()
        assert found.highlighted == 9 and found.scroll_offset.y == 6
        assert lines(app)[-1].startswith("finding 9 ") and lines(app)[-1].endswith("…")
        await pilot.press("pageup")
        await pilot.pause()
        assert found.highlighted == 5 and found.scroll_offset.y == 5
        await pilot.press("home", "up")  # nothing above the first: no message
        assert found.highlighted == 0 and app.seen[-1] == 0 and app.seen.count(0) == 1


async def test_a_click_highlights_the_line_under_it() -> None:
    app = Listing()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.click(FindingList, offset=(3, 2))
        assert app.query_one(FindingList).highlighted == 2 and app.seen == [2]
        await pilot.click(FindingList, offset=(3, 2))  # the same line: nothing new
        assert app.seen == [2]


async def test_new_prompts_keep_a_valid_highlight() -> None:
    app = Listing()
    async with app.run_test(size=(40, 6)) as pilot:
        found = app.query_one(FindingList)
        found.set_prompts([Content("only")], 5)
        await pilot.pause()
        assert found.highlighted == 0
        found.set_prompts([], 0)
        await pilot.pause()
        assert found.highlighted is None and lines(app)[0].strip() == ""
