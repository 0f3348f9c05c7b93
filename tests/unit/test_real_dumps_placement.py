"""Predictions against real dumps whose Crash kernel line shows where the kernel put the block.

The command line comes from each dump's ``# crashkernel cmdline:`` header (or, where the header
says "unknown", the size of the Crash kernel line). Where the prediction for a current kernel
(``NEWEST``) and the dump differ, the test asserts the explanation: the block lies inside the
predicted window (memblock held more at boot than /proc/iomem shows), or the dump's older
kernel used another window, and predicting for that kernel (the dump's own ``kernel_release``,
the default) reproduces the address exactly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.target import parse_release
from crashmap.memmap import Range
from crashmap.placement import Request, context_from_snapshot, request_from_grammar, simulate
from crashmap.sources import load_source

from tests.corpus import DUMPS

MiB = 1 << 20
NEWEST = parse_release("7.3")


def snapshot(prefix: str):
    return load_source(str(next(p for p in DUMPS if p.name.startswith(prefix + "-"))))


def predict(prefix: str, cmdline: str, **options):
    snap = snapshot(prefix)
    ctx = context_from_snapshot(snap, **options)
    result = parse_crashkernel(cmdline, snap.system_ram, ctx.arch, kernel=ctx.kernel)
    return ctx, simulate(ctx, request_from_grammar(result))


def crash_lines(ctx) -> list[Range]:
    return list(ctx.facts.crash_ranges)


def inside(r: Range, window: Range) -> bool:
    return window.start <= r.start and r.end <= window.end


def test_01_zenbook_96m_no_ramdisk_line_gives_a_window_holding_the_real_block():
    ctx, p = predict("01", "crashkernel=96M")
    assert p.main.range == Range(0x70000000, 0x76000000)  # top 16 MiB-aligned slot below RAM end
    assert p.confidence == "window"
    assert p.window == Range(0x25000000, 0x76000000)  # from above the kernel bss to the top
    real = Range(0x65000000, 0x6B000000)  # "Reserving 96MB of memory at 1616MB"
    assert crash_lines(ctx) == [real]
    assert inside(real, p.window)
    assert inside(Range(1648 * MiB, 1744 * MiB), p.window)  # the kexec boot's "at 1648MB"


def test_70_zenbook_after_the_esrt_fix_same_story():
    ctx, p = predict("70", "crashkernel=96M")
    assert p.main.range == Range(0x6E000000, 0x74000000)
    assert inside(Range(0x65000000, 0x6B000000), p.window)


def test_04_emag_272m_lands_exactly_where_the_kernel_put_it():
    ctx, p = predict("04", "crashkernel=272M")
    assert p.main.range == Range(0xEEE00000, 0xFFE00000) == crash_lines(ctx)[0]


def test_06_stingray_512m_is_2m_lower_because_5_1_searched_below_0xffffffff():
    ctx, own = predict("06", "crashkernel=512M")
    assert ctx.kernel.major_minor == (5, 1) and own.outcome == "not modelled"
    ctx, p = predict("06", "crashkernel=512M", kernel=NEWEST)
    assert p.confidence == "exact"  # arm64 lists memblock's reservations as 'reserved'
    assert p.main.range == Range(0xE0000000, 0x100000000)  # Linux 6.17: LOW_MAX = DMA limit
    real = Range(0xDFE00000, 0xFFE00000)
    assert crash_lines(ctx) == [real]
    # 5.1's reserve_crashkernel() searched [0, ARCH_LOW_ADDRESS_LIMIT = dma_phys_limit - 1)
    _, old = predict("06", "crashkernel=512M", low_max=0xFFFFFFFF, kernel=NEWEST)
    assert old.main.range == real


def test_05_thunderx2_high_and_low_review_era_kernel():
    ctx, p = predict("05", "crashkernel=4G crashkernel=100M,low", kernel=NEWEST)
    # mainline ignores ,low next to a plain size: 4G fails low, goes high with a 128 MiB low
    # part, which the fragment's 100 MiB of low RAM cannot hold
    assert p.request.low_size is None and p.static.low_size == 128 * MiB
    assert p.static.failure == "low-failed" and p.outcome == "failed"
    # the review-era patches used the ,low size; that places the low part exactly
    review = simulate(ctx, Request(crash_size=4 << 30, high=True, low_size=100 * MiB))
    assert review.low.range == Range(0xF1A00000, 0xF7E00000) == crash_lines(ctx)[0]
    # the high part: that kernel searched lower; the real block lies in the same free range
    real_high = crash_lines(ctx)[1]
    assert real_high == Range(0xBE98C00000, 0xBF98C00000)
    assert ctx.free.containing(real_high.start) == ctx.free.containing(review.main.start)
    assert review.main.start > real_high.start


@pytest.mark.parametrize("prefix", ["34", "35"])
def test_loongarch_256m_lands_exactly(prefix):
    # a 6.7-rc development tree carrying the generic code, which mainline merged for 6.8: by its
    # version alone it is not modelled; predicted as a current kernel, it is exact
    ctx, own = predict(prefix, "crashkernel=256M")
    assert own.outcome == "not modelled"
    ctx, p = predict(prefix, "crashkernel=256M", kernel=NEWEST)
    assert p.main.range == Range(0xE6200000, 0xF6200000) == crash_lines(ctx)[0]


def test_39_cascadelake_pre_5_2_kernel_capped_low_placement_at_896m():
    ctx, p = predict("39", "crashkernel=256M", kernel=NEWEST)
    real = Range(0x28000000, 0x38000000)
    assert crash_lines(ctx) == [real]
    assert p.main.range == Range(0x4B000000, 0x5B000000)  # a current kernel: below 4 GiB
    assert inside(real, p.window)
    # the dump's own 4.19 kernel: CRASH_ADDR_LOW_MAX 896 MiB (before 9ca5c8e632ce)
    ctx, own = predict("39", "crashkernel=256M")
    assert ctx.kernel.version_text == "4.19.15" and ctx.era.key == "x86-896m"
    assert own.main.range == real
    assert own.kernel_log == ("Reserving 256MB of memory at 640MB for crashkernel "
                              "(System RAM: 391833MB)",)


def test_40_arm32_128m_lands_below_the_lowmem_limit():
    ctx, p = predict("40", "crashkernel=128M")
    assert ctx.lowmem_limit == 0x50000000  # RAM start 0x20000000 + 768 MiB
    assert p.main.range == Range(0x40000000, 0x48000000) == crash_lines(ctx)[0]


def test_65_mips_fixed_base_is_reserved_where_asked():
    ctx, p = predict("65", "crashkernel=64M@128M")
    assert p.main.range == Range(0x8000000, 0xC000000) == crash_lines(ctx)[0]
    codes = {f.code for f in evaluate_cmdline(ctx, "crashkernel=64M@128M").findings}
    assert "arch-not-modelled" in codes


def test_66_mips_automatic_placement_is_not_modelled():
    _, p = predict("66", "crashkernel=96M")
    assert p.outcome == "not modelled" and p.blocks == ()


def test_68_s390_takes_the_top_256m_of_2g():
    ctx, p = predict("68", "crashkernel=256M")
    assert p.main.range == Range(0x70000000, 0x80000000) == crash_lines(ctx)[0]


def test_69_excerpt_fixed_128m_at_16m():
    ctx, p = predict("69", "crashkernel=128M@16M")
    assert p.main.range == Range(0x1000000, 0x9000000) == crash_lines(ctx)[0]


def test_52_empty_crash_kernel_line_is_not_a_reservation():
    ctx, p = predict("52", "crashkernel=128M", kernel=NEWEST)
    assert crash_lines(ctx) == []
    assert p.outcome == "reserved"
    _, own = predict("52", "crashkernel=128M")  # RHEL 5's 2.6.18: before any modelled era
    assert own.outcome == "not modelled"


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: p.name[:2])
def test_every_dump_gets_a_verdict(path):
    try:
        snap = load_source(str(path))
    except Exception as error:  # a dump the parser rejects is the parser's business
        pytest.skip(str(error))
    if snap.hidden:
        pytest.skip("addresses hidden")
    ctx = context_from_snapshot(snap)
    for cmdline in ("crashkernel=256M", "crashkernel=1G,high", "crashkernel=256M@0x10000000"):
        verdict = evaluate_cmdline(ctx, cmdline)
        assert verdict.placement.outcome in ("reserved", "partially reserved", "failed",
                                             "not modelled", "nothing requested")
        for finding in verdict.findings:
            assert finding.message and finding.explain and finding.chapter


def test_bundled_firecracker_map_with_ramdisk_is_exact():
    snap = load_source("x86_64-vm-firecracker-6.18")
    ctx = context_from_snapshot(snap)
    assert ctx.confidence == "exact"
    p = simulate(ctx, request_from_grammar(parse_crashkernel("crashkernel=256M",
                                                             snap.system_ram, ctx.arch,
                                                             kernel=ctx.kernel)))
    # RAM ends at 0xc0000000, the initrd sits at 0xbf8f0000-0xbfffffff: top-down below it
    assert p.main.range == Range(0xAF000000, 0xBF000000)
    assert p.confidence == "exact" and p.window is None


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/proc/iomem").exists(),
                    reason="needs root to read /proc/iomem")
def test_live_machine_prediction_respects_the_ramdisk():
    snap = load_source("live")
    if snap.hidden or snap.arch not in ("x86_64",):
        pytest.skip("live map not readable or not x86_64")
    ctx = context_from_snapshot(snap)
    p = simulate(ctx, Request(crash_size=256 * MiB))
    assert p.main is not None and p.main.start % (16 * MiB) == 0
    ramdisk = [h.range for h in ctx.hidden]
    if ramdisk:
        assert p.confidence == "exact"
        assert all(p.main.end <= r.start or p.main.start >= r.end for r in ramdisk)
