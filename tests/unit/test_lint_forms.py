"""Lints for a bare ``crashkernel`` word and a range entry with no start.

The kernel side: ``get_last_crashkernel()`` (kernel/crash_reserve.c) searches for the substring
``crashkernel=`` (case-sensitive ``strstr``), and ``parse_crashkernel_mem()`` needs a start
``memparse()`` can read. The peer side: kdump-utils ``_cmdline_parse`` reads a word without
``=`` as a parameter with no value (spec/kdumpctl_general_spec.sh ``ro → ""``), and
``is_memrange`` refuses ``-512M`` (``is_memsize "${1%-*}"`` of an empty start fails).
"""

from __future__ import annotations

import pytest
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel

G = 1 << 30


def lints(cmdline: str, ram: int = 16 * G) -> dict[str, str]:
    return {f.code: f"{f.severity}: {f.message}"
            for f in lint_crashkernel(parse_crashkernel(cmdline, ram, "x86_64"))}


@pytest.mark.parametrize("cmdline", ["quiet crashkernel", "crashkernel ro", "ro crashkernel\t"])
def test_bare_word(cmdline: str) -> None:
    found = lints(cmdline)
    assert found["bare-crashkernel"].startswith("warning: 'crashkernel' has no '='")
    assert not parse_crashkernel(cmdline, 16 * G, "x86_64").ok


def test_bare_word_with_the_value_split_off_says_what_to_write() -> None:
    assert "write 'crashkernel=256M'" in lints("crashkernel =256M")["bare-crashkernel"]


def test_upper_case_name_is_not_read() -> None:
    found = lints("CRASHKERNEL=256M")
    assert "crashkernel-name-case" in found
    assert not parse_crashkernel("CRASHKERNEL=256M", 16 * G, "x86_64").ok


@pytest.mark.parametrize("cmdline", [
    "crashkernel=256M", "crashkernels=4", "kdump.crashkernel", "crashkernel=2G-:256M"])
def test_no_form_lint_on_other_words(cmdline: str) -> None:
    found = lints(cmdline)
    assert not {"bare-crashkernel", "crashkernel-name-case", "range-missing-start"} & set(found)


def test_range_with_no_start_says_to_write_zero() -> None:
    found = lints("crashkernel=-512M:64M", ram=256 << 20)
    assert found["range-missing-start"].startswith("error: ")
    assert "write '0-512M:64M'" in found["range-missing-start"]
    assert not parse_crashkernel("crashkernel=-512M:64M", 256 << 20, "x86_64").ok
    assert parse_crashkernel("crashkernel=0-512M:64M", 256 << 20, "x86_64").ok


def test_a_later_entry_gets_the_previous_end_as_its_start() -> None:
    found = lints("crashkernel=0-512M:64M,-1G:128M", ram=768 << 20)
    assert "write '512M-1G:128M'" in found["range-missing-start"]
    assert found["range-missing-start"].startswith("error: ")


def test_an_entry_the_kernel_never_reaches_is_a_warning() -> None:
    """256 MiB matches entry 1, so the kernel stops before the broken entry 2."""
    found = lints("crashkernel=0-512M:64M,-1G:128M", ram=256 << 20)
    assert found["range-missing-start"].startswith("warning: ")
