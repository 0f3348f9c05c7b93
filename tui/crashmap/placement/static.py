"""The static crash kernel reservation per architecture (spec §3.1, §3.2, §4).

Each function mirrors one kernel function and returns a :class:`StaticResult` with the kernel
log lines it would print. Searches go through :class:`FreeList` (memblock, top-down).
"""

from __future__ import annotations

from crashmap.placement.context import PlacementContext
from crashmap.placement.result import Attempt, Block, BlockKind, Request, StaticResult
from crashmap.units import MiB, align_up

S390_ALIGN = 1 * MiB
"""KEXEC_CRASH_MEM_ALIGN on s390 (HPAGE_SIZE)."""
ARM32_FIXED_ALIGN = 1 * MiB
"""arm32 searches a fixed base with SZ_1M alignment (CRASH_ALIGN is for automatic bases)."""


def reserved_line(base: int, size: int) -> str:
    return f"crashkernel reserved: 0x{base:016x} - 0x{base + size:016x} ({size >> 20} MB)"


def low_line(base: int, size: int) -> str:
    return f"crashkernel low memory reserved: 0x{base:08x} - 0x{base + size:08x} ({size >> 20} MB)"


def reserving_line(base: int, size: int, ram: int) -> str:
    """arm32, s390 (and older x86): ``Reserving %ldMB of memory at %ldMB for crashkernel``."""
    return (f"Reserving {size >> 20}MB of memory at {base >> 20}MB for crashkernel "
            f"(System RAM: {ram >> 20}MB)")


class _Search:
    """Runs memblock searches and records each as an :class:`Attempt`."""

    def __init__(self, ctx: PlacementContext) -> None:
        self.ctx = ctx
        self.attempts: list[Attempt] = []

    def top_down(self, block: BlockKind, size: int, align: int, lo: int, hi: int) -> int | None:
        found = self.ctx.free.top_down(size, align, lo, hi)
        self.attempts.append(Attempt(block, lo, hi, size, align, found))
        return found

    def exact(self, block: BlockKind, base: int, size: int, align: int) -> int | None:
        """memblock_phys_alloc_range(size, align, base, base + size): only ``base`` can fit."""
        found = self.ctx.free.top_down(size, align, base, base + size)
        found = found if found == base else None
        self.attempts.append(Attempt(block, base, base + size, size, align, found))
        return found


def _fixed_base_failed(search: _Search, req: Request, size: int, align: int) -> StaticResult:
    """``@offset`` that is misaligned or not free: no fallback (spec §3.1 step 1)."""
    failure = "misaligned" if req.crash_base % align else "busy"
    return StaticResult(size, (), tuple(search.attempts), failure,
                        ("crashkernel reservation failed - memory is in use.",),
                        base_used=req.crash_base)


def generic(ctx: PlacementContext, req: Request) -> StaticResult:
    """``reserve_crashkernel_generic(size, base, low_size, high)`` ([CR-6.18])."""
    arch, size = ctx.arch, req.crash_size
    align, low_max, high_max = arch.crash_align, ctx.low_max, ctx.high_max
    search = _Search(ctx)
    if req.crash_base:
        base = search.exact("main", req.crash_base, size, align)
        if base is None:
            return _fixed_base_failed(search, req, size, align)
        return StaticResult(size, (Block("main", base, base + size),), tuple(search.attempts),
                            log=(reserved_line(base, size),), base_used=base)

    low_size = req.low_size if req.high else 0
    if req.high and low_size is None:
        low_size = ctx.default_low
    fallback = None
    if req.high:
        base = search.top_down("main", size, align, low_max, high_max)
        if base is None and low_max != high_max:
            base, fallback = search.top_down("main", size, align, 0, low_max), "low"
    else:
        base = search.top_down("main", size, align, 0, low_max)
        if base is None:
            if low_max == high_max:
                return StaticResult(size, (), tuple(search.attempts), "retry-forever",
                                    (), low_size=0)
            low_size, fallback = ctx.default_low, "high"
            base = search.top_down("main", size, align, low_max, high_max)
    low_size = low_size or 0
    if base is None:
        return StaticResult(size + (low_size if fallback == "high" else 0), (),
                            tuple(search.attempts), "no-fit",
                            (f"cannot allocate crashkernel (size:0x{size:x})",),
                            fallback=fallback, low_size=low_size)
    main = Block("main", base, base + size)
    if base >= low_max and low_size:
        found = ctx.free.top_down(low_size, align, 0, low_max, (main.range,))
        search.attempts.append(Attempt("low", 0, low_max, low_size, align, found))
        if found is None:
            return StaticResult(size + low_size, (), tuple(search.attempts), "low-failed",
                                (f"cannot allocate crashkernel low memory "
                                 f"(size:0x{low_size:x}).",), fallback=fallback,
                                low_size=low_size)
        low = Block("low", found, found + low_size)
        return StaticResult(size + low_size, (main, low), tuple(search.attempts),
                            log=(low_line(found, low_size), reserved_line(base, size)),
                            fallback=fallback, low_size=low_size)
    return StaticResult(size, (main,), tuple(search.attempts), log=(reserved_line(base, size),),
                        fallback=fallback, low_size=0)


def powerpc(ctx: PlacementContext, req: Request) -> StaticResult:
    """``arch_reserve_crashkernel()`` of arch/powerpc/kexec/core.c: a fixed base, always."""
    size, page = req.crash_size, ctx.page_size
    log: list[str] = []
    base = req.crash_base or ctx.ppc_base
    aligned = align_up(base, page)
    if aligned != base:
        log.append(f"Crash kernel base must be aligned to 0x{page:x}")
    end = aligned + size
    if any(k.start < end and aligned < k.end for k in ctx.kernel_image):
        log.append("Crash kernel can not overlap current kernel")
        return StaticResult(size, (), (), "kernel-overlap", tuple(log), base_used=aligned)
    result = generic(ctx, Request(crash_size=size, crash_base=aligned))
    return StaticResult(size, result.blocks, result.attempts, result.failure,
                        tuple(log) + result.log, base_used=aligned)


def s390(ctx: PlacementContext, req: Request) -> StaticResult:
    """``reserve_crashkernel()`` of arch/s390/kernel/setup.c (normal boot: no OLDMEM)."""
    size = align_up(req.crash_size, S390_ALIGN)
    base = align_up(req.crash_base, S390_ALIGN)
    fail = "crashkernel reservation failed: "
    if not ctx.ram or ctx.ram[0].size < size:
        return StaticResult(size, (), (), "first-chunk",
                            (fail + "first memory chunk must be at least crashkernel size",),
                            base_used=base or None)
    low = size  # max(crash_size, sclp.hsa_size); the HSA size is taken as 0 (no HSA dump)
    if base and base < low:
        return StaticResult(size, (), (), "base-too-low", (fail + "crash_base too low",),
                            base_used=base)
    search = _Search(ctx)
    if base:
        found = search.exact("main", base, size, S390_ALIGN)
    else:
        found = search.top_down("main", size, S390_ALIGN, low, ctx.end_of_ram)
    if found is None:
        return StaticResult(size, (), tuple(search.attempts), "busy" if base else "no-fit",
                            (fail + "no suitable area found",), base_used=base or None)
    ram_after = ctx.total_ram - size
    return StaticResult(size, (Block("main", found, found + size),), tuple(search.attempts),
                        log=(reserving_line(found, size, ram_after),), base_used=base or None)


def arm32(ctx: PlacementContext, req: Request) -> StaticResult:
    """``reserve_crashkernel()`` of arch/arm/kernel/setup.c: 128 MiB-aligned, below lowmem."""
    size, align = req.crash_size, ctx.arch.crash_align
    search = _Search(ctx)
    limit = ctx.lowmem_limit or ctx.end_of_ram
    if req.crash_base:
        found = search.exact("main", req.crash_base, size, ARM32_FIXED_ALIGN)
        if found is None:
            return _fixed_base_failed(search, req, size, ARM32_FIXED_ALIGN)
    else:
        found = search.top_down("main", size, align, align, limit)
        if found is None:
            return StaticResult(size, (), tuple(search.attempts), "no-fit",
                                ("crashkernel reservation failed - No suitable area found.",))
    return StaticResult(size, (Block("main", found, found + size),), tuple(search.attempts),
                        log=(reserving_line(found, size, ctx.total_ram),),
                        base_used=req.crash_base or None)


def unmodelled(ctx: PlacementContext, req: Request) -> StaticResult:
    """mips and others: only a fixed base is predictable (reserved there if free)."""
    size = req.crash_size
    if req.crash_base:
        base = req.crash_base
        if ctx.free.is_free(base, base + size):
            return StaticResult(size, (Block("main", base, base + size),),
                                (Attempt("main", base, base + size, size, 1, base),),
                                base_used=base)
        return StaticResult(size, (), (Attempt("main", base, base + size, size, 1, None),),
                            "busy", base_used=base)
    return StaticResult(size, (), (), "not-modelled")


PLACERS = {"generic": generic, "ppc": powerpc, "s390": s390, "arm32": arm32, "none": unmodelled}
