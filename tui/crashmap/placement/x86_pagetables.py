"""Where x86_64's early direct-map page tables sit when the crash kernel is placed.

``init_mem_mapping()`` (arch/x86/mm/init.c) maps RAM top-down before ``arch_reserve_crashkernel()``
runs. It first finds the highest free 2 MiB-aligned 2 MiB block (``memory_map_top_down()``'s
probe, freed again) and maps downwards from its end (``real_end``) in growing steps. Page-table
pages come from the brk buffer, except while mapping the RAM range that holds the brk itself
(``can_use_brk_pgt`` false) or when the buffer is full: then ``alloc_low_pages()`` takes them from
memblock, top-down inside what is mapped so far, i.e. just below ``real_end``. Those pages stay
reserved and /proc/iomem never shows them; a top-down crash block above 4 GiB ends below them.

:func:`early_page_tables` replays that walk (``split_mem_range()``,
``adjust_range_page_size_mask()``, ``kernel_physical_mapping_init()`` of arch/x86/mm/init_64.c)
on the map's RAM and returns the memblock pages it takes.
"""

from __future__ import annotations

from bisect import bisect_left

from crashmap.memmap import Range, merge, subtract

PAGE = 4096
PMD = 2 << 20
PUD = 1 << 30
P4D = 512 << 30
ISA_END = 1 << 20
LEVEL_2M, LEVEL_1G = 1, 2
BRK_PAGES = 8
"""INIT_PGT_BUF_SIZE in pages: 2 × INIT_PGD_PAGE_TABLES (4 with 5-level paging); 16 with
CONFIG_RANDOMIZE_MEMORY. Only matters if the buffer runs out, which the usual layouts never do."""


def _down(x: int, a: int) -> int:
    return x // a * a


def _up(x: int, a: int) -> int:
    return -(-x // a) * a


class _Walk:
    """The kernel's direct-map state while ``init_mem_mapping()`` runs."""

    def __init__(self, memory: list[Range], reserved: list[Range], brk: Range,
                 gbpages: bool) -> None:
        self.memory = memory
        self.reserved = list(reserved)
        self._cuts = merge(reserved)
        """``reserved`` sorted and merged, kept so as pages are taken (one search per page)."""
        self._starts = [r.start for r in self._cuts]
        self.brk_start, self.brk_top = brk.start, brk.end
        self.brk_end = brk.start
        self.mask = LEVEL_2M | (LEVEL_1G if gbpages else 0)
        self.p4d: set[int] = set()
        self.pud: dict[int, str] = {}  # 1 GiB index → "leaf" or "table"
        self.pte: set[int] = set()  # 2 MiB indexes mapped through a PTE page
        self.can_use_brk = True
        self.min_mapped = self.max_mapped = 0
        self.taken: list[Range] = []
        """Pages alloc_low_pages() took from memblock, in order."""
        self._window: tuple[tuple[int, int], list[Range]] = ((0, 0), [])
        """The memory inside the mapped span, and that span (``_take_top``)."""

    def alloc(self, count: int = 1) -> None:
        """``alloc_low_pages(1)``, ``count`` times. Within one call of the walk's functions the
        mapped span and ``can_use_brk`` stay put, so which table a page is for never changes
        where it comes from: the brk buffer while it has room, then memblock's highest free
        pages, then extend_brk() (or a panic without the brk)."""
        if self.can_use_brk and self.brk_end < self.brk_top:
            used = min(count, (self.brk_top - self.brk_end) // PAGE)
            self.brk_end += used * PAGE
            count -= used
        while count > 0:
            taken = self._take_top(count) if self.min_mapped < self.max_mapped else 0
            if not taken:
                if not self.can_use_brk:
                    raise ValueError("alloc_low_pages would panic on this map")
                self.brk_end += count * PAGE  # extend_brk()
                return
            count -= taken

    def _reserve(self, start: int, end: int) -> None:
        """Add ``[start, end)`` to the merged reservations, joining its neighbours."""
        cuts, starts = self._cuts, self._starts
        i = j = bisect_left(starts, start)
        if i and cuts[i - 1].end >= start:
            i -= 1
            start, end = cuts[i].start, max(end, cuts[i].end)
        while j < len(cuts) and cuts[j].start <= end:
            end = max(end, cuts[j].end)
            j += 1
        cuts[i:j] = [Range(start, end)]
        starts[i:j] = [start]

    def _take_top(self, count: int) -> int:
        """Take up to ``count`` of the highest free pages of memory inside the mapped span
        (memblock top-down), from the highest gap that has one: how many were taken. One page
        at a time would take the same pages, each below the one before."""
        lo, hi = self.min_mapped, self.max_mapped
        cuts, starts = self._cuts, self._starts
        if self._window[0] != (lo, hi):  # the mapped span moves per range, not per page
            self._window = ((lo, hi), merge(r for m in self.memory if (r := m.clip(lo, hi))))
        window = self._window[1]
        for piece in reversed(window):
            top = piece.end
            i = bisect_left(starts, top) - 1  # the last reservation starting below the top
            while top > piece.start:
                cut = cuts[i] if i >= 0 and cuts[i].end > piece.start else None
                if cut is not None and cut.end >= top:  # it covers the top: go below it
                    top = cut.start
                    i -= 1
                    continue
                low = max(cut.end, piece.start) if cut is not None else piece.start
                high = _down(top, PAGE)
                n = min(count, (high - _up(low, PAGE)) // PAGE)
                if n > 0:
                    taken = Range(high - n * PAGE, high)
                    self.taken.append(taken)
                    self.reserved.append(taken)
                    self._reserve(taken.start, high)
                    return n
                if cut is None:
                    break
                top = cut.start
                i -= 1
        return 0

    def is_region_memory(self, start: int, end: int) -> bool:
        """``memblock_is_region_memory()``: inside one memblock.memory region."""
        return any(m.start <= start and end <= m.end for m in self.memory)

    def split(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """``split_mem_range()`` for x86_64, then ``adjust_range_page_size_mask()`` and merge."""
        ranges: list[tuple[int, int, int]] = []
        limit = _down(end, PAGE)
        pfn = _down(start, PAGE)

        def save(s: int, e: int, mask: int) -> None:
            if s < e:
                ranges.append((s, e, mask))

        head_end = min(_up(pfn, PMD), limit)
        if pfn < head_end:
            save(pfn, head_end, 0)
            pfn = head_end
        s, e = _up(pfn, PMD), _up(pfn, PUD)
        e = min(e, _down(limit, PMD))
        if s < e:
            save(s, e, self.mask & LEVEL_2M)
            pfn = e
        s, e = _up(pfn, PUD), _down(limit, PUD)
        if s < e:
            save(s, e, self.mask & (LEVEL_2M | LEVEL_1G))
            pfn = e
        s, e = _up(pfn, PMD), _down(limit, PMD)
        if s < e:
            save(s, e, self.mask & LEVEL_2M)
            pfn = e
        save(pfn, limit, 0)
        adjusted = []
        for s, e, mask in ranges:
            if self.mask & LEVEL_2M and not mask & LEVEL_2M and \
                    self.is_region_memory(_down(s, PMD), _up(e, PMD)):
                mask |= LEVEL_2M
            if self.mask & LEVEL_1G and not mask & LEVEL_1G and \
                    self.is_region_memory(_down(s, PUD), _up(e, PUD)):
                mask |= LEVEL_1G
            adjusted.append((s, e, mask))
        merged: list[tuple[int, int, int]] = []
        for s, e, mask in adjusted:
            if merged and merged[-1][1] == s and merged[-1][2] == mask:
                merged[-1] = (merged[-1][0], e, mask)
            else:
                merged.append((s, e, mask))
        return merged

    def map_range(self, start: int, end: int, mask: int) -> int:
        """``kernel_physical_mapping_init()``: returns the last address mapped."""
        last = end
        paddr = start
        while paddr < end:
            chunk_end = min(_down(paddr, P4D) + P4D, end)
            if paddr // P4D not in self.p4d:
                self.alloc()  # the PUD page of this 512 GiB
                self.p4d.add(paddr // P4D)
            last = self._pud(paddr, chunk_end, mask)
            paddr = chunk_end
        return last

    def _pud(self, paddr: int, end: int, mask: int) -> int:
        if paddr >= end:
            return end
        pud, pte = self.pud, self.pte
        big, small = mask & LEVEL_1G, not mask & LEVEL_2M
        tables = 0
        last: int | None = end
        for index in range(paddr // PUD, (end - 1) // PUD + 1):
            state = pud.get(index)
            if state != "table":
                if big:
                    if state is None:
                        pud[index] = "leaf"
                    last = (index + 1) * PUD
                    continue
                tables += 1  # a PMD page (also when a 1 GiB page is split)
                pud[index] = "table"
            # _pmd() with 2 MiB pages takes no page: only the last GiB's end counts (None:
            # worked out below, that GiB ends at ``end``)
            last = self._pmd(max(paddr, index * PUD), end, mask) if small else None
        if last is None:
            last_index = (end - 1) // PMD
            last = end if last_index in pte else (last_index + 1) * PMD
        self.alloc(tables)
        return last

    def _pmd(self, paddr: int, end: int, mask: int) -> int:
        """``phys_pmd_init()`` inside one 1 GiB: 2 MiB pages need no page, 4 KiB ones a PTE
        page per 2 MiB that has none (an existing 2 MiB page is split into one)."""
        stop = min(end, _down(paddr, PUD) + PUD)
        first, last_index = paddr // PMD, (stop - 1) // PMD
        if mask & LEVEL_2M:
            return stop if last_index in self.pte else (last_index + 1) * PMD
        new = [index for index in range(first, last_index + 1) if index not in self.pte]
        self.pte.update(new)
        self.alloc(len(new))  # a PTE page each
        return stop

    def init_memory_mapping(self, start: int, end: int) -> None:
        last = end
        for s, e, mask in self.split(start, end):
            last = self.map_range(s, e, mask)
        self.max_mapped = max(self.max_mapped, _down(last, PAGE))

    def init_range(self, lo: int, hi: int) -> int:
        """``init_range_memory_mapping()``: each memblock range clipped to ``[lo, hi)``."""
        mapped = 0
        for m in self.memory:
            start, end = min(max(m.start, lo), hi), min(max(m.end, lo), hi)
            if start >= end:
                continue
            self.can_use_brk = max(start, self.brk_end) >= min(end, self.brk_top)
            self.init_memory_mapping(start, end)
            mapped += end - start
            self.can_use_brk = True
        return mapped


def probe_block(memory: list[Range], reserved: list[Range], lo: int, hi: int) -> Range | None:
    """``memblock_phys_alloc_range(PMD_SIZE, PMD_SIZE, lo, hi)``: the highest free aligned
    2 MiB (memblock never hands out the first page)."""
    window = [r for m in memory if (r := m.clip(max(lo, PAGE), hi))]
    for piece in reversed(subtract(window, reserved)):
        start = _down(piece.end - PMD, PMD)
        if piece.end - PMD >= 0 and start >= piece.start:
            return Range(start, start + PMD)
    return None


MAXMEM = 1 << 46
"""``MAXMEM``, ``1 << MAX_PHYSMEM_BITS`` with 4-level paging (arch/x86/include/asm/sparsemem.h,
page_64_types.h): e820_end_pfn() (arch/x86/kernel/e820.c) caps max_pfn at MAX_ARCH_PFN, so RAM
above it is never mapped. 5-level paging (la57) raises it to 1 << 52; a map with more than 64 TiB
of RAM is walked only up to 64 TiB (the walk is linear in RAM: a 16 EiB map must not hang it)."""


def early_page_tables(ram: list[Range], reserved: list[Range], brk: Range, *,
                      gbpages: bool = True) -> tuple[Range | None, list[Range]]:
    """The probe block and the memblock pages ``init_mem_mapping()`` keeps (merged).

    ``ram``: memblock.memory (System RAM); ``reserved``: memblock.reserved at that time (the
    first MiB, the kernel image with its brk, the initrd where the boot loader put it);
    ``brk``: the kernel's page-table buffer; ``gbpages``: "Using GB pages for direct mapping".
    """
    memory = merge(Range(_up(r.start, PAGE), min(_down(r.end, PAGE), MAXMEM)) for r in ram)
    memory = [r for r in memory if r.start < r.end]
    if not memory:
        return None, []
    end = memory[-1].end  # max_pfn << PAGE_SHIFT
    walk = _Walk(memory, merge(reserved), brk, gbpages)
    walk.init_memory_mapping(0, ISA_END)
    probe = probe_block(memory, walk.reserved, ISA_END, end)
    if probe is None:
        return None, []
    real_end = probe.end
    step = PMD
    walk.max_mapped = 0
    walk.min_mapped = real_end
    last_start = real_end
    mapped = 0
    while last_start > ISA_END:
        start = max(_down(last_start - 1, step), ISA_END) if last_start > step else ISA_END
        mapped += walk.init_range(start, last_start)
        last_start = start
        walk.min_mapped = last_start
        if mapped >= step:
            step <<= 8  # get_new_step_size(): PMD_SHIFT - PAGE_SHIFT - 1
    if real_end < end:
        walk.init_range(real_end, end)
    return probe, merge(walk.taken)
