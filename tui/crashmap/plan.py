"""A crashkernel plan as a person edits it: static size and mode, low size, CMA size.

A plan becomes kernel words through ``crashmap.kernel.render``; the kernel grammar reads those
words back, and the simulator places what the grammar says. So the TUI, ``check`` and the tests
all see the plan through the same kernel rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

from crashmap.arch import Arch
from crashmap.units import align_down, align_up

if TYPE_CHECKING:
    from typing import Literal

    Mode = Literal["auto", "high", "fixed"]
    Block = Literal["main", "low", "cma"]
else:
    Mode = Block = str

FADUMP_CYCLE = ("off", "on", "nocma")
"""The plan's fadump values in the order a key cycles them."""


@dataclass(frozen=True)
class Plan:
    """What the user wants reserved. Sizes in bytes; 0 means "none"."""

    size: int = 0
    """Static (main) block: kernel + initrd + what the capture kernel needs outside CMA."""
    mode: Mode = "auto"
    """auto: ``crashkernel=SIZE``; high: ``SIZE,high``; fixed: ``SIZE@BASE``."""
    base: int | None = None
    """Fixed base for mode ``fixed``."""
    low: int | None = None
    """``,low`` size for mode ``high``; None = the kernel's default low size."""
    cma: int = 0
    """``,cma`` size: capture-kernel memory that the running kernel keeps using until a crash."""
    fadump: str = "off"
    """ppc64le firmware-assisted dump: ``off`` (kdump), ``on`` or ``nocma``; not off, the plan
    adds a ``fadump=`` word and crashkernel= sizes the boot memory fadump preserves."""

    def step(self, block: Block, arch: Arch) -> int:
        """The resize step of a block: CRASH_ALIGN for static blocks; for CMA one pageblock
        (CMA_MIN_ALIGNMENT_BYTES), the unit the kernel rounds each CMA area up to, so a size
        stepped to stays the size reserved."""
        return arch.pageblock if block == "cma" else arch.crash_align

    def resized(self, block: Block, steps: int, arch: Arch) -> Plan:
        """Grow (``steps`` > 0) or shrink a block by whole steps, snapped to the step."""
        step = self.step(block, arch)
        current = self.size_of(block, arch)
        snapped = align_up(current, step) if steps < 0 else align_down(current, step)
        return self.with_size(block, max(0, snapped + steps * step), arch)

    def size_of(self, block: Block, arch: Arch) -> int:
        if block == "main":
            return self.size
        if block == "cma":
            return self.cma
        return arch.default_low if self.low is None else self.low

    def with_size(self, block: Block, value: int, arch: Arch) -> Plan:
        """The same plan with one block set to ``value`` bytes (snapped to the block's step)."""
        value = max(0, align_up(value, self.step(block, arch)))
        if block == "main":
            return replace(self, size=value)
        if block == "cma":
            return replace(self, cma=value)
        return replace(self, low=value)

    def pinned(self, base: int, arch: Arch) -> Plan:
        """Fixed at ``base`` snapped down to CRASH_ALIGN (``crashkernel=SIZE@BASE``)."""
        return replace(self, mode="fixed", base=align_down(max(0, base), arch.crash_align), low=None)

    def unpinned(self) -> Plan:
        return replace(self, mode="auto", base=None)

    def cycled_fadump(self) -> Plan:
        """off → on → nocma → off (kdumpctl reset-crashkernel ``--fadump=`` values)."""
        cycle = FADUMP_CYCLE
        return replace(self, fadump=cycle[(cycle.index(self.fadump) + 1) % len(cycle)])

    def toggled_high(self) -> Plan:
        """auto/fixed ⇄ high (``,high`` takes no base)."""
        if self.mode == "high":
            return replace(self, mode="auto", low=None)
        return replace(self, mode="high", base=None)
