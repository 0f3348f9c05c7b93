"""Load a SOURCE for a headless command: warnings to stderr, hidden maps refused."""

from __future__ import annotations

from crashmap.cli.common import warn
from crashmap.errors import CrashmapError
from crashmap.iomem import HIDDEN_MESSAGE
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source


def load_for_cli(source: str | None, arch: str | None = None, *, allow_hidden: bool = False) -> Snapshot:
    """Load SOURCE, print its warnings on stderr, and refuse a map whose addresses are hidden."""
    snapshot = load_source(source, arch=arch)
    for message in snapshot.warnings:
        warn(message)
    if snapshot.hidden and not allow_hidden:
        raise CrashmapError(HIDDEN_MESSAGE, path=snapshot.source)
    return snapshot
