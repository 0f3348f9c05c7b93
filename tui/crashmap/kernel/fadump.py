"""ppc64 firmware-assisted dump (fadump): how the kernel reads ``fadump=`` and what it reserves.

With fadump the firmware, not kexec, captures the crash: at the crash it copies the first
"boot memory" bytes of RAM into a reserved area and reboots the machine fully reset; the next
boot of the *same* kernel exports the old memory as ``/proc/vmcore``. ``crashkernel=`` then
sizes that boot memory instead of a capture-kernel block (``arch/powerpc/kernel/fadump.c``,
``fadump_calculate_reserve_size()``; Documentation/arch/powerpc/firmware-assisted-dump.rst).

Pure: no Textual, no I/O.
"""

from __future__ import annotations

from crashmap.arch import FADUMP_ARCHES, fadump_supported
from crashmap.kernel.params import WHITESPACE, Param, find_params, param_at
from crashmap.units import MiB

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from crashmap.arch import Arch

SUPPORTED_ARCHES = FADUMP_ARCHES
"""Where the kernel has ``fadump=`` (ppc64le): :data:`crashmap.arch.FADUMP_ARCHES`."""
supported = fadump_supported
"""Whether an arch has firmware-assisted dump: :func:`crashmap.arch.fadump_supported` (there,
so that the main screen's footer asks it without importing this module)."""

PARAM = "fadump="
VALUES = ("on", "nocma", "off")
"""What ``early_fadump_param()`` knows; kdumpctl ``reset-crashkernel --fadump=on|off|nocma``."""


UNSUPPORTED = "Cannot use Firmware-assisted dump. It is not supported on this hardware."
"""YaST kdump's error when fadump is asked for where it is not supported (yast-kdump
``src/modules/Kdump.rb`` ``use_fadump``; test/fadump_test.rb: refused on other architectures)."""

MAX_BOOT_MEM_RATIO = 4
"""``crashkernel=`` is capped at RAM / 4 (arch/powerpc/include/asm/fadump-internal.h:
"The upper limit percentage for user specified boot memory size (25%)")."""
RTAS_MIN_BOOT_MEM = 256 * MiB + 64 * MiB
"""``RTAS_FADUMP_MIN_BOOT_MEM`` (arch/powerpc/platforms/pseries/rtas-fadump.h): 256 MiB for the
kernel to boot plus 64 MiB for network dump targets; the floor of the default size on pSeries
(PowerVM). OPAL (PowerNV) computes its own minimum, not modelled."""
DEFAULT_ROUND = 256 * MiB
"""The default (5 % of RAM) is rounded down to a multiple of 256 MiB (``size & ~0x0FFFFFFFUL``)."""


def refusal(arch: str | Arch) -> str:
    """The one-line refusal of fadump on ``arch``, with SUSE's words and the kernel's reason."""
    name = arch if isinstance(arch, str) else arch.name
    return (f"{UNSUPPORTED[:-1]} ({name}): fadump= exists only on ppc64le kernels with "
            "CONFIG_FA_DUMP (arch/powerpc/kernel/fadump.c); YaST kdump refuses it likewise "
            "(yast-kdump src/modules/Kdump.rb use_fadump)")


def fadump_params(cmdline: str) -> list[Param]:
    """Every ``fadump=`` parameter the kernel reads: before ``--``, split and unquoted as
    ``next_arg()`` does (:mod:`crashmap.kernel.params`), name exactly ``fadump``."""
    heads = (PARAM, '"' + PARAM)  # the only texts next_arg() names fadump with a value
    found = (param_at(cmdline, start, end)
             for start, end in find_params(cmdline, heads, kernel_only=True))
    return [p for p in found if p.name == PARAM[:-1] and p.value is not None]


def fadump_spans(cmdline: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each of :func:`fadump_params`."""
    return [(p.start, p.end) for p in fadump_params(cmdline)]


def read_value(value: str) -> str | None:
    """What ``early_fadump_param()`` makes of one value: ``on``, ``off``, ``nocma``, or None
    when it changes nothing. It compares prefixes (``strncmp(p, "on", 2)``), so ``onx`` is
    ``on`` and ``yes`` is ignored."""
    for known in VALUES:
        if value.startswith(known):
            return known
    return None


def fadump_mode(cmdline: str) -> str:
    """The kernel's fadump state after reading ``cmdline``: ``on``, ``nocma`` or ``off``.

    Each ``fadump=`` early parameter is applied in order (``parse_early_param()`` →
    ``early_fadump_param()``), so the last one the kernel understands wins; ``fw_dump`` starts
    zeroed, so no parameter means ``off``. Words after ``--`` are init's and never read.
    """
    mode = "off"
    for param in fadump_params(cmdline):
        value = read_value(param.value or "")
        if value is not None:
            mode = value
    return mode


def ignored_values(cmdline: str) -> list[str]:
    """The ``fadump=`` parameters whose value the kernel does not understand (it ignores them)."""
    return [cmdline[p.start:p.end] for p in fadump_params(cmdline)
            if read_value(p.value or "") is None]


def dump_mode(value: str) -> str:
    """kdumpctl ``get_dump_mode_by_fadump_val``: ``on``/``nocma`` → ``fadump``, ``off`` or empty
    → ``kdump``; any other value is refused (``ValueError``, kdumpctl: "invalid fadump")."""
    if value in ("on", "nocma"):
        return "fadump"
    if value in ("", "off"):
        return "kdump"
    raise ValueError(f"invalid fadump={value!r}: kdumpctl takes on, nocma or off")


def boot_memory_size(crash_size: int | None, system_ram: int) -> tuple[int, str]:
    """The boot memory fadump preserves, and how the kernel got it
    (``fadump_calculate_reserve_size()``, pSeries).

    ``crash_size`` is what ``parse_crashkernel()`` gave (None or 0: no usable crashkernel=).
    A given size is capped at RAM / 4 and its ``@offset`` ignored ("fadump reserves memory at a
    predefined offset"); without one the kernel takes 5 % of RAM rounded down to 256 MiB, at
    least ``RTAS_FADUMP_MIN_BOOT_MEM``. The area reserved is this plus the firmware's metadata
    (CPU state, HPTE region, ELF headers: ``get_fadump_area_size()``), not modelled here.
    """
    if crash_size:
        cap = system_ram // MAX_BOOT_MEM_RATIO
        if crash_size > cap:
            return cap, "crashkernel= capped at 25 % of RAM (\"Adjusted boot memory size\")"
        return crash_size, "crashkernel="
    size = system_ram // 20 & ~(DEFAULT_ROUND - 1)
    if size > RTAS_MIN_BOOT_MEM:
        return size, "no crashkernel=: 5 % of RAM, rounded down to 256 MiB"
    return RTAS_MIN_BOOT_MEM, "no crashkernel=: the pSeries minimum (RTAS_FADUMP_MIN_BOOT_MEM)"


def replace_fadump(cmdline: str, word: str | None) -> str:
    """``cmdline`` with its ``fadump=`` parameters replaced by ``word`` (None or ``fadump=off``:
    removed, as ``kdumpctl reset-crashkernel --fadump=off`` does: "Removed fadump").

    The new word goes where the first old one was, else right after the last crashkernel=
    parameter before ``--`` (next to it, as kdumpctl's grubby call adds both), else before
    ``--`` or at the end. Every other byte is kept.
    """
    keep = word if word is not None and word != PARAM + "off" else None
    spans = fadump_spans(cmdline)
    out, cursor, placed = [], 0, False
    for start, end in spans:
        if keep is not None and not placed:
            out.append(cmdline[cursor:start] + keep)
            placed = True
        else:
            cut = start
            while cut > cursor and cmdline[cut - 1] in WHITESPACE:
                cut -= 1
            out.append(cmdline[cursor:cut])
            if cut == 0:  # at the very start: eat the blanks after it instead
                while end < len(cmdline) and cmdline[end] in WHITESPACE:
                    end += 1
        cursor = end
    out.append(cmdline[cursor:])
    text = "".join(out)
    if keep is None or placed:
        return text
    from crashmap.kernel.cmdline_edit import crashkernel_spans, init_args_start

    separator = init_args_start(text)
    before = [end for start, end in crashkernel_spans(text) if start < separator]
    if before:
        return f"{text[:before[-1]]} {keep}{text[before[-1]:]}"
    if separator < len(text):
        return f"{text[:separator]}{keep} {text[separator:]}"
    body = text.rstrip(WHITESPACE)
    return (f"{body} {keep}" if body else keep) + text[len(body):]
