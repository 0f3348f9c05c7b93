"""``reserve_cma`` reuses the areas found without the static blocks while those blocks lie
elsewhere (a drag of the main block); the result must be the one the search with the blocks
cut out gives, on real maps and on random ones, with blocks that miss or hit the areas."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crashmap.memmap import Range
from crashmap.placement import cma, context_from_snapshot
from crashmap.snapshot import Snapshot

from tests.corpus import readable_maps

MiB, GiB = 1 << 20, 1 << 30


def direct(ctx, size: int, taken: list[Range]):
    return cma._reserve(ctx, size, taken)


def test_real_maps_with_static_blocks_near_and_on_the_areas() -> None:
    compared = hit = 0
    for snapshot in readable_maps():
        ctx = context_from_snapshot(snapshot)
        if not ctx.arch.cma:
            continue
        for size in (64 * MiB, 256 * MiB, GiB, 8 * GiB):
            alone = direct(ctx, size, [])
            blocks = [[], [Range(0x1000000, 0x5000000)], [Range(0xF0000000, 0x100000000)]]
            blocks += [[a.range] for a in alone.areas[:2]]  # on an area: it must move
            blocks += [[Range(a.start - MiB, a.start + MiB)] for a in alone.areas[:1]]
            for taken in blocks:
                assert cma.reserve_cma(ctx, size, taken) == direct(ctx, size, taken), \
                    (snapshot.name if hasattr(snapshot, "name") else "", size, taken)
                compared += 1
                hit += any(t.start < a.end and a.start < t.end for t in taken for a in alone.areas)
    assert compared > 100 and hit > 10


def line(start: int, end: int, name: str, depth: int = 0) -> str:
    return f"{'  ' * depth}{start:08x}-{end - 1:08x} : {name}"


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 63), max_size=40), st.integers(1, 48),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 16)), max_size=3))
def test_random_maps_and_blocks(reserved, size_units, taken_units) -> None:
    """RAM 0-8 GiB with reserved 128 MiB units (their first MiB left free), a CMA size of
    32 MiB units, and static blocks anywhere: reused or searched again, the same areas and
    attempts."""
    unit = 128 * MiB
    lines = [line(0x100000, 8 * GiB, "System RAM")]
    lines += [line(a * unit + MiB, (a + 1) * unit, "Reserved", 1) for a in sorted(reserved)]
    ctx = context_from_snapshot(Snapshot(iomem="\n".join(lines) + "\n", arch="x86_64"))
    taken = sorted(Range(a * unit, (a + n) * unit) for a, n in taken_units)
    size = size_units * 32 * MiB
    assert cma.reserve_cma(ctx, size, taken) == direct(ctx, size, taken)
    assert cma.reserve_cma(ctx, size, taken) == direct(ctx, size, taken)  # now from the memo
