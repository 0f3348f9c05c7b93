"""``crashmap show [SOURCE] [--json]``: the memory map as a tree with sizes and totals."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from crashmap.cli.common import Exit, add_source_arguments, console, print_json, warn
from crashmap.cli.loading import load_for_cli
from crashmap.iomem import Resource
from crashmap.memmap import FOUR_GIB, MemoryMap, Range, classify
from crashmap.snapshot import Snapshot
from crashmap.sources import DEMO_MAP, bundled_maps
from crashmap.units import format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help="print the memory map as a tree with totals")
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the map as JSON")
    parser.add_argument("--list", action="store_true", help="list the bundled maps and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the map. The garbage collector stays paused meanwhile: a 100 000-line map is some
    half a million objects (resources, their lists, the JSON document) that all stay in use
    until the process ends, and each full collection on the way walked them all for nothing
    (40 % of the run, text or JSON)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    if args.list:
        maps = listed_maps()
        if args.json:
            print_json([{"name": name, "path": str(path)} for name, path in maps.items()])
        else:
            for name, path in maps.items():
                print(f"{name}\t{path}")
        return Exit.OK
    snapshot = load_for_cli(args.source, args.arch)
    if args.json:
        print_json(map_json(snapshot))
    else:
        render(snapshot)
    return Exit.OK


def listed_maps() -> dict[str, Path]:
    """Every name SOURCE takes for a bundled map: ``demo`` first, then the maps by name."""
    maps = bundled_maps()
    return {"demo": maps[DEMO_MAP], **maps} if DEMO_MAP in maps else maps


def range_json(r: Range | None) -> dict[str, int] | None:
    """A range as JSON: ``end`` inclusive, as /proc/iomem prints it."""
    return None if r is None else {"start": r.start, "end": r.end - 1, "size": r.size}


def totals(memmap: MemoryMap, boundary: int = FOUR_GIB) -> dict[str, Any]:
    return {
        "ram": memmap.total_ram,
        "reserved_in_ram": memmap.reserved_in_ram,
        "free": memmap.free_bytes,
        "boundary": boundary,
        "largest_free_below": range_json(memmap.largest_free(0, boundary)),
        "largest_free_above": range_json(memmap.largest_free(boundary)),
    }


def _resource_json(r: Resource) -> dict[str, Any]:
    node: dict[str, Any] = {"start": r.start, "end": r.last, "size": r.size, "name": r.name,
                            "kind": classify(r), "line": r.line}
    if r.children:
        node["children"] = [_resource_json(c) for c in r.children]
    return node


def map_json(snapshot: Snapshot) -> dict[str, Any]:
    memmap = snapshot.memmap
    return {
        "source": snapshot.source,
        "arch": snapshot.arch,
        "arch_note": snapshot.arch_note,
        "hostname": snapshot.hostname,
        "kernel_release": snapshot.kernel_release,
        "cmdline": snapshot.cmdline,
        "totals": totals(memmap),
        "crash_kernel": [range_json(Range(r.start, r.end)) for r in memmap.crash_resources],
        "holes": [range_json(h) for h in memmap.holes],
        "notes": snapshot.parsed.notes,
        "resources": [_resource_json(r) for r in snapshot.parsed.roots],
    }


KIND_STYLE = {
    "ram": "green", "kernel": "bold magenta", "crash": "bold red", "reserved": "yellow",
    "acpi": "cyan", "rom": "cyan", "pci": "blue", "pmem": "bright_cyan", "soft": "bright_cyan",
    "device": "bright_black", "empty": "bright_black",
}


def tree_lines(roots: list[Resource]) -> Iterator[tuple[str, Resource]]:
    """``(guide, resource)`` for every resource in file order, the guides drawn as rich's Tree
    draws them (``├── ``, ``└── ``, ``│   ``), iteratively: any depth, any size, fast."""
    stack = [(root, "", i == 0) for i, root in enumerate(reversed(roots))]
    pop, extend = stack.pop, stack.extend
    while stack:
        node, prefix, last = pop()
        yield prefix + ("└── " if last else "├── "), node
        if node.children:
            inner = prefix + ("    " if last else "│   ")
            extend((child, inner, i == 0) for i, child in enumerate(reversed(node.children)))


def visible(text: str) -> str:
    """``text`` with control characters escaped (``\\t``, ``\\x1b``): a map's names are data,
    never terminal control sequences."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _summary(snapshot: Snapshot) -> list[tuple[str, str | None]]:
    """The lines after the tree: totals, largest free blocks, the Crash kernel; with styles."""
    memmap = snapshot.memmap
    t = totals(memmap)
    lines: list[tuple[str, str | None]] = [
        (f"RAM {format_size(t['ram'])}  held inside RAM {format_size(t['reserved_in_ram'])}"
         f"  free {format_size(t['free'])}", None)]
    for key, label in (("largest_free_below", "below 4 GiB"),
                       ("largest_free_above", "above 4 GiB")):
        r = t[key]
        text = "none" if r is None else f"{format_size(r['size'])} at {r['start']:#x}-{r['end']:#x}"
        lines.append((f"largest free block {label}: {text}", None))
    crash = memmap.crash_resources
    if crash:
        parts = ", ".join(f"{format_size(r.size)} at {r.start:#x}-{r.last:#x}" for r in crash)
        lines.append((f"Crash kernel reserved: {parts}", "crash"))
    else:
        lines.append(("Crash kernel: none in this map", None))
    return lines


def render(snapshot: Snapshot) -> None:
    """The map as a tree with sizes, then the totals. Piped: plain text written at once (a
    100 000-line map in well under a second); on a terminal: the same lines, coloured."""
    for note in snapshot.parsed.located_notes:
        warn(note)
    head = [visible(snapshot.source)]
    for label, value in (("host", snapshot.hostname), ("arch", snapshot.arch),
                         ("kernel", snapshot.kernel_release)):
        if value:
            head.append(f"{label} {visible(value)}")
    roots = snapshot.parsed.roots
    if not sys.stdout.isatty():
        lines = ["  ".join(head), "physical address space"]  # arch note: stderr and JSON
        for guide, r in tree_lines(roots):
            line = (f"{guide}{r.start:08x}-{r.last:08x} {format_size(r.size):>10}  "
                    f"{visible(r.name)}")
            lines.append(line + f"  ({classify(r)})" if r.depth == 0 else line)
        lines += [text for text, _ in _summary(snapshot)]
        lines.append("")
        sys.stdout.write("\n".join(lines))
        return
    _render_styled(snapshot, head)


def _render_styled(snapshot: Snapshot, head: list[str]) -> None:
    from rich.text import Text

    out = console()
    text = Text()
    text.append(head[0], "bold")
    text.append("".join("  " + part for part in head[1:]) + "\n")
    text.append("physical address space\n")
    for guide, r in tree_lines(snapshot.parsed.roots):
        kind = classify(r)
        text.append(guide, "bright_black")
        text.append(f"{r.start:08x}-{r.last:08x}", KIND_STYLE[kind])
        text.append(f" {format_size(r.size):>10}  {visible(r.name)}")
        if r.depth == 0:
            text.append(f"  ({kind})", "dim")
        text.append("\n")
    for line, style in _summary(snapshot):
        if style == "crash":
            text.append("Crash kernel", "bold red")
            text.append(line[len("Crash kernel"):] + "\n")
        else:
            text.append(line + "\n")
    text.rstrip()
    out.print(text)
