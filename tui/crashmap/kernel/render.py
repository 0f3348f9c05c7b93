"""A reservation plan → the shortest canonical ``crashkernel=`` words that parse back to it."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

from crashmap.arch import Arch, get_arch
from crashmap.errors import CrashmapError
from crashmap.kernel.memparse import U64_MASK
from crashmap.units import format_size

_UNITS = (("E", 60), ("P", 50), ("T", 40), ("G", 30), ("M", 20), ("K", 10))


class CrashkernelRequest(namedtuple("CrashkernelRequest", "size base high low cma", defaults=(None, False, None, 0,))):
    """What to ask the kernel for (bytes); the shape of ``crashmap.plan.Plan`` without modes."""

    __slots__ = ()

    size: int
    """Static reservation (the plain or ``,high`` size); 0 with cma 0 means no reservation."""
    base: int | None
    """Fixed base (``@offset``); None or 0 means automatic placement."""
    high: bool
    """Use ``,high`` (needs an arch that reads it)."""
    low: int | None
    """``,low`` size with ``high``; None means the arch's default low size."""
    cma: int
    """``,cma`` size; 0 means none."""


def as_request(plan: Any) -> CrashkernelRequest:
    """A :class:`CrashkernelRequest`, or a ``crashmap.plan.Plan`` (``mode`` auto/high/fixed)."""
    if isinstance(plan, CrashkernelRequest):
        return plan
    mode = getattr(plan, "mode", None)
    if mode not in ("auto", "high", "fixed"):
        raise CrashmapError(f"not a crashkernel plan: {plan!r}")
    return CrashkernelRequest(
        size=plan.size, base=plan.base if mode == "fixed" else None, high=mode == "high",
        low=plan.low if mode == "high" else None, cma=plan.cma)


def canonical_size(n: int) -> str:
    """``n`` with the largest binary unit that divides it: ``256M``, ``2G``, ``0``, ``4097``."""
    if not 0 <= n <= U64_MASK:
        raise CrashmapError(f"a crashkernel size must be 0 .. 2**64-1 bytes, not {n}")
    for letter, shift in _UNITS:
        if n and n % (1 << shift) == 0:
            return f"{n >> shift}{letter}"
    return str(n)


def render_words(plan: Any, arch: str | Arch, ram: int | None = None) -> tuple[str, ...]:
    """The words for ``plan`` on ``arch``: static first, then ``,low``, then ``,cma``.

    ``plan`` is a :class:`CrashkernelRequest` or a ``crashmap.plan.Plan``. The words are the
    shortest canonical ones: ``,low`` is left out when it equals the arch default, ``@0`` never
    appears, and each size uses the largest binary unit that divides it.

    Raises :class:`CrashmapError` for a plan the arch cannot express, or (with ``ram``) one the
    kernel would reject because the static size is not below RAM.
    """
    spec = arch if isinstance(arch, Arch) else get_arch(arch)
    plan = as_request(plan)
    base = plan.base or 0
    if plan.size == 0:
        if plan.cma:
            raise CrashmapError("a ,cma reservation needs a static crashkernel= size as well")
        if plan.high or base or plan.low is not None:
            raise CrashmapError("a plan without a static size cannot have a base, high or low")
        return ()
    if ram is not None and plan.size >= ram:
        raise CrashmapError(f"the kernel rejects a crashkernel size ({format_size(plan.size)}) "
                            f"not below system RAM ({format_size(ram)})")
    if plan.cma and not spec.cma:
        raise CrashmapError(f"{spec.name} does not read crashkernel=...,cma")
    words: list[str]
    if plan.high:
        if not spec.high_low:
            raise CrashmapError(f"{spec.name} does not read crashkernel=...,high")
        if base:
            raise CrashmapError("crashkernel=...,high cannot have a fixed base (@offset)")
        words = [f"crashkernel={canonical_size(plan.size)},high"]
        if plan.low is not None and plan.low != spec.default_low:
            words.append(f"crashkernel={canonical_size(plan.low)},low")
    else:
        if plan.low is not None:
            raise CrashmapError("a ,low size applies only together with ,high")
        at = f"@{canonical_size(base)}" if base else ""
        words = [f"crashkernel={canonical_size(plan.size)}{at}"]
    if plan.cma:
        words.append(f"crashkernel={canonical_size(plan.cma)},cma")
    return tuple(words)


def render(plan: Any, arch: str | Arch, ram: int | None = None) -> str:
    """The words of :func:`render_words` joined by single spaces."""
    return " ".join(render_words(plan, arch, ram))
