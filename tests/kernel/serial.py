"""Read an oracle boot's serial console back: the marked blocks, and a crashmap Snapshot of it.

The oracle initramfs (``tests/data/kernel-oracle/init.sh``) prints ``===KO:NAME:BEGIN===`` …
``===KO:END===`` blocks and ``===KO:DONE===``. This module is pure (no QEMU): the parsing tests
run it on committed captures in ``tests/data/kernel-boots/``.
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.bootlog import memory_lines, swiotlb_size
from crashmap.live import swiotlb_from_cmdline
from crashmap.memmap import Range
from crashmap.snapshot import Snapshot

BLOCKS = ("CMDLINE", "IOMEM", "CRASH_SIZE", "CMA_RANGES", "KEXEC_DIR", "MEMINFO", "INITRD_PAD",
          "DMESG")
_BEGIN = re.compile(r"===KO:([A-Z_]+):BEGIN===")
_END = "===KO:END==="
_DONE = "===KO:DONE==="
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z]|[A-Za-z])")
_STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")
_RELEASE = re.compile(r"Linux version (\S+)")
MACHINE = {"x86_64": "x86_64", "arm64": "aarch64"}
"""``platform.machine()`` of each guest, as a live capture records it."""


class SerialError(ValueError):
    """The serial output is not a complete oracle boot."""


def clean(raw: str) -> str:
    """CR LF → LF, the firmware's escape sequences removed."""
    return _ESCAPE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))


def blocks(raw: str) -> dict[str, list[str]]:
    """The marked blocks of one boot's serial output: block name → its lines.

    Kernel console lines (``[    1.234] …``) that interrupt a block other than DMESG are dropped.
    Raises :class:`SerialError` when the boot did not reach ``===KO:DONE===``.
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    name = ""
    done = False
    for line in clean(raw).split("\n"):
        begin = _BEGIN.search(line)
        if begin:
            name, current = begin.group(1), []
            found[name] = current
            continue
        if line.strip() == _END:
            current = None
            continue
        if line.strip() == _DONE:
            done = True
            break
        if current is not None:
            if name != "DMESG" and _STAMP.match(line):
                continue
            current.append(line)
    if not done:
        raise SerialError("the boot did not reach ===KO:DONE=== (kernel panic or timeout?)")
    missing = [b for b in BLOCKS if b not in found]
    if missing:
        raise SerialError(f"blocks missing from the serial output: {', '.join(missing)}")
    return found


def kernel_log(lines: list[str]) -> str:
    """The DMESG block as ``/dev/kmsg`` gives it to a live capture: message text, no stamps."""
    return "\n".join(_STAMP.sub("", line) for line in lines)


class Boot(namedtuple("Boot", "raw blocks")):
    """One finished oracle boot: its raw serial text and its marked blocks."""

    __slots__ = ()

    @classmethod
    def parse(cls, raw: str) -> Boot:
        return cls(raw, blocks(raw))

    def text(self, name: str) -> str:
        return "\n".join(self.blocks[name])

    @property
    def dmesg(self) -> str:
        return kernel_log(self.blocks["DMESG"])

    @property
    def cmdline(self) -> str:
        return self.text("CMDLINE").strip("\n")

    @property
    def iomem(self) -> str:
        """/proc/iomem as ``cat`` printed it, one ``\\n`` per line."""
        lines = self.blocks["IOMEM"]
        return "".join(line + "\n" for line in lines)

    @property
    def cma_text(self) -> str | None:
        """``kexec_crash_cma_ranges`` as read from sysfs; None when the file is absent."""
        lines = [line for line in self.blocks["CMA_RANGES"] if line.strip()]
        if lines == ["ABSENT"]:
            return None
        return "".join(line.strip() + "\n" for line in lines)

    @property
    def crash_size(self) -> int | None:
        text = self.text("CRASH_SIZE").strip()
        return int(text) if text.isdigit() else None

    @property
    def meminfo(self) -> dict[str, int]:
        """MemTotal, MemFree, CmaTotal, CmaFree in bytes."""
        values = {}
        for line in self.blocks["MEMINFO"]:
            key, _, rest = line.partition(":")
            number = rest.split()
            if number and number[0].isdigit():
                values[key.strip()] = int(number[0]) * 1024
        return values

    @property
    def kexec_dir(self) -> dict[str, str]:
        """``/sys/kernel/kexec/NAME`` → its content (whitespace-trimmed)."""
        values = {}
        for line in self.blocks["KEXEC_DIR"]:
            path, sep, value = line.partition(": ")
            if sep:
                values[path.rsplit("/", 1)[-1]] = value.strip()
        return values

    @property
    def release(self) -> str | None:
        match = _RELEASE.search(self.text("DMESG"))
        return match.group(1) if match else None

    def snapshot(self, arch: str, *, boot_log: bool = True, source: str = "qemu") -> Snapshot:
        """The Snapshot a live capture on this guest would take (``boot_log=False``: without
        the kernel log, as on a machine whose log has rotated away)."""
        log = self.dmesg if boot_log else ""
        loaded = self.kexec_dir.get("crash_loaded")
        swiotlb = swiotlb_size(log) or swiotlb_from_cmdline(self.cmdline)  # as live.capture()
        return Snapshot(
            iomem=self.iomem,
            source=source,
            hostname="qemu",
            arch=MACHINE.get(arch, arch),
            kernel_release=self.release,
            cmdline=self.cmdline,
            mem_total=self.meminfo.get("MemTotal"),
            page_size=4096,
            cpu_count=1,
            kexec_crash_size=self.crash_size,
            kexec_crash_loaded=None if loaded is None else loaded == "1",
            kexec_crash_cma_ranges=self.cma_text,
            swiotlb_size=swiotlb,
            boot_log=memory_lines(log) if boot_log else None,
            taken_by="crashmap tests/kernel: serial console of a QEMU boot of the oracle kernel",
        )


class Reserved(namedtuple("Reserved", "main low cma log")):
    """Where the kernel put each block on a boot: ``main``/``low`` Ranges or None, the CMA
    areas, and the kernel's crashkernel lines (what a prediction's ``kernel_log`` says)."""

    __slots__ = ()


_MAIN = re.compile(r"crashkernel reserved: (0x[0-9a-f]+) - (0x[0-9a-f]+) \(\d+ MB\)")
_LOW = re.compile(r"crashkernel low memory reserved: (0x[0-9a-f]+) - (0x[0-9a-f]+) \(\d+ MB\)")
_CRASH_LINE = re.compile(r"crashkernel|crash kernel|Crash kernel", re.IGNORECASE)


def reserved(boot: Boot, arch: str) -> Reserved:
    """What the kernel reserved: the ``Crash kernel`` lines of /proc/iomem, told apart (and
    checked) by the kernel's own ``crashkernel reserved`` lines, and the sysfs CMA ranges."""
    snap = boot.snapshot(arch)
    iomem_crash = sorted(Range(r.start, r.end) for r in snap.memmap.crash_resources)
    log = boot.dmesg
    main = low = None
    if match := _MAIN.search(log):
        main = Range(int(match.group(1), 16), int(match.group(2), 16))
    if match := _LOW.search(log):
        low = Range(int(match.group(1), 16), int(match.group(2), 16))
    logged = sorted(r for r in (main, low) if r is not None)
    if logged != iomem_crash:
        raise SerialError(f"/proc/iomem's Crash kernel lines {iomem_crash} disagree with the "
                          f"kernel log's {logged}")
    lines = tuple(line for line in log.split("\n")
                  if _CRASH_LINE.search(line) and not line.startswith(("Command line:",
                                                                       "Kernel command line:")))
    return Reserved(main, low, tuple(snap.cma_ranges), lines)
