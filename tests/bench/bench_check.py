"""Issue 4 budgets, run by hand: ``python tests/bench/bench_check.py``.

- one simulation + all checks on a synthetic 10 000-resource map, context built once:
  < 5 ms (the TUI reruns it on every drag step; best and median of 200 per plan)
- ``crashmap check --json`` on the largest bundled map as a whole process:
  ≤ 1.5 × ``python -c "import yaml, psutil"`` (median of 15)

crashmap's modules are byte-compiled first (``compileall``, into the ignored ``__pycache__``):
an installed wheel ships compiled, and ``PYTHONDONTWRITEBYTECODE`` would otherwise make every
run recompile the sources while yaml and psutil load from bytecode.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crashmap.checks import evaluate, evaluate_cmdline  # noqa: E402
from crashmap.placement import Request, context_from_snapshot  # noqa: E402
from crashmap.snapshot import Snapshot  # noqa: E402
from crashmap.sources import bundled_maps  # noqa: E402
from tests.bench.synthetic import synthetic_iomem  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30
RUNS = 15
PLANS = {
    "64M (fits)": Request(crash_size=64 * MiB),
    "256M (fragmented: fails)": Request(crash_size=256 * MiB),
    "512M,high + 0,low": Request(crash_size=512 * MiB, high=True, low_size=0),
    "@16M fixed, busy": Request(crash_size=256 * MiB, crash_base=16 * MiB),
    "64M + 3G,cma (halving, 4 areas)": Request(crash_size=64 * MiB, cma_size=3 * GiB),
}


def in_process() -> bool:
    snapshot = Snapshot(iomem=synthetic_iomem(10_000), arch="x86_64",
                        cmdline="crashkernel=256M", kernel_release="6.18.0")
    start = time.perf_counter()
    ctx = context_from_snapshot(snapshot)
    built = (time.perf_counter() - start) * 1000
    print(f"context for 10 000 resources ({len(ctx.free)} free ranges): {built:.1f} ms, once "
          f"(includes parsing the map)")
    ok = True
    for name, request in PLANS.items():
        evaluate(ctx, request, cmdline="x")  # the first call fills per-map caches
        times = []
        for _ in range(200):
            t = time.perf_counter()
            evaluate(ctx, request, cmdline="x")
            times.append((time.perf_counter() - t) * 1000)
        best, median = min(times), statistics.median(times)
        ok &= median < 5
        print(f"  simulate + checks, {name:32s} best {best:.3f} ms, median {median:.3f} ms")
    times = []
    for _ in range(200):
        t = time.perf_counter()
        evaluate_cmdline(ctx, "crashkernel=512M,high crashkernel=2G,cma")
        times.append((time.perf_counter() - t) * 1000)
    print(f"  with the grammar parse and lint (evaluate_cmdline):  median "
          f"{statistics.median(times):.3f} ms")
    ok &= statistics.median(times) < 5
    print("  budget 5 ms:", "OK" if ok else "OVER")
    return ok


def process_ms(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def whole_process() -> bool:
    compileall.compile_dir(str(ROOT / "tui" / "crashmap"), quiet=1)
    name = max(bundled_maps().items(), key=lambda kv: kv[1].stat().st_size)[0]
    from crashmap.cli import COMMANDS

    if "check" in COMMANDS:
        command = [str(Path(sys.executable).with_name("crashmap")), "check", name, "--json"]
    else:  # not registered yet: the same main(), with check added
        command = [sys.executable, "-c",
                   "import sys, crashmap.cli as c; c.COMMANDS['check'] = ''; "
                   f"sys.exit(c.main(['check', '{name}', '--json']))"]
    baseline = process_ms([sys.executable, "-c", "import yaml, psutil"])
    show = process_ms([str(Path(sys.executable).with_name("crashmap")), "show", name, "--json"])
    check = process_ms(command)
    print(f"python -c 'import yaml, psutil': {baseline:.1f} ms")
    print(f"crashmap show {name} --json:  {show:.1f} ms = {show / baseline:.2f}x")
    print(f"crashmap check {name} --json: {check:.1f} ms = {check / baseline:.2f}x "
          f"(budget 1.5x)")
    return check <= 1.5 * baseline


def main() -> int:
    ok = in_process()
    ok = whole_process() and ok
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
