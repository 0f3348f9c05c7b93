"""The user's loop on real Linux 7.3.4 kernels: plan on a baseline boot's map, boot the plan.

For every case crashmap predicts, from a boot of the same layout without ``crashkernel=``, where
the kernel puts each block; the boot with the plan says where it did. With the baseline's boot
log the prediction must be exact (addresses, outcome, kernel log lines, ``confidence exact``);
without it (a snapshot whose log is gone) it must be consistent: same window, the real block
inside the range crashmap gives, never above it.
"""

from __future__ import annotations

import pytest

from tests.kernel import cases
from tests.kernel.conftest import booted
from tests.kernel.oracle import consistent_misses, exact_misses, predict, shows_misses
from tests.kernel.serial import reserved

MATRIX = cases.X86 + cases.ARM64


@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.layout.arch}-{c.id}")
def test_prediction_from_the_baseline_boot_is_exact(case, kernel_boots):
    base, real = booted(kernel_boots, case)
    arch = case.layout.arch
    got = reserved(real, arch)
    assert not shows_misses(case.shows, got), f"the boot no longer shows {case.shows!r}: {got}"
    misses = exact_misses(predict(base.snapshot(arch), case.cmdline), got)
    assert not misses, f"{case.layout.describe()} {case.crashkernel}: " + "; ".join(misses)


@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.layout.arch}-{c.id}")
def test_prediction_without_the_boot_log_is_consistent(case, kernel_boots):
    base, real = booted(kernel_boots, case)
    arch = case.layout.arch
    got = reserved(real, arch)
    informed = predict(base.snapshot(arch), case.cmdline)
    blind = predict(base.snapshot(arch, boot_log=False), case.cmdline)
    misses = consistent_misses(blind, got, informed)
    assert not misses, f"{case.layout.describe()} {case.crashkernel}: " + "; ".join(misses)
