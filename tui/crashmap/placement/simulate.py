"""``simulate()``: the static block, then the CMA areas, then the outcome and its confidence."""

from __future__ import annotations

from crashmap.memmap import Range
from crashmap.placement.context import PPC_LPAR_BASE, PPC_OTHER_BASE, PlacementContext
from crashmap.placement.result import CmaResult, Outcome, Placement, Request, StaticResult
from crashmap.placement.static import PLACERS
from crashmap.units import align_up, format_size


def simulate(ctx: PlacementContext, request: Request) -> Placement:
    """Where the next boot puts each block of ``request`` on this map, or why it will not.

    When an inferred reservation may sit elsewhere (``ctx.alternative``), the plan is simulated
    under both assumptions; if the blocks differ the answer is a window spanning both.
    """
    placement = _simulate(ctx, request)
    if ctx.alternative is None:
        return placement
    free, why = ctx.alternative
    other = _simulate(ctx.with_free(free), request)
    if other.blocks == placement.blocks and other.outcome == placement.outcome:
        return placement
    main, alt = placement.main, other.main
    window = placement.window
    if main is not None and alt is not None:
        spans = [main.range, alt.range] + ([window] if window else [])
        window = Range(min(r.start for r in spans), max(r.end for r in spans))
    notes = (*placement.notes, f"the blocks depend on {why}: without that assumption they "
                               f"would be {_blocks_text(other)}")
    return placement._replace(confidence="window", window=window, notes=notes)


def _blocks_text(p: Placement) -> str:
    if not p.blocks:
        return f"not reserved ({p.outcome})"
    return ", ".join(f"{b.kind} {b.start:#x}-{b.end - 1:#x}" for b in p.blocks)


def _simulate(ctx: PlacementContext, request: Request) -> Placement:
    arch = ctx.arch
    static = StaticResult(0)
    fadump_log: tuple[str, ...] = ()
    if request.fadump and arch.name == "ppc64le":
        from crashmap.placement import fadump

        reserved, _boot = fadump.reserve(ctx, request)
        if reserved.ok:  # fadump_reserve_mem() != 0: reserve_crashkernel() is not called
            return Placement(arch.name, request, "reserved", reserved, CmaResult(),
                             ctx.confidence, None,
                             tuple(_notes(ctx, request, reserved)) + (fadump.NOTE,))
        fadump_log = reserved.log + (fadump.FALLBACK,)
    if request.static_ok and request.crash_size > 0:
        static = _placer(ctx)(ctx, request)
        if fadump_log:
            static = static._replace(log=fadump_log + tuple(static.log))
    cma = CmaResult()
    if request.reserves_cma and arch.cma:
        from crashmap.placement.cma import reserve_cma  # only a plan with ,cma needs it

        cma = reserve_cma(ctx, request.cma_size, [b.range for b in static.blocks])
    outcome = _outcome(arch.placement, request, static, cma)
    window = None
    confidence = ctx.confidence
    main = next((b for b in static.blocks if b.kind == "main"), None)
    if main is not None and arch.placement == "ppc" and not request.crash_base:
        confidence = "window"  # the base depends on the platform and the RMA size
        low, high = sorted((PPC_OTHER_BASE, PPC_LPAR_BASE))
        window = Range(low, high + main.size)
    elif main is not None and (request.crash_base or static.base_used):
        # a fixed base leaves the kernel no choice, if nothing the map does not show sits there
        window = None if confidence == "exact" else main.range
    elif main is not None and confidence == "window":
        window = _likely_window(ctx, main.range)
    return Placement(arch.name, request, outcome, static, cma, confidence, window,
                     tuple(_notes(ctx, request, static)))


def _placer(ctx: PlacementContext):  # type: ignore[no-untyped-def]
    """The era's placer when the target kernel predates the arch's current code."""
    era = ctx.era
    if era is not None and era.key not in ("generic", "arch"):
        from crashmap.placement.eras import ERA_PLACERS

        return ERA_PLACERS[era.key]
    return PLACERS[ctx.arch.placement]


def _outcome(placement: str, req: Request, static: StaticResult, cma: CmaResult) -> Outcome:
    wants_static = req.static_ok and req.crash_size > 0
    wants_cma = req.reserves_cma
    if not req.asked and not wants_cma:
        return "nothing requested"
    if wants_static and static.failure == "not-modelled":
        return "not modelled"
    got_static = static.ok if wants_static else False
    got_cma = bool(cma.areas)
    if not got_static and not got_cma:
        return "failed"
    full = (got_static or not wants_static) and (not wants_cma or not cma.short) \
        and req.static_ok and not req.cma_ignored
    return "reserved" if full else "partially reserved"


def _likely_window(ctx: PlacementContext, block: Range) -> Range:
    """From the start of the free range holding the prediction up to the prediction's end.

    The hidden reservations can only make the top-down search stop lower, so the block most
    likely lands in here (lower still only if they fill this whole range).
    """
    piece = ctx.free.containing(block.start)
    if piece is None:
        return block
    return Range(align_up(piece.start, ctx.arch.crash_align), block.end)


def _notes(ctx: PlacementContext, req: Request, static: StaticResult) -> list[str]:
    arch = ctx.arch
    notes = [f"confidence {ctx.confidence}: {ctx.confidence_reason}"]
    if arch.placement == "generic":
        notes.append(f"CRASH_ADDR_LOW_MAX = {ctx.low_max_source}")
        if static.low_size or req.high:
            notes.append(f"default low size {format_size(ctx.default_low)}: "
                         f"{ctx.default_low_source}")
    elif arch.placement == "ppc":
        notes.append(f"powerpc base without @offset: {ctx.ppc_base:#x} "
                     f"({format_size(ctx.ppc_base)}), {ctx.ppc_base_source}")
    elif arch.placement == "arm32":
        notes.append(f"arm32 lowmem limit {ctx.lowmem_limit or 0:#x}: RAM start + 768 MiB "
                     f"(3G/1G split, 240 MiB vmalloc), assumed")
    elif arch.placement == "s390":
        notes.append("s390: base and size rounded up to 1 MiB; no HSA and no OLDMEM assumed "
                     "(a normal boot, not a stand-alone dump)")
    elif arch.placement == "none":
        notes.append(f"{arch.name}: the placement code of this arch is not modelled; only a "
                     f"fixed base (@offset) is predictable")
    era = ctx.era
    if era is not None and era.key not in ("generic", "arch"):
        rules = "; ".join(rule.cite() for rule in era.rules)
        what = era.note if era.modelled else f"not modelled for this kernel: {era.note}"
        notes.append(f"{era.label}: {what} ({rules})")
    notes.extend(h.what + " is held at reservation time" for h in ctx.hidden)
    notes.extend(h.what + " is free again at reservation time" for h in ctx.given_back)
    return notes
