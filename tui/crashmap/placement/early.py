"""What memblock already holds when the crash kernel is placed, that /proc/iomem does not show.

Each is a :class:`Hidden` range with a sentence saying where crashmap learnt it:

- the initrd: x86 logs ``RAMDISK: [mem ...]`` (and ``Move RAMDISK ... to [mem ...]`` when
  ``reserve_initrd()`` copies it out of memory that is not mapped RAM);
- CMA areas reserved earlier in ``setup_arch()`` (``cma=``, hugetlb): ``cma: Reserved ...``;
  the global area is declared by ``dma_contiguous_reserve()`` before
  ``arch_reserve_crashkernel()`` (arch/x86/kernel/setup.c, arch/arm64/mm/init.c);
- x86_64's direct-map page tables, computed from the map (:mod:`.x86_pagetables`);
- arm32's early page tables at the top of lowmem (assumed).

:mod:`crashmap.bootlog` is imported only when there is a boot log to read.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.memmap import MemoryMap, Range
from crashmap.units import MiB

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

ARM32_LOWMEM = 768 * MiB
"""arm32 lowmem with the default 3G/1G split and 240 MiB vmalloc: 0xf0000000 - PAGE_OFFSET."""
ARM32_EARLY_TOP = 2 * MiB
"""arm32 allocates its early page tables top-down below the lowmem limit before the crash
kernel is placed; modelled as one hidden 2 MiB section at the top of lowmem."""
FIRST_MIB = Range(0, 1 * MiB)
"""x86 reserves the whole first MiB early (``x86_platform.realmode_reserve()``)."""


class Hidden(namedtuple("Hidden", "range what")):
    """A reservation memblock held when the crash kernel was placed that /proc/iomem omits."""

    __slots__ = ()


def _span(r: Range) -> str:
    return f"{r.start:#x}-{r.end - 1:#x}"


def initrd(boot_log: str | None) -> list[Hidden]:
    if not boot_log:
        return []
    from crashmap.bootlog import ramdisk_original, ramdisk_range

    ramdisk = ramdisk_range(boot_log)
    if ramdisk is None:
        return []
    moved = ramdisk != ramdisk_original(boot_log)
    line = "'Move RAMDISK' line" if moved else "RAMDISK line"
    return [Hidden(ramdisk, f"the initrd ({_span(ramdisk)}, from the boot log's {line})")]


def numa_node_data(boot_log: str | None) -> list[Hidden]:
    """NUMA kernels allocate each node's ``pg_data_t`` top-down in that node from
    ``initmem_init()`` / ``arch_numa_init()``, before the crash kernel is placed."""
    if not boot_log:
        return []
    from crashmap.bootlog import node_data

    return [Hidden(r, f"a NUMA node's pg_data_t ({_span(r)}, boot log 'NODE_DATA ... "
                      f"allocated')") for r in node_data(boot_log)]


def earlier_cma(boot_log: str | None, crash_cma: tuple[Range, ...]) -> list[Hidden]:
    """CMA areas of the boot log that are not the crash kernel's own (those are released)."""
    if not boot_log:
        return []
    from crashmap.bootlog import cma_reservations

    own = set(crash_cma)
    return [Hidden(r, f"the CMA area {_span(r)} (boot log: 'cma: Reserved', declared before "
                      f"the crash kernel)") for r in cma_reservations(boot_log) if r not in own]


def cma_word(cmdline: str | None) -> str | None:
    """The last ``cma=`` word of ``cmdline`` (the one the kernel keeps), or None."""
    return next((w for w in reversed((cmdline or "").split()) if w.startswith("cma=")), None)


def no_gbpages(cmdline: str | None) -> bool:
    """``nogbpages`` is a word of ``cmdline`` (arch/x86/mm/init_64.c: no 1 GiB direct map)."""
    return bool(cmdline) and "nogbpages" in (cmdline or "").split()


CMDLINE_READ = (cma_word, no_gbpages)
"""All that the early reservations read of the command line (a fleet shares one context
between hosts whose lines agree on these: :func:`crashmap.placement.context.reuse_context`)."""


def cmdline_cma(cmdline: str | None, free: list[Range], align: int, limit: int,
                floor: int) -> list[Hidden]:
    """The global ``cma=SIZE[@BASE[-LIMIT]]`` area, placed as ``dma_contiguous_reserve()``
    (kernel/dma/contiguous.c) would: for a snapshot whose boot log does not show it."""
    from crashmap.kernel.memparse import memparse
    from crashmap.placement.cma import declare_area
    from crashmap.placement.freelist import FreeList

    word = cma_word(cmdline)
    value = word[4:] if word else None
    if not value:
        return []
    size, end = memparse(value)
    if not end or size <= 0:
        return []
    rest = value[end:]
    if rest.startswith("@"):
        base, used = memparse(rest[1:])
        area = Range(base, base + size) if used and base else None
        what = "fixed base"
    else:
        block, _ = declare_area(FreeList(free, floor=floor), align, limit, size)
        area = None if block is None else block.range
        what = "placed as cma_declare_contiguous() does"
    if area is None:
        return []
    return [Hidden(area, f"the global CMA area {_span(area)} (inferred from {value!r} on the "
                         f"command line, {what}; the boot log would say)")]


_PAGE_TABLES: list[tuple[Any, ...]] = []
"""The last few answers of :func:`x86_page_tables`: contexts of one map built for other facts
(a fleet's hosts of one machine on other command lines) replay the walk once."""


def x86_page_tables(memmap: MemoryMap, ram: list[Range], boot_log: str | None,
                    cmdline: str | None) -> tuple[list[Hidden], list[Hidden] | None]:
    """x86_64 ``init_mem_mapping()``'s memblock page tables (arch/x86/mm/init.c).

    Returns the pages under the likely assumption and, when the boot log does not say whether
    the direct map uses 1 GiB pages and the answer changes the pages, the pages without them.
    """
    nogb = no_gbpages(cmdline)
    for known, known_ram, log, flag, answer in _PAGE_TABLES:
        if known is memmap and known_ram == ram and log == boot_log and flag == nogb:
            return answer
    answer = _x86_page_tables(memmap, ram, boot_log, cmdline)
    _PAGE_TABLES.insert(0, (memmap, ram, boot_log, nogb, answer))
    del _PAGE_TABLES[64:]
    return answer


def _x86_page_tables(memmap: MemoryMap, ram: list[Range], boot_log: str | None,
                     cmdline: str | None) -> tuple[list[Hidden], list[Hidden] | None]:
    from crashmap.placement.x86_pagetables import BRK_PAGES, PAGE, early_page_tables

    kernel = memmap.kernel_image
    if not kernel or not ram:
        return [], None
    brk_start = -(-max(k.end for k in kernel) // PAGE) * PAGE  # __brk_base follows the bss
    brk = Range(brk_start, brk_start + BRK_PAGES * PAGE)
    reserved = [FIRST_MIB, Range(min(k.start for k in kernel), brk.end)]
    gb = None
    if boot_log:
        from crashmap.bootlog import gb_pages, ramdisk_original

        original = ramdisk_original(boot_log)
        if original is not None:
            reserved.append(original)
        gb = gb_pages(boot_log)
    if gb is None and no_gbpages(cmdline):
        gb = False

    def pages(gbpages: bool, basis: str) -> list[Hidden]:
        try:
            _, taken = early_page_tables(ram, reserved, brk, gbpages=gbpages)
        except ValueError:
            return []
        return [Hidden(r, f"the direct-map page tables init_mem_mapping() took from memblock "
                          f"({_span(r)}, arch/x86/mm/init.c; computed from the map{basis})")
                for r in taken]

    if gb is not None:
        return pages(gb, ""), None
    likely = pages(True, ", 1 GiB pages assumed")
    other = pages(False, ", without 1 GiB pages")
    return likely, (None if [h.range for h in other] == [h.range for h in likely] else other)


def arm32_lowmem_top(ram: list[Range], end_of_ram: int) -> tuple[int, Hidden]:
    lowmem_limit = min(ram[0].start + ARM32_LOWMEM, end_of_ram, 1 << 32)
    top = Range(max(lowmem_limit - ARM32_EARLY_TOP, ram[0].start), lowmem_limit)
    return lowmem_limit, Hidden(top, f"the early page tables at the top of lowmem "
                                     f"({_span(top)}, assumed)")


def x86_confidence(boot_log: str | None) -> tuple[str, str]:
    """``exact`` when the boot log says where the initrd is (or that there is none)."""
    if boot_log:
        from crashmap.bootlog import has_firmware_map, ramdisk_range

        if ramdisk_range(boot_log) is not None or has_firmware_map(boot_log):
            told = ("the boot log says where the initrd sat (RAMDISK line)"
                    if ramdisk_range(boot_log) else "the boot log shows no initrd")
            return "exact", (f"{told} and which CMA areas came first; the early page tables "
                             f"are computed from the map")
    return "window", ("no RAMDISK line in the boot log: the initrd and the firmware "
                      "reservations that /proc/iomem no longer shows may push it lower")


ARM64_DT_SLACK = 1 * MiB
"""Room left below arm64's linear-map page tables for what else ``setup_arch()`` allocates
before the crash kernel (``unflatten_device_tree()``: tens of KiB on QEMU virt)."""


def arm64_after_crash(memmap: MemoryMap, boot_log: str | None, low_max: int,
                      align: int) -> tuple[list[Hidden], list[Hidden]]:
    """arm64 /proc/iomem ``reserved`` lines that memblock did not hold yet when the crash
    kernel was placed: ``(certain, likely)``; the next boot gives those back to the search.

    arm64 lists memblock's reservations as ``reserved`` late in boot, so they include what
    ``arch_reserve_crashkernel()`` (arch/arm64/mm/init.c ``bootmem_init()``) came before:
    - the swiotlb bounce buffer (``swiotlb_init()`` from ``mem_init()``), top-down below the
      DMA limit: the boot log's ``software IO TLB: mapped [mem ...]`` line says where (without
      the log, a reserved line that ends within a page of the limit is taken to be it);
    - the sparse vmemmap and what follows, top-down right below the 2 MiB block that holds the
      early page tables (``paging_init()``, the topmost reserved line): the run of reserved
      lines that ends at that 2 MiB boundary is where a crash block of the same alignment
      would have gone.
    """
    from crashmap.bootlog import swiotlb_range

    certain: list[Hidden] = []
    likely: list[Hidden] = []
    reserved = sorted(Range(b.start, b.end) for b in memmap.busy if b.kind == "reserved")
    ram_end = memmap.end_of_ram
    top = next((r for r in reversed(reserved) if r.end == ram_end), None)
    if top is not None:
        boundary = (top.start - ARM64_DT_SLACK) // align * align
        if boundary == top.start // align * align:
            run = [r for r in reserved if r.end == boundary]
            while run and (below := next((r for r in reserved if r.end == run[0].start), None)):
                run.insert(0, below)
            certain += [Hidden(r, f"the allocations after the crash kernel below the early "
                                  f"page tables ({_span(r)}: sparse vmemmap and others, "
                                  f"top-down from {boundary:#x})") for r in run]
    tlb = swiotlb_range(boot_log) if boot_log else None
    if tlb is not None:
        certain += [Hidden(r, f"the swiotlb bounce buffer ({_span(r)}, boot log 'software IO "
                              f"TLB: mapped', allocated after the crash kernel)")
                    for r in reserved if r.start < tlb.end and tlb.start < r.end]
    else:
        likely += [Hidden(r, f"the swiotlb bounce buffer, probably ({_span(r)}: a reserved "
                             f"line just below the DMA limit {low_max:#x}; the boot log "
                             f"would say)")
                   for r in reserved if low_max - 2 * 4096 < r.end <= low_max]
    return certain, likely
