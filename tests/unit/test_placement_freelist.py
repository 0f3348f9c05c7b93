"""The memblock searches of :class:`FreeList` against a brute-force reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crashmap.memmap import Range
from crashmap.placement.freelist import FreeList

PAGE = 4096


def reference(ranges, size, align, lo, hi, taken, top_down):
    """memblock_find_in_range_node(), written the obvious way."""
    lo = max(lo, PAGE)
    free = []
    for r in sorted(ranges):
        pieces = [(max(r.start, lo), min(r.end, hi))]
        for t in taken:
            pieces = [p for s, e in pieces for p in ((s, min(e, t.start)), (max(s, t.end), e))]
        free.extend((s, e) for s, e in pieces if s < e)
    free.sort(reverse=top_down)
    for s, e in free:
        if e - s < size:
            continue
        cand = (e - size) // align * align if top_down else -(-s // align) * align
        if s <= cand and cand + size <= e:
            return cand
    return None


def ranges_strategy():
    return st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60)), min_size=0,
                    max_size=80).map(
        lambda pairs: [Range(a * 0x100000, (a + n) * 0x100000) for a, n in pairs])


@settings(max_examples=300, deadline=None)
@given(ranges_strategy(), st.integers(1, 64), st.sampled_from([PAGE, 1 << 21, 1 << 24]),
       st.integers(0, 300), st.integers(0, 500), st.booleans(),
       st.lists(st.tuples(st.integers(0, 400), st.integers(1, 20)), max_size=3))
def test_searches_match_the_reference(ranges, size_mib, align, lo_mib, span_mib, top, taken):
    free = FreeList(ranges, floor=PAGE)
    lo, hi = lo_mib << 20, (lo_mib + span_mib) << 20
    size = size_mib << 20
    held = sorted(Range(a << 20, (a + n) << 20) for a, n in taken)
    merged = free.ranges
    want = reference(merged, size, align, lo, hi, held, top)
    got = (free.top_down if top else free.bottom_up)(size, align, lo, hi, held)
    assert got == want


@settings(max_examples=200, deadline=None)
@given(ranges_strategy(), st.integers(0, 500), st.integers(0, 500))
def test_free_in_matches_a_sum(ranges, lo_mib, span_mib):
    free = FreeList(ranges)
    lo, hi = lo_mib << 20, (lo_mib + span_mib) << 20
    want = sum(max(0, min(r.end, hi) - max(r.start, lo)) for r in free.ranges)
    assert free.free_in(lo, hi) == want


def test_largest_fit_and_containing():
    free = FreeList([Range(0x100000, 0x5000000), Range(0x6000000, 0x9000000)])
    assert free.largest_fit(0, 1 << 32, 1 << 24) == Range(0x1000000, 0x5000000)
    assert free.containing(0x6000000) == Range(0x6000000, 0x9000000)
    assert free.containing(0x5800000) is None
    assert free.is_free(0x6000000, 0x9000000) and not free.is_free(0x5000000, 0x6000001)
