"""SOURCE as an extracted sosreport (``proc/iomem``...) or supportconfig (``*.txt`` sections)
directory, or a host's folder from ``contrib/ansible/collect.yml``.

Split from :mod:`crashmap.sources`, which imports it when SOURCE is a folder (and re-exports its
names): a bundled map or a snapshot file needs none of it.
"""

from __future__ import annotations

import re

from crashmap.errors import CrashmapError
from crashmap.files import read_capped
from crashmap.iomem import read_text
from crashmap.sources import load_file, snapshot_from_iomem
from crashmap.units import decimal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

    from crashmap.snapshot import Snapshot

_SOS_FILES = {
    "iomem": ("proc/iomem",),
    "cmdline": ("proc/cmdline",),
    "meminfo": ("proc/meminfo",),
    "modules": ("proc/modules", "sos_commands/kernel/lsmod"),
    "uname": ("uname", "sos_commands/kernel/uname_-a", "sos_commands/general/uname_-a"),
    "hostname": ("hostname", "etc/hostname", "sos_commands/general/hostname"),
    "dmesg": ("sos_commands/kernel/dmesg", "var/log/dmesg",
              "sos_commands/logs/journalctl_--no-pager_--catalog_--boot", "dmesg"),
    "kexec_crash_size": ("sys/kernel/kexec/crash_size", "sys/kernel/kexec_crash_size"),
    "kexec_crash_loaded": ("sys/kernel/kexec/crash_loaded", "sys/kernel/kexec_crash_loaded"),
    "kexec_crash_cma_ranges": ("sys/kernel/kexec/crash_cma_ranges",
                               "sys/kernel/kexec_crash_cma_ranges"),
    "kexec_loaded": ("sys/kernel/kexec/loaded", "sys/kernel/kexec_loaded"),
    "kexec_crash_elfcorehdr_size": ("sys/kernel/kexec/crash_elfcorehdr_size",
                                    "sys/kernel/crash_elfcorehdr_size"),
    "sysconfig_kdump": ("etc/sysconfig/kdump",),
    "default_kdump_tools": ("etc/default/kdump-tools",),
    "zswap": ("sys/module/zswap/parameters/enabled",),
    "kdumpctl_estimate": ("sos_commands/kdump/kdumpctl_estimate",),
}

_SECTION = re.compile(r"^#==\[ [^\]]* \]=*#\s*$")


def load_report_dir(path: Path) -> Snapshot:
    """An extracted sosreport (``proc/iomem``...) or supportconfig (``*.txt`` sections)."""
    from crashmap.archguess import arch_from_text
    from crashmap.bootlog import memory_lines
    from crashmap.collect import FILE_NAME

    bundle = path / FILE_NAME
    if bundle.is_file():
        snapshot = load_file(bundle)
        snapshot.source = str(path)
        snapshot.inventory_hostname = snapshot.inventory_hostname or path.name
        return snapshot
    found = _sos_files(path)
    if "iomem" not in found:
        found = _supportconfig_files(path)
    if "iomem" not in found:
        raise CrashmapError(
            "no proc/iomem in this directory (expected an extracted sosreport or supportconfig, "
            "or a host folder of contrib/ansible/collect.yml)",
            path=str(path),
        )
    iomem_path = str(path / "proc/iomem") if (path / "proc/iomem").exists() else str(path)
    snapshot = snapshot_from_iomem(found["iomem"], iomem_path)
    snapshot.source = str(path)
    snapshot.taken_by = f"extracted report directory {path}"
    snapshot.cmdline = found.get("cmdline", "").rstrip("\n") or None
    uname = found.get("uname", "").split()
    if len(uname) >= 3:
        snapshot.kernel_release = uname[2]
        machine = next((w for w in reversed(uname[:-1]) if arch_from_text(w)), None)
        if machine:
            snapshot.arch = machine
            snapshot.arch_note = "from uname in the report"
    snapshot.hostname = found.get("hostname", "").strip() or (uname[1] if len(uname) > 1 else None)
    snapshot.mem_total = mem_total(found.get("meminfo"))
    snapshot.modules = found.get("modules")
    if found.get("dmesg"):
        snapshot.boot_log = memory_lines(found["dmesg"]) or None
    for key in ("kexec_crash_size", "kexec_crash_loaded", "kexec_loaded",
                "kexec_crash_elfcorehdr_size"):
        value = decimal(found.get(key, ""))
        if value is not None:
            setattr(snapshot, key, value == 1 if key.endswith("loaded") else value)
    snapshot.kexec_crash_cma_ranges = found.get("kexec_crash_cma_ranges")
    _report_kernel_config(path, snapshot)
    from crashmap.kernel.loader import kexec_loader

    snapshot.kexec_loader, snapshot.kexec_loader_source = kexec_loader(
        {f"/{relative}": found[key] for key, relative in (
            ("sysconfig_kdump", "etc/sysconfig/kdump"),
            ("default_kdump_tools", "etc/default/kdump-tools")) if key in found})
    if "zswap" in found:
        snapshot.zswap_enabled = found["zswap"].strip() in ("Y", "1")
    snapshot.kdumpctl_estimate = found.get("kdumpctl_estimate")
    snapshot.kdumptool_calibrate = found.get("kdumptool_calibrate")
    return snapshot


def mem_total(meminfo: str | None) -> int | None:
    """Bytes of ``MemTotal`` in /proc/meminfo text (which counts kB), or None."""
    from crashmap.estimate.inputs import parse_meminfo

    kib = parse_meminfo(meminfo or "").get("MemTotal")
    return kib * 1024 if kib is not None else None


def _report_kernel_config(path: Path, snapshot: Snapshot) -> None:
    """The kdump-related config lines from the report's proc/config.gz or boot/config-*."""
    from crashmap.kernel.config import relevant_lines

    release = snapshot.kernel_release
    candidates = [path / "proc/config.gz"]
    if release:
        candidates.append(path / "boot" / f"config-{release}")
    for candidate in candidates:
        try:
            if not candidate.is_file():  # a garbage release can make the name too long
                continue
            data = read_capped(candidate)
            if candidate.suffix == ".gz":
                import gzip

                data = gzip.decompress(data)
        except (CrashmapError, OSError, EOFError):
            continue
        lines = relevant_lines(read_text(data, str(candidate)))
        if lines:
            snapshot.kernel_config = lines
            snapshot.kernel_config_source = f"{candidate.relative_to(path)} in the report"
            return


def _sos_files(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, candidates in _SOS_FILES.items():
        for relative in candidates:
            candidate = path / relative
            if candidate.is_file():
                found[key] = read_text(read_capped(candidate), str(candidate))
                break
    return found


def _supportconfig_files(path: Path) -> dict[str, str]:
    """Sections of supportconfig's ``*.txt`` files, keyed like the sosreport files."""
    wanted = {
        "/proc/iomem": "iomem", "/proc/cmdline": "cmdline", "/proc/meminfo": "meminfo",
        "/proc/modules": "modules", "uname -a": "uname", "/bin/hostname": "hostname",
        "dmesg": "dmesg", "/sys/kernel/kexec_crash_size": "kexec_crash_size",
        "/sys/kernel/kexec_crash_loaded": "kexec_crash_loaded",
        "kdumptool calibrate": "kdumptool_calibrate",
    }
    found: dict[str, str] = {}
    for txt in sorted(path.glob("*.txt")):
        for command, content in supportconfig_sections(read_text(read_capped(txt), str(txt))):
            for needle, key in wanted.items():
                matches = command.endswith(needle) or (key == "dmesg" and "dmesg" in command)
                empty_ok = key == "kdumptool_calibrate"  # its failure prints nothing
                if key not in found and matches and (content.strip() or empty_ok):
                    found[key] = content + "\n"
    return found


def supportconfig_sections(text: str) -> list[tuple[str, str]]:
    """``(command, content)`` of each ``#==[ Kind ]===#`` / ``# COMMAND`` section of one
    supportconfig file (``# /proc/foo - File not found`` gives the command ``/proc/foo``)."""
    lines = text.splitlines()
    sections: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        if _SECTION.match(lines[i]) and i + 1 < len(lines) and lines[i + 1].startswith("# "):
            title = lines[i + 1][2:].strip()
            body: list[str] = []
            j = i + 2
            while j < len(lines) and not _SECTION.match(lines[j]):
                body.append(lines[j])
                j += 1
            sections.append((title.split(" - ")[0], "\n".join(body).strip("\n")))
            i = j
        else:
            i += 1
    return sections


SUPPORTCONFIG_FILES = ("basic-environment.txt", "memory.txt")


def is_host_dir(path: Path) -> bool:
    """A folder that holds one host: a collect bundle, a sosreport or a supportconfig."""
    from crashmap.collect import FILE_NAME

    return ((path / FILE_NAME).is_file() or (path / "proc" / "iomem").is_file()
            or any((path / name).is_file() for name in SUPPORTCONFIG_FILES))
