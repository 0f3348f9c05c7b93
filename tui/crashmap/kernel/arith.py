"""Size arithmetic on ``crashkernel=`` values, the way kdump-utils' ``_crashkernel_add`` does it.

kdump-utils (``kdump-lib.sh``: ``is_memsize``, ``is_memrange``, ``memsize_add``,
``_crashkernel_add``) adds a delta to every size of a value and keeps the ranges, the
``@offset`` and a ``,high``/``,low`` suffix. Each number must be decimal digits with at most one
unit letter (K, M, G, T, P, E, any case; a sign only on the delta); anything else is an error,
never a value glued together from junk (``foo`` + 1 is refused, not ``1foo``). A sum is written
in the largest unit that divides it exactly (``1099511627776`` → ``1T``, ``1025`` stays bytes).
"""

from __future__ import annotations

import re

from crashmap.errors import CrashmapError
from crashmap.kernel.memparse import U64_MASK
from crashmap.units import decimal

_MEMSIZE = re.compile(r"([0-9]+)([KMGTPEkmgtpe]?)")
_DELTA = re.compile(r"([+-]?[0-9]+)([KMGTPEkmgtpe]?)")
_SHIFT = {"": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}
_UNITS = ("", "K", "M", "G", "T", "P", "E")
_SUFFIXES = (",high", ",low", ",cma")


def memsize(text: str, *, signed: bool = False) -> int:
    """A size written as kdump-utils writes one (``256M``, ``1099511627776``), in bytes.

    Raises :class:`CrashmapError` for anything else (``foo``, ``1.5G``, ``0x10``, ``256MB``).
    """
    match = (_DELTA if signed else _MEMSIZE).fullmatch(text)
    if match is None:
        raise CrashmapError(f"{text!r} is not a size (digits and at most one of K, M, G, T, P, "
                            "E)")
    digits = match.group(1)
    value = decimal(digits.lstrip("+-"))
    if value is None:
        raise CrashmapError(f"{text!r} is out of range (sizes are at most 2**64-1 bytes)")
    return (-value if digits.startswith("-") else value) << _SHIFT[match.group(2).lower()]


def exact_unit(n: int) -> str:
    """``n`` bytes in the largest binary unit that divides it (kdump-utils ``memsize_add``)."""
    if not 0 <= n <= U64_MASK:
        raise CrashmapError(f"a crashkernel size must be 0 .. 2**64-1 bytes, not {n}")
    unit = 0
    while n and n % 1024 == 0 and unit < len(_UNITS) - 1:
        n //= 1024
        unit += 1
    return f"{n}{_UNITS[unit]}"


def memsize_add(size: str, delta: int | str) -> str:
    """``size`` + ``delta`` (bytes, or a signed size such as ``-100m``) in the exact unit."""
    step = memsize(delta, signed=True) if isinstance(delta, str) else delta
    total = memsize(size) + step
    if total < 0:
        raise CrashmapError(f"{size} {'+' if step >= 0 else '-'} {abs(step)} bytes is negative")
    return exact_unit(total)


def _split_tail(value: str) -> tuple[str, str]:
    """``(body, tail)``: the tail is ``@offset`` or a ``,high``/``,low``/``,cma`` suffix."""
    at = value.rfind("@")
    if at != -1:
        return value[:at], value[at:]
    for suffix in _SUFFIXES:
        if value.endswith(suffix):
            return value[: -len(suffix)], suffix
    return value, ""


def _check_range(text: str, value: str) -> None:
    start, dash, end = text.partition("-")
    if not dash:
        raise CrashmapError(f"{value!r}: range {text!r} has no '-'")
    if not start:
        raise CrashmapError(f"{value!r}: range {text!r} has no start (write 0{text})")
    memsize(start)
    if end:
        memsize(end)


def crashkernel_add(value: str, delta: int | str) -> str:
    """Add ``delta`` to every size of a ``crashkernel=`` value.

    ``value`` is ``size``, ``size@offset``, ``size,high``/``,low``/``,cma`` or a range table
    ``start-[end]:size,...[@offset]`` (with or without the ``crashkernel=`` name); ``delta`` is
    bytes or a signed size (``100M``, ``-100m``). The ranges, the offset and the suffix are kept
    as written; each sum is re-expressed in its largest exact unit. Raises
    :class:`CrashmapError` naming what is not a size or a range.
    """
    name = "crashkernel=" if value.startswith("crashkernel=") else ""
    body, tail = _split_tail(value[len(name):])
    if tail.startswith("@"):
        memsize(tail[1:])
    if not body:
        raise CrashmapError(f"{value!r} has no size")
    parts = []
    for entry in body.split(","):
        if not entry:
            raise CrashmapError(f"{value!r} has an empty entry")
        if ":" in entry:
            ranges, _, size = entry.rpartition(":")
            _check_range(ranges, value)
            parts.append(f"{ranges}:{memsize_add(size, delta)}")
        else:
            parts.append(memsize_add(entry, delta))
    if len(parts) > 1 and any(":" not in part for part in parts):
        raise CrashmapError(f"{value!r} mixes sizes and range entries")
    return name + ",".join(parts) + tail


__all__ = ["crashkernel_add", "exact_unit", "memsize", "memsize_add"]
