"""The suggested plan: static vs CMA, placed and checked on every bundled map, and the fleet."""

from __future__ import annotations

import pytest
from crashmap.arch import get_arch
from crashmap.estimate.inputs import Inputs, gather
from crashmap.estimate.report import build
from crashmap.estimate.suggest import (
    UNPACK_FACTOR,
    cma_support,
    static_need,
    total_need,
)
from crashmap.estimate.whatif import WhatIf
from crashmap.kernel import parse_crashkernel, render_words
from crashmap.kernel.ranges import evaluate_table
from crashmap.snapshot import Snapshot
from crashmap.sources import bundled_maps, load_source

K, M, G, T = 1 << 10, 1 << 20, 1 << 30, 1 << 40
MAPS = sorted(bundled_maps())
FIRECRACKER = "x86_64-vm-firecracker-6.18"
GIVEN = dict(initrd=40 * M, modules=(("virtio_net", 64 * K),))
"""Sizes a user would give for a map that does not know its initrd."""


def test_static_need_hand_computed() -> None:
    # kernel 30 M + initrd 40 M + 2 × 40 M (unpacked + headroom) + 32 M = 182 MiB
    need = static_need(Inputs(arch="x86_64", kernel_image=30 * M, initrd=40 * M))
    assert UNPACK_FACTOR == 2
    assert need.bytes == 182 * M
    given = static_need(Inputs(arch="x86_64", kernel_image=30 * M, initrd=40 * M,
                               initrd_unpacked=100 * M))
    assert given.bytes == (30 + 40 + 100 + 32) * M
    # Without the loaded size, Debian's factor on the kernel file: 6 × 10 M on x86_64
    file_only = static_need(Inputs(arch="x86_64", kernel_file=10 * M, initrd=40 * M))
    assert file_only.bytes == (60 + 40 + 80 + 32) * M
    assert static_need(Inputs(arch="x86_64", initrd=40 * M)).missing == ("kernel_image",)


def test_cma_support_rules() -> None:
    x86, arm, ppc = get_arch("x86_64"), get_arch("arm64"), get_arch("ppc64le")
    assert cma_support(Inputs(arch="x86_64", kernel_release="6.17.0"), x86, True)[0]
    assert not cma_support(Inputs(arch="x86_64", kernel_release="6.16.9"), x86, True)[0]
    unknown = cma_support(Inputs(arch="x86_64"), x86, True)
    assert not unknown[0] and "unknown" in unknown[1]
    assert not cma_support(Inputs(arch="x86_64", kernel_release="6.18"), x86, False)[0]
    assert not cma_support(Inputs(arch="arm64", kernel_release="7.2"), arm, True)[0]
    assert cma_support(Inputs(arch="arm64", kernel_release="7.3.4"), arm, True)[0]  # c12c63d05dfe
    # powerpc: b4a96ab50f36 came with the powerpc-6.19-1 pull
    assert not cma_support(Inputs(arch="ppc64le", kernel_release="6.18.2"), ppc, True)[0]
    assert cma_support(Inputs(arch="ppc64le", kernel_release="6.19"), ppc, True)[0]


def test_total_need_is_the_largest_estimate_else_documented_defaults() -> None:
    snapshot = load_source(FIRECRACKER)
    est = build(snapshot, inputs=gather(snapshot, live=False).given(**GIVEN))
    known = [m.need for m in est.models if m.need is not None]
    assert len(known) == 2 and est.suggestion.total == max(known)
    # nothing known, no distro: SUSE's documented fallback (192 MiB off powerpc)
    fallback = total_need(Inputs(arch="arm64", ram=8 * G), [], None)
    assert fallback.bytes == 192 * M and "calibrate" in fallback.basis
    assert total_need(Inputs(arch="ppc64le", ram=8 * G), [], None).bytes == 384 * M
    assert total_need(Inputs(arch="loongarch64", ram=8 * G), [], None).bytes is None


def test_firecracker_618_splits_static_and_cma() -> None:
    snapshot = load_source(FIRECRACKER)
    est = build(snapshot, inputs=gather(snapshot, live=False).given(**GIVEN))
    s = est.suggestion
    assert s.use_cma and s.plan.cma > 0
    # static need: 31.69 MiB kernel (iomem) + 40 + 80 + 32 = 183.69 MiB → 16 MiB aligned 192 MiB
    assert s.static_need.bytes == est.inputs.kernel_image + 40 * M + 80 * M + 32 * M
    assert s.plan.size == 192 * M
    assert s.plan.size + s.plan.cma >= s.total
    assert s.words == render_words(s.plan, "x86_64", est.inputs.ram)
    assert s.words[-1].endswith(",cma")
    assert "vmcore" in s.vmcore_loss and "10 s" in s.vmcore_loss
    assert s.placed is True and s.verdict.ok and not s.verdict.errors
    # --no-cma: the same need, all static
    static = build(snapshot, inputs=est.inputs, whatif=WhatIf(accept_cma=False)).suggestion
    assert static.plan.cma == 0 and static.plan.size >= s.total and not static.use_cma
    assert "declined" in static.cma_reason


def _assert_fits(est, name: str) -> None:  # type: ignore[no-untyped-def]
    s = est.suggestion
    assert s.plan is not None, f"{name}: no suggestion: {s.rationale}"
    assert s.placed is True, f"{name}: {s.rationale}"
    verdict = s.verdict
    errors = [f.message for f in verdict.findings if f.severity == "error"]
    assert errors == [], f"{name}: {errors}"
    assert verdict.placement.outcome == "reserved"
    # the words read back by the kernel grammar are the plan
    result = parse_crashkernel(" ".join(s.words), est.inputs.ram, est.inputs.arch)
    assert result.ok and result.crash_size == s.plan.size


@pytest.mark.parametrize("name", MAPS)
def test_suggestion_passes_the_checker_on_every_map(name: str) -> None:
    from crashmap.kernel.target import resolve_target
    from crashmap.kernel.versions import placement_era

    snapshot = load_source(name)
    inputs = gather(snapshot, live=False)
    own = build(snapshot, inputs=inputs)
    if not placement_era(inputs.arch, resolve_target(None, inputs.kernel_release)).modelled:
        # the map's own kernel is older than every era crashmap models: plan for a current one
        if own.suggestion.plan is not None:
            assert own.suggestion.placed is not True
        inputs = inputs.given(kernel_release="7.3")
    est = build(snapshot, inputs=inputs)
    if inputs.arch == "loongarch64":  # no estimate inputs and no documented default
        assert est.suggestion.plan is None and est.suggestion.missing
    else:
        _assert_fits(est, name)
    extra = {} if inputs.kernel_image is not None else {"kernel_image": 30 * M}  # no Kernel lines
    given = build(snapshot, inputs=inputs.given(**GIVEN, **extra))
    _assert_fits(given, name + " (sizes given)")
    assert given.model("kdumpctl").bytes is not None


@pytest.mark.parametrize("name", [n for n in MAPS if n.startswith("x86_64")])
def test_suggestion_with_cma_passes_the_checker_on_every_x86_map(name: str) -> None:
    snapshot = load_source(name)
    inputs = gather(snapshot, live=False).given(**GIVEN)
    est = build(snapshot, inputs=inputs, whatif=WhatIf(kernel_release="6.18.0"))
    _assert_fits(est, name)
    assert est.suggestion.plan.cma > 0 or not est.suggestion.use_cma


def test_unplaceable_map_says_so() -> None:
    # 1 GiB of RAM, all but 64 MiB held by the firmware: no static block can fit.
    iomem = ("00000000-3fffffff : System RAM\n"
             "  00000000-3bffffff : reserved\n"
             "  01000000-01ffffff : Kernel code\n")
    snapshot = Snapshot(iomem, source="test", arch="x86_64", kernel_release="6.18.0")
    est = build(snapshot, inputs=gather(snapshot, live=False).given(**GIVEN))
    s = est.suggestion
    assert s.plan is not None and s.placed is False
    assert s.tried and all(not c.ok for c in s.tried)
    assert any("No candidate fits" in line for line in s.rationale)


def test_hidden_map_is_not_checked() -> None:
    iomem = "00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n"
    snapshot = Snapshot(iomem, source="test", arch="x86_64", mem_total=8 * G)
    est = build(snapshot, inputs=gather(snapshot, live=False).given(
        kernel_image=30 * M, **GIVEN))
    assert est.suggestion.placed is None and "hidden" in est.suggestion.outcome
    assert est.suggestion.words


@pytest.mark.parametrize("name", [FIRECRACKER, "x86_64-server-cascadelake", "arm64-server-emag"])
def test_fleet_table_is_what_the_kernel_reads(name: str) -> None:
    snapshot = load_source(name)
    inputs = gather(snapshot, live=False).given(kernel_image=30 * M, **GIVEN)
    fleet = build(snapshot, inputs=inputs).fleet
    assert fleet.table and fleet.rows
    sizes = [size for _, _, size, _ in fleet.rows]
    assert sizes == sorted(sizes)  # bigger machines never get less
    for lo, hi, size, _ in fleet.rows:
        # every RAM that rounds up into [lo, hi) gets the row's size from the kernel's parser
        assert evaluate_table(fleet.table, lo - 128 * M + 1) == size
        if hi is not None:
            assert evaluate_table(fleet.table, hi - 128 * M) == size
        else:
            assert evaluate_table(fleet.table, 64 * T) == size
    assert evaluate_table(fleet.table, fleet.rows[0][0] - 128 * M) == 0
    assert any(",cma" in n for n in fleet.notes)


def test_fleet_needs_an_estimate() -> None:
    snapshot = load_source("arm64-board-stingray")
    est = build(snapshot, inputs=gather(snapshot, live=False))
    assert est.fleet.table is None and "needs" in est.fleet.notes[0]
