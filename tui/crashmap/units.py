"""Sizes and addresses: binary units for people, integers everywhere else."""

from __future__ import annotations

import re

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
TiB = 1 << 40
PiB = 1 << 50
EiB = 1 << 60

U64_MAX = (1 << 64) - 1
"""The largest address or size the kernel can hold (``unsigned long long``)."""

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_UNITS = (("EiB", EiB), ("PiB", PiB), ("TiB", TiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB))
_SHIFT = {"": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}
_SIZE_RE = re.compile(
    r"^\s*(0x[0-9a-f]{1,16}|[0-9]{1,20}(?:\.[0-9]{1,20})?)\s*([kmgtpe]?)(?:i?b)?\s*$",
    re.IGNORECASE)


def decimal(text: str, maximum: int = U64_MAX) -> int | None:
    """``text`` as a number the kernel printed in decimal, else None: the one strict reader of
    every decimal crashmap takes from a file (meminfo, /proc/modules, sysfs, versions).

    ASCII digits only, surrounding whitespace allowed, at most ``maximum`` (and so at most 20
    digits). ``str.isdigit()`` accepts ``²`` that ``int()`` refuses; ``int()`` accepts ``٣``,
    ``+5`` and ``1_000`` and refuses 4301 digits: neither is how a kernel prints a number.
    """
    text = text.strip()
    if not 0 < len(text) <= 20 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None


def hexadecimal(text: str, maximum: int = U64_MAX) -> int | None:
    """``text`` as a hexadecimal number the kernel printed (``%llx``, optional ``0x``), else None.

    ASCII hex digits only, at most ``maximum`` (16 digits for 64 bits).
    """
    text = text.strip()
    if text[:2] in ("0x", "0X"):
        text = text[2:]
    if not 0 < len(text) <= 16 or not _HEX_DIGITS.issuperset(text):
        return None
    value = int(text, 16)
    return value if value <= maximum else None


def format_size(n: int, *, exact: bool = False) -> str:
    """``268435456`` → ``"256 MiB"``; up to two decimals unless ``exact`` (then the unit that divides)."""
    if n < 0:
        return "-" + format_size(-n, exact=exact)
    for name, unit in _UNITS:
        if n >= unit and (not exact or n % unit == 0):
            if n % unit == 0:
                return f"{n // unit} {name}"
            return f"{n / unit:.2f}".rstrip("0").rstrip(".") + f" {name}"
    return f"{n} B"


def format_mib(n: int) -> str:
    """A size the way kernel command lines like it: ``256M``, ``2G``, or bytes when unaligned."""
    for letter, shift in (("T", 40), ("G", 30), ("M", 20), ("K", 10)):
        if n and n % (1 << shift) == 0:
            return f"{n >> shift}{letter}"
    return str(n)


def format_addr(addr: int, width: int = 9) -> str:
    """Lower-case hex with ``0x``, zero-padded like /proc/iomem (at least ``width`` digits)."""
    return f"0x{addr:0{width}x}"


def parse_size(text: str) -> int:
    """A size typed by a person: ``4G``, ``4GiB``, ``4096M``, ``0x1000``, ``1.5G`` or plain bytes.

    Raises ``ValueError`` with a readable message.
    """
    m = _SIZE_RE.match(text)
    if not m:
        raise ValueError(f"not a size: {text!r} (use bytes or a unit such as 512M, 4G, 1.5T)")
    number, unit = m.group(1), m.group(2).lower()
    shift = _SHIFT[unit]
    if number.lower().startswith("0x"):
        return int(number, 16) << shift
    if "." in number:
        whole, frac = number.split(".")
        return (int(whole) << shift) + (int(frac) << shift) // (10 ** len(frac))
    return int(number) << shift


def align_up(value: int, align: int) -> int:
    """Round ``value`` up to a multiple of ``align`` (any positive integer)."""
    return -(-value // align) * align


def align_down(value: int, align: int) -> int:
    """Round ``value`` down to a multiple of ``align``."""
    return value // align * align
