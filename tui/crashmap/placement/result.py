"""What the simulator takes (:class:`Request`) and what it gives back (:class:`Placement`).

Addresses are integers, ranges half-open ``[start, end)``; JSON output turns ``end`` inclusive.
Records are named tuples (cheap to import on the ``crashmap check`` start-up path).
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.memmap import Range

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any, Literal

    BlockKind = Literal["main", "low", "cma", "fadump"]
    Outcome = Literal["reserved", "partially reserved", "failed", "nothing requested",
                      "not modelled"]
    Confidence = Literal["exact", "window"]
else:
    BlockKind = Outcome = Confidence = str


_REQUEST_FIELDS = ("crash_size crash_base high low_size cma_size static_ok cma_ok asked "
                   "parse_messages parse_error cma_ignored fadump")


class Request(namedtuple("Request", _REQUEST_FIELDS,
                         defaults=(0, 0, False, None, 0, True, None, True, (), None, 0, None))):
    """What ``parse_crashkernel()`` hands to the reservation code (plain values, no grammar).

    - ``crash_size``, ``crash_base``: the static block; base 0 = automatic (``@0`` is the same)
    - ``high``: ``,high`` was used (the parser set ``*high``)
    - ``low_size``: ``,low`` with ``,high``; None = the arch default (x86: from swiotlb)
    - ``cma_size``: the ``,cma`` size the kernel goes on to reserve
    - ``static_ok``: parse_crashkernel() returned 0, so the static block is attempted
    - ``cma_ok``: the kernel reserves ``cma_size``; None = same as ``static_ok`` (powerpc
      reserves it even when the parse fails)
    - ``asked``: the command line has a crashkernel= word this arch reads (``crashkernel=0``
      counts as not asking)
    - ``parse_messages``: kernel log lines printed while parsing
    - ``parse_error``: why the parse failed, if it did
    - ``cma_ignored``: bytes asked in ``,cma`` words that will never be reserved
    - ``fadump``: ``on`` or ``nocma`` when the line turns firmware-assisted dump on (the
      kernel's state after its ``fadump=`` words); powerpc then reserves the fadump area
      instead of the kdump block (:mod:`crashmap.placement.fadump`)
    """

    __slots__ = ()

    @property
    def reserves_cma(self) -> bool:
        ok = self.static_ok if self.cma_ok is None else self.cma_ok
        return bool(ok) and self.cma_size > 0


class Block(namedtuple("Block", "kind start end")):
    """One placed reservation: ``kind`` is main, low, cma or fadump (powerpc's firmware-assisted
    dump area, in place of main)."""

    __slots__ = ()

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def range(self) -> Range:
        return Range(self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end - 1, "size": self.size}


class Attempt(namedtuple("Attempt", "block lo hi size align found bottom_up",
                         defaults=(False,))):
    """One memblock search: ``size`` aligned to ``align`` inside ``[lo, hi)``; ``found`` or None."""

    __slots__ = ()

    @property
    def window(self) -> Range:
        return Range(self.lo, self.hi)


class StaticResult(namedtuple("StaticResult", (
        "requested blocks attempts failure log fallback low_size base_used"),
        defaults=((), (), None, (), None, 0, None))):
    """The static (``main`` + ``low``) reservation.

    - ``requested``: bytes the kernel tries to reserve (main plus the low part it decided on)
    - ``blocks``, ``attempts``: what was placed, and every search made
    - ``failure``: misaligned, busy, no-fit, low-failed, kernel-overlap, base-too-low,
      first-chunk, retry-forever, not-modelled; None when reserved or not attempted
    - ``log``: the kernel's lines
    - ``fallback``: ``high`` (a plain size went above LOW_MAX) or ``low`` (``,high`` went below)
    - ``low_size``: the low part the kernel wanted (0: none)
    - ``base_used``: a fixed base after the arch's adjustments (powerpc, s390 rounding)
    """

    __slots__ = ()

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.blocks)


class CmaResult(namedtuple("CmaResult", "requested counted areas attempts log",
                           defaults=(0, 0, (), (), ()))):
    """The ``,cma`` areas. ``counted`` is the kernel's ``reserved_size``: the sum of successful
    *requests*, which may exceed the ask."""

    __slots__ = ()

    @property
    def placed(self) -> int:
        """Bytes actually set aside (areas are pageblock-rounded)."""
        return sum(a.size for a in self.areas)

    @property
    def short(self) -> bool:
        return self.requested > self.counted


class Placement(namedtuple("Placement", (
        "arch request outcome static cma confidence window notes"), defaults=(None, ()))):
    """Where the next boot puts each block, or why it will not.

    - ``outcome``: reserved, partially reserved, failed, nothing requested, not modelled
    - ``confidence``: ``exact``, or ``window`` when what memblock held at boot is unknown;
      then ``window`` is where the main block most likely lands (its top is the prediction)
    - ``notes``: the assumptions behind the prediction, one sentence each
    """

    __slots__ = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(self.static.blocks) + tuple(self.cma.areas)

    @property
    def main(self) -> Block | None:
        return next((b for b in self.static.blocks if b.kind == "main"), None)

    @property
    def low(self) -> Block | None:
        return next((b for b in self.static.blocks if b.kind == "low"), None)

    @property
    def static_total(self) -> int:
        return sum(b.size for b in self.static.blocks)

    @property
    def kernel_log(self) -> tuple[str, ...]:
        return tuple(self.request.parse_messages) + tuple(self.static.log) + tuple(self.cma.log)

    @property
    def reserves_all(self) -> bool:
        """Everything asked for is placed in full."""
        return self.outcome in ("reserved", "nothing requested")

    def to_json(self) -> dict[str, Any]:
        w = self.window
        return {
            "outcome": self.outcome,
            "placements": [b.to_json() for b in self.blocks],
            "confidence": self.confidence,
            "window": None if w is None else {"start": w.start, "end": w.end - 1,
                                              "size": w.end - w.start},
            "kernel_log": list(self.kernel_log),
            "static": {"requested": self.static.requested, "reserved": self.static_total,
                       "failure": self.static.failure, "fallback": self.static.fallback},
            "cma": {"requested": self.cma.requested, "reserved": self.cma.counted,
                    "placed": self.cma.placed, "areas": len(self.cma.areas)},
            "notes": list(self.notes),
        }
