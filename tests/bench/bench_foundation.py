"""Issue 2 budgets, run by hand: ``python tests/bench/bench_foundation.py``.

- parsing a 10 000-line iomem: < 20 ms; loading its snapshot: < 30 ms (best of 15, in process)
- ``crashmap show --json`` on the largest bundled map as a whole process:
  ≤ 1.5 × ``python -c "import yaml, psutil"`` (median of 15)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crashmap.iomem import parse_iomem  # noqa: E402
from crashmap.snapshot import Snapshot, from_yaml, to_yaml  # noqa: E402
from crashmap.sources import bundled_maps  # noqa: E402
from tests.bench.synthetic import synthetic_iomem  # noqa: E402

RUNS = 15


def timed(func, runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times


def process_ms(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def largest_map() -> str:
    return max(bundled_maps().items(), key=lambda kv: kv[1].stat().st_size)[0]


def compile_package() -> None:
    """Write crashmap's bytecode first: with PYTHONDONTWRITEBYTECODE set (as on the build
    machine) an editable install would otherwise recompile every module on every run, while
    yaml and psutil load from bytecode."""
    import compileall

    import crashmap

    compileall.compile_dir(str(Path(crashmap.__file__).parent), quiet=1)


def main() -> int:
    compile_package()
    text = synthetic_iomem(10_000)
    yaml_text = to_yaml(Snapshot(iomem=text))
    parse = timed(lambda: parse_iomem(text))
    load = timed(lambda: from_yaml(yaml_text, "bench.yaml").parsed)
    print(f"parse 10 000 lines: best {min(parse):.1f} ms, median {statistics.median(parse):.1f} ms"
          f"  (budget 20 ms)")
    print(f"load its snapshot:  best {min(load):.1f} ms, median {statistics.median(load):.1f} ms"
          f"  (budget 30 ms; YAML load and iomem parse)")
    name = largest_map()
    baseline = process_ms([sys.executable, "-c", "import yaml, psutil"])
    script = Path(sys.executable).with_name("crashmap")  # the console script users run
    show = process_ms([str(script), "show", name, "--json"])
    print(f"python -c 'import yaml, psutil': {baseline:.1f} ms")
    print(f"crashmap show {name} --json:     {show:.1f} ms = {show / baseline:.2f}x (budget 1.5x)")
    ok = min(parse) < 20 and min(load) < 30 and show <= 1.5 * baseline
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
