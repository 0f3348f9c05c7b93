"""The findings as a list: one line each (severity mark and message), one highlighted.

Drawn here line by line (a ``ScrollView``, as :class:`FindingDetail` is): Textual's
``OptionList`` keeps a render cache of every option's lines, five component-class style nodes
and its module and rules, ~0.25 MiB of the screen's memory for a handful of one-line rows.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class FindingList(ScrollView, can_focus=True):
    """Up/down (page up/down, home/end) or a click highlight a finding.

    | Component class | What it styles |
    | --- | --- |
    | `finding-list--highlighted` | the highlighted line (brighter while focused) |
    """

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step(-1)", "Previous finding", show=False),
        Binding("down", "step(1)", "Next finding", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "step(-1000000)", "First finding", show=False),
        Binding("end", "step(1000000)", "Last finding", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"finding-list--highlighted"}
    DEFAULT_CSS = """
    FindingList {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        color: $foreground;
        background: $surface;
        &:focus { background-tint: $foreground 5%; }
        & > .finding-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .finding-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The user highlighted line ``index``."""

        def __init__(self, findings: FindingList, index: int) -> None:
            super().__init__()
            self.findings = findings
            self.index = index

        @property
        def control(self) -> FindingList:
            return self.findings

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompts: list[Content] = []
        self.highlighted: int | None = None
        """The highlighted line (None: no lines). Setting it here posts nothing."""

    def set_prompts(self, prompts: list[Content], highlighted: int | None) -> None:
        """Show ``prompts``, line ``highlighted`` highlighted."""
        self.prompts = prompts
        self.virtual_size = Size(self.virtual_size.width, len(prompts))
        self.highlight(highlighted)
        self.refresh()

    def replace_prompt(self, index: int, prompt: Content) -> None:
        """Line ``index`` says ``prompt`` now (same findings, new numbers)."""
        if self.prompts[index] != prompt:
            self.prompts[index] = prompt
            self.refresh_line(index)

    def highlight(self, index: int | None) -> None:
        """Highlight line ``index`` (clamped) and scroll it into view."""
        if not self.prompts:
            index = None
        elif index is not None:
            index = min(max(index, 0), len(self.prompts) - 1)
        old, self.highlighted = self.highlighted, index
        if old != index:
            for line in (old, index):
                if line is not None:
                    self.refresh_line(line)
        if index is not None:
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if index < top:
                self.scroll_to(y=index, animate=False, immediate=True)
            elif height and index >= top + height:
                self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _choose(self, index: int) -> None:
        before = self.highlighted
        self.highlight(index)
        if self.highlighted is not None and self.highlighted != before:
            self.post_message(self.Highlighted(self, self.highlighted))

    def action_step(self, delta: int) -> None:
        self._choose((self.highlighted or 0) + delta if self.highlighted is not None else 0)

    def action_page(self, direction: int) -> None:
        self.action_step(direction * max(self.scrollable_content_region.height, 1))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= self.scroll_offset.y + offset.y < len(self.prompts):
            self._choose(self.scroll_offset.y + offset.y)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()  # focus changed the highlighted line's colours

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        if not 0 <= index < len(self.prompts):
            return Strip.blank(width, style.rich_style)
        line = self.prompts[index].truncate(width, ellipsis=True, pad=True)
        if index == self.highlighted:
            line = line.stylize_before(self.get_visual_style("finding-list--highlighted"))
        return Strip(line.render_segments(style), width)
