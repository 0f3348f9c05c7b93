"""Everything about one map that does not depend on the plan, computed once.

The TUI builds a :class:`PlacementContext` when it loads a map and then calls
:func:`crashmap.placement.simulate` on every drag step; nothing here is recomputed per plan.
The boot log's readers (:mod:`crashmap.bootlog`) are imported only for a snapshot with a log.
"""

from __future__ import annotations

from crashmap.arch import Arch, get_arch
from crashmap.kernel.versions import arch_for, placement_era
from crashmap.memmap import FOUR_GIB, MemoryMap, Range, is_crash, is_ram, merge, subtract
from crashmap.placement import early
from crashmap.placement.early import Hidden
from crashmap.placement.facts import Facts
from crashmap.placement.freelist import FreeList
from crashmap.units import MiB, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from crashmap.snapshot import Snapshot

GB_PAGES_UNKNOWN = ("whether the direct map uses 1 GiB pages (the boot log does not say "
                    "'Using GB pages for direct mapping'), which moves the early page tables")
SWIOTLB_UNKNOWN = ("whether the reserved line just below the DMA limit is the swiotlb "
                   "(allocated after the crash kernel; the boot log's 'software IO TLB' line "
                   "would say)")
PPC_LPAR_BASE = 512 * MiB
PPC_OTHER_BASE = 128 * MiB


class PlacementContext:
    """Per-map data for the simulator and the checks (built by :func:`build_context`).

    - ``free``: free memory at reservation time on the next boot (hidden reservations removed)
    - ``ram``: boot RAM memblock knows, including a released top-level crash area (s390)
    - ``low_max``/``high_max``: CRASH_ADDR_LOW_MAX/HIGH_MAX resolved for this map, with
      ``low_max_source`` saying where LOW_MAX came from
    - ``default_low``: DEFAULT_CRASH_KERNEL_LOW_SIZE (x86: from the swiotlb size)
    - ``hidden``: reservations modelled although /proc/iomem does not show them
    - ``given_back``: reserved lines of the map that did not exist yet when the crash kernel
      was placed (arm64): free for the next boot's search
    - ``confidence``: ``exact`` or ``window``, with ``confidence_reason``
    - ``facts``: what the snapshot knows beyond the map
    - ``kernel_image``: the running kernel's ranges
    - ``ppc_base``: powerpc's base without @offset, ``ppc_base_source`` the assumption
    - ``lowmem_limit``: arm32's search limit
    - ``configured``: the :class:`Placement` of the snapshot's own command line, cached by the
      checks
    - ``alternative``: ``(FreeList, why)`` when an inferred hidden reservation may sit elsewhere:
      the free memory under the other assumption; a prediction that differs on it is a window
    - ``kernel``: the target kernel (:class:`~crashmap.kernel.target.TargetKernel`; None: the
      newest modelled); ``arch`` is already the arch as that kernel behaves
    - ``era``: its placement era (:func:`crashmap.kernel.versions.placement_era`)
    """

    __slots__ = ("arch", "memmap", "free", "alternative", "ram", "total_ram", "end_of_ram",
                 "low_max", "low_max_source", "high_max", "default_low", "default_low_source",
                 "hidden", "given_back",
                 "confidence", "confidence_reason", "facts", "kernel_image", "ppc_base",
                 "ppc_base_source", "lowmem_limit", "configured", "kernel", "era")

    def __init__(self, **values: Any) -> None:
        self.hidden: tuple[Hidden, ...] = ()
        self.given_back: tuple[Hidden, ...] = ()
        self.confidence = "window"
        self.confidence_reason = ""
        self.facts = Facts()
        self.kernel_image: list[Range] = []
        self.ppc_base = PPC_LPAR_BASE
        self.ppc_base_source = ""
        self.lowmem_limit: int | None = None
        self.configured: Any = None
        self.alternative: tuple[FreeList, str] | None = None
        self.kernel: Any = None
        self.era: Any = None
        for key, value in values.items():
            setattr(self, key, value)

    def with_facts(self, facts: Facts, kernel: Any) -> PlacementContext:
        """This context for other facts and another kernel that its build reads the same."""
        return self._copy(facts=facts, kernel=kernel, configured=None)

    def with_free(self, free: FreeList) -> PlacementContext:
        """This context with other free memory (everything else shared)."""
        return self._copy(free=free, alternative=None, configured=None)

    def _copy(self, **changes: Any) -> PlacementContext:
        """A copy with ``changes``, without ``__init__``'s defaults set and then overwritten."""
        new = PlacementContext.__new__(PlacementContext)
        for name in self.__slots__:
            setattr(new, name, changes[name] if name in changes else getattr(self, name))
        return new

    @property
    def page_size(self) -> int:
        return self.arch.page_size

    @property
    def windows(self) -> tuple[Range, Range]:
        """The low and high search windows of the generic code."""
        return Range(0, self.low_max), Range(self.low_max, self.high_max)

    def describe(self, start: int, end: int) -> str:
        """What holds ``[start, end)`` in this map, for messages (first thing found)."""
        for item in self.memmap.busy:
            if item.start < end and start < item.end and item.kind != "crash":
                return f"{item.name} ({item.start:#x}-{item.end - 1:#x})"
        for hidden in self.hidden:
            if hidden.range.start < end and start < hidden.range.end:
                return hidden.what
        for piece in subtract([Range(start, end)], self.ram):
            return f"no System RAM at {piece.start:#x}-{piece.end - 1:#x}"
        return "memory already taken"


def build_context(memmap: MemoryMap, arch: str | Arch, *, facts: Facts | None = None,
                  boot_log: str | None = None, low_max: int | None = None,
                  ppc_lpar: bool | None = None, kernel: Any = None) -> PlacementContext:
    """The context for ``memmap`` on ``arch``.

    ``boot_log`` supplies the RAMDISK line (x86) and the DMA zone (arm64/riscv); ``low_max``
    overrides CRASH_ADDR_LOW_MAX; ``ppc_lpar`` chooses powerpc's default base (None: assume an
    LPAR, the common case); ``kernel`` is the target kernel (None: the newest modelled), which
    decides the arch's version-keyed behaviour and the placement era.
    """
    spec = arch_for(arch if isinstance(arch, Arch) else get_arch(arch), kernel)
    era = placement_era(spec, kernel)  # all it reads of kernel and facts: see reuse_context
    facts = facts or Facts()
    released = _released_crash_in_reserved(memmap)
    ram = merge(memmap.ram + memmap.crash_outside_ram + released)
    end_of_ram = max(memmap.end_of_ram, ram[-1].end if ram else 0)
    low, low_source = _low_max(spec, memmap, ram, end_of_ram, boot_log)
    if era.key == "x86-896m":
        from crashmap.placement.eras import X86_LOW_896M

        low, low_source = X86_LOW_896M, (f"{X86_LOW_896M:#x} (896 MiB: x86_64 before "
                                         f"9ca5c8e632ce, Linux 5.2)")
    if low_max is not None:
        low, low_source = low_max, f"{low_max:#x} (given: modelling another kernel)"
    free = list(memmap.free_next_boot) + released
    hidden = early.initrd(boot_log)
    cma_first = spec.family == "x86" or (spec.family in ("arm64", "riscv") and era.modelled)
    if cma_first:  # dma_contiguous_reserve() before the crash kernel (arm64 5.1 did it after)
        hidden += early.earlier_cma(boot_log, facts.cma_ranges)
        hidden += early.numa_node_data(boot_log)
    given_back: list[Hidden] = []
    alt_hidden: list[Hidden] | None = None
    alt_back: list[Hidden] | None = None
    why = ""
    if spec.name == "x86_64":
        tables, other = early.x86_page_tables(memmap, memmap.ram, boot_log, facts.cmdline)
        if other is not None:
            alt_hidden, why = hidden + other, GB_PAGES_UNKNOWN
        hidden += tables
    elif spec.family == "arm64" and era.modelled:
        # the order of bootmem_init() (arch_reserve_crashkernel() before sparse_init() and
        # mem_init()'s swiotlb) as the 7.3 boots show it; older eras are not modelled here
        certain, likely = early.arm64_after_crash(memmap, boot_log, low, spec.crash_align)
        given_back = certain + likely
        if likely:
            alt_back, why = certain, SWIOTLB_UNKNOWN

    lowmem_limit = None
    if spec.placement == "arm32" and ram:
        lowmem_limit, top = early.arm32_lowmem_top(ram, end_of_ram)
        hidden.append(top)

    def free_of(back: list[Hidden], held: list[Hidden]) -> list[Range]:
        return subtract(free + [h.range for h in back], [h.range for h in held])

    free_ranges = free_of(given_back, hidden)
    if cma_first and spec.cma and not _firmware_map_logged(boot_log):
        limit = low if spec.family in ("arm64", "riscv") else end_of_ram  # dma_contiguous_reserve()
        inferred = early.cmdline_cma(facts.cmdline, free_ranges, spec.pageblock, limit,
                                     spec.page_size)
        if inferred:
            hidden += inferred
            free_ranges = subtract(free_ranges, [h.range for h in inferred])
            if alt_hidden is not None:
                alt_hidden += inferred
    high = end_of_ram if spec.high_max is None else spec.high_max
    default_low, default_low_source = _default_low(spec, facts.swiotlb_size)
    confidence, reason = _confidence(spec, memmap, boot_log, alt_back is not None)

    ppc_base, ppc_source = PPC_LPAR_BASE, ""
    if spec.placement == "ppc":
        platform = None
        if boot_log:
            from crashmap.bootlog import ppc_platform

            platform = ppc_platform(boot_log)
        lpar = ppc_lpar if ppc_lpar is not None else (platform != "PowerNV" if platform else None)
        if lpar is False:
            ppc_base = PPC_OTHER_BASE
            ppc_source = "min(RMA/2, 128 MiB) off an LPAR (PowerNV); RMA assumed >= 256 MiB"
        else:
            ppc_source = ("min(RMA/2, 512 MiB) on an LPAR; RMA assumed >= 1 GiB"
                          + ("" if lpar else " (LPAR assumed: the snapshot does not say; "
                                             "PowerNV bare metal uses 128 MiB)"))

    image = merge(Range(k.start, k.end) for k in memmap.kernel_image)
    free_list = FreeList(free_ranges, floor=spec.page_size, merged=True)
    for align in {spec.crash_align, spec.pageblock}:
        free_list.fits(align)  # warm the per-alignment maxima once, not on the first drag
    alternative = None
    if alt_hidden is not None or alt_back is not None:
        other_free = free_of(given_back if alt_back is None else alt_back,
                             hidden if alt_hidden is None else alt_hidden)
        alternative = (FreeList(other_free, floor=spec.page_size, merged=True), why)
    return PlacementContext(
        arch=spec, memmap=memmap, free=free_list, alternative=alternative, ram=ram,
        total_ram=memmap.total_ram, end_of_ram=end_of_ram, low_max=low,
        low_max_source=low_source, high_max=high, default_low=default_low,
        default_low_source=default_low_source, hidden=tuple(hidden),
        given_back=tuple(given_back), confidence=confidence,
        confidence_reason=reason, facts=facts, kernel_image=image, ppc_base=ppc_base,
        ppc_base_source=ppc_source, lowmem_limit=lowmem_limit, kernel=kernel, era=era,
    )


def context_from_snapshot(snapshot: Snapshot, arch: str | Arch | None = None, *,
                          low_max: int | None = None, ppc_lpar: bool | None = None,
                          kernel: Any = None) -> PlacementContext:
    """The context for a loaded snapshot (its arch unless ``arch`` is given).

    ``kernel``: the target kernel; None means the snapshot's ``kernel_release`` (assumed, and
    said so, when the snapshot does not tell).
    """
    if kernel is None:
        from crashmap.kernel.target import resolve_target

        kernel = resolve_target(None, snapshot.kernel_release)
    return build_context(snapshot.memmap, arch or snapshot.arch or "x86_64",
                         facts=snapshot_facts(snapshot), boot_log=snapshot.boot_log,
                         low_max=low_max, ppc_lpar=ppc_lpar, kernel=kernel)


def snapshot_facts(snapshot: Snapshot) -> Facts:
    """The :class:`Facts` a context keeps of ``snapshot`` (its map parsed)."""
    memmap = snapshot.memmap
    return Facts(
        kernel_release=snapshot.kernel_release,
        cmdline=snapshot.cmdline,
        zswap_enabled=snapshot.zswap_enabled,
        balloon_loaded=snapshot.balloon_loaded,
        kexec_crash_size=snapshot.kexec_crash_size,
        cma_ranges=tuple(snapshot.cma_ranges),
        crash_ranges=tuple(Range(r.start, r.end) for r in memmap.crash_resources),
        kernel_size=snapshot.kernel_size,
        initrd_size=snapshot.initrd_size,
        swiotlb_size=snapshot.swiotlb_size,
        hidden=snapshot.hidden,
        mem_total=snapshot.mem_total,
        kernel_config=snapshot.kernel_config,
        kernel_config_source=snapshot.kernel_config_source,
        kexec_loader=snapshot.kexec_loader,
        kexec_loader_source=snapshot.kexec_loader_source,
    )


def reuse_context(snapshot: Snapshot, kernel: Any, cache: dict[Any, Any],
                  size: int = 64) -> PlacementContext:
    """:func:`context_from_snapshot` for many snapshots (a fleet's hosts): snapshots of one
    parsed map (the same ``memmap``) that agree on all :func:`build_context` reads of their
    facts and kernel (the arch and era that kernel selects, the boot log, the CMA areas, the
    swiotlb size, :data:`~crashmap.placement.early.CMDLINE_READ` of the command line) share
    one build, each given its own facts and kernel. ``cache`` is the caller's (``size``
    builds at most)."""
    memmap = snapshot.memmap
    facts = snapshot_facts(snapshot)
    base = get_arch(snapshot.arch or "x86_64")
    spec = arch_for(base, kernel)
    key = (id(memmap), spec, placement_era(spec, kernel), snapshot.boot_log, facts.cma_ranges,
           facts.swiotlb_size, *(read(facts.cmdline) for read in early.CMDLINE_READ))
    known = cache.get(key)
    if known is None or known[0] is not memmap:
        if len(cache) >= size:
            del cache[next(iter(cache))]
        known = cache[key] = (memmap, build_context(memmap, base, facts=facts,
                                                    boot_log=snapshot.boot_log, kernel=kernel))
    return known[1].with_facts(facts, kernel)


_SHARED: list[tuple[Snapshot, str, PlacementContext]] = []


def shared_context(snapshot: Snapshot, arch: str | Arch | None = None, *,
                   kernel: Any = None) -> PlacementContext:
    """:func:`context_from_snapshot`, kept for the last few (snapshot, arch, kernel): the export
    screen, the estimate and ``check`` of one map build it once. ``kernel`` None: the
    snapshot's own."""
    name = arch.name if isinstance(arch, Arch) else (arch or snapshot.arch or "x86_64")
    key = (name, kernel)
    for known, known_key, ctx in _SHARED:
        if known is snapshot and known_key == key:
            return ctx
    ctx = context_from_snapshot(snapshot, arch, kernel=kernel)
    _SHARED.insert(0, (snapshot, key, ctx))
    del _SHARED[4:]
    return ctx


def _released_crash_in_reserved(memmap: MemoryMap) -> list[Range]:
    """A ``Crash kernel`` under a non-RAM parent of the same bounds (arm64 review-era
    ``reserved > Crash kernel (low)``): RAM the next boot gets back."""
    found = []
    for r in memmap.crash_resources:
        parent = r.parent
        if parent is not None and parent.depth == 0 and not is_ram(parent.name) \
                and not is_crash(parent.name) and parent.same_range(r):
            found.append(Range(r.start, r.end))
    return found


def _firmware_map_logged(boot_log: str | None) -> bool:
    if not boot_log:
        return False
    from crashmap.bootlog import has_firmware_map

    return has_firmware_map(boot_log)


def _low_max(spec: Arch, memmap: MemoryMap, ram: list[Range], end_of_ram: int,
             boot_log: str | None) -> tuple[int, str]:
    """CRASH_ADDR_LOW_MAX and where it came from (arm64/riscv: the DMA zone)."""
    if spec.family in ("arm64", "riscv"):
        zone = None
        if boot_log:
            from crashmap.bootlog import dma_limit

            zone = dma_limit(boot_log)
        if zone is not None:
            return zone[0], f"{zone[0]:#x}: end of the {zone[1]} zone in the boot log"
        if ram and ram[0].start >= FOUR_GIB and spec.family == "arm64":
            return end_of_ram, "end of RAM: all RAM starts above 4 GiB (no 32-bit DMA zone)"
        limit = min(FOUR_GIB, end_of_ram) if end_of_ram else FOUR_GIB
        return limit, (f"{limit:#x}: assumed 4 GiB (capped at the end of RAM); the boot log "
                       f"has no 'Zone ranges' DMA line (a Raspberry Pi 4 has 1 GiB)")
    if spec.low_max is None:
        return end_of_ram, "end of RAM"
    return spec.low_max, f"{spec.low_max:#x} ({format_size(spec.low_max)}, fixed on {spec.name})"


def _default_low(spec: Arch, swiotlb: int | None) -> tuple[int, str]:
    if spec.swiotlb_low:
        if swiotlb:
            size = max(swiotlb + 8 * MiB, spec.default_low)
            return size, f"max(swiotlb {format_size(swiotlb)} + 8 MiB, 256 MiB)"
        return spec.default_low, "max(swiotlb + 8 MiB, 256 MiB) with the default 64 MiB swiotlb"
    return spec.default_low, f"DEFAULT_CRASH_KERNEL_LOW_SIZE of {spec.name}"


def _confidence(spec: Arch, memmap: MemoryMap, boot_log: str | None,
                guessed: bool) -> tuple[str, str]:
    """``exact`` when the map plus the boot log show what memblock held at reservation time."""
    if spec.family == "x86":
        return early.x86_confidence(boot_log)
    if spec.family == "arm64" and any(
            b.kind == "reserved" and b.name == "reserved" for b in memmap.busy):
        if guessed:
            return "window", ("arm64 lists memblock's reservations as 'reserved', but which of "
                              "them came after the crash kernel is guessed without the boot log")
        return "exact", ("arm64 lists memblock's reservations (initrd included) as 'reserved'; "
                         "those made after the crash kernel are given back")
    return "window", ("this map does not show the memblock reservations (initrd, firmware) "
                      "that existed when the kernel placed the block; they may push it lower")
