"""Everything ``crashmap estimate`` and the estimates screen show, built once from a snapshot.

``build(snapshot)`` → :class:`Estimate` (inputs, default tables, models, spread, suggestion,
fleet, and the peers' own measured answers beside the models); :func:`to_json` and
:func:`to_text` present it.
"""

from __future__ import annotations

from crashmap.estimate import inputs as inputs_mod
from crashmap.estimate import measured as measured_mod
from crashmap.estimate import models as models_mod
from crashmap.estimate import suggest as suggest_mod
from crashmap.estimate import tables as tables_mod
from crashmap.estimate.whatif import WhatIf, apply
from crashmap.units import format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs
    from crashmap.estimate.measured import Measured
    from crashmap.estimate.models import ModelResult
    from crashmap.estimate.suggest import Fleet, Suggestion
    from crashmap.estimate.tables import DefaultValue
    from crashmap.snapshot import Snapshot


class Estimate:
    """The answer for one machine (and one set of what-if changes)."""

    def __init__(self, snapshot: Snapshot | None, inputs: Inputs, defaults: list[DefaultValue],
                 machine_key: str | None, machine_why: str, models: list[ModelResult],
                 spread: dict[str, Any], suggestion: Suggestion, fleet: Fleet,
                 whatif: WhatIf | None,
                 measured: list[tuple[Measured, list[str]]] | None = None) -> None:
        self.snapshot = snapshot
        self.inputs = inputs
        self.defaults = defaults
        self.machine_key = machine_key
        self.machine_why = machine_why
        self.models = models
        self.spread = spread
        self.suggestion = suggestion
        self.fleet = fleet
        self.whatif = whatif
        self.measured = measured or []
        """The peers' measured answers, each with sentences comparing it to the models."""

    @property
    def machine_default(self) -> DefaultValue | None:
        return next((d for d in self.defaults if d.key == self.machine_key), None)

    def model(self, key: str) -> ModelResult:
        return next(m for m in self.models if m.key == key)

    def default(self, key: str) -> DefaultValue | None:
        return next((d for d in self.defaults if d.key == key), None)


def evaluate_inputs(inputs: Inputs) -> tuple[list[DefaultValue], str | None, str,
                                             list[ModelResult]]:
    """Tables and models for ``inputs`` (no map needed)."""
    defaults = tables_mod.defaults(inputs)
    key, why = tables_mod.machine_table(inputs)
    fedora_key = tables_mod.fedora_key(inputs)  # kdumpctl estimate's table for the dump mode
    fedora = next((d for d in defaults if d.key == fedora_key), None)
    models = models_mod.all_models(inputs, fedora.bytes if fedora else None,
                                   fedora.table if fedora else None)
    return defaults, key, why, models


def build(snapshot: Snapshot | None, *, inputs: Inputs | None = None,
          whatif: WhatIf | None = None, arch: str | None = None,
          live: bool | None = None, measured: list[Measured] | None = None) -> Estimate:
    """Gather the inputs (unless given), apply ``whatif``, run every table and model, suggest a
    plan placed on ``snapshot``, and the fleet table. ``measured``: the peers' own answers
    (None: those found in the report folder ``snapshot`` came from), shown beside the models;
    they fill only the inputs the source lacks (:func:`~crashmap.estimate.measured.fill`)."""
    if inputs is None:
        if snapshot is None:
            raise ValueError("build() needs a snapshot or inputs")
        inputs = inputs_mod.gather(snapshot, arch, live=live)
    if measured is None:
        measured = measured_mod.discover(snapshot, inputs.arch, inputs.ram,
                                           inputs.dump_mode)
    inputs = measured_mod.fill(inputs, measured)
    machine_inputs = inputs
    inputs = apply(inputs, whatif)
    defaults, key, why, models = evaluate_inputs(inputs)
    machine = next((d for d in defaults if d.key == key), None)
    accept = True if whatif is None else bool(whatif.accept_cma)
    suggestion = suggest_mod.suggest(inputs, models + ram_floors(machine_inputs, whatif, models),
                                     machine, snapshot, accept_cma=accept)

    def need_at(ram: int) -> suggest_mod.Need:
        other = inputs.given(ram=ram, _note="fleet")._replace(ram_end=None, boot_meminfo=None)
        _, _, _, m = evaluate_inputs(other)
        return suggest_mod.total_need(other, m, None, models_only=True)

    fleet = suggest_mod.fleet(inputs, need_at)
    beside = [(row, measured_mod.compare(row, models, inputs)) for row in measured]
    sp = spread(defaults, models, key)
    said = [f"{row.title.split(' (')[0]} {format_size(row.bytes)}" for row in measured
            if row.bytes is not None]
    if said:
        sp["explanation"].append("Measured on the machine by the tools themselves: "
                                 + "; ".join(said) + " (not in the range above).")
    return Estimate(snapshot, inputs, defaults, key, why, models, sp, suggestion, fleet,
                    whatif, beside)


def ram_floors(measured: Inputs, whatif: WhatIf | None,
               models: list[ModelResult]) -> list[ModelResult]:
    """Estimates a what-if with more RAM loses (Debian's boot meminfo was measured at the
    machine's RAM), kept as floors: no model needs less memory with more RAM, so the suggestion
    never drops below what was known at less (``--ram`` must not suggest less)."""
    if whatif is None or whatif.ram is None or measured.ram is None or whatif.ram <= measured.ram:
        return []
    lost = {m.key for m in models if m.need is None}
    if not lost:
        return []
    _, _, _, before = evaluate_inputs(apply(measured, whatif._replace(ram=None)))
    return [m._replace(key=f"{m.key}-floor", bytes=None,
                       title=f"{m.title} at {format_size(measured.ram)} (measured there; more "
                             f"RAM needs no less)")
            for m in before if m.key in lost and m.need is not None]


# --- the spread --------------------------------------------------------------------------------


def spread(defaults: list[DefaultValue], models: list[ModelResult],
           machine_key: str | None) -> dict[str, Any]:
    """Lowest and highest answer, and sentences on why they differ."""
    values: list[tuple[str, str, int]] = [(f"default:{d.key}", d.title, d.bytes)
                                          for d in defaults if d.bytes]
    values += [(f"model:{m.key}", m.title, m.bytes) for m in models if m.bytes is not None]
    text: list[str] = []
    if not values:
        return {"min": None, "max": None, "explanation": ["nothing could be computed"]}
    low = min(values, key=lambda v: v[2])
    high = max(values, key=lambda v: v[2])
    ratio = high[2] / low[2] if low[2] else 0
    text.append(f"From {format_size(low[2])} ({low[1]}) to {format_size(high[2])} ({high[1]})"
                + (f", ×{ratio:.1f}" if ratio and high[2] != low[2] else "") + ".")
    tables = [d for d in defaults if d.bytes is not None]
    if tables:
        lo_t = min(d.bytes for d in tables)
        hi_t = max(d.bytes for d in tables)
        text.append(f"The default tables ({format_size(lo_t)}–{format_size(hi_t)}) look at RAM "
                    f"only, never at this kernel, initrd, CPU count or dump target; each jumps "
                    f"at its bracket edges after a 128 MiB round-up of RAM.")
        zero = [d.title for d in tables if d.bytes == 0]
        if zero:
            text.append("Reserving nothing at this RAM: " + ", ".join(zero) + ".")
        machine = next((d for d in tables if d.key == machine_key), None)
        if machine is not None:
            text.extend(f"{machine.title}: {n}." for n in machine.notes)
    for m in models:
        if m.bytes is None:
            text.append(f"{m.title}: {m.unknown_text}.")
            continue
        terms = {label: value for label, value, _ in m.breakdown}
        if m.key == "kdumpctl":
            text.append(f"kdumpctl counts the initramfs three times "
                        f"({format_size(terms['initramfs × 3'])}) plus a fixed 16 MiB and "
                        f"never recommends less than its table"
                        + (f" ({format_size(terms['table'])})" if "table" in terms else "")
                        + ".")
        elif m.key == "suse":
            text.append(f"SUSE calibrate uses constants measured in a VM, not this machine's "
                        f"files, counts per-CPU cost ({format_size(terms['per-CPU'])}), page "
                        f"cache and memmap, then adds 30 % + 64 MiB "
                        f"({format_size(terms['margin'])})"
                        + (" and 64 MiB SWIOTLB" if "SWIOTLB" in terms else "") + ".")
        elif m.key == "debian":
            text.append(f"Debian starts from the memory this machine used early at boot "
                        f"({format_size(terms['early-boot used'])}) and subtracts "
                        f"{format_size(-terms['CPU/RAM surplus'])} for CPUs and RAM the "
                        f"one-CPU capture kernel does not have.")
    return {"min": {"name": low[0], "title": low[1], "bytes": low[2]},
            "max": {"name": high[0], "title": high[1], "bytes": high[2]},
            "explanation": text}


# --- presentation ------------------------------------------------------------------------------


def to_json(est: Estimate) -> dict[str, Any]:
    """The ``--json`` document."""
    snap = est.snapshot
    return {
        "source": snap.source if snap is not None else None,
        "arch": est.inputs.arch,
        "ram": est.inputs.ram,
        "whatif": est.whatif.changes() if est.whatif else {},
        "inputs": est.inputs.to_json(),
        "machine_default": {"table": est.machine_key, "why": est.machine_why},
        "defaults": {d.key: d.to_json() for d in est.defaults},
        "models": {m.key: m.to_json() for m in est.models},
        "measured": {row.key: {**row.to_json(), "beside": beside}
                     for row, beside in est.measured},
        "spread": est.spread,
        "suggestion": est.suggestion.to_json(),
        "fleet": est.fleet.to_json(),
    }


def _size(n: int | None) -> str:
    return "unknown" if n is None else format_size(n)


def to_text(est: Estimate) -> str:
    """Human output: inputs, defaults, each model with its breakdown, the spread, the plan."""
    out: list[str] = []
    inp = est.inputs
    snap = est.snapshot
    head = f"{snap.source if snap else 'inputs'}: {inp.arch}, RAM {_size(inp.ram)}"
    if inp.kernel_release:
        head += f", kernel {inp.kernel_release}"
    out.append(head)
    if est.whatif and est.whatif.changes():
        out.append("what-if: " + ", ".join(f"{k}={v}" for k, v in est.whatif.changes().items()))
    out.append("")
    out.append("Inputs")
    for field in ("kernel_image", "kernel_file", "initrd", "initrd_unpacked", "modules",
                  "cpus", "capture_cpus", "page_size", "luks", "luks_memory", "network",
                  "boot_meminfo", "distro"):
        value = getattr(inp, field)
        if field == "modules" and value is not None:
            shown = f"{len(value)} modules, {format_size(inp.modules_size)}"
        elif field == "boot_meminfo" and value is not None:
            shown = f"MemTotal {format_size(value.get('MemTotal', 0) * 1024)}"
        elif isinstance(value, int) and not isinstance(value, bool) and field not in (
                "cpus", "capture_cpus"):
            shown = format_size(value)
        else:
            shown = "unknown" if value is None else str(value)
        out.append(f"  {field:<16} {shown:<14} {inp.source(field) if value is not None else ''}"
                   .rstrip())
    out.append("")
    out.append(f"Distribution defaults (this machine: {est.machine_key or 'unknown'}, "
               f"{est.machine_why})")
    for d in est.defaults:
        mark = "*" if d.key == est.machine_key else " "
        out.append(f" {mark} {d.title:<42} {_size(d.bytes):>10}  crashkernel={d.table}")
        for note in d.notes:
            out.append(f"      {note}")
    if not est.defaults:
        out.append(f"   no documented table for {inp.arch}")
    out.append("")
    out.append("Models")
    for m in est.models:
        if m.bytes is None:
            out.append(f"  {m.title:<44} {m.unknown_text}")
            continue
        out.append(f"  {m.title:<44} {format_size(m.bytes):>10}")
        for label, value, note in m.breakdown:
            out.append(f"      {label:<26} {format_size(value):>11}  {note}")
        for note in m.notes:
            out.append(f"      note: {note}")
    if est.measured:
        out.append("")
        out.append("Measured (the peers' own output from the machine)")
    for row, beside in est.measured:
        shown = format_size(row.bytes) if row.bytes is not None else "no answer"
        out.append(f"  {row.title:<44} {shown:>10}  {' '.join(row.words)}".rstrip())
        out.append(f"      from {row.source}")
        for label, value, note in row.breakdown:
            out.append(f"      {label:<26} {format_size(value):>11}  {note}".rstrip())
        for note in row.notes:
            out.append(f"      note: {note}")
        for line in beside:
            out.append(f"      beside: {line}")
    out.append("")
    sp = est.spread
    out.append("Spread")
    for line in sp["explanation"]:
        out.append(f"  {line}")
    out.append("")
    s = est.suggestion
    out.append("Suggested plan")
    if s.plan is None:
        out.append("  none: " + "; ".join(s.rationale))
        if s.missing:
            out.append("  unknown: needs " + "; ".join(models_mod.NEEDS.get(m, m)
                                                       for m in s.missing))
    else:
        out.append(f"  {' '.join(s.words)}")
        out.append(f"  static {format_size(s.static)}" + (f", CMA {format_size(s.cma)}"
                                                          if s.cma else "")
                   + f" — {s.outcome}" + ("" if s.placed else
                                          " (NOT placeable on this map)" if s.placed is False
                                          else " (not checked)"))
        for line in s.rationale:
            out.append(f"  - {line}")
        if s.vmcore_loss:
            out.append(f"  vmcore loses: {s.vmcore_loss}")
        if s.verdict is not None:
            for f in s.verdict.findings:
                if f.severity != "info":
                    out.append(f"  {f.severity}: {f.message}")
    out.append("")
    fl = est.fleet
    out.append("Fleet (range table for other RAM sizes)")
    if fl.table:
        out.append(f"  crashkernel={fl.table}")
    for note in fl.notes:
        out.append(f"  - {note}")
    return "\n".join(out) + "\n"
