"""The fleet screen: classes and hosts with their outcome under one candidate plan.

The plan is edited as on one map: ``+``/``-`` resize the static block, ``H`` toggles ``,high``,
``c`` toggles CMA, or type the words. Every change re-checks every host with
:mod:`crashmap.fleet` (``crashmap fleet``'s functions) in a worker thread; ``enter`` on a host
opens its map with the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from crashmap.errors import CrashmapError
from crashmap.units import MiB, format_size

if TYPE_CHECKING:
    from crashmap.fleet import Host, Summary
    from crashmap.snapshot import Snapshot

HOST_ROWS = 500
"""Hosts listed for one class (the rest are counted)."""
DEFAULT_CMA = 512 * MiB


class FleetScreen(Screen[None]):
    """Classes of hosts, the hosts of the highlighted class, and the candidate plan."""

    DEFAULT_CSS = """
    FleetScreen { layout: vertical; }
    FleetScreen #fleet-head { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    FleetScreen #words { margin: 0 1; }
    FleetScreen #classes { height: 1fr; min-height: 5; }
    FleetScreen #hosts { height: 1fr; min-height: 5; }
    FleetScreen #fleet-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "resize(1)", "Grow", key_display="+"),
        Binding("minus", "resize(-1)", "Shrink", key_display="-"),
        Binding("H", "toggle_high", "High"),
        Binding("c", "toggle_cma", "CMA"),
        Binding("slash", "focus_words", "Words", key_display="/"),
        Binding("escape", "focus_tables", "Tables", show=False),
    ]

    def __init__(self, hosts: list[tuple[str, Snapshot]], *, cmdline: str | None = None,
                 arch: str | None = None, kernel: str | None = None,
                 unreadable: int = 0) -> None:
        super().__init__()
        self.members = hosts
        """(label, snapshot) of every host read."""
        self.arch_override, self.kernel = arch, kernel
        self.unreadable = unreadable
        self.words = cmdline or ""
        """The candidate plan's words; "" checks each host's own /proc/cmdline."""
        self.summary: Summary | None = None
        self.results: list[Host] = []
        self._maps: dict[str, Any] = {}
        self._class_of_row: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("crashmap fleet", id="fleet-head")
        yield Input(self.words, id="words",
                    placeholder="crashkernel= words for every host (empty: each host's own "
                                "/proc/cmdline)")
        classes: DataTable[str] = DataTable(id="classes", cursor_type="row", zebra_stripes=True)
        classes.add_columns("class", "hosts", "pass", "fail", "static/host", "where (first host)")
        yield classes
        hosts: DataTable[str] = DataTable(id="hosts", cursor_type="row")
        hosts.add_columns("host", "outcome", "static", "where / why")
        yield hosts
        yield Static("", id="fleet-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#classes", DataTable).focus()
        self.revalidate()

    # --- checking -------------------------------------------------------------------------------

    def revalidate(self) -> None:
        """Check every host against the current words (in a thread; the last edit wins)."""
        self.query_one("#fleet-status", Static).update("checking every host…")
        self._check(self.words)

    @work(thread=True, exclusive=True, group="fleet-check")
    def _check(self, words: str) -> None:
        from crashmap.fleet import FleetRun, Summary

        run = FleetRun(words or None, arch=self.arch_override, kernel=self.kernel)
        run.maps = self._maps
        summary = Summary()
        results = []
        for label, snapshot in self.members:
            try:
                host = run.check(snapshot, label)
            except CrashmapError as error:
                summary.add_bad(str(error))
                continue
            summary.add(host)
            results.append(host)
        self.app.call_from_thread(self._show, words, summary, results)

    def _show(self, words: str, summary: Summary, results: list[Host]) -> None:
        if words != self.words:
            return  # a newer edit is being checked
        self.summary, self.results = summary, results
        head = (f"fleet: {summary.hosts} hosts in {len(summary.classes)} classes: "
                f"{summary.ok} pass, {summary.failed} fail")
        if summary.bad_count or self.unreadable:
            head += f"; {summary.bad_count + self.unreadable} unreadable"
        self.query_one("#fleet-head", Static).update(head)
        table = self.query_one("#classes", DataTable)
        keep = self._class_of_row[table.cursor_row] if self._class_of_row and \
            0 <= table.cursor_row < len(self._class_of_row) else None
        table.clear()
        ordered = sorted(summary.classes.values(), key=lambda c: (-c.failed, -c.count, c.name))
        self._class_of_row = [c.name for c in ordered]
        for stats in ordered:
            static = format_size(stats.static // stats.count) if stats.count else "0"
            table.add_row(stats.name, str(stats.count), str(stats.ok), str(stats.failed),
                          static, _where(stats.first), key=stats.name)
        if keep in self._class_of_row:
            table.move_cursor(row=self._class_of_row.index(keep))
        self._fill_hosts()
        plan = words or "each host's own /proc/cmdline"
        self.query_one("#fleet-status", Static).update(
            f"plan: {plan} — static {format_size(summary.static)} in all"
            + (f", CMA {format_size(summary.cma)}" if summary.cma else ""))

    def _fill_hosts(self) -> None:
        table = self.query_one("#hosts", DataTable)
        table.clear()
        classes = self.query_one("#classes", DataTable)
        if not self._class_of_row:
            return
        name = self._class_of_row[min(max(classes.cursor_row, 0), len(self._class_of_row) - 1)]
        shown = 0
        for index, host in enumerate(self.results):
            if host.shape.class_name != name:
                continue
            if shown == HOST_ROWS:
                table.add_row("…", "", "", "more hosts: see crashmap fleet --csv")
                break
            table.add_row(host.name, host.shape.outcome, format_size(host.shape.static),
                          _where(host.shape), key=str(index))
            shown += 1

    @on(DataTable.RowHighlighted, "#classes")
    def _class_highlighted(self) -> None:
        self._fill_hosts()

    @on(DataTable.RowSelected, "#hosts")
    def _host_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None or not event.row_key.value.isdigit():
            return
        self.open_host(int(event.row_key.value))

    def open_host(self, index: int) -> None:
        """The host's map, with the candidate plan (as the kernel reads it there)."""
        host = self.results[index]
        snapshot = next(s for label, s in self.members if label == host.label)
        self.app.open_host(snapshot, self.words or snapshot.cmdline)

    # --- the plan --------------------------------------------------------------------------------

    @on(Input.Changed, "#words")
    def _typed(self, event: Input.Changed) -> None:
        if event.value != self.words:
            self.words = event.value
            self.revalidate()

    def _set_words(self, words: str) -> None:
        self.words = words
        field = self.query_one("#words", Input)
        with field.prevent(Input.Changed):
            field.value = words
        self.revalidate()

    def _plan(self) -> Any:
        """The words as a plan one map's keys can edit, on the fleet's most common arch."""
        from crashmap.app.evaluation import context_for, initial_plan
        from crashmap.kernel.grammar import find_words

        if any(":" in w.value for w in find_words(self.words)):
            self.notify("The words hold a range table: edit them in the words field (/).",
                        severity="warning")
            return None, None
        from crashmap.fleet.evaluate import target

        snapshot = self._most_common()
        ctx = context_for(snapshot, target(self.kernel, snapshot.kernel_release))
        return ctx, initial_plan(ctx, self.words)

    def _most_common(self) -> Snapshot:
        """A host of the fleet's most common arch (the keys step by its CRASH_ALIGN)."""
        if self.results:
            counts: dict[str, int] = {}
            for host in self.results:
                counts[host.shape.arch] = counts.get(host.shape.arch, 0) + 1
            arch = max(counts, key=lambda name: counts[name])
            label = next(h.label for h in self.results if h.shape.arch == arch)
            return next(s for known, s in self.members if known == label)
        return self.members[0][1]

    def _apply_plan(self, ctx: Any, plan: Any) -> None:
        from crashmap.app.evaluation import render_plan

        words, error = render_plan(ctx, plan)
        if error:
            self.notify(error, severity="warning")
            return
        self._set_words(" ".join(words))

    def action_resize(self, steps: int) -> None:
        ctx, plan = self._plan()
        if plan is not None:
            self._apply_plan(ctx, plan.resized("main", steps, ctx.arch))

    def action_toggle_high(self) -> None:
        ctx, plan = self._plan()
        if plan is None:
            return
        if not ctx.arch.high_low:
            self.notify(f"{ctx.arch.name} does not read ,high.", severity="warning")
            return
        self._apply_plan(ctx, plan.toggled_high())

    def action_toggle_cma(self) -> None:
        ctx, plan = self._plan()
        if plan is not None:
            self._apply_plan(ctx, plan.with_size("cma", 0 if plan.cma else DEFAULT_CMA, ctx.arch))

    def action_focus_words(self) -> None:
        self.query_one("#words", Input).focus()

    def action_focus_tables(self) -> None:
        self.query_one("#classes", DataTable).focus()


def _where(shape: Any) -> str:
    """Where the blocks land, or why nothing does (one line)."""
    if shape.blocks:
        return ", ".join(f"{kind} {start:#x}-{end - 1:#x}" for kind, start, end in shape.blocks)
    if shape.outcome == "nothing requested":
        return "-"
    return shape.reason
