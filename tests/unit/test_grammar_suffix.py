"""Suffix words and the per-arch callers of parse_crashkernel() (spec §1, §2.6, §2.7, §4)."""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import EINVAL, parse_crashkernel
from crashmap.kernel.target import parse_release

M, G = 1 << 20, 1 << 30
RAM = 16 * G


def parse(cmdline: str, arch: str = "x86_64", ram: int = RAM, kernel: str | None = None):
    return parse_crashkernel(cmdline, ram, arch,
                             kernel=parse_release(kernel) if kernel else None)


# --- ,high and ,low (spec §2.7 step 2) --------------------------------------------------------

@pytest.mark.parametrize(
    ("arch", "default_low"),
    [("x86_64", 256 * M), ("arm64", 128 * M), ("riscv64", 128 * M), ("loongarch64", 128 * M),
     ("i386", 0)],
)
def test_high_alone_gets_the_arch_default_low(arch: str, default_low: int) -> None:
    # spec §4: DEFAULT_CRASH_KERNEL_LOW_SIZE per arch
    result = parse("crashkernel=1G,high", arch)
    assert (result.ok, result.high, result.crash_size, result.low_size) == (
        True, True, G, default_low)


def test_documented_high_low_pair() -> None:
    result = parse("crashkernel=1G,high crashkernel=128M,low")
    assert (result.ok, result.high, result.crash_size, result.low_size) == (True, True, G, 128 * M)
    result = parse("crashkernel=1G,high crashkernel=256M,low")
    assert (result.ok, result.low_size) == (True, 256 * M)


def test_zero_low_means_no_low_reservation() -> None:
    result = parse("crashkernel=1G,high crashkernel=0,low")  # kernel-parameters.txt
    assert (result.ok, result.high, result.low_size) == (True, True, 0)


def test_low_is_not_compared_with_ram() -> None:
    # spec §2.7 consequences: ,low is never checked against RAM or the high size
    result = parse("crashkernel=1G,high crashkernel=64G,low")
    assert (result.ok, result.low_size) == (True, 64 * G)


def test_plain_word_disables_high_whatever_the_order() -> None:
    # spec §2.10: plain 256M, high = false
    result = parse("crashkernel=512M,high crashkernel=256M")
    assert (result.ok, result.high, result.crash_size, result.low_size) == (True, False, 256 * M, 0)
    result = parse("crashkernel=256M crashkernel=512M,high crashkernel=64M,low")
    assert (result.high, result.crash_size, result.low_size) == (False, 256 * M, 0)


def test_invalid_plain_word_still_disables_high() -> None:
    # spec §2.7: ret is -EINVAL, not -ENOENT, so ,high is never read
    result = parse("crashkernel=abc crashkernel=1G,high")
    assert result.ret == EINVAL
    assert not result.high
    assert result.error == "crashkernel: memory value expected"


@pytest.mark.parametrize(
    ("cmdline", "error"),
    [
        ("crashkernel=256M,low", None),  # spec §2.10: ,low alone
        ("crashkernel=256M,high,low", None),  # spec §2.10: a low word, no high word
        ("crashkernel=0,high", None),  # a zero ,high returns -EINVAL
        ("crashkernel=,high", "crashkernel: memory value expected"),
        ("crashkernel=1G@16M,high", "crashkernel: unrecognized char: @"),  # spec §2.6: no @
        ("crashkernel=1G-:256M,high", "crashkernel: unrecognized char: -"),  # no ranges
        ("crashkernel=1G,high,high", "crashkernel: unrecognized char: ,"),
        ("crashkernel=1G,high crashkernel=abc,low", "crashkernel: memory value expected"),
        ("crashkernel=1G,high crashkernel=64Mx,low", "crashkernel: unrecognized char: x"),
    ],
)
def test_high_low_failures(cmdline: str, error: str | None) -> None:
    result = parse(cmdline)
    assert result.ret == EINVAL
    assert not result.high
    if error is not None:
        assert result.error == error


def test_low_without_high_is_explained() -> None:
    result = parse("crashkernel=256M,low")
    assert result.error_code == "no-static"
    assert result.words[0].status == "ignored"
    assert "no ,high word" in result.words[0].reason


def test_final_ram_check_applies_to_high() -> None:
    # spec §2.7 step 4: "applies to every form including ,high"
    assert parse("crashkernel=16G,high").error_code == "size-not-below-ram"
    assert parse("crashkernel=16G,high", ram=16 * G + 1).ok


# --- ,cma (spec §2.6, §2.7 step 3) ------------------------------------------------------------

@pytest.mark.parametrize(
    ("cma_word", "cma_size"),
    [
        ("crashkernel=1G,cma", G),
        ("crashkernel=512Mx,cma", 512 * M),  # value stored before the suffix error
        ("crashkernel=,cma", 0),
        ("crashkernel=1G-:512M,cma", G),
        ("crashkernel=32G,cma", 32 * G),  # not compared with RAM
    ],
)
def test_cma_return_value_is_ignored(cma_word: str, cma_size: int) -> None:
    result = parse(f"crashkernel=256M {cma_word}")
    assert result.ok  # the cma parse never changes ret
    assert result.cma_size == cma_size
    assert result.cma_kept is (cma_size > 0)


def test_cma_error_message_is_still_printed() -> None:
    result = parse("crashkernel=256M crashkernel=512Mx,cma")
    assert result.messages == ("crashkernel: unrecognized char: x",)
    assert result.error is None


def test_cma_with_high() -> None:
    result = parse("crashkernel=1G,high crashkernel=0,low crashkernel=2G,cma")
    assert (result.ok, result.high, result.low_size, result.cma_size) == (True, True, 0, 2 * G)


@pytest.mark.parametrize(
    "cmdline",
    [
        "crashkernel=256M,cma",  # spec §2.7: on x86 ,cma alone does nothing
        "crashkernel=0,high crashkernel=1G,cma",  # high failed: returns before the cma parse
        "crashkernel=1G,high crashkernel=x,low crashkernel=1G,cma",  # low failed likewise
    ],
)
def test_x86_returns_before_reading_cma(cmdline: str) -> None:
    result = parse(cmdline)
    assert result.ret == EINVAL
    assert result.cma_size == 0
    assert not result.cma_kept
    assert result.words[-1].status == "ignored"


def test_x86_plain_failure_parses_cma_but_does_not_keep_it() -> None:
    # the cma parse runs (step 3), but x86 returns when ret != 0 (spec §1)
    result = parse("crashkernel=abc crashkernel=1G,cma")
    assert result.cma_size == G
    assert not result.cma_kept
    result = parse("crashkernel=16G crashkernel=1G,cma")  # rejected by the final RAM check
    assert (result.ret, result.cma_size, result.cma_kept) == (EINVAL, G, False)


def test_x86_cma_alone_is_no_static() -> None:
    assert parse("crashkernel=256M,cma").error_code == "no-static"


# --- per-arch callers (spec §1) ---------------------------------------------------------------

@pytest.mark.parametrize(("arch", "before", "since"), [
    ("arm64", "7.2", "7.3"), ("aarch64", "7.2.9", "7.3"), ("riscv64", "7.2", "7.3.4"),
    ("loongarch64", "7.3", None)])
def test_arches_without_cma_ignore_it(arch: str, before: str, since: str | None) -> None:
    # arm64/riscv pass cma_size from 7.3 (c12c63d05dfe, a037fe3c58ed); loongarch never does
    result = parse("crashkernel=256M crashkernel=1G,cma", arch, kernel=before)
    assert (result.ok, result.cma_size, result.cma_kept) == (True, 0, False)
    alone = parse("crashkernel=1G,cma", arch, kernel=before)
    assert (alone.ret, alone.cma_size) == (EINVAL, 0)
    if since:
        result = parse("crashkernel=256M crashkernel=1G,cma", arch, kernel=since)
        assert (result.ok, result.cma_size, result.cma_kept) == (True, G, True)


@pytest.mark.parametrize("arch", ["ppc64le", "ppc64", "powerpc"])
def test_powerpc_reads_cma_but_not_high(arch: str) -> None:
    result = parse("crashkernel=256M crashkernel=1G,cma", arch)
    assert (result.ok, result.cma_size, result.cma_kept, result.arch) == (
        True, G, True, "ppc64le")
    old = parse("crashkernel=256M crashkernel=1G,cma", arch, kernel="6.18")  # b4a96ab50f36: 6.19
    assert (old.ok, old.cma_size, old.cma_kept) == (True, 0, False)
    high = parse("crashkernel=1G,high crashkernel=256M,low", arch)
    assert (high.ret, high.high, high.crash_size) == (EINVAL, False, 0)
    assert high.error_code == "no-crashkernel"


@pytest.mark.parametrize("cmdline", ["crashkernel=1G,cma", "crashkernel=abc crashkernel=1G,cma"])
def test_powerpc_keeps_cma_when_the_static_part_fails(cmdline: str) -> None:
    # spec §2.7 consequences: high is NULL, so step 3 always runs; kdump_cma_reserve() checks
    # only crashk_cma_size (code reading, not runtime-verified)
    result = parse(cmdline, "ppc64le")
    assert result.ret == EINVAL
    assert (result.cma_size, result.cma_kept) == (G, True)


@pytest.mark.parametrize("arch", ["s390x", "s390", "arm", "armv7l", "mips", "mips64el"])
def test_plain_and_range_only_arches(arch: str) -> None:
    assert parse("crashkernel=256M", arch).crash_size == 256 * M
    assert parse("crashkernel=1G-:512M@64M", arch).crash_base == 64 * M
    assert parse("crashkernel=1G,high", arch).ret == EINVAL
    result = parse("crashkernel=256M crashkernel=1G,cma crashkernel=1G,high", arch)
    assert (result.ok, result.cma_size, result.high, result.crash_size) == (
        True, 0, False, 256 * M)


def test_aliases_are_canonical() -> None:
    assert parse("crashkernel=1G,high", "amd64").arch == "x86_64"
    assert parse("crashkernel=1G,high", "aarch64").low_size == 128 * M


def test_bad_inputs_raise_crashmap_error() -> None:
    with pytest.raises(CrashmapError):
        parse("crashkernel=256M", "vax")
    with pytest.raises(CrashmapError):
        parse("crashkernel=256M", ram=-1)
    with pytest.raises(CrashmapError):
        parse("crashkernel=256M", ram=1 << 64)
