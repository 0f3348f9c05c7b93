"""The plan as fields: static size, mode (auto / high / fixed @base), low size, CMA size.

Sizes take units (``256M``, ``1.5G``, ``0x10000000``). A typed value is kept exactly as typed
(the kernel accepts any size; a misaligned base is the checks' business, not the editor's).
The editor never changes the plan itself: it posts :class:`PlanEditor.Edited` and the screen
decides.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Input

from crashmap.app.evaluation import Evaluation
from crashmap.app.widgets.frame import Framed
from crashmap.app.widgets.mode_switch import ModeSwitch
from crashmap.app.widgets.panel import PanelReady
from crashmap.arch import Arch
from crashmap.kernel.target import TargetKernel
from crashmap.plan import Plan
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


class PlanEditor(Vertical, Framed):
    """Fields for every part of the plan, and where the simulator puts each block. The fields
    are laid out in a grid of two columns; the editor draws their names, and under them the
    outcome and placement lines, itself (:meth:`render`).
    """

    DEFAULT_CSS = """
    PlanEditor {
        layout: grid;
        grid-size: 2;
        grid-columns: 16 1fr;
        grid-rows: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .plan-editor--label { color: $text-muted; }
        & > .plan-editor--placements { color: $text-muted; }
        & > Input { margin-left: 7; }
        & > Input.-second { margin-left: 6; }
        .plan-size { width: 9; }
        #plan-kernel { width: 1fr; min-width: 7; }
        #plan-kernel.-assumed { color: $warning; }
        #plan-mode { margin-left: 1; }
        Input.-invalid { color: $error; text-style: bold; }
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

    def compose(self) -> ComposeResult:
        yield Input(placeholder="256M", id="plan-size", compact=True, classes="plan-size")
        yield ModeSwitch(id="plan-mode")
        yield Input(placeholder="auto", id="plan-base", compact=True, classes="plan-size")
        yield Input(placeholder=format_mib(self.arch.default_low) or "none", id="plan-low",
                    compact=True, classes="plan-size -second")
        yield Input(placeholder="0", id="plan-cma", compact=True, classes="plan-size")
        kernel = Input(self.kernel.version_text if self.kernel else "", id="plan-kernel",
                       placeholder="version", compact=True, classes="-second",
                       tooltip=self._kernel_tooltip())
        kernel.set_class(self.kernel is not None and self.kernel.assumed, "-assumed")
        yield kernel

    def render(self) -> Content:
        """The fields' names, left of the fields (a grid of two columns: a name takes 7 cells
        of the first, 1 + 5 of the second), then a blank line, the outcome and one line per
        placed block. Drawn here rather than by Labels and Statics: each widget more is
        ~30 KiB, and a message round on every frame."""
        style = self.get_visual_style("plan-editor--label", partial=True)

        def names(first: str, second: str = "") -> Content:
            if not second:
                return Content.styled(first, style)
            return Content.assemble((first, style), " " * (17 - len(first)), (second, style))

        lines = [names("Static"), names("Base", "Low"), names("CMA", "Kern"), Content("")]
        if self.evaluation is not None:
            placements = self.get_visual_style("plan-editor--placements", partial=True)
            lines.append(outcome_line(self.evaluation))
            lines.extend(Content.styled(line, placements)
                         for line in self.placements(self.evaluation).splitlines())
        return Content("\n").join(lines)

    @property
    def outcome_lines(self) -> list[str]:
        """The outcome and placement lines as drawn (the text under the fields)."""
        return [line.plain for line in self.render().split("\n")[self.FIELD_ROWS + 1:]]

    def on_mount(self) -> None:
        self.border_title = "Plan"
        self.post_message(PanelReady())

    def _kernel_tooltip(self) -> str:
        if self.kernel is None:
            return "The kernel that will boot next"
        return (f"Predicting for {self.kernel.describe()}. Type another version (7.3.4, "
                f"6.17.2-300.fc43, 4.18.0-553.el8_10) and Enter; empty: the snapshot's.")

    def show(self, plan: Plan, evaluation: Evaluation, *, light: bool = False) -> None:
        """Reflect ``plan`` in the fields (without echoing Changed messages back).

        ``light``: only the placement lines (fields need a relayout; they follow on release).
        Before the editor is mounted (a key pressed while the panels mount) only the plan is
        kept: its ``PanelReady`` brings the screen back to fill the fields.
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
        for field in ("plan-size", "plan-base", "plan-low", "plan-cma"):
            self._set(f"#{field}", self._text_of(field))
        self.query_one(ModeSwitch).value = plan.mode
        self.query_one("#plan-low", Input).disabled = plan.mode != "high"
        self.query_one("#plan-base", Input).disabled = plan.mode != "fixed"
        self.query_one("#plan-cma", Input).disabled = not self.arch.cma and not plan.cma

    _lines: tuple[str | None, str | None] = (None, None)
    """The outcome and the placement lines shown."""

    def _set(self, selector: str, text: str) -> None:
        field = self.query_one(selector, Input)
        if field.has_focus or field.value == text:
            return  # never overwrite what the user is typing
        with field.prevent(Input.Changed):
            field.value = text
        field.remove_class("-invalid")

    @staticmethod
    def placements(evaluation: Evaluation) -> str:
        """One line per block: what, how big, where (or where it was asked for)."""
        lines = []
        for block in evaluation.blocks:
            where = f"wanted @ {block.start:#x}" if block.ghost else f"@ {block.start:#x}"
            lines.append(f"{block.tag:<5} {format_size(block.size):>9} {where}")
        return "\n".join(lines)

    # --- edits --------------------------------------------------------------------------------

    @on(Input.Submitted, "#plan-kernel")
    def _kernel_done(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        current = self.kernel.version_text if self.kernel is not None else ""
        if self.kernel is not None and text == current and not self.kernel.assumed:
            self.post_message(self.Done(self))
            return
        self.post_message(self.KernelChanged(self, text))
        self.post_message(self.Done(self))

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _field_done(self, event: Input.Submitted | Input.Blurred) -> None:
        field = event.input
        if field.id == "plan-kernel":
            return
        plan = self._read(field)
        if plan is not None and plan != self.plan:
            self.post_message(self.Edited(self, plan))
        if isinstance(event, Input.Submitted) and not field.has_class("-invalid"):
            self.post_message(self.Done(self))

    def action_leave(self) -> None:
        """Forget what was typed and go back to the map."""
        focused = self.screen.focused
        if isinstance(focused, Input):
            with focused.prevent(Input.Changed):
                focused.value = self._text_of(focused.id or "")
            focused.remove_class("-invalid")
        self.post_message(self.Done(self))

    def _text_of(self, field_id: str) -> str:
        """What field ``field_id`` shows for the current plan."""
        plan = self.plan
        if field_id == "plan-size":
            return size_text(plan.size)
        if field_id == "plan-base":
            return size_text(plan.base) if plan.mode == "fixed" else ""
        if field_id == "plan-low":
            return size_text(plan.low) if plan.mode == "high" else ""
        if field_id == "plan-cma":
            return size_text(plan.cma) if plan.cma else ""
        if field_id == "plan-kernel":
            return self.kernel.version_text if self.kernel is not None else ""
        return ""

    def _read(self, field: Input) -> Plan | None:
        text = field.value.strip()
        try:
            value = parse_size(text) if text else None
        except ValueError as error:
            field.add_class("-invalid")
            self.notify(str(error), severity="error", title="Plan")
            return None
        field.remove_class("-invalid")
        plan = self.plan
        if field.id == "plan-size":
            return replace(plan, size=value or 0)
        if field.id == "plan-cma":
            return replace(plan, cma=value or 0)
        if field.id == "plan-low":
            return replace(plan, low=value)
        if field.id == "plan-base":
            if value is None:
                return plan.unpinned()
            return replace(plan, mode="fixed", base=value, low=None)
        return None

    @on(ModeSwitch.Changed)
    def _mode_changed(self, event: ModeSwitch.Changed) -> None:
        mode = event.mode
        plan = self.plan
        if mode == plan.mode:
            return
        if mode == "auto":
            new = replace(plan.unpinned(), low=None)
        elif mode == "high":
            new = plan.unpinned().toggled_high() if plan.mode != "high" else plan
        else:
            main = self.evaluation.block("main") if self.evaluation else None
            new = plan.pinned(main.start if main else plan.base or 0, self.arch)
        self.post_message(self.Edited(self, new))
