"""Where powerpc's firmware-assisted dump puts its area instead of a kdump block.

``early_init_devtree()`` (arch/powerpc/kernel/prom.c) runs
``if (fadump_reserve_mem() == 0) reserve_crashkernel();``: with fadump on and reserved, the
kdump ``crashkernel=`` block is never reserved; if fadump cannot reserve its area it falls back
to kexec-based kdump with the same ``crashkernel=`` size.

``fadump_reserve_mem()`` (arch/powerpc/kernel/fadump.c), not during a dump capture:

1. boot memory = ``PAGE_ALIGN(fadump_calculate_reserve_size())`` (crashkernel= capped at RAM/4,
   else 5 % of RAM; :func:`crashmap.kernel.fadump.boot_memory_size`), raised to
   ``CMA_MIN_ALIGNMENT_BYTES`` unless ``fadump=nocma``; below ``fadump_get_bootmem_min()``
   (pSeries: ``RTAS_FADUMP_MIN_BOOT_MEM``) it gives up: "Can't enable fadump with boot memory
   size (0x%lx) less than 0x%llx";
2. ``fadump_get_boot_mem_regions()``: the boot memory is the first that many bytes of RAM,
   holes skipped; ``boot_mem_top = PAGE_ALIGN(boot_memory_size + hole_size)``;
3. ``fadump_locate_reserve_mem(boot_mem_top, size)``: the lowest free range start at or above
   ``boot_mem_top``, aligned to ``CMA_MIN_ALIGNMENT_BYTES`` unless nocma (the CMA-aligned base
   is Ritesh Harjani's "Make fadump reserve_dump_area_start CMA aligned in case of holes",
   linuxppc-dev 2024-10-08), with ``size`` free bytes there: bottom-up, "to minimize the impact
   of memory hot-remove";
4. ``memblock_reserve(base, size)`` and "Reserved %lldMB of memory at %#016llx (System RAM:
   %lldMB)"; with fadump=on ``fadump_cma_init()`` then hands the area's boot-memory part to CMA.

``size`` = ``get_fadump_area_size()``: the boot memory plus firmware-sized CPU state and HPTE
regions and a few hundred bytes of headers (:data:`HEADER_BYTES`). The firmware sizes
(``ibm,configure-kernel-dump-sizes``) are not in any snapshot, so they count as 0 here (QEMU
reports none). memblock_reserve() creates no ``/proc/iomem`` resource: the area stays inside System
RAM (``/sys/kernel/fadump/mem_reserved`` says how much). OPAL's firmware reserved ranges are not
modelled.
"""

from __future__ import annotations

from crashmap.kernel.fadump import RTAS_MIN_BOOT_MEM, boot_memory_size
from crashmap.placement.context import PlacementContext
from crashmap.placement.result import Attempt, Block, Request, StaticResult
from crashmap.units import align_up

NOTE = ("fadump: the area is memblock_reserve()d, so /proc/iomem will show no line for it "
        "(as for powerpc's kdump block); /sys/kernel/fadump/mem_reserved gives its size "
        "(arch/powerpc/kernel/fadump.c fadump_reserve_mem)")
FALLBACK = ("fadump could not reserve its area: early_init_devtree() falls back to "
            "reserve_crashkernel(), a kexec-based kdump block (arch/powerpc/kernel/prom.c)")

CMA_BASE_SINCE = (6, 13)
"""From which kernel the area's base is CMA-aligned with fadump=on. Linux 6.12.118 (Debian's
linux-source-6.12) still has ``base = PAGE_ALIGN(mstart)`` in ``fadump_locate_reserve_mem()``
(arch/powerpc/kernel/fadump.c line 516), so a base in a range starting off a pageblock makes
``cma_init_reserved_mem()`` fail in ``fadump_cma_init()`` ("Failed to init cma area for
firmware-assisted dump") and the area stays reserved as with nocma. The fix is Harjani's
2024-10-08 patch; 6.13 as the first release with it is an assumption (not re-read)."""

HEADER_BYTES = 0x2A8
"""What ``get_fadump_area_size()`` adds to the boot memory besides the firmware-sized CPU state
and HPTE regions: the crash info header and the platform's metadata (Linux 6.12.118
fadump.c: no final PAGE_ALIGN). 0x2a8 bytes on QEMU pSeries, as the patch mail's dmesg shows
("from 0x1010002a8 bytes" for 4112 MiB of boot memory)."""


def boot_mem_top(ram: list, size: int, page: int) -> int:
    """``fadump_get_boot_mem_regions()``: the end of the first ``size`` bytes of RAM plus the
    holes before it, page-aligned (``ram`` sorted, merged)."""
    hole = last_end = covered = 0
    for r in ram:
        hole += r.start - last_end
        if covered + r.size >= size:
            break
        covered += r.size
        last_end = r.end
    return align_up(size + hole, page)


def locate(ctx: PlacementContext, base: int, size: int, align: int) -> int | None:
    """``fadump_locate_reserve_mem()``: walk the free ranges upwards; a range starting above
    ``base`` moves it to ``ALIGN(mstart, align)``; the first range with ``size`` bytes from
    ``base`` to its end holds the area. None: "Failed to find memory chunk"."""
    for r in ctx.free.ranges:
        if r.start > base:
            base = align_up(r.start, align)
        if r.end > base and r.end - base >= size:
            return base if base + size <= ctx.end_of_ram else None
    return None


def reserve(ctx: PlacementContext, req: Request) -> tuple[StaticResult, int]:
    """``fadump_reserve_mem()``: the area (kind ``fadump``) and the boot memory it preserves;
    a failure (``StaticResult.failure``) means the kernel falls back to kdump."""
    page, cma = ctx.page_size, req.fadump == "on"
    crash = req.crash_size if req.static_ok else None
    boot, _how = boot_memory_size(crash, ctx.total_ram)
    boot = align_up(boot, page)
    if cma:
        boot = align_up(boot, ctx.arch.pageblock)
    if boot < RTAS_MIN_BOOT_MEM:
        return StaticResult(boot, (), (), "fadump-small", (
            f"fadump: Can't enable fadump with boot memory size (0x{boot:x}) less than "
            f"0x{RTAS_MIN_BOOT_MEM:x}",)), boot
    size = boot + HEADER_BYTES
    kernel = ctx.kernel
    cma_base = cma and (kernel is None or kernel.at_least(CMA_BASE_SINCE))
    align = ctx.arch.pageblock if cma_base else page
    lo = boot_mem_top(ctx.ram, boot, page)
    found = locate(ctx, lo, size, align)
    attempt = Attempt("fadump", lo, ctx.end_of_ram, size, align, found, True)
    if found is None:
        return StaticResult(size, (), (attempt,), "no-fit", (
            "fadump: Failed to find memory chunk for reservation!",)), boot
    log = [f"fadump: Reserved {size >> 20}MB of memory at {found:#016x} "
           f"(System RAM: {ctx.total_ram >> 20}MB)"]
    if cma and found % ctx.arch.pageblock:  # cma_init_reserved_mem(): -EINVAL
        log.append("fadump: Failed to init cma area for firmware-assisted dump,-22")
    elif cma:
        log.append(f"fadump: Initialized {boot:#x} bytes cma area at {found >> 20}MB from "
                   f"{size:#x} bytes of memory reserved for firmware-assisted dump")
    return StaticResult(size, (Block("fadump", found, found + size),), (attempt,),
                        log=tuple(log)), boot
