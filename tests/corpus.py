"""The real /proc/iomem dumps and the real kernels that the tests read, all inside the repository.

``tests/data/iomem/`` is a verbatim copy of the research corpus (each file keeps its provenance
header); ``$CRASHMAP_SHARED_IOMEM`` may name a folder of further dumps, which are tested too.
``tests/data/kernel-oracle/`` holds the Linux 7.3.4 kernels and initramfs images (``SOURCE.txt``).
"""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
IOMEM = DATA / "iomem"
KERNEL_ORACLE = DATA / "kernel-oracle"


def _dumps() -> list[Path]:
    found = {p.name: p for p in IOMEM.glob("*.txt")}
    extra = os.environ.get("CRASHMAP_SHARED_IOMEM")
    if extra and Path(extra).is_dir():
        for p in Path(extra).glob("*.txt"):
            found.setdefault(p.name, p)
    return sorted(found.values(), key=lambda p: p.name)


DUMPS = _dumps()
"""Every real dump: the repository's copy, plus any extra ones from ``$CRASHMAP_SHARED_IOMEM``."""


def dump(prefix: str) -> Path:
    """The dump whose file name starts with ``prefix-`` (``dump("29")``)."""
    return next(p for p in DUMPS if p.name.startswith(prefix + "-"))


def readable_maps() -> list:
    """Every real map crashmap reads with its addresses: the dumps and the bundled maps, loaded
    (unreadable or root-hidden ones left out). The fleets of the tests and the bench are built
    from these."""
    from crashmap.errors import CrashmapError
    from crashmap.sources import bundled_maps, load_source

    found = []
    for path in [*DUMPS, *bundled_maps().values()]:
        try:
            snapshot = load_source(str(path))
        except CrashmapError:
            continue
        if not snapshot.hidden:
            found.append(snapshot)
    return found
