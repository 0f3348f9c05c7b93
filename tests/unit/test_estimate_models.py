"""Each sizing model on hand-computed inputs (the arithmetic is written out in the comments)."""

from __future__ import annotations

from crashmap.estimate.inputs import Inputs
from crashmap.estimate.models import debian, kdumpctl, suse_calibrate

K, M, G = 1 << 10, 1 << 20, 1 << 30


def x86(**facts: object) -> Inputs:
    base = dict(arch="x86_64", ram=16 * G, ram_end=17 * G, page_size=4 * K, cpus=8)
    base.update(facts)
    return Inputs(**base)


def terms(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {label: value for label, value, _ in result.breakdown}


# --- kdumpctl (anchors §1): kernel + modules + 3 × initramfs + 16M + LUKS, max with the table --


KDUMP = dict(kernel_image=30 * M, initrd=40 * M, modules=(("a", 2 * M), ("b", 512 * K)))


def test_kdumpctl_hand_computed() -> None:
    # 30 M + (2 M + 0.5 M) + 3 × 40 M + 16 M = 168.5 MiB; the table's 256 MiB is larger.
    result = kdumpctl(x86(**KDUMP), 256 * M, "2G-64G:256M,64G-:512M")
    assert result.need == 30 * M + 2 * M + 512 * K + 120 * M + 16 * M
    assert result.need == 168 * M + 512 * K
    assert result.bytes == 256 * M
    assert terms(result)["initramfs × 3"] == 120 * M
    assert any("a 2 MiB" in n for n in result.notes)  # large modules listed, b (0.5 MiB) not
    assert not any("b 0" in n for n in result.notes)


def test_kdumpctl_estimate_above_the_table_wins() -> None:
    result = kdumpctl(x86(**{**KDUMP, "initrd": 100 * M}), 256 * M)
    # 30 + 2.5 + 300 + 16 = 348.5 MiB > 256 MiB
    assert result.bytes == result.need == 348 * M + 512 * K


def test_kdumpctl_luks_adds_keyslot_memory_and_20m_or_50m_on_arm64() -> None:
    base = kdumpctl(x86(**KDUMP)).need
    luks = kdumpctl(x86(**KDUMP, luks=True, luks_memory=1 * G)).need
    assert luks == base + 1 * G + 20 * M
    arm = kdumpctl(Inputs(arch="arm64", ram=16 * G, luks=True, luks_memory=1 * G, **KDUMP))
    assert arm.need == base + 1 * G + 50 * M


def test_kdumpctl_missing_inputs_are_named() -> None:
    result = kdumpctl(x86(kernel_image=30 * M))
    assert result.bytes is None and result.missing == ("initrd", "modules")
    assert result.unknown_text.startswith("unknown: needs the kdump initrd size")
    luks = kdumpctl(x86(**KDUMP, luks=True))  # keyslot memory unknown: counted as 1 GiB, said
    assert luks.missing == () and any("counted as 1 GiB" in n and "--luks SIZE" in n
                                      for n in luks.notes)


# --- SUSE calibrate (anchors §2a; calibrate.cc arithmetic in KiB) --------------------------------


def test_suse_x86_64_16g_hand_computed() -> None:
    # Built-in constants: KERNEL_BASE 56404, KERNEL_INIT 20292, INIT_CACHED 32628 (leap 15.3),
    # PERCPU 108, USER_BASE 30720, SIZEOFPAGE 64, PAGESIZE 4096.
    # run time: 56404 + 32628                         =  89032
    #   + framebuffer 2 × 3072                         =  95176
    #   + 32 CPUs × (108 + 100 + 3 × 4 + 133 = 353)     = 106472
    #   + user 30720 + bitmap ceil((16 Gi KiB / 4096) / 4) = 1024 + 96 × ceil(16 GiB/128 GiB) = 96
    #         = 31840                                  = 138312
    #   dirty: 138312 × 102400 // (102400 − 20480 − 1280 = 80640)           = 175634
    #   hashes: 175634 × 1048576 // (1048576 − 232 × 8)                     = 175945
    #   memmap: 175945 × 4096 // 4032 = 178737; (178737 − 175945) // 64 = 43 pages → +2752
    #                                                                        = 178697
    # boot 56404 + 20292 + 32628 = 109324 < 178697
    # margin: 178697 × 130 // 100 + 65536 = 297842; RAM above 4 GiB: + 65536 SWIOTLB = 363378
    # Low 73728 KiB = 72 MiB, High 363378 − 73728 = 289650 KiB → ceil 283 MiB; total 355 MiB
    result = suse_calibrate(x86())
    t = terms(result)
    assert t["per-CPU"] == 11296 * K
    assert t["user space"] == 31840 * K
    assert t["dirty page cache + I/O"] == (175634 - 138312) * K
    assert t["large kernel hashes"] == (175945 - 175634) * K
    assert t["memmap"] == 2752 * K
    assert t["run time"] == 178697 * K
    assert t["boot"] == 109324 * K
    assert t["margin"] == (297842 - 178697) * K
    assert result.bytes == result.need == (72 + 283) * M == 355 * M


def test_suse_below_4g_has_no_swiotlb_and_no_split() -> None:
    below = suse_calibrate(x86(ram=3 * G, ram_end=3 * G))
    assert "SWIOTLB" not in terms(below)
    unknown_end = suse_calibrate(x86(ram=3 * G, ram_end=None))
    assert any("unknown" in n and "4 GiB" in n for n in unknown_end.notes)


def test_suse_luks_is_added_after_the_margin() -> None:
    plain = suse_calibrate(x86())
    luks = suse_calibrate(x86(luks=True, luks_memory=1 * G))
    assert luks.bytes == plain.bytes + 1 * G  # not × 1.30


def test_suse_needs_calibrate_conf_off_x86_64() -> None:
    result = suse_calibrate(Inputs(arch="arm64", ram=16 * G, cpus=8))
    assert result.bytes is None and result.missing == ("calibrate",)
    conf = {"KERNEL_BASE": 56404, "KERNEL_INIT": 20292, "INIT_NET": 1000, "INIT_CACHED": 32628,
            "INIT_CACHED_NET": 3072, "PERCPU": 108, "PAGESIZE": 4096, "SIZEOFPAGE": 64,
            "USER_BASE": 30720, "USER_NET": 7168}
    given = suse_calibrate(Inputs(arch="arm64", ram=16 * G, cpus=8, calibrate=conf))
    # same constants, no x86 SWIOTLB/split: 297842 KiB → ceil 291 MiB
    assert given.bytes == 291 * M
    partial = suse_calibrate(Inputs(arch="arm64", ram=16 * G, calibrate={"PERCPU": 1}))
    assert partial.bytes is None and "not in calibrate.conf" in partial.missing[0]


def test_suse_powerpc_counts_every_cpu() -> None:
    conf = {"KERNEL_BASE": 1, "KERNEL_INIT": 1, "INIT_NET": 0, "INIT_CACHED": 1,
            "INIT_CACHED_NET": 0, "PERCPU": 100, "PAGESIZE": 65536, "SIZEOFPAGE": 64,
            "USER_BASE": 1, "USER_NET": 0}
    result = suse_calibrate(Inputs(arch="ppc64le", ram=16 * G, calibrate=conf))
    assert result.missing == ("cpus",)
    few = suse_calibrate(Inputs(arch="ppc64le", ram=16 * G, calibrate=conf, cpus=8))
    many = suse_calibrate(Inputs(arch="ppc64le", ram=16 * G, calibrate=conf, cpus=64,
                                 capture_cpus=1))
    # CAN_REDUCE_CPUS is 0 on powerpc64: KDUMP_CPUS (capture_cpus) is ignored
    assert terms(few)["per-CPU"] == 8 * (100 + 233 + 3 * 64) * K
    assert terms(many)["per-CPU"] == 64 * (100 + 233 + 3 * 64) * K


# --- Debian (anchors §3; kdump-config crashkernel_estimate, MiB arithmetic) ----------------------

MEMINFO = {"MemTotal": 16303400, "MemFree": 15000000, "Buffers": 20000, "Cached": 300000,
           "SReclaimable": 40000, "Hugetlb": 0}
DEB = dict(kernel_file=12 * M, initrd=60 * M, initrd_unpacked=180 * M, boot_meminfo=MEMINFO)


def test_debian_x86_64_hand_computed() -> None:
    # vmlinuz 12 MiB × 6 = 72; initrd 60; unpacked 180
    # early = (16303400 − 15360000 − 0) // 1024 = 943400 // 1024 = 921 MiB
    # surplus: 8 − 1 = 7 CPUs × 5000 = 35000 KiB; RAM 16303400 // 1048576 = 15, + 1 = 16 GiB
    #          × 6000 = 96000 KiB; (35000 + 96000) // 1024 = 127 MiB
    # 72 + 60 + 180 + 921 − 127 = 1106 MiB (floor 72 + 60 + 180 + 32 = 344 MiB)
    result = debian(x86(**DEB))
    t = terms(result)
    assert t["early-boot used"] == 921 * M
    assert t["CPU/RAM surplus"] == -127 * M
    assert t["floor"] == 344 * M
    assert result.bytes == 1106 * M


def test_debian_big_surplus_hits_the_floor() -> None:
    # early 200 MiB; surplus: 199 CPUs → 32 × 5000 + 32 × 3500 + 135 × 2500 = 609500 KiB, RAM
    # 1000 + 1 GiB → 32 × 6000 + 969 × 600 = 773400 KiB: (609500 + 773400) // 1024 = 1350 MiB
    # 72 + 60 + 180 + 200 − 1350 < floor 344 MiB
    meminfo = {"MemTotal": 1000 * 1048576, "MemFree": 1000 * 1048576 - 200 * 1024}  # 200 MiB
    result = debian(x86(cpus=200, **{**DEB, "boot_meminfo": meminfo}))
    assert result.bytes == 344 * M
    assert any("floor" in n for n in result.notes)


def test_debian_factor_and_no_surplus_off_x86() -> None:
    arm = debian(Inputs(arch="arm64", ram=16 * G, **DEB))  # × 4, no CPU needed
    assert arm.bytes == (4 * 12 + 60 + 180 + 921) * M
    ppc = debian(Inputs(arch="ppc64le", ram=16 * G, **DEB))  # × 2
    assert ppc.bytes == (2 * 12 + 60 + 180 + 921) * M


def test_debian_rounds_sizes_up_to_mib_like_du() -> None:
    odd = debian(x86(**{**DEB, "kernel_file": 12 * M + 1}))
    assert odd.bytes == 1106 * M + 6 * M  # 13 MiB × 6


def test_debian_needs_boot_meminfo() -> None:
    result = debian(x86(kernel_file=12 * M, initrd=60 * M))
    assert result.bytes is None
    assert result.missing == ("initrd_unpacked", "boot_meminfo")
    assert "early at boot" in result.unknown_text
