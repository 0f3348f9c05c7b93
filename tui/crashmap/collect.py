"""The text bundle ``contrib/ansible/crashmap-collect.sh`` prints on a host, read as a snapshot.

Format (version 1): a line ``crashmap-collect 1``, then sections, each a header line
``@@crashmap KIND NAME`` and its body up to the next header. ``KIND`` is ``file`` (NAME is the
path read, the body its bytes plus one newline the reader strips), ``cmd`` (NAME is the command,
the body its output plus one newline), ``size`` (NAME a path, the body its size in bytes) or
``meta`` (added on the controller: NAME ``inventory_hostname``). ``@@crashmap end crashmap``
closes it; a bundle cut short before it is refused. The bundle may arrive through a terminal
(Ansible's ``script`` over SSH), so CR LF line ends are read as LF.

The Ansible playbook saves one bundle per host as
``<dest>/<inventory_hostname>/crashmap-collect.txt``; that folder, and the file itself, are
SOURCEs.
"""

from __future__ import annotations

from crashmap.errors import CrashmapError
from crashmap.snapshot import Snapshot
from crashmap.sources import COLLECT_MAGIC as MAGIC
from crashmap.sources import looks_like_collect as looks_like_collect  # re-exported
from crashmap.units import decimal

FILE_NAME = "crashmap-collect.txt"
"""The bundle's name inside a host's folder."""
HEADER = "@@crashmap "
PREFILTER = ("e820|ramdisk|crash|cma|memory|tlb|efi: mem|zone|dma|normal|movable|node|"
             "reserved|mem=|memmap=|system ram|linux version|command line|gb pages")
"""The script's ``grep -iE`` over the kernel log: a coarse superset of the lines
:func:`crashmap.bootlog.memory_lines` keeps (a test holds it to that), so the bundle stays small
and crashmap still makes the final choice."""

_KEXEC = {
    # snapshot field: (the /sys/kernel/kexec/ name since Linux 7.1, the older name)
    "kexec_crash_size": ("/sys/kernel/kexec/crash_size", "/sys/kernel/kexec_crash_size"),
    "kexec_crash_loaded": ("/sys/kernel/kexec/crash_loaded", "/sys/kernel/kexec_crash_loaded"),
    "kexec_crash_cma_ranges": ("/sys/kernel/kexec/crash_cma_ranges",
                               "/sys/kernel/kexec_crash_cma_ranges"),
}
"""kexec sysfs: ``kernel/kexec_core.c`` (7.1-rc1) moved the files under ``/sys/kernel/kexec/``
and keeps the old names as links (``compat_only_sysfs_link_entry_to_kobj``); read the new first."""


def sections(text: str, name: str) -> dict[tuple[str, str], str]:
    """``{(kind, name): body}`` of a bundle (the last section of a name wins)."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    try:
        start = next(i for i, line in enumerate(lines[:20]) if line.strip() == MAGIC)
    except StopIteration:
        raise CrashmapError(f"not a crashmap collect bundle (no '{MAGIC}' line)",
                            path=name) from None
    found: dict[tuple[str, str], str] = {}
    key: tuple[str, str] | None = None
    body: list[str] = []
    ended = False
    for line in lines[start + 1:]:
        if line.startswith(HEADER):
            if key is not None:
                found[key] = _body(body)
            kind, _, what = line[len(HEADER):].partition(" ")
            if kind == "end":
                ended = True
                key = None
                continue
            key, body = (kind, what), []
        elif key is not None:
            body.append(line)
    if key is not None:
        found[key] = _body(body)
    if not ended:
        raise CrashmapError("the collect bundle is cut short (no '@@crashmap end' line): "
                            "collect it again", path=name)
    return found


def _body(lines: list[str]) -> str:
    """A section's text: its lines joined, less the newline the script adds after the body
    (the last line's own newline is the one before the next header)."""
    return "\n".join(lines)


def _int(text: str | None) -> int | None:
    return decimal(text or "")


def snapshot_from_collect(text: str, name: str) -> Snapshot:
    """The snapshot a bundle describes; raises :class:`CrashmapError` if it has no iomem."""
    from crashmap.bootlog import memory_lines, swiotlb_size
    from crashmap.live import INITRD_FILES, KERNEL_FILES, balloon_in_modules, swiotlb_from_cmdline
    from crashmap.report_dir import mem_total

    found = sections(text, name)

    def file(path: str) -> str | None:
        return found.get(("file", path))

    def cmd(command: str) -> str | None:
        value = found.get(("cmd", command))
        return value.strip() if value is not None else None

    iomem = file("/proc/iomem")
    if not iomem or not iomem.strip():
        raise CrashmapError("the collect bundle has no /proc/iomem (was it run as root?)",
                            path=name)
    snapshot = Snapshot(iomem=iomem, source=name)
    cmdline = file("/proc/cmdline")
    if cmdline is not None:
        snapshot.cmdline = cmdline[:-1] if cmdline.endswith("\n") else cmdline
    snapshot.hostname = cmd("uname -n") or None
    snapshot.inventory_hostname = (found.get(("meta", "inventory_hostname")) or "").strip() or None
    snapshot.arch = cmd("uname -m") or None
    if snapshot.arch:
        snapshot.arch_note = "from uname -m in the collect bundle"
    release = cmd("uname -r") or None
    snapshot.kernel_release = release
    snapshot.mem_total = mem_total(file("/proc/meminfo"))
    snapshot.page_size = _int(cmd("getconf PAGESIZE"))
    snapshot.cpu_count = _int(cmd("getconf _NPROCESSORS_CONF"))
    for field, paths in _KEXEC.items():
        value = next((v for v in map(file, paths) if v is not None), None)
        if value is None:
            continue
        if field == "kexec_crash_size":
            snapshot.kexec_crash_size = _int(value)
        elif field == "kexec_crash_loaded":
            number = _int(value)
            snapshot.kexec_crash_loaded = None if number is None else number == 1
        else:
            snapshot.kexec_crash_cma_ranges = value
    zswap = file("/sys/module/zswap/parameters/enabled")
    if zswap is not None:
        snapshot.zswap_enabled = zswap.strip() in ("Y", "1")
    modules = file("/proc/modules")
    if modules is not None:
        snapshot.modules = modules
        snapshot.balloon_loaded = balloon_in_modules(modules)
    log = cmd("bootlog")
    if log:
        snapshot.boot_log = memory_lines(log) or None
    snapshot.swiotlb_size = (swiotlb_size(log) if log else None) or (
        swiotlb_from_cmdline(snapshot.cmdline) if snapshot.cmdline else None)
    if release:
        for field, patterns in (("kernel_size", KERNEL_FILES), ("initrd_size", INITRD_FILES)):
            for pattern in patterns:
                size = _int(found.get(("size", "/boot/" + pattern.format(release))))
                if size is not None:
                    setattr(snapshot, field, size)
                    break
    snapshot.taken_at = cmd("date") or None
    euid = cmd("id -u")
    snapshot.taken_by = (f"contrib/ansible/crashmap-collect.sh (euid {euid})" if euid
                         else "contrib/ansible/crashmap-collect.sh")
    return snapshot
