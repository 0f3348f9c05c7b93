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
    assert expected_words(tmp_path, None, None) is None  # nothing shown
    auto = expected_words(tmp_path, CAL, "crash.txt (kdumptool calibrate)")
    assert auto.words == CAL and auto.auto  # no sysconfig: the default, auto
    (tmp_path / "etc/sysconfig").mkdir(parents=True)
    (tmp_path / "etc/sysconfig/kdump").write_text(
        'KDUMP_CRASHKERNEL="crashkernel=256M nokaslr crashkernel=72M,low"\n')
    stated = expected_words(tmp_path, CAL, "x")
    # non-crashkernel= items are ignored ("Ignoring unsupported ... found in KDUMP_CRASHKERNEL")
    assert stated.words == ("crashkernel=256M", "crashkernel=72M,low") and not stated.auto
