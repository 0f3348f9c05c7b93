"""A size that does not fit: one cause, one finding, and a fix size that passes check.

s390 ``reserve_crashkernel()`` (arch/s390/kernel/setup.c) gives up with "first memory chunk must
be at least crashkernel size" when ``memblock.memory.regions[0]`` is smaller than the size: that
is the one finding (not "fragmented"), and the size it proposes is one the first chunk takes. A
"reduce the size to X" fix, on any arch, names a size the simulator places and the checks pass
(s390 searches only above the size itself, so the largest free block is not the answer).
"""

from __future__ import annotations

import re

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.placement import context_from_snapshot
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

G, M = 1 << 30, 1 << 20
TWO_CHUNKS = ("00000000-3fffffff : System RAM\n"
              "  0f258000-0fcfffff : Kernel code\n"
              "  0fd00000-101d10e3 : Kernel data\n"
              "80000000-37fffffff : System RAM\n")
"""An s390x guest whose first memory chunk is 1 GiB, then 12 GiB after a hole."""


def _context(iomem: str | None = None, name: str | None = None):  # type: ignore[no-untyped-def]
    snapshot = load_source(name) if name else Snapshot(iomem=iomem or "", arch="s390x")
    return snapshot, context_from_snapshot(snapshot)


def _fix_size(fix: str) -> str | None:
    found = re.search(r"[Rr]educe the size to (?:at most )?(\d+[KMGT])\b", fix)
    return found.group(1) if found else None


def test_s390_first_chunk_is_one_finding_with_a_fix_that_passes() -> None:
    snapshot, ctx = _context(TWO_CHUNKS)
    verdict = evaluate_cmdline(ctx, "crashkernel=2G", system_ram=snapshot.system_ram)
    assert verdict.placement.kernel_log == (
        "crashkernel reservation failed: first memory chunk must be at least crashkernel size",)
    errors = verdict.errors
    assert [f.code for f in errors] == ["first-chunk-too-small"]
    assert not any(f.code in ("fragmented", "no-fit") for f in verdict.findings)
    assert "first memory chunk must be at least crashkernel size" in verdict.verdict_line
    fix = _fix_size(errors[0].fix)
    assert fix == "1G"  # the first chunk's size; 12 GiB elsewhere does not count
    again = evaluate_cmdline(ctx, f"crashkernel={fix}", system_ram=snapshot.system_ram)
    assert again.ok


def test_s390_window_starts_at_the_size_so_the_fix_is_not_the_largest_free_block() -> None:
    """The bundled 2 GiB guest: the search window is [size, end of RAM), so 1900M cannot fit;
    the largest size that can is 1 GiB (not the 148 MiB free above 1900M)."""
    snapshot, ctx = _context(name="s390x-vm-kvm-2g")
    verdict = evaluate_cmdline(ctx, "crashkernel=1900M", system_ram=snapshot.system_ram)
    fix = _fix_size(verdict.errors[0].fix)
    assert fix == "1G"
    assert evaluate_cmdline(ctx, f"crashkernel={fix}", system_ram=snapshot.system_ram).ok
    assert not evaluate_cmdline(ctx, "crashkernel=1025M", system_ram=snapshot.system_ram).ok


MAPS = ["s390x-vm-kvm-2g", "x86_64-laptop-zenbook", "arm64-board-rpi4-4gb",
        "x86_64-vm-qemu-3g", "arm64-board-stingray", "loongarch64-machine"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAPS), st.integers(5, 99))
def test_every_reduce_the_size_fix_passes(name: str, percent: int) -> None:
    snapshot, ctx = _context(name=name)
    mib = snapshot.system_ram * percent // 100 >> 20
    verdict = evaluate_cmdline(ctx, f"crashkernel={mib}M", system_ram=snapshot.system_ram)
    for finding in verdict.errors:
        fix = _fix_size(finding.fix)
        if fix is None:
            continue
        again = evaluate_cmdline(ctx, f"crashkernel={fix}", system_ram=snapshot.system_ram)
        assert again.ok, (name, mib, finding.code, fix, again.verdict_line)
        if "the largest" in finding.fix:  # and it is the largest: one MiB more does not fit
            more = (again.placement.request.crash_size >> 20) + 1
            bigger = evaluate_cmdline(ctx, f"crashkernel={more}M",
                                      system_ram=snapshot.system_ram)
            assert not bigger.placement.reserves_all, (name, mib, fix)


@pytest.mark.parametrize("size", ["1100M", "3G", "12G"])
def test_two_chunk_sizes(size: str) -> None:
    snapshot, ctx = _context(TWO_CHUNKS)
    verdict = evaluate_cmdline(ctx, f"crashkernel={size}", system_ram=snapshot.system_ram)
    assert [f.code for f in verdict.errors] == ["first-chunk-too-small"]
    assert _fix_size(verdict.errors[0].fix) == "1G"
