"""The kernel's own configuration: can this kernel reserve crashkernel= memory and load a
capture kernel at all? Pure domain code; the snapshot keeps only the lines that matter.

Sources: ``/proc/config.gz`` (CONFIG_IKCONFIG_PROC) or ``/boot/config-$(uname -r)``, also
copied into sosreports. The Kconfig rules are those of kernel/Kconfig.kexec; from Linux 6.9
(75bc255a7444, "crash: clean up kdump related config items") CRASH_DUMP depends on KEXEC_CORE
and selects CRASH_RESERVE; before it KEXEC_CORE selected CRASH_CORE, which held the
crashkernel= parser, and CRASH_DUMP meant "this kernel can be the capture kernel".
"""

from __future__ import annotations

import re
from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from crashmap.kernel.target import TargetKernel

RELEVANT = (
    "CRASH_DUMP", "CRASH_RESERVE", "CRASH_CORE", "KEXEC", "KEXEC_FILE", "KEXEC_CORE",
    "KEXEC_SIG", "KEXEC_SIG_FORCE", "KEXEC_HANDOVER", "CMA", "CMA_AREAS",
    "ARCH_HAS_GENERIC_CRASHKERNEL_RESERVATION", "ARCH_SUPPORTS_CRASH_DUMP", "PROC_VMCORE",
    "VMCORE_INFO", "CRASH_HOTPLUG", "FA_DUMP", "RELOCATABLE", "RANDOMIZE_BASE", "SWIOTLB",
    "ZONE_DMA", "ZONE_DMA32", "IKCONFIG_PROC",
)
"""The options kept in a snapshot (everything else in a 10 000-line config is left out)."""

_LINE = re.compile(r"^(?:CONFIG_([A-Z0-9_]+)=(.*)|# CONFIG_([A-Z0-9_]+) is not set)\s*$")
CONFIG_SPLIT = (6, 9)
"""75bc255a7444 ("crash: clean up kdump related config items", kernel/Kconfig.kexec)."""


def relevant_lines(text: str) -> str:
    """The lines of a kernel .config that say something about kdump, in file order."""
    wanted = set(RELEVANT)
    kept = []
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match and (match.group(1) or match.group(3)) in wanted:
            kept.append(line.strip())
    return "\n".join(kept) + ("\n" if kept else "")


class KernelConfig(namedtuple("KernelConfig", "values source")):
    """The kept options: ``values`` maps a name (without ``CONFIG_``) to its value (``y``,
    ``m``, a number or string) or ``n`` for "is not set"; an option the text does not mention
    is unknown (:meth:`get` returns None). ``source`` says where the text came from."""

    __slots__ = ()

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def on(self, name: str) -> bool | None:
        """``y`` True, ``n`` False, not mentioned None (a built-in bool is never ``m``)."""
        value = self.values.get(name)
        if value is None:
            return None
        return value not in ("n", "")


def parse_config(text: str | None, source: str = "") -> KernelConfig | None:
    """The kept ``CONFIG_`` lines as a :class:`KernelConfig` (None when there is no text)."""
    if not text or not text.strip():
        return None
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        if match.group(1):
            values[match.group(1)] = match.group(2).strip().strip('"')
        else:
            values[match.group(3)] = "n"
    return KernelConfig(values, source) if values else None


class Capability(namedtuple("Capability", "code ok message why")):
    """One thing kdump needs from the kernel's build: ``ok`` True, False (missing) or None."""

    __slots__ = ()


def capabilities(config: KernelConfig, kernel: TargetKernel | None) -> list[Capability]:
    """Can this build reserve, load and use a capture kernel, and reserve ``,cma``?"""
    split = kernel is None or kernel.at_least(CONFIG_SPLIT)
    found: list[Capability] = []
    if split:
        reserve = config.on("CRASH_RESERVE")
        why = ("from Linux 6.9 the crashkernel= parser and reservation are built with "
               "CONFIG_CRASH_RESERVE, which CONFIG_CRASH_DUMP selects (kernel/Kconfig.kexec, "
               "75bc255a7444)")
        name = "CONFIG_CRASH_RESERVE"
    else:
        reserve = config.on("KEXEC_CORE")
        if reserve is None:
            reserve = config.on("CRASH_CORE")
        why = ("before Linux 6.9 the reservation code is built with CONFIG_KEXEC_CORE (selected "
               "by CONFIG_KEXEC or CONFIG_KEXEC_FILE), which selects CONFIG_CRASH_CORE")
        name = "CONFIG_KEXEC_CORE"
    found.append(Capability("reserve", reserve,
                            f"{name} is not set: this kernel ignores crashkernel= and reserves "
                            f"nothing", why))
    kexec, kexec_file = config.on("KEXEC"), config.on("KEXEC_FILE")
    loader = None if kexec is None and kexec_file is None else bool(kexec or kexec_file)
    found.append(Capability("load", loader,
                            "neither CONFIG_KEXEC nor CONFIG_KEXEC_FILE is set: no capture "
                            "kernel can be loaded (no kexec_load, no kexec_file_load)",
                            "kdump loads the capture kernel with kexec -p through one of these "
                            "system calls"))
    if split:
        found.append(Capability("crash-dump", config.on("CRASH_DUMP"),
                                "CONFIG_CRASH_DUMP is not set: this kernel cannot load or jump "
                                "to a crash kernel",
                                "from Linux 6.9 the crash kexec path (KEXEC_ON_CRASH, "
                                "crash_kexec()) is built with CONFIG_CRASH_DUMP "
                                "(kernel/Kconfig.kexec, 75bc255a7444)"))
    cma = config.on("CMA")
    generic = config.on("ARCH_HAS_GENERIC_CRASHKERNEL_RESERVATION")
    cma_ok = None if cma is None else bool(cma) and generic is not False
    found.append(Capability("cma", cma_ok,
                            "CONFIG_CMA is not set: a ,cma word only logs 'crashkernel CMA "
                            "reservation not supported'",
                            "reserve_crashkernel_cma() exists only with CONFIG_CMA and the "
                            "generic reservation (include/linux/crash_reserve.h, CRASHKERNEL_CMA)"))
    found.append(Capability("kexec-file", kexec_file,
                            "CONFIG_KEXEC_FILE is not set: only kexec_load exists, which never "
                            "hands CMA memory to the capture kernel",
                            "the CMA ranges reach the capture kernel only through "
                            "kernel/kexec_file.c (kbuf->cma); kexec-tools has no crash-CMA "
                            "support"))
    return found
