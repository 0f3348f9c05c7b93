"""Plain words: simple size[@offset] and range tables (spec §2.3, §2.4, §2.5, §2.7 step 4)."""

from __future__ import annotations

import pytest
from crashmap.kernel.grammar import EINVAL, parse_crashkernel, range_total_mem

K, M, G = 1 << 10, 1 << 20, 1 << 30


def parse(value: str, ram: int, arch: str = "x86_64"):
    return parse_crashkernel(f"crashkernel={value}", ram, arch)


# --- simple syntax (spec §2.4) ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "size", "base"),
    [
        ("256M", 256 * M, 0),
        ("256M@16M", 256 * M, 16 * M),  # kdump.rst / kernel-parameters.txt form
        ("0x10000000", 256 * M, 0),
        ("256M@0", 256 * M, 0),  # spec §2.4: @0 is "automatic"
        ("256M@", 256 * M, 0),  # spec §2.4: the offset is not validated
        ("256M@foo", 256 * M, 0),
        ("256M@-1", 256 * M, 0),
        ("256M@16Mfoo", 256 * M, 16 * M),  # junk after the offset is ignored
        ("256M@16M@32M", 256 * M, 16 * M),
    ],
)
def test_simple_syntax(value: str, size: int, base: int) -> None:
    result = parse(value, 16 * G)
    assert (result.ok, result.crash_size, result.crash_base) == (True, size, base)
    assert result.plain is not None and result.plain.syntax == "simple"


@pytest.mark.parametrize(
    ("value", "error", "left_size"),
    [
        ("256MB", "crashkernel: unrecognized char: B", 256 * M),  # spec §2.7: value left over
        ("1GM", "crashkernel: unrecognized char: M", G),
        ("abc", "crashkernel: memory value expected", 0),
        ("", "crashkernel: memory value expected", 0),
        ("1G-2G", "crashkernel: unrecognized char: -", G),  # spec §2.10: no colon = simple
        ("1.5G", "crashkernel: unrecognized char: .", 1),
        ("auto", "crashkernel: memory value expected", 0),
    ],
)
def test_simple_syntax_errors(value: str, error: str, left_size: int) -> None:
    result = parse(value, 16 * G)
    assert result.ret == EINVAL
    assert result.error == error
    assert result.error_code == "syntax"
    assert result.crash_size == left_size
    assert result.messages == (error,)


@pytest.mark.parametrize("value", ["0", "M", "16E", "0x0"])
def test_zero_size_is_invalid(value: str) -> None:
    # spec §2.1 (lone unit, wrap) and §2.7 step 4: !crash_size -> -EINVAL, nothing printed
    result = parse(value, 16 * G)
    assert result.ret == EINVAL
    assert result.error_code == "zero-size"
    assert result.messages == ()


def test_size_must_be_below_unrounded_ram() -> None:
    # spec §2.7 step 4: crash_size >= system_ram, unrounded
    assert parse("4G", 4 * G).error_code == "size-not-below-ram"
    assert parse("4G", 4 * G).messages == ()
    assert parse("4G", 4 * G + 1).ok


def test_no_word_at_all() -> None:
    result = parse_crashkernel("quiet splash", 16 * G, "x86_64")
    assert result.ret == EINVAL  # spec §2.7: never -ENOENT
    assert result.error_code == "no-crashkernel"
    assert result.plain is None


# --- choosing the syntax (spec §2.3, §2.10) -----------------------------------------------------

def test_colon_after_the_space_does_not_count() -> None:
    result = parse_crashkernel("crashkernel=256M root=/dev/disk/by-path/pci-0000:00:1f.2",
                               16 * G, "x86_64")
    assert result.ok and result.crash_size == 256 * M
    assert result.plain.syntax == "simple"


def test_colon_before_the_space_selects_ranges() -> None:
    result = parse("256M,foo:bar", 16 * G)
    assert result.error == "crashkernel: '-' expected"
    assert result.plain.syntax == "range"


# --- range syntax (spec §2.5) -----------------------------------------------------------------

def test_range_total_mem_rounding() -> None:
    r128 = 128 * M
    assert [range_total_mem(x) for x in (0, 1, r128, r128 + 1, 2 * G - 1)] == [
        0, r128, r128, 2 * r128, 2 * G]
    assert range_total_mem((1 << 64) - 1) == 0  # 64-bit roundup() wraps


DOC_TABLE = "512M-2G:64M,2G-:128M"  # kdump.rst example


@pytest.mark.parametrize(
    ("ram", "size", "error"),
    [
        (512 * M, 64 * M, None),  # start inclusive
        (G, 64 * M, None),
        (1920 * M, 64 * M, None),  # 2G - 128M is not rounded up any further
        (1920 * M + 1, 128 * M, None),  # rounds up to 2G: the next bracket
        (2 * G, 128 * M, None),  # end exclusive
        (64 * G, 128 * M, None),
        (384 * M + 1, 64 * M, None),  # rounds up to 512M
        (384 * M, None, "crashkernel size resulted in zero bytes"),
        (129 * M, None, "crashkernel size resulted in zero bytes"),
        # rounded RAM 128M: entry 2's 128M is not below it; checked though it never matches
        (100 * M, None, "crashkernel: invalid size"),
        (0, None, "crashkernel: invalid size"),
    ],
)
def test_documented_range_table(ram: int, size: int | None, error: str | None) -> None:
    result = parse(DOC_TABLE, ram)
    assert result.ok is (size is not None)
    if size is not None:
        assert result.crash_size == size
    assert result.error == error


def test_every_examined_entry_is_size_checked() -> None:
    # spec §2.5 step 5 example: fails on a 512 MiB machine because of the 512M entry
    result = parse("1G-4G:192M,4G-64G:256M,64G-:512M", 512 * M)
    assert result.error == "crashkernel: invalid size"
    assert result.error_code == "syntax"


def test_first_match_wins_and_entries_need_not_be_sorted() -> None:
    assert parse("0-:64M,1G-:128M", 4 * G).crash_size == 64 * M
    assert parse("4G-:256M,1G-4G:128M", 2 * G).crash_size == 128 * M
    assert parse("4G-:256M,1G-4G:128M", 8 * G).crash_size == 256 * M


def test_junk_after_the_match_is_accepted() -> None:
    assert parse("1G-:256M,garbage", 2 * G).crash_size == 256 * M
    assert parse("1G-:256MB", 2 * G).crash_size == 256 * M
    # the same junk is reached, and rejected, by RAM that does not match the first entry
    assert parse("1G-2G:256M,junk", 4 * G).error == "crashkernel: Memory value expected"
    # "g" of "garbage" is a lone unit letter, a valid 0 (spec §2.1); then "a" is no '-'
    assert parse("1G-2G:256M,garbage", 4 * G).error == "crashkernel: '-' expected"


def test_no_match_ends_silently_on_any_char_but_comma() -> None:
    result = parse("0-1G:64M;1G-:128M", 2 * G)
    assert result.error == "crashkernel size resulted in zero bytes"
    assert result.error_code == "range-no-match"
    assert parse("0-1G:64M;1G-:128M", 512 * M).crash_size == 64 * M


def test_matched_size_zero_reserves_nothing() -> None:
    result = parse("0-2G:0,2G-:256M", G)
    assert result.error == "crashkernel size resulted in zero bytes"
    assert result.plain.matched_entry == 0
    assert parse("0-2G:0,2G-:256M", 4 * G).crash_size == 256 * M


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2G-1G:64M", "crashkernel: end <= start"),
        ("1G-1G:64M", "crashkernel: end <= start"),
        ("1G:64M", "crashkernel: '-' expected"),
        ("1G-2G64M:", "crashkernel: ':' expected"),
        ("1G-2G:", "crashkernel: Memory value expected"),
        ("-2G:64M", "crashkernel: Memory value expected"),
        ("1G-x:64M", "crashkernel: Memory value expected"),
        ("1G-4G: 192M", "crashkernel: Memory value expected"),  # whitespace breaks parsing
        ("1G-:256M@foo", "crashkernel: Memory value expected after '@'"),
        ("1G-:256M@", "crashkernel: Memory value expected after '@'"),
    ],
)
def test_range_errors(value: str, error: str) -> None:
    result = parse(value, 4 * G)
    assert result.ret == EINVAL
    assert result.error == error


def test_offset_after_ranges_applies_to_any_matched_entry() -> None:
    assert parse("512M-2G:64M,2G-:128M@16M", 4 * G).crash_base == 16 * M
    result = parse("512M-2G:64M,2G-:128M@16M", G)
    assert (result.crash_size, result.crash_base) == (64 * M, 16 * M)


def test_offset_between_entries_stops_the_loop() -> None:
    # spec §2.5 last bullets
    assert parse("1G-4G:192M@32M,4G-:256M", 8 * G).error_code == "range-no-match"
    result = parse("1G-4G:192M@32M,4G-:256M", 2 * G)
    assert (result.crash_size, result.crash_base) == (192 * M, 32 * M)


def test_range_size_must_still_be_below_unrounded_ram() -> None:
    # rounded RAM 256M accepts the 200M entry, the final check on 150M rejects it (spec §2.7)
    result = parse("0-:200M", 150 * M)
    assert result.ret == EINVAL
    assert result.error_code == "size-not-below-ram"
    assert parse("0-:200M", 201 * M).crash_size == 200 * M


def test_range_details() -> None:
    result = parse("2G-64G:256M,64G-:512M", 64 * G - 100 * M)
    assert result.plain.total_mem == 64 * G
    assert result.plain.matched_entry == 1
    assert result.crash_size == 512 * M
    assert "entry 2 matched" in result.words[0].reason


def test_units_in_ranges_are_memparse_units() -> None:
    assert parse("0x80000000-:0x10000000", 4 * G).crash_size == 256 * M
    assert parse("1024m-4g:64k", 2 * G).crash_size == 64 * K
