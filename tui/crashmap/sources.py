"""Resolve a SOURCE argument into a :class:`~crashmap.snapshot.Snapshot`.

SOURCE is ``live``, a snapshot YAML, a raw /proc/iomem text file, an extracted sosreport or
supportconfig directory, a host's folder from ``contrib/ansible/collect.yml`` (or its
``crashmap-collect.txt``), one record of a JSON Lines fleet file (``FILE.jsonl`` holding one
snapshot, or ``FILE.jsonl:LINE``), or the name of a map shipped in ``maps/`` (``demo`` among
them). Folders are read by :mod:`crashmap.report_dir`, collect bundles by :mod:`crashmap.collect`
and JSON Lines by :mod:`crashmap.jsonl`, each imported only for its kind of SOURCE.
"""

from __future__ import annotations

import os
import re

from crashmap.arch import normalize_arch
from crashmap.errors import CrashmapError
from crashmap.files import read_capped
from crashmap.iomem import parse_iomem, read_text
from crashmap.snapshot import SCHEMA_KEY, Snapshot, from_yaml
from crashmap.units import decimal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

DEMO_MAP = "x86_64-laptop-zenbook"
"""The bundled map shown when the live map cannot be read."""


def maps_dir() -> Path:
    """Where the bundled maps live: inside the wheel, or ``maps/`` of a source checkout."""
    from pathlib import Path

    return Path(_maps_folder())


def _maps_folder() -> str:
    packaged = os.path.join(os.path.dirname(__file__), "maps")
    if os.path.isdir(packaged):
        return packaged
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    return os.path.join(root, "maps")


def bundled_maps() -> dict[str, Path]:
    """Bundled map names (file stems) and their paths, sorted by name."""
    from pathlib import Path

    return {name: Path(path) for name, path in _bundled_files().items()}


def _bundled_files() -> dict[str, str]:
    """:func:`bundled_maps` as plain strings: loading a map by name needs no pathlib (its
    import, with urllib.parse and ipaddress, is some 5 % of a headless ``check``)."""
    folder = _maps_folder()
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml") and n != ".yaml")
    except OSError:  # no folder (or not one): no bundled maps
        return {}
    return {name[: -len(".yaml")]: os.path.join(folder, name) for name in names}


def load_source(spec: str | None = "live", *, arch: str | None = None) -> Snapshot:
    """Load SOURCE; ``arch`` (from ``--arch``) overrides whatever the source says."""
    spec = spec or "live"
    if spec == "live":
        from crashmap.live import capture

        snapshot = capture()
    else:
        snapshot = _load_path_or_map(spec)
    settle_arch(snapshot, arch)
    return snapshot


JSONL_SUFFIXES = (".jsonl", ".ndjson")


def _suffix(path: str) -> str:
    """``Path(path).suffix``."""
    name = os.path.basename(path.rstrip("/"))
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _load_path_or_map(spec: str) -> Snapshot:
    if os.path.exists(spec):  # a file or folder given by path: named as pathlib names it
        from pathlib import Path

        path = Path(spec)
        if path.is_dir():
            from crashmap.report_dir import load_report_dir

            return load_report_dir(path)
        if path.suffix in JSONL_SUFFIXES:
            return load_jsonl_record(path)
        return load_file(path)
    head, colon, line = spec.rpartition(":")
    number = decimal(line) if colon else None
    if number is not None and _suffix(head) in JSONL_SUFFIXES and os.path.isfile(head):
        from pathlib import Path

        return load_jsonl_record(Path(head), number)
    maps = _bundled_files()
    name = DEMO_MAP if spec == "demo" else spec
    if name in maps:
        snapshot = load_file(maps[name])
        snapshot.source = "demo" if spec == "demo" else f"map:{name}"
        return snapshot
    known = ", ".join(["demo", *maps]) or "none"
    raise CrashmapError(f"no such file, directory or bundled map (bundled maps: {known})", path=spec)


def load_file(path: str | Path) -> Snapshot:
    """A snapshot YAML or a raw /proc/iomem text file, told apart by content."""
    name = str(path)
    text = read_text(read_capped(path), name)
    if not text.strip():
        raise CrashmapError("empty file", path=name)
    if looks_like_collect(text):
        from crashmap.collect import snapshot_from_collect

        return snapshot_from_collect(text, name)
    if _looks_like_snapshot(text):
        return from_yaml(text, name)
    return snapshot_from_iomem(text, name)


def load_jsonl_record(path: Path, line: int | None = None) -> Snapshot:
    """Record ``line`` of a JSON Lines fleet file; without ``line`` the file must hold one."""
    from crashmap.jsonl import read_records

    name = str(path)
    chosen = None
    count = 0
    for number, record in read_records(path):
        if line is None:
            count += 1
            if count > 1:
                raise CrashmapError(
                    f"holds more than one snapshot: open one as {name}:LINE, or read them all "
                    f"with 'crashmap fleet {name}'", path=name)
            chosen = record
        elif number == line:
            chosen = record
            break
    if chosen is None:
        raise CrashmapError("no snapshot on that line" if line else "holds no snapshot",
                            path=name, line=line)
    if isinstance(chosen, CrashmapError):
        raise chosen
    return chosen


COLLECT_MAGIC = "crashmap-collect 1"
"""The first line of a :mod:`crashmap.collect` bundle (here: telling the kinds of file apart
needs no more of that module)."""


def looks_like_collect(text: str) -> bool:
    """The text starts (after blank lines or terminal noise) with a collect bundle's magic line."""
    head = text[:4096].replace("\r", "")
    return any(line.strip() == COLLECT_MAGIC for line in head.split("\n")[:20])


def _looks_like_snapshot(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        return stripped.startswith((SCHEMA_KEY + ":", "{", "- ", "[")) or (
            ":" in stripped and not re.match(r"\s*(?:>\s*)*[0-9a-fA-F]+-[0-9a-fA-F]+", line)
            and re.match(r"[A-Za-z_][\w-]*:(\s|$)", stripped) is not None
        )
    return False


def snapshot_from_iomem(text: str, name: str) -> Snapshot:
    """Wrap raw iomem text; a ``# key: value`` header (the shared dumps) supplies provenance."""
    parsed = parse_iomem(text, name)
    from crashmap.archguess import arch_from_text

    header = parsed.header
    snapshot = Snapshot(iomem=text, source=name, taken_by=f"raw /proc/iomem text from {name}")
    if header:
        snapshot.provenance = "\n".join(f"{k}: {v}" for k, v in header.items())
        header_arch = arch_from_text(header.get("arch", ""))
        if header_arch:
            snapshot.arch = header_arch
            snapshot.arch_note = "from the file's '# arch:' header"
        release = header.get("kernel", "").split()
        if release and release[0][:1].isdigit():
            snapshot.kernel_release = release[0].rstrip(",;")
    snapshot.__dict__["parsed"] = parsed  # already parsed: keep it
    return snapshot


def _warn_override(snapshot: Snapshot, given: str) -> None:
    """``--arch`` that contradicts what the source itself says (the running kernel, a recorded
    snapshot, uname in a report, a dump's header) is taken, with a warning: a kdump engineer
    may mean it (a 32-bit personality reports i686 on an x86_64 kernel), but usually it is a
    mistake that reads the map with the wrong arch's rules. A guessed arch is simply replaced."""
    if not snapshot.arch:
        return
    try:
        own = normalize_arch(snapshot.arch)
    except CrashmapError:
        return
    if own != given:
        where = "this machine runs" if snapshot.source == "live" else "the source says"
        snapshot.warnings.append(
            f"{snapshot.source}: --arch {given} overrides {own} ({where} {own}): the map is "
            f"read with {given}'s crashkernel rules")


def settle_arch(snapshot: Snapshot, arch: str | None) -> None:
    """Set ``snapshot.arch``: ``arch`` (``--arch``) wins, then the source's, then a guess."""
    if arch:
        given = normalize_arch(arch)
        _warn_override(snapshot, given)
        snapshot.arch = given
        snapshot.arch_note = "given with --arch"
        return
    if snapshot.arch:
        try:
            normalize_arch(snapshot.arch)
        except CrashmapError as error:
            raise CrashmapError(f"{error.message}; give --arch", path=snapshot.source,
                                line=snapshot.key_lines.get("arch")) from None
        return
    if snapshot.hidden:
        snapshot.arch, snapshot.arch_note = "x86_64", "unknown (addresses hidden); assuming x86_64"
        return
    from crashmap.archguess import guess_arch

    guessed, reason = guess_arch(snapshot.parsed)
    snapshot.arch = guessed
    snapshot.arch_note = f"guessed from the map: {reason}; pass --arch to be sure"
    snapshot.warnings.append(f"{snapshot.source}: architecture {snapshot.arch_note}")


def is_fleet(source: str | None) -> bool:
    """SOURCE is a fleet (``crashmap fleet`` reads it; ``crashmap SOURCE`` opens the fleet
    screen): a folder that is not one host's, or a JSON Lines file of more than one record.
    A cheap look: names and the first lines only."""
    if not source:
        return False
    from pathlib import Path

    path = Path(source)
    if path.is_dir():
        from crashmap.report_dir import is_host_dir

        return not is_host_dir(path)
    if path.suffix in JSONL_SUFFIXES and path.is_file():
        try:
            with open(path, "rb") as handle:
                records = 0
                for line in handle:
                    records += bool(line.strip())
                    if records > 1:
                        return True
        except OSError:
            return False
    return False


_MOVED = frozenset(("load_report_dir", "mem_total", "supportconfig_sections", "is_host_dir",
                    "SUPPORTCONFIG_FILES"))
"""Names that moved to :mod:`crashmap.report_dir`, still importable from here."""


def __getattr__(name: str) -> object:
    if name in _MOVED:
        from crashmap import report_dir

        return getattr(report_dir, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
