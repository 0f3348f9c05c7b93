"""The real Linux 7.3.4 arm64 kernel agrees with the version rule "arm64 reads ,cma from 7.3"
(arch/arm64/mm/init.c, commit c12c63d05dfe), and shows the /sys/kernel/kexec/ directory.

Two boots: a baseline without crashkernel= (the map a user plans on) and the boot with the
plan. The prediction is made for the kernel the baseline's log names (7.3.4); the same map
planned for 7.2 ignores the ,cma word.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.kernel.target import parse_release
from crashmap.placement import context_from_snapshot

from tests.kernel.qemu import Layout, boot, qemu_available
from tests.kernel.serial import reserved

LAYOUT = Layout("arm64", "4G")
PLAN = "crashkernel=256M crashkernel=512M,cma"


@pytest.fixture(scope="module")
def boots(tmp_path_factory):
    reason = qemu_available("arm64")
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("target-kernel")
    with ThreadPoolExecutor(2) as pool:
        base, real = pool.map(lambda words: boot(LAYOUT, words, work), ("", PLAN))
    return base, real


def test_arm64_7_3_reserves_cma_as_the_version_rule_says(boots) -> None:
    base, real = boots
    snapshot = base.snapshot("arm64")
    assert snapshot.kernel_release.startswith("7.3.4")
    ctx = context_from_snapshot(snapshot)  # the snapshot's own kernel: 7.3.4
    assert ctx.kernel.source == "snapshot" and ctx.arch.cma
    verdict = evaluate_cmdline(ctx, PLAN)
    predicted = [(a.start, a.end) for a in verdict.placement.cma.areas]
    got = reserved(real, "arm64")
    assert got.cma, "the 7.3.4 kernel reserved no CMA area"
    assert "crashkernel CMA reserved: 512 MB in 1 ranges" in real.dmesg
    assert sum(r.size for r in got.cma) == 512 << 20
    assert predicted == [(r.start, r.end) for r in got.cma]  # bottom-up from 4 GiB, as on x86
    # the static block: placed and below 4 GiB in both (where exactly is the arm64 placement
    # model's business, not the version rule's; see the notes of issue 11)
    assert verdict.placement.main is not None and got.main.end <= 1 << 32
    # the same map and words, planned for 7.2: its caller passes no cma_size
    old = evaluate_cmdline(context_from_snapshot(snapshot, kernel=parse_release("7.2")), PLAN)
    assert old.placement.cma.areas == () and old.placement.request.cma_ignored == 512 << 20
    assert "cma-unsupported" in {f.code for f in old.findings}


def test_the_kexec_sysfs_directory_and_its_old_names_agree(boots) -> None:
    _, real = boots
    files = real.kexec_dir
    assert {"loaded", "crash_loaded", "crash_size", "crash_cma_ranges"} <= set(files)
    assert int(files["crash_size"]) == real.crash_size == 256 << 20  # new name == old name
    cma = reserved(real, "arm64").cma
    assert files["crash_cma_ranges"] == " ".join(f"{r.start:08x}-{r.end - 1:08x}" for r in cma)
