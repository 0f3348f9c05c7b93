"""The estimates screen: every sizing model side by side, the spread, a suggested plan, what-ifs.

All numbers come from :mod:`crashmap.estimate`; this screen only reads the what-if fields,
rebuilds the estimate on every change, and shows it. The peers' own measured answers
(``kdumpctl estimate``, ``kdumptool calibrate`` found in the report folder the map came from)
are read once and shown beside the models, compared with them on every change. ``a`` dismisses the screen with the
suggested :class:`~crashmap.plan.Plan` (the caller loads it into the plan editor); Escape
dismisses with None.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from crashmap.app.widgets.key_bar import KeyBar
from crashmap.app.widgets.prose import Part, Prose
from crashmap.arch import ARCHES, Arch, normalize_arch
from crashmap.errors import CrashmapError
from crashmap.estimate.inputs import Inputs, gather
from crashmap.estimate.measured import Measured, discover
from crashmap.estimate.models import ModelResult
from crashmap.estimate.report import Estimate, build
from crashmap.estimate.whatif import PAGE_SIZES, WhatIf, apply
from crashmap.plan import Plan
from crashmap.snapshot import Snapshot
from crashmap.units import KiB, format_size, parse_size

MACHINE = "machine"
"""Select value meaning "as the machine has it"."""


def model_panel(model: ModelResult) -> list[Part]:
    """One model: title, value (or what it needs), breakdown rows, notes."""
    parts: list[Part] = [Content.styled(model.title, "bold")]
    if model.bytes is None:
        parts.append(Content.styled(model.unknown_text, "$warning"))
    else:
        parts.append(Content.styled(format_size(model.bytes), "bold $accent"))
        parts.extend((label, format_size(value)) for label, value, _ in model.breakdown)
    parts.extend(Content.styled(note, "dim") for note in model.notes)
    return parts


def measured_panel(row: Measured, beside: list[str], whatif: bool) -> list[Part]:
    """One peer's measured answer: title, value and words, its terms, notes, the comparison."""
    parts: list[Part] = [Content.styled(row.title, "bold")]
    if row.bytes is None:
        parts.append(Content.styled("no answer", "$warning"))
    else:
        parts.append(Content.assemble((format_size(row.bytes), "bold $accent"), "  ",
                                      (" ".join(row.words), "bold")))
        parts.extend((label, format_size(value)) for label, value, _ in row.breakdown)
    parts.extend(Content.styled(note, "dim") for note in row.notes)
    parts.extend(Content.assemble(("beside:", "$secondary"), f" {line}") for line in beside)
    if whatif:
        parts.append(Content.styled("measured on the machine as it is: the what-if changes "
                                    "only crashmap's models", "$warning"))
    parts.append(Content.styled(f"from {row.source}", "dim"))
    return parts


SUGGESTION_STATE = {"reserved": "would reserve at boot on this map",
                    "partially reserved": "would reserve only part on this map"}
"""The simulator's outcome for the suggestion, as what it would do (nothing is reserved yet)."""


def suggestion_text(est: Estimate) -> list[Part]:
    """The suggestion, one part a paragraph."""
    s = est.suggestion
    if s.plan is None:
        return [Content.from_markup("[b]No suggestion[/b]\n$why", why="; ".join(s.rationale))]
    if s.placed is True:
        state = Content.styled(SUGGESTION_STATE.get(s.outcome, s.outcome), "$success")
    elif s.placed is False:
        state = Content.styled(f"does not fit this map ({s.outcome})", "$error")
    else:
        state = Content.styled(s.outcome, "$warning")
    head = Content.assemble((" ".join(s.words), "bold"), "  ", state)
    parts: list[Part] = [head, Content(f"static {format_size(s.static)}" + (
        f" + CMA {format_size(s.cma)}" if s.cma else " (all static)"))]
    parts.extend(Content(f"• {line}") for line in s.rationale)
    if s.vmcore_loss:
        parts.append(Content.assemble(("vmcore loses:", "$warning"), f" {s.vmcore_loss}"))
    if s.verdict is not None:
        parts.extend(Content.assemble((f"{f.severity}:", "$warning"), f" {f.message}")
                     for f in s.verdict.findings if f.severity != "info")
    if est.fleet.table:
        parts.append(Content.assemble("Fleet: ", (f"crashkernel={est.fleet.table}", "bold")))
    return parts


class EstimatesScreen(ModalScreen[Plan | None]):
    """Estimates for ``snapshot`` on ``arch``, with what-if fields that recompute at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "apply", "Apply suggestion"),
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    EstimatesScreen {
        background: $background;
        #est-title { height: 1; padding: 0 1; background: $panel; }
        #est-whatif { height: auto; padding: 0 1; }
        #est-fields {
            layout: grid; grid-size: 6; grid-columns: 14 16; grid-rows: 1; height: auto;
        }
        &.-narrow #est-fields { grid-size: 4; }
        .est-row { height: 1; margin-bottom: 0; }
        .est-row > Checkbox { width: auto; margin-right: 2; }
        #est-status { height: auto; padding: 0 1; color: $error; }
        #est-body { height: 1fr; }
        #est-models { height: auto; }
        #est-measured { height: auto; }
        .est-peer { border: round $secondary; border-title-color: $secondary; }
        .est-model { width: 1fr; height: auto; padding: 0 1; border: round $border; }
        #est-defaults { height: auto; max-height: 10; margin: 0 1; }
        #est-spread { height: auto; padding: 0 1; }
        #est-suggestion { height: auto; padding: 0 1; border: round $accent; }
    }
    """

    AUTO_FOCUS = "#est-body"
    """Keys (a, Escape) work at once; Tab moves into the what-if fields."""

    def __init__(self, snapshot: Snapshot, arch: str | Arch | None = None, *,
                 inputs: Inputs | None = None, kernel: Any = None,
                 measured: list[Measured] | None = None, fadump: str = "off") -> None:
        super().__init__()
        self.snapshot = snapshot
        name = arch.name if isinstance(arch, Arch) else arch
        self.arch = normalize_arch(name or snapshot.arch or "x86_64")
        """The arch of the map being edited (a plan is only applied for this arch)."""
        self.base_inputs = inputs or gather(snapshot, self.arch)
        if kernel is not None and kernel.source == "given":  # the plan's Kernel field
            self.base_inputs = self.base_inputs.given(kernel_release=kernel.release,
                                                      _note="the plan's kernel")
        if fadump != "off" and self.arch == "ppc64le":  # the plan's fadump= (d on the map)
            self.base_inputs = apply(self.base_inputs, WhatIf(fadump=fadump))
        """The machine's inputs before any what-if."""
        self.measured = (measured if measured is not None else
                         discover(snapshot, self.base_inputs.arch, self.base_inputs.ram,
                                  self.base_inputs.dump_mode))
        """The peers' measured answers (read once; the what-ifs never change them)."""
        self.whatif = WhatIf()
        self.estimate: Estimate = build(snapshot, inputs=self.base_inputs,
                                        measured=self.measured)
        """The estimate on screen."""
        self.error: str | None = None
        """Why the last what-if could not be applied (the previous estimate stays shown)."""

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        base = self.base_inputs
        with Vertical():
            yield Static(id="est-title")
            with Vertical(id="est-whatif"):
                with Grid(id="est-fields"):  # 3 label/field pairs a row; 2 when narrow
                    yield Label("RAM")
                    yield Input(placeholder=format_size(base.ram) if base.ram else "e.g. 64G",
                                compact=True, id="est-ram")
                    yield Label("Capture CPUs")
                    yield Input(placeholder="tool default", compact=True, type="integer",
                                id="est-cpus")
                    yield Label("Arch")
                    yield Select([(name, name) for name in ARCHES], value=self.arch,
                                 allow_blank=False, compact=True, id="est-arch")
                    yield Label("Page size")
                    yield Select(self._page_options(self.arch), value=MACHINE,
                                 allow_blank=False, compact=True, id="est-page")
                    yield Label("LUKS keyslot")
                    yield Input(placeholder="e.g. 1G", compact=True, id="est-luks-memory")
                with Horizontal(classes="est-row"):
                    yield Checkbox("LUKS target", bool(base.luks), compact=True, id="est-luks")
                    yield Checkbox("Network target", bool(base.network), compact=True,
                                   id="est-network")
                    yield Checkbox("Use CMA", True, compact=True, id="est-cma")
            yield Static(id="est-status")
            with VerticalScroll(id="est-body"):
                with Horizontal(id="est-models"):
                    for model in self.estimate.models:
                        yield Prose(classes="est-model", id=f"est-model-{model.key}")
                if self.measured:
                    with Horizontal(id="est-measured"):
                        for row in self.measured:
                            yield Prose(classes="est-model est-peer",
                                        id=f"est-measured-{row.key}")
                yield DataTable(id="est-defaults", cursor_type="row", zebra_stripes=True)
                yield Prose(id="est-spread")
                yield Prose(id="est-suggestion")
        yield KeyBar()

    NARROW = 92
    """Below this many columns the what-if fields go two pairs a row (three need 90)."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")

    def on_compose(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")  # no Resize when pushed

    def _page_options(self, arch: str) -> list[tuple[str, object]]:
        return [("machine's", MACHINE)] + [
            (format_size(p).replace(" KiB", "K"), p) for p in PAGE_SIZES.get(arch, (4 * KiB,))]

    def on_mount(self) -> None:
        table = self.query_one("#est-defaults", DataTable)
        table.add_columns("Default table", "Value here", "crashkernel=", "Notes")
        self._show()

    # --- what-if -------------------------------------------------------------------------

    def read_whatif(self) -> WhatIf:
        """The what-if fields as a :class:`WhatIf` (raises CrashmapError for bad input)."""
        ram_text = self.query_one("#est-ram", Input).value.strip()
        cpus_text = self.query_one("#est-cpus", Input).value.strip()
        luks_text = self.query_one("#est-luks-memory", Input).value.strip()
        try:
            ram = parse_size(ram_text) if ram_text else None
            luks_memory = parse_size(luks_text) if luks_text else None
        except ValueError as error:
            raise CrashmapError(str(error)) from None
        cpus = int(cpus_text) if cpus_text.lstrip("-").isdigit() else None
        page = self.query_one("#est-page", Select).value
        arch = str(self.query_one("#est-arch", Select).value)
        luks = self.query_one("#est-luks", Checkbox).value
        network = self.query_one("#est-network", Checkbox).value
        base = self.base_inputs
        return WhatIf(  # only what differs from the machine counts as a what-if
            ram=ram, arch=arch if arch != base.arch else None,
            page_size=page if isinstance(page, int) else None, capture_cpus=cpus,
            luks=luks if luks != bool(base.luks) else None,
            luks_memory=luks_memory if luks else None,
            network=network if network != bool(base.network) else None,
            accept_cma=self.query_one("#est-cma", Checkbox).value)

    def recompute(self) -> None:
        """Rebuild the estimate from the fields; a bad field keeps the last estimate shown."""
        try:
            whatif = self.read_whatif()
            estimate = build(self.snapshot, inputs=self.base_inputs, whatif=whatif,
                             measured=self.measured)
        except CrashmapError as error:
            self.error = str(error)
        else:
            self.error = None
            self.whatif = whatif
            self.estimate = estimate
        self._show()

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.recompute()

    @on(Select.Changed, "#est-page")
    def _page_changed(self) -> None:
        self.recompute()

    @on(Select.Changed, "#est-arch")
    def _arch_changed(self, event: Select.Changed) -> None:
        page = self.query_one("#est-page", Select)
        arch = str(event.value)
        with page.prevent(Select.Changed):
            page.set_options(self._page_options(arch))
            page.value = MACHINE
        self.recompute()

    # --- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        est = self.estimate
        inp = est.inputs
        title = (f"Estimates · {self.snapshot.source} · {inp.arch} · RAM "
                 f"{format_size(inp.ram) if inp.ram else 'unknown'}")
        changes = self.whatif.changes()
        if changes:
            title += " · what-if: " + ", ".join(sorted(changes))
        self.query_one("#est-title", Static).update(escape(title))
        self.query_one("#est-status", Static).update(escape(self.error or ""))
        for model in est.models:
            self.query_one(f"#est-model-{model.key}", Prose).show(model_panel(model))
        for row, beside in est.measured:
            panel = self.query_one(f"#est-measured-{row.key}", Prose)
            panel.border_title = "measured"
            panel.show(measured_panel(row, beside, bool(changes)))
        table = self.query_one("#est-defaults", DataTable)
        table.clear()
        for d in est.defaults:
            mark = "* " if d.key == est.machine_key else "  "
            table.add_row(mark + d.title, format_size(d.bytes) if d.bytes is not None
                          else "unknown", d.table, "; ".join(d.notes), key=d.key)
        spread = [Content(line) for line in est.spread["explanation"]]
        self.query_one("#est-spread", Prose).show([Content.styled("Spread", "bold"), *spread])
        self.query_one("#est-suggestion", Prose).show(suggestion_text(est))

    # --- actions -------------------------------------------------------------------------

    def action_apply(self) -> None:
        s = self.estimate.suggestion
        if s.plan is None:
            self.notify("No suggestion to apply: " + "; ".join(s.rationale), severity="warning")
            return
        if self.estimate.inputs.arch != self.arch:
            self.notify(f"The suggestion is for {self.estimate.inputs.arch}; set Arch back to "
                        f"{self.arch} to apply it to this map.", severity="warning")
            return
        if s.placed is False:
            self.notify("The suggestion does not fit this map; applied so you can adjust it.",
                        severity="warning")
        self.dismiss(s.plan)

    def action_close(self) -> None:
        self.dismiss(None)
