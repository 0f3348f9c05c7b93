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
  order; no crashkernel= at all is "Kdump can't be started";
- the ``fadump=`` words must then be exactly the expected ones: ``fadump=on`` (``nocma`` when
  makedumpfile keeps user pages or writes raw) with ``KDUMP_FADUMP=true``, none otherwise.

Pure except :func:`expected_words`, which reads a report folder.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from crashmap.units import MiB

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

TOLERANCE_DOWN = 4 * MiB
TOLERANCE_UP = 16 * MiB
"""How far a running size may sit below / above an estimated one and still agree."""

_ASSIGN = re.compile(r"""^\s*([A-Z_]+)=(?:"([^"]*)"|'([^']*)'|(\S*))""")


class Expected(namedtuple("Expected", "words fadump auto source")):
    """The crashkernel= words and the fadump= words kdump expects, whether the words come from
    calibrate (``auto``), and where they were read."""

    __slots__ = ()


def within_tolerance(expected: int, running: int) -> bool:
    """The running size (bytes) at most 4 MiB below or 16 MiB above the expected one."""
    return expected - TOLERANCE_DOWN <= running <= expected + TOLERANCE_UP


def check(expected: tuple[str, ...], running: tuple[str, ...], *,
          auto: bool) -> tuple[bool, str]:
    """``kdumptool commandline -c``'s answer for the crashkernel= words (in command-line
    order), and its reason."""
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


def check_cmdline(expected: Expected, cmdline: str) -> tuple[bool, str]:
    """Both of kdumptool's comparisons on /proc/cmdline (read as ``read -ra``: the
    ``crashkernel=*`` and ``fadump=*`` words, in order): the crashkernel= words, then the
    fadump= words, which must be exactly what is expected (none unless KDUMP_FADUMP)."""
    words = cmdline.split()
    running = tuple(w for w in words if w.startswith("crashkernel="))
    fadump = tuple(w for w in words if w.startswith("fadump="))
    ok, why = check(expected.words, running, auto=expected.auto)
    if fadump != expected.fadump:
        want = " ".join(expected.fadump)
        ok, why = False, (f"kdump expects {want}, /proc/cmdline has "
                          f"{' '.join(fadump) or 'none'}" if want else
                          f"kdump does not expect {' '.join(fadump)} on the command line")
    return ok, why


def sysconfig_value(text: str, name: str = "KDUMP_CRASHKERNEL") -> str | None:
    """``name`` in /etc/sysconfig/kdump text (its last assignment), or None."""
    value = None
    for line in text.splitlines():
        match = _ASSIGN.match(line)
        if match and match.group(1) == name:
            value = next(g for g in match.groups()[1:] if g is not None)
    return value


def expected_words(folder: Path | None, calibration: Any, calibrate_source: str | None,
                   fadump_on: bool) -> Expected | None:
    """What kdump expects on the host: ``KDUMP_CRASHKERNEL`` and ``KDUMP_FADUMP`` from the
    report ``folder``'s etc/sysconfig/kdump (sosreport) or crash.txt section (supportconfig);
    ``auto`` when not set, then the words of ``calibration`` (the kdumptool calibrate output
    found, :class:`crashmap.peers.calibrate.Calibration`, or None). Without a sysconfig,
    KDUMP_FADUMP is taken to be what the command line booted (``fadump_on``). None when
    nothing says what kdump expects."""
    text = _sysconfig(folder) if folder is not None else None
    value = sysconfig_value(text) if text is not None else None
    flag = sysconfig_value(text, "KDUMP_FADUMP") if text is not None else None
    fadump = fadump_on if flag is None else flag.strip().lower() == "true"
    fadump_words = (_fadump_word(text),) if fadump else ()
    if value is None or value.strip() == "auto":
        if calibration is None or not calibration.ok:
            return None
        words = tuple(w for w in calibration.words(fadump=fadump)
                      if w.startswith("crashkernel="))
        return Expected(words, fadump_words, True, calibrate_source or "kdumptool calibrate")
    words = tuple(w for w in value.split() if w.startswith("crashkernel="))
    return Expected(words, fadump_words, False, "KDUMP_CRASHKERNEL in /etc/sysconfig/kdump")


def _fadump_word(text: str | None) -> str:
    """``fadump=on``, or ``fadump=nocma`` when makedumpfile keeps user pages (dump level bit 8
    clear) or the format is raw, as kdumptool writes it."""
    level = sysconfig_value(text, "KDUMP_DUMPLEVEL") if text is not None else None
    form = sysconfig_value(text, "KDUMP_DUMPFORMAT") if text is not None else None
    if (level is not None and level.strip().isdigit() and not int(level) & 8) or form == "raw":
        return "fadump=nocma"
    return "fadump=on"


def _sysconfig(folder: Path) -> str | None:
    from crashmap.errors import CrashmapError
    from crashmap.files import read_capped
    from crashmap.iomem import read_text
    from crashmap.report_dir import supportconfig_sections

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
