"""Glue between the editable :class:`~crashmap.plan.Plan` and the domain: no Textual here.

:class:`MapContext` is computed once per map (painting partition, overview segments, the
placement context); :func:`evaluate` runs on every plan change (each drag step) and only calls the
domain: the kernel renderer for the words, the placement simulator, the checks.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from crashmap import mapscale
from crashmap.arch import Arch, get_arch
from crashmap.errors import CrashmapError
from crashmap.kernel import parse_crashkernel, render_words
from crashmap.placement import (
    Inferred,
    Placement,
    PlacementContext,
    infer_current,
    request_from_grammar,
    shared_context,
    simulate,
)
from crashmap.plan import Block, Plan
from crashmap.snapshot import Snapshot
from crashmap.units import GiB, MiB

if TYPE_CHECKING:
    from crashmap.checks import Finding
    from crashmap.kernel.target import TargetKernel

DEFAULT_PLAN = Plan(size=256 * MiB)
"""Where a plan starts when the command line asks for nothing: 256 MiB, placed by the kernel."""


class PlacedBlock(NamedTuple):
    """One block of the plan as the simulator predicts it."""

    tag: str
    """``main``, ``low``, or ``cma0``..``cma3``."""
    block: Block
    start: int
    end: int
    ghost: bool = False
    """Not reservable: drawn where it was asked for (a fixed base that fails)."""

    @property
    def size(self) -> int:
        return self.end - self.start


class Evaluation(NamedTuple):
    """Everything the screen shows about one plan."""

    plan: Plan
    words: tuple[str, ...]
    """The ``crashkernel=`` words the renderer produces (empty when it cannot express the plan)."""
    words_error: str | None
    outcome: str
    blocks: tuple[PlacedBlock, ...]
    findings: tuple[Finding, ...]
    log: tuple[str, ...] = ()
    ram: int = 0
    static_taken: int = 0
    """Bytes the static blocks (main + low) take from the running system."""
    cma_reserved: int = 0
    """Bytes of CMA reserved: usable by the running system until a crash."""
    placement: Placement | None = None
    """The simulator's full answer (None when the plan cannot be written as words)."""
    checked: bool = True
    """False for the first frame's quick evaluation: placement only, findings still to come."""

    @property
    def cmdline(self) -> str:
        return " ".join(self.words)

    def block(self, tag: str) -> PlacedBlock | None:
        return next((b for b in self.blocks if b.tag == tag), None)

    def blocks_of(self, block: Block) -> list[PlacedBlock]:
        return [b for b in self.blocks if b.block == block]


class MapContext:
    """What is computed once per map (and target kernel) and reused on every plan change."""

    def __init__(self, snapshot: Snapshot, arch: Arch, kernel: TargetKernel | None = None) -> None:
        from crashmap.kernel.target import resolve_target
        from crashmap.kernel.versions import arch_for

        self.snapshot = snapshot
        self.kernel: TargetKernel = kernel or resolve_target(None, snapshot.kernel_release,
                                                             live=snapshot.source == "live")
        """The kernel that will boot next: the snapshot's unless another was asked for."""
        self.arch = arch_for(arch, self.kernel)
        """The arch as that kernel behaves (does it read ``,cma``, ``,high``)."""
        self.ram: int = snapshot.system_ram or 0
        """The kernel's ``system_ram`` as the map tells it."""

    def for_kernel(self, kernel: TargetKernel) -> MapContext:
        """The same map planned for another kernel (the map's caches are shared)."""
        other = MapContext(self.snapshot, get_arch(self.arch.name), kernel)
        for name in ("partition", "segments", "fixed_overlays"):
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other

    @cached_property
    def partition(self) -> mapscale.Partition:
        return mapscale.base_partition(self.snapshot.parsed)

    @cached_property
    def segments(self) -> list[mapscale.Segment]:
        return mapscale.segments(self.snapshot.parsed.roots)

    @cached_property
    def fixed_overlays(self) -> tuple[mapscale.Overlay, ...]:
        """The running kernel's image and the current ``Crash kernel`` regions."""
        memmap = self.snapshot.memmap
        crash = [mapscale.Overlay(r.start, r.end, "crash", "crash") for r in memmap.crash_resources]
        kernel = [mapscale.Overlay(b.start, b.end, "kernel", "kernel") for b in memmap.kernel_image]
        return tuple(crash + kernel)

    @cached_property
    def placement(self) -> PlacementContext:
        """The simulator's per-map data (free lists, windows, hidden reservations)."""
        return shared_context(self.snapshot, self.arch, kernel=self.kernel)

    @property
    def boundary(self) -> int | None:
        """CRASH_ADDR_LOW_MAX (4 GiB, the arm64/riscv DMA limit...): drawn on the map."""
        low_max = self.placement.low_max
        return low_max if 0 < low_max < self.address_end else None

    @property
    def boundary_source(self) -> str:
        return self.placement.low_max_source

    @property
    def address_end(self) -> int:
        return max(self.snapshot.memmap.address_limit, 1)

    @property
    def ram_window(self) -> tuple[int, int]:
        """The address range of boot RAM (where blocks can go)."""
        ram = self.snapshot.memmap.ram
        if not ram:
            return 0, max(self.address_end, 4 * GiB)
        return ram[0].start, ram[-1].end


def context_for(snapshot: Snapshot, kernel: TargetKernel | None = None) -> MapContext:
    return MapContext(snapshot, get_arch(snapshot.arch or "x86_64"), kernel)


def inferred_start(ctx: MapContext) -> Inferred | None:
    """The plan the map's current reservation stands for (:func:`infer_current`, what
    ``crashmap check`` checks when the source has no command line)."""
    return infer_current(ctx.placement)


def initial_plan(ctx: MapContext, cmdline: str | None) -> Plan:
    """The plan ``cmdline`` asks for, as the kernel grammar reads it; with no command line at
    all (None), the reservation the map shows; else :data:`DEFAULT_PLAN`."""
    if cmdline is None:
        inferred = inferred_start(ctx)
        cmdline = inferred.cmdline if inferred is not None else None
    plan = _crash_plan(ctx, cmdline)
    if cmdline and "fadump=" in cmdline:  # kept off ppc64le too: the checks then refuse it
        from dataclasses import replace

        from crashmap.kernel.fadump import fadump_mode

        plan = replace(plan, fadump=fadump_mode(cmdline))
    return plan


def _crash_plan(ctx: MapContext, cmdline: str | None) -> Plan:
    if not cmdline or "crashkernel=" not in cmdline:
        return DEFAULT_PLAN
    result = parse_crashkernel(cmdline, ctx.ram, ctx.arch, kernel=ctx.kernel)
    if not result.ok:
        return DEFAULT_PLAN
    cma = result.cma_size if result.cma_kept else 0
    if result.high:
        low = None if result.low_size == ctx.arch.default_low else result.low_size
        return Plan(size=result.crash_size, mode="high", low=low, cma=cma)
    if result.crash_base:
        return Plan(size=result.crash_size, mode="fixed", base=result.crash_base, cma=cma)
    return Plan(size=result.crash_size, cma=cma)


def cmdline_note(ctx: MapContext, cmdline: str | None) -> str | None:
    """What the start's command line says that the plan cannot: its errors and warnings
    (``crashmap check``'s ``cmdline-*`` findings: a bare ``crashkernel``, a range with no start,
    an upper-case name) and, when the kernel rejects the words, that the plan starts from
    :data:`DEFAULT_PLAN` instead. None when there is nothing to say."""
    if not cmdline:
        return None
    from crashmap.checks.kdump import lint_findings
    from crashmap.kernel import lint_crashkernel

    result = parse_crashkernel(cmdline, ctx.ram, ctx.arch, kernel=ctx.kernel)
    found = [f for f in lint_findings(lint_crashkernel(result)) if f.severity != "info"]
    if not found and (result.ok or not request_from_grammar(result).asked):
        return None
    said = [f"The starting command line: "
            f"{'; '.join(f'{f.severity} {f.code}: {f.message}' for f in found)}."] if found else []
    if not result.ok:
        if request_from_grammar(result).asked:
            said.append(f"The kernel reserves nothing from it: {result.error}.")
        start = render_words(DEFAULT_PLAN, ctx.arch, ctx.ram or None)[0]
        said.append(f"The plan starts at {start}.")
    return " ".join(said)


def render_plan(ctx: MapContext, plan: Plan) -> tuple[tuple[str, ...], str | None]:
    """The plan's ``crashkernel=`` words, or the reason the renderer refuses it."""
    fadump = (f"fadump={plan.fadump}",) if plan.fadump != "off" else ()
    try:
        return render_words(plan, ctx.arch, ctx.ram or None) + fadump, None
    except CrashmapError as error:
        return (), str(error)


def evaluate(ctx: MapContext, plan: Plan, *, check: bool = True) -> Evaluation:
    """Render the plan's words, read them back with the kernel grammar, simulate, check.

    ``check=False`` skips the checks (and their import): the first frame needs only where the
    blocks go; the findings follow a moment later.
    """
    words, words_error = render_plan(ctx, plan)
    if words_error:
        from crashmap.checks import Finding

        finding = Finding("plan-not-expressible", "error", words_error,
                          "crashkernel= can only say what its grammar has words for.",
                          "Change the plan (mode, sizes) until it can be written.", "syntax")
        return Evaluation(plan=plan, words=(), words_error=words_error,
                          outcome="cannot be written", blocks=(), findings=(finding,),
                          ram=ctx.ram)
    cmdline = " ".join(words)
    result = parse_crashkernel(cmdline, ctx.ram, ctx.arch, kernel=ctx.kernel)
    request = request_from_grammar(result, cmdline)
    placement = simulate(ctx.placement, request)
    evaluation = Evaluation(
        plan=plan, words=words, words_error=None, outcome=placement.outcome,
        blocks=tuple(placed_blocks(plan, placement)), findings=(),
        log=placement.kernel_log, ram=ctx.ram, static_taken=placement.static_total,
        cma_reserved=placement.cma.placed, placement=placement, checked=False,
    )
    return with_findings(ctx, evaluation, result) if check else evaluation


def with_findings(ctx: MapContext, evaluation: Evaluation, grammar: object = None,
                  ) -> Evaluation:
    """``evaluation`` with the checks' findings on its placement (as :func:`evaluate` gives
    them): a drag step is drawn first and its findings follow once the frame is out.
    ``grammar``: the words as the kernel read them, when the caller has them."""
    if evaluation.checked or evaluation.placement is None:
        return evaluation
    from crashmap import checks
    from crashmap.kernel import lint_crashkernel

    cmdline = evaluation.cmdline
    if grammar is None:
        grammar = parse_crashkernel(cmdline, ctx.ram, ctx.arch, kernel=ctx.kernel)
    findings = checks.run_checks(ctx.placement, evaluation.placement, cmdline=cmdline,
                                 grammar=grammar, lints=lint_crashkernel(grammar))
    return evaluation._replace(findings=findings, checked=True)


def placed_blocks(plan: Plan, placement: Placement) -> list[PlacedBlock]:
    """The simulator's blocks, tagged for the map; a fixed base that fails is drawn as a ghost."""
    blocks = [PlacedBlock(b.kind, "main" if b.kind == "fadump" else b.kind, b.start, b.end)
              for b in placement.static.blocks]  # the fadump area is drawn as the static block
    areas = enumerate(placement.cma.areas)
    blocks += [PlacedBlock(f"cma{i}", "cma", a.start, a.end) for i, a in areas]
    if plan.mode == "fixed" and plan.base is not None and placement.main is None and plan.size:
        blocks.insert(0, PlacedBlock("main", "main", plan.base, plan.base + plan.size, ghost=True))
    return blocks


# --- turning pointer and key gestures into plans (pure, unit-tested) ----------------------------


def nearest_step(value: int, step: int) -> int:
    """``value`` rounded to the nearest ``step``: a drag shrinks as easily as it grows."""
    return (value + step // 2) // step * step


def dragged_plan(plan: Plan, origin: Evaluation, block: Block, grip: str, delta: int,
                 arch: Arch) -> Plan | None:
    """The plan after dragging ``block`` by ``delta`` bytes since the press.

    ``origin`` is the evaluation when the drag started: sizes and places are relative to it, so
    the block does not run away from the pointer when the kernel re-places it. An edge resizes
    (the step is the arch's CRASH_ALIGN, a pageblock for CMA); the static block's body pins it at a
    fixed base (snapped to CRASH_ALIGN by :meth:`Plan.pinned`). None: nothing to do.
    """
    if grip == "body":
        main = origin.block("main")
        if block != "main" or main is None:
            return None
        return plan.pinned(main.start + delta, arch)
    if block == "low" and plan.mode != "high":
        return None  # the kernel's own companion: its size is not ours to set without ,high
    step = plan.step(block, arch)
    change = delta if grip == "end" else -delta
    size = nearest_step(plan.size_of(block, arch) + change, step)
    size = max(size, step if block == "main" else 0)
    if block == "main" and plan.mode == "fixed" and grip == "start" and plan.base is not None:
        end = plan.base + plan.size  # the start edge moves; the end stays put
        moved = plan.pinned(end - size, arch)
        return replace(moved, size=max(end - (moved.base or 0), step))
    return plan.with_size(block, size, arch)
