"""Sizes and addresses: binary units for people, integers everywhere else."""

from __future__ import annotations

import re

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
TiB = 1 << 40
PiB = 1 << 50
EiB = 1 << 60

_UNITS = (("EiB", EiB), ("PiB", PiB), ("TiB", TiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB))
_SHIFT = {"": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}
_SIZE_RE = re.compile(r"^\s*(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*([kmgtpe]?)(?:i?b)?\s*$", re.IGNORECASE)


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
