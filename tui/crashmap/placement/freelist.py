"""memblock's free-range searches over a sorted list of free ranges, fast on 10 000 pieces.

``memblock_find_in_range_node()`` (mm/memblock.c): clamp each free range to ``[lo, hi)``;
top-down takes ``round_down(end - size, align)`` of the highest range where it still fits,
bottom-up ``round_up(start, align)`` of the lowest. The first page is never handed out.
Ranges already taken by this simulation (``taken``) are cut out on the fly, so the list itself
is built once per map.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from crashmap.memmap import Range, merge

CHUNK = 32
"""Pieces per chunk; a chunk whose largest piece is too small is skipped whole."""


def _split(start: int, end: int, taken: Sequence[Range]) -> list[tuple[int, int]]:
    """``[start, end)`` minus the (few, sorted) ``taken`` ranges."""
    pieces = []
    for t in taken:
        if t.end <= start or t.start >= end:
            continue
        if t.start > start:
            pieces.append((start, t.start))
        start = max(start, t.end)
        if start >= end:
            return pieces
    pieces.append((start, end))
    return pieces


class FreeList:
    """Sorted, disjoint free ranges with per-alignment chunk maxima for quick rejection."""

    def __init__(self, ranges: Iterable[Range], floor: int = 4096, *,
                 merged: bool = False) -> None:
        """``merged``: ``ranges`` are already sorted, disjoint and not touching."""
        pieces = list(ranges) if merged else merge(ranges)
        self.ranges = pieces
        self.starts = [r.start for r in pieces]
        self.ends = [r.end for r in pieces]
        self.sizes = [r.end - r.start for r in pieces]
        self.floor = floor
        """memblock never allocates the first page (``start = max(start, PAGE_SIZE)``)."""
        self._fit_cache: dict[tuple[int, int, int], Range | None] = {}
        self.memo: dict[tuple[object, ...], object] = {}
        """Results of whole searches over this list, by their caller's key (the list never
        changes once built)."""
        self._chunks: dict[int, tuple[list[int], list[int]]] = {}
        self._prefix = [0]
        for n in self.sizes:
            self._prefix.append(self._prefix[-1] + n)

    def fits(self, align: int) -> tuple[list[int], list[int]]:
        """Per range and per chunk, the largest ``align``-aligned block that fits (cached).

        Clipping to a window or cutting out taken ranges only shrinks these, so a range or a
        chunk whose fit is below the size is skipped without a closer look.
        """
        cached = self._chunks.get(align)
        if cached is None:
            fits = [e - -(-s // align) * align for s, e in zip(self.starts, self.ends, strict=True)]
            chunks = [max(fits[i:i + CHUNK]) for i in range(0, len(fits), CHUNK)]
            cached = self._chunks[align] = (fits, chunks)
        return cached

    def __len__(self) -> int:
        return len(self.ranges)

    def top_down(self, size: int, align: int, lo: int, hi: int,
                 taken: Sequence[Range] = ()) -> int | None:
        """The highest ``align``-aligned start of ``size`` free bytes inside ``[lo, hi)``."""
        lo = max(lo, self.floor)
        if size <= 0 or hi - lo < size:
            return None
        starts, ends = self.starts, self.ends
        sizes, chunk_max = self.fits(align)
        i = bisect_left(starts, hi) - 1
        while i >= 0:
            if ends[i] <= lo:
                return None
            if chunk_max[i // CHUNK] < size:
                i = (i // CHUNK) * CHUNK - 1
                continue
            if sizes[i] >= size:
                s, e = max(starts[i], lo), min(ends[i], hi)
                pieces = _split(s, e, taken) if taken else [(s, e)]
                for ps, pe in reversed(pieces):
                    if pe - ps >= size:
                        cand = (pe - size) // align * align
                        if cand >= ps:
                            return cand
            i -= 1
        return None

    def bottom_up(self, size: int, align: int, lo: int, hi: int,
                  taken: Sequence[Range] = ()) -> int | None:
        """The lowest ``align``-aligned start of ``size`` free bytes inside ``[lo, hi)``."""
        lo = max(lo, self.floor)
        if size <= 0 or hi - lo < size:
            return None
        starts, ends = self.starts, self.ends
        sizes, chunk_max = self.fits(align)
        n = len(starts)
        i = max(bisect_right(ends, lo), 0)
        while i < n:
            if starts[i] >= hi:
                return None
            if chunk_max[i // CHUNK] < size:
                i = (i // CHUNK + 1) * CHUNK
                continue
            if sizes[i] >= size:
                s, e = max(starts[i], lo), min(ends[i], hi)
                pieces = _split(s, e, taken) if taken else [(s, e)]
                for ps, pe in pieces:
                    cand = -(-ps // align) * align
                    if cand < pe and pe - cand >= size:
                        return cand
            i += 1
        return None

    def is_free(self, start: int, end: int, taken: Sequence[Range] = ()) -> bool:
        """``[start, end)`` lies inside one free range and outside ``taken``."""
        i = bisect_right(self.starts, start) - 1
        if i < 0 or self.ends[i] < end or start < self.floor:
            return False
        return not any(t.start < end and start < t.end for t in taken)

    def largest_fit(self, lo: int, hi: int, align: int) -> Range | None:
        """The largest ``[align_up(start), end)`` of a free range clipped to ``[lo, hi)``.

        The biggest block an ``align``-aligned reservation could get in that window (cached).
        """
        key = (lo, hi, align)
        if key in self._fit_cache:
            return self._fit_cache[key]
        lo = max(lo, self.floor)
        best: Range | None = None
        i = max(bisect_right(self.ends, lo), 0)
        for j in range(i, len(self.starts)):
            if self.starts[j] >= hi:
                break
            s = -(-max(self.starts[j], lo) // align) * align
            e = min(self.ends[j], hi)
            if e - s > 0 and (best is None or e - s > best.size):
                best = Range(s, e)
        self._fit_cache[key] = best
        return best

    def free_in(self, lo: int, hi: int) -> int:
        """Total free bytes inside ``[lo, hi)`` (prefix sums: O(log n))."""
        if hi <= lo:
            return 0
        i = bisect_right(self.ends, lo)
        j = bisect_left(self.starts, hi)
        if i >= j:
            return 0
        total = self._prefix[j] - self._prefix[i]
        total -= max(0, lo - self.starts[i])
        total -= max(0, self.ends[j - 1] - hi)
        return total

    def containing(self, address: int) -> Range | None:
        """The free range holding ``address``."""
        i = bisect_right(self.starts, address) - 1
        if i >= 0 and address < self.ends[i]:
            return self.ranges[i]
        return None
