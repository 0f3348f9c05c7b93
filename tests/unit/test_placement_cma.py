"""``crashkernel=size,cma``: up to 4 pageblock-aligned areas, bottom-up from 4 GiB, the halving
loop exactly as spec §3.3 (failures use no slot, the request is never reset, overshoot)."""

from __future__ import annotations

from crashmap.kernel.grammar import parse_crashkernel
from crashmap.placement import Request, context_from_snapshot, request_from_grammar, simulate
from crashmap.snapshot import Snapshot

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
FOUR_G = 1 << 32


def line(start: int, end: int, name: str, depth: int = 0) -> str:
    return f"{'  ' * depth}{start:08x}-{end - 1:08x} : {name}"


def ctx_for(lines: list[str], arch: str = "x86_64", release: str | None = None):
    return context_from_snapshot(Snapshot(iomem="\n".join(lines) + "\n", arch=arch,
                                          kernel_release=release))


def place(ctx, cmdline: str):
    result = parse_crashkernel(cmdline, ctx.total_ram, ctx.arch, kernel=ctx.kernel)
    return simulate(ctx, request_from_grammar(result))


def areas(p) -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in p.cma.areas]


LOW = [line(0x100000, 0xC0000000, "System RAM"), line(0x1000000, 0x3000000, "Kernel code", 1)]
SMALL_LOW = [line(0x100000, 0x20000000, "System RAM"), line(0x1000000, 0x3000000, "Kernel code", 1)]
"""512 MiB below 4 GiB: too little for the top-down fallback to take big areas there."""


def high_pieces(sizes: list[int], gap: int = 2 * MiB) -> list[str]:
    """One RAM range above 4 GiB cut into free pieces of ``sizes`` by ``gap``-sized reservations."""
    lines, address = [], FOUR_G
    for size in sizes:
        address += size
        lines.append(line(address, address + gap, "Reserved", 1))
        address += gap
    return [line(FOUR_G, address, "System RAM")] + lines


def test_one_area_just_above_4g():
    ctx = ctx_for(LOW + [line(FOUR_G, 0x440000000, "System RAM")])
    p = place(ctx, "crashkernel=256M crashkernel=1G,cma")
    assert areas(p) == [(FOUR_G, FOUR_G + GiB)]
    assert p.cma.counted == GiB and p.outcome == "reserved"
    assert p.kernel_log[-1] == "crashkernel CMA reserved: 1024 MB in 1 ranges"
    assert p.cma.attempts[0].bottom_up and p.cma.attempts[0].lo == FOUR_G


def test_two_areas_after_one_halving():
    ctx = ctx_for(SMALL_LOW + high_pieces([1536 * MiB, 1536 * MiB]))
    p = place(ctx, "crashkernel=256M crashkernel=3G,cma")
    first = FOUR_G
    second = FOUR_G + 1536 * MiB + 2 * MiB
    assert areas(p) == [(first, first + 1536 * MiB), (second, second + 1536 * MiB)]
    assert [a.size for a in p.cma.attempts] == [3 * GiB, 3 * GiB, 1536 * MiB, 1536 * MiB]
    assert p.kernel_log[-1] == "crashkernel CMA reserved: 3072 MB in 2 ranges"


def test_request_is_not_reset_so_the_total_can_overshoot():
    ctx = ctx_for(SMALL_LOW + high_pieces([502 * MiB, 502 * MiB]))
    asked = 1000 * MiB + 4 * KiB
    p = simulate(ctx, Request(crash_size=256 * MiB, cma_size=asked))
    half = 500 * MiB + 4 * KiB  # roundup(asked / 2, PAGE_SIZE)
    assert p.cma.counted == 2 * half > asked
    assert [a.size for a in p.cma.areas] == [502 * MiB, 502 * MiB]  # pageblock-rounded
    assert p.kernel_log[-1] == "crashkernel CMA reserved: 1000 MB in 2 ranges"


def test_four_areas_at_most_and_the_shortfall_message():
    ctx = ctx_for(SMALL_LOW + high_pieces([256 * MiB] * 6))
    p = place(ctx, "crashkernel=256M crashkernel=2G,cma")
    assert len(p.cma.areas) == 4 and p.cma.counted == GiB
    # 2G and 1G fail (two searches each), 512M fails, then 256M succeeds four times
    sizes = [a.size for a in p.cma.attempts if a.found is not None]
    assert sizes == [256 * MiB] * 4
    assert p.outcome == "partially reserved"
    assert p.kernel_log[-1] == ("crashkernel CMA reservation failed: 2048 MB requested, "
                                "1024 MB reserved in 4 ranges")


def test_halving_stops_at_one_page():
    ctx = ctx_for([line(0x100000, 0x300000, "System RAM")])
    p = simulate(ctx, Request(crash_size=0, cma_size=MiB))
    assert p.cma.areas == ()
    assert [a.size for a in p.cma.attempts] == [2 * MiB] * 9  # 1M ... 4K requests, each a pageblock
    assert p.kernel_log == ("crashkernel CMA reservation failed: 1 MB requested, 0 MB reserved "
                            "in 0 ranges",)


def test_cma_goes_after_the_static_block_and_avoids_it():
    lines = [line(0x100000, 0x10000000, "System RAM"), line(0x1000000, 0x3000000, "Kernel code", 1),
             line(FOUR_G, 0x140000000, "System RAM")]
    ctx = ctx_for(lines)
    p = place(ctx, "crashkernel=512M,high crashkernel=0,low crashkernel=256M,cma")
    assert [(b.kind, b.start) for b in p.blocks] == [("main", 0x120000000), ("cma", FOUR_G)]
    p = place(ctx, "crashkernel=768M,high crashkernel=0,low crashkernel=512M,cma")
    main = p.main
    for area in p.cma.areas:
        assert area.end <= main.start or area.start >= main.end


def test_without_4g_plus_size_of_ram_cma_goes_top_down_anywhere():
    p = place(ctx_for(LOW), "crashkernel=256M crashkernel=512M,cma")
    assert p.main.start == 0xB0000000
    assert areas(p) == [(0x90000000, 0xB0000000)]
    assert not p.cma.attempts[0].bottom_up


def test_top_down_fallback_can_straddle_4g():
    lines = [line(0x100000, 0x140000000, "System RAM"),
             line(0x1000000, 0x3000000, "Kernel code", 1)]
    p = simulate(ctx_for(lines), Request(crash_size=16 * MiB, crash_base=0x4000000,
                                         cma_size=1536 * MiB))
    assert areas(p) == [(0xE0000000, 0x140000000)]  # limit 5G < 4G + 1.5G: top-down


def test_static_failure_still_reserves_cma_on_x86():
    lines = LOW + [line(FOUR_G, 0x200000000, "System RAM")]
    p = place(ctx_for(lines), "crashkernel=256M@0x1000000 crashkernel=1G,cma")
    assert p.static.failure == "busy" and areas(p) == [(FOUR_G, FOUR_G + GiB)]
    assert p.outcome == "partially reserved"


def test_x86_cma_alone_reserves_nothing():
    p = place(ctx_for(LOW + [line(FOUR_G, 0x200000000, "System RAM")]), "crashkernel=1G,cma")
    assert p.outcome == "failed" and p.blocks == ()
    assert p.request.cma_ignored == GiB


def test_arm64_ignores_cma_before_7_3_and_reserves_it_from_7_3():
    lines = [line(0x40000000, 0x100000000, "System RAM"), line(FOUR_G, 0x200000000, "System RAM")]
    p = place(ctx_for(lines, "arm64", "7.2.9"), "crashkernel=256M crashkernel=1G,cma")
    assert p.cma.areas == () and p.request.cma_ignored == GiB
    assert p.outcome == "partially reserved"
    # c12c63d05dfe: 7.3 passes cma_size; the area goes bottom-up from 4 GiB, as on x86
    p = place(ctx_for(lines, "arm64", "7.3.4"), "crashkernel=256M crashkernel=1G,cma")
    assert areas(p) == [(FOUR_G, FOUR_G + GiB)] and p.outcome == "reserved"


def test_powerpc_reserves_cma_with_16m_pageblocks_even_without_a_static_size():
    lines = [line(0x0, 0x80000000, "System RAM"), line(0x0, 0x2000000, "Kernel code", 1),
             line(FOUR_G, 0x200000000, "System RAM")]
    ctx = ctx_for(lines, "ppc64le")
    p = place(ctx, "crashkernel=512M crashkernel=100M,cma")
    assert areas(p) == [(FOUR_G, FOUR_G + 112 * MiB)]  # 100 MiB rounded up to 16 MiB pageblocks
    p = place(ctx, "crashkernel=1G,cma")  # powerpc reads ,cma even when the parse fails
    assert p.static.blocks == () and areas(p) == [(FOUR_G, FOUR_G + GiB)]
    assert p.outcome == "partially reserved"
