"""A range table drawn as text: reserved size against RAM, as a step plot with this machine marked.

Pure layout (no Textual): the kernel's rules come from :func:`crashmap.kernel.ranges.explain_table`;
this module only converts its steps to the RAM the kernel matches against (rounded up to 128 MiB)
and decides what each character cell shows. The TUI colours the cells by their role.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crashmap.estimate.tables import TABLES
from crashmap.kernel.grammar import RANGE_ROUNDING
from crashmap.kernel.ranges import RAM_LIMIT, RangeTable, evaluate_table
from crashmap.units import GiB, MiB, TiB, align_up, format_mib, format_size

_SHORT = {"fedora": "Fedora/RHEL", "fedora-fadump": "Fedora/RHEL fadump", "rhel-old": "RHEL ≤ 9",
          "debian-bookworm": "Debian 12", "debian-trixie": "Debian 13", "ubuntu": "Ubuntu"}


def _distro_tables() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The range tables of ``crashmap.estimate.tables`` (the one list of distribution defaults),
    one row per distinct table: (names of who ships it, value, arches)."""
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for key, (_, per_arch, _) in TABLES.items():
        title = _SHORT.get(key, key)
        by_value: dict[str, list[str]] = {}
        for arch, value in per_arch.items():
            if ":" in value:  # a range table, not a fixed size
                by_value.setdefault(value, []).append(arch)
        for value, arches in by_value.items():
            names, all_arches = rows.setdefault(value, ([], []))
            names.append(title if len(by_value) == 1 else f"{title} {'/'.join(arches)}")
    # one row per distinct table; the names say who ships it
            all_arches.extend(a for a in arches if a not in all_arches)
    return tuple((", ".join(names), value, tuple(arches))
                 for value, (names, arches) in rows.items())


DISTRO_TABLES = _distro_tables()
"""Distro default tables: (name, value, arches); research anchors §1, §3 via estimate.tables."""


def default_table(arch: str) -> tuple[str, str]:
    """The Fedora/RHEL kdump-utils table for ``arch`` (its x86_64 one when it has none)."""
    _, per_arch, _ = TABLES["fedora"]
    value = per_arch.get(arch, per_arch["x86_64"])
    return f"Fedora/RHEL {arch if arch in per_arch else 'x86_64'}", value


def rounded_ram(ram: int) -> int:
    """``roundup(system_ram, 128M)``: the RAM value range entries are matched against."""
    return align_up(ram, RANGE_ROUNDING)


def format_rounded(ram: int) -> str:
    """A rounded RAM value (a multiple of 128 MiB) exactly: ``15.75 GiB``, ``63.875 GiB``."""
    if ram < GiB:
        return format_size(ram, exact=True)
    return f"{ram / GiB:.3f}".rstrip("0").rstrip(".") + " GiB"


@dataclass(frozen=True)
class Bracket:
    """For every rounded RAM in ``[ram_from, ram_to)`` the kernel reserves ``size``."""

    ram_from: int
    """Rounded RAM (a multiple of 128 MiB), inclusive."""
    ram_to: int | None
    """Exclusive; None when the bracket has no upper end."""
    size: int
    entry: int | None
    """Index of the matching entry, if any."""
    reason: str | None
    """Why nothing is reserved (the kernel's message), None when reserving."""

    def contains(self, rounded: int) -> bool:
        return self.ram_from <= rounded and (self.ram_to is None or rounded < self.ram_to)


def brackets(table: RangeTable) -> tuple[Bracket, ...]:
    """The explainer's steps over ``system_ram``, restated over rounded RAM (multiples of 128 MiB).

    The rounded RAM values in a step ``[a, b)`` are the multiples of 128 MiB in
    ``[roundup(a), roundup(b))``; empty ranges disappear and equal neighbours merge.
    """
    out: list[Bracket] = []
    for step in table.steps:
        start, end = rounded_ram(step.ram_from), rounded_ram(step.ram_to)
        if start >= end or start >= RAM_LIMIT:
            continue
        bracket = Bracket(start, None if end >= RAM_LIMIT else end, step.size, step.entry,
                          step.reason)
        last = out[-1] if out else None
        if last and (last.size, last.entry, last.reason) == (step.size, step.entry, step.reason):
            out[-1] = Bracket(last.ram_from, bracket.ram_to, last.size, last.entry, last.reason)
        else:
            out.append(bracket)
    return tuple(out)


def bracket_index(table_brackets: tuple[Bracket, ...], ram: int) -> int:
    """Index of the bracket that a machine with ``system_ram`` = ``ram`` falls in."""
    rounded = rounded_ram(ram)
    for i, bracket in enumerate(table_brackets):
        if bracket.contains(rounded):
            return i
    return len(table_brackets) - 1


def edges(table_brackets: tuple[Bracket, ...]) -> tuple[int, ...]:
    """Rounded RAM values where the reserved size changes: the cliffs."""
    return tuple(b.ram_from for a, b in zip(table_brackets, table_brackets[1:], strict=False)
                 if a.size != b.size)


Segment = tuple[str, str]
"""(text, role); roles: axis, label, line, none, cliff, edge, machine."""


@dataclass(frozen=True)
class RangePlot:
    """The plot as rows of (text, role) segments, top row first, plus what was placed where."""

    rows: tuple[tuple[Segment, ...], ...]
    ram_from: int
    """RAM at the left end of the axis."""
    ram_to: int
    """RAM at the right end of the axis."""
    column_sizes: tuple[int, ...]
    """Reserved size drawn in each plot column."""
    machine_column: int | None
    """Plot column of this machine (None when no RAM is known or it is off the axis)."""
    edge_columns: dict[int, int]
    """Cliff RAM → plot column, for the cliffs on the axis."""
    x0: int
    """Text column where plot column 0 starts (after the size labels and the axis)."""

    @property
    def text(self) -> list[str]:
        return ["".join(text for text, _ in row) for row in self.rows]


class _Axis:
    """A base-2 logarithmic RAM axis over ``width`` columns."""

    def __init__(self, ram_from: int, ram_to: int, width: int) -> None:
        self.lo, self.hi, self.width = math.log2(ram_from), math.log2(ram_to), width

    def ram_at(self, column: int) -> int:
        """Rounded RAM shown by a column."""
        exp = self.lo + (self.hi - self.lo) * column / max(1, self.width - 1)
        return rounded_ram(int(2 ** exp))

    def column_of(self, ram: int) -> int | None:
        """The first column that shows ``ram`` or more; None when beyond the axis."""
        for column in range(self.width):
            if self.ram_at(column) >= ram:
                return column
        return None


def _axis_range(table_brackets: tuple[Bracket, ...], ram: int | None) -> tuple[int, int]:
    interesting = [e for e in edges(table_brackets) if e > 0]
    lo, hi = 512 * MiB, 4 * TiB
    if interesting:
        lo = min(lo, 1 << (min(interesting).bit_length() - 1))
        hi = max(hi, 1 << (max(interesting) * 2 - 1).bit_length())
    if ram:
        hi = max(hi, 1 << (rounded_ram(ram) * 2 - 1).bit_length())
        lo = min(lo, 1 << (max(rounded_ram(ram), 1).bit_length() - 1))
    return max(lo, RANGE_ROUNDING), min(hi, 1 << 63)


def _rows_for(sizes: list[int], height: int) -> dict[int, int]:
    """Plot row (0 = bottom) of each size: 0 for nothing, linear above, by rank if steps collide."""
    levels = sorted({s for s in sizes if s > 0})
    if not levels:
        return {0: 0}
    top = height - 1
    linear = {s: 1 + round((s / levels[-1]) * (top - 1)) for s in levels}
    if len(set(linear.values())) < min(len(levels), top):
        span = max(1, len(levels) - 1)
        linear = {s: 1 + round(i * (top - 1) / span) if len(levels) > 1 else top
                  for i, s in enumerate(levels)}
    return {0: 0, **linear}


def _place(row: list[Segment | None], column: int, text: str, role: str, *,
           left_ok: bool = True) -> bool:
    """Write ``text`` starting at ``column`` (or ending there when it does not fit) if free."""
    width = len(row)
    start = column
    if start + len(text) > width:
        if not left_ok:
            return False
        start = column - len(text) + 1
    if start < 0:
        return False
    span = range(max(0, start - 1), min(width, start + len(text) + 1))
    if any(row[i] is not None for i in span):
        return False
    for i, char in enumerate(text):
        row[start + i] = (char, role)
    return True


def plot(table: RangeTable, ram: int | None, width: int, height: int) -> RangePlot:
    """Lay out ``table`` in ``width`` × ``height`` cells (at least 20 × 6).

    The x axis is RAM rounded up to 128 MiB on a log scale (512 MiB to 4 TiB, wider when the
    table or the machine needs it); the y axis is the reserved size. Below the axis: the cliffs
    and the octave labels, then the marker of this machine.
    """
    width, height = max(width, 20), max(height, 6)
    table_brackets = brackets(table)
    size_labels = sorted({b.size for b in table_brackets} | {0})
    label_width = max(len(format_mib(s)) if s else 1 for s in size_labels)
    x0 = label_width + 1
    plot_width, plot_height = width - x0, height - 3
    ram_from, ram_to = _axis_range(table_brackets, ram)
    axis = _Axis(ram_from, ram_to, plot_width)

    def size_at(rounded: int) -> int:
        for bracket in table_brackets:
            if bracket.contains(rounded):
                return bracket.size
        return 0

    sizes = [size_at(axis.ram_at(c)) for c in range(plot_width)]
    machine_size = evaluate_table(table.value, ram) if ram else None
    machine_column = axis.column_of(rounded_ram(ram)) if ram else None
    if machine_column is not None and machine_size is not None \
            and sizes[machine_column] != machine_size:
        # The machine sits within one column of a cliff: show it on its side of the cliff, or
        # (in a bracket narrower than a column) draw its own value there: the mark never lies.
        if machine_column > 0 and sizes[machine_column - 1] == machine_size:
            machine_column -= 1
        else:
            sizes[machine_column] = machine_size
    row_of = _rows_for(sizes + ([machine_size] if machine_size else []), plot_height)
    grid: list[list[Segment | None]] = [[None] * plot_width for _ in range(plot_height)]

    def put(r: int, c: int, char: str, role: str) -> None:
        grid[plot_height - 1 - r][c] = (char, role)

    for c, size in enumerate(sizes):
        r = row_of[size]
        flat_role = "line" if size else "none"
        previous = row_of[sizes[c - 1]] if c else r
        if previous == r:
            put(r, c, "─", flat_role)
            continue
        low, high = min(previous, r), max(previous, r)
        for between in range(low + 1, high):
            put(between, c, "│", "cliff")
        if r > previous:
            put(previous, c, "┘", "cliff")
            put(r, c, "┌", "cliff")
        else:
            put(previous, c, "┐", "cliff")
            put(r, c, "└", "cliff")
    if machine_column is not None:
        for line in grid:
            cell = line[machine_column]
            line[machine_column] = ("┆", "machine") if cell is None else (
                "●" if cell[0] == "─" else cell[0], "machine")

    level_rows = {}
    for size in sorted(row_of):
        level_rows[row_of[size]] = format_mib(size) if size else "0"
    rows: list[tuple[Segment, ...]] = []
    for index, line in enumerate(grid):
        r = plot_height - 1 - index
        label = level_rows.get(r)
        prefix: list[Segment] = [((label or "").rjust(label_width), "label"),
                                 ("┤" if label else "│", "axis")]
        rows.append(tuple(prefix + [cell or (" ", "none") for cell in line]))

    ticks: list[tuple[int, int]] = []
    exponent = ram_from.bit_length() - 1
    while (1 << exponent) <= ram_to:
        column = axis.column_of(1 << exponent)
        if column is not None:
            ticks.append((1 << exponent, column))
        exponent += 1
    cliff_columns = {edge: axis.column_of(edge) for edge in edges(table_brackets)
                     if ram_from <= edge <= ram_to}
    edge_columns = {edge: c for edge, c in cliff_columns.items() if c is not None}
    axis_line = [("─", "axis")] * plot_width
    for _, column in ticks:
        axis_line[column] = ("┬", "axis")
    for column in edge_columns.values():
        axis_line[column] = ("╨", "edge")
    rows.append(((" " * label_width, "label"), ("└", "axis"), *axis_line))

    labels: list[Segment | None] = [None] * plot_width
    for edge, column in edge_columns.items():
        _place(labels, column, format_mib(edge), "edge")
    for value, column in ticks:
        _place(labels, column, format_mib(value), "label")
    rows.append(((" " * x0, "label"), *(cell or (" ", "label") for cell in labels)))

    marker: list[Segment | None] = [None] * plot_width
    if machine_column is not None and ram:
        gets = format_size(machine_size) if machine_size else "nothing"
        matched = format_rounded(rounded_ram(ram))
        for text in (f"this machine: {matched} → {gets}", f"{matched} → {gets}", gets, ""):
            if _place(marker, machine_column, f"▲ {text}".rstrip(), "machine", left_ok=False) \
                    or _place(marker, machine_column, f"{text} ▲".lstrip(), "machine"):
                break
    rows.append(((" " * x0, "label"), *(cell or (" ", "label") for cell in marker)))

    merged = tuple(_merge(row) for row in rows)
    return RangePlot(merged, ram_from, ram_to, tuple(sizes), machine_column, edge_columns, x0)


def _merge(row: tuple[Segment, ...]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for text, role in row:
        if out and out[-1][1] == role:
            out[-1] = (out[-1][0] + text, role)
        else:
            out.append((text, role))
    return tuple(out)


__all__ = ["DISTRO_TABLES", "Bracket", "RangePlot", "bracket_index", "brackets", "default_table",
           "edges", "format_rounded", "plot", "rounded_ram"]
