"""Derived views of a parsed /proc/iomem: RAM, what is busy inside it, free ranges, holes.

Ranges are ``(start, end)`` tuples with ``end`` exclusive. Everything here is pure and cheap to
recompute; :class:`MemoryMap` caches the views it computes once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from collections import namedtuple
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

from crashmap.iomem import Iomem, Resource

if TYPE_CHECKING:  # typing costs import time on every headless command
    from typing import Literal

    Kind = Literal[
        "ram", "kernel", "crash", "reserved", "acpi", "rom", "pci", "pmem", "soft", "device",
        "empty",
    ]
else:
    Kind = str

FOUR_GIB = 1 << 32


class Range(namedtuple("Range", "start end")):
    """A half-open address range ``[start, end)``."""

    __slots__ = ()
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start

    def clip(self, lo: int, hi: int) -> Range | None:
        start, end = max(self.start, lo), min(self.end, hi)
        return Range(start, end) if start < end else None


class Busy(namedtuple("Busy", "start end name kind line")):
    """Something inside System RAM that the running kernel holds: ``[start, end)``, name, kind."""

    __slots__ = ()
    start: int
    end: int
    name: str
    kind: Kind
    line: int


KERNEL_NAMES = frozenset(
    {"Kernel code", "Kernel rodata", "Kernel data", "Kernel bss", "Kernel text", "Kernel image"}
)
CRASH_PREFIX = "Crash kernel"


def is_ram(name: str) -> bool:
    """``System RAM`` and its variants such as ``System RAM (kmem)``."""
    return name.startswith("System RAM")


def is_crash(name: str) -> bool:
    """``Crash kernel`` (mainline, both regions) and ``Crash kernel (low)`` (review-era arm64)."""
    return name.startswith(CRASH_PREFIX)


def classify(resource: Resource) -> Kind:
    """The kind of a resource, for colours, legends and the free-memory computation."""
    if resource.is_empty:
        return "empty"
    return kind_of_name(resource.name)


@lru_cache(maxsize=4096)
def kind_of_name(name: str) -> Kind:
    """The kind of a non-empty resource called ``name``. Cached: a big map repeats a few
    hundred names (``System RAM``, ``Reserved``, ``PCI Bus ...``) over 100 000 lines."""
    if is_ram(name):
        return "ram"
    if name in KERNEL_NAMES:
        return "kernel"
    if is_crash(name):
        return "crash"
    lower = name.lower()
    if lower.startswith("acpi") or lower.startswith("apei"):
        return "acpi"
    if "rom" in lower.split():
        return "rom"
    if lower.startswith(("pci", "pcie")):
        return "pci"
    if "persistent memory" in lower or lower.startswith("namespace"):
        return "pmem"
    if lower.startswith(("soft reserved", "cxl window", "region", "dax")):
        return "soft"
    if lower in ("reserved", "ram buffer", "unknown e820 type") or lower.startswith("reserved"):
        return "reserved"
    return "device"


def subtract(ranges: Iterable[Range], holes: Iterable[Range]) -> list[Range]:
    """``ranges`` minus ``holes`` (both need not be sorted); the result is sorted and merged.

    One sweep over both sorted lists: linear after sorting, so a 10 000-line map stays cheap.
    """
    result: list[Range] = []
    cuts = merge(holes)
    i = 0
    for piece in merge(ranges):
        start = piece.start
        while i < len(cuts) and cuts[i].end <= start:
            i += 1
        j = i
        while j < len(cuts) and cuts[j].start < piece.end:
            if cuts[j].start > start:
                result.append(Range(start, cuts[j].start))
            start = max(start, cuts[j].end)
            j += 1
        if start < piece.end:
            result.append(Range(start, piece.end))
    return result


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sort and join touching or overlapping ranges."""
    out: list[Range] = []
    for r in sorted(ranges):
        if r.start >= r.end:
            continue
        if out and r.start <= out[-1].end:
            if r.end > out[-1].end:
                out[-1] = Range(out[-1].start, r.end)
        else:
            out.append(r if type(r) is Range else Range(r.start, r.end))  # a Range is kept
    return out


def largest(ranges: Iterable[Range], lo: int = 0, hi: int = 1 << 64) -> Range | None:
    """The largest of ``ranges`` clipped to ``[lo, hi)`` (the lowest one on ties)."""
    best: Range | None = None
    for r in ranges:
        piece = r.clip(lo, hi)
        if piece and (best is None or piece.size > best.size):
            best = piece
    return best


class MemoryMap:
    """Views over an :class:`~crashmap.iomem.Iomem` that the checks, simulator and UI share."""

    def __init__(self, iomem: Iomem) -> None:
        self.iomem = iomem

    @property
    def hidden(self) -> bool:
        return self.iomem.hidden

    def resources(self) -> Iterator[Resource]:
        return self.iomem.walk()

    @cached_property
    def ram_resources(self) -> list[Resource]:
        """System RAM resources, top level and nested, without RAM nested inside RAM."""
        found: list[Resource] = []

        def visit(node: Resource) -> None:
            if is_ram(node.name) and not node.is_empty:
                found.append(node)
                return
            for child in node.children:
                visit(child)

        for root in self.iomem.roots:
            visit(root)
        return sorted(found, key=lambda r: r.start)

    @cached_property
    def ram(self) -> list[Range]:
        """Boot System RAM (what memblock knows) as merged ranges: top-level System RAM lines.

        RAM nested under a device (virtio-mem ``virtio0``, ``dax0.0`` → ``System RAM (kmem)``) is
        hot-plugged after boot: the crashkernel reservation can never use it. See ``hotplug_ram``.
        """
        return merge(Range(r.start, r.end) for r in self.ram_resources if r.depth == 0)

    @cached_property
    def hotplug_ram(self) -> list[Range]:
        """System RAM added after boot (nested under a device or dax region)."""
        return merge(Range(r.start, r.end) for r in self.ram_resources if r.depth > 0)

    @cached_property
    def busy(self) -> list[Busy]:
        """What the running kernel holds inside boot RAM (direct children of RAM resources)."""
        items = [
            Busy(c.start, c.end, c.name, classify(c), c.line)
            for r in self.ram_resources
            if r.depth == 0
            for c in r.children
            if not c.is_empty
        ]
        return sorted(items, key=lambda b: b.start)

    @cached_property
    def crash_resources(self) -> list[Resource]:
        """Every non-empty ``Crash kernel`` line, wherever it sits (nested, or top level on s390)."""
        return [r for r in self.iomem.walk() if is_crash(r.name) and not r.is_empty]

    @cached_property
    def kernel_image(self) -> list[Busy]:
        """Kernel code/rodata/data/bss lines."""
        return [b for b in self.busy if b.kind == "kernel"] or [
            Busy(r.start, r.end, r.name, "kernel", r.line)
            for r in self.iomem.walk()
            if r.name in KERNEL_NAMES
        ]

    @cached_property
    def total_ram(self) -> int:
        """Bytes of boot System RAM, plus a top-level ``Crash kernel`` carved out of it (s390).

        The planner's stand-in for the kernel's ``memblock_phys_mem_size()`` (spec §1).
        """
        return sum(r.size for r in self.ram) + sum(r.size for r in self.crash_outside_ram)

    @cached_property
    def crash_outside_ram(self) -> list[Range]:
        """``Crash kernel`` ranges not inside System RAM (s390 puts them at top level)."""
        return subtract((Range(r.start, r.end) for r in self.crash_resources if r.depth == 0),
                        self.ram)

    @cached_property
    def free(self) -> list[Range]:
        """System RAM that nothing visible holds on this boot."""
        return subtract(self.ram, (Range(b.start, b.end) for b in self.busy))

    @cached_property
    def free_next_boot(self) -> list[Range]:
        """Free RAM for the next boot: the current ``Crash kernel`` regions are released."""
        held = [Range(b.start, b.end) for b in self.busy if b.kind != "crash"]
        return subtract(self.ram + self.crash_outside_ram, held)

    @cached_property
    def reserved_in_ram(self) -> int:
        """Bytes inside System RAM held by something (kernel image, crash kernel, reserved...)."""
        return sum(r.size for r in merge(Range(b.start, b.end) for b in self.busy))

    @property
    def free_bytes(self) -> int:
        return sum(r.size for r in self.free)

    def largest_free(self, lo: int = 0, hi: int = 1 << 64, *, next_boot: bool = False) -> Range | None:
        """The largest contiguous free block inside ``[lo, hi)``."""
        return largest(self.free_next_boot if next_boot else self.free, lo, hi)

    def ram_below(self, boundary: int) -> int:
        return sum(piece.size for r in self.ram if (piece := r.clip(0, boundary)))

    @cached_property
    def holes(self) -> list[Range]:
        """Gaps in the physical address space that no top-level resource claims."""
        tops = merge(Range(r.start, r.end) for r in self.iomem.roots if not r.is_empty)
        if not tops:
            return []
        return subtract([Range(0, tops[-1].end)], tops)

    @cached_property
    def ram_gaps(self) -> list[Range]:
        """Address ranges between the first and last byte of RAM that are not RAM."""
        if not self.ram:
            return []
        return subtract([Range(self.ram[0].start, self.ram[-1].end)], self.ram)

    @property
    def end_of_ram(self) -> int:
        """memblock_end_of_DRAM(): one past the last byte of RAM."""
        ends = [r.end for r in self.ram] + [r.end for r in self.crash_outside_ram]
        return max(ends, default=0)

    @cached_property
    def address_limit(self) -> int:
        """One past the highest address any resource claims (the TUI asks on every drag step)."""
        return max((r.end for r in self.iomem.roots if not r.is_empty), default=0)
