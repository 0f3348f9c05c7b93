"""Per-architecture constants of the kernel's crashkernel code (spec §1, §3.2, §4).

One table, read by the grammar, the placement simulator, the checks and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crashmap.errors import CrashmapError
from crashmap.units import GiB, KiB, MiB, TiB

Placement = Literal["generic", "ppc", "s390", "arm32", "none"]


@dataclass(frozen=True)
class Arch:
    """What the kernel does with ``crashkernel=`` on one architecture (Linux 6.17/6.18)."""

    name: str
    """Canonical name: x86_64, i386, arm64, riscv64, loongarch64, ppc64le, s390x, arm, mips."""
    crash_align: int
    """CRASH_ALIGN: alignment of base and search for the static block."""
    low_max: int | None
    """CRASH_ADDR_LOW_MAX (arm64/riscv: the DMA limit, 4 GiB by default); None = end of DRAM."""
    high_max: int | None
    """CRASH_ADDR_HIGH_MAX; None = end of DRAM."""
    default_low: int
    """DEFAULT_CRASH_KERNEL_LOW_SIZE when a block lands high with no ``,low`` word."""
    high_low: bool
    """The caller passes non-NULL ``high``/``low_size``: ``,high``/``,low`` are read."""
    cma: bool
    """The caller passes non-NULL ``cma_size``: ``,cma`` is read (and the CMA reserved)."""
    cma_since: str | None
    """First mainline release that reserves ``,cma`` on this arch."""
    pageblock: int
    """CMA_MIN_ALIGNMENT_BYTES with the usual page size (one pageblock)."""
    page_size: int
    """The usual base page size."""
    placement: Placement
    """Which reservation code places the static block."""
    crash_in_iomem: Literal["nested", "top", "never"]
    """How a ``Crash kernel`` reservation appears in /proc/iomem."""
    family: str
    """Kernel arch directory, for messages (x86, arm64, riscv, loongarch, powerpc, s390, arm, mips)."""

    @property
    def swiotlb_low(self) -> bool:
        """x86 sizes the default low block from swiotlb: max(swiotlb + 8 MiB, 256 MiB)."""
        return self.family == "x86" and self.name == "x86_64"


ARCHES: dict[str, Arch] = {
    a.name: a
    for a in (
        Arch("x86_64", 16 * MiB, 4 * GiB, 64 * TiB, 256 * MiB, True, True, "6.17",
             2 * MiB, 4 * KiB, "generic", "nested", "x86"),
        Arch("i386", 16 * MiB, 512 * MiB, 512 * MiB, 0, True, False, None,
             4 * MiB, 4 * KiB, "generic", "nested", "x86"),
        Arch("arm64", 2 * MiB, 4 * GiB, 1 << 48, 128 * MiB, True, False, None,
             4 * MiB, 4 * KiB, "generic", "nested", "arm64"),
        Arch("riscv64", 2 * MiB, 4 * GiB, None, 128 * MiB, True, False, None,
             2 * MiB, 4 * KiB, "generic", "nested", "riscv"),
        Arch("loongarch64", 2 * MiB, 4 * GiB, None, 128 * MiB, True, False, None,
             16 * MiB, 16 * KiB, "generic", "nested", "loongarch"),
        Arch("ppc64le", 64 * KiB, 4 * GiB, None, 0, False, True, "6.18",
             16 * MiB, 64 * KiB, "ppc", "never", "powerpc"),
        Arch("s390x", 1 * MiB, None, None, 0, False, False, None,
             1 * MiB, 4 * KiB, "s390", "top", "s390"),
        Arch("arm", 128 * MiB, None, None, 0, False, False, None,
             4 * MiB, 4 * KiB, "arm32", "nested", "arm"),
        Arch("mips", 1 * MiB, None, None, 0, False, False, None,
             4 * MiB, 4 * KiB, "none", "nested", "mips"),
    )
}

ALIASES: dict[str, str] = {
    "x86-64": "x86_64", "amd64": "x86_64", "x64": "x86_64",
    "i686": "i386", "i586": "i386", "i486": "i386", "x86": "i386", "x86_32": "i386",
    "aarch64": "arm64", "arm64e": "arm64",
    "riscv": "riscv64",
    "loongarch": "loongarch64", "loong64": "loongarch64",
    "ppc64": "ppc64le", "ppc64el": "ppc64le", "powerpc": "ppc64le", "powerpc64": "ppc64le",
    "powerpc64le": "ppc64le", "ppc": "ppc64le",
    "s390": "s390x",
    "arm32": "arm", "armhf": "arm", "armel": "arm", "armv7l": "arm", "armv7": "arm",
    "armv6l": "arm", "armv5tel": "arm", "armv8l": "arm",
    "mips64": "mips", "mipsel": "mips", "mips64el": "mips",
}


def normalize_arch(name: str) -> str:
    """The canonical name for ``name`` or one of its aliases (``aarch64`` → ``arm64``)."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in ARCHES:
        known = ", ".join(sorted(ARCHES))
        raise CrashmapError(f"unknown architecture {name!r} (known: {known}, and aliases)")
    return key


def get_arch(name: str) -> Arch:
    """The :class:`Arch` for ``name`` or an alias."""
    return ARCHES[normalize_arch(name)]
