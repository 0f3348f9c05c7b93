"""``crashmap estimate`` picks kdump-utils' fadump table when fadump is on, as kdumpctl does.

From the peers' own sources and tests:

- kdump-utils kdump-lib.sh ``kdump_get_arch_recommend_crashkernel``: on ppc64le
  ``if [[ $_dump_mode == "fadump" ]]`` the table is
  ``4G-16G:768M,16G-64G:1G,…,64T-:180G``, else ``2G-4G:384M,4G-16G:512M,…``;
- kdumpctl ``get_dump_mode_by_fadump_val`` (spec/kdumpctl_general_spec.sh): on and nocma →
  fadump, off and none → kdump;
- spec/kdumpctl_reset_crashkernel_spec.sh "FADump": an entry whose fadump= was removed gets
  ``get_default_crashkernel kdump``; one with ``fadump=on`` (and after ``--fadump=nocma``) gets
  ``get_default_crashkernel fadump``; kdumpctl ``estimate`` takes max(that table, estimate);
- yast-kdump test/fadump_test.rb: fadump refused off ppc64 ("Cannot use Firmware-assisted dump.
  It is not supported on this hardware.").

The kdump-utils versions read for this (kdump-lib.sh 015e0f9 and two older ones) add no
per-CPU term in the ppc64le branch; the +1M per capture CPU crashmap adds in both modes comes
from the research notes' reading of 63f248c (anchors.md §1), so both modes are held to the
same rule here.
"""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.estimate import inputs as inputs_mod
from crashmap.estimate.report import build
from crashmap.estimate.whatif import WhatIf
from crashmap.snapshot import Snapshot

M, G = 1 << 20, 1 << 30
IOMEM_8G = "00000000-1ffffffff : System RAM\n  00000000-01ffffff : Kernel code\n"
RELEASE = "6.12.0-55.el10.ppc64le"  # .el10: Fedora/RHEL kdump-utils tables
KDUMP_8G = 512 * M + 16 * M         # 4G-16G:512M, + nr_cpus=16
FADUMP_8G = 768 * M + 16 * M        # 4G-16G:768M, + nr_cpus=16


def snap(cmdline: str | None, arch: str = "ppc64le") -> Snapshot:
    return Snapshot(iomem=IOMEM_8G, arch=arch, kernel_release=RELEASE, cmdline=cmdline)


@pytest.mark.parametrize(("cmdline", "key", "size"), [
    ("ro crashkernel=222M", "fedora", KDUMP_8G),                     # fadump removed
    ("ro crashkernel=222M fadump=on", "fedora-fadump", FADUMP_8G),
    ("ro crashkernel=222M fadump=nocma", "fedora-fadump", FADUMP_8G),
    ("ro crashkernel=222M fadump=off", "fedora", KDUMP_8G),
    ("ro fadump=on fadump=off", "fedora", KDUMP_8G),                # the kernel: last wins
    ("ro -- fadump=on", "fedora", KDUMP_8G),                        # init's word, not read
])
def test_the_machine_default_follows_the_entrys_fadump(cmdline: str, key: str,
                                                       size: int) -> None:
    est = build(snap(cmdline), live=False)
    assert est.machine_key == key
    assert est.machine_default.bytes == size


def test_kdumpctl_estimate_is_floored_by_the_fadump_table() -> None:
    inputs = inputs_mod.gather(snap("ro fadump=on"), live=False).given(
        kernel_image=40 * M, initrd=30 * M, modules=(("xfs", 3 * M),))
    est = build(None, inputs=inputs)
    model = est.model("kdumpctl")
    terms = {label: value for label, value, _ in model.breakdown}
    assert terms["table"] == FADUMP_8G and model.bytes == FADUMP_8G
    assert "4G-16G:784M" in dict((label, note) for label, _, note in model.breakdown)["table"]


def test_the_why_names_the_fadump_word() -> None:
    est = build(snap("ro fadump=nocma"), live=False)
    assert "fadump=nocma on the command line" in est.machine_why
    assert est.inputs.dump_mode == "fadump"


def test_a_plan_with_fadump_switches_the_table() -> None:
    est = build(snap("ro"), live=False, whatif=WhatIf(fadump="on"))
    assert est.machine_key == "fedora-fadump" and est.machine_default.bytes == FADUMP_8G
    assert "in the plan" in est.inputs.source("dump_mode")
    back = build(snap("ro fadump=on"), live=False, whatif=WhatIf(fadump="off"))
    assert back.machine_key == "fedora" and back.machine_default.bytes == KDUMP_8G


def test_fadump_only_on_ppc64le() -> None:
    # x86_64: no fadump= in the kernel, the dump mode is not even read
    assert inputs_mod.gather(snap("ro fadump=on", "x86_64"), live=False).dump_mode is None
    with pytest.raises(CrashmapError, match="not supported on this hardware"):
        build(snap("ro", "x86_64"), live=False, whatif=WhatIf(fadump="on"))
    # off is no fadump anywhere (kdumpctl: "Removed fadump")
    assert build(snap("ro", "x86_64"), live=False, whatif=WhatIf(fadump="off")).machine_key


def test_cli_fadump_what_if(tmp_path, capsys) -> None:
    from crashmap.cli import main

    path = tmp_path / "iomem"
    path.write_text(IOMEM_8G)
    code = main(["estimate", str(path), "--arch", "ppc64le", "--distro", "fedora",
                 "--fadump", "nocma", "--json"])
    out = capsys.readouterr().out
    import json

    data = json.loads(out)
    assert code in (0, 1)
    assert data["machine_default"]["table"] == "fedora-fadump"
    assert data["defaults"]["fedora-fadump"]["bytes"] == FADUMP_8G
    code = main(["estimate", str(path), "--arch", "x86_64", "--fadump", "on"])
    err = capsys.readouterr().err
    assert code == 2 and "not supported on this hardware" in err and err.count("\n") == 1


def test_the_suggestion_for_fadump_is_static_and_says_fadump() -> None:
    # kernel source: arch_reserve_crashkernel() reads ,cma (arch/powerpc/kexec/core.c) and
    # early_init_devtree() does not call it when fadump reserves (arch/powerpc/kernel/prom.c)
    inputs = inputs_mod.gather(snap("ro fadump=nocma"), live=False).given(
        kernel_image=40 * M, initrd=30 * M, modules=(("xfs", 3 * M),),
        kernel_release="6.19.0-1.el10.ppc64le")
    est = build(snap("ro fadump=nocma"), inputs=inputs)
    s = est.suggestion
    assert s.plan is not None and s.plan.cma == 0 and s.plan.fadump == "nocma"
    assert s.words[-1] == "fadump=nocma" and not any(w.endswith(",cma") for w in s.words)
    assert "fadump" in s.cma_reason
    assert s.placed  # placed as fadump places it: no kdump block at 512M needed
    kdump = build(snap("ro"), inputs=inputs.given(dump_mode="kdump", fadump=None))
    assert "fadump=" not in " ".join(kdump.suggestion.words)
