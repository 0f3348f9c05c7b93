"""Inputs from snapshots and from a fake live root (never the real machine)."""

from __future__ import annotations

from pathlib import Path

from crashmap.estimate.inputs import (
    Inputs,
    from_snapshot,
    gather,
    live_extras,
    luks_devices,
    parse_calibrate_conf,
    parse_meminfo,
    parse_modules,
    parse_os_release,
)
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source

K, M, G = 1 << 10, 1 << 20, 1 << 30

IOMEM = """\
00001000-0009ffff : System RAM
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-027fffff : Kernel rodata
  02800000-02bfffff : Kernel data
  02c00000-02dfffff : Kernel bss
100000000-43fffffff : System RAM
"""


def test_parsers() -> None:
    modules = parse_modules("nf_tables 376832 0 - Live 0x0\nxfs 2531328 1 - Live 0x0\nbad line\n")
    assert modules == (("nf_tables", 376832), ("xfs", 2531328))
    meminfo = parse_meminfo("MemTotal:       16303400 kB\nHugetlb:  0 kB\nJunk\n")
    assert meminfo == {"MemTotal": 16303400, "Hugetlb": 0}
    assert parse_os_release('ID=debian\nVERSION_CODENAME="trixie"\n# c\n') == {
        "ID": "debian", "VERSION_CODENAME": "trixie"}
    conf = parse_calibrate_conf(
        "KERNEL_BASE=56404\nexport PERCPU='108'\nUSER_BASE=x\n# KERNEL_INIT=1\n")
    assert conf == {"KERNEL_BASE": 56404, "PERCPU": 108}


def test_from_snapshot_reads_the_map_and_the_facts() -> None:
    snapshot = Snapshot(IOMEM, source="test", arch="x86_64", kernel_release="6.18.1-200.fc43",
                        cpu_count=8, kernel_size=14 * M, initrd_size=60 * M,
                        modules="mlx5_core 2048000 0 - Live 0x0\n",
                        boot_log="Memory Encryption Features active: AMD SME\n")
    inputs = from_snapshot(snapshot)
    # Kernel code + rodata + data + bss = 16 + 8 + 4 + 2 MiB (kdumpctl's fallback)
    assert inputs.kernel_image == 30 * M
    assert inputs.ram == 0x9f000 + 0xbff00000 + 13 * G
    assert inputs.ram_end == 0x440000000
    assert (inputs.cpus, inputs.kernel_file, inputs.initrd) == (8, 14 * M, 60 * M)
    assert inputs.modules_size == 2048000 and inputs.mlx5 is True
    assert inputs.sme_sev is True and inputs.distro == "fedora"
    assert inputs.source("kernel_image").startswith("sum of Kernel code")
    assert inputs.source("initrd_unpacked") == "unknown"


def test_64k_release_and_hidden_map() -> None:
    arm = from_snapshot(Snapshot(IOMEM, source="t", arch="arm64",
                                 kernel_release="5.14.0-427.el9.aarch64+64k"))
    assert arm.page_size == 64 * K and arm.distro == "rhel-old"
    hidden = Snapshot("00000000-00000000 : System RAM\n", source="t", arch="x86_64",
                      mem_total=8 * G)
    inputs = from_snapshot(hidden)
    assert inputs.kernel_image is None and inputs.ram == 8 * G and inputs.ram_end is None
    assert "MemTotal" in inputs.source("ram")


def test_bundled_map_without_sizes_leaves_them_unknown() -> None:
    inputs = gather(load_source("x86_64-laptop-zenbook"), live=False)
    assert inputs.initrd is None and inputs.modules is None and inputs.kernel_image
    assert inputs.luks is None and inputs.network is None


def _tree(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def test_live_extras_read_only_the_fake_root(tmp_path: Path) -> None:
    release = "6.12.12+deb13-amd64"
    _tree(tmp_path, {
        f"var/lib/kdump/initrd.img-{release}": b"x" * 4096,
        f"var/lib/kdump/size_initrd.img-{release}": "87\n",
        f"var/lib/kdump/mem-{release}": "MemTotal: 16303400 kB\nMemFree: 15000000 kB\n",
        "usr/lib/kdump/calibrate.conf": "KERNEL_BASE=1\nPERCPU=2\n",
        "etc/os-release": "ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n",
        "sys/block/dm-0/dm/uuid": "CRYPT-LUKS2-abc-luks-root\n",
        "sys/block/dm-1/dm/uuid": "LVM-xyz\n",
        "etc/crypttab": "# name device\nswap /dev/sda2 /dev/urandom swap\n",
    })
    inputs = live_extras(Inputs(arch="x86_64", kernel_release=release, initrd=60 * M),
                         tmp_path)
    assert inputs.initrd == 4096 and "Debian/Ubuntu kdump initrd" in inputs.source("initrd")
    assert inputs.initrd_unpacked == 87 * M  # du -sm
    assert inputs.boot_meminfo == {"MemTotal": 16303400, "MemFree": 15000000}
    assert inputs.calibrate == {"KERNEL_BASE": 1, "PERCPU": 2}
    assert inputs.distro == "debian-trixie"
    assert inputs.luks is True and "dm-0" in inputs.source("luks")
    assert luks_devices(tmp_path) == ["dm-0", "crypttab:swap"]


def test_live_extras_on_an_empty_root_change_nothing(tmp_path: Path) -> None:
    before = Inputs(arch="x86_64", kernel_release="6.1.0", initrd=60 * M)
    assert live_extras(before, tmp_path) == before._replace(sources={})


def test_given_overrides_and_names_the_source() -> None:
    inputs = Inputs(arch="x86_64").given(initrd=40 * M, _note="--initrd")
    assert inputs.initrd == 40 * M and inputs.source("initrd") == "--initrd"
    data = inputs.to_json()
    assert data["initrd"] == {"value": 40 * M, "source": "--initrd"}
    assert data["kernel_image"] == {"value": None, "source": "unknown"}
