"""Findings: every check fires where it should, with a lesson, a fix, a chapter and a range."""

from __future__ import annotations

import pytest

from crashmap.checks import CHAPTERS, Verdict, evaluate, evaluate_cmdline
from crashmap.memmap import Range
from crashmap.placement import Request, context_from_snapshot
from crashmap.snapshot import Snapshot

MiB, GiB = 1 << 20, 1 << 30
FOUR_G = 1 << 32


def line(start: int, end: int, name: str, depth: int = 0) -> str:
    return f"{'  ' * depth}{start:08x}-{end - 1:08x} : {name}"


X86 = [
    line(0x1000, 0xA0000, "System RAM"),
    line(0x100000, 0xC0000000, "System RAM"),
    line(0x1000000, 0x3000000, "Kernel code", 1),
    line(0x20000000, 0x20100000, "Reserved", 1),
    line(FOUR_G, 0x440000000, "System RAM"),
]


def ctx_for(lines=X86, arch="x86_64", **facts):
    return context_from_snapshot(Snapshot(iomem="\n".join(lines) + "\n", arch=arch, **facts))


def check(cmdline: str, ctx=None) -> Verdict:
    return evaluate_cmdline(ctx or ctx_for(), cmdline)


def codes(verdict: Verdict) -> dict[str, object]:
    return {f.code: f for f in verdict.findings}


def test_every_finding_is_complete_and_sorted_by_severity():
    ctx = ctx_for(zswap_enabled=True, balloon_loaded=True)
    for cmdline in ("crashkernel=256M", "crashkernel=8G", "crashkernel=256M@0x20100000",
                    "crashkernel=1G,high crashkernel=0,low", "crashkernel=256M crashkernel=2G,cma",
                    "crashkernel=1G,cma", "quiet", "crashkernel=256MB"):
        verdict = check(cmdline, ctx)
        order = [f.severity for f in verdict.findings]
        assert order == sorted(order, key=["error", "warning", "info"].index)
        for f in verdict.findings:
            assert f.code and f.message and f.explain.endswith(".")
            assert f.chapter in CHAPTERS and f.severity in ("error", "warning", "info")
            assert f.range is None or f.range.start < f.range.end
            data = f.to_json()
            assert set(data) >= {"code", "severity", "message", "explain", "fix", "chapter"}


def test_a_plain_fitting_size_is_ok_with_an_exact_placement():
    verdict = check("crashkernel=256M")
    assert verdict.ok
    found = codes(verdict)
    # the window starts above the Reserved piece at 0x20000000, 16 MiB-aligned
    assert found["placement-window"].range == Range(0x21000000, 0xC0000000)
    assert "cost" in found and found["cost"].chapter == "sizing"


def test_fixed_base_misaligned_busy_and_on_the_kernel():
    found = codes(check("crashkernel=256M@0x20100000"))
    assert found["fixed-base-misaligned"].severity == "error"
    # rounding down gives @512M, whose 256 MiB cover the Reserved at 0x20000000: not offered
    assert "@512M" not in found["fixed-base-misaligned"].fix
    assert "@528M" in found["fixed-base-misaligned"].fix
    found = codes(check("crashkernel=256M@0x18000000"))  # covers the Reserved at 0x20000000
    busy = found["fixed-base-busy"]
    assert "Reserved (0x20000000-0x200fffff)" in busy.message
    assert busy.range == Range(0x18000000, 0x28000000)
    assert "@256M (reserves 0x10000000-0x1fffffff)" in busy.fix  # the nearest that passes
    found = codes(check("crashkernel=256M@16M"))
    assert found["fixed-base-kernel"].severity == "error"
    assert "fixed-base-busy" not in found


def test_fragmentation_names_the_largest_block_and_the_size_that_fits():
    lines = [line(0x100000, 0xC0000000, "System RAM")]
    lines += [line(k * 256 * MiB - MiB, k * 256 * MiB, "Reserved", 1) for k in range(1, 12)]
    verdict = check("crashkernel=512M", ctx_for(lines))
    assert not verdict.ok
    f = codes(verdict)["fragmented"]
    assert f.chapter == "fragmentation" and f.severity == "error"
    assert f.range == Range(0xB0000000, 0xC0000000)  # the top piece, 256 MiB
    assert "crashkernel=...,cma" not in f.fix  # no RAM above 4 GiB for CMA
    assert "256M" in f.fix


def test_no_fit_when_there_is_simply_not_enough_memory():
    lines = [line(0x100000, 0x20000000, "System RAM"),
             line(0x1000000, 0x11000000, "Kernel code", 1)]
    f = codes(check("crashkernel=384M", ctx_for(lines)))["no-fit"]
    assert f.chapter == "placement"


def test_silent_low_companion_on_fallback():
    found = codes(check("crashkernel=4G"))
    f = found["silent-low"]
    assert f.severity == "warning" and f.chapter == "lowhigh"
    assert "crashkernel=4G,high crashkernel=256M,low" in f.fix
    assert f.range.size == 256 * MiB


def test_high_default_low_zero_low_and_a_small_low():
    assert "default-low" in codes(check("crashkernel=1G,high"))
    zero = codes(check("crashkernel=1G,high crashkernel=0,low"))["zero-low"]
    assert zero.severity == "warning" and "swiotlb" in zero.explain
    small = codes(check("crashkernel=1G,high crashkernel=32M,low"))["low-too-small"]
    assert "72 MiB" in small.message


def test_low_companion_failure():
    lines = [line(0x100000, 0x8000000, "System RAM"), line(0x1000000, 0x3000000, "Kernel code", 1),
             line(FOUR_G, 0x440000000, "System RAM")]
    f = codes(check("crashkernel=1G", ctx_for(lines)))["low-companion-fails"]
    assert "crashkernel=1G,high crashkernel=80M,low" in f.fix


def test_cma_caveats_zswap_balloon_dma_wait_and_static_role():
    ctx = ctx_for(zswap_enabled=True, balloon_loaded=True, kernel_release="6.18.2")
    found = codes(check("crashkernel=256M crashkernel=1G,cma", ctx))
    gap = found["cma-vmcore-gap"]
    assert gap.severity == "warning" and "zswap" in gap.message and "balloon" in gap.message
    assert "10 s" in found["cma-dma-wait"].message
    assert found["cma-area"].range == Range(FOUR_G, FOUR_G + GiB)
    assert "cma-static-role" in found
    assert "cma-old-kernel" not in found


def test_cma_on_an_old_kernel_and_on_an_arch_without_it():
    # RHEL 10's 6.12 predates the ,cma class (35c18f2933c5, 6.17): "1G,cma" is the last plain
    # word, so the kernel rejects the line; 6.17 reads the same words
    old = check("crashkernel=256M crashkernel=1G,cma", ctx_for(kernel_release="6.12.0-55.el10"))
    assert not old.ok and old.placement.outcome == "failed"
    assert codes(old)["cmdline-cma-word-is-plain"].severity == "error"
    new = check("crashkernel=256M crashkernel=1G,cma", ctx_for(kernel_release="6.17.2"))
    assert new.ok and new.placement.cma.areas
    arm = [line(0x40000000, 0x100000000, "System RAM"), line(FOUR_G, 0x200000000, "System RAM")]
    found = codes(check("crashkernel=256M crashkernel=1G,cma",
                        ctx_for(arm, "arm64", kernel_release="7.2.1")))
    assert found["cma-unsupported"].severity == "warning"
    assert "7.3" in found["cma-unsupported"].explain and "c12c63d05dfe" in found[
        "cma-unsupported"].explain
    assert "cmdline-cma-unsupported-arch" not in found  # the lint says the same: dropped
    found = codes(check("crashkernel=256M crashkernel=1G,cma",
                        ctx_for(arm, "arm64", kernel_release="7.3.4")))
    assert "cma-unsupported" not in found and "cma-area" in found


def test_cma_alone_on_x86_is_an_error_once():
    verdict = check("crashkernel=1G,cma")
    assert not verdict.ok
    errors = [f.code for f in verdict.errors]
    assert errors.count("cma-needs-static") + errors.count("cmdline-cma-without-static") == 1


def test_cma_exceeding_movable():
    verdict = evaluate(ctx_for(), Request(crash_size=256 * MiB, cma_size=12 * GiB))
    assert "cma-exceeds-movable" in codes(verdict)


def test_cma_short_and_split():
    high = [line(FOUR_G, FOUR_G + 2 * GiB, "System RAM")]
    high += [line(FOUR_G + k * 512 * MiB - 2 * MiB, FOUR_G + k * 512 * MiB, "Reserved", 1)
             for k in range(1, 4)]
    small_low = [line(0x100000, 0x20000000, "System RAM")]
    ctx = ctx_for(small_low + high)
    short = codes(check("crashkernel=256M crashkernel=2G,cma", ctx))["cma-short"]
    # 2G and 1G fail; 512M takes the last, untouched piece; 256M then fills three more
    assert "2 GiB asked, 1.25 GiB reserved in 4 areas (512 MiB at 0x160000000" in short.message
    split = codes(check("crashkernel=256M crashkernel=1G,cma", ctx))["cma-split"]
    assert "3 areas" in split.message  # 512M, then 256M + 256M after a failed 512M


def test_cma_below_4g_and_zone_straddle():
    lines = [line(0x100000, 0x140000000, "System RAM"),
             line(0x1000000, 0x3000000, "Kernel code", 1)]
    found = codes(evaluate(ctx_for(lines), Request(crash_size=16 * MiB, crash_base=0x4000000,
                                                   cma_size=1536 * MiB)))
    assert found["cma-zone-straddle"].range == Range(0xE0000000, 0x140000000)
    low_only = codes(check("crashkernel=256M crashkernel=512M,cma", ctx_for(X86[:4])))
    assert "cma-below-4g" not in low_only  # no RAM above 4 GiB at all: nothing to warn about


def test_sizing_floor_images_and_cost():
    found = codes(check("crashkernel=128M"))
    assert found["size-below-floor"].severity == "warning"
    ctx = ctx_for(kernel_size=15 * MiB, initrd_size=120 * MiB)
    assert codes(check("crashkernel=128M", ctx))["size-below-images"].severity == "error"
    assert "size-tight" in codes(check("crashkernel=256M", ctx))
    assert "cost-high" in codes(check("crashkernel=1G", ctx_for(X86[:4])))


def test_nothing_requested_and_a_rejected_command_line():
    verdict = check("quiet")
    assert verdict.ok and "nothing-requested" in codes(verdict)
    verdict = check("crashkernel=256MB")
    assert not verdict.ok and verdict.errors
    assert verdict.placement.outcome == "failed"


def test_current_reservation_matches_or_disagrees():
    lines = X86[:4] + [line(0xB0000000, 0xC0000000, "Crash kernel", 1)] + X86[4:]
    ctx = ctx_for(lines, cmdline="ro crashkernel=256M", kexec_crash_size=256 * MiB)
    found = codes(check("ro crashkernel=256M", ctx))
    assert "current-matches" in found
    ctx = ctx_for(lines, cmdline="ro crashkernel=512M")
    mismatch = codes(check("ro crashkernel=512M", ctx))["current-size-mismatch"]
    assert "asks for 512 MiB but 256 MiB is reserved" in mismatch.message
    assert mismatch.range == Range(0xB0000000, 0xC0000000)
    ctx = ctx_for(lines, cmdline="ro crashkernel=256M", kexec_crash_size=128 * MiB)
    assert "current-shrunk" in codes(check("ro crashkernel=256M", ctx))
    ctx = ctx_for(lines, cmdline="ro crashkernel=256M")
    assert "plan-changes" in codes(check("crashkernel=1G,high", ctx))


def test_current_reservation_missing_or_unexplained():
    ctx = ctx_for(cmdline="crashkernel=256M", kexec_crash_size=0)
    assert "current-none" in codes(check("crashkernel=256M", ctx))
    lines = X86[:4] + [line(0xB0000000, 0xC0000000, "Crash kernel", 1)] + X86[4:]
    assert "current-unexplained" in codes(check("quiet", ctx_for(lines, cmdline="quiet")))


def test_current_reservation_elsewhere_inside_the_window():
    lines = X86[:4] + [line(0x90000000, 0xA0000000, "Crash kernel", 1)] + X86[4:]
    ctx = ctx_for(lines, cmdline="crashkernel=256M")
    f = codes(check("crashkernel=256M", ctx))["current-elsewhere"]
    assert "inside the predicted window" in f.message


def test_legacy_kernel_and_arch_not_modelled():
    era = codes(check("crashkernel=256M", ctx_for(kernel_release="4.19.0")))["kernel-placement-era"]
    assert "896 MiB" in era.explain and "9ca5c8e632ce" in era.explain
    old = check("crashkernel=256M", ctx_for(kernel_release="2.6.32-754.el6"))
    assert old.placement.outcome == "not modelled"
    assert codes(old)["placement-not-modelled"].severity == "warning"
    assumed = codes(check("crashkernel=256M"))["kernel-assumed"]
    assert "Linux 7.3" in assumed.message and "before 6.17" in assumed.explain
    mips = [line(0x200000, 0xF000000, "System RAM")]
    assert "arch-not-modelled" in codes(check("crashkernel=64M", ctx_for(mips, "mips")))


def test_low_max_equal_high_max_is_an_error():
    lines = [line(0x80000000, 0xC0000000, "System RAM"),
             line(0xA0000000, 0xA0200000, "reserved", 1)]
    verdict = evaluate(ctx_for(lines, "riscv64"), Request(crash_size=768 * MiB))
    assert codes(verdict)["low-equals-high"].severity == "error"


def test_arm64_low_max_assumed_is_said():
    lines = [line(0x40000000, 0x100000000, "System RAM")]
    assert "low-max-assumed" in codes(check("crashkernel=256M", ctx_for(lines, "arm64")))


@pytest.mark.parametrize("cmdline", ["crashkernel=256M", "crashkernel=2G,high"])
def test_verdict_line(cmdline):
    assert check(cmdline).verdict_line.startswith("Reserves")
