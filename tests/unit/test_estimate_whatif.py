"""What-if changes move the numbers in the documented direction (crashmap.estimate.whatif)."""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.estimate.inputs import Inputs
from crashmap.estimate.report import build, evaluate_inputs
from crashmap.estimate.whatif import WhatIf, apply
from crashmap.sources import load_source

K, M, G, T = 1 << 10, 1 << 20, 1 << 30, 1 << 40
MEMINFO = {"MemTotal": 16303400, "MemFree": 15000000, "Buffers": 20000, "Cached": 300000,
           "SReclaimable": 40000}
BASE = Inputs(arch="x86_64", ram=16 * G, ram_end=17 * G, page_size=4 * K, cpus=8,
              kernel_image=30 * M, kernel_file=12 * M, initrd=40 * M, initrd_unpacked=120 * M,
              modules=(("a", 1 * M),), boot_meminfo=MEMINFO, kernel_release="6.18.0")


def values(inputs: Inputs) -> tuple[dict[str, int | None], dict[str, int | None]]:
    defaults, _, _, models = evaluate_inputs(inputs)
    # models: their own estimate (kdumpctl's before its max with the table)
    return ({d.key: d.bytes for d in defaults}, {m.key: m.need for m in models})


def test_more_ram_never_shrinks_a_table_and_grows_suse() -> None:
    previous_tables, previous_models = values(apply(BASE, WhatIf(ram=1 * G)))
    for ram in (2 * G, 4 * G, 16 * G, 64 * G, 256 * G, 1 * T, 8 * T):
        tables, models = values(apply(BASE, WhatIf(ram=ram)))
        for key, size in tables.items():
            assert size >= previous_tables[key], (key, ram)
        assert models["suse"] >= previous_models["suse"]
        previous_tables, previous_models = tables, models
    assert values(apply(BASE, WhatIf(ram=8 * T)))[1]["suse"] > \
        values(apply(BASE, WhatIf(ram=2 * G)))[1]["suse"]


def test_other_ram_invalidates_the_boot_meminfo() -> None:
    assert values(BASE)[1]["debian"] is not None
    changed = apply(BASE, WhatIf(ram=64 * G))
    assert changed.boot_meminfo is None and changed.ram_end is None
    assert "not valid for RAM 64 GiB" in changed.source("boot_meminfo")
    assert values(changed)[1]["debian"] is None
    assert apply(BASE, WhatIf(ram=16 * G)).boot_meminfo == MEMINFO  # same RAM: kept


def test_more_capture_cpus_cost_more() -> None:
    one = values(apply(BASE, WhatIf(capture_cpus=1)))[1]
    many = values(apply(BASE, WhatIf(capture_cpus=8)))[1]
    assert many["suse"] > one["suse"]
    assert many["debian"] > one["debian"]  # less surplus subtracted
    assert many["kdumpctl"] == one["kdumpctl"]  # kdumpctl does not count CPUs
    ppc = BASE._replace(arch="ppc64le")
    assert values(apply(ppc, WhatIf(capture_cpus=64)))[0]["fedora"] == \
        values(apply(ppc, WhatIf(capture_cpus=1)))[0]["fedora"] + 63 * M


def test_64k_pages_on_arm64_add_100m_to_fedora() -> None:
    arm = apply(BASE, WhatIf(arch="arm64"))
    four = values(arm)[0]["fedora"]
    sixty_four = values(apply(arm, WhatIf(page_size=64 * K)))[0]["fedora"]
    assert sixty_four == four + 100 * M


def test_luks_target_costs_keyslot_memory() -> None:
    plain = values(BASE)[1]
    luks = values(apply(BASE, WhatIf(luks_memory=1 * G)))[1]
    assert luks["kdumpctl"] == plain["kdumpctl"] + 1 * G + 20 * M
    assert luks["suse"] == plain["suse"] + 1 * G
    # keyslot memory unknown: cryptsetup's default Argon2 memory cost (1 GiB) is counted, so a
    # LUKS target never looks cheaper than none (it used to make both models unknown)
    unknown = values(apply(BASE, WhatIf(luks=True)))[1]
    assert unknown["kdumpctl"] == luks["kdumpctl"] and unknown["suse"] == luks["suse"]
    assert values(apply(apply(BASE, WhatIf(luks_memory=1 * G)), WhatIf(luks=False)))[1] == plain


def test_network_target_grows_suse() -> None:
    plain = values(BASE)[1]["suse"]
    net = values(apply(BASE, WhatIf(network=True)))[1]["suse"]
    # USER_NET 7 MiB (+ INIT_NET terms at boot), scaled by the dirty/hash/memmap factors and 1.30
    assert net > plain + 7 * M


def test_other_arch_switches_tables_and_models() -> None:
    arm = apply(BASE, WhatIf(arch="aarch64"))
    tables, models = values(arm)
    assert "rhel-old" in tables and "suse-fallback" in tables and "debian-trixie" in tables
    assert tables["debian-trixie"] == 512 * M  # five-tier at 16 GiB
    assert models["suse"] is None  # no calibrate constants documented for arm64
    assert "measured on x86_64" in arm.source("kernel_image")


@pytest.mark.parametrize("whatif", [
    WhatIf(page_size=64 * K), WhatIf(capture_cpus=0), WhatIf(ram=0), WhatIf(arch="vax"),
    WhatIf(luks_memory=-1),
])
def test_impossible_what_ifs_are_errors(whatif: WhatIf) -> None:
    with pytest.raises(CrashmapError):
        apply(BASE, whatif)


def test_no_cma_and_new_kernel_move_the_suggestion() -> None:
    snapshot = load_source("x86_64-laptop-zenbook")  # Linux 5.3: no ,cma
    from crashmap.estimate.inputs import gather

    inputs = gather(snapshot, live=False).given(initrd=40 * M, modules=())
    old = build(snapshot, inputs=inputs).suggestion
    assert old.plan.cma == 0 and "predates" in old.cma_reason
    new = build(snapshot, inputs=inputs, whatif=WhatIf(kernel_release="6.17.3")).suggestion
    assert new.plan.cma > 0 and new.plan.size < old.plan.size
    declined = build(snapshot, inputs=inputs,
                     whatif=WhatIf(kernel_release="6.17.3", accept_cma=False)).suggestion
    assert declined.plan == old.plan
