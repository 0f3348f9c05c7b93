"""Boot the Linux 7.3.4 oracle kernel in QEMU (TCG) and collect its serial console.

A :class:`Layout` is everything that shapes the memory map (arch, machine, RAM, initrd size and
the other kernel parameters); a boot is a layout plus the ``crashkernel=`` words. The initrd is
grown by appending a second newc archive holding one file ``/pad`` of the wanted size.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections import namedtuple
from pathlib import Path

from tests.corpus import KERNEL_ORACLE
from tests.kernel.serial import Boot, SerialError

KERNELS = {"x86_64": "bzImage-7.3.4-x86_64", "arm64": "Image-7.3.4-arm64"}
INITRAMFS = {"x86_64": "initramfs-x86_64.cpio", "arm64": "initramfs-arm64.cpio"}
QEMU = {"x86_64": "qemu-system-x86_64", "arm64": "qemu-system-aarch64"}
CONSOLE = {"x86_64": "ttyS0", "arm64": "ttyAMA0"}
BASE_PARAMS = "nokaslr panic=-1 quiet"
TIMEOUT = float(os.environ.get("CRASHMAP_QEMU_TIMEOUT", "300"))
"""Seconds one boot may take (TCG on a loaded 2-core machine can be slow)."""
DEV_CACHE = Path.home() / ".cache" / "crashmap-boots"
"""Serial outputs of earlier boots, keyed by the whole QEMU command (kernel and initrd by name
and size): used only where a developer created the folder."""
BIG_GUEST = 12 << 30
"""Above this, guest RAM is a ``reserve=off`` backend: the host need not reserve it all."""


class Layout(namedtuple("Layout", "arch ram machine params initrd_pad",
                        defaults=("", "", 0))):
    """What the memory map depends on: ``ram`` in QEMU's ``-m`` units (``4G``, ``2049M``),
    ``machine`` (q35, pc; arm64: virt), other kernel ``params`` and the ``/pad`` bytes."""

    __slots__ = ()

    @property
    def qemu_machine(self) -> str:
        return self.machine or ("virt" if self.arch == "arm64" else "q35")

    def cmdline(self, crashkernel: str = "") -> str:
        """The kernel command line of a boot of this layout."""
        words = [f"console={CONSOLE[self.arch]}", BASE_PARAMS, self.params, crashkernel]
        return " ".join(w for w in words if w)

    def describe(self) -> str:
        parts = [self.arch, self.qemu_machine, f"-m {self.ram}"]
        if self.initrd_pad:
            parts.append(f"initrd +{self.initrd_pad >> 20}M")
        if self.params:
            parts.append(self.params)
        return " ".join(parts)


def ram_bytes(ram: str) -> int:
    units = {"K": 10, "M": 20, "G": 30, "T": 40}
    if ram[-1].upper() in units:
        return int(ram[:-1]) << units[ram[-1].upper()]
    return int(ram) << 20  # QEMU: a bare number is MiB


def qemu_available(arch: str) -> str | None:
    """None when ``arch`` can be booted here, else a one-line reason to skip."""
    if shutil.which(QEMU[arch]) is None:
        return f"{QEMU[arch]} is not installed (Debian: qemu-system-x86 / qemu-system-arm)"
    for name in (KERNELS[arch], INITRAMFS[arch]):
        if not (KERNEL_ORACLE / name).is_file():
            return f"{KERNEL_ORACLE / name} is missing"
    return None


def _newc_header(name: bytes, size: int, mode: int, ino: int) -> bytes:
    fields = (ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0)
    return b"070701" + b"".join(f"{v:08X}".encode() for v in fields)


def _pad4(n: int) -> int:
    return -n % 4


def pad_archive(size: int) -> bytes:
    """A newc cpio archive holding one file ``pad`` of ``size`` zero bytes."""
    out = bytearray()
    for name, length, mode, ino in ((b"pad", size, 0o100644, 0x7000), (b"TRAILER!!!", 0, 0, 0)):
        header = _newc_header(name, length, mode, ino) + name + b"\0"
        out += header + b"\0" * _pad4(len(header))
        out += b"\0" * length + b"\0" * _pad4(length)
    out += b"\0" * (-len(out) % 512)
    return bytes(out)


_INITRD_LOCK = threading.Lock()


def initrd(arch: str, pad: int, workdir: Path) -> Path:
    """The oracle initramfs, with a ``/pad`` archive appended when ``pad`` > 0 (made once)."""
    base = KERNEL_ORACLE / INITRAMFS[arch]
    if not pad:
        return base
    path = workdir / f"initrd-{arch}-{pad}.cpio"
    with _INITRD_LOCK:
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=workdir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(base.read_bytes())
                handle.write(pad_archive(pad))
            os.replace(tmp, path)
    return path


def command(layout: Layout, crashkernel: str, initrd_path: Path) -> list[str]:
    arch, machine = layout.arch, layout.qemu_machine
    memory = ["-m", layout.ram]
    machine_opts = f"{machine},accel=tcg"
    if ram_bytes(layout.ram) > BIG_GUEST:
        memory += ["-object", f"memory-backend-ram,id=ram0,size={layout.ram},reserve=off"]
        machine_opts += ",memory-backend=ram0"
    cpu = ["-cpu", "max"] if arch == "x86_64" else ["-cpu", "cortex-a57"]
    return [
        QEMU[arch], "-machine", machine_opts, *cpu, "-smp", "1", *memory,
        "-nographic", "-no-reboot", "-monitor", "none", "-net", "none",
        "-kernel", str(KERNEL_ORACLE / KERNELS[arch]), "-initrd", str(initrd_path),
        "-append", layout.cmdline(crashkernel),
    ]


def cache_dir() -> Path | None:
    """``$CRASHMAP_BOOT_CACHE`` (``off``: boot every time, as ``.ci/run`` does), else
    :data:`DEV_CACHE` where a developer created it (shared by every checkout on the machine)."""
    value = os.environ.get("CRASHMAP_BOOT_CACHE")
    if value is not None:
        return None if value in ("", "off", "0") else Path(value)
    return DEV_CACHE if DEV_CACHE.is_dir() else None


def _cache_key(cmd: list[str]) -> str:
    """The command line with its files by name and size: a boot is a function of these (TCG,
    one CPU, no clock-dependent placement; a new QEMU wants an empty cache)."""
    digest = hashlib.sha256()
    for part in cmd:
        path = Path(part)
        if part.startswith("/") and path.is_file():
            digest.update(f"{path.name}:{path.stat().st_size}".encode())
        else:
            digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def boot(layout: Layout, crashkernel: str, workdir: Path) -> Boot:
    """Boot once and parse the serial console. Raw serial outputs are kept between runs in
    ``$CRASHMAP_BOOT_CACHE``, or in :data:`DEV_CACHE` when that folder exists (a developer opts
    in by creating it; a fresh machine, and so CI, boots every time)."""
    cmd = command(layout, crashkernel, initrd(layout.arch, layout.initrd_pad, workdir))
    cache = cache_dir()
    cached = cache / f"{_cache_key(cmd)}.txt" if cache else None
    if cached is not None and cached.is_file():
        return Boot.parse(cached.read_text(encoding="utf-8", errors="replace"))
    try:
        run = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise SerialError(f"QEMU did not power off within {TIMEOUT:.0f} s: "
                          f"{layout.describe()} {crashkernel}") from error
    raw = run.stdout.decode("utf-8", errors="replace")
    try:
        result = Boot.parse(raw)
    except SerialError as error:
        tail = run.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:]
        raise SerialError(f"{error} [{layout.describe()} {crashkernel}] "
                          f"{' '.join(tail)}") from None
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(raw)
        os.replace(tmp, cached)
    return result
