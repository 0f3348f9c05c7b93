"""The static reservation per arch (issue 4; spec §3.1, §3.2, §4).

Every expectation is computed by hand from the spec: memblock top-down takes
``round_down(end - size, CRASH_ALIGN)`` of the highest free range where it still fits.
"""

from __future__ import annotations

import pytest

from crashmap.kernel.grammar import parse_crashkernel
from crashmap.placement import Request, context_from_snapshot, request_from_grammar, simulate
from crashmap.snapshot import Snapshot

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


def line(start: int, end: int, name: str, depth: int = 0) -> str:
    """One /proc/iomem line for ``[start, end)``."""
    return f"{'  ' * depth}{start:08x}-{end - 1:08x} : {name}"


def ctx_for(lines: list[str], arch: str, **facts):
    return context_from_snapshot(Snapshot(iomem="\n".join(lines) + "\n", arch=arch, **facts))


def place(ctx, cmdline: str):
    result = parse_crashkernel(cmdline, ctx.total_ram, ctx.arch)
    return simulate(ctx, request_from_grammar(result))


def blocks(p) -> list[tuple[str, int, int]]:
    return [(b.kind, b.start, b.end) for b in p.blocks]


# x86_64: 3 GiB below 4 GiB, 5 GiB above; kernel at 16-48 MiB
X86 = [
    line(0x1000, 0xA0000, "System RAM"),
    line(0x100000, 0xC0000000, "System RAM"),
    line(0x1000000, 0x3000000, "Kernel code", 1),
    line(0x100000000, 0x240000000, "System RAM"),
]


@pytest.fixture
def x86():
    return ctx_for(X86, "x86_64")


def test_x86_plain_size_lands_at_the_top_of_low_memory(x86):
    p = place(x86, "crashkernel=256M")
    assert blocks(p) == [("main", 0xB0000000, 0xC0000000)]
    assert p.outcome == "reserved"
    assert p.kernel_log == ("crashkernel reserved: 0x00000000b0000000 - 0x00000000c0000000 "
                            "(256 MB)",)


def test_x86_plain_size_too_big_for_low_falls_back_high_with_a_256m_low_part(x86):
    p = place(x86, "crashkernel=4G")
    assert blocks(p) == [("main", 0x140000000, 0x240000000), ("low", 0xB0000000, 0xC0000000)]
    assert p.static.fallback == "high"
    assert p.kernel_log == (
        "crashkernel low memory reserved: 0xb0000000 - 0xc0000000 (256 MB)",
        "crashkernel reserved: 0x0000000140000000 - 0x0000000240000000 (4096 MB)",
    )


def test_x86_high_lands_high_with_its_default_low_part(x86):
    p = place(x86, "crashkernel=1G,high")
    assert blocks(p) == [("main", 0x200000000, 0x240000000), ("low", 0xB0000000, 0xC0000000)]
    assert p.static.fallback is None


def test_x86_high_with_explicit_low_and_zero_low(x86):
    p = place(x86, "crashkernel=1G,high crashkernel=128M,low")
    assert blocks(p) == [("main", 0x200000000, 0x240000000), ("low", 0xB8000000, 0xC0000000)]
    p = place(x86, "crashkernel=1G,high crashkernel=0,low")
    assert blocks(p) == [("main", 0x200000000, 0x240000000)]


def test_x86_default_low_grows_with_a_large_swiotlb():
    ctx = ctx_for(X86, "x86_64", swiotlb_size=512 * MiB)
    p = place(ctx, "crashkernel=1G,high")
    assert p.low.size == 520 * MiB  # max(swiotlb + 8 MiB, 256 MiB)
    assert p.low.start == (0xC0000000 - 520 * MiB) // (16 * MiB) * (16 * MiB)


def test_x86_high_falls_back_low_without_a_low_part():
    ctx = ctx_for(X86[:3], "x86_64")  # no RAM above 4 GiB
    p = place(ctx, "crashkernel=512M,high")
    assert blocks(p) == [("main", 0xA0000000, 0xC0000000)]
    assert p.static.fallback == "low"
    assert [a.window for a in p.static.attempts] == [(1 << 32, 64 << 40), (0, 1 << 32)]


def test_x86_fails_for_fragmentation_though_total_free_ram_is_plenty():
    lines = [line(0x100000, 0xC0000000, "System RAM")]
    for k in range(1, 12):  # a 1 MiB reservation at every 256 MiB boundary
        lines.append(line(k * 256 * MiB - MiB, k * 256 * MiB, "Reserved", 1))
    ctx = ctx_for(lines, "x86_64")
    assert ctx.free.free_in(0, 1 << 32) > 2 * GiB
    p = place(ctx, "crashkernel=512M")
    assert p.outcome == "failed" and p.blocks == ()
    assert p.static.failure == "no-fit"
    assert p.kernel_log == ("cannot allocate crashkernel (size:0x20000000)",)
    assert [a.window for a in p.static.attempts] == [(0, 1 << 32), (1 << 32, 64 << 40)]


def test_x86_low_part_that_does_not_fit_frees_the_main_block():
    lines = [line(0x100000, 0x8000000, "System RAM"), line(0x1000000, 0x3000000, "Kernel code", 1),
             line(0x100000000, 0x440000000, "System RAM")]
    p = place(ctx_for(lines, "x86_64"), "crashkernel=1G")
    assert p.outcome == "failed" and p.blocks == ()
    assert p.static.failure == "low-failed"
    assert p.kernel_log == ("cannot allocate crashkernel low memory (size:0x10000000).",)
    assert [a.found for a in p.static.attempts] == [None, 0x400000000, None]


def test_x86_fixed_base_aligned_free_is_exact_only_when_the_boot_log_shows_the_initrd(x86):
    p = place(x86, "crashkernel=256M@512M")
    assert blocks(p) == [("main", 0x20000000, 0x30000000)]
    # without the boot log the initrd may sit there (a real 7.3.4 boot of 64M@0x7b000000 over
    # the initrd fails with "memory is in use"): the base is the only candidate, not a certainty
    assert p.confidence == "window" and p.window == (0x20000000, 0x30000000)
    log = "BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n" \
          "RAMDISK: [mem 0x3f000000-0x3fffffff]"
    logged = ctx_for(X86, "x86_64", boot_log=log)
    p = place(logged, "crashkernel=256M@512M")
    assert blocks(p) == [("main", 0x20000000, 0x30000000)]
    assert p.confidence == "exact" and p.window is None
    p = place(logged, "crashkernel=256M@0x30000000")
    assert p.outcome == "failed" and p.static.failure == "busy"


def test_x86_fixed_base_misaligned_fails_with_memory_in_use(x86):
    p = place(x86, "crashkernel=256M@0x20100000")
    assert p.outcome == "failed" and p.static.failure == "misaligned"
    assert p.kernel_log == ("crashkernel reservation failed - memory is in use.",)


def test_x86_fixed_base_on_busy_memory_fails_without_fallback(x86):
    p = place(x86, "crashkernel=256M@16M")  # the kernel image sits at 16-48 MiB
    assert p.static.failure == "busy" and p.blocks == ()
    assert len(p.static.attempts) == 1  # no fallback search


def test_x86_fixed_base_high_gets_no_low_part(x86):
    p = place(x86, "crashkernel=1G@5G")
    assert blocks(p) == [("main", 0x140000000, 0x180000000)]


def test_i386_low_equals_high_so_a_failed_plain_size_retries_forever():
    lines = [line(0x100000, 0x20000000, "System RAM"), line(0x1000000, 0x2000000, "Kernel code", 1)]
    ctx = ctx_for(lines, "i386")
    assert ctx.low_max == ctx.high_max == 512 * MiB
    assert blocks(place(ctx, "crashkernel=128M")) == [("main", 0x18000000, 0x20000000)]
    p = simulate(ctx, Request(crash_size=500 * MiB))
    assert p.static.failure == "retry-forever" and p.outcome == "failed"


# arm64: 3 GiB below 4 GiB, 4 GiB above, kernel at the start of RAM
ARM64 = [
    line(0x40000000, 0x100000000, "System RAM"),
    line(0x40200000, 0x42000000, "Kernel code", 1),
    line(0x880000000, 0x980000000, "System RAM"),
]
DMA_1G = "Zone ranges:\n  DMA      [mem 0x0000000040000000-0x000000007fffffff]\n" \
         "  DMA32    [mem 0x0000000080000000-0x00000000ffffffff]\n" \
         "  Normal   [mem 0x0000000100000000-0x000000097fffffff]\n"


def test_arm64_lands_low_below_4g_assumed():
    ctx = ctx_for(ARM64, "arm64")
    assert ctx.low_max == 1 << 32 and "assumed 4 GiB" in ctx.low_max_source
    assert blocks(place(ctx, "crashkernel=512M")) == [("main", 0xE0000000, 0x100000000)]


def test_arm64_low_max_is_the_dma_zone_from_the_boot_log():
    ctx = ctx_for(ARM64, "arm64", boot_log=DMA_1G)
    assert ctx.low_max == 0x80000000 and "DMA zone" in ctx.low_max_source
    assert blocks(place(ctx, "crashkernel=512M")) == [("main", 0x60000000, 0x80000000)]


def test_arm64_falls_back_high_with_a_128m_low_part():
    p = place(ctx_for(ARM64, "arm64"), "crashkernel=4G")
    assert blocks(p) == [("main", 0x880000000, 0x980000000), ("low", 0xF8000000, 0x100000000)]


def test_arm64_high_and_default_low():
    p = place(ctx_for(ARM64, "arm64"), "crashkernel=1G,high")
    assert blocks(p) == [("main", 0x940000000, 0x980000000), ("low", 0xF8000000, 0x100000000)]


def test_arm64_fixed_base_aligned_misaligned_busy():
    ctx = ctx_for(ARM64, "arm64")
    assert blocks(place(ctx, "crashkernel=256M@0x50000000")) == [
        ("main", 0x50000000, 0x60000000)]
    assert place(ctx, "crashkernel=256M@0x50100000").static.failure == "misaligned"
    assert place(ctx, "crashkernel=256M@0x40000000").static.failure == "busy"


def test_arm64_fragmented_low_and_high_fails():
    lines = [line(0x40000000, 0x100000000, "System RAM")]
    lines += [line(a, a + 2 * MiB, "reserved", 1) for a in range(0x48000000, 0x100000000,
                                                                   0x8000000)]
    p = place(ctx_for(lines, "arm64"), "crashkernel=256M")
    assert p.static.failure == "no-fit"


def test_arm64_with_all_ram_above_4g_has_no_dma_zone_window():
    lines = [line(0x8000000000, 0x8100000000, "System RAM")]
    ctx = ctx_for(lines, "arm64")
    assert ctx.low_max == 0x8100000000
    assert blocks(place(ctx, "crashkernel=1G")) == [("main", 0x80C0000000, 0x8100000000)]


def test_riscv_all_ram_below_4g_makes_low_equal_high():
    lines = [line(0x80000000, 0xC0000000, "System RAM"),
             line(0x80200000, 0x81000000, "Kernel image", 1),
             line(0xA0000000, 0xA0200000, "reserved", 1)]
    ctx = ctx_for(lines, "riscv64")
    assert ctx.low_max == ctx.high_max == 0xC0000000
    p = place(ctx, "crashkernel=256M")
    assert blocks(p) == [("main", 0xB0000000, 0xC0000000)]
    assert simulate(ctx, Request(crash_size=768 * MiB)).static.failure == "retry-forever"


def test_loongarch_lands_below_4g_top_down():
    lines = [line(0x90400000, 0xFA180000, "System RAM"),
             line(0xF6220000, 0xF6230000, "Reserved", 1),
             line(0xFE4E0000, 0x480000000, "System RAM")]
    p = place(ctx_for(lines, "loongarch64"), "crashkernel=256M")
    assert blocks(p) == [("main", 0xE6200000, 0xF6200000)]


# powerpc: the base is always fixed (min(RMA/2, 512 MiB) on an LPAR)
PPC = [
    line(0x0, 0x80000000, "System RAM"),
    line(0x0, 0x2000000, "Kernel code", 1),
    line(0x100000000, 0x200000000, "System RAM"),
]


def test_ppc_default_base_is_512m_on_an_lpar_and_128m_elsewhere():
    ctx = ctx_for(PPC, "ppc64le")
    p = place(ctx, "crashkernel=512M")
    assert blocks(p) == [("main", 0x20000000, 0x40000000)]
    assert p.confidence == "window" and p.window == (128 * MiB, 1 * GiB)
    other = context_from_snapshot(Snapshot(iomem="\n".join(PPC) + "\n", arch="ppc64le"),
                                  ppc_lpar=False)
    assert blocks(place(other, "crashkernel=512M")) == [("main", 0x8000000, 0x28000000)]


def test_ppc_base_is_page_aligned_up_with_a_warning():
    p = place(ctx_for(PPC, "ppc64le"), "crashkernel=256M@0x10001000")
    assert blocks(p) == [("main", 0x10010000, 0x20010000)]
    assert p.kernel_log[0] == "Crash kernel base must be aligned to 0x10000"


def test_ppc_crash_kernel_cannot_overlap_the_running_kernel():
    p = place(ctx_for(PPC, "ppc64le"), "crashkernel=256M@0x1000000")
    assert p.static.failure == "kernel-overlap" and p.blocks == ()
    assert p.kernel_log == ("Crash kernel can not overlap current kernel",)


def test_ppc_busy_base_fails():
    lines = PPC[:2] + [line(0x30000000, 0x30010000, "reserved", 1)] + PPC[2:]
    p = place(ctx_for(lines, "ppc64le"), "crashkernel=512M")
    assert p.static.failure == "busy"
    assert p.kernel_log == ("crashkernel reservation failed - memory is in use.",)


# s390: base and size rounded up to 1 MiB, searched top-down from the top of memory
S390 = [line(0x0, 0x80000000, "System RAM"), line(0x100000, 0x2000000, "Kernel code", 1)]


def test_s390_lands_at_the_top_of_memory():
    p = place(ctx_for(S390, "s390x"), "crashkernel=256M")
    assert blocks(p) == [("main", 0x70000000, 0x80000000)]
    assert p.kernel_log == ("Reserving 256MB of memory at 1792MB for crashkernel "
                            "(System RAM: 1792MB)",)


def test_s390_rounds_the_size_up_to_1m():
    p = place(ctx_for(S390, "s390x"), "crashkernel=300000K")  # 292.97 MiB -> 293 MiB
    assert blocks(p) == [("main", 0x80000000 - 293 * MiB, 0x80000000)]


def test_s390_fixed_base_and_its_lower_bound():
    ctx = ctx_for(S390, "s390x")
    assert blocks(place(ctx, "crashkernel=256M@512M")) == [("main", 0x20000000, 0x30000000)]
    p = place(ctx, "crashkernel=256M@128M")
    assert p.static.failure == "base-too-low"
    assert p.kernel_log == ("crashkernel reservation failed: crash_base too low",)


def test_s390_first_memory_chunk_must_hold_the_size():
    lines = [line(0x0, 0x10000000, "System RAM"), line(0x20000000, 0x80000000, "System RAM")]
    p = place(ctx_for(lines, "s390x"), "crashkernel=512M")
    assert p.static.failure == "first-chunk"


# arm32: 128 MiB aligned, top-down below the lowmem limit (RAM start + 768 MiB)
ARM32 = [line(0x20000000, 0xA0000000, "System RAM"), line(0x20008000, 0x20800000, "Kernel code", 1)]


def test_arm32_lands_in_the_top_128m_slot_below_lowmem_left_by_the_page_tables():
    ctx = ctx_for(ARM32, "arm")
    assert ctx.lowmem_limit == 0x50000000
    assert blocks(place(ctx, "crashkernel=128M")) == [("main", 0x40000000, 0x48000000)]
    assert blocks(place(ctx, "crashkernel=256M")) == [("main", 0x38000000, 0x48000000)]
    assert place(ctx, "crashkernel=128M").confidence == "window"


def test_arm32_fixed_base_needs_1m_alignment():
    ctx = ctx_for(ARM32, "arm")
    assert blocks(place(ctx, "crashkernel=64M@0x30000000")) == [("main", 0x30000000, 0x34000000)]
    assert place(ctx, "crashkernel=64M@0x30080000").static.failure == "misaligned"
    assert place(ctx, "crashkernel=64M@0x20000000").static.failure == "busy"


def test_arm32_fails_when_lowmem_has_no_aligned_slot():
    lines = [line(0x20000000, 0x30000000, "System RAM"), line(0x20008000, 0x20800000,
                                                              "Kernel code", 1)]
    p = place(ctx_for(lines, "arm"), "crashkernel=128M")
    assert p.static.failure == "no-fit"
    assert p.kernel_log == ("crashkernel reservation failed - No suitable area found.",)


def test_mips_is_not_modelled_except_for_a_fixed_base():
    lines = [line(0x200000, 0xF000000, "System RAM"), line(0x4000000, 0x5000000, "Kernel code", 1)]
    ctx = ctx_for(lines, "mips")
    assert place(ctx, "crashkernel=96M").outcome == "not modelled"
    p = place(ctx, "crashkernel=64M@128M")
    assert blocks(p) == [("main", 0x8000000, 0xC000000)] and p.outcome == "reserved"
    assert place(ctx, "crashkernel=64M@64M").outcome == "failed"


def test_nothing_requested_and_zero():
    ctx = ctx_for(X86, "x86_64")
    assert place(ctx, "quiet").outcome == "nothing requested"
    assert place(ctx, "crashkernel=0").outcome == "nothing requested"
    assert place(ctx, "crashkernel=256MB").outcome == "failed"  # a syntax error


def test_the_first_page_is_never_allocated():
    lines = [line(0x0, 0x4000000, "System RAM")]
    ctx = ctx_for(lines, "x86_64")
    p = simulate(ctx, Request(crash_size=64 * MiB))
    assert p.static.failure == "no-fit"  # only base 0 would fit, and memblock skips page 0


GENERIC_2M = ["arm64", "riscv64", "loongarch64"]
"""Generic-code arches with CRASH_ALIGN 2 MiB, LOW_MAX 4 GiB here, default low 128 MiB."""


@pytest.mark.parametrize("arch", GENERIC_2M)
def test_generic_arches_low_high_fallback_fixed(arch):
    ctx = ctx_for(ARM64, arch)
    assert ctx.low_max == 1 << 32
    assert blocks(place(ctx, "crashkernel=512M")) == [("main", 0xE0000000, 0x100000000)]
    assert blocks(place(ctx, "crashkernel=1G,high")) == [
        ("main", 0x940000000, 0x980000000), ("low", 0xF8000000, 0x100000000)]
    fallback = place(ctx, "crashkernel=4G")
    assert fallback.static.fallback == "high"
    assert blocks(fallback) == [("main", 0x880000000, 0x980000000),
                                ("low", 0xF8000000, 0x100000000)]
    assert blocks(place(ctx, "crashkernel=256M@0x50000000")) == [
        ("main", 0x50000000, 0x60000000)]
    assert place(ctx, "crashkernel=256M@0x50100000").static.failure == "misaligned"
    assert place(ctx, "crashkernel=256M@0x40000000").static.failure == "busy"


@pytest.mark.parametrize("arch", GENERIC_2M)
def test_generic_arches_fail_for_fragmentation_with_plenty_free(arch):
    lines = [line(0x40000000, 0x100000000, "System RAM")]
    lines += [line(a, a + 2 * MiB, "reserved", 1) for a in range(0x48000000, 0x100000000,
                                                                   0x8000000)]
    lines += [line(0x880000000, 0x8C0000000, "System RAM")]
    lines += [line(a, a + 2 * MiB, "reserved", 1) for a in range(0x888000000, 0x8C0000000,
                                                                   0x8000000)]
    ctx = ctx_for(lines, arch)
    assert ctx.free.free_in(0, 1 << 48) > 3 * GiB
    p = place(ctx, "crashkernel=256M")
    assert p.static.failure == "no-fit" and p.outcome == "failed"
    assert p.kernel_log == ("cannot allocate crashkernel (size:0x10000000)",)


def test_x86_numa_node_data_from_the_boot_log_is_held():
    """alloc_node_data() logs where each node's pg_data_t went; it is allocated top-down in
    initmem_init(), before arch_reserve_crashkernel() (arch/x86/kernel/setup.c)."""
    log = "BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n" \
          "NODE_DATA(0) allocated [mem 0xbffd5000-0xbfffffff]"
    ctx = ctx_for(X86, "x86_64", boot_log=log)
    assert (0xBFFD5000, 0xC0000000) in [h.range for h in ctx.hidden]
    p = place(ctx, "crashkernel=256M")
    assert blocks(p) == [("main", 0xAF000000, 0xBF000000)]  # one 16 MiB slot lower
    assert p.confidence == "exact"
