"""Fleet members: the files and folders ``crashmap fleet PATH...`` reads, one host or many each.

A member is a snapshot YAML, a raw ``/proc/iomem`` text file, a collect bundle
(``crashmap-collect.txt``), a host folder (``contrib/ansible/collect.yml``'s, an extracted
sosreport or supportconfig), or a JSON Lines file (``.jsonl``/``.ndjson``: one snapshot a line,
many hosts). Any other folder is a fleet folder: its entries are members, walked in name order.
Everything is streamed: one host is in memory at a time.
"""

from __future__ import annotations

import os

from crashmap.errors import CrashmapError
from crashmap.report_dir import is_host_dir
from crashmap.sources import is_fleet

__all__ = ["Item", "is_fleet", "is_host_dir", "walk"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path
    from typing import Any

JSONL_SUFFIXES = (".jsonl", ".ndjson")
FILE_SUFFIXES = (".yaml", ".yml", ".txt", ".iomem")
"""Files a fleet folder walk takes as members; others are counted and named once, skipped."""
QUIET_SUFFIXES = (".md", ".rst", ".json", ".cfg", ".ini", ".retry", ".log")
"""Files a walk skips without a word (notes, Ansible leftovers)."""


class Item:
    """One thing a walk found: ``kind`` is ``host`` (``value`` a Snapshot), ``record`` (a JSON
    Lines line: ``value`` its decoded JSON), ``line`` (the same line undecoded, ``value`` its
    bytes: a walk with ``raw``), ``bad`` (``value`` a CrashmapError) or ``skipped`` (``value`` a
    path that is not a member). ``label`` is the member as a SOURCE:
    ``PATH`` or ``PATH:LINE``."""

    __slots__ = ("kind", "label", "value", "path", "line")

    def __init__(self, kind: str, label: str, value: Any, path: str = "",
                 line: int | None = None) -> None:
        self.kind, self.label, self.value = kind, label, value
        self.path, self.line = path or label, line


def walk(paths: Iterable[str], *, raw: bool = False, lines: bool = False) -> Iterator[Item]:
    """Every member under ``paths``, in the order given and then in name order; ``raw``: JSON
    Lines lines as ``line`` items, left for the reader to decode; ``lines``: each JSON Lines
    file as one ``lines`` item instead, ``value`` its :func:`crashmap.jsonl.read_lines`
    (which raises :class:`CrashmapError` when the file cannot be opened)."""
    for spec in paths:
        if _plain_jsonl(spec):  # the common member, read without pathlib (a few ms to import)
            yield from _jsonl(spec, raw, lines)
            continue
        from pathlib import Path

        path = Path(spec)
        if path.is_dir():
            if is_host_dir(path):
                yield _load(path)
                continue
            found = False
            for item in _walk_dir(path, raw, lines):
                found = found or item.kind != "skipped"
                yield item
            if not found:
                yield Item("bad", spec, CrashmapError("no fleet members in this folder",
                                                      path=spec))
        elif path.is_file():
            yield from _file(path, raw, lines)
        else:
            yield Item("bad", spec, CrashmapError("no such file or directory", path=spec))


def _walk_dir(directory: Path, raw: bool, lines: bool) -> Iterator[Item]:
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as error:
        yield Item("bad", str(directory),
                   CrashmapError(f"cannot list: {error.strerror or error}", path=str(directory)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if is_host_dir(entry):
                yield _load(entry)
            else:
                yield from _walk_dir(entry, raw, lines)
        elif entry.suffix in JSONL_SUFFIXES or entry.suffix in FILE_SUFFIXES \
                or entry.name == "iomem":
            yield from _file(entry, raw, lines)
        elif entry.suffix not in QUIET_SUFFIXES:
            yield Item("skipped", str(entry), entry)


def _plain_jsonl(spec: str) -> bool:
    """``spec`` is a JSON Lines file (by ``Path(spec).suffix``) that ``Path`` names as it is
    written (no ``//``, ``/./``, leading ``./`` or trailing ``/``)."""
    name = spec.rpartition("/")[2]
    dot = name.rfind(".")
    return (0 < dot < len(name) - 1 and name[dot:] in JSONL_SUFFIXES and "//" not in spec
            and "/./" not in spec and not spec.startswith("./") and os.path.isfile(spec))


def _file(path: Path, raw: bool = False, lines: bool = False) -> Iterator[Item]:
    if path.suffix in JSONL_SUFFIXES:
        yield from _jsonl(str(path), raw, lines)
        return
    yield _load(path)


def _jsonl(name: str, raw: bool, lines: bool = False) -> Iterator[Item]:
    from crashmap.jsonl import read_lines, read_mappings

    if lines:
        yield Item("lines", name, read_lines(name), name)
        return
    good = "line" if raw else "record"
    try:
        for number, value in (read_lines if raw else read_mappings)(name):
            kind = "bad" if isinstance(value, CrashmapError) else good
            yield Item(kind, f"{name}:{number}", value, name, number)
    except CrashmapError as error:
        yield Item("bad", name, error)


def _load(path: Path) -> Item:
    from crashmap.report_dir import load_report_dir
    from crashmap.sources import load_file

    try:
        snapshot = load_report_dir(path) if path.is_dir() else load_file(path)
    except CrashmapError as error:
        return Item("bad", str(path), error)
    except OSError as error:  # a file that vanished or cannot be read mid-walk
        return Item("bad", str(path), CrashmapError(f"cannot read: {error.strerror or error}",
                                                    path=str(path)))
    return Item("host", str(path), snapshot)

