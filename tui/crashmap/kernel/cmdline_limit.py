"""How much of a command line the kernel keeps: ``COMMAND_LINE_SIZE`` per architecture.

The boot loader may pass any length; the kernel copies at most ``COMMAND_LINE_SIZE`` bytes of it
into ``boot_command_line`` and never sees the rest, ``crashkernel=`` words included. Values are
the ``#define COMMAND_LINE_SIZE`` of each arch (Linux 7.3). Real boots of the 7.3.4 kernels in
tests/data/kernel-oracle with a 6 000-byte line: x86_64 kept 2048 bytes (``copy_bootdata()`` in
arch/x86/kernel/head64.c memcpy()s all COMMAND_LINE_SIZE bytes, no room for the NUL), arm64 kept
2047 (``early_init_dt_scan_chosen()`` in drivers/of/fdt.c uses strscpy()); both reserved the
``crashkernel=64M`` before the cut and ignored the ``crashkernel=128M`` after it. The other
arches copy with strscpy() too (one byte for the NUL), by reading the code only.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.errors import CrashmapError


class CommandLineSize(namedtuple("CommandLineSize", "size kept source")):
    """``size``: COMMAND_LINE_SIZE; ``kept``: bytes of the line the kernel keeps; ``source``:
    where it is defined."""

    __slots__ = ()


COMMAND_LINE_SIZES: dict[str, CommandLineSize] = {
    "x86_64": CommandLineSize(2048, 2048, "arch/x86/include/asm/setup.h"),
    "i386": CommandLineSize(2048, 2048, "arch/x86/include/asm/setup.h"),
    "arm64": CommandLineSize(2048, 2047, "arch/arm64/include/uapi/asm/setup.h"),
    "riscv64": CommandLineSize(1024, 1023, "arch/riscv/include/uapi/asm/setup.h"),
    "loongarch64": CommandLineSize(4096, 4095, "arch/loongarch/include/uapi/asm/setup.h"),
    "ppc64le": CommandLineSize(2048, 2047, "arch/powerpc/include/uapi/asm/setup.h"),
    "s390x": CommandLineSize(4096, 4095, "arch/s390/include/uapi/asm/setup.h"),
    "arm": CommandLineSize(1024, 1023, "arch/arm/include/uapi/asm/setup.h"),
    "mips": CommandLineSize(4096, 4095, "arch/mips/include/uapi/asm/setup.h"),
}
"""Canonical arch name → its limit (the same names as :data:`crashmap.arch.ARCHES`)."""

class Overflow(namedtuple("Overflow", "length kept lost split")):
    """A line longer than the kernel keeps: its ``length`` in bytes, the bytes ``kept``, the
    ``crashkernel=`` hits that start past the cut (``lost``), and whether one is cut in half
    (``split``)."""

    __slots__ = ()


LONGEST = max(limit.kept for limit in COMMAND_LINE_SIZES.values())
"""No arch keeps more of a command line than this."""


MAX_TEXT = 1 << 16
"""The longest text crashmap edits or diffs as a command line: 16 times what any kernel keeps.
A longer one is refused (:func:`check_length`); the grammar reads any length (it keeps what the
kernel keeps)."""


def check_length(line: str, what: str = "the command line") -> None:
    """Refuse a "command line" no kernel could have been given, with one line."""
    if len(line) > MAX_TEXT:
        raise CrashmapError(
            f"{what} is {len(line)} characters; no kernel keeps more than {LONGEST} bytes "
            f"(COMMAND_LINE_SIZE), and crashmap edits at most {MAX_TEXT}")


def overflow_of(given: str, kept_line: str, length: int | None, arch: str) -> Overflow | None:
    """What :func:`kernel_view` cut off ``given``, for the findings (None: nothing)."""
    if length is None:
        return None
    name = "crashkernel="
    lost = given.count(name) - kept_line.count(name)
    last = kept_line.rfind(name)
    following = given[len(kept_line):][:1]
    split = last != -1 and " " not in kept_line[last:] and following not in ("", " ")
    return Overflow(length, COMMAND_LINE_SIZES[arch].kept, lost, split)


def kernel_view(line: str, arch: str) -> tuple[str, int | None]:
    """``line`` as the kernel keeps it on ``arch``, and the length in bytes it had when it was
    longer (None: the kernel keeps all of it). Bytes are UTF-8 (undecodable bytes read with
    ``surrogateescape`` count one each); the bytes of a character cut in half stay as
    undecodable bytes."""
    kept = COMMAND_LINE_SIZES[arch].kept
    if len(line) <= kept // 4 or (len(line) <= kept and line.isascii()):
        return line, None
    try:
        data, errors = line.encode("utf-8", "surrogateescape"), "surrogateescape"
    except UnicodeEncodeError:
        data, errors = line.encode("utf-8", "surrogatepass"), "surrogatepass"
    if len(data) <= kept:
        return line, None
    return data[:kept].decode("utf-8", "ignore" if errors == "surrogatepass" else errors), \
        len(data)
