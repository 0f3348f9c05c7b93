"""SUSE's ``kdumptool commandline -c``: do /proc/cmdline's crashkernel= words match the ones kdump
expects?

openSUSE/kdump ``kdumptool/kdumptool`` ``do_commandline()`` (commit 074a563):

- the expected words are ``KDUMP_CRASHKERNEL`` from /etc/sysconfig/kdump, or, when it is
  ``auto`` (the default), what ``kdumptool calibrate`` says (``crashkernel=<Low>M,low
  crashkernel=<High>M,high``, see :meth:`crashmap.peers.calibrate.Calibration.words`);
- identical words agree. Otherwise, only for ``auto`` ("kdumptool calibrate is not stable"):
  the same number of words, each the same but for its number (``${A/$AN/$BN}`` equals ``B``, the
  numbers being every digit of the word), and the running number ``BN`` at most
  ``TOLERANCE_UP=16`` above and ``TOLERANCE_DOWN=4`` below the expected ``AN`` (MiB): it fails
  when ``AN > BN + TOLERANCE_DOWN`` or ``AN < BN - TOLERANCE_UP``. Words are compared in
  order; no crashkernel= at all is "Kdump can't be started".

Pure except :func:`expected_words`, which reads a report folder.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from crashmap.units import MiB

TOLERANCE_DOWN = 4 * MiB
TOLERANCE_UP = 16 * MiB
"""How far a running size may sit below / above an estimated one and still agree."""

_ASSIGN = re.compile(r"""^\s*KDUMP_CRASHKERNEL=(?:"([^"]*)"|'([^']*)'|(\S*))""")


def within_tolerance(expected: int, running: int) -> bool:
    """The running size (bytes) at most 4 MiB below or 16 MiB above the expected one."""
    return expected - TOLERANCE_DOWN <= running <= expected + TOLERANCE_UP


class Expected(namedtuple("Expected", "words auto source")):
    """The crashkernel= words kdump expects, whether they come from calibrate (``auto``), and
    where they were read."""

    __slots__ = ()


def check(expected: tuple[str, ...], running: tuple[str, ...], *,
          auto: bool) -> tuple[bool, str]:
    """``kdumptool commandline -c``'s answer and its reason, for words in command-line order."""
    if expected == running:
        return True, "the words kdump expects"
    if not running:
        return False, "no crashkernel= in /proc/cmdline: kdump can't be started"
    if not auto:
        return False, "not the words kdump expects (KDUMP_CRASHKERNEL is compared exactly)"
    if len(expected) != len(running):
        return False, "another number of crashkernel= words than kdump expects"
    down, up = TOLERANCE_DOWN // MiB, TOLERANCE_UP // MiB
    for want, got in zip(expected, running, strict=True):
        want_n, got_n = re.sub(r"[^0-9]", "", want), re.sub(r"[^0-9]", "", got)
        if not want_n or not got_n or want.replace(want_n, got_n, 1) != got:
            return False, f"{got} is not of the form of {want}"
        if not within_tolerance(int(want_n) * MiB, int(got_n) * MiB):
            return False, f"{got} is outside -{down}/+{up} MiB of {want}"
    return True, ("within -4/+16 MiB of what kdumptool calibrate says (kdumptool: "
                  "'Ignoring minor differencies in crashkernel sizes')")


def sysconfig_value(text: str) -> str | None:
    """``KDUMP_CRASHKERNEL`` of /etc/sysconfig/kdump text (its last assignment), or None."""
    value = None
    for line in text.splitlines():
        match = _ASSIGN.match(line)
        if match:
            value = next(g for g in match.groups() if g is not None)
    return value


def expected_words(folder: Path, calibrated: tuple[str, ...] | None,
                   calibrate_source: str | None) -> Expected | None:
    """What kdump expects on the host of report ``folder``: ``KDUMP_CRASHKERNEL`` from its
    etc/sysconfig/kdump (sosreport) or crash.txt section (supportconfig), ``auto`` when not
    set; ``calibrated`` the words of the calibrate output found there (None: none). None when
    the folder shows neither."""
    text = _sysconfig(folder)
    value = sysconfig_value(text) if text is not None else None
    if value is None or value.strip() == "auto":
        if calibrated is None:
            return None
        return Expected(calibrated, True, calibrate_source or "kdumptool calibrate")
    words = tuple(w for w in value.split() if w.startswith("crashkernel="))
    return Expected(words, False, "KDUMP_CRASHKERNEL in /etc/sysconfig/kdump")


def _sysconfig(folder: Path) -> str | None:
    from crashmap.errors import CrashmapError
    from crashmap.files import read_capped
    from crashmap.iomem import read_text
    from crashmap.sources import supportconfig_sections

    for relative, section in (("etc/sysconfig/kdump", None),
                              ("crash.txt", "/etc/sysconfig/kdump")):
        path = folder / relative
        try:
            if not path.is_file():
                continue
            text = read_text(read_capped(path), str(path))
        except (CrashmapError, OSError):
            continue
        if section is None:
            return text
        for command, content in supportconfig_sections(text):
            if command.endswith(section):
                return content
    return None
