"""Distribution default ``crashkernel=`` tables, evaluated with the kernel's own range rules.

Every table string below is copied from the research notes (``shared/research/anchors.md``):

- Fedora/RHEL kdump-utils (§1, ``kdump_get_arch_recommend_crashkernel`` at 63f248c9): the base
  tables per arch and the deltas ``_crashkernel_add`` adds to every size;
- the pre-2025 x86_64 table ``1G-4G:192M,4G-64G:256M,64G-:512M`` (§1 "History", replaced in
  fe18f93) and the aarch64 table before its 1G→2G lower bound change (ca42bd6, same sizes);
- Debian kdump-tools ``/etc/default/grub.d/kdump-tools.cfg`` (§3): bookworm 1:1.8.1 amd64
  ``384M-:128M``, trixie 1:1.10.7 amd64/s390x ``512M-:192M``, arm64/ppc64el the five-tier
  table. Bookworm's s390x (``384M-:128M``) and arm64/ppc64el (five-tier) were read from the
  1:1.8.1 binary packages of those architectures (fetched with apt for this module);
- Ubuntu (§3): the five-tier table on amd64 too (current server docs, 24.10 and later);
- SUSE (§2a): ``kdumptool calibrate`` falls back to ``DEF_RESERVE_KB`` when it cannot compute:
  192 MiB, 384 MiB on powerpc64 (openSUSE/kdump ``kdumptool/calibrate.cc``).

Values are always computed with :func:`crashmap.kernel.evaluate_table` (the kernel's 128 MiB
round-up, inclusive start, exclusive end, first match) — never re-implemented here.
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.kernel.arith import crashkernel_add
from crashmap.kernel.grammar import RANGE_ROUNDING, range_total_mem
from crashmap.kernel.ranges import evaluate_table, explain_table
from crashmap.kernel.render import canonical_size
from crashmap.units import KiB, MiB, decimal, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs

FIVE_TIER = "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"
"""Debian arm64/ppc64el and Ubuntu (anchors.md §3)."""

FEDORA_PPC_NR_CPUS = 16
"""kdump-utils' default sysconfig ships ``nr_cpus=16`` on ppc64le in both KDUMP_COMMANDLINE_APPEND
and FADUMP_COMMANDLINE_APPEND (gen-kdump-sysconfig.sh, ``[ppc64le]`` entries; anchors.md §1).

The +1M per capture CPU is anchors.md's reading of kdump-lib.sh at 63f248c (commits 0d38985,
4f7970e); the versions of kdump-lib.sh that could be re-read (015e0f9 and two older) set only
``_ck_cmdline`` in the ppc64le branch of ``kdump_get_arch_recommend_crashkernel`` and add no
``_delta`` there, for kdump or fadump. Both modes follow the same rule here."""

FADUMP_TABLE_SOURCE = (
    "kdump-utils kdump-lib.sh kdump_get_arch_recommend_crashkernel: on ppc64le "
    "'if [[ $_dump_mode == \"fadump\" ]]' takes the fadump table; kdumpctl "
    "get_dump_mode_by_fadump_val makes fadump=on and fadump=nocma the fadump dump mode")
"""Why a fadump machine's Fedora/RHEL default is the fadump table (kdumpctl reset-crashkernel's
ShellSpec: an entry with fadump=on or nocma gets ``get_default_crashkernel fadump``)."""

# key → (title, {arch: table}, source)
TABLES: dict[str, tuple[str, dict[str, str], str]] = {
    "fedora": (
        "Fedora/RHEL kdump-utils",
        {
            "x86_64": "2G-64G:256M,64G-:512M",
            "s390x": "2G-64G:256M,64G-:512M",
            "arm64": "2G-4G:256M,4G-64G:320M,64G-:576M",
            "ppc64le": "2G-4G:384M,4G-16G:512M,16G-64G:1G,64G-128G:2G,128G-:4G",
        },
        "kdump-utils kdump-lib.sh kdump_get_arch_recommend_crashkernel (63f248c9)",
    ),
    "fedora-fadump": (
        "Fedora/RHEL kdump-utils, ppc64le fadump",
        {
            "ppc64le": "4G-16G:768M,16G-64G:1G,64G-128G:2G,128G-1T:4G,1T-2T:6G,2T-4T:12G,"
                       "4T-8T:20G,8T-16T:36G,16T-32T:64G,32T-64T:128G,64T-:180G",
        },
        "kdump-utils kdump-lib.sh (fadump table)",
    ),
    "rhel-old": (
        "RHEL ≤ 9 / kdump-utils before 2025",
        {
            "x86_64": "1G-4G:192M,4G-64G:256M,64G-:512M",
            "arm64": "1G-4G:256M,4G-64G:320M,64G-:576M",
        },
        "kdump-utils history: x86 table before fe18f93 (2025-03-06); aarch64 before its "
        "1G→2G lower bound change (ca42bd6)",
    ),
    "debian-bookworm": (
        "Debian 12 bookworm kdump-tools 1:1.8.1",
        {"x86_64": "384M-:128M", "s390x": "384M-:128M", "arm64": FIVE_TIER,
         "ppc64le": FIVE_TIER},
        "Debian kdump-tools (amd64); s390x/arm64/ppc64el read from the 1:1.8.1 packages' "
        "/etc/default/grub.d/kdump-tools.cfg",
    ),
    "debian-trixie": (
        "Debian 13 trixie kdump-tools 1:1.10.7",
        {"x86_64": "512M-:192M", "s390x": "512M-:192M", "arm64": FIVE_TIER,
         "ppc64le": FIVE_TIER},
        "Debian kdump-tools 1:1.10.7 /etc/default/grub.d/kdump-tools.cfg",
    ),
    "ubuntu": (
        "Ubuntu kdump-tools (24.10+ server docs)",
        {"x86_64": FIVE_TIER, "arm64": FIVE_TIER, "ppc64le": FIVE_TIER},
        "Ubuntu kdump-tools: the five-tier table on amd64 too",
    ),
    "suse-fallback": (
        "SUSE kdumptool calibrate fallback",
        {"x86_64": "192M", "i386": "192M", "s390x": "192M", "arm64": "192M", "arm": "192M",
         "riscv64": "192M", "ppc64le": "384M"},
        "DEF_RESERVE_KB of kdumptool/calibrate.cc (SUSE kdump), used when calibration fails",
    ),
}

DISTRO_TABLE = {
    "fedora": "fedora", "rhel-old": "rhel-old", "debian-bookworm": "debian-bookworm",
    "debian-trixie": "debian-trixie", "ubuntu": "ubuntu", "suse": "suse-fallback",
}
"""Which table a distribution writes by default (SUSE really computes: see the calibrate model)."""


class Delta(namedtuple("Delta", "label bytes applied source")):
    """A kdump-utils ``_crashkernel_add`` term: ``bytes`` None = the fact it depends on is unknown
    (then not included in the value)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "bytes": self.bytes, "applied": self.applied,
                "source": self.source}


class DefaultValue(namedtuple("DefaultValue",
                              "key title base table bytes deltas step rounded notes source")):
    """One default table at this RAM: the table with its deltas added, and what it reserves."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "table": self.table, "base_table": self.base,
            "bytes": self.bytes, "deltas": [d.to_json() for d in self.deltas],
            "rounded_ram": self.rounded, "bracket": self.step, "notes": list(self.notes),
            "source": self.source,
        }


# --- kdump-utils _crashkernel_add --------------------------------------------------------------


def fedora_deltas(key: str, inputs: Inputs) -> list[Delta]:
    """The hardware and CPU terms kdump-utils adds to its table (anchors.md §1)."""
    arch = inputs.arch
    found: list[Delta] = []
    src = "kdump-utils kdump-lib.sh _crashkernel_add"
    if key in ("fedora", "rhel-old") and arch == "x86_64":
        sme = inputs.sme_sev
        found.append(Delta("+64M: AMD SME/SEV active", 64 * MiB if sme else 0 if sme is False
                           else None, bool(sme), src + (
                               "" if sme is not None else
                               "; unknown: the boot log has no 'Memory Encryption Features "
                               "active' line (only proves it on when present)")))
    elif key in ("fedora", "rhel-old") and arch == "arm64":
        mlx5 = inputs.mlx5
        if (inputs.page_size or 0) == 64 * KiB:
            found.append(Delta("+100M: 64K-page kernel", 100 * MiB, True, src))
            smmu = inputs.smmu
            found.append(Delta("+384M: arm-smmu platform device", 384 * MiB if smmu else None,
                               bool(smmu), src + ("" if smmu else
                                                  "; unknown: no SMMU resource in the map")))
            found.append(_flag_delta("+200M: mlx5_core bound", 200, mlx5, src))
        else:
            found.append(_flag_delta("+150M: mlx5_core bound", 150, mlx5, src))
    elif key == "fedora" and arch == "ppc64le":
        cpus = inputs.capture_cpus or FEDORA_PPC_NR_CPUS
        how = ("capture CPUs given" if inputs.capture_cpus
               else f"nr_cpus={FEDORA_PPC_NR_CPUS} of the default sysconfig")
        found.append(Delta(f"+1M × {cpus} capture CPUs ({how})", cpus * MiB, True, src))
    elif key == "fedora-fadump":
        cpus = inputs.capture_cpus or FEDORA_PPC_NR_CPUS
        how = ("capture CPUs given" if inputs.capture_cpus
               else f"nr_cpus={FEDORA_PPC_NR_CPUS} of the default FADUMP_COMMANDLINE_APPEND")
        found.append(Delta(f"+1M × {cpus} capture CPUs ({how})", cpus * MiB, True, src))
    return found


def fedora_key(inputs: Inputs) -> str:
    """The kdump-utils table for this machine's dump mode: ``fedora-fadump`` on ppc64le with
    fadump on (:data:`FADUMP_TABLE_SOURCE`), else ``fedora``."""
    if inputs.dump_mode == "fadump" and "ppc64le" in TABLES["fedora-fadump"][1] \
            and inputs.arch == "ppc64le":
        return "fedora-fadump"
    return "fedora"


def _flag_delta(label: str, mib: int, flag: bool | None, src: str) -> Delta:
    if flag is None:
        return Delta(label, None, False, src + "; unknown: /proc/modules not in the snapshot")
    return Delta(label, mib * MiB if flag else 0, flag, src)


# --- evaluation --------------------------------------------------------------------------------


def ram_text(n: int) -> str:
    """A RAM size exactly when it is whole GiB or MiB (``2047 MiB``), else rounded."""
    for unit, name in ((1 << 40, "TiB"), (1 << 30, "GiB"), (MiB, "MiB")):
        if n % unit == 0:
            return f"{n // unit} {name}"
    return format_size(n)


def tables_for(arch: str) -> list[str]:
    """The keys of the tables that exist for ``arch``."""
    return [key for key, (_, per_arch, _) in TABLES.items() if arch in per_arch]


def default_value(key: str, inputs: Inputs) -> DefaultValue | None:
    """Table ``key`` for the inputs' arch evaluated at their RAM (None: no such table)."""
    title, per_arch, source = TABLES[key]
    base = per_arch.get(inputs.arch)
    if base is None:
        return None
    deltas = fedora_deltas(key, inputs) if key.startswith(("fedora", "rhel")) else []
    added = sum(d.bytes or 0 for d in deltas if d.applied)
    table = crashkernel_add(base, added) if added else base
    notes: list[str] = []
    ram = inputs.ram
    if ram is None:
        return DefaultValue(key, title, base, table, None, tuple(deltas), None, None,
                            ("unknown: needs RAM",), source)
    value = evaluate_table(table, ram)
    rounded = range_total_mem(ram)
    explained = explain_table(table)
    step = explained.step_at(ram)
    bracket = {"ram_from": step.ram_from, "ram_to": step.ram_to, "entry": step.entry,
               "reason": step.reason}
    if ":" in table:
        if rounded != ram:
            shown, up = ram_text(ram), ram_text(rounded)
            if shown == up:  # "24 GiB rounds up to 24 GiB": say it exactly
                shown, up = f"{ram >> 20} MiB" if ram % (1 << 20) == 0 else f"{ram} B", \
                    f"{rounded >> 20} MiB"
            notes.append(f"RAM {shown} rounds up to {up} (a multiple of 128 MiB) before "
                         f"matching")
        if step.entry is not None and explained.entries:
            entry = explained.entries[step.entry]
            if entry.start > ram:
                notes.append(f"only the 128 MiB round-up puts it in the "
                             f"{canonical_size(entry.start)}- bracket")
        top = (1 << 64) - RANGE_ROUNDING  # roundup() wraps to 0 above this (not a bracket)
        nxt = next((b for b in explained.breakpoints if ram < b <= top), None)
        if nxt is not None:
            edge = nxt + RANGE_ROUNDING - 1  # the rounded RAM where the next step starts
            notes.append(f"changes to {format_size(explained.size_at(nxt))} once RAM rounds "
                         f"up to {ram_text(edge)} (RAM above {ram_text(edge - RANGE_ROUNDING)})")
        if value == 0:
            notes.append(f"reserves nothing at this RAM ({step.reason or 'no bracket'})")
    unknown = [d for d in deltas if d.bytes is None]
    if unknown:
        notes.append("not included (fact unknown): " + "; ".join(d.label for d in unknown))
    return DefaultValue(key, title, base, table, value, tuple(deltas), bracket, rounded,
                        tuple(notes), source)


def defaults(inputs: Inputs) -> list[DefaultValue]:
    """Every table for the inputs' arch, evaluated at their RAM."""
    found = []
    for key in tables_for(inputs.arch):
        value = default_value(key, inputs)
        if value is not None:
            found.append(value)
    return found


def machine_table(inputs: Inputs) -> tuple[str | None, str]:
    """The table key this machine's distribution writes by default, and why."""
    distro = inputs.distro
    if distro is None:
        return None, "distribution unknown (no /etc/os-release, no telling kernel release)"
    key = DISTRO_TABLE.get(distro)
    if key is None:
        return None, f"{distro}: release unknown, more than one table is possible"
    if inputs.arch not in TABLES[key][1]:
        return None, f"{distro} has no documented table for {inputs.arch}"
    why = inputs.source("distro") or "given"  # the key already names the distribution
    if key == "fedora" and fedora_key(inputs) == "fedora-fadump":
        key = "fedora-fadump"
        why += f"; {inputs.source('dump_mode')}: kdumpctl's fadump table"
    if distro == "suse":
        why += "; SUSE computes the size with kdumptool calibrate and uses this only on error"
    return key, why


# --- which distribution ------------------------------------------------------------------------

_EL = re.compile(r"\.el([0-9]{1,9})")
_FC = re.compile(r"\.fc([0-9]+)")
_DEB = re.compile(r"\+deb([0-9]+)")
_UBUNTU_FLAVOURS = ("-generic", "-lowlatency", "-raspi", "-aws", "-gcp", "-oracle", "-kvm",
                    "-oem", "-ibm")
_SUSE_FLAVOURS = ("-default", "-64kb")
_DEBIAN_FLAVOURS = ("-amd64", "-arm64", "-ppc64el", "-s390x", "-cloud-amd64", "-cloud-arm64",
                    "-rt-amd64", "-rt-arm64")
_DEBIAN_RELEASES = {"12": "debian-bookworm", "13": "debian-trixie"}


def distro_from_release(release: str | None) -> tuple[str | None, str]:
    """A distribution key from kernel release hints (``.el9``, ``.fc41``, ``-generic``...)."""
    if not release:
        return None, "no kernel release"
    if match := _EL.search(release):
        major = decimal(match.group(1))
        return ("fedora" if major >= 10 else "rhel-old"), f"kernel release {release} (.el{major})"
    if _FC.search(release):
        return "fedora", f"kernel release {release} (.fc)"
    if match := _DEB.search(release):
        key = _DEBIAN_RELEASES.get(match.group(1), "debian")
        return key, f"kernel release {release} (+deb{match.group(1)})"
    if release.endswith(_DEBIAN_FLAVOURS):
        return "debian", f"kernel release {release} (Debian flavour)"
    if release.endswith(_UBUNTU_FLAVOURS):
        return "ubuntu", f"kernel release {release} (Ubuntu flavour)"
    if release.endswith(_SUSE_FLAVOURS):
        return "suse", f"kernel release {release} (SUSE flavour)"
    return None, f"kernel release {release} names no distribution"


def distro_from_os_release(info: dict[str, str]) -> tuple[str | None, str]:
    """A distribution key from ``/etc/os-release`` (ID, ID_LIKE, VERSION_ID, VERSION_CODENAME)."""
    ids = [info.get("ID", "").lower(), *info.get("ID_LIKE", "").lower().split()]
    version = info.get("VERSION_ID", "")
    codename = info.get("VERSION_CODENAME", "").lower()
    major = decimal(version.split(".")[0])
    why = f"/etc/os-release ID={info.get('ID', '?')} VERSION_ID={version or '?'}"
    first = ids[0]
    if first == "fedora":
        return "fedora", why
    if first in ("rhel", "centos", "rocky", "almalinux", "ol") or "rhel" in ids:
        return ("fedora" if major is None or major >= 10 else "rhel-old"), why
    if first == "ubuntu":
        return "ubuntu", why
    if first == "debian":
        if codename in ("bookworm", "trixie"):
            return f"debian-{codename}", why
        return _DEBIAN_RELEASES.get(str(major), "debian"), why
    if "suse" in first or first in ("sles", "sled") or any("suse" in i for i in ids):
        return "suse", why
    if "ubuntu" in ids:
        return "ubuntu", why
    if "debian" in ids:
        return "debian", why
    if "fedora" in ids:
        return "fedora", why
    return None, why
