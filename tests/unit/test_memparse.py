"""memparse(): base auto-detection, one unit letter, lone unit = 0, silent wrap (spec §2.1)."""

from __future__ import annotations

import pytest
from crashmap.kernel.memparse import memparse
from hypothesis import given
from hypothesis import strategies as st

K, M, G, E = 1 << 10, 1 << 20, 1 << 30, 1 << 60


@pytest.mark.parametrize(
    ("text", "value", "end"),
    [
        ("256", 256, 3),
        ("256M", 256 * M, 4),
        ("256m", 256 * M, 4),  # units are case-insensitive
        ("1k", K, 2),
        ("2G", 2 * G, 2),
        ("3T", 3 << 40, 2),
        ("1P", 1 << 50, 2),
        ("1e", E, 2),  # spec §2.1: "1e" is 2**60, the e is the exa unit
        ("0x1e", 30, 4),  # spec §2.1: after 0x the e is a hex digit
        ("0X1F", 31, 4),
        ("0x10M", 16 * M, 5),
        ("010", 8, 3),  # spec §2.1: leading zero means octal
        ("0777", 511, 4),
        ("08", 0, 1),  # spec §2.1: parses 0 and stops at 8
        ("09M", 0, 1),
        ("0", 0, 1),
        ("0x", 0, 1),  # spec §2.1: 0x without a hex digit is octal 0 then junk x
        ("0xg", 0, 1),
        ("0e", 0, 2),  # octal 0, then e is a unit letter
        ("1a", 1, 1),  # decimal stops at a hex letter that is no unit
        ("1GM", G, 2),  # spec §2.1: only one unit letter
        ("1MB", M, 2),  # spec §2.1: the B is junk
        ("1MiB", M, 2),
    ],
)
def test_memparse_values(text: str, value: int, end: int) -> None:
    assert memparse(text) == (value, end)


@pytest.mark.parametrize("text", ["M", "k", "E", "g"])
def test_lone_unit_letter_is_zero_with_progress(text: str) -> None:
    # spec §2.1: a bare unit letter consumes one char and gives 0
    assert memparse(text) == (0, 1)


@pytest.mark.parametrize("text", ["", "x", " 1", "+1", "-1", ".5", "@16M", ",high", "B"])
def test_no_progress(text: str) -> None:
    # spec §2.1: no leading whitespace, sign or dot; "Memory value expected" cases
    assert memparse(text) == (0, 0)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("18446744073709551616", 0),  # spec §2.1: 2**64 wraps to 0
        ("18446744073709551617", 1),
        ("16E", 0),  # spec §2.1: the shift wraps too
        ("15E", 15 * E),
        ("17179869184G", 0),  # 2**34 GiB = 2**64
        ("0xffffffffffffffffff", (1 << 64) - 1),  # 2**72 - 1 modulo 2**64
    ],
)
def test_silent_64_bit_wrap(text: str, value: int) -> None:
    assert memparse(text)[0] == value


def test_parses_from_a_position() -> None:
    assert memparse("crashkernel=64M@16M", 12) == (64 * M, 15)
    assert memparse("crashkernel=64M@16M", 16) == (16 * M, 19)


@given(st.text())
def test_any_text_gives_a_u64_and_a_sane_end(text: str) -> None:
    value, end = memparse(text)
    assert 0 <= value < 1 << 64
    assert 0 <= end <= len(text)


@given(st.integers(min_value=1, max_value=10**30))
def test_decimal_numbers_wrap_modulo_2_64(number: int) -> None:
    text = str(number)
    assert memparse(text) == (number % (1 << 64), len(text))


@given(st.integers(min_value=0, max_value=(1 << 64) - 1))
def test_hex_numbers(number: int) -> None:
    text = f"0x{number:x}"
    assert memparse(text) == (number, len(text))
