"""Pick the memory-related lines out of a kernel boot log, and read facts from them."""

from __future__ import annotations

import re

from crashmap.memmap import Range

_MEMORY_LINE = re.compile(
    r"BIOS-e820|e820:|RAMDISK:|crashkernel|Crash kernel|\bcma\b|CMA|Memory:|software IO TLB|"
    r"efi: mem|Zone ranges|  (?:DMA|DMA32|Normal|Movable)\s|Early memory node ranges|"
    r"node\s+\d+: \[mem|OF: reserved mem|Reserved memory|usable memory|swiotlb|mem=|memmap=|"
    r"System RAM:|Memory limited",
)
_RAMDISK = re.compile(r"RAMDISK: \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]")
_SWIOTLB = re.compile(r"software IO TLB: mapped \[mem [^\]]*\] \((\d+)MB\)")


def memory_lines(log: str, limit: int = 2000) -> str:
    """The lines of ``log`` that describe memory, reservations and CMA (at most ``limit``)."""
    picked = [line.rstrip() for line in log.splitlines() if _MEMORY_LINE.search(line)]
    return "\n".join(picked[:limit])


def ramdisk_range(log: str) -> Range | None:
    """Where the bootloader put the initrd: ``RAMDISK: [mem 0x...-0x...]`` (inclusive end)."""
    match = _RAMDISK.search(log)
    if match is None:
        return None
    return Range(int(match.group(1), 16), int(match.group(2), 16) + 1)


def swiotlb_size(log: str) -> int | None:
    """Bytes of the swiotlb bounce buffer, from ``software IO TLB: mapped ... (64MB)``."""
    match = _SWIOTLB.search(log)
    return int(match.group(1)) << 20 if match else None


_ZONE = (
    r"^\s*(?:\[[^\]]*\]\s*)?(DMA32|DMA|Normal|Movable|HighMem)\s+"
    r"(?:\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]|empty)\s*$"
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
        zones[name] = None if start is None else Range(int(start, 16), int(end, 16) + 1)
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
