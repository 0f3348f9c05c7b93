"""The crashmap Textual app: one main screen per loaded map, and the app-wide keys.

Public hooks (stable):

* :attr:`CrashmapApp.snapshot` — the :class:`~crashmap.snapshot.Snapshot` shown;
* :attr:`CrashmapApp.arch` — its :class:`~crashmap.arch.Arch`;
* :attr:`CrashmapApp.plan` — the current :class:`~crashmap.plan.Plan` (the state itself lives on
  :attr:`MainScreen.plan <crashmap.app.main_screen.MainScreen.plan>`);
* :meth:`CrashmapApp.load` — open another SOURCE; a bad one is reported and changes nothing;
* :meth:`CrashmapApp.set_kernel` — plan for another kernel (``K``, the plan's Kernel field);
* :attr:`CrashmapApp.lesson` — the :class:`~crashmap.app.learn.lessons.Lesson` shown beside the
  map (``--lesson``), or None.
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import Notification, SeverityLevel
from textual.screen import Screen

from crashmap.app import keys
from crashmap.app.evaluation import (
    MapContext,
    cmdline_note,
    context_for,
    inferred_start,
    initial_plan,
)
from crashmap.app.main_screen import MainScreen
from crashmap.arch import Arch
from crashmap.errors import CrashmapError
from crashmap.iomem import HIDDEN_MESSAGE
from crashmap.plan import Plan
from crashmap.snapshot import Snapshot

if TYPE_CHECKING:
    from textual.command import Provider

    from crashmap.app.learn.lessons import Lesson


def _inferred_note(ctx: MapContext, cmdline: str | None) -> str | None:
    """What to say when the plan starts from the reservation the map shows (no command line),
    or about the command line it starts from (:func:`cmdline_note`)."""
    if cmdline is not None:
        return cmdline_note(ctx, cmdline)
    inferred = inferred_start(ctx)
    if inferred is None:
        return None
    return (f"No command line in this source: the plan starts from the reservation the map "
            f"shows, {inferred.cmdline}.")


def crashmap_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens."""
    from crashmap.app.commands import CrashmapCommands

    return CrashmapCommands


class CrashmapApp(App[int]):
    """A terminal map of physical memory for planning ``crashkernel=`` reservations."""

    CSS_PATH = Path(__file__).with_name("crashmap.tcss")
    TITLE = "crashmap"
    COMMANDS = App.COMMANDS | {crashmap_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("e", "export", "Export"),
        Binding("o", "open_source", "Open"),
        Binding("L", "learn", "Learn", show=False),
        Binding("R", "ranges", "Range table", show=False),
        Binding("E", "estimate", "Estimate the size", show=False),
        Binding("V", "verify", "Verify", show=False,
                tooltip="Verify the box: configured, reserved, loaded and predicted side by side"),
        Binding("r", "reload", "Reload source", show=False),
        Binding("s", "save_snapshot", "Save snapshot", show=False),
        Binding("K", "kernel", "Kernel", show=False,
                tooltip="Plan for another kernel: the version that will boot next"),
        Binding("q", "quit", "Quit"),
    ]
    """App-wide keys; the plan and map keys are on :class:`MainScreen`."""

    def __init__(self, snapshot: Snapshot, *, source: str | None = None, banner: str | None = None,
                 cmdline: str | None = None, arch: str | None = None,
                 kernel: str | None = None, lesson: Lesson | None = None) -> None:
        super().__init__()
        keys.install()
        self.kernel_override = None
        """``--kernel`` or the Kernel field: the target kernel when not the snapshot's."""
        if kernel:
            from crashmap.kernel.target import parse_release

            self.kernel_override = parse_release(kernel)
        self.ctx: MapContext = context_for(snapshot, self.kernel_override)
        self.source = source or snapshot.source
        """The SOURCE that ``r`` reloads (``live`` even when the demo stands in for it)."""
        self.first_source = self.source
        """The SOURCE the app was started on: in a browser, the one path it may open."""
        self.arch_override = arch
        """``--arch``: applies to that SOURCE when it is reloaded."""
        self.lesson = lesson
        self.cmdline = cmdline if cmdline is not None else snapshot.cmdline
        """The command line the plan started from (``--cmdline``, else the map's own)."""
        self.banner = banner or _inferred_note(self.ctx, self.cmdline)
        self._first_plan = initial_plan(self.ctx, self.cmdline)

    @property
    def snapshot(self) -> Snapshot:
        return self.ctx.snapshot

    @property
    def arch(self) -> Arch:
        return self.ctx.arch

    @property
    def main_screen(self) -> MainScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    @property
    def plan(self) -> Plan:
        """The current plan (owned by the main screen)."""
        return self.main_screen.plan

    async def run_async(self, *args: Any, **kwargs: Any) -> int | None:
        """Run the app with the garbage collector paused until the first frame is out.

        Starting up allocates tens of thousands of objects; with Textual and the maps already
        in memory, each full collection then walks a large heap for nothing (they are all still
        in use). :meth:`on_ready` turns the collector back on.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return await super().run_async(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    def on_ready(self) -> None:
        """The first frame is out: collect again, and let the main screen fill its panels.

        Mounting them from here, not from the screen's own first refresh, keeps ``Ready``
        (the first frame) ahead of the tens of milliseconds their mounting takes."""
        gc.enable()
        self.main_screen.first_frame_out()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Show a toast, without piling them up: the same message again replaces its toast,
        and past :attr:`toast_limit` the oldest goes. No markup by default: a path or a resource
        name with brackets in it is shown as it is."""
        shown = list(self._notifications)  # Textual's store (private; expired ones are reaped)
        same = [n for n in shown if n.message == message and n.title == title]
        others = [n for n in shown if n not in same]
        for old in same + others[: max(0, len(others) - self.toast_limit + 1)]:
            self._drop_toast(old)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _drop_toast(self, notification: Notification) -> None:
        """Forget a notification and take its toast away with the toast's holder (Textual's rack
        removes only the toast: the empty holders left behind push the newest out of sight)."""
        self._unnotify(notification, refresh=False)
        for rack in self.screen.query("ToastRack"):
            holder = next((h for h in rack.children
                           if h.id == f"--textual-toast-{notification.identity}"), None)
            if holder is not None:
                holder.remove()

    @property
    def toast_limit(self) -> int:
        """Toasts shown at once: as many as fit above the words and totals (one at 40×12)."""
        height = self.size.height
        return 1 if height < 20 else 2 if height < 40 else 3

    def get_key_display(self, binding: Binding) -> str:
        return keys.key_display(binding) or super().get_key_display(binding)

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(self.ctx, self._first_plan, banner=self.banner, lesson=self.lesson)

    # --- sources ------------------------------------------------------------------------------

    def load(self, spec: str) -> bool:
        """Show SOURCE ``spec`` (live, a map name, a path); on failure notify and keep the map."""
        from crashmap.sources import load_source

        refusal = self.web_refusal(spec)
        if refusal is not None:
            self.notify(refusal, title="Cannot open", severity="error", timeout=8)
            return False
        try:
            arch = self.arch_override if spec == self.source else None
            snapshot = load_source(spec, arch=arch)
            if snapshot.hidden:
                raise CrashmapError(HIDDEN_MESSAGE, path=spec)
            keep = self.kernel_override if spec == self.source else None
            ctx = context_for(snapshot, keep)
            plan = initial_plan(ctx, snapshot.cmdline)
        except CrashmapError as error:
            self.notify(str(error), title="Cannot open", severity="error", timeout=8)
            return False
        for warning in snapshot.warnings:
            self.notify(warning, severity="warning", timeout=6)
        note = _inferred_note(ctx, snapshot.cmdline)
        if note:
            self.notify(note, timeout=8)
        if spec != self.source:
            self.arch_override = self.kernel_override = None
        self.ctx, self.source, self.banner = ctx, spec, None
        self.cmdline = snapshot.cmdline
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        self.call_later(self.main_screen.show_map, ctx, plan)
        return True

    def set_kernel(self, text: str | None) -> bool:
        """Plan for kernel ``text`` (a version; empty or None: the snapshot's own again).

        A text that is not a version is reported and changes nothing. The plan and its undo
        history stay; the map is re-predicted by that kernel's rules."""
        from crashmap.kernel.target import parse_release, resolve_target

        snapshot = self.snapshot
        try:
            if text and text.strip():
                override = parse_release(text)
                target = override
            else:
                override = None
                target = resolve_target(None, snapshot.kernel_release,
                                        live=snapshot.source == "live")
        except CrashmapError as error:
            self.notify(str(error), title="Kernel", severity="error", timeout=6)
            return False
        self.kernel_override = override
        self.ctx = self.ctx.for_kernel(target)
        self.call_later(self.main_screen.retarget, self.ctx)
        self.notify(f"Predicting for {target.describe()}.", title="Kernel", timeout=4)
        return True

    def action_kernel(self) -> None:
        """Focus the plan's Kernel field (the panels may still be mounting)."""
        editor = next(iter(self.main_screen.query("#plan")), None)
        if editor is not None:
            editor.edit("kernel")  # type: ignore[attr-defined]

    def web_refusal(self, spec: str) -> str | None:
        """Why ``spec`` may not be opened here, or None.

        Served to a browser (``crashmap serve``, or any Textual web driver), the page has no
        login: its users may open the bundled maps and the SOURCE it was served with, never
        another file of the server or its live memory (unless that is what was served).
        """
        if not self.is_web or spec == self.first_source:
            return None
        from crashmap.sources import bundled_maps

        if spec == "demo" or spec in bundled_maps():
            return None
        what = "this machine's live memory map" if spec == "live" else "files of the server"
        return (f"In the browser, crashmap opens the bundled maps and the map it was served "
                f"with only: the page has no login, so {what} stay private.")

    def action_open_source(self) -> None:
        screen = self._screen("open_source", "OpenSourceScreen")
        if screen is not None:
            self.push_screen(screen(), callback=self._opened)

    def _opened(self, spec: str | None) -> None:
        if spec:
            self.load(spec)

    def action_reload(self) -> None:
        if self.load(self.source):
            self.notify(f"Reloaded {self.source}.", timeout=3)

    def action_save_snapshot(self) -> None:
        from crashmap.snapshot_write import to_yaml

        default = f"{self.snapshot.hostname or 'snapshot'}.yaml"
        if self.is_web:  # a browser download: the user's own disk, never the server's
            from crashmap.app.widgets.save_dialog import deliver_to_browser

            outcome = deliver_to_browser(self, default, to_yaml(self.snapshot))
            self.notify(outcome.message, title="Download", timeout=4)
            return
        from crashmap.app.widgets.save_dialog import SaveDialog

        self.push_screen(SaveDialog("Save the snapshot to", default, to_yaml(self.snapshot)),
                         callback=self._snapshot_saved)

    def _snapshot_saved(self, path: Path | None) -> None:
        if path is not None:
            self.notify(f"Snapshot saved to {path}.", title="Saved", timeout=4)

    # --- the other screens (built elsewhere; imported when asked for) ---------------------------

    def _screen(self, module: str, name: str) -> Any:
        try:
            found = importlib.import_module(f"crashmap.app.screens.{module}")
            return getattr(found, name)
        except (ImportError, AttributeError):
            self.notify(f"The {module.replace('_', ' ')} screen is not available yet.",
                        severity="warning", timeout=4)
            return None

    def action_help(self) -> None:
        screen = self._screen("help", "HelpScreen")
        if screen is not None:
            self.push_screen(screen())

    def action_learn(self, chapter: str = "") -> None:
        screen = self._screen("learn", "LearnScreen")
        if screen is None:
            return
        if not chapter:  # the lesson's chapter beside the map, else the highlighted finding's
            finding = self.main_screen.finding
            panel = self.main_screen.lesson_shown
            default = finding.chapter if finding is not None else "kdump"
            chapter = panel.chapter if panel is not None else default
        self.push_screen(screen(chapter))

    def action_ranges(self) -> None:
        screen = self._screen("ranges", "RangeTableScreen")
        if screen is None:
            return
        value = None
        for word in (self.cmdline or "").split(" "):
            if word.startswith("crashkernel=") and ":" in word:
                value = word[len("crashkernel="):]
        self.push_screen(screen(value, self.ctx.ram, self.arch.name))

    def action_estimate(self) -> None:
        screen = self._screen("estimates", "EstimatesScreen")
        if screen is not None:
            self.push_screen(screen(self.snapshot, self.arch, kernel=self.ctx.kernel,
                                    fadump=self.main_screen.plan.fadump),
                             callback=self._estimated)

    def action_verify(self) -> None:
        screen = self._screen("verify", "VerifyScreen")
        if screen is not None:
            self.push_screen(screen(self.snapshot, self.ctx.kernel))

    def _estimated(self, plan: Plan | None) -> None:
        if plan is not None:
            self.main_screen.apply(plan)
            self.notify(f"Plan set from the estimate: {self.main_screen.evaluation.cmdline}",
                        timeout=4)

    def action_export(self) -> None:
        screen = self._screen("export", "ExportScreen")
        if screen is None:
            return
        evaluation = self.main_screen.evaluation
        if not evaluation.words:
            self.notify(evaluation.words_error or "The plan reserves nothing: nothing to export.",
                        severity="warning")
            return
        self.push_screen(screen(self.snapshot, evaluation.cmdline, self.arch.name,
                                kernel=self.ctx.kernel))
