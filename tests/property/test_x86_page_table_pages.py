"""x86_64's early page-table pages are taken in bulk: ``alloc(n)`` of the direct-map walk takes
exactly the pages that ``n`` calls of ``alloc()`` (``alloc_low_pages(1)`` each, as
arch/x86/mm/init.c calls it) take, from the brk buffer, memblock's highest free pages or
extend_brk(), and panics (ValueError) exactly when one of them would."""

from __future__ import annotations

from crashmap.memmap import Range, merge
from crashmap.placement.x86_pagetables import PAGE, _Walk
from hypothesis import given
from hypothesis import strategies as st

from tests.property.profile import examples

MIB = 1 << 20


@st.composite
def walks(draw: st.DrawFn) -> tuple[list[Range], list[Range], Range, bool, int, int]:
    """Memory, reservations (some unaligned), a brk buffer, can_use_brk and a mapped span."""
    memory, at = [], MIB
    for _ in range(draw(st.integers(1, 4))):
        at += draw(st.integers(0, 64)) * PAGE
        size = draw(st.integers(1, 96)) * PAGE
        memory.append(Range(at, at + size))
        at += size
    reserved = [Range(0, MIB)]
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(MIB, at))
        reserved.append(Range(start, start + draw(st.integers(1, 40 * PAGE))))
    brk_start = draw(st.integers(MIB // PAGE, at // PAGE)) * PAGE
    brk = Range(brk_start, brk_start + draw(st.integers(0, 8)) * PAGE)
    lo = draw(st.integers(MIB, at))
    return memory, reserved, brk, draw(st.booleans()), lo, draw(st.integers(lo, at + PAGE))


def state(walk: _Walk) -> tuple[object, ...]:
    """What the walk goes on with and hands back: the brk's end, memblock.reserved and the
    pages taken (as merged ranges: one range of n pages or n pages of one)."""
    return walk.brk_end, merge(walk.reserved), walk._cuts, merge(walk.taken)


def run(memory: list[Range], reserved: list[Range], brk: Range, can_use_brk: bool, lo: int,
        hi: int, counts: list[int]) -> tuple[object, ...]:
    walk = _Walk(memory, reserved, brk, gbpages=True)
    walk.can_use_brk, walk.min_mapped, walk.max_mapped = can_use_brk, lo, hi
    try:
        for count in counts:
            walk.alloc(count)
    except ValueError:
        return ("panic",)
    return state(walk)


@examples(400)
@given(walks(), st.lists(st.integers(0, 300), min_size=1, max_size=4))
def test_pages_taken_in_bulk_are_the_pages_taken_one_at_a_time(case, counts) -> None:
    memory, reserved, brk, can_use_brk, lo, hi = case
    bulk = run(memory, reserved, brk, can_use_brk, lo, hi, counts)
    assert bulk == run(memory, reserved, brk, can_use_brk, lo, hi, [1] * sum(counts))
    if bulk != ("panic",):
        assert all(r.start % PAGE == 0 and r.end % PAGE == 0 for r in bulk[3])
