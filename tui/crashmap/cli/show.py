"""``crashmap show [SOURCE] [--json]``: the memory map as a tree with sizes and totals."""

from __future__ import annotations

import argparse
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

from crashmap.cli.common import Exit, add_source_arguments, console, print_json, warn
from crashmap.cli.loading import load_for_cli
from crashmap.iomem import Resource
from crashmap.memmap import FOUR_GIB, MemoryMap, Range, classify
from crashmap.snapshot import Snapshot
from crashmap.sources import bundled_maps
from crashmap.units import format_size


def register(sub: Any) -> None:
    parser = sub.add_parser("show", help="print the memory map as a tree with totals")
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the map as JSON")
    parser.add_argument("--list", action="store_true", help="list the bundled maps and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        for name, path in bundled_maps().items():
            print(f"{name}\t{path}")
        return Exit.OK
    snapshot = load_for_cli(args.source, args.arch)
    if args.json:
        print_json(map_json(snapshot))
    else:
        render(snapshot)
    return Exit.OK


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


def render(snapshot: Snapshot) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    out = console()
    memmap = snapshot.memmap
    for note in snapshot.parsed.notes:
        warn(note)
    head = [f"[bold]{escape(snapshot.source)}[/]"]
    for label, value in (("host", snapshot.hostname), ("arch", snapshot.arch),
                         ("kernel", snapshot.kernel_release)):
        if value:
            head.append(f"{label} {escape(value)}")
    out.print("  ".join(head))
    if snapshot.arch_note:
        out.print(f"[dim]arch {snapshot.arch_note}[/]")
    tree = Tree("physical address space", guide_style="bright_black")

    def add(branch: Any, r: Resource) -> None:
        kind = classify(r)
        label = (f"[{KIND_STYLE[kind]}]{r.start:08x}-{r.last:08x}[/] "
                 f"{format_size(r.size):>10}  {escape(r.name)}")
        if r.depth == 0:
            label += f"  [dim]({kind})[/]"
        node = branch.add(label)
        for child in r.children:
            add(node, child)

    for root in snapshot.parsed.roots:
        add(tree, root)
    out.print(tree)
    t = totals(memmap)
    out.print(f"RAM {format_size(t['ram'])}  held inside RAM {format_size(t['reserved_in_ram'])}"
              f"  free {format_size(t['free'])}")
    for key, label in (("largest_free_below", "below 4 GiB"), ("largest_free_above", "above 4 GiB")):
        r = t[key]
        text = "none" if r is None else f"{format_size(r['size'])} at {r['start']:#x}-{r['end']:#x}"
        out.print(f"largest free block {label}: {text}")
    crash = memmap.crash_resources
    if crash:
        parts = ", ".join(f"{format_size(r.size)} at {r.start:#x}-{r.last:#x}" for r in crash)
        out.print(f"[bold red]Crash kernel[/] reserved: {parts}")
    else:
        out.print("Crash kernel: none in this map")
