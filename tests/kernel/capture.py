"""Capture one oracle boot's raw serial output, for the fixtures in tests/data/kernel-boots/.

``python -m tests.kernel.capture ARCH RAM MACHINE 'PARAMS' 'CRASHKERNEL' > FILE``
(``MACHINE`` q35, pc or virt; empty strings for no parameters / no crashkernel=).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.kernel.qemu import Layout, boot


def main(argv: list[str]) -> int:
    arch, ram, machine, params, crashkernel = argv
    with tempfile.TemporaryDirectory() as work:
        result = boot(Layout(arch, ram, machine, params), crashkernel, Path(work))
    sys.stdout.write(result.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
