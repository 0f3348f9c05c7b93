"""The plan a map's current reservation stands for, when its command line is unknown.

A raw /proc/iomem dump (or a report without /proc/cmdline) can still show a ``Crash kernel``:
its size, and where it sits, say which crashkernel= words reserved it as closely as words can
tell. ``check`` checks that plan (and says it inferred it); the TUI starts from it. What the map
cannot tell (an ``@offset`` that happened to match the automatic place, a range table) is not
guessed: the words are the simplest that reserve the same blocks.
"""

from __future__ import annotations

from crashmap.memmap import Range, merge
from crashmap.units import format_mib, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from crashmap.placement.context import PlacementContext


class Inferred:
    """``words``: the crashkernel= words; ``why``: one sentence on where they come from."""

    __slots__ = ("words", "why")

    def __init__(self, words: tuple[str, ...], why: str) -> None:
        self.words = words
        self.why = why

    @property
    def cmdline(self) -> str:
        return " ".join(self.words)

    def __repr__(self) -> str:
        return f"Inferred({self.words!r})"


def infer_current(ctx: PlacementContext) -> Inferred | None:
    """The words of the reservation this map shows now, or None when it shows none.

    - one static block below CRASH_ADDR_LOW_MAX: ``crashkernel=SIZE``;
    - one above it (generic placement): ``crashkernel=SIZE,high crashkernel=0,low`` (a plain
      size or ``,high`` alone would have reserved a low part too);
    - one above and one below: ``crashkernel=HIGH,high crashkernel=LOW,low``; on a kernel that
      reads no ``,high``/``,low`` (arm64 before 5.19) only ``crashkernel=HIGH``, and ``why``
      says the low block cannot be asked for;
    - CMA areas (kexec_crash_cma_ranges): ``crashkernel=SIZE,cma`` besides;
    - no ``Crash kernel`` line but kexec_crash_size (powerpc never lists it): ``crashkernel=SIZE``;
    - where crashmap does not model the automatic placement (mips and others), the block's base
      as ``@offset`` (what those boards use: Loongson's crashkernel=64M@128M).
    """
    facts, arch = ctx.facts, ctx.arch
    ranges = merge(facts.crash_ranges)
    cma = sum(r.size for r in merge(facts.cma_ranges)) if arch.cma else 0
    words: list[str] = []
    where = ""
    if ranges:
        boundary = ctx.low_max if arch.placement == "generic" else None
        low = [r for r in ranges if boundary is None or r.end <= boundary]
        high = [r for r in ranges if r not in low]
        low_size, high_size = sum(r.size for r in low), sum(r.size for r in high)
        unsaid = ""
        if high_size and not arch.high_low:  # this kernel reads no ,high/,low (arm64 < 5.19)
            words.append(f"crashkernel={format_mib(high_size)}")
            if low_size:
                unsaid = (f"; the {format_size(low_size)} below it cannot be asked for on "
                          f"{_kernel_name(ctx)}, which reads no ,low")
        elif high_size:
            words += [f"crashkernel={format_mib(high_size)},high",
                      f"crashkernel={format_mib(low_size)},low"]
        elif arch.placement == "none" and len(ranges) == 1:  # only a fixed base is modelled
            words.append(f"crashkernel={format_mib(low_size)}@{_base(ranges[0].start)}")
        else:
            words.append(f"crashkernel={format_mib(low_size)}")
        where = _where(ranges, boundary) + unsaid
    elif facts.kexec_crash_size:
        words.append(f"crashkernel={format_mib(facts.kexec_crash_size)}")
        where = f"kexec_crash_size ({format_size(facts.kexec_crash_size)})"
    if cma:
        words.append(f"crashkernel={format_mib(cma)},cma")
        where += (" and " if where else "") + f"kexec_crash_cma_ranges ({format_size(cma)})"
    if not words:
        return None
    return Inferred(tuple(words), f"inferred from {where}: the source has no kernel command line")


def _kernel_name(ctx: PlacementContext) -> str:
    kernel = ctx.kernel
    return f"Linux {kernel.version_text}" if kernel is not None else "this kernel"


def _base(address: int) -> str:
    return format_mib(address) if address % (1 << 20) == 0 else f"{address:#x}"


def _where(ranges: list[Range], boundary: int | None) -> str:
    parts = []
    for r in ranges:
        side = ""
        if boundary is not None:
            side = ", above" if r.start >= boundary else ", below"
            side += " CRASH_ADDR_LOW_MAX" if boundary != 1 << 32 else " 4 GiB"
        parts.append(f"{format_size(r.size)} at {r.start:#x}-{r.end - 1:#x}{side}")
    noun = "the Crash kernel range" if len(ranges) == 1 else "the Crash kernel ranges"
    return f"{noun} {', '.join(parts)}"
