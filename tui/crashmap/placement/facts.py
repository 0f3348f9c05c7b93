"""Facts about the machine that the checks read, copied once from a snapshot."""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.units import decimal

_VERSION = r"^([0-9]+)\.([0-9]+)"


def kernel_version(release: str | None) -> tuple[int, int] | None:
    """``"6.17.2-300.fc43.x86_64"`` → ``(6, 17)``; None when it does not start with N.N."""
    match = re.match(_VERSION, release or "")
    if match is None:
        return None
    major, minor = decimal(match.group(1)), decimal(match.group(2))
    return (major, minor) if major is not None and minor is not None else None


def version_text(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


class Facts(namedtuple("Facts", (
        "kernel_release cmdline zswap_enabled balloon_loaded kexec_crash_size cma_ranges "
        "crash_ranges kernel_size initrd_size swiotlb_size hidden mem_total kernel_config "
        "kernel_config_source kexec_loader kexec_loader_source"),
        defaults=(None, None, None, None, None, (), (), None, None, None, False, None, None, None,
                  None, None))):
    """What the snapshot knows beyond the map (None = unknown).

    - ``cmdline``: the command line this snapshot was booted with (``/proc/cmdline``)
    - ``kernel_config``: the kdump-related ``CONFIG_`` lines of the running kernel's build
    - ``kexec_loader``: ``kexec_file_load`` or ``kexec_load`` as the kdump service calls it
    - ``cma_ranges``: crashkernel CMA areas now (``/sys/kernel/kexec_crash_cma_ranges``)
    - ``crash_ranges``: the non-empty ``Crash kernel`` lines now
    - ``hidden``: the map's addresses are zeroed (read without CAP_SYS_ADMIN)
    - ``mem_total``: ``MemTotal`` of /proc/meminfo in bytes
    """

    __slots__ = ()

    @property
    def version(self) -> tuple[int, int] | None:
        return kernel_version(self.kernel_release)

    @property
    def reserved_now(self) -> int:
        return sum(r.size for r in self.crash_ranges)
