"""Every real dump in the shared corpus parses, or is rejected with FILE:LINE (issue 2).

The corpus is copied into ``tests/data/iomem`` (``tests/corpus.py``); ``CRASHMAP_SHARED_IOMEM``
may add more dumps. The bundled maps in ``maps/`` are built from the same dumps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from crashmap.errors import CrashmapError
from crashmap.iomem import parse_iomem, read_text
from crashmap.memmap import MemoryMap, Range
from crashmap.sources import load_source

from tests.corpus import DUMPS

GiB, MiB = 1 << 30, 1 << 20


def dump(prefix: str) -> Path:
    return next(p for p in DUMPS if p.name.startswith(prefix + "-"))


def load(prefix: str):
    path = dump(prefix)
    return parse_iomem(read_text(path.read_bytes(), path.name), path.name)


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: p.name[:2])
def test_every_dump_parses_or_is_rejected_with_file_and_line(path):
    try:
        iomem = parse_iomem(read_text(path.read_bytes(), path.name), path.name)
    except CrashmapError as error:
        assert str(error).startswith(f"{path.name}:")
        return
    assert len(iomem) > 0
    for resource in iomem.walk():
        assert resource.start < resource.end
        for child in resource.children:
            assert resource.contains(child) or child.is_empty or iomem.hidden


@pytest.mark.parametrize(
    ("prefix", "family", "ram_ranges"),
    [
        ("01", "x86_64", 3),  # ZenBook: low RAM pieces split by ACPI and the big high range
        ("19", "i386", 2),
        ("06", "arm64", None),
        ("11", "arm", 1),
        ("54", "riscv64", 1),
        ("35", "loongarch64", 3),
        ("37", "mips", 1),
        ("65", "mips64", 1),
        ("68", "s390x", 1),
    ],
)
def test_one_dump_per_architecture_family(prefix, family, ram_ranges):
    iomem = load(prefix)
    assert family in iomem.header["arch"]
    ram = MemoryMap(iomem).ram
    assert ram, "every family's dump shows System RAM"
    if ram_ranges is not None:
        assert len(ram) >= ram_ranges


def test_x86_crash_kernel_is_nested_under_low_system_ram():
    memmap = MemoryMap(load("01"))
    (crash,) = memmap.crash_resources
    assert (crash.start, crash.last, crash.depth) == (0x65000000, 0x6AFFFFFF, 1)
    assert crash.parent.name == "System RAM" and crash.parent.last == 0x763FAFFF
    assert crash.size == 96 * MiB  # crashkernel=96M in the report's cmdline


def test_s390_crash_kernel_is_top_level_and_counts_as_ram():
    memmap = MemoryMap(load("68"))
    (crash,) = memmap.crash_resources
    assert (crash.depth, crash.start, crash.last) == (0, 0x70000000, 0x7FFFFFFF)
    assert memmap.ram == [Range(0, 0x70000000)]
    assert memmap.total_ram == 2 * GiB  # the mail: a 2 GiB guest with a 256 MiB crash area
    last = memmap.free_next_boot[-1]  # the crash area is released and joins the RAM below it
    assert last.start < 0x70000000 and last.end == 0x80000000


def test_two_crash_kernel_lines_low_and_high():
    memmap = MemoryMap(load("05"))
    crash = memmap.crash_resources
    assert [(c.name, c.start, c.last) for c in crash] == [
        ("Crash kernel (low)", 0xF1A00000, 0xF7DFFFFF),
        ("Crash kernel", 0xBE98C00000, 0xBF98BFFFFF),
    ]
    assert crash[0].parent.name == "reserved"
    assert crash[1].size == 4 * GiB  # crashkernel=4G in the report's cmdline


def test_zeroed_dump_is_hidden_not_a_map_of_zero_bytes():
    iomem = load("29")
    assert iomem.hidden
    snapshot = load_source(str(dump("29")))
    assert snapshot.hidden
    assert snapshot.system_ram is None  # no addresses, no RAM figure: never "0 bytes"


def test_flowed_indentation_nests_identical_ranges():
    iomem = load("04")
    first = iomem.roots[0]
    assert first.name == "ARMH0011:00" and [c.name for c in first.children] == ["ARMH0011:00"]
    (crash,) = MemoryMap(iomem).crash_resources
    assert (crash.start, crash.last) == (0xEEE00000, 0xFFDFFFFF)


@pytest.mark.parametrize("prefix", ["01", "10", "39"])
def test_five_levels_deep(prefix):
    assert max(r.depth for r in load(prefix).walk()) == 5


def test_loongarch_bug_crash_kernel_without_its_parent():
    memmap = MemoryMap(load("34"))
    (crash,) = memmap.crash_resources
    assert crash.depth == 0  # the kernel bug of the report: the parent System RAM vanished
    fixed = MemoryMap(load("35"))
    assert fixed.crash_resources[0].depth == 1


def test_stray_blank_line_and_constant_indent_in_a_bugzilla_copy():
    iomem = load("39")
    assert all(r.depth == 0 for r in iomem.roots)
    assert sum(1 for r in iomem.roots if r.name == "System RAM") >= 20


def test_riscv_fragment_reserved_children():
    memmap = MemoryMap(load("54"))
    assert memmap.ram == [Range(0x40080000, 0x240000000)]
    assert len(memmap.busy) == 15
