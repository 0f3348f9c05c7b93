"""Pick the memory-related lines out of a kernel boot log, and read facts from them."""

from __future__ import annotations

import re

from crashmap.memmap import Range
from crashmap.units import decimal, hexadecimal

_MEMORY_LINE = re.compile(
    r"BIOS-e820|e820:|RAMDISK|crashkernel|Crash kernel|\bcma\b|CMA|Memory:|software IO TLB|"
    r"efi: mem|Zone ranges|  (?:DMA|DMA32|Normal|Movable)\s|Early memory node ranges|"
    r"node\s+\d+: \[mem|OF: reserved mem|Reserved memory|usable memory|swiotlb|mem=|memmap=|"
    r"System RAM:|Memory limited|GB pages|NODE_DATA",
)
_HEX = r"(0x[0-9a-fA-F]{1,16})"
"""A 64-bit address as the kernel prints it (``%#llx``, ``[mem %#018llx-...]``)."""
_RAMDISK = re.compile(rf"RAMDISK: \[mem {_HEX}-{_HEX}\]")
_RAMDISK_MOVED = rf"Move RAMDISK from \[mem [^\]]*\] to \[mem {_HEX}-{_HEX}\]"
_CMA_RESERVED = rf"\bcma: Reserved ([0-9]{{1,12}}) MiB at {_HEX}"
_FIRMWARE_MAP = r"BIOS-e820:|e820: |efi: mem|OF: reserved mem|Zone ranges"
"""Patterns compiled on first use (``re`` caches them), like ``_ZONE`` below."""
_SWIOTLB = re.compile(r"software IO TLB: mapped \[mem [^\]]*\] \(([0-9]{1,12})MB\)")


def memory_lines(log: str, limit: int = 2000) -> str:
    """The lines of ``log`` that describe memory, reservations and CMA (at most ``limit``)."""
    picked = [line.rstrip() for line in log.splitlines() if _MEMORY_LINE.search(line)]
    return "\n".join(picked[:limit])


def _range(start: str, last: str) -> Range | None:
    """An inclusive ``start-last`` the kernel printed in hex, as a half-open range (None when
    it is not one: the strict reader refuses what no kernel prints)."""
    first, end = hexadecimal(start), hexadecimal(last)
    if first is None or end is None or first > end:
        return None
    return Range(first, end + 1)


def _page_range(start: str, end: str) -> Range | None:
    """``[start, end]`` of a log line (inclusive end) as a half-open range of whole pages."""
    found = _range(start, end)
    return None if found is None else Range(found.start, -(-found.end // 4096) * 4096)


def ramdisk_range(log: str) -> Range | None:
    """Where the initrd is held when the crash kernel is placed.

    x86 ``reserve_initrd()`` (arch/x86/kernel/setup.c) logs ``RAMDISK: [mem ...]`` where the
    boot loader put it; when that is not mapped RAM (``mem=``, ``memmap=``) it copies it to a
    fresh memblock block and logs ``Move RAMDISK from [mem ...] to [mem ...]``: the new place.
    """
    moved = re.search(_RAMDISK_MOVED, log)
    placed = _page_range(moved.group(1), moved.group(2)) if moved is not None else None
    return placed if placed is not None else ramdisk_original(log)


def ramdisk_original(log: str) -> Range | None:
    """Where the boot loader put the initrd (the first ``RAMDISK: [mem ...]`` line)."""
    match = _RAMDISK.search(log)
    return None if match is None else _page_range(match.group(1), match.group(2))


def cma_reservations(log: str) -> list[Range]:
    """Every ``cma: Reserved N MiB at ADDR`` area (``cma_declare_contiguous_nid()``,
    mm/cma.c): the global ``cma=`` area, hugetlb and crashkernel CMA areas alike."""
    found = []
    for match in re.finditer(_CMA_RESERVED, log):
        mib, start = decimal(match.group(1)), hexadecimal(match.group(2))
        if mib is not None and start is not None:
            found.append(Range(start, start + (mib << 20)))
    return found


def node_data(log: str) -> list[Range]:
    """Each NUMA node's ``pg_data_t``: ``NODE_DATA(0) allocated [mem A-B]`` (inclusive),
    logged by ``alloc_node_data()`` (mm/numa.c; arch/x86/mm/numa.c before 6.12)."""
    return [_page_range(m.group(1), m.group(2)) for m in re.finditer(
        r"NODE_DATA\(\d+\) allocated \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]", log)]


def has_firmware_map(log: str) -> bool:
    """The log still holds its first lines (the firmware memory map): a line it lacks was
    never printed, rather than lost when the ring buffer wrapped."""
    return re.search(_FIRMWARE_MAP, log) is not None


def gb_pages(log: str) -> bool | None:
    """x86_64 ``probe_page_size_mask()`` (arch/x86/mm/init.c) printed "Using GB pages for
    direct mapping". None otherwise: a log kept by an older crashmap dropped that line."""
    return True if "Using GB pages for direct mapping" in log else None


def swiotlb_range(log: str) -> Range | None:
    """Where the swiotlb bounce buffer is: ``software IO TLB: mapped [mem A-B] (64MB)``."""
    match = re.search(r"software IO TLB: mapped \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]", log)
    return None if match is None else Range(int(match.group(1), 16), int(match.group(2), 16))


def swiotlb_size(log: str) -> int | None:
    """Bytes of the swiotlb bounce buffer, from ``software IO TLB: mapped ... (64MB)``."""
    match = _SWIOTLB.search(log)
    mib = decimal(match.group(1)) if match else None
    return mib << 20 if mib is not None else None


_ZONE = (
    r"^\s*(?:\[[^\]]*\]\s*)?(DMA32|DMA|Normal|Movable|HighMem)\s+"
    r"(?:\[mem (0x[0-9a-fA-F]{1,16})-(0x[0-9a-fA-F]{1,16})\]|empty)\s*$"
)
"""Compiled on first use (``re`` caches it): importing bootlog stays cheap for every command."""


def zone_ranges(log: str) -> dict[str, Range | None]:
    """The ``Zone ranges:`` block: zone name → its range, or None when printed ``empty``."""
    zones: dict[str, Range | None] = {}
    for line in log.splitlines():
        match = re.match(_ZONE, line)
        if match is None:
            continue
        name, start, end = match.groups()
        zones[name] = None if start is None else _range(start, end)
    return zones


def dma_limit(log: str) -> tuple[int, str] | None:
    """arm64/riscv ``*_dma_phys_limit``: one past the DMA zone, else the DMA32 zone.

    Returns ``(limit, zone name)``, or None when the log has no (non-empty) DMA zone line.
    """
    zones = zone_ranges(log)
    for name in ("DMA", "DMA32"):
        zone = zones.get(name)
        if zone is not None:
            return zone.end, name
    return None


_PPC_PLATFORM = r"Using (\w+) machine description"


def ppc_platform(log: str) -> str | None:
    """powerpc's ``Using pSeries machine description`` (pSeries, PowerNV, ...), if logged."""
    match = re.search(_PPC_PLATFORM, log)
    return match.group(1) if match else None
