"""What the sizing models read about a machine, each fact with where it came from.

Facts come from a :class:`~crashmap.snapshot.Snapshot` (any SOURCE) and, for the live machine,
from a few more read-only files (the kdump initrd, Debian's boot-time meminfo, SUSE's
``calibrate.conf``, ``/etc/os-release``, LUKS devices). Every fact can be overridden. A fact that
is not known stays None; the models then say which one they need instead of guessing.

Sizes are bytes. No Textual, rich or dataclasses here (start-up time of the headless command).
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path

from crashmap.arch import get_arch, normalize_arch
from crashmap.kernel.fadump import SUPPORTED_ARCHES as FADUMP_ARCHES
from crashmap.units import U64_MAX, KiB, MiB, decimal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.snapshot import Snapshot

_FIELDS = (
    "arch", "ram", "ram_end", "page_size", "cpus", "capture_cpus", "kernel_release", "kernel_image",
    "kernel_file", "initrd", "initrd_unpacked", "modules", "luks", "luks_memory", "network",
    "boot_meminfo", "distro", "calibrate", "sme_sev", "mlx5", "smmu", "dump_mode", "fadump",
    "sources",
)

FIELD_HELP = {
    "arch": "architecture (canonical crashmap name)",
    "ram": "the kernel's system_ram: sum of System RAM in /proc/iomem",
    "ram_end": "one past the highest System RAM address",
    "page_size": "base page size of the kernel",
    "cpus": "CPUs of the running machine (online + offline)",
    "capture_cpus": "CPUs the capture kernel brings up (nr_cpus=); None: each tool's default",
    "kernel_release": "uname -r of the kernel the capture kernel will be",
    "kernel_image": "loaded kernel size: Kernel code + rodata + data + bss",
    "kernel_file": "size of the kernel file under /boot (vmlinuz: compressed)",
    "initrd": "size of the (kdump) initrd file",
    "initrd_unpacked": "size of the initrd once unpacked",
    "modules": "/proc/modules: (name, static size) of each loaded module",
    "luks": "the dump target is on a LUKS device",
    "luks_memory": "memory its LUKS2 keyslot needs (cryptsetup luksDump: Memory)",
    "network": "the dump goes to a network target (NFS, SSH)",
    "boot_meminfo": "/proc/meminfo taken early at boot (kB values), for Debian's estimator",
    "distro": "the distribution (picks the default table)",
    "calibrate": "SUSE calibrate.conf constants (KiB unless noted)",
    "sme_sev": "AMD SME/SEV memory encryption is active",
    "mlx5": "an mlx5_core (Mellanox ConnectX) driver is bound",
    "smmu": "an arm-smmu platform device exists",
    "dump_mode": "kdump or fadump (ppc64le: fadump=on|nocma picks kdump-utils' fadump table)",
    "fadump": "the fadump= value that turns fadump on: on or nocma (None: off)",
}


class Inputs(namedtuple("Inputs", _FIELDS, defaults=(None,) * (len(_FIELDS) - 1))):
    """The facts the models read. None means "not known"; ``sources`` says where each came from.

    ``modules`` is a tuple of ``(name, bytes)``; ``boot_meminfo`` a dict of /proc/meminfo keys
    to kB values; ``calibrate`` a dict of calibrate.conf keys to integers. A named tuple (not a
    dataclass): it is built on the headless command's start-up path.
    """

    __slots__ = ()

    def source(self, field: str) -> str:
        return (self.sources or {}).get(field, "unknown" if getattr(self, field) is None
                                        else "given")

    def given(self, **changes: Any) -> Inputs:
        """A copy with ``changes`` applied; their source becomes ``note`` or "given"."""
        note = changes.pop("_note", "given")
        sources = dict(self.sources or {})
        for key in changes:
            if key not in _FIELDS:
                raise TypeError(f"Inputs has no field {key!r}")
            sources[key] = note
        return self._replace(sources=sources, **changes)

    @property
    def modules_size(self) -> int | None:
        if self.modules is None:
            return None
        return sum(size for _, size in self.modules)

    @property
    def page_size_or_usual(self) -> int:
        """The page size, or the arch's usual one (named as an assumption by the callers)."""
        return self.page_size or get_arch(self.arch).page_size

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in _FIELDS[:-1]:
            value = getattr(self, field)
            if field == "modules" and value is not None:
                value = {"count": len(value), "bytes": self.modules_size,
                         "large": {n: s for n, s in value if s >= MiB}}
            data[field] = {"value": value, "source": self.source(field)}
        return data


# --- parsers (pure) ----------------------------------------------------------------------------


def parse_modules(text: str) -> tuple[tuple[str, int], ...]:
    """``/proc/modules`` lines ``name size refcount deps state address`` → (name, size)."""
    found = []
    for line in text.splitlines():
        parts = line.split()
        size = decimal(parts[1]) if len(parts) >= 2 else None
        if size is not None:
            found.append((parts[0], size))
    return tuple(found)


def parse_meminfo(text: str) -> dict[str, int]:
    """``/proc/meminfo`` → key → kB value (the unit the file uses)."""
    found: dict[str, int] = {}
    for line in text.splitlines():
        key, sep, rest = line.partition(":")
        value = rest.split()
        number = decimal(value[0], U64_MAX >> 10) if sep and value else None  # kB: bytes fit
        if number is not None:
            found[key.strip()] = number
    return found


def parse_os_release(text: str) -> dict[str, str]:
    """``/etc/os-release`` KEY=value lines (quotes removed)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            found[key] = value.strip().strip("\"'")
    return found


_CONF_LINE = re.compile(
    r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=[\"']?(-?)([0-9]+)[\"']?\s*(?:#.*)?$")


def parse_calibrate_conf(text: str) -> dict[str, int]:
    """SUSE ``/usr/lib/kdump/calibrate.conf``: shell ``KEY=NUMBER`` lines (anchors.md §2a)."""
    found: dict[str, int] = {}
    for line in text.splitlines():
        match = _CONF_LINE.match(line)
        number = decimal(match.group(3)) if match else None
        if number is not None:
            found[match.group(1)] = -number if match.group(2) else number
    return found


def kernel_image_from_map(snapshot: Snapshot) -> int | None:
    """Sum of ``Kernel code/rodata/data/bss`` in /proc/iomem: kdumpctl's fallback for the kernel
    size (anchors.md §1 ``estimate``); None when the map hides addresses or has no such lines."""
    if snapshot.hidden:
        return None
    total = sum(b.end - b.start for b in snapshot.memmap.kernel_image)
    return total or None


_MEM_ENCRYPTION = re.compile(r"Memory Encryption Features active: AMD (SME|SEV)")


def sme_sev_from_log(log: str | None) -> bool | None:
    """kdump-utils greps the boot log for ``Memory Encryption Features active: AMD (SME|SEV)``
    (anchors.md §1). True when found; None when there is no log or it lacks the line (the
    snapshot keeps memory lines only, so absence proves nothing)."""
    if log and _MEM_ENCRYPTION.search(log):
        return True
    return None


def dump_mode_from_cmdline(cmdline: str) -> tuple[str, str]:
    """``kdump`` or ``fadump`` as kdumpctl decides it for a boot entry: the kernel's fadump state
    after the line (``early_fadump_param()``, last understood value wins), then kdumpctl
    ``get_dump_mode_by_fadump_val`` (on, nocma → fadump; off, none → kdump)."""
    from crashmap.kernel.fadump import dump_mode, fadump_mode

    state = fadump_mode(cmdline)
    mode = dump_mode(state)
    if state == "off":
        return mode, ("fadump=off on the command line" if "fadump=" in cmdline
                      else "no fadump= on the command line")
    return mode, f"fadump={state} on the command line"


# --- from a snapshot ---------------------------------------------------------------------------


def from_snapshot(snapshot: Snapshot, arch: str | None = None) -> Inputs:
    """The facts a snapshot knows (no file is read)."""
    name = normalize_arch(arch or snapshot.arch or "x86_64")
    sources: dict[str, str] = {"arch": "given" if arch else (snapshot.arch_note or "snapshot")}
    values: dict[str, Any] = {"arch": name}

    def put(field: str, value: Any, source: str) -> None:
        if value is not None:
            values[field] = value
            sources[field] = source

    ram = snapshot.system_ram
    ram_source = ("MemTotal (System RAM hidden in this map)" if snapshot.hidden
                  else "sum of System RAM in /proc/iomem")
    put("ram", ram, ram_source)
    if not snapshot.hidden and snapshot.memmap.end_of_ram:
        put("ram_end", snapshot.memmap.end_of_ram, "end of the highest System RAM range")
    release = snapshot.kernel_release
    put("kernel_release", release, "snapshot")
    page = snapshot.page_size
    if page:
        put("page_size", page, "snapshot")
    elif release and "+64k" in release:
        put("page_size", 64 * KiB, "kernel release ends in +64k")
    put("cpus", snapshot.cpu_count, "snapshot")
    put("kernel_image", kernel_image_from_map(snapshot),
        "sum of Kernel code/rodata/data/bss in /proc/iomem")
    put("kernel_file", snapshot.kernel_size, "kernel file under /boot (snapshot)")
    put("initrd", snapshot.initrd_size, "initrd under /boot (snapshot; the kdump initrd is "
                                        "usually smaller)")
    if snapshot.modules is not None:
        put("modules", parse_modules(snapshot.modules), "/proc/modules (snapshot)")
        names = {n for n, _ in values["modules"]}
        put("mlx5", "mlx5_core" in names, "/proc/modules (snapshot)")
    put("sme_sev", sme_sev_from_log(snapshot.boot_log), "boot log")
    if not snapshot.hidden and name == "arm64":
        smmu = any("smmu" in r.name.lower() for r in snapshot.parsed.walk())
        if smmu:
            put("smmu", True, "an SMMU resource in /proc/iomem")
    if name in FADUMP_ARCHES and snapshot.cmdline is not None:
        mode, why = dump_mode_from_cmdline(snapshot.cmdline)
        put("dump_mode", mode, why)
        if mode == "fadump":
            from crashmap.kernel.fadump import fadump_mode

            put("fadump", fadump_mode(snapshot.cmdline), why)
    from crashmap.estimate.tables import distro_from_release

    distro, why = distro_from_release(release)
    put("distro", distro, why)
    return Inputs(sources=sources, **values)


# --- the live machine (read only) ----------------------------------------------------------------


def _root() -> Path:
    return Path(os.environ.get("CRASHMAP_ROOT", "/"))


def _read(root: Path, relative: str, limit: int = 1 << 20) -> str | None:
    try:
        with open(root / relative, "rb") as handle:
            return handle.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return None


def _size(root: Path, relative: str) -> int | None:
    try:
        return (root / relative).stat().st_size
    except OSError:
        return None


def luks_devices(root: Path) -> list[str]:
    """LUKS devices visible without privileges: ``/sys/block/dm-*/dm/uuid`` starting with
    ``CRYPT-LUKS`` and the entries of ``/etc/crypttab``."""
    found: list[str] = []
    try:
        blocks = sorted((root / "sys/block").glob("dm-*"))
    except OSError:
        blocks = []
    for block in blocks:
        uuid = _read(root, str((block / "dm/uuid").relative_to(root)))
        if uuid and uuid.startswith("CRYPT-LUKS"):
            found.append(block.name)
    crypttab = _read(root, "etc/crypttab") or ""
    for line in crypttab.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            found.append(f"crypttab:{fields[0]}")
    return found


def live_extras(inputs: Inputs, root: Path | None = None) -> Inputs:
    """Add what only the live machine tells: the kdump initrd, Debian's boot-time meminfo and
    unpacked initrd size, SUSE's calibrate.conf, the distribution, LUKS devices. Read only."""
    root = root or _root()
    release = inputs.kernel_release or ""
    changes: dict[str, Any] = {}
    sources = dict(inputs.sources or {})

    def put(field: str, value: Any, source: str) -> None:
        if value is not None:
            changes[field] = value
            sources[field] = source

    if release:
        for relative, what in (
            (f"boot/initramfs-{release}kdump.img", "Fedora/RHEL kdump initramfs"),
            (f"var/lib/kdump/initrd.img-{release}", "Debian/Ubuntu kdump initrd"),
            (f"boot/initrd-{release}-kdump", "SUSE kdump initrd"),
        ):
            size = _size(root, relative)
            if size:
                put("initrd", size, f"/{relative} ({what})")
                break
        unpacked = decimal(_read(root, f"var/lib/kdump/size_initrd.img-{release}") or "",
                           U64_MAX >> 20)
        if unpacked is not None:
            # kdump-tools' initramfs hook stores `du -sm` of the unpacked initrd (MiB).
            put("initrd_unpacked", unpacked * MiB,
                f"/var/lib/kdump/size_initrd.img-{release} (du -sm)")
        meminfo = _read(root, f"var/lib/kdump/mem-{release}")
        if meminfo:
            put("boot_meminfo", parse_meminfo(meminfo),
                f"/var/lib/kdump/mem-{release} (kdump_mem_estimator, before basic.target)")
    conf = _read(root, "usr/lib/kdump/calibrate.conf")
    if conf:
        values = parse_calibrate_conf(conf)
        if values:
            put("calibrate", values, "/usr/lib/kdump/calibrate.conf")
    os_release = _read(root, "etc/os-release") or _read(root, "usr/lib/os-release")
    if os_release:
        from crashmap.estimate.tables import distro_from_os_release

        distro, why = distro_from_os_release(parse_os_release(os_release))
        put("distro", distro, why)
    luks = luks_devices(root)
    if luks:
        put("luks", True, "LUKS devices: " + ", ".join(luks[:4]))
    return inputs._replace(sources=sources, **changes)


def gather(snapshot: Snapshot, arch: str | None = None, *, live: bool | None = None,
           root: Path | None = None) -> Inputs:
    """The inputs for ``snapshot``; the live extras are read when it was captured live."""
    inputs = from_snapshot(snapshot, arch)
    if live if live is not None else snapshot.source == "live":
        inputs = live_extras(inputs, root)
    return inputs
