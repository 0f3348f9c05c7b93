"""Derived views of the map: RAM, busy, free, largest blocks, holes (issue 2)."""

from __future__ import annotations

from crashmap.iomem import parse_iomem
from crashmap.memmap import FOUR_GIB, MemoryMap, Range, classify, merge, subtract

MAP = """\
00000000-00000fff : Reserved
00001000-0009ffff : System RAM
000a0000-000fffff : Reserved
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-0227ffff : Kernel data
  10000000-1fffffff : Crash kernel
  80000000-8fffffff : reserved
e0000000-efffffff : PCI MMCONFIG 0000 [bus 00-ff]
100000000-23fffffff : System RAM
  200000000-20fffffff : Crash kernel
280000000-47fffffff : Soft Reserved
  280000000-47fffffff : dax0.0
    280000000-47fffffff : System RAM (kmem)
"""


def memmap() -> MemoryMap:
    return MemoryMap(parse_iomem(MAP))


def test_boot_ram_excludes_hotplugged_kmem_ram():
    m = memmap()
    assert m.ram == [Range(0x1000, 0xA0000), Range(0x100000, 0xC0000000),
                     Range(0x100000000, 0x240000000)]
    assert m.hotplug_ram == [Range(0x280000000, 0x480000000)]
    assert m.total_ram == (0xA0000 - 0x1000) + (0xC0000000 - 0x100000) + 5 * (1 << 30)


def test_busy_free_and_next_boot_release_the_crash_kernel():
    m = memmap()
    assert [b.kind for b in m.busy] == ["kernel", "kernel", "crash", "reserved", "crash"]
    assert Range(0x2280000, 0x10000000) in m.free
    assert Range(0x2280000, 0x80000000) in m.free_next_boot  # crash region released
    assert Range(0x100000000, 0x240000000) in m.free_next_boot
    assert m.reserved_in_ram == 0x1000000 + 0x280000 + 0x10000000 + 0x10000000 + 0x10000000


def test_largest_free_block_below_and_above_4g():
    m = memmap()
    assert m.largest_free(0, FOUR_GIB) == Range(0x20000000, 0x80000000)
    assert m.largest_free(FOUR_GIB) == Range(0x100000000, 0x200000000)
    assert m.largest_free(FOUR_GIB, next_boot=True) == Range(0x100000000, 0x240000000)
    assert m.largest_free(0x100000, 0x2000000) == Range(0x100000, 0x1000000)


def test_holes_and_ram_gaps():
    m = memmap()
    assert m.holes == [Range(0xC0000000, 0xE0000000), Range(0xF0000000, 0x100000000),
                       Range(0x240000000, 0x280000000)]
    assert Range(0xC0000000, 0x100000000) in m.ram_gaps
    assert m.end_of_ram == 0x240000000


def test_classify_kinds():
    kinds = {r.name: classify(r) for r in parse_iomem(MAP).walk()}
    assert kinds["System RAM"] == "ram" and kinds["Kernel code"] == "kernel"
    assert kinds["Crash kernel"] == "crash" and kinds["reserved"] == "reserved"
    assert kinds["PCI MMCONFIG 0000 [bus 00-ff]"] == "pci" and kinds["Soft Reserved"] == "soft"


def test_subtract_and_merge():
    assert merge([Range(5, 9), Range(0, 3), Range(3, 4), Range(8, 12)]) == [Range(0, 4), Range(5, 12)]
    assert subtract([Range(0, 100)], [Range(10, 20), Range(15, 30), Range(90, 120)]) == [
        Range(0, 10), Range(30, 90)]
    assert subtract([Range(0, 10)], []) == [Range(0, 10)]
