"""Range tables: evaluate_table() at distro bracket edges and the step-function explainer.

Expected values follow spec §2.5 (roundup to 128 MiB for matching, start inclusive, end exclusive,
every examined size < rounded RAM) and §2.7 step 4 (size < unrounded RAM); tables from anchors.md.
"""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.ranges import RangeEntry, evaluate_table, explain_table, scan_entries
from hypothesis import given, settings
from hypothesis import strategies as st

M, G, T = 1 << 20, 1 << 30, 1 << 40
R = 128 * M
TOP = (1 << 64) - R  # the largest rounded RAM without 64-bit wrap

FEDORA_X86 = "2G-64G:256M,64G-:512M"  # kdump-utils x86_64 and s390x
FEDORA_X86_OLD = "1G-4G:192M,4G-64G:256M,64G-:512M"
FEDORA_ARM64 = "2G-4G:256M,4G-64G:320M,64G-:576M"
FEDORA_PPC = "2G-4G:384M,4G-16G:512M,16G-64G:1G,64G-128G:2G,128G-:4G"
FEDORA_FADUMP = ("4G-16G:768M,16G-64G:1G,64G-128G:2G,128G-1T:4G,1T-2T:6G,2T-4T:12G,4T-8T:20G,"
                 "8T-16T:36G,16T-32T:64G,32T-64T:128G,64T-:180G")
DEBIAN_TRIXIE = "512M-:192M"
DEBIAN_BOOKWORM = "384M-:128M"
DEBIAN_ARM64 = "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"


@pytest.mark.parametrize(
    ("table", "ram", "size"),
    [
        (FEDORA_X86, 2 * G - R, 0),  # below 2G: no match, zero bytes
        (FEDORA_X86, 2 * G - R + 1, 256 * M),  # rounds up to 2G
        (FEDORA_X86, 2 * G - 1, 256 * M),
        (FEDORA_X86, 2 * G, 256 * M),  # start inclusive
        (FEDORA_X86, 64 * G - R, 256 * M),  # exactly a 128M multiple: stays below 64G
        (FEDORA_X86, 64 * G - 100 * M, 512 * M),  # rounds up to 64G
        (FEDORA_X86, 64 * G, 512 * M),  # end exclusive
        (FEDORA_X86, 1 * G, 0),
        (FEDORA_X86, 512 * M, 0),  # the 512M entry is not below 512M: invalid size
        (FEDORA_X86, 256 * M, 0),
        (FEDORA_X86_OLD, 512 * M, 0),  # spec §2.5 step 5 example
        (FEDORA_X86_OLD, 1 * G, 192 * M),
        (FEDORA_X86_OLD, 4 * G - 1, 256 * M),
        (FEDORA_ARM64, 4 * G - R, 256 * M),
        (FEDORA_ARM64, 4 * G - 1, 320 * M),
        (FEDORA_ARM64, 64 * G - 1, 576 * M),
        (FEDORA_PPC, 2 * G, 384 * M),
        (FEDORA_PPC, 3 * G, 384 * M),
        (FEDORA_PPC, 1536 * M, 0),  # the 2G entry is not below 1.5G: invalid size
        (FEDORA_PPC, 16 * G - 1, G),
        (FEDORA_PPC, 128 * G, 4 * G),
        (FEDORA_FADUMP, 8 * G, 768 * M),
        (FEDORA_FADUMP, 3 * G, 0),  # 4G of the 128G-1T entry is not below 3G
        (FEDORA_FADUMP, 64 * T - 1, 180 * G),
        (DEBIAN_TRIXIE, 512 * M, 192 * M),
        (DEBIAN_TRIXIE, 384 * M + 1, 192 * M),  # rounds up to 512M
        (DEBIAN_TRIXIE, 384 * M, 0),  # no match
        (DEBIAN_TRIXIE, 192 * M, 0),  # rounds to 256M: no match
        (DEBIAN_TRIXIE, 100 * M, 0),  # rounds to 128M: 192M is not below it
        (DEBIAN_BOOKWORM, 256 * M + 1, 128 * M),  # 384M bracket, and 128M < 256M + 1
        (DEBIAN_ARM64, 3 * G, 320 * M),
        (DEBIAN_ARM64, 128 * G - 64 * M, 4096 * M),
        (DEBIAN_ARM64, 1536 * M, 0),  # 2048M of the 4th entry is not below 1.5G
    ],
)
def test_distro_tables_at_bracket_edges(table: str, ram: int, size: int) -> None:
    assert evaluate_table(table, ram) == size


def test_evaluate_accepts_the_prefix_and_simple_sizes() -> None:
    assert evaluate_table("crashkernel=" + FEDORA_X86, 8 * G) == 256 * M
    assert evaluate_table("256M", 8 * G) == 256 * M
    assert evaluate_table("256M", 256 * M) == 0  # size not below RAM (spec §2.7)
    assert evaluate_table("0-:200M", 150 * M) == 0  # rounded 256M matches; 200M >= 150M


def test_evaluate_rejects_non_words() -> None:
    with pytest.raises(CrashmapError):
        evaluate_table("2G-:256M quiet", 8 * G)
    with pytest.raises(CrashmapError):
        evaluate_table(FEDORA_X86, -1)


def test_documented_table_steps() -> None:
    # kdump.rst 512M-2G:64M,2G-:128M worked by hand from spec §2.5:
    #   rounded RAM 0 or 128M: the 128M entry is not below it -> invalid size (RAM 0 .. 128M)
    #   rounded 256M, 384M: no match -> zero bytes (RAM 128M+1 .. 384M)
    #   rounded 512M .. 1920M: 64M (RAM 384M+1 .. 1920M); rounded >= 2G: 128M
    #   the last 128M below 2**64 round up to 0 (64-bit wrap): invalid size again
    table = explain_table("512M-2G:64M,2G-:128M")
    assert [(s.ram_from, s.ram_to, s.size, s.reason) for s in table.steps] == [
        (0, R + 1, 0, "crashkernel: invalid size"),
        (R + 1, 384 * M + 1, 0, "crashkernel size resulted in zero bytes"),
        (384 * M + 1, 1920 * M + 1, 64 * M, None),
        (1920 * M + 1, TOP + 1, 128 * M, None),
        (TOP + 1, 1 << 64, 0, "crashkernel: invalid size"),
    ]
    assert table.breakpoints == (384 * M + 1, 1920 * M + 1, TOP + 1)
    assert table.entries == (RangeEntry(512 * M, 2 * G, 64 * M), RangeEntry(2 * G, None, 128 * M))
    assert table.problem is None
    assert [table.size_at(x) for x in (0, G, 2 * G, 64 * G)] == [0, 64 * M, 128 * M, 128 * M]


def test_final_ram_check_splits_a_step() -> None:
    # rounded RAM 128M: 200M is not below it -> invalid size (RAM 0 .. 128M);
    # rounded 256M matches 200M for RAM 128M+1 .. 256M, but §2.7 rejects RAM <= 200M
    table = explain_table("0-:200M")
    assert [(s.ram_from, s.size, s.reason) for s in table.steps] == [
        (0, 0, "crashkernel: invalid size"),
        (R + 1, 0, "crashkernel size not below system RAM"),
        (200 * M + 1, 200 * M, None),
        (TOP + 1, 0, "crashkernel: invalid size"),
    ]
    assert table.breakpoints == (200 * M + 1, TOP + 1)
    assert table.step_at(150 * M).size == 0


def test_simple_size_explained() -> None:
    table = explain_table("256M")
    assert [(s.ram_from, s.ram_to, s.size) for s in table.steps] == [
        (0, 256 * M + 1, 0), (256 * M + 1, 1 << 64, 256 * M)]
    assert table.entries == () and table.problem is None


def test_scan_reports_problems_after_the_readable_entries() -> None:
    assert scan_entries("1G-:256M,junk") == ((RangeEntry(G, None, 256 * M),),
                                            "entry 2: Memory value expected")
    assert scan_entries("1G-2G:64M;2G-:128M")[1] == "junk after entry 1: ';2G-:128M'"
    assert scan_entries("1G-:64M@16M") == ((RangeEntry(G, None, 64 * M),), None)
    assert scan_entries("1G-:64M@x")[1] == "Memory value expected after '@'"
    assert scan_entries("2G-1G:64M")[1] == "entry 1: end <= start"


TABLES = st.lists(
    st.tuples(st.integers(0, 80), st.one_of(st.none(), st.integers(1, 80)), st.integers(0, 20)),
    min_size=1, max_size=5,
).map(lambda entries: ",".join(
    f"{a * 512}M-{'' if b is None else f'{(a + b) * 512}M'}:{s * 64}M" for a, b, s in entries))


@settings(max_examples=150)
@given(TABLES, st.integers(min_value=0, max_value=64 * G))
def test_explainer_agrees_with_the_parser_everywhere(table: str, ram: int) -> None:
    explained = explain_table(table)
    result = parse_crashkernel(f"crashkernel={table}", ram, "x86_64")
    assert explained.size_at(ram) == (result.crash_size if result.ok else 0)
    steps = explained.steps
    assert steps[0].ram_from == 0 and steps[-1].ram_to == 1 << 64
    assert all(a.ram_to == b.ram_from for a, b in zip(steps, steps[1:], strict=False))
