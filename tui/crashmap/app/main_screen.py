"""The main screen: the map, the resource tree, the plan, the findings and the resulting words.

The screen owns the single editable state, :attr:`MainScreen.plan`. Widgets post what the user
did (a drag step, a typed field, a picked block); the screen turns it into a new plan, keeps the
undo history, and every change re-runs the simulator and the checks (:func:`evaluate`) and pushes
the result down to the widgets.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from crashmap.app.compositor import SparseCompositor
from crashmap.app.evaluation import (
    DEFAULT_PLAN,
    Evaluation,
    MapContext,
    dragged_plan,
    evaluate,
    with_findings,
)
from crashmap.app.widgets.detail_grid import DetailGrid
from crashmap.app.widgets.header_bar import HeaderBar
from crashmap.app.widgets.key_bar import KeyBar
from crashmap.app.widgets.memory_map import MemoryMap
from crashmap.app.widgets.panel import PanelReady
from crashmap.app.widgets.summary_bar import SummaryBar
from crashmap.arch import fadump_supported
from crashmap.mapscale import Overlay
from crashmap.plan import Block, Plan
from crashmap.units import MiB, format_size

if TYPE_CHECKING:
    from textual.widget import Widget

    from crashmap.app.learn.lessons import Lesson
    from crashmap.app.widgets.findings_panel import FindingsPanel
    from crashmap.app.widgets.lesson_panel import LessonPanel
    from crashmap.app.widgets.plan_editor import PlanEditor
    from crashmap.app.widgets.resource_tree import ResourceTree
    from crashmap.checks import Finding

BLOCKS: tuple[Block, ...] = ("main", "low", "cma")
"""The plan's blocks, in the order ``b`` cycles through them."""
DEFAULT_CMA = 512 * MiB
"""The CMA size ``c`` turns on when the plan had none before."""
UNDO_LIMIT = 200
"""Plans kept for undo."""


def overlays_of(evaluation: Evaluation) -> tuple[Overlay, ...]:
    """The predicted blocks as map overlays (one that cannot be placed is drawn ``failed``)."""
    return tuple(
        Overlay(b.start, b.end, "failed" if b.ghost else b.block, b.tag) for b in evaluation.blocks
    )


class Panels(Horizontal):
    """The row of tree, plan editor and findings. ``BLANK``: its children cover it, so it draws
    one shared blank line per frame instead of caching its own (and their cut pieces)."""

    BLANK = True


class MainScreen(Screen[None]):
    """Map, tree, plan editor, findings and the resulting ``crashkernel=`` words."""

    BLANK = True
    """Its children cover the whole screen: no lines of its own to keep (see :class:`Panels`)."""

    KEYS_WHEN_ROOM: ClassVar[tuple[str, ...]] = ("verify", "estimate", "learn")
    """Hidden keys the footer draws after the others where the line has room (160 columns)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "select_block('main')", "Select main block", show=False),
        Binding("2", "select_block('low')", "Select low block", show=False),
        Binding("3", "select_block('cma')", "Select CMA block", show=False),
        Binding("b", "next_block", "Select next block", show=False),
        Binding("plus,equals_sign,right_square_bracket", "resize(1)", "Grow", key_display="+",
                tooltip="Grow the selected block by one step"),
        Binding("minus,left_square_bracket", "resize(-1)", "Shrink", key_display="-",
                tooltip="Shrink the selected block by one step"),
        Binding("right_curly_bracket", "resize(16)", "Grow ×16", show=False),
        Binding("left_curly_bracket", "resize(-16)", "Shrink ×16", show=False),
        Binding("p", "pin", "Pin",
                tooltip="Pin the main block where it lands (crashkernel=SIZE@BASE), or unpin it"),
        Binding("l", "move(1)", "Move pinned block up", show=False),
        Binding("h", "move(-1)", "Move pinned block down", show=False),
        Binding("greater_than_sign", "move(16)", "Move up ×16", show=False),
        Binding("less_than_sign", "move(-16)", "Move down ×16", show=False),
        Binding("H", "toggle_high", "High",
                tooltip="Toggle ,high: the main block above the low limit, with a low companion"),
        Binding("c", "toggle_cma", "CMA",
                tooltip="Toggle a ,cma reservation (memory the system keeps using until a crash)"),
        Binding("d", "cycle_fadump", "fadump",
                tooltip="Cycle fadump= off → on → nocma: firmware-assisted dump (IBM Power)"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("ctrl+r,ctrl+y", "redo", "Redo", show=False),
        Binding("z", "zoom(0.5)", "Zoom", tooltip="Zoom the map in around the block or cursor"),
        Binding("Z", "zoom(2)", "Zoom out", show=False),
        Binding("0", "zoom_reset", "Zoom to the plan", show=False),
        Binding("f", "zoom_block", "Zoom to block", show=False),
        Binding("t", "toggle_tree", "Tree", show=False),
        Binding("i", "toggle_lesson", "Lesson", show=False,
                tooltip="Show or hide the lesson beside the map (--lesson)"),
    ]
    """Plan editing and map keys; app-wide keys (help, open, export...) are on the app.

    Tooltips name no constant: :meth:`binding_tooltip` adds this map's (the step, the limit)."""

    NARROW = 120
    """Below this many columns (beside the lesson panel, if shown) the screen is ``-narrow``:
    the resource tree hides (``t`` shows it). Set from the start and on resize, not with
    HORIZONTAL_BREAKPOINTS: that adds the class after the first layout and restyles the whole
    screen before the first frame."""

    TINY = 60
    """Below this many columns the screen is also ``-tiny`` (toasts take the whole width)."""
    SHORT = 18
    """Below this many lines the screen is ``-short``: the panel row hides, so the header, the
    map, the words and the keys still fit (the screen would scroll them out of sight)."""

    plan: var[Plan] = var(DEFAULT_PLAN, init=False)
    """The single editable state. Every change re-runs the simulator and the checks.

    A ``var``: the watcher pushes the result into the widgets, which repaint only what changed
    (a repainting reactive would redraw the whole screen on every drag step)."""
    selected: var[Block] = var("main", init=False)
    """The block that keys resize and whose edges the map draws."""

    def __init__(self, ctx: MapContext, plan: Plan, *, banner: str | None = None,
                 lesson: Lesson | None = None) -> None:
        super().__init__(classes=self._width_class(lesson is not None))
        self._compositor = SparseCompositor()  # a drag step renders only what it changed
        self.ctx = ctx
        self.banner = banner
        self.lesson = lesson
        """The lesson shown beside the map (``--lesson``), or None."""
        self._lesson_shown = lesson is not None
        self.set_reactive(MainScreen.plan, plan)
        self.evaluation: Evaluation = evaluate(ctx, plan, check=False)
        """What the domain says about :attr:`plan` (kept in step by :meth:`watch_plan`; the
        checks join once the first frame is out)."""
        self.undo_stack: list[Plan] = []
        self.redo_stack: list[Plan] = []
        self.finding: Finding | None = None
        """The finding highlighted in the findings panel."""
        self._drag_origin: tuple[Plan, Evaluation] | None = None
        self._findings_due = False
        """A drag step's checks run once its frame is out."""
        self._reported: Block | None = None
        """The block whose drag report the status line shows once the step's frame is out."""
        self._frozen = False
        """A drag froze the collector's generations (:func:`gc.freeze`): a full collection
        walks every object of a large map, tens of milliseconds in one step."""
        self._collecting = False
        """The drag turned the automatic collector off: the young objects are collected after
        each step's frame instead (:meth:`_add_findings`), never in the middle of a step."""
        self._found: dict[str, Widget | None] = {}
        """Widgets looked up by :meth:`_mounted`."""
        self._cma_memory = DEFAULT_CMA
        self._tree_shown: bool | None = None

    def compose(self) -> ComposeResult:
        if self.lesson is not None:
            from crashmap.app.widgets.lesson_panel import LessonPanel

            panel = LessonPanel(self.lesson, id="lesson")
            panel.display = self._lesson_shown
            size = self._app_size()
            panel.styles.width = self._lesson_width(size[0] if size else None)
            yield panel
        yield HeaderBar(self.ctx, id="header")
        if self.banner:
            yield Static(self.banner, id="banner", markup=False)
        yield MemoryMap(self.ctx, id="map")
        yield Panels(id="panels")  # filled after the first frame: the map shows at once
        yield SummaryBar(id="summary")

    def _app_size(self) -> tuple[int, int] | None:
        try:
            width, height = self.app.size
        except Exception:  # no app yet (constructed outside one)
            return None
        return width, height

    def _width_class(self, lesson: bool = False) -> str:
        """The size classes from the start (see :attr:`NARROW`)."""
        size = self._app_size()
        if size is None:
            return "-wide"
        width, height = size
        beside = width - (self._panel_width(width) if lesson else 0)
        classes = ["-narrow" if beside < self.NARROW else "-wide"]
        classes += ["-tiny"] if width < self.TINY else []
        classes += ["-short"] if height < self.SHORT else []
        return " ".join(classes)

    @staticmethod
    def _panel_width(columns: int) -> int:
        from crashmap.app.widgets.lesson_panel import panel_width

        return panel_width(columns)

    def _lesson_width(self, columns: int | None) -> int:
        """Columns the lesson panel takes (0: no lesson, or hidden)."""
        if not self._lesson_shown or columns is None:
            return 0
        return self._panel_width(columns)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_size(event.size.width, event.size.height)

    def _fit_size(self, columns: int, lines: int) -> None:
        lesson = self._lesson_width(columns)
        for panel in self.query("#lesson"):
            panel.styles.width = lesson or None
        narrow = columns - lesson < self.NARROW
        self.set_class(narrow, "-narrow")
        self.set_class(not narrow, "-wide")
        self.set_class(columns < self.TINY, "-tiny")
        self.set_class(lines < self.SHORT, "-short")

    def on_mount(self) -> None:
        self._composed()

    def first_frame_out(self) -> None:
        """The app's first frame is on the terminal (``Ready``): mount the other panels."""
        self.call_after_refresh(self._mount_panels)

    def _composed(self) -> None:
        self.query_one("#map").border_title = "Map"
        self.refresh_views()
        self.query_one(DetailGrid).focus()

    async def show_map(self, ctx: MapContext, plan: Plan) -> None:
        """Replace the map (another source was opened): new plan, fresh history."""
        self.ctx, self.banner, self.finding = ctx, None, None
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._drag_ended()
        self.set_reactive(MainScreen.plan, plan)
        self.set_reactive(MainScreen.selected, "main")
        self.evaluation = evaluate(ctx, plan, check=False)
        await self.recompose()
        self._composed()
        self.call_after_refresh(self._mount_panels)
        self.refresh_bindings()

    async def retarget(self, ctx: MapContext) -> None:
        """The same map planned for another kernel: the plan and its history stay."""
        self.ctx, self.finding = ctx, None
        self._drag_ended()
        self.evaluation = evaluate(ctx, self.plan)
        await self.recompose()
        self._composed()
        self.call_after_refresh(self._mount_panels)
        self.refresh_bindings()

    async def _mount_panels(self) -> None:
        """The tree, the plan fields, the findings and the footer, mounted once the first frame
        is out (each widget costs about a millisecond to mount: the map shows first)."""
        panels = self.query_one("#panels")
        if not panels.is_attached or self.app._exit:  # quitting before the first frame
            return
        if panels.children:  # already mounted (a second Ready, or a map opened meanwhile)
            return
        from crashmap.app.widgets.findings_panel import FindingsPanel
        from crashmap.app.widgets.plan_editor import PlanEditor
        from crashmap.app.widgets.resource_tree import ResourceTree

        if not self.evaluation.checked:
            self.evaluation = evaluate(self.ctx, self.plan)
        await panels.mount_all([
            ResourceTree(self.ctx.snapshot.parsed, id="tree"),
            PlanEditor(self.ctx.arch, id="plan", kernel=self.ctx.kernel),
            FindingsPanel(id="findings"),
        ])
        if not self.query(KeyBar):
            await self.mount(KeyBar())
            self.refresh_bindings()  # a footer mounted late waits for this signal to show keys

    @on(PanelReady)
    def _panel_ready(self) -> None:
        self.refresh_views()

    def footer_hidden(self, binding: Binding) -> bool:
        """Keys the footer leaves out on this map (they stay in the palette and still answer):
        fadump's off ppc64le, unless the plan has fadump from its command line."""
        if binding.action != "cycle_fadump" or self.plan.fadump != "off":
            return False
        return not fadump_supported(self.ctx.arch)

    def binding_tooltip(self, binding: Binding) -> str | None:
        """A key's tooltip for the palette and the footer, with the constants of this map's
        arch (its step sizes, its low limit) where the tooltip speaks of them."""
        arch, tooltip = self.ctx.arch, binding.tooltip or None
        if binding.action in ("resize(1)", "resize(-1)"):
            step = f"{format_size(arch.crash_align)} (CRASH_ALIGN on {arch.name})"
            if arch.cma:
                step += f", {format_size(arch.pageblock)} for CMA (a pageblock)"
            verb = "Grow" if binding.action == "resize(1)" else "Shrink"
            return f"{verb} the selected block by one step: {step}"
        if binding.action == "toggle_high":
            if not arch.high_low:
                return f"Toggle ,high ({arch.name} does not read ,high)"
            limit = self.ctx.boundary
            where = f"above {format_size(limit)} (CRASH_ADDR_LOW_MAX here)" if limit else "high"
            low = format_size(self.ctx.placement.default_low)
            return f"Toggle ,high: the main block {where}, with a {low} low companion"
        if binding.action == "cycle_fadump":
            from crashmap.kernel import fadump

            if not fadump.supported(arch):
                return (f"fadump= (firmware-assisted dump): IBM Power firmware only, not "
                        f"{arch.name}")
            return (f"Cycle fadump= (now {self.plan.fadump}): off → on → nocma; the firmware "
                    f"saves the dump and crashkernel= sizes the boot memory it preserves")
        return tooltip

    # --- state --------------------------------------------------------------------------------

    def apply(self, plan: Plan, *, record: bool = True) -> None:
        """Make ``plan`` current; ``record`` puts the old one on the undo stack."""
        if plan == self.plan:
            return
        if record:
            self._push_undo(self.plan)
        self.plan = plan

    def _push_undo(self, plan: Plan) -> None:
        self.undo_stack.append(plan)
        del self.undo_stack[:-UNDO_LIMIT]
        self.redo_stack.clear()
        self.refresh_bindings()

    def watch_plan(self, plan: Plan) -> None:
        dragging = self._drag_origin is not None
        self.evaluation = evaluate(self.ctx, plan, check=not dragging)
        self.refresh_views(light=dragging)
        self._findings_due = dragging  # a drag step's findings follow its frame

    def _compositor_refresh(self) -> None:
        """Draw a frame; then check a drag step's plan (steps drawn meanwhile are skipped).

        Not ``call_after_refresh``: queued from a handler, it runs before the widgets have
        asked for the frame."""
        super()._compositor_refresh()
        if self._findings_due:
            self._findings_due = False
            self.call_later(self._add_findings)

    def _add_findings(self) -> None:
        """The checks' findings, the plan editor's lines and the status line's report for the
        plan drawn last, one frame after the map and words (a step's frame draws only those)."""
        if self._collecting:
            gc.collect(0)  # the step's young garbage, between frames (~100 cyclic objects)
        self._say_report()
        if self.evaluation.checked:
            return
        self.evaluation = with_findings(self.ctx, self.evaluation)
        light = self._drag_origin is not None
        editor, panel = self._mounted("#plan"), self._mounted("#findings")
        if editor is not None:
            editor.show(self.plan, self.evaluation, light=light)  # type: ignore[attr-defined]
        if panel is not None:
            panel.show(self.evaluation.findings, light=light)  # type: ignore[attr-defined]

    def watch_selected(self) -> None:
        self.refresh_map()

    def refresh_views(self, *, light: bool = False) -> None:
        """Push the current evaluation into every widget.

        ``light`` (drag steps): the map and the words only; the plan editor's outcome and
        placement lines and the findings text follow one frame later (:meth:`_add_findings`),
        the fields and the explanation on release.
        """
        evaluation = self.evaluation
        editor, panel = self._mounted("#plan"), self._mounted("#findings")
        if editor is not None and not light:  # the panels may not be mounted yet
            editor.show(self.plan, evaluation)  # type: ignore[attr-defined]
        if panel is not None and evaluation.checked:
            panel.show(evaluation.findings, light=light)  # type: ignore[attr-defined]
        self._mounted("#summary").show(evaluation)  # type: ignore[union-attr]
        self.refresh_map()

    def _mounted(self, selector: str) -> Widget | None:
        """The mounted widget ``selector`` names, or None; kept until it is replaced (a query
        walks and matches the whole screen, twice a drag step for each panel)."""
        widget = self._found.get(selector)
        if widget is None or not widget.is_attached:
            widget = self._found[selector] = next(iter(self.query(selector)), None)
        return widget

    def refresh_map(self) -> None:
        finding = self.finding
        highlight = None
        if finding is not None and finding.range is not None:
            highlight = (finding.range.start, finding.range.end)
        self._mounted("#map").set_plan(  # type: ignore[union-attr]
            overlays_of(self.evaluation), self.selected, highlight,
            refocus=self._drag_origin is None)

    # --- messages from the widgets ------------------------------------------------------------

    @on(DetailGrid.BlockPicked)
    def _block_picked(self, event: DetailGrid.BlockPicked) -> None:
        self.selected = event.block
        if event.dragging:
            self._drag_origin = (self.plan, self.evaluation)
            if not self._frozen:  # no full collection over the map's objects mid-drag
                self._frozen = True
                gc.freeze()
            if gc.isenabled():
                self._collecting = True
                gc.disable()

    def _drag_ended(self) -> None:
        """The drag is over (released, or the map replaced): objects collect as before."""
        self._drag_origin = None
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
        if self._collecting:
            self._collecting = False
            gc.enable()

    @on(DetailGrid.BlockDragged)
    def _block_dragged(self, event: DetailGrid.BlockDragged) -> None:
        event.stop()  # the app has nothing to do with it
        origin_plan, origin = self._drag_origin or (self.plan, self.evaluation)
        new = dragged_plan(origin_plan, origin, event.block, event.grip, event.delta,
                           self.ctx.arch)
        if new is None:
            if event.final:
                self._explain_fixed_block(event.block, event.grip)
        else:
            self.apply(new, record=False)
            self._reported = event.block  # the status line follows the step's frame
            if event.final:
                self._say_report()
        if event.final:
            self._drag_ended()
            self.evaluation = with_findings(self.ctx, self.evaluation)  # current on release
            if self.plan != origin_plan:
                self._push_undo(origin_plan)
            self.refresh_views()

    def _say_report(self) -> None:
        """Put :meth:`_drag_report` of the block dragged last on the status line."""
        if self._reported is not None:
            self._mounted("#map").say(  # type: ignore[union-attr]
                self._drag_report(self._reported))
            self._reported = None

    def _drag_report(self, block: Block) -> str:
        """What the drag did so far, for the status line: size, and where the kernel puts it."""
        size = format_size(self.plan.size_of(block, self.ctx.arch))
        placed = self.evaluation.blocks_of(block)
        if not placed or placed[0].ghost:
            return f"{block} {size}: {self.evaluation.outcome} — see the findings"
        where = f"{placed[0].start:#x}–{placed[-1].end - 1:#x}"
        how = "pinned" if block == "main" and self.plan.mode == "fixed" else \
            "placed by the kernel (top-down)" if block != "cma" else self._cma_how()
        return f"{block} {size} at {where}, {how} · {self.evaluation.cmdline}"

    def _cma_how(self) -> str:
        """How the kernel placed the CMA areas: bottom-up from 4 GiB when RAM reaches past
        4 GiB + size, else top-down (the simulator's attempts say which it was)."""
        placement = self.evaluation.placement
        attempts = placement.cma.attempts if placement is not None else ()
        placed = [a for a in attempts if a.found is not None]
        if placed and all(a.bottom_up for a in placed):
            return f"placed bottom-up from {format_size(placed[0].lo)}"
        return "placed by the kernel (top-down)"

    def _explain_fixed_block(self, block: Block, grip: str) -> None:
        if block == "low" and self.plan.mode != "high":
            self.notify("This low block is the kernel's default companion: switch to ,high (H) "
                        "to choose its size.", title="Low block")
        elif grip == "body" and block != "main":
            self.notify("The kernel places low and CMA blocks itself: drag an edge to resize.",
                        title="Move")

    # The panels' modules load after the first frame: their messages are handled by name.

    def on_plan_editor_done(self, event: PlanEditor.Done) -> None:
        self.query_one(DetailGrid).focus()

    def on_plan_editor_edited(self, event: PlanEditor.Edited) -> None:
        self.apply(event.plan)

    def on_findings_panel_selected(self, event: FindingsPanel.Selected) -> None:
        self.finding = event.finding
        self.refresh_map()
        finding = event.finding
        panel = self.query_one("#findings")
        if finding is not None and finding.range is not None and panel.has_focus_within:
            self.query_one(MemoryMap).ensure_visible(finding.range.start, finding.range.end)

    def on_resource_tree_highlighted(self, event: ResourceTree.Highlighted) -> None:
        from crashmap.app.widgets.resource_tree import describe  # loaded with the tree

        if event.control.has_focus:
            self.query_one(MemoryMap).say(describe(event.resource))

    def on_resource_tree_selected(self, event: ResourceTree.Selected) -> None:
        self.query_one(MemoryMap).zoom_to(event.resource.start, event.resource.end)

    # --- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_lesson" and self.lesson is None:
            return False
        if action == "undo" and not self.undo_stack:
            return None
        if action == "redo" and not self.redo_stack:
            return None
        return True

    def action_select_block(self, block: Block) -> None:
        self.selected = block
        if not self.evaluation.blocks_of(block):
            self.notify(f"The {block} block is not in this plan's placement.", timeout=3)

    def action_next_block(self) -> None:
        present = [b for b in BLOCKS if self.evaluation.blocks_of(b)] or list(BLOCKS)
        index = present.index(self.selected) if self.selected in present else -1
        self.selected = present[(index + 1) % len(present)]

    def action_resize(self, steps: int) -> None:
        block, plan, arch = self.selected, self.plan, self.ctx.arch
        if block == "low" and plan.mode != "high":
            self._explain_fixed_block("low", "end")
            return
        if block == "cma" and not arch.cma and not plan.cma:
            self.notify(self._no_cma(), severity="warning")
            return
        new = plan.resized(block, steps, arch)
        if block == "main" and new.size == 0:
            new = new.with_size("main", plan.step("main", arch), arch)
        self.apply(new)

    def action_pin(self) -> None:
        plan = self.plan
        if plan.mode == "fixed":
            self.apply(plan.unpinned())
            return
        main = self.evaluation.block("main")
        if main is None:
            self.notify("The main block has no place to pin: change its size first.",
                        severity="warning")
            return
        self.apply(plan.pinned(main.start, self.ctx.arch))
        self.selected = "main"

    def action_move(self, steps: int) -> None:
        plan = self.plan
        if plan.mode != "fixed" or plan.base is None:
            self.notify("Only a pinned block moves: press p to pin the main block first.",
                        timeout=3)
            return
        step = plan.step("main", self.ctx.arch)  # the one rule for step sizes
        self.apply(plan.pinned(max(0, plan.base + steps * step), self.ctx.arch))

    def action_toggle_high(self) -> None:
        if not self.ctx.arch.high_low and self.plan.mode != "high":
            self.notify(f"{self.ctx.arch.name} does not read crashkernel=…,high.",
                        severity="warning")
            return
        self.apply(self.plan.toggled_high())

    def action_cycle_fadump(self) -> None:
        """fadump off → on → nocma on ppc64le; elsewhere the refusal the checks give (a plan
        that has fadump from its command line can still be cycled off)."""
        from crashmap.kernel import fadump

        arch = self.ctx.arch
        if not fadump.supported(arch) and self.plan.fadump == "off":
            self.notify(fadump.refusal(arch), severity="warning")
            return
        plan = self.plan.cycled_fadump()
        while not fadump.supported(arch) and plan.fadump != "off":
            plan = plan.cycled_fadump()
        self.apply(plan)
        self.notify(f"fadump={plan.fadump}" + (
            ": the firmware saves the dump; crashkernel= now sizes its boot memory"
            if plan.fadump != "off" else ": kdump (a capture kernel loaded by kexec)"),
            timeout=3)

    def action_toggle_cma(self) -> None:
        plan = self.plan
        if plan.cma:
            self._cma_memory = plan.cma
            self.apply(plan.with_size("cma", 0, self.ctx.arch))
            return
        if not self.ctx.arch.cma:
            self.notify(self._no_cma(), severity="warning")
            return
        self.apply(plan.with_size("cma", self._cma_memory, self.ctx.arch))
        self.selected = "cma"

    def _no_cma(self) -> str:
        """Why ``c`` does nothing: the arch and kernel, and from which version it would."""
        from crashmap.kernel.versions import cma_rule

        arch, kernel = self.ctx.arch, self.ctx.kernel
        rule = cma_rule(arch) if arch.name != "i386" else None
        text = f"{kernel.name} on {arch.name} does not read crashkernel=…,cma"
        if rule is not None:
            return f"{text}: it does from Linux {rule.since_text} (K plans for another kernel)."
        return f"{text} on any kernel."

    def on_plan_editor_kernel_changed(self, event: PlanEditor.KernelChanged) -> None:
        self.app.set_kernel(event.text)  # type: ignore[attr-defined]

    def action_undo(self) -> None:
        if self.undo_stack:
            self.redo_stack.append(self.plan)
            self.plan = self.undo_stack.pop()
            self.refresh_bindings()

    def action_redo(self) -> None:
        if self.redo_stack:
            self.undo_stack.append(self.plan)
            self.plan = self.redo_stack.pop()
            self.refresh_bindings()

    def action_zoom(self, factor: float) -> None:
        grid = self.query_one(DetailGrid)
        center = grid.cursor_address
        if center is None:
            blocks = self.evaluation.blocks_of(self.selected)
            center = (blocks[0].start + blocks[-1].end) // 2 if blocks else None
        self.query_one(MemoryMap).zoom(factor, center)

    def action_zoom_reset(self) -> None:
        self.query_one(MemoryMap).reset_zoom()

    def action_zoom_block(self) -> None:
        blocks = self.evaluation.blocks_of(self.selected) or list(self.evaluation.blocks)
        if not blocks:
            self.notify("Nothing placed to zoom to.", timeout=3)
            return
        start, end = min(b.start for b in blocks), max(b.end for b in blocks)
        self.query_one(MemoryMap).zoom_to(start, end + (end - start) * 3)

    def action_toggle_tree(self) -> None:
        tree = next(iter(self.query("#tree")), None)
        if tree is None:  # not mounted yet (the first frame is still going out)
            return
        if self.has_class("-short"):
            self.notify(f"The panels need a terminal of at least {self.SHORT} lines.",
                        timeout=3)
            return
        shown = tree.display if self._tree_shown is None else self._tree_shown
        self._tree_shown = not shown
        tree.set_class(self._tree_shown, "-shown")
        tree.set_class(not self._tree_shown, "-hidden")
        self.set_class(self._tree_shown, "-tree-shown")  # narrow: in the findings' place
        if self._tree_shown:
            tree.focus()
        elif tree.has_focus:
            self.query_one(DetailGrid).focus()

    @property
    def lesson_shown(self) -> LessonPanel | None:
        """The lesson panel, when there is one and it is shown."""
        panel = next(iter(self.query("#lesson")), None)
        return panel if panel is not None and panel.display else None  # type: ignore[return-value]

    def action_toggle_lesson(self) -> None:
        panel = next(iter(self.query("#lesson")), None)
        if panel is None:
            return
        self._lesson_shown = not self._lesson_shown
        panel.display = self._lesson_shown
        self._fit_size(*self.size)
