"""Parse /proc/iomem text into a tree of resources.

Internal convention, used everywhere in crashmap: ``start`` inclusive, ``end`` exclusive.
The file's inclusive end exists only here, at the boundary (``end = file_end + 1``).

Real dumps arrive mangled (mail quoting, flowed or constant extra indentation, NBSP, prompts,
elisions, annotations, wrapped lines). Nesting is rebuilt from address containment, which the
kernel guarantees, with indentation deciding only between identical ranges (a PCI function and
its driver, or every line of a map read without CAP_SYS_ADMIN). What cannot be understood
unambiguously stops with ``FILE:LINE: what is wrong``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from crashmap.errors import CrashmapError

MAX_BYTES = 16 << 20
"""A real /proc/iomem is a few hundred KiB at most; refuse anything past this."""

HIDDEN_MESSAGE = "addresses are hidden: run as root, or load a snapshot"

_ENTRY = re.compile(r"([0-9a-fA-F]+)-([0-9a-fA-F]+)[ \t]*:[ \t]?(.*)$")
_TRUNCATED = re.compile(r"[0-9a-fA-F]+(?:-[0-9a-fA-F]*)?[ \t]*$")
_HEXISH_START = re.compile(r"[0-9a-fA-F]+-")
_HEADER_KEY = re.compile(r"[a-z][a-z0-9 _-]{0,30}")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_ELISION = re.compile(r"^(?:\.{2,}|…+|\[\.\.\.?\]|\[…\]|-{3,}|<snip>|\[snip\])$", re.IGNORECASE)
_PROMPT = re.compile(r"^(?:\S*[#$%]\s*$|\S*[#$%]\s+\S.*|.*\bcat\s+/proc/iomem\b.*)$")
_NOTE = re.compile(r"^\(.*\)$")
_ANNOTATION = re.compile(r"\s+(?:<{2,}|<-+|<=+|←|-+>|=+>).*$")
_WRAP_WIDTH = 60
"""A non-entry line after an entry at least this long is taken as a mail-wrapped name."""


@dataclass(eq=False)
class Resource:
    """One /proc/iomem line: ``[start, end)`` named ``name``, with its children in address order."""

    start: int
    end: int
    name: str
    line: int = 0
    depth: int = 0
    parent: Resource | None = field(default=None, repr=False)
    children: list[Resource] = field(default_factory=list, repr=False)
    indent: int = field(default=0, repr=False)

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def last(self) -> int:
        """The inclusive end, as /proc/iomem prints it."""
        return self.end - 1

    @property
    def is_empty(self) -> bool:
        """``00000000-00000000``: a resource registered with nothing behind it."""
        return self.start == 0 and self.end == 1

    def contains(self, other: Resource) -> bool:
        return self.start <= other.start and other.end <= self.end

    def same_range(self, other: Resource) -> bool:
        return self.start == other.start and self.end == other.end

    def walk(self) -> Iterator[Resource]:
        """This resource and all its descendants, in file order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def path(self) -> list[Resource]:
        """Ancestors from the top level down to this resource."""
        chain: list[Resource] = []
        node: Resource | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class Iomem:
    """A parsed /proc/iomem: top-level resources, and what the parser had to assume."""

    roots: list[Resource]
    path: str = "<iomem>"
    hidden: bool = False
    """Every address is zero: the file was read without CAP_SYS_ADMIN."""
    notes: list[str] = field(default_factory=list)
    """What was skipped or assumed (prompts, elisions, annotations, indentation disagreements)."""
    header: dict[str, str] = field(default_factory=dict)
    """``# key: value`` lines before the first entry (provenance headers of shared dumps)."""

    def walk(self) -> Iterator[Resource]:
        for root in self.roots:
            yield from root.walk()

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())


def read_text(data: bytes, path: str) -> str:
    """Decode a file's bytes, refusing binary data and absurd sizes with a one-line error."""
    if len(data) > MAX_BYTES:
        raise CrashmapError(
            f"file is {len(data) >> 20} MiB; a /proc/iomem or snapshot is never that large",
            path=path,
        )
    if b"\x00" in data[:65536]:
        raise CrashmapError("binary data, not a text file", path=path)
    text = data.decode("utf-8", errors="replace")
    if text and text.count("\ufffd") > max(8, len(text) // 20):
        raise CrashmapError("binary data, not a UTF-8 text file", path=path)
    return text


def parse_iomem(text: str, path: str = "<iomem>") -> Iomem:
    """Parse /proc/iomem text (possibly pasted from a report) into an :class:`Iomem` tree."""
    if len(text) > MAX_BYTES:
        raise CrashmapError("text is too large to be a /proc/iomem", path=path)
    result = Iomem(roots=[], path=path)
    entries: list[Resource] = []
    last_entry_width = 0
    pending_wrap: Resource | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u00a0", " ").rstrip("\r\n")
        body = _QUOTE.sub("", line, count=1) if line.lstrip().startswith(">") else line
        stripped = body.strip()
        if not stripped:
            pending_wrap = None
            continue
        if stripped.startswith("#"):
            if not entries:
                _read_header(stripped, result.header)
            continue
        match = _ENTRY.match(stripped)
        if match is None:
            if _TRUNCATED.fullmatch(stripped):
                raise CrashmapError(
                    f"truncated line {stripped!r}: expected 'start-end : name'", path=path, line=number
                )
            if _skippable(stripped, result, number):
                pending_wrap = None
                continue
            if pending_wrap is not None and last_entry_width >= _WRAP_WIDTH:
                pending_wrap.name = f"{pending_wrap.name} {stripped}".strip()
                result.notes.append(f"line {number}: joined to the wrapped name on the line before")
                pending_wrap = None
                continue
            raise CrashmapError(_explain_bad_line(stripped), path=path, line=number)
        start_text, end_text = match.group(1), match.group(2)
        name = match.group(3).strip(" \t")
        annotated = _ANNOTATION.search(name)
        if annotated:
            result.notes.append(f"line {number}: ignored the annotation {annotated.group(0).strip()!r}")
            name = name[: annotated.start()]
        if len(start_text) > 16 or len(end_text) > 16:
            raise CrashmapError(
                f"address wider than 64 bits in {stripped!r}", path=path, line=number
            )
        start, last = int(start_text, 16), int(end_text, 16)
        if start > last:
            raise CrashmapError(
                f"start {start_text} is after end {end_text}", path=path, line=number
            )
        indent = len(body) - len(body.lstrip(" \t"))
        resource = Resource(start, last + 1, name, line=number, indent=indent)
        entries.append(resource)
        last_entry_width = len(line)
        pending_wrap = resource
    if not entries:
        raise CrashmapError("no /proc/iomem lines ('start-end : name') found", path=path)
    result.hidden = all(e.start == 0 and e.end == 1 for e in entries)
    if result.hidden and len(entries) > 1:
        result.notes.append(HIDDEN_MESSAGE)
    _build_tree(entries, result)
    return result


def _read_header(line: str, header: dict[str, str]) -> None:
    key, sep, value = line.lstrip("#").partition(":")
    key = key.strip().lower()
    if sep and _HEADER_KEY.fullmatch(key):
        header.setdefault(key, value.strip())


def _skippable(stripped: str, result: Iomem, number: int) -> bool:
    """Prompts, elisions and author notes that reports put inside a dump."""
    if _ELISION.match(stripped):
        result.notes.append(f"line {number}: elision {stripped!r}: lines are missing here")
        return True
    if _NOTE.match(stripped):
        result.notes.append(f"line {number}: ignored the note {stripped!r}")
        return True
    if _PROMPT.match(stripped) and not _HEXISH_START.match(stripped):
        result.notes.append(f"line {number}: ignored the shell prompt {stripped!r}")
        return True
    return False


def _explain_bad_line(stripped: str) -> str:
    shown = stripped if len(stripped) <= 60 else stripped[:57] + "..."
    head = stripped.split(":", 1)[0].strip()
    if "-" in head and re.fullmatch(r"[0-9a-zA-Z]+-[0-9a-zA-Z]+", head):
        return f"not a hexadecimal range: {shown!r}"
    return f"not an iomem line: {shown!r} (expected 'start-end : name')"


def _build_tree(entries: list[Resource], result: Iomem) -> None:
    """Nest by containment; indentation decides only between identical ranges."""
    stack: list[Resource] = []
    disagreements = 0
    for entry in entries:
        if entry.is_empty and not result.hidden:
            # A registered but empty resource (0-0 in a root dump): keep it where indentation says.
            while stack and stack[-1].indent >= entry.indent:
                stack.pop()
            _attach(entry, stack, result)
            continue
        while stack and not stack[-1].contains(entry):
            stack.pop()
        while stack and stack[-1].same_range(entry) and entry.indent <= stack[-1].indent:
            stack.pop()
        if stack and entry.indent <= stack[-1].indent and not stack[-1].same_range(entry):
            disagreements += 1
        _check_order(entry, stack, result)
        _attach(entry, stack, result)
    if disagreements:
        result.notes.append(
            f"{disagreements} line(s) indented shallower than the range that contains them: "
            "nesting taken from the addresses"
        )


def _check_order(entry: Resource, stack: list[Resource], result: Iomem) -> None:
    siblings = stack[-1].children if stack else result.roots
    previous = next((s for s in reversed(siblings) if not s.is_empty), None)
    if previous is None or result.hidden:
        return
    if entry.start < previous.start:
        raise CrashmapError(
            f"{entry.start:08x}-{entry.last:08x} comes after {previous.start:08x}-{previous.last:08x} "
            f"(line {previous.line}): /proc/iomem lists ranges in address order",
            path=result.path, line=entry.line,
        )
    if entry.start < previous.end:
        raise CrashmapError(
            f"{entry.start:08x}-{entry.last:08x} overlaps {previous.start:08x}-{previous.last:08x} "
            f"(line {previous.line}) without being inside it",
            path=result.path, line=entry.line,
        )


def _attach(entry: Resource, stack: list[Resource], result: Iomem) -> None:
    if stack:
        entry.parent = stack[-1]
        entry.depth = stack[-1].depth + 1
        stack[-1].children.append(entry)
    else:
        entry.depth = 0
        result.roots.append(entry)
    stack.append(entry)
