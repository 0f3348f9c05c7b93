"""Reading ``kdumpctl estimate`` output.

The format is kdump-utils ``kdumpctl`` ``do_estimate`` (coiby/kdump-utils 06d2662e): its
echo lines ``Reserved crashkernel:    NM`` … ``Large modules:`` / ``    NAME: BYTES`` / ``WARNING: …``,
sizes ``$((bytes / size_mb))M``. Samples: Microsoft Learn "Manage the Azure Linux kernel"
(2026-04-29, "Enable kdump": kdump-utils on Azure Linux 4, kernel 6.18, a rebuilt initramfs,
16M runtime), rhkdump/kdump-utils issue #119 (v1.58.0 on RHEL 10.0) and the guide
"RHEL - Kdump and sosreport analysis" (kexec-tools-2.0.20-68.el8
on a 4 GiB KVM guest: the older 64M runtime, no WARNING line). The LUKS case is do_estimate's
own lines (the ``Encrypted kdump target …`` notice, ``LUKS required size:``, ``Large modules:
<none>``) with numbers of our choosing.
"""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.peers.kdumpctl_estimate import parse

M = 1 << 20
AZURE = """\
kdump: Rebuilding /boot/initramfs-6.18.5-1.8.azl4~20260420.x86_64kdump.img
Reserved crashkernel:    0M
Recommended crashkernel: 256M 

Kernel image size:   56M
Kernel modules size: 11M
Initramfs size:      35M
Runtime reservation: 16M
Large modules:
    mlx5_core: 2826240
    cfg80211: 1380352
    kvm: 1433600
    btrfs: 2097152
WARNING: Current crashkernel size is lower than recommended size 256M.
"""
RHEL8 = """\
Reserved crashkernel:    192M
Recommended crashkernel: 192M

Kernel image size:   54M
Kernel modules size: 8M
Initramfs size:      26M
Runtime reservation: 64M
Large modules:
    xfs: 1556480
"""
RHEL10 = """\
kdump: Detected change(s) in the following file(s):  /etc/kdump.conf
kdump: Rebuilding /boot/initramfs-6.12.0-55.9.1.el10_0.x86_64kdump.img
Reserved crashkernel:    256M
Recommended crashkernel: 256M

Kernel image size:   59M
Kernel modules size: 13M
Initramfs size:      33M
Runtime reservation: 16M
Large modules:
    xfs: 3207168
    bluetooth: 1114112
    nfsv4: 1318912
    kvm: 1400832
"""
"""rhkdump/kdump-utils issue #119 (kdump-utils v1.58.0 on RHEL 10.0, 2025-10-22)."""
LUKS = """\
Encrypted kdump target requires extra memory, assuming using the keyslot with maximum memory requirement

Reserved crashkernel:    1024M
Recommended crashkernel: 1193M

Kernel image size:   47M
Kernel modules size: 9M
Initramfs size:      25M
Runtime reservation: 16M
LUKS required size:  1044M
Large modules: <none>
WARNING: Current crashkernel size is lower than recommended size 1193M.
"""


def test_azure_sample() -> None:
    e = parse(AZURE, "est.txt")
    assert e.ok and (e.reserved, e.recommended) == (0, 256 * M)
    assert (e.kernel_image, e.modules, e.initramfs, e.runtime) == (56 * M, 11 * M, 35 * M,
                                                                   16 * M)
    assert e.luks is None and e.warning
    assert e.large_modules == (("mlx5_core", 2826240), ("cfg80211", 1380352),
                               ("kvm", 1433600), ("btrfs", 2097152))
    assert e.log == ("Rebuilding /boot/initramfs-6.18.5-1.8.azl4~20260420.x86_64kdump.img",)
    # do_estimate: kernel + modules + 3 × initramfs + 16M = 188M < the 256M table value
    assert e.initramfs_factor == 3 and e.estimated == (56 + 11 + 3 * 35 + 16) * M < e.recommended


def test_rhel10_sample_two_log_lines_and_no_warning() -> None:
    e = parse(RHEL10)
    assert e.log == ("Detected change(s) in the following file(s):  /etc/kdump.conf",
                     "Rebuilding /boot/initramfs-6.12.0-55.9.1.el10_0.x86_64kdump.img")
    assert (e.reserved, e.recommended) == (256 * M, 256 * M) and not e.warning
    assert e.initramfs_factor == 3 and e.estimated == (59 + 13 + 3 * 33 + 16) * M
    assert dict(e.large_modules)["xfs"] == 3207168 and len(e.large_modules) == 4


def test_older_kdumpctl_with_64m_runtime_and_no_warning() -> None:
    e = parse(RHEL8)
    assert e.runtime == 64 * M and not e.warning and e.large_modules == (("xfs", 1556480),)
    # the old formula (coiby/kexec-tools 0702d56e): the initramfs once, 64M runtime; 152M is
    # under the 192M table value this kdumpctl printed as recommended (3 × would be 204M > 192M)
    assert e.initramfs_factor == 1
    assert e.estimated == (54 + 8 + 26 + 64) * M < e.recommended


def test_luks_line_and_no_large_modules() -> None:
    e = parse(LUKS)
    assert e.luks == 1044 * M and e.large_modules == () and e.warning
    assert e.estimated == (47 + 9 + 3 * 25 + 16 + 1044) * M == 1191 * M
    # each printed term is floored (3 × initramfs loses up to 3 MiB): the real sum is a little more
    assert 0 <= e.recommended - e.estimated < 7 * M


def test_only_log_lines_is_kdumpctls_failure() -> None:
    e = parse("kdump: Error: /boot/vmlinuz-6.1 not found.\nkdump: failed to prepare for "
              "kdump bootinfo.\n")
    assert not e.ok and e.failed == "failed to prepare for kdump bootinfo."
    assert e.recommended is None and e.estimated is None


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Reserved crashkernel:    0M\nRecommended crashkernel: 25GM\n", 2, "'25GM' is not a size"),
    ("Recommended crashkernel: 256\n", 1, "'256' is not a size in whole MiB"),
    ("Recommended crashkernel: 256M\nRecommended crashkernel: 512M\n", 2, "given twice"),
    ("Recommended crashkernel: 256M\nLarge modules:\n    xfs: 1.5M\n", 3,
     "large module xfs: '1.5M' is not a size in bytes"),
    ("Recommended crashkernel: 256M\nLarge modules: xfs\n", 2, "Large modules: 'xfs'"),
])
def test_bad_values_name_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CrashmapError) as info:
        parse(text, "est.txt")
    assert str(info.value).startswith(f"est.txt:{line}: ") and message in str(info.value)


def test_text_that_is_not_kdumpctl_output_is_refused() -> None:
    with pytest.raises(CrashmapError, match=r"^x: not kdumpctl estimate output"):
        parse("Low: 108\nHigh: 2048\n", "x")


@pytest.mark.parametrize("sample", ["AZURE", "RHEL10"])
@pytest.mark.parametrize("ram", [4 << 30, 16 << 30, 63 << 30])
def test_crashmaps_model_agrees_with_kdumpctl_on_its_own_terms(sample: str, ram: int) -> None:
    """Fed the terms kdumpctl printed, crashmap's kdumpctl model (kdump-utils' formula and
    table) gives kdumpctl's estimate and recommendation (any RAM in the 2G-64G:256M bracket)."""
    from crashmap.estimate.inputs import Inputs
    from crashmap.estimate.report import evaluate_inputs

    e = parse(globals()[sample])
    inputs = Inputs(arch="x86_64", ram=ram, kernel_image=e.kernel_image, initrd=e.initramfs,
                    modules=(("modules in the kdump initramfs", e.modules),), luks=False)
    _, _, _, models = evaluate_inputs(inputs)
    model = next(m for m in models if m.key == "kdumpctl")
    assert model.need == e.estimated and model.bytes == e.recommended


def test_the_row_says_when_the_table_won() -> None:
    from crashmap.estimate.measured import from_kdumpctl

    table = "the recommendation is larger than the estimate"
    assert any(table in n for n in from_kdumpctl(parse(AZURE)).notes)  # 256M table > 188M
    # LUKS: 1193M recommended vs 1191M from the floored terms: that is the estimate itself
    assert not any(table in n for n in from_kdumpctl(parse(LUKS)).notes)
