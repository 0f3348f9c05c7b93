"""The plan as fields: static size, mode (auto / high / fixed @base), low size, CMA size, and
the kernel it is for.

Sizes take units (``256M``, ``1.5G``, ``0x10000000``). A typed value is kept exactly as typed
(the kernel accepts any size; a misaligned base is the checks' business, not the editor's).
The editor never changes the plan itself: it posts :class:`PlanEditor.Edited` and the screen
decides. It is one focusable widget that draws its fields (:mod:`plan_field`): tab and
shift+tab move between them and, past the first or the last, to the next panel.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message

from crashmap.app.evaluation import Evaluation
from crashmap.app.widgets.frame import Framed
from crashmap.app.widgets.panel import PanelReady
from crashmap.app.widgets.plan_field import FIELD, PLACEHOLDER, FieldState
from crashmap.arch import Arch
from crashmap.kernel.target import TargetKernel
from crashmap.plan import Mode, Plan
from crashmap.units import format_mib, format_size, parse_size

OUTCOME_WORDS = {
    "reserved": ("✓", "$success", "would reserve at boot"),
    "partially reserved": ("!", "$warning", "would reserve only part at boot"),
    "failed": ("✗", "$error", "would fail at boot: nothing reserved"),
    "nothing requested": ("·", "$text-muted", "reserves nothing (no crashkernel=)"),
    "not modelled": ("?", "$warning", "not modelled on this arch"),
}
"""The simulator's outcome in words: what these words would do at the next boot (the plan is
not what the machine has reserved now, which the header shows)."""


def outcome_line(evaluation: Evaluation) -> Content:
    """The simulator's verdict, e.g. ``✓ would reserve at boot``, ``✗ would fail at boot``."""
    outcome = evaluation.outcome
    mark, colour, words = OUTCOME_WORDS.get(outcome, ("✗", "$error", outcome))
    return Content.styled(f"{mark} {words}", f"bold {colour}")


def size_text(value: int | None) -> str:
    return "" if value is None else format_mib(value)


MODES: tuple[Mode, ...] = ("auto", "high", "fixed")

NAMES = (("Static", ""), ("Base", "Low"), ("CMA", "Kern"))
"""The fields' names by row: the first column's at x 0, the second's at x 17."""

LAYOUT: dict[str, tuple[int, int, int]] = {
    "size": (0, 7, 9), "mode": (0, 17, 19),
    "base": (1, 7, 9), "low": (1, 22, 9),
    "cma": (2, 7, 9), "kernel": (2, 22, 0),
}
"""Each field's row, first cell and width (0: to the right edge, at least 7 cells)."""

ORDER = tuple(LAYOUT)
"""Tab order."""


class PlanEditor(Framed, can_focus=True):
    """Fields for every part of the plan, and where the simulator puts each block under them.

    | Key | Does |
    | --- | --- |
    | tab / shift+tab | next / previous field (past the last or first: the next panel) |
    | left / right, home / end | move the cursor; in the mode field, the previous / next mode |
    | backspace / delete, ctrl+u / ctrl+k | delete a character, to the start / to the end |
    | enter | take the field's value and go back to the map |
    | escape | forget what was typed and go back to the map |
    """

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    PlanEditor {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .plan-editor--label { color: $text-muted; }
        & > .plan-editor--placements { color: $text-muted; }
    }
    """

    class Edited(Message):
        """The user typed or chose something: ``plan`` is what the fields now say."""

        def __init__(self, editor: PlanEditor, plan: Plan) -> None:
            super().__init__()
            self.editor = editor
            self.plan = plan

        @property
        def control(self) -> PlanEditor:
            return self.editor

    class KernelChanged(Message):
        """The Kernel field was submitted: ``text`` is the version typed ('' = the snapshot's)."""

        def __init__(self, editor: PlanEditor, text: str) -> None:
            super().__init__()
            self.editor = editor
            self.text = text

        @property
        def control(self) -> PlanEditor:
            return self.editor

    class Done(Message):
        """Enter or escape in a field: the user is back to the map."""

        def __init__(self, editor: PlanEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> PlanEditor:
            return self.editor

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the map", show=False),
        Binding("tab", "next_field(1)", "Next field", show=False),
        Binding("shift+tab", "next_field(-1)", "Previous field", show=False),
        Binding("left", "move(-1)", "Cursor left", show=False),
        Binding("right", "move(1)", "Cursor right", show=False),
        Binding("home,ctrl+a", "move(-1000)", "Cursor home", show=False),
        Binding("end,ctrl+e", "move(1000)", "Cursor end", show=False),
        Binding("backspace", "delete(-1)", "Delete left", show=False),
        Binding("delete,ctrl+d", "delete(1)", "Delete right", show=False),
        Binding("ctrl+u", "delete_to(0)", "Delete to start", show=False),
        Binding("ctrl+k", "delete_to(-1)", "Delete to end", show=False),
        Binding("enter", "submit", "Take the value", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"plan-editor--label", "plan-editor--placements"}
    FIELD_ROWS = 3
    """Lines the fields take; a blank line, then the outcome and the placements follow."""

    def __init__(self, arch: Arch, *, id: str | None = None, kernel: TargetKernel | None = None,
                 ) -> None:
        super().__init__(id=id)
        self.arch = arch
        self.kernel = kernel
        """The kernel the plan is for (shown in the Kernel field)."""
        self.plan = Plan()
        self.evaluation: Evaluation | None = None
        self.fields = {
            "size": FieldState("size", "256M"),
            "base": FieldState("base", "auto"),
            "low": FieldState("low", format_mib(arch.default_low) or "none"),
            "cma": FieldState("cma", "0"),
            "kernel": FieldState("kernel", "version", kernel.version_text if kernel else "",
                                 "$warning" if kernel is not None and kernel.assumed else ""),
        }
        """The text fields by key (``mode`` is drawn from the plan)."""
        self.current = "size"
        """The field the keyboard edits while the editor has the focus."""
        self.mode: Mode = "auto"
        """The mode shown as chosen."""

    # --- drawing ------------------------------------------------------------------------------

    def _width(self, key: str) -> int:
        _, x, width = LAYOUT[key]
        return width or max(self.content_size.width - x, 7)

    def _field(self, key: str) -> Content:
        editing = self.has_focus and key == self.current
        if key == "mode":
            current = "bold $text on $accent" if editing else "bold"
            return Content.assemble(*((f" {m} ", current if m == self.mode else "")
                                      for m in MODES))
        field = self.fields[key]
        if field.disabled:
            return Content.styled(field.placeholder.ljust(self._width(key)),
                                  f"{PLACEHOLDER} {FIELD}")
        return field.content(self._width(key), editing=editing)

    def render(self) -> Content:
        """The fields with their names (``LAYOUT``), then a blank line, the outcome and one line
        per placed block. Drawn here rather than by widgets: each widget more is ~40 KiB, and
        a message round on every frame."""
        style = self.get_visual_style("plan-editor--label", partial=True)
        lines = []
        for row, (first, second) in enumerate(NAMES):
            parts: list[Content | tuple[str, object] | str] = [(first, style)]
            at = len(first)
            for key, (field_row, x, _) in LAYOUT.items():
                if field_row != row:
                    continue
                if second and x == 22:
                    parts += [" " * (17 - at), (second, style)]
                    at = 17 + len(second)
                parts += [" " * (x - at), self._field(key)]
                at = x + self._width(key)
            lines.append(Content.assemble(*parts))  # type: ignore[arg-type]
        lines.append(Content(""))
        if self.evaluation is not None:
            placements = self.get_visual_style("plan-editor--placements", partial=True)
            lines.append(outcome_line(self.evaluation))
            lines.extend(Content.styled(line, placements)
                         for line in self.placements(self.evaluation).splitlines())
        return Content("\n").join(lines)

    def _refresh_fields(self) -> None:
        self.refresh(Region(0, 0, self.content_size.width, self.FIELD_ROWS))

    @property
    def outcome_lines(self) -> list[str]:
        """The outcome and placement lines as drawn (the text under the fields)."""
        return [line.plain for line in self.render().split("\n")[self.FIELD_ROWS + 1:]]

    def on_mount(self) -> None:
        self.border_title = "Plan"
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self.post_message(PanelReady())

    def _kernel_tooltip(self) -> str:
        if self.kernel is None:
            return "The kernel that will boot next"
        return (f"Predicting for {self.kernel.describe()}. Type another version (7.3.4, "
                f"6.17.2-300.fc43, 4.18.0-553.el8_10) and Enter; empty: the snapshot's.")

    def show(self, plan: Plan, evaluation: Evaluation, *, light: bool = False) -> None:
        """Reflect ``plan`` in the fields (never over what the user is typing).

        ``light``: only the placement lines (fields follow on release). Before the editor is
        mounted (a key pressed while the panels mount) only the plan is kept: its
        ``PanelReady`` brings the screen back to fill the fields.
        """
        self.plan, self.evaluation = plan, evaluation
        if not self.is_mounted:
            return
        lines = (evaluation.outcome, self.placements(evaluation))
        if lines != self._lines:  # a drag step repaints only what changed: the lines below
            below = self.FIELD_ROWS + 1
            self.refresh(Region(0, below, self.content_size.width,
                                max(self.content_size.height - below, 0)))
        self._lines = lines
        if light:
            return
        shown = (self.mode, *((f.value, f.disabled, f.invalid) for f in self.fields.values()))
        for key in ("size", "base", "low", "cma"):
            field = self.fields[key]
            text = self._text_of(key)
            if not (self.has_focus and key == self.current) and field.value != text:
                field.set(text)  # never overwrite what the user is typing
        self.mode = plan.mode
        self.fields["low"].disabled = plan.mode != "high"
        self.fields["base"].disabled = plan.mode != "fixed"
        self.fields["cma"].disabled = not self.arch.cma and not plan.cma
        if not self._usable(self.current):
            self.current = "size"
        if shown != (self.mode, *((f.value, f.disabled, f.invalid)
                                  for f in self.fields.values())):
            self._refresh_fields()

    _lines: tuple[str | None, str | None] = (None, None)
    """The outcome and the placement lines shown."""

    @staticmethod
    def placements(evaluation: Evaluation) -> str:
        """One line per block: what, how big, where (or where it was asked for)."""
        lines = []
        for block in evaluation.blocks:
            where = f"wanted @ {block.start:#x}" if block.ghost else f"@ {block.start:#x}"
            lines.append(f"{block.tag:<5} {format_size(block.size):>9} {where}")
        return "\n".join(lines)

    # --- focus and fields ---------------------------------------------------------------------

    def _usable(self, key: str) -> bool:
        return key == "mode" or not self.fields[key].disabled

    def edit(self, key: str) -> None:
        """Give the keyboard to field ``key`` (its text selected, as tab leaves it)."""
        if key != self.current:
            self._finish(self.current)
        self.current = key
        field = self.fields.get(key)
        if field is not None:
            field.cursor, field.selected = len(field.value), bool(field.value)
        if not self.has_focus:
            self._chosen = True  # the focus arriving must not pick another field
            self.focus()
        self._refresh_fields()

    _chosen = False

    def _focus_moved(self, old: object, new: object) -> None:
        """Tab from the panel before starts at the first field, shift+tab from the one after
        at the last (a click picks its field after this)."""
        if new is not self or old is None or self._chosen:
            self._chosen = False
            return
        chain = self.screen.focus_chain
        before = old in chain and chain.index(old) < chain.index(self)  # type: ignore[arg-type]
        usable = [key for key in ORDER if self._usable(key)]
        self.edit(usable[0] if before else usable[-1])

    def _on_blur(self, event: events.Blur) -> None:
        self._finish(self.current)
        self._refresh_fields()

    def action_next_field(self, step: int) -> None:
        usable = [key for key in ORDER if self._usable(key)]
        at = usable.index(self.current) if self.current in usable else 0
        if 0 <= at + step < len(usable):
            self.edit(usable[at + step])
        elif step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def _edited(self, changed: bool) -> None:
        if changed:
            self._refresh_fields()

    async def _on_key(self, event: events.Key) -> None:
        field = self.fields.get(self.current)
        if field is None and event.key == "space":  # the mode field
            event.stop()
            self.action_move(1)
        elif field is not None and event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self._edited(field.insert(event.character))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        field = self.fields.get(self.current)
        if field is not None and event.text:
            self._edited(field.insert(event.text.splitlines()[0]))

    def _field_at(self, event: events.MouseEvent) -> tuple[str, int] | None:
        """The field under the pointer and the cell of it, or None."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        for key, (row, x, _) in LAYOUT.items():
            if row == offset.y and x <= offset.x < x + self._width(key):
                return key, offset.x - x
        return None

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        under = self._field_at(event)
        tooltip = self._kernel_tooltip() if under and under[0] == "kernel" else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip

    async def _on_click(self, event: events.Click) -> None:
        under = self._field_at(event)
        if under is not None and self._usable(under[0]):
            key, cell = under
            self.edit(key)
            if key == "mode":
                self._choose_at(cell)
            else:
                self.fields[key].click(cell, self._width(key))
            self._refresh_fields()

    def _choose_at(self, x: int) -> None:
        edge = 0
        for mode in MODES:
            edge += len(mode) + 2
            if x < edge:
                self._choose(mode)
                return

    def action_move(self, delta: int) -> None:
        if self.current == "mode":
            if abs(delta) == 1:
                self._choose(MODES[(MODES.index(self.mode) + delta) % len(MODES)])
            return
        self.fields[self.current].move(delta)
        self._refresh_fields()

    def action_delete(self, direction: int) -> None:
        if self.current != "mode":
            self._edited(self.fields[self.current].delete(direction))

    def action_delete_to(self, end: int) -> None:
        if self.current != "mode":
            self._edited(self.fields[self.current].delete_to(end))

    # --- edits --------------------------------------------------------------------------------

    def action_submit(self) -> None:
        key = self.current
        if key == "mode":
            self.post_message(self.Done(self))
            return
        if key == "kernel":
            text = self.fields[key].value.strip()
            current = self.kernel.version_text if self.kernel is not None else ""
            if self.kernel is None or text != current or self.kernel.assumed:
                self.post_message(self.KernelChanged(self, text))
            self.post_message(self.Done(self))
            return
        self._finish(key)
        if not self.fields[key].invalid:
            self.post_message(self.Done(self))

    def _finish(self, key: str) -> None:
        """Take what field ``key`` says into the plan (posts ``Edited`` when it changes it)."""
        if key in ("mode", "kernel"):
            return
        plan = self._read(key)
        if plan is not None and plan != self.plan:
            self.post_message(self.Edited(self, plan))

    def action_leave(self) -> None:
        """Forget what was typed and go back to the map."""
        field = self.fields.get(self.current)
        if field is not None:
            field.set(self._text_of(self.current))
            self._refresh_fields()
        self.post_message(self.Done(self))

    def _text_of(self, key: str) -> str:
        """What field ``key`` shows for the current plan."""
        plan = self.plan
        if key == "size":
            return size_text(plan.size)
        if key == "base":
            return size_text(plan.base) if plan.mode == "fixed" else ""
        if key == "low":
            return size_text(plan.low) if plan.mode == "high" else ""
        if key == "cma":
            return size_text(plan.cma) if plan.cma else ""
        if key == "kernel":
            return self.kernel.version_text if self.kernel is not None else ""
        return ""

    def _read(self, key: str) -> Plan | None:
        field = self.fields[key]
        text = field.value.strip()
        try:
            value = parse_size(text) if text else None
        except ValueError as error:
            field.invalid = True
            self._refresh_fields()
            self.notify(str(error), severity="error", title="Plan")
            return None
        field.invalid = False
        plan = self.plan
        if key == "size":
            return replace(plan, size=value or 0)
        if key == "cma":
            return replace(plan, cma=value or 0)
        if key == "low":
            return replace(plan, low=value)
        if key == "base":
            if value is None:
                return plan.unpinned()
            return replace(plan, mode="fixed", base=value, low=None)
        return None

    def _choose(self, mode: Mode) -> None:
        plan = self.plan
        if mode == self.mode:
            return
        self.mode = mode
        self._refresh_fields()
        if mode == "auto":
            new = replace(plan.unpinned(), low=None)
        elif mode == "high":
            new = plan.unpinned().toggled_high() if plan.mode != "high" else plan
        else:
            main = self.evaluation.block("main") if self.evaluation else None
            new = plan.pinned(main.start if main else plan.base or 0, self.arch)
        if new != plan:
            self.post_message(self.Edited(self, new))
