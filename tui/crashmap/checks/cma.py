"""``crashkernel=size,cma``: support, the areas the kernel gets, and what CMA costs the dump."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import size, span, word
from crashmap.memmap import FOUR_GIB, Range
from crashmap.units import MiB

MOVABLE_SHARE = 2
"""Warn when CMA exceeds 1/MOVABLE_SHARE of the RAM left after the static reservation: the
running kernel also needs room for unmovable allocations (slab, page tables, pinned pages)."""
ZONE_EDGES = {"x86": (16 * MiB, FOUR_GIB)}
"""Zone boundaries an area must not cross (x86_64: ZONE_DMA < 16 MiB, ZONE_DMA32 < 4 GiB)."""

VMCORE = ("CMA areas are excluded from /proc/vmcore: whatever the first kernel kept there "
          "(user pages, page cache, movable kernel allocations such as zswap and balloon pages) "
          "is missing from the dump at every makedumpfile level.")


def check(s: Subject) -> Iterator[Finding]:
    req, p, arch = s.request, s.placement, s.arch
    asked = req.cma_size or req.cma_ignored
    if not asked:
        return
    if not arch.cma:
        yield _unsupported(s, asked)
        return
    if req.cma_ignored and "cma-without-static" not in s.lint_codes:
        yield Finding(
            "cma-needs-static", "error",
            f"crashkernel={word(asked)},cma alone reserves nothing on {arch.name}",
            "The CMA areas only hold the capture kernel's runtime memory; the kernel image and "
            "initrd must sit in a static crashkernel= block, and x86 reads ,cma only after a "
            "valid static size.",
            f"Add a static block: crashkernel=256M crashkernel={word(asked)},cma.", "cma")
    if not req.reserves_cma:
        return
    yield from _areas(s)
    yield from _caveats(s)
    if p.static.ok and arch.family == "x86":
        yield Finding(
            "cma-static-role", "info",
            f"Static {size(p.static_total)} for the capture kernel and initrd, CMA "
            f"{size(p.cma.placed)} for its runtime memory",
            "On x86 the static block holds what kexec loads (kernel, initrd, boot data); the "
            "CMA areas become extra RAM of the capture kernel only after a crash.",
            "", "cma")


def _unsupported(s: Subject, asked: int) -> Finding:
    """``,cma`` on an arch or kernel whose caller passes no ``cma_size`` pointer."""
    from crashmap.kernel.versions import CMA_READ, cma_rule

    arch, kernel = s.arch, s.ctx.kernel
    rule = cma_rule(arch) if arch.name != "i386" else None
    on = f" on {kernel.name}" if kernel is not None else ""
    if rule is not None:
        why = (f"{arch.name} reads ,cma words from Linux {rule.since_text} ({rule.cite()}); "
               f"an older kernel's caller passes no cma_size pointer and skips the word "
               f"silently.")
        fix = (f"Boot Linux {rule.since_text} or newer (plan for it with --kernel), or put "
               f"the memory into the static size (crashkernel=... plus {word(asked)}).")
    else:
        readers = ", ".join(f"{family} {r.since_text}" for family, r in CMA_READ.items())
        why = (f"The {arch.family} caller of parse_crashkernel() passes no cma_size pointer on "
               f"any kernel, so the kernel skips the word silently (,cma is read by {readers}).")
        fix = f"Put the memory into the static size instead (crashkernel=... plus {word(asked)})."
    return Finding("cma-unsupported", "warning",
                   f"crashkernel={word(asked)},cma is ignored on {arch.name}{on}", why, fix,
                   "cma")


def _areas(s: Subject) -> Iterator[Finding]:
    ctx, p = s.ctx, s.placement
    cma = p.cma
    areas = ", ".join(f"{size(a.size)} at {span(a.range)}" for a in cma.areas) or "none"
    if not cma.areas:
        biggest = ctx.free.largest_fit(0, ctx.end_of_ram, s.arch.pageblock)
        yield Finding(
            "cma-fails", "error",
            f"No CMA area can be reserved: {cma.log[-1] if cma.log else ''}",
            "Each area must be one contiguous, pageblock-aligned free range; the kernel halves "
            "the request after every failure down to one page.",
            f"Reduce the ,cma size (largest free block: "
            f"{size(biggest.size) if biggest else 'none'}).", "cma",
            biggest)
        return
    if cma.short:
        yield Finding(
            "cma-short", "warning",
            f"CMA: {size(cma.requested)} asked, {size(cma.counted)} reserved in "
            f"{len(cma.areas)} areas ({areas})",
            "reserve_crashkernel_cma() tries the whole size, halves the request after each "
            "failure, and stops after 4 areas (CRASHKERNEL_CMA_RANGES_MAX), so fragmented "
            "memory can leave it short.",
            f"Reduce ,cma to {word(cma.counted)} or free larger blocks.", "cma",
            cma.areas[0].range)
    elif len(cma.areas) > 1 or cma.counted > cma.requested:
        over = (f", {size(cma.counted - cma.requested)} more than asked"
                if cma.counted > cma.requested else "")
        yield Finding(
            "cma-split", "info",
            f"CMA comes in {len(cma.areas)} areas ({areas}){over}",
            "After a failure the kernel halves the request and keeps that size for the next "
            "areas (it never resets it to the remainder), so the areas can add up to more than "
            "asked; each is also rounded up to a pageblock.",
            "", "cma", cma.areas[0].range)
    else:
        area = cma.areas[0]
        yield Finding(
            "cma-area", "info", f"CMA area {size(area.size)} at {span(area.range)}",
            "cma_declare_contiguous() searches bottom-up from 4 GiB when RAM reaches 4 GiB + "
            "size, so the area sits just above 4 GiB, away from the DMA zones.",
            "", "cma", area.range)
    for area in cma.areas:
        for edge in ZONE_EDGES.get(s.arch.family, ()):
            if area.start < edge < area.end:
                yield Finding(
                    "cma-zone-straddle", "warning",
                    f"CMA area {span(area.range)} crosses the zone boundary at {edge:#x}",
                    "All pages of one CMA area must lie in one memory zone; an area that spans "
                    "two is not activated at boot, so that memory is lost to both kernels.",
                    "Reduce the ,cma size so the area fits above 4 GiB.", "cma", area.range)
        if area.end <= FOUR_GIB < ctx.end_of_ram:
            yield Finding(
                "cma-below-4g", "info",
                f"CMA area {span(area.range)} had to go below 4 GiB",
                "The bottom-up search above 4 GiB failed, so the area was placed top-down "
                "anywhere, taking memory from ZONE_DMA32 that 32-bit devices need.",
                "Reduce the ,cma size.", "cma", area.range)


def _caveats(s: Subject) -> Iterator[Finding]:
    ctx, p = s.ctx, s.placement
    facts = ctx.facts
    specific = []
    if facts.zswap_enabled:
        specific.append("zswap is enabled: its compressed pages can live in CMA")
    if facts.balloon_loaded:
        specific.append("a balloon driver is loaded: ballooned pages are movable and can sit "
                        "in CMA")
    yield Finding(
        "cma-vmcore-gap", "warning" if specific else "info",
        "The dump will miss the contents of the CMA areas" +
        (f" ({'; '.join(specific)})" if specific else ""),
        VMCORE + " Do not use ,cma when user memory must be in the dump.",
        "Keep ,cma only if the kernel's own memory is what you debug; otherwise use a static "
        "block (and for user data, makedumpfile without -d 8).", "cma")
    yield Finding(
        "cma-dma-wait", "info",
        "A crash waits a fixed 10 s before the capture kernel starts",
        "With CMA areas the kernel busy-waits CMA_DMA_TIMEOUT_SEC = 10 s after a panic so "
        "that DMA into pages it lent out can finish; DMA still in flight can corrupt the "
        "capture kernel's memory, which the kernel documents as a higher risk of a failed dump.",
        "Accept the delay, or use a static reservation only.", "cma")
    movable = ctx.free.free_in(0, ctx.end_of_ram) - p.static_total
    if p.cma.placed and movable > 0 and p.cma.placed * MOVABLE_SHARE > movable:
        yield Finding(
            "cma-exceeds-movable", "warning",
            f"CMA ({size(p.cma.placed)}) is more than half of the RAM left to the running "
            f"kernel ({size(movable)})",
            "The first kernel may put only movable pages in CMA; its unmovable allocations "
            "(slab, page tables, pinned and DMA buffers) must fit in the rest, or it runs out "
            "of memory while CMA sits idle.",
            f"Reduce ,cma to at most {word(movable // MOVABLE_SHARE // MiB * MiB)}.", "cma",
            Range(min(a.start for a in p.cma.areas), max(a.end for a in p.cma.areas)))
