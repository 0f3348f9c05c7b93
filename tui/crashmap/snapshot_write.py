"""Snapshots out: the saved keys as YAML (block scalars, schema version first, iomem last) or
as one JSON Lines record. What is written loads back identical through :mod:`crashmap.snapshot`
(which re-exports these names).
"""

from __future__ import annotations

from crashmap.errors import CrashmapError
from crashmap.snapshot import _TYPES, SCHEMA_KEY, SCHEMA_VERSION, Snapshot, field_problem

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

_DUMPER: list[Any] = []


def _block_dumper() -> Any:
    """The safe dumper (C when present) writing multi-line strings as block scalars."""
    if not _DUMPER:
        import yaml

        class _BlockDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
            pass

        _BlockDumper.add_representer(str, _represent_str)
        _DUMPER.append(_BlockDumper)
    return _DUMPER[0]


def _represent_str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def to_mapping(snapshot: Snapshot) -> dict[str, Any]:
    """The saved keys and their values: schema version first, iomem last, unknowns left out.

    A value no snapshot file can hold (a lone surrogate, an integer past 64 bits, a wrong type)
    is refused with a :class:`CrashmapError` naming the key, as the readers refuse it: what is
    saved loads back identical.
    """
    data: dict[str, Any] = {SCHEMA_KEY: SCHEMA_VERSION}
    for name in _TYPES:
        if name == "iomem":
            continue
        value = getattr(snapshot, name)
        if value is not None:
            data[name] = value
    data["iomem"] = snapshot.iomem
    for key, value in data.items():
        problem = field_problem(key, value) if key != SCHEMA_KEY else None
        if problem:
            raise CrashmapError(f"cannot save key {key!r}: it {problem}", path=snapshot.source)
    return data


def to_yaml(snapshot: Snapshot) -> str:
    """The snapshot as YAML text (schema version first, iomem last): it loads back identical."""
    import yaml

    return yaml.dump(to_mapping(snapshot), Dumper=_block_dumper(), sort_keys=False,
                     allow_unicode=True, width=1 << 16)


def to_json_line(snapshot: Snapshot) -> str:
    """The snapshot as one JSON Lines record: the same keys as the YAML, one line, a newline."""
    import json

    return json.dumps(to_mapping(snapshot), ensure_ascii=False, separators=(",", ":")) + "\n"
