"""``crashkernel_add``-style arithmetic, case for case from kdump-utils' own ShellSpec tests.

Source: rhkdump/kdump-utils ``spec/kdump-lib_spec.sh``, ``Describe "_crashkernel_add()"``
(kdump-utils 63f248c94a4a, the commit the research notes read): the "valid input values" table
and the "invalid input values" table (``The output should equal ""``, ``The status should be
failure``). The expected outputs below are kdumpctl's, not crashmap's.
"""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.kernel.arith import crashkernel_add, exact_unit, memsize, memsize_add


@pytest.mark.parametrize(("value", "delta", "expected"), [
    ("1G-4G:256M,4G-64G:320M,64G-:576M", "100M", "1G-4G:356M,4G-64G:420M,64G-:676M"),
    ("1G-4G:256M", "100", "1G-4G:268435556"),  # "avoids any rounding when size % 1024 != 0"
    ("1G-4G:256M,4G-64G:320M,64G-:576M@4G", "100M", "1G-4G:356M,4G-64G:420M,64G-:676M@4G"),
    ("1G-4G:1G,4G-64G:2G,64G-:3G@4G", "100M", "1G-4G:1124M,4G-64G:2148M,64G-:3172M@4G"),
    ("1G-4G:10000K,4G-64G:20000K,64G-:40000K@4G", "100M",
     "1G-4G:112400K,4G-64G:122400K,64G-:142400K@4G"),
    ("1,high", "1", "2,high"),
    ("1K,low", "1", "1025,low"),
    ("128G-1T:4G", "0", "128G-1T:4G"),
    ("10T-100T:1T", "0", "10T-100T:1T"),
    ("128G-1T:4G", "0M", "128G-1T:4G"),
    ("128G-1P:4G", "0M", "128G-1P:4G"),
    ("128G-1E:4G", "0M", "128G-1E:4G"),
    ("1M@1G", "1k", "1025K@1G"),
    ("500M@1G", "-100m", "400M@1G"),
    ("1099511627776", "0", "1T"),
])
def test_kdumpctl_valid_cases(value: str, delta: str, expected: str) -> None:
    assert crashkernel_add(value, delta) == expected


@pytest.mark.parametrize(("value", "delta"), [
    ("1G-4G:256M.4G-64G:320M", "100M"),
    ("foo", "1"),
    ("1", "bar"),
])
def test_kdumpctl_invalid_cases_are_errors(value: str, delta: str) -> None:
    with pytest.raises(CrashmapError):
        crashkernel_add(value, delta)


def test_junk_is_never_glued_onto_a_sum() -> None:
    """The bug class of the issue: memparse stops at the junk, so a naive add made ``1foo``."""
    for junk in ("foo", "256Mfoo", "1.5G", "0x10000000", "256MB", "", "@16M", "1G-4G:"):
        with pytest.raises(CrashmapError):
            crashkernel_add(junk, 1)


def test_missing_range_start_says_what_to_write() -> None:
    with pytest.raises(CrashmapError, match="write 0-512M"):
        crashkernel_add("-512M:64M", "16M")


def test_integer_delta_and_the_name_are_kept() -> None:
    assert crashkernel_add("crashkernel=2G-64G:256M,64G-:512M", 64 << 20) == \
        "crashkernel=2G-64G:320M,64G-:576M"
    assert crashkernel_add("256M,cma", 256 << 20) == "512M,cma"


def test_negative_sum_is_refused() -> None:
    with pytest.raises(CrashmapError, match="negative"):
        memsize_add("100M", "-200M")


@pytest.mark.parametrize(("n", "text"), [
    (0, "0"), (1025, "1025"), (1 << 40, "1T"), (1 << 60, "1E"), (3 << 60, "3E"),
    (15 << 60, "15E"), (100 * (1 << 20) + (1 << 30), "1124M"),
])
def test_exact_unit(n: int, text: str) -> None:
    assert exact_unit(n) == text
    assert memsize(text) == n


def test_a_sum_past_64_bits_is_refused() -> None:
    with pytest.raises(CrashmapError, match="2\\*\\*64-1"):
        crashkernel_add("15E", "1E")
