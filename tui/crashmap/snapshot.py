"""Snapshots: one YAML file holding a machine's raw /proc/iomem and the facts around it.

Written with ``yaml.safe_dump`` (the iomem text byte-exact, as a block scalar where YAML allows),
read with the C safe loader when libyaml is present. Missing fields are unknown (None); unknown
keys are ignored with a warning; a wrong type is an error naming the key; YAML aliases are refused.
The writers are :mod:`crashmap.snapshot_write`; the readers :mod:`crashmap.snapshot_text` (the
shape crashmap writes) and, for any other YAML, :mod:`crashmap.snapshot_yaml` (PyYAML).
"""

from __future__ import annotations

from functools import cached_property

from crashmap.errors import CrashmapError
from crashmap.iomem import MAX_BYTES, Iomem, check_text, parse_iomem, read_text, text_problem
from crashmap.memmap import MemoryMap, Range
from crashmap.units import U64_MAX, hexadecimal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

SCHEMA_VERSION = 1
SCHEMA_KEY = "crashmap_snapshot"

class Snapshot:
    """A memory map and the facts crashmap needs about the machine it came from.

    Every fact below is a saved key; unknown facts stay None. ``Snapshot(iomem, hostname=...)``.
    (A plain class rather than a dataclass: dataclass creation costs every command import time.)
    """

    iomem: str
    """The raw /proc/iomem text, byte-exact."""
    hostname: str | None = None
    inventory_hostname: str | None = None
    """The host's name in the Ansible inventory that collected it (the name host_vars use)."""
    arch: str | None = None
    """``platform.machine()`` of the machine, or the arch given or inferred for a raw dump."""
    arch_note: str | None = None
    """How ``arch`` was decided when it was not read from the machine (guess, header, --arch)."""
    kernel_release: str | None = None
    cmdline: str | None = None
    """/proc/cmdline without its trailing newline."""
    mem_total: int | None = None
    """Total memory in bytes as psutil reports it (MemTotal)."""
    page_size: int | None = None
    cpu_count: int | None = None
    kexec_crash_size: int | None = None
    kexec_crash_loaded: bool | None = None
    kexec_crash_cma_ranges: str | None = None
    """/sys/kernel/kexec/crash_cma_ranges (old name /sys/kernel/kexec_crash_cma_ranges) text
    (``start-end`` per line, inclusive, hex)."""
    kexec_loaded: bool | None = None
    """/sys/kernel/kexec/loaded: a kernel for a normal kexec reboot is loaded."""
    kexec_crash_elfcorehdr_size: int | None = None
    """/sys/kernel/kexec/crash_elfcorehdr_size (old name /sys/kernel/crash_elfcorehdr_size)."""
    kernel_config: str | None = None
    """The kdump-related ``CONFIG_`` lines of the running kernel (crashmap.kernel.config)."""
    kernel_config_source: str | None = None
    """Where they came from: /proc/config.gz or /boot/config-RELEASE."""
    kexec_loader: str | None = None
    """``kexec_file_load`` or ``kexec_load``: how the kdump service loads the capture kernel."""
    kexec_loader_source: str | None = None
    """The configuration line that says so (crashmap.kernel.loader)."""
    zswap_enabled: bool | None = None
    balloon_loaded: bool | None = None
    swiotlb_size: int | None = None
    boot_log: str | None = None
    """Memory lines of the boot log: e820/firmware map, RAMDISK, crashkernel, CMA, Memory:."""
    kernel_size: int | None = None
    """Size of the running kernel's image file under /boot, when known."""
    initrd_size: int | None = None
    """Size of the running kernel's initrd under /boot, when known."""
    modules: str | None = None
    """/proc/modules text, when captured."""
    kdumpctl_estimate: str | None = None
    """``kdumpctl estimate`` output from a sosreport (crashmap.peers.kdumpctl_estimate)."""
    kdumptool_calibrate: str | None = None
    """``kdumptool calibrate`` output from a supportconfig (crashmap.peers.calibrate)."""
    taken_at: str | None = None
    taken_by: str | None = None
    provenance: str | None = None
    """Where the data came from (for maps built from public reports)."""

    def __init__(self, iomem: str, source: str = "snapshot", **facts: Any) -> None:
        self.iomem = iomem
        self.source = source
        """Where this came from, for people: ``live``, a path, ``demo``, a bundled map name."""
        self.warnings: list[str] = []
        """Diagnostics from loading (unknown keys, guessed arch); not saved."""
        self.key_lines: dict[str, int] = {}
        """Line of each key in the file it was read from, for later messages; not saved."""
        for key, value in facts.items():
            if key not in _TYPES:
                raise TypeError(f"Snapshot has no field {key!r}")
            setattr(self, key, value)

    @cached_property
    def parsed(self) -> Iomem:
        return parse_iomem(self.iomem, self.source)

    @cached_property
    def memmap(self) -> MemoryMap:
        return MemoryMap(self.parsed)

    @property
    def hidden(self) -> bool:
        return self.parsed.hidden

    @property
    def system_ram(self) -> int | None:
        """The kernel's ``system_ram`` as well as the map tells it (sum of System RAM)."""
        if not self.hidden:
            total = self.memmap.total_ram
            if total > U64_MAX:  # only a line spanning all of 0-ffffffffffffffff adds up to this
                line = next((r.line for r in self.memmap.ram_resources if r.size > U64_MAX), None)
                raise CrashmapError("System RAM spans the whole 64-bit address space (2**64 "
                                    "bytes); no machine has that much", path=self.source,
                                    line=line)
            if total:
                return total
        return self.mem_total

    @property
    def cma_ranges(self) -> list[Range]:
        """Crashkernel CMA areas from ``kexec_crash_cma_ranges`` (half-open)."""
        return parse_cma_ranges(self.kexec_crash_cma_ranges or "")


_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,), "str | None": (str,), "int | None": (int,), "bool | None": (bool,),
}
_TYPES: dict[str, tuple[type, ...]] = {
    name: _KINDS[str(kind)] for name, kind in Snapshot.__annotations__.items()
}
"""The saved keys and their YAML types (read off the class annotations)."""


def parse_cma_ranges(text: str) -> list[Range]:
    ranges: list[Range] = []
    for line in text.split():
        start, _, end = line.partition("-")
        first, last = hexadecimal(start), hexadecimal(end)
        if first is not None and last is not None and first <= last:
            ranges.append(Range(first, last + 1))
    return ranges


def field_problem(key: str, value: Any) -> str | None:
    """What makes ``value`` unfit for snapshot key ``key``, or None: the one rule that
    :func:`from_yaml` applies to what it reads and :func:`to_yaml` to what it writes."""
    kinds = _TYPES[key]
    if value is None:
        return None
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        return f"must be {kinds[0].__name__}, not {type(value).__name__}"
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not 0 <= value <= U64_MAX:
        return "must be 0 .. 2**64-1 (sizes, addresses and counts are unsigned 64-bit)"
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            return f"is {problem[1]} (line {problem[0]} of the text)"
    return None


def from_yaml(text: str, path: str) -> Snapshot:
    """Load a snapshot, checking the schema and the types, refusing aliases and duplicates.

    Every problem is one :class:`CrashmapError` naming ``path`` and the line. Only the scalar
    values of known keys are read; a mapping, list or other type where a string, integer or
    boolean belongs is refused by its kind, never built.
    """
    if len(text) > MAX_BYTES:
        raise CrashmapError("text is too large to be a snapshot", path=path)
    check_text(text, path)
    snapshot = _from_plain(text, path)
    if snapshot is not None:
        return snapshot
    from crashmap.snapshot_yaml import from_pyyaml  # what the plain reader declines

    return from_pyyaml(text, path)


def _from_plain(text: str, path: str) -> Snapshot | None:
    """The snapshot when ``text`` is in the shape crashmap writes and every key and value is
    valid (:func:`crashmap.snapshot_text.read_plain`); else None: PyYAML reads it, and its path
    words every problem."""
    from crashmap.snapshot_text import read_plain  # here: a JSON Lines fleet reads no YAML

    entries = read_plain(text)
    if entries is None:
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, value, line in entries:
        if key in lines:
            return None
        lines[key] = line
        if key == SCHEMA_KEY:
            if type(value) is not int or value != SCHEMA_VERSION:
                return None
            continue
        kinds = _TYPES.get(key)
        if kinds is None or type(value) not in kinds or field_problem(key, value):
            return None
        values[key] = value
    if SCHEMA_KEY not in lines or "iomem" not in values:
        return None
    snapshot = Snapshot(**values, source=path)
    snapshot.key_lines = lines
    return snapshot


def from_mapping(data: Any, path: str, *, line: int | None = None,
                 what: str = "JSON") -> Snapshot:
    """A snapshot from its keys (a YAML document or one JSON Lines record), checked the same
    way: the schema version, every value's type; unknown keys become warnings. ``line`` is
    the record's line in a JSON Lines file, for the messages."""
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "empty"
        raise CrashmapError(f"a snapshot is a {what} mapping, this is {kind}", path=path,
                            line=line)
    version = data.get(SCHEMA_KEY)
    if version is None:
        raise CrashmapError(f"not a crashmap snapshot (no '{SCHEMA_KEY}' key)", path=path,
                            line=line)
    if type(version) is not int or version != SCHEMA_VERSION:
        raise CrashmapError(
            f"snapshot schema version {version!r} is not supported (this crashmap reads "
            f"{SCHEMA_VERSION})", path=path, line=line)
    values: dict[str, Any] = {}
    warnings: list[str] = []
    where = path if line is None else f"{path}:{line}"
    types = _TYPES
    for key, value in data.items():
        expected = types.get(key) if isinstance(key, str) else None
        if expected is None:
            if key != SCHEMA_KEY and key != "source":
                warnings.append(f"{where}: unknown key {key!r} ignored")
            continue
        if value is None:
            continue
        problem = field_problem(key, value)
        if problem:
            raise CrashmapError(f"key {key!r} {problem}", path=path, line=line)
        values[key] = value
    if "iomem" not in values:
        raise CrashmapError("snapshot has no 'iomem' text", path=path, line=line)
    snapshot = Snapshot.__new__(Snapshot)  # the keys are checked: skip __init__'s second pass
    snapshot.__dict__.update(values)
    snapshot.source = where
    snapshot.warnings = warnings
    snapshot.key_lines = {}  # a JSON record's keys have no lines of their own
    return snapshot


def load_snapshot(path: str | Path) -> Snapshot:
    """Read and validate a snapshot file."""
    from crashmap.files import read_capped

    name = str(path)
    return from_yaml(read_text(read_capped(path), name), name)


def write_atomic(path: str | Path, text: str, *, force: bool = False) -> None:
    """Write a snapshot (or any text) atomically: :func:`crashmap.writing.write_atomic`."""
    from crashmap.writing import write_atomic as write

    write(path, text, force=force)


_MOVED = {"to_mapping": "crashmap.snapshot_write", "to_yaml": "crashmap.snapshot_write",
          "to_json_line": "crashmap.snapshot_write"}
"""Writers that live in their own module (the map's start-up writes nothing), importable here."""


def __getattr__(name: str) -> object:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
