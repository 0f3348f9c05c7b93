"""The harness's reading of real oracle boots (committed captures: no QEMU needed)."""

from __future__ import annotations

import re

import pytest
from crashmap.bootlog import gb_pages, ramdisk_original, ramdisk_range
from crashmap.memmap import Range
from crashmap.placement import context_from_snapshot
from crashmap.placement.x86_pagetables import early_page_tables
from crashmap.snapshot import from_yaml, to_yaml

from tests.corpus import DATA
from tests.kernel.oracle import exact_misses, predict
from tests.kernel.serial import Boot, SerialError, blocks, reserved

BOOTS = DATA / "kernel-boots"


def load(name: str) -> Boot:
    return Boot.parse((BOOTS / name).read_text(encoding="utf-8"))


def test_blocks_of_a_real_boot_and_the_snapshot_a_live_capture_would_take():
    boot = load("x86_64-q35-4G-debug-256M-high.txt")
    snap = boot.snapshot("x86_64")
    assert snap.cmdline == "console=ttyS0 nokaslr panic=-1 quiet memblock=debug " \
                           "crashkernel=256M,high"
    assert snap.kernel_release == "7.3.4" and snap.arch == "x86_64"
    assert snap.iomem.startswith("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n")
    assert "\r" not in snap.iomem and snap.iomem.endswith("Reserved\n")
    assert snap.kexec_crash_size == 512 << 20  # high + low, as /sys/kernel/kexec_crash_size
    assert snap.kexec_crash_cma_ranges == "" and snap.cma_ranges == []
    assert snap.mem_total == boot.meminfo["MemTotal"] and snap.mem_total % 1024 == 0
    assert snap.swiotlb_size == 64 << 20
    assert "\nBIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  System RAM\n" in snap.boot_log
    assert "Using GB pages for direct mapping" in snap.boot_log  # kept for the page tables
    assert not re.search(r"^\[\s*\d", snap.boot_log, re.M)  # message text, as /dev/kmsg
    again = from_yaml(to_yaml(snap), "x")
    assert again.iomem == snap.iomem and again.boot_log == snap.boot_log


def test_reserved_reads_both_blocks_from_iomem_and_checks_them_against_the_log():
    got = reserved(load("x86_64-q35-4G-debug-256M-high.txt"), "x86_64")
    assert got.main == Range(0x16F000000, 0x17F000000)  # below the page tables at 0x17fffe000
    assert got.low == Range(0x6F000000, 0x7F000000)
    assert got.log == ("crashkernel low memory reserved: 0x6f000000 - 0x7f000000 (256 MB)",
                       "crashkernel reserved: 0x000000016f000000 - 0x000000017f000000 (256 MB)")


def test_an_unfinished_boot_is_an_error():
    raw = (BOOTS / "x86_64-q35-4G-mem1G.txt").read_text(encoding="utf-8")
    with pytest.raises(SerialError, match="DONE"):
        blocks(raw.split("===KO:DMESG:BEGIN===")[0])


def _debug_page_tables(log: str) -> list[Range]:
    """The 4 KiB alloc_low_pages() allocations memblock=debug logged before RAMDISK."""
    lines = log.split("\n")
    found = []
    for i, line in enumerate(lines):
        if line.startswith("RAMDISK:"):
            break
        if re.match(r"memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0*[1-9a-f]", line):
            start, end = re.search(r"\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\]", lines[i + 1]).groups()
            found.append(Range(int(start, 16), int(end, 16) + 1))
    return sorted(found)


def test_page_table_model_matches_the_kernels_memblock_debug_log():
    boot = load("x86_64-q35-4G-debug.txt")
    log = boot.dmesg
    kernel = _debug_page_tables(log)
    assert kernel == [Range(0x17FFFE000, 0x17FFFF000), Range(0x17FFFF000, 0x180000000)]
    snap = boot.snapshot("x86_64")
    ctx = context_from_snapshot(snap)
    tables = [h.range for h in ctx.hidden if "page tables" in h.what]
    assert tables == [Range(0x17FFFE000, 0x180000000)]
    assert gb_pages(snap.boot_log) is True
    probe, pages = early_page_tables(snap.memmap.ram, [Range(0, 1 << 20), ramdisk_original(log)],
                                     Range(0x17C7000, 0x17CF000), gbpages=True)
    assert probe == Range(0x17FE00000, 0x180000000) and pages == tables


def test_prediction_from_the_debug_baseline_is_exact():
    base, real = load("x86_64-q35-4G-debug.txt"), load("x86_64-q35-4G-debug-256M-high.txt")
    prediction = predict(base.snapshot("x86_64"), real.cmdline)
    assert exact_misses(prediction, reserved(real, "x86_64")) == []
    assert prediction.placement.confidence == "exact"


def test_the_moved_initrd_is_where_the_kernel_copied_it():
    base = load("x86_64-q35-4G-mem1G.txt")
    log = base.snapshot("x86_64").boot_log
    assert ramdisk_original(log) == Range(0x7FDEB000, 0x7FFD0000)  # where QEMU put it
    assert ramdisk_range(log) == Range(0x3FE1B000, 0x40000000)  # beyond mem=1G: copied
    real = load("x86_64-q35-4G-mem1G-256M.txt")
    prediction = predict(base.snapshot("x86_64"), real.cmdline)
    assert exact_misses(prediction, reserved(real, "x86_64")) == []
    assert prediction.placement.main.range == Range(0x2F000000, 0x3F000000)


def test_arm64_gives_back_the_reserved_lines_made_after_the_crash_kernel():
    base, real = load("arm64-virt-6G.txt"), load("arm64-virt-6G-512M-high.txt")
    snap = base.snapshot("arm64")
    ctx = context_from_snapshot(snap)
    back = [h.range for h in ctx.given_back]
    # the sparse vmemmap run, top-down from the 2 MiB block of the early page tables, and the
    # swiotlb the boot log places below the DMA limit
    assert back == [Range(0x1B8600000, 0x1BF200000), Range(0xFBFFF000, 0xFFFFF000)]
    prediction = predict(snap, real.cmdline)
    got = reserved(real, "arm64")
    assert exact_misses(prediction, got) == []
    assert got.main == Range(0x19F200000, 0x1BF200000) and got.low == Range(0xF8000000, 1 << 32)


def test_arm64_without_the_boot_log_the_swiotlb_is_a_guess_and_the_answer_a_window():
    base, real = load("arm64-virt-6G.txt"), load("arm64-virt-6G-512M-high.txt")
    blind = predict(base.snapshot("arm64", boot_log=False), real.cmdline)
    p = blind.placement
    assert p.confidence == "window"
    assert p.main.range == reserved(real, "arm64").main  # the likely guess is the kernel's
    assert any("swiotlb" in note for note in p.notes)
