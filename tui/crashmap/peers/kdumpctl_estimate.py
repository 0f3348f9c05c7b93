"""What ``kdumpctl estimate`` printed (Fedora/RHEL kdump-utils), read back.

kdump-utils ``kdumpctl`` ``do_estimate`` (coiby/kdump-utils 06d2662e) prints, after any
``kdump: …`` log lines (``Rebuilding …kdump.img`` when it rebuilt the initramfs)::

    Reserved crashkernel:    256M
    Recommended crashkernel: 256M

    Kernel image size:   56M
    Kernel modules size: 11M
    Initramfs size:      35M
    Runtime reservation: 16M
    LUKS required size:  1044M          (only with an encrypted LUKS2 dump target)
    Large modules: <none>               (or "Large modules:" and "    NAME: BYTES" lines)
    WARNING: Current crashkernel size is lower than recommended size 256M.

Sizes are ``$((bytes / 1048576))M``: whole MiB rounded down; large modules (static size of
at least 1 MiB in /proc/modules) are exact bytes. Before the LUKS line it prints ``Encrypted
kdump target requires extra memory, assuming using the keyslot with maximum memory
requirement``. Older kdumpctl (Fedora kexec-tools before kdump-utils; coiby/kexec-tools
0702d56e) added a 64M runtime and the initramfs once: ``estimated_size=$((kernel_size +
mod_size + initrd_size + runtime_size + crypt_size))``; it prints ``Runtime reservation: 64M``,
which is how the two formulas are told apart here (kdump-utils PR #99 brought 3 × initramfs
with the 16M runtime).
sosreport keeps the output as ``sos_commands/kdump/kdumpctl_estimate`` (sos
``sos/report/plugins/kdump.py`` ``RedHatKDump.setup``: ``add_cmd_output(["kdumpctl status",
"kdumpctl estimate"])``).

Pure: no I/O; sizes in bytes.
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.errors import CrashmapError
from crashmap.units import MiB, decimal

FIELDS = {
    "Reserved crashkernel": "reserved", "Recommended crashkernel": "recommended",
    "Kernel image size": "kernel_image", "Kernel modules size": "modules",
    "Initramfs size": "initramfs", "Runtime reservation": "runtime",
    "LUKS required size": "luks",
}
"""do_estimate's labels → fields (each value ``NM``)."""
LARGE = "Large modules"
WARNING = "WARNING: Current crashkernel size is lower than recommended size"
LOG_PREFIX = "kdump:"
"""kdump-logger lines (``dinfo``/``dwarn``/``derror`` print ``kdump: MESSAGE``)."""

_LABELLED = re.compile(r"^([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$")
_MODULE = re.compile(r"^\s+([A-Za-z0-9_-]+):\s*(\S+)\s*$")
MAX_MIB = 1 << 44
OLD_RUNTIME = 64 * MiB
"""The runtime reservation of the old formula (initramfs counted once)."""


class KdumpctlEstimate(namedtuple("KdumpctlEstimate",
                                  ("reserved", "recommended", "kernel_image", "modules",
                                   "initramfs", "runtime", "luks", "large_modules", "warning",
                                   "log", "failed", "path"))):
    """``kdumpctl estimate``'s answer in bytes (its MiB, rounded down as it prints them).

    ``large_modules``: ``(name, bytes)``; ``warning``: it said the reservation is too small;
    ``log``: its ``kdump: …`` lines; ``failed``: why there is no answer (its last log line)."""

    __slots__ = ()

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def initramfs_factor(self) -> int:
        """How many times this kdumpctl counts the initramfs: once with the old 64M runtime,
        three times since (compressed + unpacked + headroom)."""
        return 1 if self.runtime == OLD_RUNTIME else 3

    @property
    def estimated(self) -> int | None:
        """kernel + modules + N × initramfs + runtime + LUKS from the printed (floored) MiB:
        do_estimate's ``estimated_size`` to within a few MiB; the recommendation is the larger
        of this and the table."""
        parts = (self.kernel_image, self.modules, self.initramfs, self.runtime)
        if any(p is None for p in parts):
            return None
        return (self.kernel_image + self.modules + self.initramfs_factor * self.initramfs
                + self.runtime + (self.luks or 0))

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {f: getattr(self, f) for f in FIELDS.values()}
        data.update(large_modules=dict(self.large_modules), warning=self.warning,
                    estimated=self.estimated, log=list(self.log), failed=self.failed)
        return data


def parse(text: str, path: str = "kdumpctl estimate") -> KdumpctlEstimate:
    """``kdumpctl estimate`` output. A known label with a value that is not ``NM``, or given
    twice, is refused with its line. Output without ``Recommended crashkernel:`` is kdumpctl's
    failure when it has ``kdump:`` log lines (the answer says why), and otherwise not kdumpctl
    output (refused)."""
    values: dict[str, int] = {}
    seen: dict[str, int] = {}
    large: list[tuple[str, int]] = []
    log: list[str] = []
    warning = in_large = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            in_large = False
            continue
        if stripped.startswith(LOG_PREFIX):
            log.append(stripped[len(LOG_PREFIX):].strip())
            continue
        if stripped.startswith(WARNING):
            warning = True
            in_large = False
            continue
        if in_large:
            module = _MODULE.match(line)
            if module:
                size = decimal(module.group(2))
                if size is None:
                    raise CrashmapError(f"kdumpctl estimate: large module {module.group(1)}: "
                                        f"{module.group(2)!r} is not a size in bytes",
                                        path=path, line=number)
                large.append((module.group(1), size))
                continue
            in_large = False
        labelled = _LABELLED.match(stripped)
        if not labelled:
            continue
        label, raw = labelled.groups()
        if label == LARGE:
            in_large = raw != "<none>"
            if raw not in ("", "<none>"):
                raise CrashmapError(f"kdumpctl estimate: Large modules: {raw!r} (expected "
                                    f"'<none>' or a list below)", path=path, line=number)
            continue
        if label not in FIELDS:
            continue
        if label in seen:
            raise CrashmapError(f"kdumpctl estimate: {label} given twice (first on line "
                                f"{seen[label]})", path=path, line=number)
        mib = decimal(raw[:-1], MAX_MIB) if raw.endswith("M") else None
        if mib is None:
            raise CrashmapError(f"kdumpctl estimate: {label}: {raw!r} is not a size in whole "
                                f"MiB (do_estimate prints NM)", path=path, line=number)
        seen[label] = number
        values[FIELDS[label]] = mib * MiB
    failed = None
    if "recommended" not in values:
        if not log:
            raise CrashmapError("not kdumpctl estimate output: no 'Recommended crashkernel:' "
                                "line", path=path)
        failed = log[-1]
    return KdumpctlEstimate(**{f: values.get(f) for f in FIELDS.values()},
                            large_modules=tuple(large), warning=warning, log=tuple(log),
                            failed=failed, path=path)


__all__ = ["FIELDS", "KdumpctlEstimate", "parse"]
