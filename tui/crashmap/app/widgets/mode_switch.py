"""A one-line choice of the static block's mode: ``auto`` · ``high`` · ``fixed``."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from crashmap.plan import Mode

MODES: tuple[Mode, ...] = ("auto", "high", "fixed")


class ModeSwitch(Widget, can_focus=True):
    """Click a mode, or move with left/right; the current one is shown reversed ``[like this]``.

    | Key | Does |
    | --- | --- |
    | left / right | previous / next mode |
    """

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous mode", show=False),
        Binding("right,space", "step(1)", "Next mode", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"mode-switch--current"}
    DEFAULT_CSS = """
    ModeSwitch {
        width: auto;
        height: 1;
        & > .mode-switch--current { text-style: bold reverse; }
        &:focus > .mode-switch--current { background: $accent; color: $text; }
    }
    """

    value: reactive[Mode] = reactive("auto", init=False)
    """The mode shown as chosen (set by the owner; the user's choice posts ``Changed``)."""

    class Changed(Message):
        """The user chose ``mode``."""

        def __init__(self, switch: ModeSwitch, mode: Mode) -> None:
            super().__init__()
            self.switch = switch
            self.mode = mode

        @property
        def control(self) -> ModeSwitch:
            return self.switch

    def render(self) -> Content:
        current = self.get_visual_style("mode-switch--current", partial=True)
        parts = [Content.styled(f" {m} ", current) if m == self.value else Content(f" {m} ")
                 for m in MODES]
        return Content("").join(parts)

    def _choose(self, mode: Mode) -> None:
        if mode != self.value:
            self.value = mode
            self.post_message(self.Changed(self, mode))

    def action_step(self, delta: int) -> None:
        self._choose(MODES[(MODES.index(self.value) + delta) % len(MODES)])

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        edge = 0
        for mode in MODES:
            edge += len(mode) + 2
            if offset.x < edge:
                self._choose(mode)
                return
