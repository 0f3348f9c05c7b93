"""What ``kdumptool calibrate`` printed (SUSE kdump), read back.

openSUSE/kdump ``kdumptool/calibrate.cc`` ``main()`` prints ``Key: N`` lines in MiB: ``Total``
(System RAM), ``Low``, ``High``, ``MinLow``, ``MaxLow``, ``MinHigh``, ``MaxHigh`` and, where
built with fadump (POWER), ``Fadump``, ``MinFadump``, ``MaxFadump``. Older builds print the
same keys in another order (``Calibrate::execute``, 01658984) and some with a trailing space
(``MinHigh: 0 ``). Its failure paths:

- the environment from the ``kdumptool`` wrapper cannot be read: ``Error parsing config from
  environment variables: …`` on stderr, exit 1, nothing on stdout;
- the calculation fails: ``Error calculating required reservation, using default: …`` on
  stderr, and ``DEF_RESERVE_KB`` (per arch) goes into Low/High;
- a Xen PV DomU: every value 0 (no kdump in a PV guest);
- and the ``kdumptool`` wrapper (bash since 2023) prints ``Usage: kdumptool [--configfile f]
  calibrate …`` and exits 1 for arguments it does not take (cfg2html#206 on openSUSE 15.6).

YaST reads the output the same way (yast-kdump ``src/lib/kdump/kdump_calibrator.rb`` 039ae680,
``parse``: split at ``:``, strip, ``to_i``) and, when kdumptool fails, falls back to: total =
probed RAM, low and high suggested 0 with minimum 0, maximum low = total, maximum high = total
where high memory is supported (x86_64) else 0 (``test/lib/kdump/kdump_calibrator_test.rb``).

``kdumptool commandline`` turns ``auto`` into ``crashkernel=<Low>M,low crashkernel=<High>M,high``,
only ``,high`` when Low is 0, only ``crashkernel=<Low>M`` when High is 0, and with fadump
``crashkernel=<Fadump>M fadump=on`` (anchors.md §2b).

Pure: no I/O; sizes in bytes.
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.errors import CrashmapError
from crashmap.units import MiB, decimal

KEYS = {"Total": "total", "Low": "low", "High": "high", "MinLow": "min_low",
        "MaxLow": "max_low", "MinHigh": "min_high", "MaxHigh": "max_high",
        "Fadump": "fadump", "MinFadump": "min_fadump", "MaxFadump": "max_fadump"}
"""kdumptool's key → field (YaST's ``KEYS_MAP``)."""
REQUIRED = ("Low", "High")
"""Every calibrate.cc version prints these; without them the text is not calibrate output."""

USAGE = "Usage: kdumptool"
"""The ``kdumptool`` wrapper's ``usage()`` (stderr, exit 1) for arguments it does not take."""
ENV_ERROR = "Error parsing config from environment variables:"
DEFAULT_ERROR = "Error calculating required reservation, using default:"
_LINE = re.compile(r"^([A-Za-z]+)\s*:\s*(.*?)\s*$")
MAX_MIB = 1 << 44
"""No value beyond 16 EiB (in MiB) is a size; refuse it when read."""


class Calibration(namedtuple("Calibration",
                             ("total", "low", "high", "min_low", "max_low", "min_high",
                              "max_high", "fadump", "min_fadump", "max_fadump", "failed",
                              "fallback", "path"))):
    """kdumptool calibrate's answer, in bytes (None: not printed).

    ``failed``: kdumptool's error when it printed no values (YaST then uses its fallback);
    ``fallback``: the reason when it printed its per-arch default instead of a calculation.
    """

    __slots__ = ()

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def xen_domu(self) -> bool:
        """All zero: what calibrate.cc prints in a Xen PV DomU."""
        values = [getattr(self, f) for f in ("total", "low", "high", "max_low", "max_high")]
        return self.ok and all(v == 0 for v in values if v is not None)

    @property
    def reservation(self) -> int | None:
        """Low + High: what ``KDUMP_CRASHKERNEL=auto`` reserves (None when it failed)."""
        if not self.ok:
            return None
        return (self.low or 0) + (self.high or 0)

    def words(self, fadump: bool = False) -> tuple[str, ...]:
        """The ``crashkernel=`` words ``kdumptool commandline`` builds for ``auto``; with
        ``fadump`` (``KDUMP_FADUMP``) ``crashkernel=<Fadump>M fadump=on`` (it writes
        ``fadump=nocma`` instead when makedumpfile keeps user pages or the format is raw)."""
        if fadump:
            size = (self.fadump or 0) // MiB
            return (f"crashkernel={size}M", "fadump=on") if self.ok and size else ()
        low, high = (self.low or 0) // MiB, (self.high or 0) // MiB
        if not self.ok or (low == 0 and high == 0):
            return ()
        if low == 0:
            return (f"crashkernel={high}M,high",)
        if high == 0:
            return (f"crashkernel={low}M",)
        return (f"crashkernel={low}M,low", f"crashkernel={high}M,high")

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {f: getattr(self, f) for f in KEYS.values()}
        data.update(failed=self.failed, fallback=self.fallback, words=list(self.words()))
        return data


def parse(text: str, path: str = "kdumptool calibrate") -> Calibration:
    """``kdumptool calibrate`` output (stdout, or stdout and stderr together as sosreport and
    supportconfig keep them). Other lines (debug output, a shell prompt) are skipped; a known
    key with a value that is not a decimal MiB count, or given twice, is refused with its line.
    Text with no ``Low:``/``High:`` is calibrate's failure when it carries its error message,
    and otherwise not calibrate output (refused)."""
    values: dict[str, int] = {}
    seen: dict[str, int] = {}
    failed = fallback = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(ENV_ERROR):
            failed = stripped[len(ENV_ERROR):].strip() or "kdumptool failed"
            continue
        if stripped.startswith(USAGE):
            failed = "kdumptool printed its usage (calibrate did not run)"
            continue
        if stripped.startswith(DEFAULT_ERROR):
            fallback = stripped[len(DEFAULT_ERROR):].strip() or "no reason given"
            continue
        match = _LINE.match(stripped)
        if not match or match.group(1) not in KEYS:
            continue
        key, raw = match.groups()
        if key in seen:
            raise CrashmapError(f"kdumptool calibrate: {key} given twice (first on line "
                                f"{seen[key]})", path=path, line=number)
        mib = decimal(raw, MAX_MIB)
        if mib is None:
            raise CrashmapError(f"kdumptool calibrate: {key}: {raw!r} is not a size in MiB "
                                f"(calibrate.cc prints whole MiB)", path=path, line=number)
        seen[key] = number
        values[KEYS[key]] = mib * MiB
    if not all(k in seen for k in REQUIRED):
        if failed is not None or (not values and not text.strip()):
            return Calibration(*(None,) * 10, failed or "no output (kdumptool exit 1)",
                               None, path)
        missing = ", ".join(f"{k}:" for k in REQUIRED if k not in seen)
        raise CrashmapError(f"not kdumptool calibrate output: no {missing} line",
                            path=path)
    return Calibration(**{f: values.get(f) for f in KEYS.values()}, failed=None,
                       fallback=fallback, path=path)


class YastLimits(namedtuple("YastLimits", "total default_low min_low max_low default_high "
                                          "min_high max_high")):
    """What YaST's kdump dialog offers (MiB converted to bytes), from calibrate or its fallback."""

    __slots__ = ()


def yast_limits(calibration: Calibration, arch: str, ram: int | None) -> YastLimits:
    """``KdumpCalibrator``: the calibrate values, or the fallback when kdumptool failed
    (``ram`` is the probed memory; high memory supported on x86_64 only)."""
    c = calibration

    def given(value: int | None, otherwise: int | None) -> int | None:
        return otherwise if value is None else value  # Ruby ||=: only nil falls back

    high_max = ram if arch == "x86_64" else 0
    if not c.ok:
        return YastLimits(ram, 0, 0, ram, 0, 0, high_max)
    total = given(c.total, ram)
    min_low, min_high = given(c.min_low, 0), given(c.min_high, 0)
    return YastLimits(total, given(c.low, min_low), min_low, given(c.max_low, total),
                      given(c.high, min_high), min_high,
                      given(c.max_high, total if arch == "x86_64" else 0))


__all__ = ["Calibration", "KEYS", "YastLimits", "parse", "yast_limits"]
