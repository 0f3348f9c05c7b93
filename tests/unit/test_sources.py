"""SOURCE forms: live (a fake root), snapshot, raw text, sosreport, supportconfig, bundled maps."""

from __future__ import annotations

import pytest

from crashmap import live
from crashmap.errors import CrashmapError
from crashmap.snapshot import Snapshot, to_yaml
from crashmap.sources import DEMO_MAP, bundled_maps, load_source

X86 = """\
00000000-00000fff : Reserved
00001000-0009ffff : System RAM
000f0000-000fffff : System ROM
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-0227ffff : Kernel bss
fec00000-fec003ff : IOAPIC 0
100000000-43fffffff : System RAM
"""
ARM64 = """\
09000000-09000fff : ARMH0011:00
40000000-bfffffff : System RAM
  40080000-40ffffff : Kernel code
  41000000-41ffffff : reserved
  42000000-42ffffff : Kernel data
"""


@pytest.fixture
def fake_root(tmp_path, monkeypatch):
    for relative, text in {
        "proc/iomem": X86, "proc/cmdline": "ro quiet crashkernel=512M\n",
        "proc/modules": "virtio_balloon 28672 0 - Live 0x0\nzram 40960 2 - Live 0x0\n",
        "sys/kernel/kexec_crash_size": "536870912\n", "sys/kernel/kexec_crash_loaded": "1\n",
        "sys/module/zswap/parameters/enabled": "Y\n",
    }.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setattr(live, "ROOT", tmp_path)
    return tmp_path


def test_live_reads_every_fact_and_strips_the_cmdline_newline(fake_root):
    snap = load_source("live")
    assert snap.source == "live"
    assert snap.iomem == X86
    assert snap.cmdline == "ro quiet crashkernel=512M"
    assert snap.kexec_crash_size == 512 << 20 and snap.kexec_crash_loaded is True
    assert snap.zswap_enabled is True and snap.balloon_loaded is True
    assert snap.kexec_crash_cma_ranges is None  # not present on this kernel: unknown
    assert snap.system_ram == (0x9F000 + 0xBFF00000 + 0x340000000)
    assert snap.taken_at and "live" in snap.taken_by


def test_live_without_iomem_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(live, "ROOT", tmp_path)
    with pytest.raises(CrashmapError, match="cannot read /proc/iomem"):
        load_source("live")


def test_raw_text_guesses_the_arch_and_says_so(tmp_path):
    (tmp_path / "x86.txt").write_text(X86)
    (tmp_path / "arm.txt").write_text(ARM64)
    x86 = load_source(str(tmp_path / "x86.txt"))
    arm = load_source(str(tmp_path / "arm.txt"))
    assert (x86.arch, arm.arch) == ("x86_64", "arm64")
    assert "guessed" in x86.arch_note and any("guessed" in w for w in arm.warnings)


def test_arch_override_wins_and_aliases_are_normalised(tmp_path):
    (tmp_path / "x86.txt").write_text(X86)
    snap = load_source(str(tmp_path / "x86.txt"), arch="aarch64")
    assert (snap.arch, snap.arch_note) == ("arm64", "given with --arch")
    with pytest.raises(CrashmapError, match="unknown architecture 'vax'"):
        load_source(str(tmp_path / "x86.txt"), arch="vax")


def test_header_arch_is_used_without_guessing(tmp_path):
    (tmp_path / "d.txt").write_text("# arch: s390x\n# kernel: 6.18.1-default\n\n" + X86)
    snap = load_source(str(tmp_path / "d.txt"))
    assert snap.arch == "s390x" and "header" in snap.arch_note
    assert snap.kernel_release == "6.18.1-default"
    assert "arch: s390x" in snap.provenance


def test_snapshot_yaml_is_told_apart_from_raw_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(to_yaml(Snapshot(iomem=X86, arch="x86_64", cmdline="crashkernel=1G")))
    snap = load_source(str(path))
    assert snap.cmdline == "crashkernel=1G" and snap.arch == "x86_64" and snap.arch_note is None


def test_sosreport_directory(tmp_path):
    for relative, text in {
        "proc/iomem": X86, "proc/cmdline": "BOOT_IMAGE=x crashkernel=1G-4G:192M,4G-:256M\n",
        "proc/meminfo": "MemTotal:       16303496 kB\n",
        "sos_commands/kernel/uname_-a": "Linux box1 5.14.0-427.el9.x86_64 #1 SMP x86_64 x86_64 x86_64 GNU/Linux\n",
        "sos_commands/kernel/dmesg": "[0.0] RAMDISK: [mem 0x3f000000-0x3fffffff]\n[0.0] random: crng\n",
        "sys/kernel/kexec_crash_size": "268435456\n",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    snap = load_source(str(tmp_path))
    assert snap.cmdline == "BOOT_IMAGE=x crashkernel=1G-4G:192M,4G-:256M"
    assert (snap.kernel_release, snap.hostname, snap.arch) == ("5.14.0-427.el9.x86_64", "box1", "x86_64")
    assert snap.mem_total == 16303496 * 1024
    assert snap.boot_log == "[0.0] RAMDISK: [mem 0x3f000000-0x3fffffff]"
    assert snap.kexec_crash_size == 256 << 20


def test_supportconfig_directory(tmp_path):
    section = "#==[ {} ]===========================#\n# {}\n{}\n"
    (tmp_path / "memory.txt").write_text(
        section.format("Configuration File", "/proc/meminfo", "MemTotal: 1024 kB")
        + section.format("Configuration File", "/proc/iomem", ARM64.rstrip("\n"))
    )
    (tmp_path / "basic-environment.txt").write_text(
        section.format("Command", "/bin/uname -a",
                       "Linux sles 6.4.0-150600.23-default #1 SMP aarch64 aarch64 aarch64 GNU/Linux")
    )
    (tmp_path / "boot.txt").write_text(
        section.format("Configuration File", "/proc/cmdline", "crashkernel=256M,high")
        + section.format("Configuration File", "/proc/iomem - File not found", "")
    )
    snap = load_source(str(tmp_path))
    assert snap.iomem.startswith("09000000-09000fff : ARMH0011:00\n40000000-bfffffff : System RAM")
    assert snap.cmdline == "crashkernel=256M,high"
    assert (snap.arch, snap.kernel_release) == ("aarch64", "6.4.0-150600.23-default")


def test_a_directory_without_iomem_is_a_clear_error(tmp_path):
    with pytest.raises(CrashmapError, match="no proc/iomem in this directory"):
        load_source(str(tmp_path))


def test_bundled_maps_load_by_name_and_demo_is_one_of_them():
    maps = bundled_maps()
    assert len(maps) >= 8 and DEMO_MAP in maps
    demo = load_source("demo")
    assert demo.source == "demo" and not demo.hidden and demo.provenance
    for name in maps:
        snap = load_source(name)
        assert snap.source == f"map:{name}" and snap.arch and snap.provenance
        assert snap.memmap.total_ram > 0


def test_unknown_source_lists_the_bundled_maps():
    with pytest.raises(CrashmapError) as caught:
        load_source("no-such-thing")
    assert "bundled maps: demo," in str(caught.value) and DEMO_MAP in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"\x00\x01\x02garbage", "binary data"), (b"   \n\n", "empty file")],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "f"
    path.write_bytes(content)
    with pytest.raises(CrashmapError, match=message):
        load_source(str(path))
