"""Fixes that are plans which pass every check on this map: a fixed base, a smaller size.

A candidate is never a rounding of what was asked: a base is taken from the map's free aligned
ranges nearest to it, a size is the largest whole MiB the simulator can place; then each is
placed and checked like any plan, and only those that pass are offered ("drop @offset" only when
the automatic placement passes too).
"""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Subject
from crashmap.checks.text import span
from crashmap.units import format_mib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from crashmap.placement.freelist import FreeList

TRIES = 4
"""Candidate bases tried on each side of the asked one before giving up on that side."""


def passes(s: Subject, base: int | None = None, size: int | None = None) -> bool:
    """Whether the same request with ``@base`` (0: automatic) and/or another static ``size``
    passes every check on this map."""
    from crashmap.checks import run_checks

    placement = _place(s, base, size)
    if not placement.reserves_all:
        return False  # checked first: a failing plan is never checked (no nested fixes)
    return not any(f.severity == "error" for f in run_checks(s.ctx, placement))


def _place(s: Subject, base: int | None, size: int | None) -> Any:
    from crashmap.placement import simulate

    changes = {"crash_base": base} if base is not None else {}
    if size is not None:
        changes["crash_size"] = size
    return simulate(s.ctx, s.request._replace(**changes))


def largest_size(s: Subject, upper: int) -> int | None:
    """The largest whole-MiB static size up to ``upper`` that the simulator places and that
    passes every check (bisection on placement, then the checks on the answer), or None."""
    lo, hi = 0, upper >> 20
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _place(s, None, mid << 20).reserves_all:
            lo = mid
        else:
            hi = mid - 1
    return lo << 20 if lo and passes(s, size=lo << 20) else None


def passing_bases(s: Subject, length: int, align: int) -> list[int]:
    """Up to one passing base at or below the asked one and one above it, nearest first."""
    ctx, base = s.ctx, s.request.crash_base
    below = _first_passing(s, _below(ctx.free, length, align, base))
    above = _first_passing(s, _above(ctx.free, length, align, base, ctx.end_of_ram))
    return sorted({b for b in (below, above) if b}, key=lambda b: abs(b - base))


def _first_passing(s: Subject, candidates: Iterator[int]) -> int | None:
    for _, candidate in zip(range(TRIES), candidates, strict=False):
        if candidate and passes(s, base=candidate):
            return candidate
    return None


def _below(free: FreeList, length: int, align: int, base: int) -> Iterator[int]:
    """Free aligned bases at or below ``base``, highest first."""
    hi = base + length
    while (found := free.top_down(length, align, 0, hi)) is not None:
        yield found
        hi = found + length - 1


def _above(free: FreeList, length: int, align: int, base: int, end: int) -> Iterator[int]:
    """Free aligned bases above ``base``, lowest first."""
    lo = base + 1
    while (found := free.bottom_up(length, align, lo, end)) is not None:
        yield found
        lo = found + 1


def at(base: int) -> str:
    """``@16M``, or ``@0x5f000000`` when the base is not a whole MiB."""
    return f"@{format_mib(base)}" if base % (1 << 20) == 0 else f"@{base:#x}"


def fixed_base_fix(s: Subject, length: int, align: int) -> str:
    """The fix sentence: passing bases with their ranges, and/or dropping @offset."""
    bases = passing_bases(s, length, align)
    auto = passes(s, base=0)
    parts = [f"{at(b)} (reserves {span((b, b + length))})" for b in bases]
    if parts:
        verb = "pass" if len(parts) > 1 else "passes"
        text = f"Use {' or '.join(parts)}, which {verb} every check on this map"
        return text + ("; or drop @offset and let the kernel choose." if auto else ".")
    if auto:
        return "Drop @offset and let the kernel choose: no fixed base of this size passes here."
    return ("No fixed base of this size passes on this map, nor an automatic one: reduce the "
            "size.")
