"""The range-table view: what a ``start-[end]:size,...`` value reserves at each RAM size.

The kernel's rules come only from :mod:`crashmap.kernel.ranges` (the explainer) and the layout
from :mod:`crashmap.rangeplot`; this screen picks the value and shows the result.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static

from crashmap.app.widgets.key_bar import KeyBar
from crashmap.errors import CrashmapError
from crashmap.kernel.ranges import RangeEntry, RangeTable, evaluate_table, explain_table
from crashmap.rangeplot import (
    DISTRO_TABLES,
    Bracket,
    RangePlot,
    bracket_index,
    brackets,
    default_table,
    edges,
    format_rounded,
    plot,
    rounded_ram,
)
from crashmap.units import format_mib, format_size

CMDLINE = "cmdline"
"""Select value of "the value on this machine's command line"."""


class RangePlotView(Widget):
    """Draws :func:`crashmap.rangeplot.plot` for the current table, sized to the widget."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "range-plot--axis", "range-plot--label", "range-plot--line", "range-plot--none",
        "range-plot--cliff", "range-plot--edge", "range-plot--machine",
    }

    DEFAULT_CSS = """
    RangePlotView {
        height: 1fr; min-height: 7; max-height: 18;
        & > .range-plot--axis { color: $text-muted; }
        & > .range-plot--label { color: $text-muted; }
        & > .range-plot--line { color: $primary; text-style: bold; }
        & > .range-plot--none { color: $error; }
        & > .range-plot--cliff { color: $warning; }
        & > .range-plot--edge { color: $warning; text-style: bold; }
        & > .range-plot--machine { color: $accent; text-style: bold; }
    }
    """

    table: reactive[RangeTable | None] = reactive(None)
    """The explained table to draw; None draws nothing."""

    def __init__(self, ram: int | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ram = ram
        self.current: RangePlot | None = None
        """The plot last drawn (what is on screen)."""

    def render(self) -> Text:
        if self.table is None or self.size.width < 20 or self.size.height < 6:
            self.current = None
            return Text("")
        self.current = plot(self.table, self.ram, self.size.width, self.size.height)
        text = Text(no_wrap=True, overflow="crop")
        for i, row in enumerate(self.current.rows):
            if i:
                text.append("\n")
            for segment, role in row:
                text.append(segment, self.get_component_rich_style(f"range-plot--{role}"))
        return text


def entry_text(entry: RangeEntry) -> str:
    """An entry written back in kernel units: ``2G-64G:256M``."""
    end = format_mib(entry.end) if entry.end is not None else ""
    return f"{format_mib(entry.start)}-{end}:{format_mib(entry.size)}"


def ram_span(bracket: Bracket) -> str:
    """A bracket's rounded-RAM span for people."""
    if bracket.ram_to is None:
        return f"≥ {format_rounded(bracket.ram_from)}"
    if bracket.ram_from == 0:
        return f"< {format_rounded(bracket.ram_to)}"
    return f"{format_rounded(bracket.ram_from)} – {format_rounded(bracket.ram_to)}"


def _short_reason(reason: str | None) -> str:
    """The kernel's message without its ``crashkernel:`` prefix (the column is narrow)."""
    if not reason:
        return ""
    return reason.removeprefix("crashkernel: ").removeprefix("crashkernel ")


class RangeTableScreen(ModalScreen[None]):
    """A range table plotted against RAM, this machine marked, and its breakpoints."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+n", "cycle(1)", "Next table"),
        Binding("ctrl+b", "cycle(-1)", "Previous table"),
    ]

    DEFAULT_CSS = """
    RangeTableScreen {
        background: $background;
        #ranges-title { height: 1; padding: 0 1; background: $panel; }
        #ranges-inputs { height: auto; padding: 1 1 0 1; }
        .ranges-row { height: 1; }
        .ranges-row > Label { width: 13; }
        #ranges-pick { width: 1fr; }
        #ranges-value { width: 1fr; }
        #ranges-verdict { height: auto; padding: 0 1; margin-bottom: 1; }
        #ranges-plot { margin: 0 1; }
        #ranges-brackets { height: auto; max-height: 8; margin: 0 1; }
    }
    """

    AUTO_FOCUS = "#ranges-pick"

    value: reactive[str] = reactive("", init=False)
    """The range value explained (without ``crashkernel=``)."""

    def __init__(self, value: str | None, ram: int, arch: str) -> None:
        super().__init__()
        self.ram = ram if ram and ram > 0 else None
        """This machine's ``system_ram`` in bytes (None when unknown)."""
        self.arch = arch
        self.cmdline_value = value.removeprefix("crashkernel=") if value else None
        """The plain value from this machine's command line, if it has one."""
        self.explained: RangeTable | None = None
        """The explainer's answer for ``value`` (None when the value cannot be explained)."""
        self.brackets: tuple[Bracket, ...] = ()
        """``explained`` over rounded RAM: one row of the breakpoint table each."""
        self.machine_bracket: int | None = None
        """Index in ``brackets`` of this machine's bracket."""
        self.machine_size: int | None = None
        """What the kernel reserves on this machine with ``value`` (``evaluate_table``)."""
        self.error: str | None = None
        """Why ``value`` cannot be explained, if it cannot."""
        self.set_reactive(RangeTableScreen.value,
                          self.cmdline_value or default_table(arch)[1])

    def _options(self) -> list[tuple[str, str]]:
        options = [(f"{name}: {table}", f"preset:{i}")
                   for i, (name, table, _) in enumerate(DISTRO_TABLES)]
        if self.cmdline_value:
            options.insert(0, (f"this machine's cmdline: {self.cmdline_value}", CMDLINE))
        return options

    def _option_value(self, key: object) -> str | None:
        if key == CMDLINE:
            return self.cmdline_value
        if isinstance(key, str) and key.startswith("preset:"):
            return DISTRO_TABLES[int(key.split(":", 1)[1])][1]
        return None

    def _key_for(self, value: str) -> str | None:
        for _, key in self._options():
            if self._option_value(key) == value:
                return key
        return None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="ranges-title")
            with Vertical(id="ranges-inputs"):
                with Horizontal(classes="ranges-row"):
                    yield Label("Table")
                    yield Select(self._options(), value=self._key_for(self.value) or Select.NULL,
                                 prompt="typed by you", compact=True, id="ranges-pick")
                with Horizontal(classes="ranges-row"):
                    yield Label("crashkernel=")
                    yield Input(self.value, compact=True, id="ranges-value",
                                placeholder="start-[end]:size,...  e.g. 2G-64G:256M,64G-:512M")
                with Horizontal(classes="ranges-row"):
                    yield Label("Add to sizes")
                    yield Input(compact=True, id="ranges-add",
                                placeholder="e.g. 150M or -16M, then Enter (kdumpctl's "
                                            "_crashkernel_add)")
            yield Static(id="ranges-verdict")
            yield RangePlotView(self.ram, id="ranges-plot")
            yield DataTable(id="ranges-brackets", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _title(self) -> str:
        if self.ram is None:
            return f"Range table · {self.arch} · this machine's RAM is unknown"
        return (f"Range table · {self.arch} · this machine: {format_size(self.ram)} RAM, "
                f"rounded up to {format_rounded(rounded_ram(self.ram))}")

    def on_mount(self) -> None:
        table = self.query_one("#ranges-brackets", DataTable)
        table.add_columns("RAM (rounded up)", "Reserves", "Entry", "Note")
        self._explain(self.value)

    def watch_value(self, value: str) -> None:
        self._explain(value)

    def _explain(self, value: str) -> None:
        self.error, self.explained = None, None
        if not value.strip():
            self.error = "Type a range table, or pick one above."
        else:
            try:
                self.explained = explain_table(value)
            except CrashmapError as error:
                self.error = str(error)
        self.brackets = brackets(self.explained) if self.explained else ()
        self.machine_bracket = (bracket_index(self.brackets, self.ram)
                                if self.brackets and self.ram else None)
        self.machine_size = (evaluate_table(value, self.ram)
                             if self.explained and self.ram else None)
        self.query_one(RangePlotView).table = self.explained
        self.query_one("#ranges-verdict", Static).update(self._verdict())
        self._fill_table()

    def _verdict(self) -> Text:
        if self.error or self.explained is None:
            return Text(self.error or "", style="bold")
        text = Text()
        table = self.explained
        if not table.entries:
            text.append("Not a range table: this value reserves the same at any RAM it fits.\n")
        if self.ram is not None and self.machine_bracket is not None:
            bracket = self.brackets[self.machine_bracket]
            rounded = format_rounded(rounded_ram(self.ram))
            if self.machine_size:
                text.append(f"This machine ({rounded}) gets ")
                text.append(format_size(self.machine_size), style="bold")
                if bracket.entry is not None and bracket.entry < len(table.entries):
                    text.append(f" from entry {bracket.entry + 1}, "
                                f"{entry_text(table.entries[bracket.entry])}")
                text.append(".")
            else:
                text.append(f"This machine ({rounded}) gets ")
                text.append("nothing", style="bold")
                text.append(f": {_short_reason(bracket.reason) or 'no entry matches'}.")
            text.append(self._cliffs_near())
        if table.problem:
            text.append(f"\nSyntax problem: {table.problem} (RAM that reaches it gets nothing).")
        return text

    def _cliffs_near(self) -> str:
        if self.ram is None:
            return ""
        rounded = rounded_ram(self.ram)
        above = [e for e in edges(self.brackets) if e > rounded]
        if not above:
            return ""
        edge = above[0]
        after = self.brackets[bracket_index(self.brackets, edge)].size
        then = format_size(after) if after else "nothing"
        more = format_rounded(edge - rounded)
        return f" Next cliff at {format_rounded(edge)} ({more} more): {then}."

    def _fill_table(self) -> None:
        table = self.query_one("#ranges-brackets", DataTable)
        table.clear()
        entries = self.explained.entries if self.explained else ()
        for i, bracket in enumerate(self.brackets):
            entry = (entry_text(entries[bracket.entry])
                     if bracket.entry is not None and bracket.entry < len(entries) else "—")
            note = _short_reason(bracket.reason)
            if i == self.machine_bracket:
                note = f"◀ this machine. {note}".strip()
            table.add_row(ram_span(bracket), format_size(bracket.size) if bracket.size else "0",
                          entry, note, key=str(i))
        if self.machine_bracket is not None:
            table.move_cursor(row=self.machine_bracket)

    @on(Select.Changed, "#ranges-pick")
    def _picked(self, event: Select.Changed) -> None:
        chosen = self._option_value(event.value)
        if chosen is not None and chosen != self.value:
            field = self.query_one("#ranges-value", Input)
            with field.prevent(Input.Changed):
                field.value = chosen
            self.value = chosen

    @on(Input.Changed, "#ranges-value")
    def _typed(self, event: Input.Changed) -> None:
        value = event.value.strip().removeprefix("crashkernel=")
        pick = self.query_one("#ranges-pick", Select)
        key = self._key_for(value)
        with pick.prevent(Select.Changed):
            pick.value = key if key is not None else Select.NULL
        self.value = value

    @on(Input.Submitted, "#ranges-add")
    def _add(self, event: Input.Submitted) -> None:
        """Add the typed size to every size of the table (ranges and @offset kept)."""
        from crashmap.kernel.arith import crashkernel_add

        try:
            added = crashkernel_add(self.value, event.value.strip())
        except CrashmapError as error:
            self.notify(f"Cannot add {event.value.strip()!r}: {error}", severity="error")
            return
        self.query_one("#ranges-value", Input).value = added
        event.input.value = ""

    def action_cycle(self, offset: int) -> None:
        """Show the next (or previous) table of the list."""
        keys = [key for _, key in self._options()]
        current = self._key_for(self.value)
        index = keys.index(current) + offset if current in keys else 0
        self.query_one("#ranges-pick", Select).value = keys[index % len(keys)]

    def action_close(self) -> None:
        """Close the range-table view."""
        self.dismiss(None)
