"""Reading ``kdumptool calibrate`` output, from the peers' own samples.

YaST: yast/yast-kdump ``test/lib/kdump/kdump_calibrator_test.rb`` (039ae680) ``KDUMPTOOL_OK``,
the ``High:0`` case, the fadump sample and ``KDUMPTOOL_ERROR`` (exit 1, no stdout) with the
fallbacks it asserts. kdumptool: openSUSE/kdump ``kdumptool/calibrate.cc`` ``main()`` (the
Xen PV DomU lines, the non-x86 ``MinHigh: 0 `` with a trailing space, the stderr messages of
its two failure paths) and ``kdumptool commandline``'s ``auto`` words (anchors.md §2b).
"""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.peers.calibrate import parse, yast_limits

M = 1 << 20
KDUMPTOOL_OK = ("Low: 108\nMinLow: 32\nMaxLow: 712\nHigh: 2048\nMinHigh: 1024\nMaxHigh: 4096\n"
                "Fadump: 0\nMinFadump: 0\nMaxFadump: 0\nTotal: 16079\n")
HIGH_ZERO = "Low: 108\nMinLow: 32\nMaxLow: 712\nHigh:0\nMinHigh: 0\nMaxHigh: 0\nTotal: 2048"
FADUMP = ("Low: 108\nMinLow: 32\nMaxLow: 712\nHigh: 2048\nMinHigh: 1024\nMaxHigh: 4096\n"
          "Fadump: 256\nMinFadump: 128\nMaxFadump: 8192\nTotal: 16079\n")
XEN_DOMU = "Total: 0\nLow: 0\nHigh: 0\nMinLow: 0\nMaxLow: 0\nMinHigh: 0 \nMaxHigh: 0 \n"


def test_yast_ok_sample_reads_every_key_in_mib() -> None:
    c = parse(KDUMPTOOL_OK, "cal.txt")
    assert (c.low, c.min_low, c.max_low) == (108 * M, 32 * M, 712 * M)
    assert (c.high, c.min_high, c.max_high) == (2048 * M, 1024 * M, 4096 * M)
    assert (c.fadump, c.min_fadump, c.max_fadump, c.total) == (0, 0, 0, 16079 * M)
    assert c.ok and c.fallback is None and not c.xen_domu
    assert c.reservation == (108 + 2048) * M
    assert c.words() == ("crashkernel=108M,low", "crashkernel=2048M,high")
    limits = yast_limits(c, "x86_64", 4 << 30)  # the values YaST's tests expect
    assert (limits.default_low, limits.min_low, limits.max_low) == (108 * M, 32 * M, 712 * M)
    assert (limits.default_high, limits.min_high, limits.max_high) == (
        2048 * M, 1024 * M, 4096 * M)
    assert limits.total == 16079 * M


def test_high_zero_without_a_space_means_no_high_memory() -> None:
    c = parse(HIGH_ZERO)
    assert c.high == 0 and c.max_high == 0 and c.total == 2048 * M
    assert yast_limits(c, "x86_64", None).max_high == 0  # high_memory_supported? -> false
    assert c.words() == ("crashkernel=108M",)  # High 0: kdumptool commandline writes Low only


def test_fadump_sample() -> None:
    c = parse(FADUMP)
    assert (c.fadump, c.min_fadump, c.max_fadump) == (256 * M, 128 * M, 8192 * M)


def test_kdumptool_error_takes_yasts_fallback() -> None:
    c = parse("")  # KDUMPTOOL_ERROR: exit 1, stdout ""
    assert not c.ok and c.reservation is None and c.words() == ()
    x86 = yast_limits(c, "x86_64", 4294967296)  # .probe.memory: 4 GiB
    assert x86.total == 4096 * M and x86.max_low == 4096 * M and x86.max_high == 4096 * M
    assert (x86.min_low, x86.default_low, x86.min_high, x86.default_high) == (0, 0, 0, 0)
    assert yast_limits(c, "arm64", 4294967296).max_high == 0  # no high memory off x86_64


def test_environment_error_on_stderr_is_the_failure() -> None:
    c = parse("Error parsing config from environment variables: KDUMP_CPUS not defined\n")
    assert not c.ok and c.failed == "KDUMP_CPUS not defined"


def test_the_wrappers_usage_is_a_failure() -> None:
    # cfg2html#206: the kdumptool wrapper on openSUSE 15.6 answers other subcommands this way
    c = parse("Usage: kdumptool [--configfile f] calibrate [-s | --shrink] [-d]\n"
              "Outputs possible and suggested memory reservation values.\nOptions:\n"
              "    --configfile f\tuse f as alternative configfile\n")
    assert not c.ok and "usage" in c.failed


def test_calculation_error_prints_the_default_and_says_so() -> None:
    text = ("Error calculating required reservation, using default: Cannot open /proc/iomem\n"
            "Total: 3895\nLow: 192\nHigh: 0\nMinLow: 72\nMaxLow: 3000\nMinHigh: 0\nMaxHigh: 0\n")
    c = parse(text)
    assert c.ok and c.fallback == "Cannot open /proc/iomem"
    assert c.low == 192 * M and c.words() == ("crashkernel=192M",)


def test_xen_pv_domu_is_all_zero_with_calibrates_trailing_spaces() -> None:
    c = parse(XEN_DOMU)
    assert c.ok and c.xen_domu and c.reservation == 0 and c.words() == ()
    assert c.min_high == 0 and c.max_high == 0


def test_low_zero_gives_only_the_high_word() -> None:
    # a user's SLES output: the block lands below 4 GiB, so Low 0 and everything in High
    c = parse("Total: 2031\nLow: 0\nHigh: 339\nMinLow: 0\nMaxLow: 576\nMinHigh: 0\n"
              "MaxHigh: 576\n")
    assert c.words() == ("crashkernel=339M,high",) and c.reservation == 339 * M


def test_other_lines_are_skipped() -> None:
    c = parse("host:~ # kdumptool calibrate\n" + KDUMPTOOL_OK + "host:~ #\n")
    assert c.low == 108 * M


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Low: 108\nHigh: 2O48\n", 2, "'2O48' is not a size in MiB"),
    ("Low: ²\nHigh: 0\n", 1, "'²' is not a size in MiB"),
    ("Low: -5\nHigh: 0\n", 1, "'-5' is not a size"),
    ("Low: 1\nHigh: 0\nLow: 2\n", 3, "Low given twice (first on line 1)"),
    ("Low: 99999999999999999999\nHigh: 0\n", 1, "is not a size in MiB"),
])
def test_bad_values_name_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CrashmapError) as info:
        parse(text, "cal.txt")
    assert str(info.value).startswith(f"cal.txt:{line}: ") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_text_that_is_not_calibrate_output_is_refused() -> None:
    with pytest.raises(CrashmapError, match=r"^x.txt: not kdumptool calibrate output: no High:"):
        parse("Low: 100\nsomething else\n", "x.txt")
    with pytest.raises(CrashmapError, match="no Low:, High: line"):
        parse("MemTotal: 1024 kB\n", "x.txt")


def test_fadump_words_as_kdumptool_commandline_writes_them() -> None:
    c = parse(FADUMP)
    assert c.words(fadump=True) == ("crashkernel=256M", "fadump=on")
    assert parse(KDUMPTOOL_OK).words(fadump=True) == ()  # Fadump: 0 is no fadump answer
    from crashmap.estimate.measured import from_calibrate

    row = from_calibrate(c, "ppc64le", 16 << 30, "fadump")
    assert row.bytes == 256 * M and row.words == ("crashkernel=256M", "fadump=on")
    kdump = from_calibrate(c, "ppc64le", 16 << 30)
    assert kdump.bytes == (108 + 2048) * M and "fadump=on" not in kdump.words
