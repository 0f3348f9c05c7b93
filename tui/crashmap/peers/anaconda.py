"""The reservation sizes Anaconda's kdump add-on accepts (Fedora/RHEL installer).

rhinstaller/kdump-anaconda-addon ``com_redhat_kdump/common.py`` (400359b2) ``getMemoryBounds``:
the total is ``MemTotal`` of /proc/meminfo in MiB plus what is reserved now
(``/sys/kernel/kexec_crash_size``, ``getReservedMemory``); the lower bound is 384 MiB on ppc64,
512 MiB on aarch64, 160 MiB elsewhere; the upper bound is the total minus the memory the system
must keep (1024 MiB on ppc64, 512 MiB elsewhere), rounded down to whole MiB; when the upper
bound falls below the lower one both are 0 (the spoke offers no kdump). The TUI spoke accepts a
value ``^(\\d+M?)$`` within the bounds (``tui/spokes/kdump.py``, ``RESERVE_VALID``).
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.units import KiB, MiB

ARCHES = {"x86_64": "x86_64", "arm64": "aarch64", "ppc64le": "ppc64le", "s390x": "s390x"}
"""crashmap arch → the name blivet.arch.get_arch() gives; the arches Anaconda installs."""
_LIMITS = {"ppc64le": (384, 1024), "aarch64": (512, 512)}
_OTHER = (160, 512)


class Bounds(namedtuple("Bounds", "lower upper arch")):
    """``lower``..``upper`` MiB (inclusive) the add-on accepts; both 0: no kdump offered."""

    __slots__ = ()

    @property
    def offered(self) -> bool:
        return self.upper > 0

    def accepts(self, size: int) -> bool:
        """A size in bytes: whole MiB (the spoke's ``\\d+M?``) and within the bounds."""
        return self.offered and size % MiB == 0 and self.lower <= size // MiB <= self.upper


def rule_text() -> str:
    """The bounds in words, from the table above (for a finding's explanation)."""
    lows = ", ".join(f"{low} MiB on {arch}" for arch, (low, _) in _LIMITS.items())
    keeps = ", ".join(f"{keep} MiB on {arch}" for arch, (_, keep) in _LIMITS.items()
                      if keep != _OTHER[1])
    return (f"at least {_OTHER[0]} MiB ({lows}), and at most the memory (MemTotal plus what is "
            f"reserved now) minus the {_OTHER[1]} MiB the system keeps ({keeps})")


def memory_bounds(arch: str, mem_total: int, reserved: int = 0) -> Bounds | None:
    """``getMemoryBounds`` for a crashmap ``arch``, ``MemTotal`` and ``kexec_crash_size`` (bytes).

    None for an arch Anaconda does not install.
    """
    name = ARCHES.get(arch)
    if name is None:
        return None
    lower, keep = _LIMITS.get(name, _OTHER)
    total = (mem_total // KiB * KiB + reserved) // MiB  # MemTotal is whole kB; floor to MiB
    upper = total - keep
    if upper < lower:
        return Bounds(0, 0, name)
    return Bounds(lower, upper, name)


__all__ = ["ARCHES", "Bounds", "memory_bounds", "rule_text"]
