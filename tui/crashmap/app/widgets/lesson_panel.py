"""The lesson panel: a lesson's task and its Learn chapter, in a column beside the map.

Mounted only with ``--lesson`` (so a plain start never imports the Markdown widget). The main
screen sizes it (:func:`panel_width`) and hides it (``i``); a link in the chapter shows that
chapter here, so the map stays in view.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from crashmap.app.learn import CHAPTER_IDS, chapter_text, chapter_title
from crashmap.app.learn.lessons import Lesson

MIN_WIDTH = 34
"""Columns below which the chapter's lines get too short to read."""
MAX_WIDTH = 64
"""Columns past which a line of text gets too long to read."""
SHARE = 36
"""Percent of the terminal the panel takes between those bounds."""


def panel_width(columns: int) -> int:
    """The panel's width on a terminal ``columns`` wide (the map gets the rest)."""
    return max(MIN_WIDTH, min(MAX_WIDTH, columns * SHARE // 100))


class LessonPanel(Vertical):
    """Title, task and chapter of one lesson; the chapter scrolls, the task stays."""

    DEFAULT_CSS = """
    LessonPanel {
        split: right;
        height: 1fr;
        border-left: vkey $border;
        background: $surface;
        #lesson-title { height: 2; padding: 0 1; background: $panel; text-wrap: nowrap;
                        text-overflow: ellipsis; }
        #lesson-task { height: auto; max-height: 50%; margin: 1 1 0 1; padding: 0 1;
                       border-left: outer $accent; background: $boost; }
        #lesson-task > Markdown { margin: 0; padding: 0; background: transparent; }
        #lesson-scroll { height: 1fr; margin-top: 1; }
        #lesson-chapter { margin: 0; padding: 0 1; }
        #lesson-keys { height: 1; padding: 0 1; color: $text-muted; background: $panel; }
    }
    """

    def __init__(self, lesson: Lesson, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lesson = lesson
        self.chapter = lesson.chapter

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="lesson-title")
        with VerticalScroll(id="lesson-task", can_focus=False):
            yield Markdown(self.lesson.task, open_links=False)
        with VerticalScroll(id="lesson-scroll"):
            yield Markdown(chapter_text(self.chapter), id="lesson-chapter", open_links=False)
        yield Static("i hides the lesson · L opens Learn", id="lesson-keys", markup=False)

    def _title(self) -> Text:
        return Text.assemble(
            (self.lesson.title, "bold"), "\n",
            (f"lesson {self.lesson.name} · Learn: {chapter_title(self.chapter)}", "dim"))

    async def show_chapter(self, chapter: str) -> None:
        """Show another Learn chapter under the task."""
        self.chapter = chapter
        self.query_one("#lesson-title", Static).update(self._title())
        await self.query_one("#lesson-chapter", Markdown).update(chapter_text(chapter))
        self.query_one("#lesson-scroll", VerticalScroll).scroll_home(animate=False)

    @on(Markdown.LinkClicked)
    async def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        target = event.href.removesuffix(".md")
        if target in CHAPTER_IDS:
            await self.show_chapter(target)
        else:
            self.notify(f"Not a Learn chapter: {event.href}", severity="warning")
