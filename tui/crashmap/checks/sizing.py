"""What the reservation costs the running system, and whether it is big enough."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import percent, size, word
from crashmap.units import MiB

FLOOR = 192 * MiB
"""Documented floor when the snapshot does not know the kernel and initrd sizes: SUSE
kdumptool's fallback size and kdump-utils' x86 default for 1-4 GiB machines until 2025."""
FLOOR_PPC = 384 * MiB
"""powerpc: kdump-utils' smallest ppc64le entry and SUSE's powerpc fallback."""
RUNTIME = 64 * MiB
"""Runtime headroom of the capture kernel on top of its image and unpacked initramfs."""
COSTLY = 4
"""Warn when the static reservation exceeds 1/COSTLY of RAM."""


def check(s: Subject) -> Iterator[Finding]:
    ctx, p = s.ctx, s.placement
    ram = ctx.total_ram
    static, cma = p.static_total, p.cma.placed
    area = next((b for b in p.static.blocks if b.kind == "fadump"), None)
    lent = area is not None and p.request.fadump == "on" and not any(
        "Failed to init cma" in line for line in p.static.log)  # else kept reserved
    if lent and area is not None:
        yield Finding(
            "cost", "info",
            f"fadump=on lends its {size(area.size)} area to CMA: it stays usable until a crash "
            f"({percent(area.size, ram)} of RAM)",
            "fadump_cma_init() (arch/powerpc/kernel/fadump.c) turns the boot-memory part of the "
            "area into a CMA region, so the running kernel keeps it for movable pages; the "
            "firmware overwrites them at a crash, so they are missing from the dump.",
            "fadump=nocma keeps the area reserved when the dump must hold user pages.", "sizing")
        yield from _minimum(s)
        return
    if static or cma:
        yield Finding(
            "cost", "info",
            f"Taken from the running system: {size(static)} static ({percent(static, ram)} of "
            f"RAM)" + (f"; CMA {size(cma)} stays usable until a crash" if cma else ""),
            "Static crashkernel memory is removed from the running kernel for good; CMA memory "
            "keeps serving movable allocations (page cache, anonymous pages) and is handed to "
            "the capture kernel only when it boots.",
            "" if not s.arch.cma or cma or area is not None else
            "To give memory back, move the capture kernel's runtime share into "
            f"crashkernel=...,cma ({s.arch.name} reads it from Linux {s.arch.cma_since}).",
            "sizing")
    if static and ram and static * COSTLY > ram:
        yield Finding(
            "cost-high", "warning",
            f"The static reservation is {percent(static, ram)} of RAM",
            "Every byte reserved statically is unavailable to applications for as long as the "
            "machine runs; a capture kernel rarely needs more than a few hundred MiB plus a "
            "little per TiB of RAM for makedumpfile's bitmaps.",
            "Reduce the size (crashmap's sizing models estimate it) or move part into ,cma.",
            "sizing")
    yield from _minimum(s)


def _minimum(s: Subject) -> Iterator[Finding]:
    ctx, p, req = s.ctx, s.placement, s.request
    if not req.static_ok or req.crash_size <= 0:
        return
    facts = ctx.facts
    main = req.crash_size
    total = p.static.requested + p.cma.requested
    if facts.kernel_size and facts.initrd_size:
        images = facts.kernel_size + facts.initrd_size
        if main < images:
            yield Finding(
                "size-below-images", "error",
                f"{word(main)} cannot even hold the kernel and initrd ({size(images)}: kernel "
                f"{size(facts.kernel_size)} + initrd {size(facts.initrd_size)})",
                "kexec loads the capture kernel and its initrd into the static reservation; "
                "if they do not fit, loading fails and kdump never arms.",
                f"Use at least crashkernel={word(-(-(images + RUNTIME) // MiB) * MiB)}.",
                "sizing")
            return
        wanted = facts.kernel_size + 3 * facts.initrd_size + RUNTIME
        if total < wanted:
            yield Finding(
                "size-tight", "warning",
                f"{size(total)} is below kernel + 3 x initrd + {size(RUNTIME)} = {size(wanted)}",
                "The capture kernel unpacks its initramfs into memory (kdump-utils counts it "
                "three times) and needs room to run makedumpfile; these sizes are the running "
                "kernel's files, the kdump initrd may be smaller.",
                f"Use crashkernel={word(-(-wanted // MiB) * MiB)} or check with a test crash.",
                "sizing")
        return
    floor = FLOOR_PPC if s.arch.family == "powerpc" else FLOOR
    if total < floor:
        yield Finding(
            "size-below-floor", "warning",
            f"{size(total)} is below the {size(floor)} floor (SUSE kdumptool's fallback size)",
            "The capture kernel, its initramfs and makedumpfile must fit; too little memory "
            "makes the capture kernel run out of memory and the dump is lost. The snapshot does "
            "not know the kernel and initrd sizes, so a documented floor stands in.",
            f"Use at least crashkernel={word(floor)}, then verify with a test crash.", "sizing")
