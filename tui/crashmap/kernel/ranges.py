"""Range tables (``start-[end]:size,...``): reserved size as a step function of RAM (spec §2.5).

The kernel matches ``roundup(system_ram, 128M)`` against the entries (start inclusive, end
exclusive, first match wins), rejects the table when an examined entry's size is not below the
rounded RAM, and finally rejects any size not below the unrounded RAM (§2.7 step 4).
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import (
    NAME,
    RANGE_ROUNDING,
    parse_plain_value,
    plain_value_parser,
    range_total_mem,
)
from crashmap.kernel.memparse import U64_MASK, memparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable

    from crashmap.kernel.grammar import SubParse

RAM_LIMIT = 1 << 64
"""Exclusive upper bound of ``system_ram`` (an unsigned 64-bit value)."""


class RangeEntry(namedtuple("RangeEntry", "start end size")):
    """One ``start-[end]:size`` entry; ``end`` None means open (ULLONG_MAX)."""

    __slots__ = ()

    start: int
    end: int | None
    size: int


class Step(namedtuple("Step", "ram_from ram_to size entry reason")):
    """For every ``system_ram`` in ``[ram_from, ram_to)`` the kernel reserves ``size``."""

    __slots__ = ()

    ram_from: int
    ram_to: int
    size: int
    entry: int | None
    """Index of the matched entry, if any."""
    reason: str | None
    """Why nothing is reserved (the kernel's message or the silent rule), None when reserving."""


class RangeTable(namedtuple("RangeTable", "value entries steps problem")):
    """A range string explained: its entries, the steps of size over RAM and the breakpoints."""

    __slots__ = ()

    value: str
    entries: tuple[RangeEntry, ...]
    steps: tuple[Step, ...]
    problem: str | None
    """A syntax problem after the last readable entry (reached only by RAM that gets that far)."""

    @property
    def breakpoints(self) -> tuple[int, ...]:
        """RAM values (bytes) where the reserved size changes."""
        pairs = zip(self.steps, self.steps[1:], strict=False)
        return tuple(b.ram_from for a, b in pairs if a.size != b.size)

    def step_at(self, ram: int) -> Step:
        lo, hi = 0, len(self.steps) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.steps[mid].ram_from <= ram:
                lo = mid
            else:
                hi = mid - 1
        return self.steps[lo]

    def size_at(self, ram: int) -> int:
        return self.step_at(ram).size


def _value_of(table: str) -> str:
    value = table[len(NAME):] if table.startswith(NAME) else table
    if " " in value:
        raise CrashmapError(f"a crashkernel= value has no spaces: {table!r}")
    return value


def evaluate_table(table: str, ram: int) -> int:
    """Bytes the kernel reserves for ``crashkernel=<table>`` with this ``system_ram``; 0 if none.

    ``table`` may carry the ``crashkernel=`` prefix. Any value is evaluated exactly as the plain
    word would be (a simple size works too); an ``@offset`` is ignored here.
    """
    value = _value_of(table)
    if not 0 <= ram <= U64_MASK:
        raise CrashmapError(f"RAM must be 0 .. 2**64-1 bytes, not {ram}")
    parsed = parse_plain_value(value, 0, ram)
    if parsed.ret or not parsed.size or parsed.size >= ram:
        return 0
    return parsed.size


def scan_entries(value: str) -> tuple[tuple[RangeEntry, ...], str | None]:
    """Every entry the kernel could examine, and the syntax problem that stops the scan, if any."""
    entries: list[RangeEntry] = []
    cur, n = 0, len(value)
    while True:
        start, tmp = memparse(value, cur)
        if tmp == cur:
            return tuple(entries), f"entry {len(entries) + 1}: Memory value expected"
        cur = tmp
        if value[cur:cur + 1] != "-":
            return tuple(entries), f"entry {len(entries) + 1}: '-' expected"
        cur += 1
        end = None
        if value[cur:cur + 1] != ":":
            end, tmp = memparse(value, cur)
            if tmp == cur:
                return tuple(entries), f"entry {len(entries) + 1}: Memory value expected"
            cur = tmp
            if end <= start:
                return tuple(entries), f"entry {len(entries) + 1}: end <= start"
        if value[cur:cur + 1] != ":":
            return tuple(entries), f"entry {len(entries) + 1}: ':' expected"
        cur += 1
        size, tmp = memparse(value, cur)
        if tmp == cur:
            return tuple(entries), f"entry {len(entries) + 1}: Memory value expected"
        cur = tmp
        entries.append(RangeEntry(start, end, size))
        if cur >= n or value[cur] != ",":
            break
        cur += 1
    rest = value[cur:]
    if rest and not rest.startswith("@"):
        return tuple(entries), f"junk after entry {len(entries)}: {rest!r}"
    if rest.startswith("@") and memparse(rest, 1)[1] == 1:
        return tuple(entries), "Memory value expected after '@'"
    return tuple(entries), None


def _ceil_rounding(value: int) -> int:
    return -(-value // RANGE_ROUNDING) * RANGE_ROUNDING


@lru_cache(maxsize=1024)
def explain_table(table: str) -> RangeTable:
    """The exact step function ``system_ram → reserved bytes`` for ``crashkernel=<table>``.

    The outcome depends on RAM only through ``start <= T``, ``T < end`` and ``size < T`` with
    ``T = roundup(ram, 128M)``, plus ``size < ram`` at the end; so it is constant between the
    multiples of 128 MiB at or above those thresholds, split once more at ``size + 1``.
    """
    value = _value_of(table)
    entries, problem = scan_entries(value) if ":" in value else ((), None)
    top = RAM_LIMIT - RANGE_ROUNDING  # the largest T reached without 64-bit wrap-around
    totals = {0}
    for entry in entries:
        for threshold in (entry.start, entry.end, entry.size + 1):
            if threshold is not None and _ceil_rounding(threshold) <= top:
                totals.add(_ceil_rounding(threshold))
    ordered = sorted(totals)
    spans = []
    for i, total in enumerate(ordered):
        ram_from = max(0, total - RANGE_ROUNDING + 1)
        ram_to = ordered[i + 1] - RANGE_ROUNDING + 1 if i + 1 < len(ordered) else top + 1
        spans.append((ram_from, ram_to))
    spans.append((top + 1, RAM_LIMIT))  # roundup() wraps to 0 in the last 128 MiB
    steps: list[Step] = []
    parse = plain_value_parser(value, 0)  # the entries are read once for every span
    for ram_from, ram_to in spans:
        for step in _steps_for_span(parse, ram_from, ram_to):
            previous = steps[-1] if steps else None
            if previous and (previous.size, previous.entry, previous.reason) == (
                    step.size, step.entry, step.reason):
                steps[-1] = Step(previous.ram_from, step.ram_to, step.size, step.entry,
                                 step.reason)
            else:
                steps.append(step)
    return RangeTable(value, entries, tuple(steps), problem)


def _steps_for_span(parse: Callable[[int], SubParse], ram_from: int,
                    ram_to: int) -> list[Step]:
    """One span of constant rounded RAM, split where ``size >= system_ram`` stops applying."""
    parsed = parse(ram_from)
    if parsed.ret:
        return [Step(ram_from, ram_to, 0, parsed.matched_entry, parsed.message)]
    if not parsed.size:
        return [Step(ram_from, ram_to, 0, parsed.matched_entry,
                     parsed.message or "crashkernel size is 0")]
    too_big = "crashkernel size not below system RAM"
    cut = parsed.size + 1
    if cut <= ram_from:
        return [Step(ram_from, ram_to, parsed.size, parsed.matched_entry, None)]
    if cut >= ram_to:
        return [Step(ram_from, ram_to, 0, parsed.matched_entry, too_big)]
    return [Step(ram_from, cut, 0, parsed.matched_entry, too_big),
            Step(cut, ram_to, parsed.size, parsed.matched_entry, None)]


__all__ = ["RangeEntry", "RangeTable", "Step", "evaluate_table", "explain_table",
           "range_total_mem", "scan_entries"]
