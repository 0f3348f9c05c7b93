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
