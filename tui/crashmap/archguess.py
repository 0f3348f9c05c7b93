"""Guess the architecture of a raw /proc/iomem dump, and say how sure the guess is."""

from __future__ import annotations

from crashmap.arch import ALIASES, ARCHES
from crashmap.iomem import Iomem
from crashmap.memmap import is_crash, is_ram


def arch_from_text(text: str) -> str | None:
    """The first known architecture name or alias in free text (``arm64``, ``aarch64 (Ampere)``)."""
    for word in text.replace("(", " ").replace(",", " ").replace(";", " ").split():
        key = word.strip().lower()
        if key in ARCHES:
            return key
        if key in ALIASES:
            return ALIASES[key]
    return None


def guess_arch(iomem: Iomem) -> tuple[str, str]:
    """``(arch, reason)`` from the names and layout of the map; x86_64 when nothing tells."""
    names = {r.name for r in iomem.walk()}
    tops = [r for r in iomem.roots if not r.is_empty]
    kernel = [r for r in iomem.walk() if r.name == "Kernel code"]
    ram = [r for r in iomem.walk() if is_ram(r.name)]
    if "Kernel image" in names:
        return "riscv64", "a 'Kernel image' line (riscv 6.x)"
    if any(n.startswith("LOON") for n in names):
        return "loongarch64", "LOONxxxx ACPI devices"
    if any(is_crash(r.name) and r.depth == 0 for r in iomem.walk()) and len(tops) <= 4:
        return "s390x", "a top-level 'Crash kernel' beside System RAM"
    if "Kernel text" in names:
        return "arm", "a 'Kernel text' line (old 32-bit arm)"
    x86_marks = {"System ROM", "Video ROM", "Local APIC", "IOAPIC 0", "HPET 0", "Kernel bss",
                 "Kernel rodata", "PCI MMCONFIG 0000 [bus 00-ff]"}
    if names & x86_marks or any(n.startswith(("IOAPIC", "pnp 00:", "PNP0")) for n in names):
        high = any(r.end > 1 << 32 for r in ram)
        if high or any(k.start >= 16 << 20 for k in kernel):
            return "x86_64", "PC firmware ranges (ROM, APIC, e820 'Reserved')"
        return "x86_64", "PC firmware ranges; could also be i386"
    if "reserved" in names or any(n.startswith(("ARMH", "PCI ECAM")) for n in names):
        base = min((r.start for r in ram), default=0)
        if kernel and (kernel[0].start - base) % (1 << 20) == 0x8000:
            return "arm", "kernel text at RAM + 0x8000 (32-bit arm TEXT_OFFSET)"
        return "arm64", "device-tree/ACPI arm names and lower-case 'reserved'"
    if kernel and ram:
        base = min(r.start for r in ram)
        if (kernel[0].start - base) % (1 << 20) == 0x8000:
            return "arm", "kernel text at RAM + 0x8000 (32-bit arm TEXT_OFFSET)"
    return "x86_64", "nothing in the map tells; assuming x86_64"
