"""The Learn chapters: present, linked correctly, and their worked examples agree with the kernel
emulation (so the teaching text and the tool can never tell the user two different things)."""

from __future__ import annotations

import re

import pytest
from crashmap.app.learn import CHAPTER_IDS, chapter_text, chapter_title, chapters, neighbour
from crashmap.kernel import memparse, parse_crashkernel
from crashmap.kernel.ranges import evaluate_table
from crashmap.units import GiB, MiB, align_down

LINK = re.compile(r"\]\(([^)]+)\)")


def test_chapters_are_the_seven_of_the_brief_in_reading_order() -> None:
    assert [cid for cid, _ in chapters()] == [
        "kdump", "syntax", "lowhigh", "placement", "fragmentation", "cma", "sizing"]
    for cid, title in chapters():
        assert title and title != cid
        assert chapter_text(cid).startswith(f"# {title}\n")


def test_unknown_chapter_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no Learn chapter 'nope'"):
        chapter_text("nope")


def test_neighbour_clamps_at_both_ends() -> None:
    assert neighbour("kdump", -1) == "kdump"
    assert neighbour("kdump", 1) == "syntax"
    assert neighbour("sizing", 1) == "sizing"
    assert neighbour("cma", -2) == "placement"


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_links_point_at_chapters(chapter: str) -> None:
    for target in LINK.findall(chapter_text(chapter)):
        assert target.endswith(".md"), target
        assert target[:-3] in CHAPTER_IDS, target


@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_chapters_are_short(chapter: str) -> None:
    assert len(chapter_text(chapter).splitlines()) <= 90


@pytest.mark.parametrize(("chapter", "facts"), [
    ("syntax", ["128 MiB", "`010M` is 8 MiB", "last", "`,high`", "`,low`", "`,cma`"]),
    ("lowhigh", ["swiotlb", "**256 MiB**", "**128 MiB**", "`crashkernel=0,low`"]),
    ("placement", ["top-down", "`CRASH_ALIGN`", "16 MiB", "no fallback", "@offset"]),
    ("fragmentation", ["initrd", "**one**", "KASLR", "RAMDISK"]),
    ("cma", ["6.17", "6.19", "7.3", "c12c63d05dfe", "10 seconds", "-d 0", "zswap", "balloon",
             "static block", "4 areas", "kexec/crash_cma_ranges", "kexec_file_load"]),
    ("sizing", ["kdumpctl estimate", "calibrate", "Debian", "unpack", "sysrq-trigger"]),
])
def test_chapter_covers_what_the_brief_asks(chapter: str, facts: list[str]) -> None:
    text = chapter_text(chapter)
    for fact in facts:
        assert fact in text, (chapter, fact)


# --- the worked examples, checked against the kernel emulation --------------------------------


def test_syntax_octal_example() -> None:
    assert "`010M` is 8 MiB" in chapter_text("syntax")
    assert memparse("010M") == (8 * MiB, 4)


def test_syntax_old_rhel_table_fails_on_512m() -> None:
    assert "`1G-4G:192M,4G-64G:256M,64G-:512M`\n  fails on a 512 MiB machine" in chapter_text(
        "syntax")
    assert evaluate_table("1G-4G:192M,4G-64G:256M,64G-:512M", 512 * MiB) == 0
    assert evaluate_table("1G-4G:192M,4G-64G:256M,64G-:512M", 2 * GiB) == 192 * MiB


def test_syntax_last_word_wins_even_when_invalid() -> None:
    assert "`crashkernel=256M crashkernel=abc` reserves nothing" in chapter_text("syntax")
    assert not parse_crashkernel("crashkernel=256M crashkernel=abc", 8 * GiB, "x86_64").ok


def test_cma_alone_does_nothing_on_x86() -> None:
    assert "`crashkernel=1G,cma` alone\n  does nothing" in chapter_text("cma")
    alone = parse_crashkernel("crashkernel=1G,cma", 16 * GiB, "x86_64")
    assert not alone.ok and not alone.cma_kept
    paired = parse_crashkernel("crashkernel=256M crashkernel=1G,cma", 16 * GiB, "x86_64")
    assert paired.ok and paired.cma_kept and paired.cma_size == 1 * GiB


def test_sizing_64g_host_short_of_200m_lands_in_lower_bracket() -> None:
    assert '"64 GiB" host that firmware leaves\n200 MiB short' in chapter_text("sizing")
    assert evaluate_table("2G-64G:256M,64G-:512M", 64 * GiB - 200 * MiB) == 256 * MiB
    assert evaluate_table("2G-64G:256M,64G-:512M", 64 * GiB) == 512 * MiB


def test_fragmentation_alignment_example() -> None:
    text = chapter_text("fragmentation")
    assert "from 65 MiB to 840 MiB: 775 MiB" in text
    start, end, size, align = 65 * MiB, 840 * MiB, 768 * MiB, 16 * MiB
    assert end - start == 775 * MiB >= size
    highest_base = align_down(end - size, align)
    assert highest_base == 64 * MiB < start  # so it does not fit, as the text says


def test_sizing_tables_match_the_research_defaults() -> None:
    text = chapter_text("sizing")
    for table in ("2G-64G:256M,64G-:512M", "2G-4G:256M,4G-64G:320M,64G-:576M", "512M-:192M"):
        assert f"`{table}`" in text
    assert evaluate_table("512M-:192M", 2 * GiB) == 192 * MiB
    assert chapter_title("sizing") == "How big should it be?"


def test_kdump_chapter_fadump_section_agrees_with_the_simulator_and_the_table() -> None:
    """fadump vs kdump: the worked example (16 GiB, crashkernel=1G) and kdump-utils' fadump
    table, checked against the placement emulation and the table evaluation."""
    from crashmap.checks import evaluate_cmdline
    from crashmap.estimate.tables import TABLES
    from crashmap.placement import context_from_snapshot
    from crashmap.snapshot import Snapshot

    text = chapter_text("kdump")
    for fact in ("`arch/powerpc/kernel/prom.c`", "`fadump_reserve_mem()`",
                 "`fadump_locate_reserve_mem()`", "`fadump_calculate_reserve_size()`",
                 "`reserve_crashkernel()`", "`fadump=nocma`", "320 MiB", "Press `d`"):
        assert fact in text, fact
    assert "with `fadump=on` the area goes to **1 GiB**" in text
    ctx = context_from_snapshot(Snapshot(iomem="00000000-3ffffffff : System RAM\n",
                                         arch="ppc64le"))
    kdump = evaluate_cmdline(ctx, "crashkernel=1G").placement
    fadump = evaluate_cmdline(ctx, "crashkernel=1G fadump=on").placement
    assert kdump.main is not None and kdump.main.start == 512 * MiB
    assert fadump.main is None and fadump.blocks[0].start == 1 * GiB
    assert "768 MiB from 4 GiB" in text
    table = TABLES["fedora-fadump"][1]["ppc64le"]
    assert evaluate_table(table, 4 * GiB) == 768 * MiB
    assert evaluate_table(table, 4 * GiB - 128 * MiB) == 0
