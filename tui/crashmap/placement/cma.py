"""``reserve_crashkernel_cma()`` and the ``cma_declare_contiguous()`` placement (spec §3.3)."""

from __future__ import annotations

from collections.abc import Sequence

from crashmap.memmap import FOUR_GIB, Range
from crashmap.placement.context import PlacementContext
from crashmap.placement.freelist import FreeList
from crashmap.placement.result import Attempt, Block, CmaResult
from crashmap.units import align_up

CMA_RANGES_MAX = 4
"""CRASHKERNEL_CMA_RANGES_MAX."""


def declare(ctx: PlacementContext, request: int,
            taken: Sequence[Range]) -> tuple[Block | None, list[Attempt]]:
    """One ``cma_declare_contiguous(0, request, 0, 0, 0, false, "crashkernel")``."""
    return declare_area(ctx.free, ctx.arch.pageblock, ctx.end_of_ram, request, taken)


def declare_area(free: FreeList, align: int, limit: int, request: int,
                 taken: Sequence[Range] = ()) -> tuple[Block | None, list[Attempt]]:
    """``cma_declare_contiguous()`` of ``request`` bytes below ``limit`` (mm/cma.c).

    Size and alignment are raised to one pageblock (``align``). Bottom-up from 4 GiB when
    ``limit >= 4G + size`` (memblock is top-down), else / then top-down in ``[0, limit)``.
    """
    size = align_up(request, align)
    limit = limit // align * align
    attempts: list[Attempt] = []
    if size > limit:
        attempts.append(Attempt("cma", 0, limit, size, align, None))
        return None, attempts
    found = None
    if limit >= FOUR_GIB + size:
        found = free.bottom_up(size, align, FOUR_GIB, limit, taken)
        attempts.append(Attempt("cma", FOUR_GIB, limit, size, align, found, bottom_up=True))
    if found is None:
        found = free.top_down(size, align, 0, limit, taken)
        attempts.append(Attempt("cma", 0, limit, size, align, found))
    return (None if found is None else Block("cma", found, found + size)), attempts


def reserve_cma(ctx: PlacementContext, cma_size: int, taken: Sequence[Range]) -> CmaResult:
    """The halving loop: failures do not use a slot, ``request`` is never reset (§3.3).

    ``taken`` (the static blocks) changes the result only when an area found without it
    overlaps one of its ranges: each search takes the lowest (highest) fit, and cutting memory
    out only removes fits. So the areas are found once per size and map (kept on its free
    list) and reused while the static block moves elsewhere: a drag step of the main block.
    """
    if cma_size <= 0:
        return CmaResult()
    key = ("cma", cma_size, ctx.arch.pageblock, ctx.end_of_ram, ctx.page_size)
    alone = ctx.free.memo.get(key)
    if alone is None:
        alone = ctx.free.memo[key] = _reserve(ctx, cma_size, ())
    if any(a.start < t.end and t.start < a.end for a in alone.areas for t in taken):
        return _reserve(ctx, cma_size, taken)
    return alone


def _reserve(ctx: PlacementContext, cma_size: int, taken: Sequence[Range]) -> CmaResult:
    page = ctx.page_size
    request = align_up(cma_size, page)
    counted = 0
    areas: list[Block] = []
    attempts: list[Attempt] = []
    held = sorted(taken)
    while cma_size > counted and len(areas) < CMA_RANGES_MAX:
        area, tried = declare(ctx, request, held)
        attempts.extend(tried)
        if area is None:
            if request <= page:
                break
            request = align_up(request // 2, page)
            continue
        areas.append(area)
        held = sorted([*held, area.range])
        counted += request
    if cma_size > counted:
        line = (f"crashkernel CMA reservation failed: {cma_size >> 20} MB requested, "
                f"{counted >> 20} MB reserved in {len(areas)} ranges")
    else:
        line = f"crashkernel CMA reserved: {counted >> 20} MB in {len(areas)} ranges"
    return CmaResult(cma_size, counted, tuple(areas), tuple(attempts), (line,))
