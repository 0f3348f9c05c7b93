"""``kdumptool commandline -c`` as openSUSE/kdump ``kdumptool/kdumptool`` ``do_commandline()``
(074a563) decides it: exact words, or for ``auto`` the same words but for numbers within
-4/+16 MiB of calibrate's, in order; and where a report folder says what kdump expects."""

from __future__ import annotations

import pytest
from crashmap.kdumptool_check import check, expected_words, sysconfig_value

CAL = ("crashkernel=108M,low", "crashkernel=2048M,high")


@pytest.mark.parametrize(("running", "ok"), [
    (CAL, True),
    (("crashkernel=104M,low", "crashkernel=2064M,high"), True),    # -4 and +16: tolerated
    (("crashkernel=103M,low", "crashkernel=2048M,high"), False),   # AN > BN + TOLERANCE_DOWN
    (("crashkernel=108M,low", "crashkernel=2065M,high"), False),   # AN < BN - TOLERANCE_UP
    (("crashkernel=2048M,high",), False),                          # another number of words
    (("crashkernel=2048M,high", "crashkernel=108M,low"), False),   # compared in order
    (("crashkernel=108M,low", "crashkernel=2G,high"), False),      # ${A/$AN/$BN} != B
    ((), False),                                                   # "Kdump can't be started"
])
def test_auto_tolerates_minor_differences(running, ok):
    assert check(CAL, running, auto=True)[0] is ok


def test_stated_words_are_compared_exactly():
    assert check(("crashkernel=256M",), ("crashkernel=256M",), auto=False)[0]
    assert not check(("crashkernel=256M",), ("crashkernel=260M",), auto=False)[0]
    assert "can't be started" in check(("crashkernel=256M",), (), auto=False)[1]


def test_sysconfig_value():
    assert sysconfig_value('## Type: string\nKDUMP_CRASHKERNEL=""\nKDUMP_CRASHKERNEL="auto"\n') \
        == "auto"
    assert sysconfig_value("KDUMP_CRASHKERNEL='crashkernel=256M crashkernel=72M,low'") == \
        "crashkernel=256M crashkernel=72M,low"
    assert sysconfig_value("KDUMP_CPUS=32\n") is None


def test_expected_words_from_a_report(tmp_path):
    from crashmap.peers.calibrate import parse

    cal = parse("Low: 108\nMinLow: 32\nMaxLow: 712\nHigh: 2048\nMinHigh: 1024\n"
                "MaxHigh: 4096\nFadump: 512\nTotal: 16079\n")
    assert expected_words(tmp_path, None, None, False) is None  # nothing shown
    auto = expected_words(tmp_path, cal, "crash.txt (kdumptool calibrate)", False)
    assert auto.words == CAL and auto.auto and auto.fadump == ()  # no sysconfig: auto
    (tmp_path / "etc/sysconfig").mkdir(parents=True)
    (tmp_path / "etc/sysconfig/kdump").write_text(
        'KDUMP_CRASHKERNEL="crashkernel=256M nokaslr crashkernel=72M,low"\n')
    stated = expected_words(tmp_path, cal, "x", False)
    # non-crashkernel= items are ignored ("Ignoring unsupported ... found in KDUMP_CRASHKERNEL")
    assert stated.words == ("crashkernel=256M", "crashkernel=72M,low") and not stated.auto
    (tmp_path / "etc/sysconfig/kdump").write_text(
        'KDUMP_CRASHKERNEL="auto"\nKDUMP_FADUMP="true"\nKDUMP_DUMPLEVEL="0"\n')
    fadump = expected_words(tmp_path, cal, "x", False)
    # KDUMP_FADUMP: crashkernel=<Fadump>M, and fadump=nocma as dump level 0 keeps user pages
    assert fadump.words == ("crashkernel=512M",) and fadump.fadump == ("fadump=nocma",)


def test_fadump_words_are_compared_exactly():
    from crashmap.kdumptool_check import Expected, check_cmdline

    kdump = Expected(("crashkernel=256M",), (), False, "x")
    assert check_cmdline(kdump, "ro crashkernel=256M")[0]
    ok, why = check_cmdline(kdump, "ro crashkernel=256M fadump=off")
    assert not ok and "does not expect fadump=off" in why  # even off: FADUMP=() != (off)
    fadump = Expected(("crashkernel=512M",), ("fadump=on",), True, "x")
    assert check_cmdline(fadump, "crashkernel=520M fadump=on")[0]
    assert not check_cmdline(fadump, "crashkernel=512M")[0]
