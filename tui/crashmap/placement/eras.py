"""Where older kernels put the static block: the placement eras before the generic code.

:func:`crashmap.kernel.versions.placement_era` names the era of the target kernel; each placer
here mirrors that era's ``reserve_crashkernel()`` and returns a :class:`StaticResult` with the
kernel log lines it printed. The generic code (Linux 6.7+) is :func:`crashmap.placement.static.
generic`; an era crashmap does not know (``unknown``) places only a fixed base.
"""

from __future__ import annotations

from crashmap.memmap import FOUR_GIB
from crashmap.placement.context import PlacementContext
from crashmap.placement.result import Attempt, Block, Request, StaticResult
from crashmap.placement.static import _Search, low_line, reserved_line, unmodelled
from crashmap.units import MiB, TiB

X86_ALIGN = 16 * MiB
"""CRASH_ALIGN of arch/x86/kernel/setup.c; also the bottom of every automatic search there."""
X86_FIXED_ALIGN = 1 * MiB
"""x86 before 6.7 checked a fixed base with 1 MiB alignment (``memblock_find_in_range(...,
1 << 20)``, later ``SZ_1M``); the generic code asks for CRASH_ALIGN, 16 MiB."""
X86_LOW_896M = 896 * MiB
"""CRASH_ADDR_LOW_MAX of x86_64 before 9ca5c8e632ce (Linux 5.2)."""
X86_HIGH_MAX = 64 * TiB
X86_OLD_LOW_DEFAULT = 72 * MiB
"""swiotlb + 8 MiB: the default low block before 94fb93341822 ("x86/crash: Allocate enough low
memory when crashkernel=high"), which made it max(swiotlb + 8 MiB, 256 MiB); that commit's
release was not pinned down (5.1 is assumed)."""


def x86_legacy_reserving(base: int, size: int, ram: int) -> str:
    return (f"Reserving {size >> 20}MB of memory at {base >> 20}MB for crashkernel "
            f"(System RAM: {ram >> 20}MB)")


def x86_legacy_low(size: int, base: int, limit: int) -> str:
    return (f"Reserving {size >> 20}MB of low memory at {base >> 20}MB for crashkernel "
            f"(low RAM limit: {limit >> 20}MB)")


def _x86_default_low(ctx: PlacementContext) -> int:
    kernel = ctx.kernel
    if kernel is not None and not kernel.at_least((5, 1)):
        return X86_OLD_LOW_DEFAULT if ctx.facts.swiotlb_size is None else \
            ctx.facts.swiotlb_size + 8 * MiB
    return ctx.default_low


def x86_legacy(ctx: PlacementContext, req: Request) -> StaticResult:
    """``reserve_crashkernel()`` of arch/x86/kernel/setup.c before the generic code (6.7).

    Linux 5.2-6.6: a plain size searches [16 MiB, 4 GiB) top-down, then [16 MiB, 64 TiB)
    (9ca5c8e632ce, b9ac3849af41); ``,high`` searches [16 MiB, 64 TiB) at once. Before 5.2 the low
    window ends at 896 MiB and only ``,high`` goes higher. A block at or above 4 GiB gets a low
    block from ``reserve_crashkernel_low()``: the ``,low`` size if one parses (``0,low``: none),
    else the default, even next to a plain word.
    """
    size, search = req.crash_size, _Search(ctx)
    old = ctx.era.key == "x86-896m"
    low_max = X86_LOW_896M if old else FOUR_GIB
    high_max = min(X86_HIGH_MAX, max(ctx.end_of_ram, FOUR_GIB))
    if req.crash_base:
        base = search.exact("main", req.crash_base, size, X86_FIXED_ALIGN)
        if base is None:
            failure = "misaligned" if req.crash_base % X86_FIXED_ALIGN else "busy"
            return StaticResult(size, (), tuple(search.attempts), failure,
                                ("crashkernel reservation failed - memory is in use.",),
                                base_used=req.crash_base)
    else:
        base = None
        if not req.high:
            base = search.top_down("main", size, X86_ALIGN, X86_ALIGN, low_max)
        if base is None and (req.high or not old):
            base = search.top_down("main", size, X86_ALIGN, X86_ALIGN, high_max)
        if base is None:
            return StaticResult(size, (), tuple(search.attempts), "no-fit",
                                ("crashkernel reservation failed - No suitable area found.",),
                                fallback="high" if not req.high and not old else None)
    main = Block("main", base, base + size)
    fallback = "high" if not req.high and base >= low_max and not req.crash_base else None
    used = base if req.crash_base else None
    if base < FOUR_GIB:
        return StaticResult(size, (main,), tuple(search.attempts),
                            log=(x86_legacy_reserving(base, size, ctx.total_ram),),
                            fallback=fallback, base_used=used)
    low_size = _x86_default_low(ctx) if req.low_size is None else req.low_size
    if not low_size:  # crashkernel=0,low
        return StaticResult(size, (main,), tuple(search.attempts),
                            log=(x86_legacy_reserving(base, size, ctx.total_ram),),
                            fallback=fallback, base_used=used)
    found = search.top_down("low", low_size, X86_ALIGN, 0, FOUR_GIB)
    if found is None:
        return StaticResult(size + low_size, (), tuple(search.attempts), "low-failed",
                            (f"Cannot reserve {low_size >> 20}MB crashkernel low memory, please "
                             f"try smaller size.",), fallback=fallback, low_size=low_size,
                            base_used=used)
    limit = min(ctx.total_ram, FOUR_GIB)
    low = Block("low", found, found + low_size)
    return StaticResult(size + low_size, (main, low), tuple(search.attempts),
                        log=(x86_legacy_low(low_size, found, limit),
                             x86_legacy_reserving(base, size, ctx.total_ram)),
                        fallback=fallback, low_size=low_size, base_used=used)


ARM64_DEFAULT_LOW = 128 * MiB


def arm64_legacy(ctx: PlacementContext, req: Request) -> StaticResult:
    """``reserve_crashkernel()`` of arch/arm64/mm/init.c, Linux 5.19 to 6.4.

    5.19-6.1 (944a45abfabc): a plain size searches [0, DMA limit) only. 6.2-6.4 (a9ae89df7377,
    a149cf00b158): when that fails it retries [0, end of RAM) with a 128 MiB low block, and
    ``,high`` searches [0, end of RAM) at once; the low block is added when the main one starts
    above DMA limit - low size. ``,high`` on 5.19-6.1 is not modelled (its default low size was
    not pinned down).
    """
    size, align = req.crash_size, ctx.arch.crash_align
    size = (size + ctx.page_size - 1) // ctx.page_size * ctx.page_size  # PAGE_ALIGN
    search = _Search(ctx)
    old = ctx.era.key == "arm64-5.19"
    low_max, high_max = ctx.low_max, ctx.high_max
    if req.crash_base:
        base = search.exact("main", req.crash_base, size, align)
        if base is None:
            log = ("crashkernel reservation failed - memory is in use." if not old else
                   f"cannot allocate crashkernel (size:0x{size:x})",)
            failure = "misaligned" if req.crash_base % align else "busy"
            return StaticResult(size, (), tuple(search.attempts), failure, log,
                                base_used=req.crash_base)
        return StaticResult(size, (Block("main", base, base + size),), tuple(search.attempts),
                            log=(reserved_line(base, size),), base_used=base)
    if old and req.high:
        return StaticResult(size, (), (), "not-modelled")
    low_size = 0
    fallback = None
    if req.high:
        low_size = ARM64_DEFAULT_LOW if req.low_size is None else req.low_size
        base = search.top_down("main", size, align, 0, high_max)
    else:
        base = search.top_down("main", size, align, 0, low_max)
        if base is None and not old:
            low_size, fallback = ARM64_DEFAULT_LOW, "high"
            base = search.top_down("main", size, align, 0, high_max)
    if base is None:
        return StaticResult(size + low_size, (), tuple(search.attempts), "no-fit",
                            (f"cannot allocate crashkernel (size:0x{size:x})",),
                            fallback=fallback, low_size=low_size)
    main = Block("main", base, base + size)
    if low_size and base > low_max - low_size:
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
                        fallback=fallback)


ERA_PLACERS = {"x86-4g": x86_legacy, "x86-896m": x86_legacy, "arm64-6.2": arm64_legacy,
               "arm64-5.19": arm64_legacy, "unknown": unmodelled}
"""Placers of the eras that are not the arch's current code (keys of
:func:`crashmap.kernel.versions.placement_era`)."""
