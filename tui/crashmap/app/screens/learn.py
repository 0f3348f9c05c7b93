"""The Learn screen: short chapters about kdump and ``crashkernel=``, one at a time."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from crashmap.app.learn import CHAPTER_IDS, chapter_label, chapter_text, chapter_title, neighbour
from crashmap.app.widgets.key_bar import KeyBar


class LearnScreen(ModalScreen[None]):
    """The Learn chapters: a chapter list beside the text; ``n``/``p`` page, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next chapter"),
        Binding("p", "previous", "Previous chapter"),
        Binding("escape,q", "close", "Close"),
    ]

    DEFAULT_CSS = """
    LearnScreen {
        background: $background;
        #learn-title { height: 1; padding: 0 1; background: $panel; color: $text; }
        #learn-chapters { width: 24; height: 1fr; border: none; border-right: vkey $border; }
        #learn-scroll { width: 1fr; height: 1fr; }
        #learn-text { margin: 0; padding: 0 1; max-width: 88; }
    }
    """

    AUTO_FOCUS = "#learn-scroll"

    chapter: reactive[str] = reactive("kdump", init=False)
    """The id of the chapter shown (one of :data:`crashmap.app.learn.CHAPTER_IDS`)."""

    def __init__(self, chapter: str = "kdump") -> None:
        super().__init__()
        self._unknown = None if chapter in CHAPTER_IDS else chapter
        self.set_reactive(LearnScreen.chapter, chapter if chapter in CHAPTER_IDS else "kdump")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="learn-title")
            with Horizontal():
                options = OptionList(
                    *(Option(f"{i} {chapter_label(cid)}", id=cid)
                      for i, cid in enumerate(CHAPTER_IDS, 1)),
                    id="learn-chapters",
                )
                # Start on the chapter asked for: the list announces its highlight on mount.
                options.highlighted = CHAPTER_IDS.index(self.chapter)
                yield options
                with VerticalScroll(id="learn-scroll"):
                    yield Markdown(id="learn-text", open_links=False)
        yield KeyBar()

    async def on_mount(self) -> None:
        if self._unknown is not None:
            self.notify(f"No Learn chapter {self._unknown!r}; showing the first.",
                        severity="warning")
        await self._show(self.chapter)

    async def watch_chapter(self, chapter: str) -> None:
        await self._show(chapter)

    async def _show(self, chapter: str) -> None:
        index = CHAPTER_IDS.index(chapter)
        title = chapter_title(chapter)
        self.query_one("#learn-title", Static).update(
            f"Learn · chapter {index + 1} of {len(CHAPTER_IDS)} · {title}")
        options = self.query_one("#learn-chapters", OptionList)
        if options.highlighted != index:
            with options.prevent(OptionList.OptionHighlighted):
                options.highlighted = index
        await self.query_one("#learn-text", Markdown).update(chapter_text(chapter))
        self.query_one("#learn-scroll", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#learn-chapters")
    def _chapter_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A stale event (the highlight has moved on since) must not pull the chapter back.
        if event.option.id and event.option_index == event.option_list.highlighted:
            self.chapter = event.option.id

    @on(OptionList.OptionSelected, "#learn-chapters")
    def _chapter_selected(self) -> None:
        self.query_one("#learn-scroll").focus()

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        target = event.href.removesuffix(".md")
        if target in CHAPTER_IDS:
            self.chapter = target
        else:
            self.notify(f"Not a Learn chapter: {event.href}", severity="warning")

    def action_next(self) -> None:
        """Show the next chapter."""
        self.chapter = neighbour(self.chapter, 1)

    def action_previous(self) -> None:
        """Show the previous chapter."""
        self.chapter = neighbour(self.chapter, -1)

    def action_close(self) -> None:
        """Close the Learn screen."""
        self.dismiss(None)
