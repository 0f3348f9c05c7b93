"""The kernel's ``memparse()`` (lib/cmdline.c over lib/kstrtox.c), byte for byte (spec §2.1)."""

from __future__ import annotations

U64_MASK = (1 << 64) - 1
"""Every result wraps modulo 2**64, as the kernel's ``unsigned long long`` does."""

_DIGIT_VALUE = {c: int(c, 16) for c in "0123456789abcdefABCDEF"}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_UNIT_SHIFT = {u: 10 * (i + 1) for i, u in enumerate("KMGTPE")}
_UNIT_SHIFT.update({u.lower(): s for u, s in _UNIT_SHIFT.items()})


def memparse(text: str, pos: int = 0) -> tuple[int, int]:
    """Parse a size at ``text[pos:]`` and return ``(value, end)``.

    ``end == pos`` means "no progress" (neither a digit nor a unit letter). The end of ``text``
    plays the part of the kernel's NUL. Base auto-detection: ``0x``/``0X`` followed by a hex digit
    is hexadecimal, another leading ``0`` is octal, anything else decimal. One optional unit letter
    (K, M, G, T, P, E, any case) shifts by 10 bits per step, even without digits (``M`` is 0).
    """
    n = len(text)
    base = 10
    if pos < n and text[pos] == "0":
        base = 8
        if pos + 2 < n and text[pos + 1] in "xX" and text[pos + 2] in _HEX_DIGITS:
            base = 16
            pos += 2
    value = 0
    while pos < n:
        digit = _DIGIT_VALUE.get(text[pos])
        if digit is None or digit >= base:
            break
        value = (value * base + digit) & U64_MASK
        pos += 1
    shift = _UNIT_SHIFT.get(text[pos]) if pos < n else None
    if shift is not None:
        value = (value << shift) & U64_MASK
        pos += 1
    return value, pos
