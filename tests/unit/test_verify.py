"""crashmap.verify on real boots of the oracle kernel and on real dumps: what the kernel was
told, what it reserved and what crashmap predicts must agree; a doctored box must not.

The boots (``tests/data/kernel-boots/``) are Linux 7.3.4 in QEMU: their reservation is the
kernel's own, so a prediction that disagrees with it is crashmap's error. The oracle initramfs
loads no capture kernel, so ``crash_loaded`` is 0 on every one of them (kdumpctl status: "Kdump
is not operational").
"""

from __future__ import annotations

import pytest
from crashmap.memmap import Range, merge
from crashmap.sources import load_source
from crashmap.verify import AGREES, DIFFERS, UNKNOWN, sizes_agree, verify

from tests.corpus import DATA, DUMPS
from tests.kernel.serial import Boot, reserved

M = 1 << 20
BOOTS = DATA / "kernel-boots"
RESERVING = [("x86_64-q35-4G-debug-256M-high.txt", "x86_64"),
             ("x86_64-q35-4G-mem1G-256M.txt", "x86_64"),
             ("arm64-virt-6G-512M-high.txt", "arm64")]


def boot(name: str) -> Boot:
    return Boot.parse((BOOTS / name).read_text(encoding="utf-8"))


def statuses(result) -> dict[str, str]:
    return {r.key: r.status for r in result.rows}


@pytest.mark.parametrize(("expected", "got", "agrees"), [
    (160, 160, True), (160, 156, True), (160, 155, False), (160, 176, True), (160, 177, False),
])
def test_an_estimate_agrees_within_kdumptools_tolerance(expected, got, agrees):
    # kdumptool commandline -c with KDUMP_CRASHKERNEL=auto: fails when AN > BN + 4 or
    # AN < BN - 16 (A calibrated, B running), i.e. the running size may be 4 MiB lower or
    # 16 MiB higher
    assert sizes_agree(expected * M, got * M, estimated=True) is agrees
    assert sizes_agree(expected * M, got * M) is (expected == got)  # stated sizes: exact


@pytest.mark.parametrize("log", [True, False], ids=["boot-log", "no-boot-log"])
@pytest.mark.parametrize(("name", "arch"), RESERVING)
def test_a_real_reservation_verifies_against_the_prediction(name, arch, log):
    real = boot(name)
    snap = real.snapshot(arch, boot_log=log)
    result = verify(snap)
    rows = statuses(result)
    assert rows["configured"] == rows["reserved"] == rows["crash-size"] == AGREES
    assert rows["predicted"] == AGREES, result.row("predicted").verdict
    assert rows["boot-entry"] == UNKNOWN  # a serial capture has no boot loader files
    kernel = reserved(real, arch)
    assert list(result.row("reserved").ranges) == sorted(
        r for r in (kernel.main, kernel.low) if r is not None)
    assert result.row("crash-size").static == real.crash_size  # main + low, as sysfs says
    # the oracle loads no capture kernel: the one thing that does not agree
    assert [r.key for r in result.differing] == ["loaded"] and not result.ok
    snap.kexec_crash_loaded = True
    loaded = verify(snap)
    assert loaded.ok and loaded.verdict.startswith("Verified")


def test_the_boot_log_makes_the_prediction_the_kernels_block():
    exact = verify(boot("x86_64-q35-4G-mem1G-256M.txt").snapshot("x86_64"))
    blind = verify(boot("x86_64-q35-4G-mem1G-256M.txt").snapshot("x86_64", boot_log=False))
    assert exact.row("predicted").ranges == (Range(0x2F000000, 0x3F000000),)
    assert exact.row("predicted").verdict == "where the kernel put it"
    # without the RAMDISK line the initrd that pushed the block lower is unknown: a window
    assert blind.row("predicted").ranges != exact.row("predicted").ranges
    assert "window" in blind.row("predicted").verdict and blind.row("predicted").status == AGREES


def test_a_boot_without_crashkernel_is_not_verified():
    result = verify(boot("x86_64-q35-4G-debug.txt").snapshot("x86_64"))
    assert result.row("configured").status == DIFFERS  # kdumptool: "Kdump can't be started"
    assert result.row("reserved").value == "none" and result.row("crash-size").static == 0
    assert not result.ok


def test_another_command_line_than_the_boots_differs_everywhere_it_shows():
    snap = boot("x86_64-q35-4G-debug-256M-high.txt").snapshot("x86_64")
    snap.kexec_crash_loaded = True
    snap.cmdline = snap.cmdline.replace("crashkernel=256M,high", "crashkernel=384M,high")
    result = verify(snap)
    assert statuses(result) == {"configured": AGREES, "boot-entry": UNKNOWN,
                                "reserved": DIFFERS, "crash-size": AGREES, "cma": AGREES,
                                "loaded": AGREES, "predicted": DIFFERS}
    assert "512 MiB reserved, 640 MiB configured" in result.row("reserved").verdict


def test_a_shrunk_reservation_differs_from_the_crash_kernel_lines():
    snap = boot("x86_64-q35-4G-mem1G-256M.txt").snapshot("x86_64")
    snap.kexec_crash_size = 128 * M  # echo 134217728 > /sys/kernel/kexec/crash_size
    row = verify(snap).row("crash-size")
    assert row.status == DIFFERS and "shrunk" in row.verdict


def test_a_cma_area_asked_and_not_reserved_differs():
    snap = boot("x86_64-q35-4G-mem1G-256M.txt").snapshot("x86_64")
    snap.cmdline += " crashkernel=128M,cma"
    assert snap.kexec_crash_cma_ranges == ""  # 7.3.4 has the file; this boot reserved none
    result = verify(snap)
    assert result.row("cma").status == DIFFERS
    assert result.row("predicted").status == DIFFERS  # crashmap places 128 MiB the box lacks


def _auto_box(size_mib: int):
    """The mem=1G boot, told it was a RHEL 8 kernel booted with crashkernel=auto, its Crash
    kernel line doctored to ``size_mib`` below the same top."""
    snap = boot("x86_64-q35-4G-mem1G-256M.txt").snapshot("x86_64")
    snap.cmdline = snap.cmdline.replace("crashkernel=256M", "crashkernel=auto")
    snap.kernel_release = "4.18.0-553.el8_10.x86_64"
    end = 0x3F000000
    line = f"  {end - size_mib * M:08x}-{end - 1:08x} : Crash kernel"
    snap.iomem = snap.iomem.replace("  2f000000-3effffff : Crash kernel", line)
    snap.kexec_crash_size = size_mib * M
    return snap


@pytest.mark.parametrize(("size", "status"), [(160, AGREES), (156, AGREES), (155, DIFFERS),
                                              (176, AGREES), (177, DIFFERS)])
def test_crashkernel_auto_takes_kdumptools_tolerance(size, status):
    result = verify(_auto_box(size))
    assert result.estimated  # the RHEL 8 table: 160 MiB for 1-4 GiB
    assert result.row("configured").static == 160 * M
    assert result.row("reserved").status == status
    assert result.row("crash-size").status == AGREES  # same moment, same size: exact


def _reserves(path) -> bool:
    try:
        return any(r.end > r.start for r in load_source(str(path)).memmap.crash_resources)
    except Exception:  # the dump tests say why a dump does not load
        return False


CRASH_DUMPS = [p for p in DUMPS if _reserves(p)]
"""The dumps with a non-empty ``Crash kernel`` line."""


@pytest.mark.parametrize("path", CRASH_DUMPS, ids=lambda p: p.name[:2])
def test_real_dumps_with_a_crash_kernel_verify_the_inferred_plan(path):
    snap = load_source(str(path))
    result = verify(snap)
    assert result.row("reserved").ranges == tuple(merge(Range(r.start, r.end)
                                                      for r in snap.memmap.crash_resources))
    assert result.row("configured").status == UNKNOWN  # a raw dump has no /proc/cmdline
    # the plan the map stands for is placed where that kernel placed it, or not modelled
    assert result.row("predicted").status in (AGREES, UNKNOWN), result.row("predicted").verdict
    if result.row("predicted").status == UNKNOWN:
        assert "not modelled" in result.row("predicted").verdict
    assert result.ok


PPC_MAP = "00000000-1ffffffff : System RAM\n  00000000-01ffffff : Kernel code\n"
"""8 GiB of ppc64le RAM: powerpc lists no Crash kernel in /proc/iomem (crash_size says it)."""


def _ppc(cmdline: str, crash_size: int, loaded: bool):
    from crashmap.snapshot import Snapshot

    return Snapshot(PPC_MAP, source="ppc", arch="ppc64le", cmdline=cmdline,
                    kernel_release="6.12.0", kexec_crash_size=crash_size,
                    kexec_crash_loaded=loaded)


def test_powerpc_kdump_is_verified_by_crash_size():
    result = verify(_ppc("root=/dev/sda2 crashkernel=512M", 512 * M, True), boot_entry=None)
    assert result.row("reserved") is None  # no Crash kernel line to show
    assert result.row("crash-size").status == AGREES and result.ok
    shrunk = verify(_ppc("root=/dev/sda2 crashkernel=512M", 256 * M, True), boot_entry=None)
    assert shrunk.row("crash-size").status == DIFFERS
    assert shrunk.row("predicted").status == DIFFERS


def test_fadump_rows_are_not_read_from_kexec():
    # kdumpctl in fadump mode reads /sys/kernel/fadump/mem_reserved (get_reserved_mem_size) and
    # /sys/kernel/fadump/registered (is_kernel_loaded fadump); kexec's files say 0 then
    result = verify(_ppc("root=/dev/sda2 crashkernel=2G fadump=on", 0, False), boot_entry=None)
    rows = statuses(result)
    assert rows["crash-size"] == rows["loaded"] == rows["predicted"] == UNKNOWN
    assert "boot memory" in result.row("configured").verdict and result.ok
    off = verify(_ppc("root=/dev/sda2 crashkernel=2G fadump=on fadump=off", 0, False),
                 boot_entry=None)
    assert off.row("loaded").status == DIFFERS  # the last fadump= wins: kdump mode


def _not_root(cmdline: str, crash_size: int):
    """A real /proc/iomem read by a normal user (every address 0), with what a user still
    reads: /proc/cmdline and the world-readable /sys/kernel/kexec files."""
    from tests.corpus import dump

    snap = load_source(str(dump("29")))
    assert snap.hidden
    snap.cmdline, snap.kexec_crash_size, snap.kexec_crash_loaded = cmdline, crash_size, True
    snap.mem_total = 16 << 30
    return snap


def test_a_map_read_without_root_is_verified_by_crash_size():
    result = verify(_not_root("ro crashkernel=256M", 256 * M), boot_entry=None)
    assert statuses(result)["reserved"] == statuses(result)["predicted"] == UNKNOWN
    assert result.row("crash-size").status == AGREES and result.ok
    # a plain block that fell back above 4 GiB took the low part with it (x86_64's
    # DEFAULT_CRASH_KERNEL_LOW_SIZE: max(swiotlb + 8 MiB, 256 MiB), 256 MiB here)
    high = verify(_not_root("ro crashkernel=256M", 512 * M), boot_entry=None)
    assert high.row("crash-size").status == AGREES and "low part" in high.row("crash-size").verdict
    short = verify(_not_root("ro crashkernel=256M", 128 * M), boot_entry=None)
    assert short.row("crash-size").status == DIFFERS and not short.ok


def test_a_live_kernel_without_the_kexec_files_is_said_to_have_none():
    # live.read_live looks at /sys/kernel/kexec/NAME, then at the old /sys/kernel/kexec_NAME:
    # when both are missing the kernel has no crash files (kernel/ksysfs.c, CONFIG_CRASH_DUMP);
    # a saved file that lacks them only was not given them
    from crashmap.snapshot import Snapshot

    iomem = load_source("x86_64-vm-qemu-3g").iomem  # a real QEMU map, no kexec files saved
    verdicts = {}
    for source in ("live", "box.yaml"):
        snap = Snapshot(iomem, source, arch="x86_64", cmdline="ro crashkernel=256M,cma")
        result = verify(snap, boot_entry=None)
        verdicts[source] = {k: result.row(k).verdict for k in ("crash-size", "loaded", "cma")}
        assert all(result.row(k).status == UNKNOWN for k in verdicts[source])
    assert all(v.startswith("this kernel has neither it nor /sys/kernel/kexec_")
               and "CONFIG_CRASH_DUMP" in v for v in verdicts["live"].values())
    assert "Nov 2025" in verdicts["live"]["cma"]
    assert verdicts["box.yaml"]["crash-size"] == verdicts["box.yaml"]["loaded"] \
        == "the source did not read it"
    assert verdicts["box.yaml"]["cma"].startswith("the source did not read it (kernels older")
