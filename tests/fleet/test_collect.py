"""The collect script run for real on this machine, and its bundle read as a snapshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from crashmap.bootlog import _MEMORY_LINE, memory_lines, ramdisk_range
from crashmap.collect import PREFILTER, snapshot_from_collect
from crashmap.errors import CrashmapError
from crashmap.live import INITRD_FILES, KERNEL_FILES, capture
from crashmap.sources import bundled_maps, load_file, load_source

SCRIPT = Path(__file__).resolve().parents[2] / "contrib" / "ansible" / "crashmap-collect.sh"
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="/proc/iomem needs root")


def collect() -> str:
    return subprocess.run(["sh", str(SCRIPT)], capture_output=True, text=True, check=True,
                          timeout=120).stdout


@needs_root
def test_the_bundle_says_what_the_live_capture_says():
    bundle = snapshot_from_collect(collect(), "bundle")
    live = capture()
    for field in ("iomem", "cmdline", "kernel_release", "hostname", "page_size",
                  "kexec_crash_size", "kexec_crash_loaded", "kexec_crash_cma_ranges",
                  "zswap_enabled", "modules", "kernel_size", "initrd_size", "swiotlb_size"):
        assert getattr(bundle, field) == getattr(live, field), field
    assert bundle.arch == live.arch and bundle.cpu_count == os.cpu_count()
    meminfo = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    assert bundle.mem_total == int(meminfo.group(1)) * 1024
    if live.boot_log and ramdisk_range(live.boot_log):
        assert ramdisk_range(bundle.boot_log) == ramdisk_range(live.boot_log)


def test_the_prefilter_keeps_every_memory_line():
    """The script's grep may keep more than memory_lines() but never less."""
    assert f"PREFILTER='{PREFILTER}'" in SCRIPT.read_text()
    logs = [load_file(path).boot_log or "" for path in bundled_maps().values()]
    if shutil.which("dmesg"):
        logs.append(subprocess.run(["dmesg"], capture_output=True, text=True).stdout)
    lines = [line for log in logs for line in log.splitlines() if _MEMORY_LINE.search(line)]
    assert len(lines) > 30
    for line in lines:
        assert re.search(PREFILTER, line, re.IGNORECASE), line
    # and every alternative of the pattern, spelled as the kernel prints it
    for sample in ("BIOS-e820: [mem 0x0-0x9fbff] usable", "e820: update", "RAMDISK: [mem 0x1-0x2]",
                   "crashkernel reserved", "Crash kernel", "cma: Reserved 16 MiB",
                   "CMA: x", "Memory: 1K/2K available", "software IO TLB: mapped",
                   "efi: mem00: [Conventional]", "Zone ranges:", "  DMA      [mem 0x0-0x1]",
                   "  DMA32    empty", "  Normal   [mem 0x1-0x2]", "  Movable zone start",
                   "Early memory node ranges", "  node   0: [mem 0x1-0x2]",
                   "OF: reserved mem: 0x1..0x2", "Reserved memory: created", "usable memory",
                   "swiotlb=65536", "mem=4G", "memmap=2G$1G", "System RAM: 4096MB",
                   "Memory limited to 4096MB", "Using GB pages for direct mapping",
                   "Move RAMDISK from [mem 0x1-0x2] to [mem 0x3-0x4]",
                   "NODE_DATA(0) allocated [mem 0x1-0x2]"):
        assert _MEMORY_LINE.search(sample), sample
        assert re.search(PREFILTER, sample, re.IGNORECASE), sample


def test_the_script_looks_for_the_boot_files_crashmap_looks_for():
    text = SCRIPT.read_text()
    for pattern in KERNEL_FILES + INITRD_FILES:
        assert '"/boot/' + pattern.replace("{}", "$release") + '"' in text.replace(
            "${release}", "$release"), pattern


BUNDLE = """\
noise from a login banner
crashmap-collect 1
@@crashmap cmd uname -r
7.3.4

@@crashmap cmd uname -m
aarch64

@@crashmap file /proc/iomem
40000000-bfffffff : System RAM
  40210000-4149ffff : Kernel code

@@crashmap file /proc/cmdline
root=/dev/vda crashkernel=512M crashkernel=256M,cma

@@crashmap file /sys/kernel/kexec/crash_size
536870912

@@crashmap file /sys/kernel/kexec_crash_size
1

@@crashmap file /sys/kernel/kexec/crash_cma_ranges
100000000-10fffffff

@@crashmap size /boot/Image-7.3.4
41000000
@@crashmap meta inventory_hostname
arm-07
@@crashmap end crashmap
"""


def test_a_bundle_through_a_terminal_reads_the_same_and_new_sysfs_names_win():
    plain = snapshot_from_collect(BUNDLE, "b")
    crlf = snapshot_from_collect(BUNDLE.replace("\n", "\r\n"), "b")
    for snap in (plain, crlf):
        assert snap.iomem == "40000000-bfffffff : System RAM\n  40210000-4149ffff : Kernel code\n"
        assert snap.cmdline == "root=/dev/vda crashkernel=512M crashkernel=256M,cma"
        assert (snap.arch, snap.kernel_release, snap.inventory_hostname) == \
            ("aarch64", "7.3.4", "arm-07")
        assert snap.kexec_crash_size == 512 << 20  # /sys/kernel/kexec/ first
        assert snap.kexec_crash_cma_ranges == "100000000-10fffffff\n"
        assert snap.kernel_size == 41000000 and snap.initrd_size is None


def test_a_bundle_cut_short_or_without_iomem_is_refused():
    with pytest.raises(CrashmapError, match="cut short"):
        snapshot_from_collect(BUNDLE.split("@@crashmap meta")[0], "b")
    with pytest.raises(CrashmapError, match="no /proc/iomem"):
        snapshot_from_collect("crashmap-collect 1\n@@crashmap end crashmap\n", "b")


def test_a_host_folder_is_a_source_named_after_it(tmp_path):
    host = tmp_path / "db-12"
    host.mkdir()
    without_name = BUNDLE.replace("@@crashmap meta inventory_hostname\narm-07\n", "")
    (host / "crashmap-collect.txt").write_text(without_name)
    snap = load_source(str(host))
    assert snap.source == str(host) and snap.inventory_hostname == "db-12"
    assert memory_lines("x") == ""
