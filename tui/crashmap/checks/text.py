"""Small formatting helpers shared by the checks' messages."""

from __future__ import annotations

from crashmap.memmap import Range
from crashmap.units import MiB, format_mib, format_size


def size(n: int) -> str:
    return format_size(n)


def word(n: int) -> str:
    """A size as a command line writes it: ``256M``."""
    return format_mib(n)


def span(r: Range | tuple[int, int]) -> str:
    """``0x65000000-0x6affffff`` (inclusive end, as /proc/iomem)."""
    start, end = r
    return f"{start:#x}-{end - 1:#x}"


def mib_floor(n: int) -> int:
    """``n`` rounded down to whole MiB (sizes people type)."""
    return n // MiB * MiB


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "?"
