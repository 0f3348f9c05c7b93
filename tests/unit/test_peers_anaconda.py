"""Anaconda's kdump add-on bounds, from its own unit tests.

Source: rhinstaller/kdump-anaconda-addon ``test/unit_tests/test_common.py`` (fe60eaf2):
``X86_INFO_FIXTURE`` (kexec_crash_size 160 MB, MemTotal 4030464 kB) → ``(160, 4 * 1024 - 512)``,
``AARCH64_INFO_FIXTURE`` (512 MB, 66584576 kB) → ``(512, 64 * 1024 - 512)``,
``PPC64_INFO_FIXTURE`` (1024 MB, 66060288 kB) → ``(384, 64 * 1024 - 1024)``; the rule itself is
``com_redhat_kdump/common.py`` ``getMemoryBounds`` (400359b2).
"""

from __future__ import annotations

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.peers.anaconda import memory_bounds
from crashmap.placement import context_from_snapshot
from crashmap.sources import load_source

K, M, G = 1 << 10, 1 << 20, 1 << 30


@pytest.mark.parametrize(("arch", "reserved", "memtotal_kb", "lower", "upper"), [
    ("x86_64", 167772160, 4030464, 160, 4 * 1024 - 512),
    ("arm64", 536870912, 66584576, 512, 64 * 1024 - 512),
    ("ppc64le", 1073741824, 66060288, 384, 64 * 1024 - 1024),
])
def test_bounds_of_the_addon_fixtures(arch: str, reserved: int, memtotal_kb: int, lower: int,
                                      upper: int) -> None:
    bounds = memory_bounds(arch, memtotal_kb * K, reserved)
    assert (bounds.lower, bounds.upper) == (lower, upper)
    assert bounds.accepts(lower * M) and bounds.accepts(upper * M)
    assert not bounds.accepts((lower - 1) * M) and not bounds.accepts((upper + 1) * M)


def test_too_little_memory_offers_nothing() -> None:
    """``if upperBound < lowerBound: upperBound = lowerBound = 0``."""
    bounds = memory_bounds("x86_64", 600 * M, 0)  # 600 - 512 = 88 < 160
    assert (bounds.lower, bounds.upper) == (0, 0) and not bounds.offered
    assert not bounds.accepts(160 * M)


def test_only_whole_mib_pass_the_spoke_regex() -> None:
    bounds = memory_bounds("x86_64", 16 * G, 0)
    assert not bounds.accepts(256 * M + 4 * K)


def test_arches_the_installer_does_not_install_have_no_bounds() -> None:
    assert memory_bounds("riscv64", 16 * G) is None
    assert memory_bounds("loongarch64", 16 * G) is None


def _findings(source: str, cmdline: str) -> dict[str, str]:
    snapshot = load_source(source)
    verdict = evaluate_cmdline(context_from_snapshot(snapshot), cmdline,
                               system_ram=snapshot.system_ram)
    return {f.code: f.message for f in verdict.findings}


def test_check_flags_a_plan_below_the_aarch64_minimum() -> None:
    found = _findings("arm64-vm-qemu-virt", "crashkernel=256M")
    assert "below its minimum" in found["installer-bounds"]
    assert "512-" in found["installer-bounds"]
    assert "installer-bounds" not in _findings("arm64-vm-qemu-virt", "crashkernel=512M")


def test_check_is_quiet_inside_the_x86_bounds() -> None:
    assert "installer-bounds" not in _findings("x86_64-vm-qemu-3g", "crashkernel=256M")
    assert "above its maximum" in _findings("x86_64-vm-qemu-3g",
                                            "crashkernel=2800M")["installer-bounds"]


def test_the_explanation_states_the_addon_s_numbers() -> None:
    """getMemoryBounds: lowerBound 384 (ppc64*), 512 (aarch64), 160; minUsable 1024 (ppc64*),
    512 (aarch64 and the rest)."""
    snapshot = load_source("arm64-vm-qemu-virt")
    verdict = evaluate_cmdline(context_from_snapshot(snapshot), "crashkernel=256M",
                               system_ram=snapshot.system_ram)
    why = next(f.explain for f in verdict.findings if f.code == "installer-bounds")
    for part in ("at least 160 MiB", "384 MiB on ppc64le", "512 MiB on aarch64",
                 "minus the 512 MiB", "1024 MiB on ppc64le"):
        assert part in why
