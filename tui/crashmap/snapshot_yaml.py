"""Snapshot YAML read by PyYAML: any YAML :func:`crashmap.snapshot.from_yaml` is given that the
plain reader (:mod:`crashmap.snapshot_text`) declines, every problem worded with its line.
Aliases and anchors are refused; only the scalar values of known keys are read.
"""

from __future__ import annotations

import yaml

from crashmap.errors import CrashmapError
from crashmap.snapshot import _TYPES, SCHEMA_KEY, SCHEMA_VERSION, Snapshot, field_problem

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any


def _loader() -> Any:
    """PyYAML's C safe loader (else the Python one)."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_TAG = "tag:yaml.org,2002:"
_KIND_OF_TAG = {"str": "str", "int": "int", "float": "float", "bool": "bool", "null": "None",
                "timestamp": "timestamp", "binary": "bytes", "set": "set", "omap": "list",
                "pairs": "list", "seq": "list", "map": "dict", "merge": "a merge key '<<'"}
_INT_CHARS = 40
"""Characters of a YAML integer read at most: 2**64-1 has 20 digits, 16 in hex; a longer one
(``0x`` and 5000 digits, which Python's decimal limit does not stop) is refused unread."""


def _node_kind(node: Any) -> str:
    """The Python type name a YAML node would load as (``dict``, ``list``, ``int``...), or its
    tag when it has no standard type."""
    tag = node.tag or ""
    if tag.startswith(_TAG):
        return _KIND_OF_TAG.get(tag[len(_TAG):], tag[len(_TAG):])
    if isinstance(node, yaml.MappingNode):
        return f"dict tagged {tag}"
    if isinstance(node, yaml.SequenceNode):
        return f"list tagged {tag}"
    return tag


def _node_value(key: str, node: Any, loader: Any, path: str) -> Any:
    """The Python value of a scalar node of the type ``key`` takes; collections and other
    types are refused with the line, unread (a nested or huge value costs nothing)."""
    kinds = _TYPES[key]
    line = node.start_mark.line + 1
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "str" and str in kinds:
            return node.value
        if tag == _TAG + "bool" and bool in kinds:
            value = loader.bool_values.get(node.value.lower())
            if value is not None:
                return value
            raise CrashmapError(f"key {key!r} must be bool: {node.value[:40]!r} is not true or "
                                "false", path=path, line=line)
        if tag == _TAG + "int" and int in kinds:
            if len(node.value) > _INT_CHARS:
                raise CrashmapError(f"key {key!r} must be 0 .. 2**64-1, not an integer of "
                                    f"{len(node.value)} characters", path=path, line=line)
            try:
                return loader.construct_yaml_int(node)
            except ValueError:
                raise CrashmapError(f"key {key!r} must be int: {node.value!r} is not an integer",
                                    path=path, line=line) from None
    raise CrashmapError(f"key {key!r} must be {kinds[0].__name__}, not {_node_kind(node)}",
                        path=path, line=line)


def _refuse_anchors(text: str, path: str) -> None:
    if "&" not in text and "*" not in text:  # no anchor or alias can be written without them
        return
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise CrashmapError("YAML anchors and aliases are not allowed in a snapshot",
                                path=path, line=event.start_mark.line + 1)


def from_pyyaml(text: str, path: str) -> Snapshot:
    """:func:`from_yaml` by PyYAML: any YAML, every problem worded with its line."""
    loader = _loader()(text)
    try:
        _refuse_anchors(text, path)
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CrashmapError(f"not valid YAML: {problem}", path=path,
                            line=mark.line + 1 if mark else None) from None
    try:
        return _from_root(root, loader, path)
    finally:
        loader.dispose()


def _from_root(root: Any, loader: Any, path: str) -> Snapshot:
    if not isinstance(root, yaml.MappingNode):
        if root is None:
            kind = "empty"
        elif isinstance(root, yaml.SequenceNode):
            kind = "list"
        else:
            kind = _node_kind(root)
        raise CrashmapError(f"a snapshot is a YAML mapping, this is {kind}", path=path)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    warnings: list[str] = []
    version: Any = None
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
            shown = (repr(key_node.value[:40]) if isinstance(key_node, yaml.ScalarNode)
                     else f"(a {_node_kind(key_node)})")
            warnings.append(f"{path}:{line}: unknown key {shown} ignored")
            continue
        key = key_node.value
        if key in lines:
            raise CrashmapError(f"key {key[:40]!r} appears twice (first on line {lines[key]})",
                                path=path, line=line)
        lines[key] = line
        if key == SCHEMA_KEY:
            version = value_node
            continue
        if key == "source":
            continue
        if key not in _TYPES:
            warnings.append(f"{path}:{line}: unknown key {key[:40]!r} ignored")
            continue
        value = _node_value(key, value_node, loader, path)
        problem = field_problem(key, value)
        if problem:
            raise CrashmapError(f"key {key!r} {problem}", path=path,
                                line=value_node.start_mark.line + 1)
        if value is not None:
            values[key] = value
    if version is None:
        raise CrashmapError(f"not a crashmap snapshot (no '{SCHEMA_KEY}' key)", path=path)
    if not (isinstance(version, yaml.ScalarNode) and version.tag == _TAG + "int"
            and version.value.strip() == str(SCHEMA_VERSION)):
        shown = version.value[:20] if isinstance(version, yaml.ScalarNode) else \
            f"(a {_node_kind(version)})"
        raise CrashmapError(
            f"snapshot schema version {shown} is not supported (this crashmap reads "
            f"{SCHEMA_VERSION})", path=path, line=version.start_mark.line + 1)
    if "iomem" not in values:
        raise CrashmapError("snapshot has no 'iomem' text", path=path)
    snapshot = Snapshot(**values, source=path)
    snapshot.warnings.extend(warnings)
    snapshot.key_lines = lines
    return snapshot
