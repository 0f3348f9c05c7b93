"""Low and high memory: the split, the silent low companion, ``,low`` sizes (spec §3.1)."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import mib_floor, size, span, word
from crashmap.units import MiB

SWIOTLB_DEFAULT = 64 * MiB

LOW_ROLE = ("The capture kernel needs some memory below CRASH_ADDR_LOW_MAX for swiotlb bounce "
            "buffers and for devices that can only address 32 bits (DMA/DMA32 allocations).")


def check(s: Subject) -> Iterator[Finding]:
    ctx, p, req = s.ctx, s.placement, s.request
    if s.arch.placement != "generic" or not req.static_ok or req.crash_size <= 0:
        return
    low_name = "4 GiB" if s.arch.family == "x86" else f"{ctx.low_max:#x}"
    static = p.static
    if static.failure == "low-failed":
        best = ctx.free.largest_fit(0, ctx.low_max, s.arch.crash_align)
        largest = f"{size(best.size)} at {span(best)}" if best else "none"
        fix = (f"Ask for a smaller low part explicitly: crashkernel={word(req.crash_size)},high "
               f"crashkernel={word(mib_floor(best.size))},low" if best and best.size >= MiB
               else "Free memory below LOW_MAX, or use a smaller static size that fits low.")
        yield Finding(
            "low-companion-fails", "error",
            f"The main block fits above {low_name}, but its {size(static.low_size)} low part "
            f"does not fit below it (largest free block there: {largest}); the kernel frees "
            f"the main block and reserves nothing",
            f"{LOW_ROLE} When the main block lands above LOW_MAX the kernel also reserves a low "
            f"part; if that fails it prints 'cannot allocate crashkernel low memory' and gives "
            f"the main block back.", fix, "lowhigh", best)
    if static.fallback == "high" and p.low is not None:
        total = p.static_total
        yield Finding(
            "silent-low", "warning",
            f"{word(req.crash_size)} does not fit below {low_name}, so the kernel puts it above "
            f"and silently adds a {size(p.low.size)} low block: {size(total)} in all",
            f"For a plain size the kernel tries below CRASH_ADDR_LOW_MAX first, then above it, "
            f"adding DEFAULT_CRASH_KERNEL_LOW_SIZE ({ctx.default_low_source}) below. "
            f"{LOW_ROLE}",
            f"Say it explicitly so nothing is hidden: crashkernel={word(req.crash_size)},high "
            f"crashkernel={word(p.low.size)},low (same result), or shrink the size until it "
            f"fits below {low_name}.", "lowhigh", p.low.range)
    elif req.high and static.fallback == "low":
        yield Finding(
            "high-fell-back-low", "info",
            f"No room above {low_name}: the ,high block falls back below it, without a low part",
            "crashkernel=X,high searches above CRASH_ADDR_LOW_MAX first and falls back below it; "
            "a block that ends up low needs no separate low part.",
            "", "lowhigh", p.main.range if p.main else None)
    elif req.high and req.low_size is None and p.low is not None:
        yield Finding(
            "default-low", "info",
            f",high without ,low: the kernel adds a {size(p.low.size)} low block "
            f"({ctx.default_low_source})",
            f"{LOW_ROLE} With no crashkernel=...,low word the kernel reserves "
            f"DEFAULT_CRASH_KERNEL_LOW_SIZE below LOW_MAX next to the high block.",
            f"Write crashkernel={word(p.low.size)},low if you want the size visible, or a "
            f"different ,low size.", "lowhigh", p.low.range)
    yield from _low_size(s)
    if s.arch.family in ("arm64", "riscv") and "assumed" in ctx.low_max_source:
        yield Finding(
            "low-max-assumed", "info",
            f"CRASH_ADDR_LOW_MAX is {ctx.low_max_source}",
            f"On {s.arch.name} the low window ends at the DMA zone limit, which the boot log's "
            f"'Zone ranges' lines give; without them 4 GiB is assumed (1 GiB on a Raspberry "
            f"Pi 4, whose ZONE_DMA is 30 bits).",
            "Load a snapshot with its boot log (crashmap snapshot as root) to know it.",
            "lowhigh")


def _low_size(s: Subject) -> Iterator[Finding]:
    ctx, p, req = s.ctx, s.placement, s.request
    main = p.main
    if main is None or main.start < ctx.low_max:
        return
    if req.high and req.low_size == 0:
        yield Finding(
            "zero-low", "warning",
            "crashkernel=0,low: the capture kernel gets no memory below "
            + ("4 GiB" if s.arch.family == "x86" else f"{ctx.low_max:#x}"),
            f"{LOW_ROLE} Without it, drivers of 32-bit DMA devices and swiotlb fail in the "
            f"capture kernel (allocation failures such as 'order:5 GFP_DMA'), and the dump "
            f"may never be written.",
            f"Drop crashkernel=0,low (default {size(ctx.default_low)}) or give a size such as "
            f"crashkernel={word(ctx.default_low)},low.", "lowhigh", main.range)
        return
    low = p.low
    if low is None or s.arch.family != "x86":
        return
    needed = (ctx.facts.swiotlb_size or SWIOTLB_DEFAULT) + 8 * MiB
    if low.size < needed:
        yield Finding(
            "low-too-small", "warning",
            f"The low block ({size(low.size)}) is smaller than swiotlb + 8 MiB "
            f"({size(needed)})",
            f"{LOW_ROLE} x86 sizes its default low block as max(swiotlb + 8 MiB, 256 MiB) "
            f"for this reason.",
            f"Use crashkernel={word(max(needed, ctx.default_low))},low or drop the ,low word.",
            "lowhigh", low.range)
