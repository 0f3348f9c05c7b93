"""Boot a set of cases and their baselines in parallel; report exact/consistent by hand.

``python -m tests.kernel.matrix [x86_64|arm64] [-k SUBSTRING]`` boots the matrix and prints one
line per case (used to write the notes; the tests use :func:`boot_all` through a fixture).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.kernel.cases import Case
from tests.kernel.qemu import Layout, boot
from tests.kernel.serial import Boot

JOBS = int(os.environ.get("CRASHMAP_QEMU_JOBS", "2"))
"""Boots at a time (the CI machine has 2 cores; each TCG guest is single-threaded)."""


def specs(cases: list[Case] | tuple[Case, ...]) -> list[tuple[Layout, str]]:
    """Every boot the cases need: each layout's baseline once, then each case's own boot."""
    wanted: dict[tuple[Layout, str], None] = {}
    for case in cases:
        wanted[(case.layout, "")] = None
    for case in cases:
        wanted[(case.layout, case.crashkernel)] = None
    return list(wanted)


def boot_all(cases, workdir: Path, jobs: int = JOBS) -> dict[tuple[Layout, str], Boot | Exception]:
    """Boot everything ``cases`` need, ``jobs`` at a time; a failed boot maps to its error.

    Bigger guests first, so that the slowest boots do not end up alone at the tail.
    """
    todo = sorted(specs(cases), key=lambda s: -_weight(s[0]))

    def one(spec: tuple[Layout, str]) -> Boot | Exception:
        try:
            return boot(spec[0], spec[1], workdir)
        except Exception as error:  # reported by the test that needs this boot
            return error

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip(todo, pool.map(one, todo), strict=True))


def _weight(layout: Layout) -> int:
    from tests.kernel.qemu import ram_bytes

    return ram_bytes(layout.ram) + layout.initrd_pad * 8


def main(argv: list[str]) -> int:
    from tests.kernel import cases as matrix
    from tests.kernel.oracle import consistent_misses, exact_misses, predict
    from tests.kernel.serial import reserved

    arch = argv[0] if argv and not argv[0].startswith("-") else "x86_64"
    chosen = list(matrix.X86 if arch == "x86_64" else getattr(matrix, "ARM64", ()))
    if "-k" in argv:
        needle = argv[argv.index("-k") + 1]
        chosen = [c for c in chosen if needle in c.id]
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / "crashmap-kernel-matrix"
    workdir.mkdir(exist_ok=True)
    start = time.monotonic()
    boots = boot_all(chosen, workdir)
    took = time.monotonic() - start
    exact = consistent = 0
    for case in chosen:
        base, real = boots[(case.layout, "")], boots[(case.layout, case.crashkernel)]
        if isinstance(base, Exception) or isinstance(real, Exception):
            print(f"{case.id:32s} BOOT FAILED: {base if isinstance(base, Exception) else real}")
            continue
        got = reserved(real, arch)
        informed = predict(base.snapshot(arch), case.cmdline)
        with_log = exact_misses(informed, got)
        without = consistent_misses(predict(base.snapshot(arch, boot_log=False), case.cmdline),
                                    got, informed)
        exact += not with_log
        consistent += not without
        print(f"{case.id:32s} exact={'yes' if not with_log else 'NO '} "
              f"consistent={'yes' if not without else 'NO '}")
        for line in with_log:
            print(f"    exact: {line}")
        for line in without:
            print(f"    consistent: {line}")
    print(f"{len(chosen)} cases, {len(specs(chosen))} boots in {took:.0f} s: "
          f"exact {exact}/{len(chosen)}, consistent without the boot log "
          f"{consistent}/{len(chosen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
