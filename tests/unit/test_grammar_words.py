"""Locating the crashkernel= words: raw substring search, last word per class (spec §2.2, §2.10)."""

from __future__ import annotations

import pytest
from crashmap.kernel.grammar import find_words, parse_crashkernel

M, G = 1 << 20, 1 << 30
RAM = 16 * G


def size_of(cmdline: str, arch: str = "x86_64", ram: int = RAM) -> int | None:
    """The static size when the kernel accepts the line, else None."""
    result = parse_crashkernel(cmdline, ram, arch)
    return result.crash_size if result.ok else None


@pytest.mark.parametrize(
    ("cmdline", "size"),
    [
        ("xcrashkernel=256M", 256 * M),  # spec §2.2.1: no word-boundary check
        ("foo.crashkernel=1G", G),
        ('foo="crashkernel=512M quiet', 512 * M),
        ("crashkernel=crashkernel=256M", 256 * M),  # the inner hit is the last one
        ("crashkernel=256Mcrashkernel=512M", 512 * M),  # spec §2.2.5
        # anchors.md §0: kdump-utils expects 11M here; the kernel takes 222M
        ("crashkernel=33M crashkernel=11M ckcrashkernel=222M", 222 * M),
        ("crashkernel= crashkernel=256M", 256 * M),  # spec §2.10
        ("crashkernel=128M quiet crashkernel=256M", 256 * M),  # last wins
    ],
)
def test_raw_substring_search_and_last_wins(cmdline: str, size: int) -> None:
    assert size_of(cmdline) == size


@pytest.mark.parametrize(
    "cmdline",
    [
        "crashkernel=256M crashkernel=",  # spec §2.10
        "crashkernel=256M crashkernel=abc",  # spec §2.10: the earlier valid word is ignored
        "CrashKernel=256M",  # case-sensitive search: no word at all
        "",
    ],
)
def test_last_word_decides_even_when_invalid(cmdline: str) -> None:
    assert size_of(cmdline) is None


def test_classification_by_exact_ending() -> None:
    # spec §2.2.3: only the exact, case-sensitive end of the word (up to a space) counts
    line = ("crashkernel=1G,high crashkernel=2G,low crashkernel=3G,cma crashkernel=4G,HIGH "
            "crashkernel=5G,highmem crashkernel=6G,high\tx crashkernel=7G,low")
    assert [w.kind for w in find_words(line)] == [
        "high", "low", "cma", "plain", "plain", "plain", "low"]


def test_only_space_ends_a_word() -> None:
    # spec §2.2.2: tab and newline are ordinary characters
    (word,) = find_words("crashkernel=256M\tquiet\nfoo")
    assert word.text == "crashkernel=256M\tquiet\nfoo"
    result = parse_crashkernel("crashkernel=256M\tquiet", RAM, "x86_64")
    assert not result.ok
    assert result.error == "crashkernel: unrecognized char: \t"


def test_trailing_newline_of_proc_cmdline_breaks_the_last_word() -> None:
    # spec §2.10 last bullet: strip it before emulating
    result = parse_crashkernel("quiet crashkernel=256M\n", RAM, "x86_64")
    assert not result.ok
    assert result.error == "crashkernel: unrecognized char: \n"
    assert parse_crashkernel("quiet crashkernel=256M", RAM, "x86_64").crash_size == 256 * M


def test_a_tab_before_high_makes_a_plain_word() -> None:
    # spec §2.2.3: "256M,high\t" is plain, so ,high is never read and the plain word fails
    result = parse_crashkernel("crashkernel=256M,high\t", RAM, "x86_64")
    assert not result.ok
    assert not result.high
    assert result.error == "crashkernel: unrecognized char: ,"


def test_word_positions_and_text() -> None:
    words = find_words("a xcrashkernel=1G crashkernel=2G,high")
    assert [(w.start, w.text, w.value) for w in words] == [
        (3, "crashkernel=1G", "1G"), (18, "crashkernel=2G,high", "2G,high")]


def test_nul_ends_the_command_line() -> None:
    # the kernel's string ends at NUL; the emulation stops there too
    result = parse_crashkernel("crashkernel=256M\0crashkernel=512M", RAM, "x86_64")
    assert result.crash_size == 256 * M
    assert result.cmdline == "crashkernel=256M"


def test_word_statuses() -> None:
    from crashmap.kernel.target import parse_release

    line = "crashkernel=64M crashkernel=1G,high crashkernel=128M crashkernel=1G,cma"
    newest = parse_crashkernel(line, RAM, "arm64")  # 7.3 reads ,cma (c12c63d05dfe)
    assert newest.words[3].status == "used" and newest.cma_kept
    result = parse_crashkernel(line, RAM, "arm64", kernel=parse_release("7.2"))
    statuses = [(u.word.text, u.status) for u in result.words]
    assert statuses == [
        ("crashkernel=64M", "overridden"),
        ("crashkernel=1G,high", "ignored"),  # a plain word exists (spec §2.7)
        ("crashkernel=128M", "used"),
        ("crashkernel=1G,cma", "ignored"),  # arm64 7.2 passes no cma pointer
    ]
    assert "plain crashkernel= word exists" in result.words[1].reason
    assert "cma_size pointer" in result.words[3].reason
