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

import gc
import re
from collections.abc import Iterator

from crashmap.errors import CrashmapError

MAX_BYTES = 16 << 20
"""A real /proc/iomem is a few hundred KiB at most; refuse anything past this."""

MAX_DEPTH = 32
"""Nesting levels refused beyond this. The kernel indents at most MAX_IORES_LEVEL (5) levels
(kernel/resource.c, ``r_show``) and real maps nest about that deep (the deepest real dump in
tests/data/iomem has 6 levels); 32 leaves room for deep PCIe switch chains and keeps every
consumer of the tree (JSON, rich trees, the TUI) far from Python's recursion limit."""

HIDDEN_MESSAGE = "addresses are hidden: run as root, or load a snapshot"
_NOTE_LINE = re.compile(r"line (\d+): ")

_FAST = re.compile(r"( *)([0-9a-f]{1,16})-([0-9a-f]{1,16}) : ([^<>←\t\u00a0]*)$")
"""A clean kernel line: the common case, parsed without the slow path."""
_ENTRY = re.compile(r"([0-9a-fA-F]+)-([0-9a-fA-F]+)[ \t]*:[ \t]?(.*)$")
_TRUNCATED = r"[0-9a-fA-F]+(?:-[0-9a-fA-F]*)?[ \t]*$"
_HEXISH_START = r"[0-9a-fA-F]+-"
_HEADER_KEY = r"[a-z][a-z0-9 _-]{0,30}"
_QUOTE = r"^[ \t]*(?:>[ \t]?)+"
_ELISION = r"^(?:\.{2,}|…+|\[\.\.\.?\]|\[…\]|-{3,}|<snip>|\[snip\])$"
_PROMPT = r"^(?:\S*[#$%]\s*$|\S*[#$%]\s+\S.*|.*\bcat\s+/proc/iomem\b.*)$"
_NOTE = r"^\(.*\)$"
_ANNOTATION = r"\s+(?:<{2,}|<-+|<=+|←|-+>|=+>).*$"
"""Slow-path patterns are strings: ``re`` compiles them on first use, not at import."""
_WRAP_WIDTH = 60
"""A non-entry line after an entry at least this long is taken as a mail-wrapped name."""


class Resource:
    """One /proc/iomem line: ``[start, end)`` named ``name``, with its children in address order.

    A plain slotted class, not a dataclass: maps have thousands of these, and dataclass
    creation costs import time on every headless command.
    """

    __slots__ = ("start", "end", "name", "line", "depth", "parent", "children", "indent")

    def __init__(self, start: int, end: int, name: str, line: int = 0, depth: int = 0,
                 parent: Resource | None = None, children: list[Resource] | None = None,
                 indent: int = 0) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.line = line
        """Line number in the source text."""
        self.depth = depth
        """Nesting depth (0 = top level), from the rebuilt tree."""
        self.parent = parent
        self.children: list[Resource] = [] if children is None else children
        self.indent = indent
        """Indentation width as found (after quote markers), a hint for identical ranges."""

    def __repr__(self) -> str:
        return f"Resource({self.start:#x}, {self.end:#x}, {self.name!r}, line={self.line})"

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
        """This resource and all its descendants, in file order (iteratively: any depth)."""
        stack = [self]
        pop, extend = stack.pop, stack.extend
        while stack:
            node = pop()
            yield node
            if node.children:
                extend(reversed(node.children))

    def path(self) -> list[Resource]:
        """Ancestors from the top level down to this resource."""
        chain: list[Resource] = []
        node: Resource | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class Iomem:
    """A parsed /proc/iomem: top-level resources, and what the parser had to assume."""

    def __init__(self, roots: list[Resource], path: str = "<iomem>") -> None:
        self.roots = roots
        self.path = path
        self.hidden = False
        """Every address is zero: the file was read without CAP_SYS_ADMIN."""
        self.notes: list[str] = []
        """What was skipped or assumed (prompts, elisions, annotations, indentation)."""
        self.header: dict[str, str] = {}
        """``# key: value`` lines before the first entry (provenance headers of shared dumps)."""

    @property
    def located_notes(self) -> list[str]:
        """:attr:`notes` with the file in front, as diagnostics name places: ``FILE:LINE: ...``
        for ``line N: ...``, ``FILE: ...`` for the others."""
        out = []
        for note in self.notes:
            found = _NOTE_LINE.match(note)
            out.append(f"{self.path}:{found.group(1)}: {note[found.end():]}" if found
                       else f"{self.path}: {note}")
        return out

    def walk(self) -> Iterator[Resource]:
        """Every resource, in file order."""
        stack = self.roots[::-1]
        pop, extend = stack.pop, stack.extend
        while stack:
            node = pop()
            yield node
            if node.children:
                extend(reversed(node.children))

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


def text_problem(text: str) -> tuple[int, str] | None:
    """``(line, what)`` when ``text`` holds what no UTF-8 file can (a lone surrogate: the bytes
    of a file that is not UTF-8, as ``surrogateescape`` decodes them), else None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        line = len((text[:error.start] + "x").splitlines())
        byte = f" (byte 0x{code - 0xDC00:02x} read with surrogateescape)" \
            if 0xDC80 <= code <= 0xDCFF else ""
        return line, f"not UTF-8 text: U+{code:04X} is a lone surrogate{byte}"
    return None


def check_text(text: str, path: str) -> None:
    """Refuse text that could not be saved as it is (see :func:`text_problem`)."""
    problem = text_problem(text)
    if problem is not None:
        raise CrashmapError(problem[1], path=path, line=problem[0])


def parse_iomem(text: str, path: str = "<iomem>") -> Iomem:
    """Parse /proc/iomem text (possibly pasted from a report) into an :class:`Iomem` tree."""
    enabled = gc.isenabled()
    gc.disable()  # thousands of small objects: collector passes would double the parse time
    try:
        return _parse(text, path)
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, path: str) -> Iomem:
    if len(text) > MAX_BYTES:
        raise CrashmapError("text is too large to be a /proc/iomem", path=path)
    check_text(text, path)
    result = Iomem(roots=[], path=path)
    entries: list[Resource] = []
    last_entry_width = 0
    pending_wrap: Resource | None = None
    fast = _FAST.match
    for number, raw in enumerate(text.splitlines(), start=1):
        quick = fast(raw)
        if quick is not None:
            start, last = int(quick.group(2), 16), int(quick.group(3), 16)
            if start <= last:
                resource = Resource(start, last + 1, quick.group(4).rstrip(" "), number, 0, None,
                                    [], len(quick.group(1)))
                entries.append(resource)
                last_entry_width = len(raw)
                pending_wrap = resource
                continue
        line = raw.replace("\u00a0", " ").rstrip("\r\n")
        body = re.sub(_QUOTE, "", line, count=1) if line.lstrip().startswith(">") else line
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
            if re.fullmatch(_TRUNCATED, stripped):
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
        annotated = re.search(_ANNOTATION, name) if ("<" in name or ">" in name or "←" in name) else None
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
    if sep and re.fullmatch(_HEADER_KEY, key):
        header.setdefault(key, value.strip())


def _skippable(stripped: str, result: Iomem, number: int) -> bool:
    """Prompts, elisions and author notes that reports put inside a dump."""
    if re.match(_ELISION, stripped, re.IGNORECASE):
        result.notes.append(f"line {number}: elision {stripped!r}: lines are missing here")
        return True
    if re.match(_NOTE, stripped):
        result.notes.append(f"line {number}: ignored the note {stripped!r}")
        return True
    if re.match(_PROMPT, stripped) and not re.match(_HEXISH_START, stripped):
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
    """Nest by containment; indentation decides only between identical ranges.

    The kernel never lets siblings overlap, so a range inside the previous open range is its
    child even when mangled indentation says otherwise. Identical ranges (a PCI function and its
    driver, every line of a hidden map) nest only when indented deeper.
    """
    stack: list[Resource] = []
    tails: list[Resource | None] = []  # last non-empty child of each open range, for order checks
    root_tail: Resource | None = None
    hidden = result.hidden
    disagreements = 0
    for entry in entries:
        start, end, indent = entry.start, entry.end, entry.indent
        if not hidden and start == 0 and end == 1:
            # A registered but empty resource (0-0 in a root dump): place it by indentation alone.
            while stack and stack[-1].indent >= indent:
                stack.pop()
                tails.pop()
        else:
            while stack:
                top = stack[-1]
                if top.start <= start and end <= top.end and not (
                    top.start == start and top.end == end and indent <= top.indent
                ):
                    break
                stack.pop()
                tails.pop()
            previous = tails[-1] if stack else root_tail
            if previous is not None and not hidden:
                _check_order(entry, previous, result)
            if stack and indent <= stack[-1].indent:
                disagreements += 1
        if stack:
            parent = stack[-1]
            if len(stack) >= MAX_DEPTH:
                raise CrashmapError(
                    f"ranges nest more than {MAX_DEPTH} levels deep here; a real /proc/iomem "
                    "nests a few levels (the kernel indents at most MAX_IORES_LEVEL = 5, "
                    "kernel/resource.c r_show)", path=result.path, line=entry.line)
            entry.parent = parent
            entry.depth = parent.depth + 1
            parent.children.append(entry)
            if not entry.is_empty:
                tails[-1] = entry
        else:
            entry.depth = 0
            result.roots.append(entry)
            if not entry.is_empty:
                root_tail = entry
        stack.append(entry)
        tails.append(None)
    if disagreements and not hidden:
        result.notes.append(
            f"{disagreements} line(s) indented no deeper than the range that contains them: "
            "nesting taken from the addresses"
        )


def _check_order(entry: Resource, previous: Resource, result: Iomem) -> None:
    """Siblings come in address order and never overlap in kernel output."""
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
