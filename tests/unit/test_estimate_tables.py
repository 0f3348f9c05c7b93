"""Distribution default tables at their bracket edges, with the kernel's 128 MiB RAM round-up.

Expected values are read off the tables in shared/research/anchors.md (§1, §3, §2a) by hand:
the kernel rounds RAM up to 128 MiB, matches start <= T < end, and rejects a size not below RAM
(kernel-crashkernel.md §2.5, §2.7).
"""

from __future__ import annotations

import pytest
from crashmap.estimate.inputs import Inputs
from crashmap.estimate.tables import (
    FIVE_TIER,
    crashkernel_add,
    default_value,
    defaults,
    distro_from_os_release,
    distro_from_release,
    machine_table,
    tables_for,
)

M, G, T = 1 << 20, 1 << 30, 1 << 40
K = 1 << 10


def value(key: str, arch: str, ram: int, **facts: object) -> int | None:
    result = default_value(key, Inputs(arch=arch, ram=ram, **facts))
    assert result is not None
    return result.bytes


@pytest.mark.parametrize(("ram", "expected"), [
    (2 * G - 1 * M, 256 * M),        # rounds up to 2G: first bracket
    (2 * G - 128 * M, 0),            # 1920 MiB is already a multiple of 128 MiB: below 2G
    (2 * G - 127 * M, 256 * M),      # rounds up to exactly 2G
    (64 * G - 200 * M, 256 * M),     # rounds up to 64G-128M: still 2G-64G (anchors §7.3)
    (64 * G - 100 * M, 512 * M),     # rounds up to 64G: 64G- bracket
    (64 * G, 512 * M),
    (1 * T, 512 * M),
])
def test_fedora_x86_64(ram: int, expected: int) -> None:
    assert value("fedora", "x86_64", ram, sme_sev=False) == expected


def test_fedora_x86_64_sme_sev_adds_64m_to_every_size() -> None:
    assert value("fedora", "x86_64", 16 * G, sme_sev=True) == 256 * M + 64 * M
    assert value("fedora", "x86_64", 64 * G, sme_sev=True) == 512 * M + 64 * M
    # unknown: not added, and said so
    result = default_value("fedora", Inputs(arch="x86_64", ram=16 * G))
    assert result.bytes == 256 * M
    assert any("not included" in n and "SME" in n for n in result.notes)


def test_fedora_s390x_same_table() -> None:
    assert value("fedora", "s390x", 2 * G - 1 * M) == 256 * M
    assert value("fedora", "s390x", 100 * G) == 512 * M


@pytest.mark.parametrize(("ram", "expected"), [
    (2 * G - 1 * M, 256 * M), (4 * G - 1 * M, 320 * M), (4 * G - 128 * M, 256 * M),
    (64 * G - 127 * M, 576 * M), (64 * G - 128 * M, 320 * M),
])
def test_fedora_arm64_4k(ram: int, expected: int) -> None:
    assert value("fedora", "arm64", ram, mlx5=False) == expected


def test_fedora_arm64_deltas() -> None:
    assert value("fedora", "arm64", 8 * G, mlx5=True) == 320 * M + 150 * M
    # 64K kernel: +100M always, +384M with an SMMU, +200M (not 150M) with mlx5 (anchors §1)
    assert value("fedora", "arm64", 8 * G, page_size=64 * K, mlx5=False) == 320 * M + 100 * M
    assert value("fedora", "arm64", 8 * G, page_size=64 * K, mlx5=False, smmu=True) == \
        320 * M + 100 * M + 384 * M
    assert value("fedora", "arm64", 8 * G, page_size=64 * K, mlx5=True, smmu=True) == \
        320 * M + 100 * M + 384 * M + 200 * M


def test_fedora_ppc64le_adds_1m_per_capture_cpu() -> None:
    # default sysconfig nr_cpus=16: +16M on every entry
    assert value("fedora", "ppc64le", 8 * G) == 512 * M + 16 * M
    assert value("fedora", "ppc64le", 4 * G - 1 * M) == 512 * M + 16 * M  # rounds up to 4G
    assert value("fedora", "ppc64le", 4 * G - 128 * M) == 384 * M + 16 * M
    assert value("fedora", "ppc64le", 200 * G, capture_cpus=4) == 4 * G + 4 * M
    assert value("fedora", "ppc64le", 2 * G - 128 * M) == 0


def test_fedora_fadump() -> None:
    # the default FADUMP_COMMANDLINE_APPEND has nr_cpus=16 (gen-kdump-sysconfig.sh): +16M
    assert value("fedora-fadump", "ppc64le", 4 * G - 1 * M) == 768 * M + 16 * M
    assert value("fedora-fadump", "ppc64le", 4 * G - 128 * M) == 0
    assert value("fedora-fadump", "ppc64le", 4 * G, capture_cpus=8) == 768 * M + 8 * M
    assert value("fedora-fadump", "ppc64le", 64 * T - 1 * M) == 180 * G + 16 * M  # up to 64T
    result = default_value("fedora-fadump", Inputs(arch="ppc64le", ram=16 * G))
    assert any("FADUMP_COMMANDLINE_APPEND" in d.label for d in result.deltas)


def test_rhel_old() -> None:
    assert value("rhel-old", "x86_64", 1 * G - 1 * M, sme_sev=False) == 192 * M
    assert value("rhel-old", "x86_64", 1 * G - 128 * M, sme_sev=False) == 0
    assert value("rhel-old", "x86_64", 4 * G - 1 * M, sme_sev=False) == 256 * M
    assert value("rhel-old", "arm64", 1 * G - 1 * M, mlx5=False) == 256 * M


@pytest.mark.parametrize(("key", "ram", "expected"), [
    ("debian-bookworm", 256 * M + 1, 128 * M),   # rounds up to 384M: 384M- matches
    ("debian-bookworm", 256 * M, 0),             # 256M: below the only bracket
    ("debian-trixie", 384 * M + 1, 192 * M),     # rounds up to 512M
    ("debian-trixie", 384 * M, 0),
    ("debian-trixie", 16 * T, 192 * M),
])
def test_debian_amd64(key: str, ram: int, expected: int) -> None:
    assert value(key, "x86_64", ram) == expected


@pytest.mark.parametrize(("ram", "expected"), [
    (2 * G - 1 * M, 320 * M), (4 * G - 1 * M, 512 * M), (4 * G - 128 * M, 320 * M),
    (32 * G - 1 * M, 1024 * M), (128 * G - 100 * M, 4096 * M), (128 * G - 200 * M, 2048 * M),
])
def test_five_tier_ubuntu_and_debian_arm64(ram: int, expected: int) -> None:
    assert value("ubuntu", "x86_64", ram) == expected
    assert value("debian-trixie", "arm64", ram) == expected
    assert value("debian-bookworm", "ppc64le", ram) == expected


def test_debian_s390x_per_release() -> None:
    assert value("debian-bookworm", "s390x", 8 * G) == 128 * M
    assert value("debian-trixie", "s390x", 8 * G) == 192 * M


def test_suse_fallback_is_a_plain_size() -> None:
    assert value("suse-fallback", "x86_64", 8 * G) == 192 * M
    assert value("suse-fallback", "ppc64le", 8 * G) == 384 * M
    assert value("suse-fallback", "x86_64", 192 * M) == 0  # size not below RAM (§2.7)


def test_tables_exist_per_arch() -> None:
    assert tables_for("loongarch64") == []
    assert "fedora-fadump" in tables_for("ppc64le")
    assert "ubuntu" not in tables_for("s390x")
    assert defaults(Inputs(arch="loongarch64", ram=16 * G)) == []


def test_bracket_notes_name_the_rounding_and_the_next_step() -> None:
    result = default_value("fedora", Inputs(arch="x86_64", ram=64 * G - 200 * M, sme_sev=False))
    text = " ".join(result.notes)
    assert "65336 MiB rounds up to 65408 MiB" in text
    assert "changes to 512 MiB once RAM rounds up to 64 GiB" in text
    below = default_value("fedora", Inputs(arch="x86_64", ram=1 * G, sme_sev=False))
    assert below.bytes == 0 and any("reserves nothing" in n for n in below.notes)


def test_unknown_ram_is_explicit() -> None:
    result = default_value("fedora", Inputs(arch="x86_64"))
    assert result.bytes is None and result.notes == ("unknown: needs RAM",)


@pytest.mark.parametrize(("table", "delta", "expected"), [
    # kdump-utils spec/kdump-lib_spec.sh "_crashkernel_add()" valid cases
    ("1G-4G:256M,4G-64G:320M,64G-:576M", 100 * M, "1G-4G:356M,4G-64G:420M,64G-:676M"),
    ("1G-4G:256M,4G-64G:320M,64G-:576M@4G", 100 * M, "1G-4G:356M,4G-64G:420M,64G-:676M@4G"),
    ("1G-4G:1G,4G-64G:2G,64G-:3G@4G", 100 * M, "1G-4G:1124M,4G-64G:2148M,64G-:3172M@4G"),
    ("1G-4G:10000K,4G-64G:20000K,64G-:40000K@4G", 100 * M,
     "1G-4G:112400K,4G-64G:122400K,64G-:142400K@4G"),
    ("128G-1T:4G", 0, "128G-1T:4G"),
    ("1M@1G", 1 * K, "1025K@1G"),
    ("192M", 64 * M, "256M"),
])
def test_crashkernel_add(table: str, delta: int, expected: str) -> None:
    assert crashkernel_add(table, delta) == expected


@pytest.mark.parametrize(("release", "distro"), [
    ("5.14.0-427.el9.x86_64", "rhel-old"), ("6.12.0-55.el10.x86_64", "fedora"),
    ("6.11.4-301.fc41.x86_64", "fedora"), ("6.8.0-45-generic", "ubuntu"),
    ("5.13.0-1011-raspi", "ubuntu"), ("6.4.0-150600.23.7-default", "suse"),
    ("6.1.0-18-amd64", "debian"), ("6.1.76-1+deb12u1", "debian-bookworm"),
    ("6.12.12+deb13-amd64", "debian-trixie"), ("5.3.11-gentoo", None), (None, None),
])
def test_distro_from_release(release: str | None, distro: str | None) -> None:
    assert distro_from_release(release)[0] == distro


@pytest.mark.parametrize(("info", "distro"), [
    ({"ID": "debian", "VERSION_ID": "13", "VERSION_CODENAME": "trixie"}, "debian-trixie"),
    ({"ID": "debian", "VERSION_ID": "12"}, "debian-bookworm"),
    ({"ID": "rocky", "ID_LIKE": "rhel centos fedora", "VERSION_ID": "9.4"}, "rhel-old"),
    ({"ID": "rhel", "VERSION_ID": "10.0"}, "fedora"),
    ({"ID": "fedora", "VERSION_ID": "41"}, "fedora"),
    ({"ID": "opensuse-leap", "ID_LIKE": "suse opensuse", "VERSION_ID": "15.6"}, "suse"),
    ({"ID": "ubuntu", "VERSION_ID": "24.04"}, "ubuntu"),
    ({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "ubuntu"),
    ({"ID": "arch"}, None),
])
def test_distro_from_os_release(info: dict[str, str], distro: str | None) -> None:
    assert distro_from_os_release(info)[0] == distro


def test_machine_table() -> None:
    assert machine_table(Inputs(arch="x86_64", distro="ubuntu"))[0] == "ubuntu"
    key, why = machine_table(Inputs(arch="x86_64", distro="suse"))
    assert key == "suse-fallback" and "calibrate" in why
    assert machine_table(Inputs(arch="x86_64", distro="debian"))[0] is None
    assert machine_table(Inputs(arch="s390x", distro="ubuntu"))[0] is None
    assert machine_table(Inputs(arch="x86_64"))[0] is None


def test_five_tier_string() -> None:
    assert FIVE_TIER == "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"
