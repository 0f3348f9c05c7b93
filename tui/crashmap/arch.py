"""Per-architecture constants of the kernel's crashkernel code (spec §1, §3.2, §4).

One table, read by the grammar, the placement simulator, the checks and the UI.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

from crashmap.errors import CrashmapError
from crashmap.units import GiB, KiB, MiB, TiB

if TYPE_CHECKING:  # typing costs import time on every headless command
    from typing import Literal

    Placement = Literal["generic", "ppc", "s390", "arm32", "none"]
    IomemStyle = Literal["nested", "top", "never"]


_FIELDS = (
    "name crash_align low_max high_max default_low high_low cma cma_since pageblock page_size "
    "placement crash_in_iomem family"
)


class Arch(namedtuple("Arch", _FIELDS)):
    """What the newest kernel modelled (Linux 7.3) does with ``crashkernel=`` on one architecture.

    Older kernels behave as :func:`crashmap.kernel.versions.arch_for` says (``cma`` and
    ``high_low`` keyed by the version, each with its commit).

    - ``name``: canonical name: x86_64, i386, arm64, riscv64, loongarch64, ppc64le, s390x, arm, mips
    - ``crash_align``: CRASH_ALIGN, alignment of base and search for the static block
    - ``low_max``: CRASH_ADDR_LOW_MAX (arm64/riscv: the DMA limit, 4 GiB by default); None = end
      of DRAM
    - ``high_max``: CRASH_ADDR_HIGH_MAX; None = end of DRAM
    - ``default_low``: DEFAULT_CRASH_KERNEL_LOW_SIZE when a block lands high with no ``,low``
    - ``high_low``: the caller passes non-NULL ``high``/``low_size``: ``,high``/``,low`` are read
    - ``cma``: the caller passes non-NULL ``cma_size``: ``,cma`` is read (and the CMA reserved)
    - ``cma_since``: first mainline release that reserves ``,cma`` on this arch (the commits are
      in :data:`crashmap.kernel.versions.CMA_READ`)
    - ``pageblock``: CMA_MIN_ALIGNMENT_BYTES with the usual page size (one pageblock)
    - ``page_size``: the usual base page size
    - ``placement``: which reservation code places the static block (generic, ppc, s390, arm32,
      none)
    - ``crash_in_iomem``: how a ``Crash kernel`` reservation appears in /proc/iomem (nested, top,
      never)
    - ``family``: kernel arch directory, for messages (x86, arm64, riscv, loongarch, powerpc,
      s390, arm, mips)

    A named tuple rather than a frozen dataclass: it is read on every command's start-up path.
    """

    __slots__ = ()
    name: str
    crash_align: int
    low_max: int | None
    high_max: int | None
    default_low: int
    high_low: bool
    cma: bool
    cma_since: str | None
    pageblock: int
    page_size: int
    placement: Placement
    crash_in_iomem: IomemStyle
    family: str

    @property
    def swiotlb_low(self) -> bool:
        """x86_64 sizes the default low block from swiotlb: max(swiotlb + 8 MiB, 256 MiB)."""
        return self.name == "x86_64"


ARCHES: dict[str, Arch] = {
    a.name: a
    for a in (
        Arch("x86_64", 16 * MiB, 4 * GiB, 64 * TiB, 256 * MiB, True, True, "6.17",
             2 * MiB, 4 * KiB, "generic", "nested", "x86"),
        Arch("i386", 16 * MiB, 512 * MiB, 512 * MiB, 0, True, False, None,
             4 * MiB, 4 * KiB, "generic", "nested", "x86"),
        Arch("arm64", 2 * MiB, 4 * GiB, 1 << 48, 128 * MiB, True, True, "7.3",
             2 * MiB, 4 * KiB, "generic", "nested", "arm64"),
        Arch("riscv64", 2 * MiB, 4 * GiB, None, 128 * MiB, True, True, "7.3",
             2 * MiB, 4 * KiB, "generic", "nested", "riscv"),
        Arch("loongarch64", 2 * MiB, 4 * GiB, None, 128 * MiB, True, False, None,
             16 * MiB, 16 * KiB, "generic", "nested", "loongarch"),
        Arch("ppc64le", 64 * KiB, 4 * GiB, None, 0, False, True, "6.19",
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


FADUMP_ARCHES = ("ppc64le",)
"""Where the kernel has ``fadump=``: ``CONFIG_FA_DUMP`` depends on ``PPC64`` and ``PPC_RTAS`` or
``PPC_POWERNV`` (arch/powerpc/Kconfig); YaST's ``fadump_supported?`` is ``Arch.ppc64``
(yast-kdump ``src/modules/Kdump.rb``). Elsewhere the kernel does not know the parameter and
hands it to init as an environment variable. The rest of fadump is :mod:`crashmap.kernel.fadump`
(``fadump.supported`` is this function, ``fadump.SUPPORTED_ARCHES`` this tuple)."""


def fadump_supported(arch: str | Arch | None) -> bool:
    """Whether ``arch`` has firmware-assisted dump (None: unknown, so not refused)."""
    if arch is None:
        return True
    name = arch if isinstance(arch, str) else arch.name
    return name in FADUMP_ARCHES


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
