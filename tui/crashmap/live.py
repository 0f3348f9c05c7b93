"""Read the running machine into a :class:`~crashmap.snapshot.Snapshot`. Read only: never writes.

Every fact is optional: a file that cannot be read leaves its field unknown (None).
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
from pathlib import Path

from crashmap import __version__
from crashmap.bootlog import memory_lines, swiotlb_size
from crashmap.errors import CrashmapError
from crashmap.snapshot import Snapshot
from crashmap.units import U64_MAX, decimal

ROOT = Path(os.environ.get("CRASHMAP_ROOT", "/"))
"""Filesystem root to read from; tests point it at a fake tree."""

BALLOON_MODULES = ("virtio_balloon", "hv_balloon", "xen_balloon", "vmw_balloon", "balloon")
KERNEL_FILES = ("vmlinuz-{}", "vmlinux-{}", "Image-{}", "image-{}")
"""The running kernel's image under /boot, ``{}`` being ``uname -r``: the first that exists."""
INITRD_FILES = ("initrd.img-{}", "initramfs-{}.img", "initrd-{}", "initramfs-{}")
"""Its initrd, likewise."""


def _read(relative: str, limit: int = 16 << 20) -> str | None:
    try:
        with open(ROOT / relative, "rb") as handle:
            return handle.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return None


def _read_int(relative: str) -> int | None:
    text = _read(relative)
    return decimal(text) if text is not None else None


def read_cmdline() -> str | None:
    """/proc/cmdline as the kernel sees it: the trailing newline removed (spec §6.5)."""
    text = _read("proc/cmdline")
    return text[:-1] if text is not None and text.endswith("\n") else text


def read_kmsg(limit: int = 20000) -> str | None:
    """The kernel log from /dev/kmsg (non-blocking), message text only."""
    path = ROOT / "dev/kmsg"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    lines: list[str] = []
    try:
        while len(lines) < limit:
            try:
                record = os.read(fd, 8192)
            except BlockingIOError:
                break
            except OSError:
                continue  # EPIPE: a record was overwritten while reading
            if not record:
                break
            _, _, message = record.decode("utf-8", errors="replace").partition(";")
            lines.append(message.split("\n", 1)[0])
    finally:
        os.close(fd)
    return "\n".join(lines) if lines else None


def _boot_file(release: str, names: tuple[str, ...]) -> int | None:
    for pattern in names:
        try:
            return (ROOT / "boot" / pattern.format(release)).stat().st_size
        except OSError:
            continue
    return None


def balloon_in_modules(modules: str) -> bool:
    """A memory balloon driver is among the loaded modules (/proc/modules text)."""
    names = {line.split(" ", 1)[0] for line in modules.splitlines()}
    return any(m in names for m in BALLOON_MODULES)


def swiotlb_from_cmdline(cmdline: str) -> int | None:
    match = re.search(r"(?:^| )swiotlb=([0-9]+)", cmdline)
    slabs = decimal(match.group(1), U64_MAX // 2048) if match else None
    return slabs * 2048 if slabs is not None else None  # IO_TLB_SIZE slabs of 2 KiB


KEXEC_FILES = {
    "loaded": "kexec_loaded", "crash_loaded": "kexec_crash_loaded",
    "crash_size": "kexec_crash_size", "crash_cma_ranges": "kexec_crash_cma_ranges",
    "crash_elfcorehdr_size": "crash_elfcorehdr_size",
}
"""/sys/kernel/kexec/NAME and its old /sys/kernel name (kernel/kexec_core.c ``kexec_links[]``
keeps the old names as links; the new directory came with Sourabh Jain's series, by 7.1)."""


def kexec_path(name: str) -> str:
    """The kexec sysfs file ``name``: /sys/kernel/kexec/ first, then the old name."""
    new = f"sys/kernel/kexec/{name}"
    if (ROOT / new).exists():
        return new
    return f"sys/kernel/{KEXEC_FILES[name]}"


def read_kernel_config(release: str) -> tuple[str | None, str | None]:
    """The kdump-related lines of the running kernel's config and where they came from:
    /proc/config.gz (CONFIG_IKCONFIG_PROC), else /boot/config-RELEASE."""
    from crashmap.kernel.config import relevant_lines

    try:
        import gzip

        with open(ROOT / "proc/config.gz", "rb") as handle:
            text = gzip.decompress(handle.read(4 << 20)).decode("utf-8", errors="replace")
        return relevant_lines(text) or None, "/proc/config.gz"
    except (OSError, EOFError, ValueError):
        pass
    text = _read(f"boot/config-{release}") if release and len(release) < 200 else None
    if text is None:
        return None, None
    return relevant_lines(text) or None, f"/boot/config-{release}"


def read_kexec_loader() -> tuple[str | None, str | None]:
    """How the kdump service loads the capture kernel (crashmap.kernel.loader)."""
    from crashmap.kernel.loader import CONFIG_FILES, kexec_loader

    files = {}
    for relative in CONFIG_FILES:
        text = _read(relative, 1 << 20)
        if text is not None:
            files[f"/{relative}"] = text
    return kexec_loader(files)


def capture() -> Snapshot:
    """Snapshot the running machine. Raises CrashmapError if /proc/iomem cannot be read."""
    iomem = _read("proc/iomem")
    if iomem is None:
        raise CrashmapError("cannot read /proc/iomem on this machine", path="live")
    release = platform.release()
    cmdline = read_cmdline()
    log = read_kmsg()
    modules = _read("proc/modules")
    try:
        import psutil

        mem_total: int | None = int(psutil.virtual_memory().total)
        cpus = psutil.cpu_count()
    except Exception:  # psutil can fail in odd containers; the fields stay unknown
        mem_total, cpus = None, os.cpu_count()
    zswap = _read("sys/module/zswap/parameters/enabled")
    loaded = _read_int(kexec_path("crash_loaded"))
    kexec_loaded = _read_int(kexec_path("loaded"))
    config, config_source = read_kernel_config(release)
    loader, loader_source = read_kexec_loader()
    balloon = None
    if modules is not None:
        balloon = balloon_in_modules(modules) or (
            ROOT / "sys/bus/virtio/drivers/virtio_balloon").exists()
    swiotlb = (swiotlb_size(log) if log else None) or (
        swiotlb_from_cmdline(cmdline) if cmdline else None
    )
    return Snapshot(
        iomem=iomem,
        source="live",
        hostname=platform.node() or None,
        arch=platform.machine() or None,
        kernel_release=release or None,
        cmdline=cmdline,
        mem_total=mem_total,
        page_size=os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else None,
        cpu_count=cpus,
        kexec_crash_size=_read_int(kexec_path("crash_size")),
        kexec_crash_loaded=None if loaded is None else bool(loaded),
        kexec_crash_cma_ranges=_read(kexec_path("crash_cma_ranges")),
        kexec_loaded=None if kexec_loaded is None else bool(kexec_loaded),
        kexec_crash_elfcorehdr_size=_read_int(kexec_path("crash_elfcorehdr_size")),
        kernel_config=config,
        kernel_config_source=config_source,
        kexec_loader=loader,
        kexec_loader_source=loader_source,
        zswap_enabled=None if zswap is None else zswap.strip() in ("Y", "1"),
        balloon_loaded=balloon,
        swiotlb_size=swiotlb,
        boot_log=memory_lines(log) if log else None,
        kernel_size=_boot_file(release, KERNEL_FILES),
        initrd_size=_boot_file(release, INITRD_FILES),
        modules=modules,
        taken_at=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        taken_by=f"crashmap {__version__} snapshot of the live machine (euid {os.geteuid()})",
    )
