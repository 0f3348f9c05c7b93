"""``crashmap show`` on a 100 000-line map, as text and as JSON, run by hand:
``python tests/bench/bench_show_big.py [--runs N] [--lines N]``.

Builds a synthetic map shaped like a big server's (``tests/bench/synthetic.py``, about 3.7 MB
for 100 000 lines), writes it to a temporary file, and times whole ``crashmap show FILE`` and
``crashmap show FILE --json`` processes with stdout to a pipe (how scripts read them): wall
time (median of the runs) and the child's CPU time (user + system, steadier on a busy machine).
Issue 13 measured ~13 s (text, rich's Tree) and ~3 s (``--json``, ``json.dump``'s pure-Python
encoder) before the fix. :func:`measure` returns the numbers for ``tests/bench/run_all.py``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import crashmap_command  # noqa: E402
from tests.bench.synthetic import synthetic_iomem  # noqa: E402


def _run(argv: list[str]) -> tuple[float, float, int]:
    """(wall s, child CPU s, bytes written) of one run, stdout read through a pipe."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(done.stdout)


def measure(lines: int = 100_000, runs: int = 5) -> dict[str, dict[str, float]]:
    """``{"text": {...}, "json": {...}}``, each with ``wall`` and ``cpu`` medians (s) and
    ``bytes``; plus ``"map": {"lines", "bytes"}``."""
    compileall.compile_dir(str(ROOT / "tui" / "crashmap"), quiet=1)
    text = synthetic_iomem(lines)
    results: dict[str, dict[str, float]] = {"map": {"lines": lines, "bytes": len(text)}}
    with tempfile.TemporaryDirectory(prefix="crashmap-bench-") as tmp:
        path = Path(tmp) / "big-iomem.txt"
        path.write_text(text)
        for name, extra in (("text", []), ("json", ["--json"])):
            argv = [*crashmap_command(), "show", str(path), "--arch", "x86_64", *extra]
            samples = [_run(argv) for _ in range(runs)]
            results[name] = {"wall": statistics.median(s[0] for s in samples),
                             "cpu": statistics.median(s[1] for s in samples),
                             "bytes": samples[0][2]}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = measure(args.lines, args.runs)
    size = results["map"]
    print(f"map: {size['lines']} lines, {size['bytes'] / 1e6:.1f} MB "
          f"({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    for name in ("text", "json"):
        r = results[name]
        flag = " --json" if name == "json" else ""
        print(f"crashmap show FILE{flag:7s} wall {r['wall']:.2f} s  cpu {r['cpu']:.2f} s  "
              f"({r['bytes'] / 1e6:.1f} MB out, median of {args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
