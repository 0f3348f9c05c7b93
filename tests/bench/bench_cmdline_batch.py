"""Benchmark: ``crashmap cmdline --batch`` on 10 000 JSON lines (budget: under 1 s).

Run by hand: ``.venv/bin/python tests/bench/bench_cmdline_batch.py [LINES]``. Prints the time
in-process (run_batch only) and for the whole process (interpreter start-up included).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time

from crashmap.cli.cmdline import run_batch

G = 1 << 30
BOOT = "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.18.3-200.fc43.x86_64 root=UUID=0b1e-4c1f ro rhgb quiet"
SAMPLES = [
    (f"{BOOT} crashkernel=2G-64G:256M,64G-:512M", "x86_64"),
    (f"{BOOT} crashkernel=1G,high crashkernel=256M,low crashkernel=1G,cma", "x86_64"),
    (f"{BOOT} crashkernel=2G-4G:256M,4G-64G:320M,64G-:576M", "aarch64"),
    (f"{BOOT} crashkernel=2G-4G:384M,4G-16G:512M,16G-64G:1G,64G-128G:2G,128G-:4G "
     "crashkernel=2G,cma", "ppc64le"),
    (f"{BOOT} xcrashkernel=64M crashkernel=256MB crashkernel=512M,high", "x86_64"),
    (f"{BOOT} crashkernel=256M@17M", "x86_64"),
    (f"{BOOT} crashkernel=512M-:192M", "s390x"),
    (BOOT, "riscv64"),
]
RAMS = [G, 2 * G - 100 * (1 << 20), 8 * G, 64 * G - 100 * (1 << 20), 512 * G]


def make_input(lines: int) -> str:
    out = []
    for i in range(lines):
        cmdline, arch = SAMPLES[i % len(SAMPLES)]
        out.append(json.dumps({"cmdline": cmdline, "ram": RAMS[i % len(RAMS)], "arch": arch}))
    return "\n".join(out) + "\n"


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = make_input(lines)
    sink = io.StringIO()
    started = time.perf_counter()
    run_batch(io.StringIO(data), sink)
    in_process = time.perf_counter() - started
    assert sink.getvalue().count("\n") == lines
    print(f"in-process run_batch: {lines} lines in {in_process:.3f} s")
    distinct = "\n".join(line.replace("0b1e-4c1f", f"{i:09d}")
                         for i, line in enumerate(data.splitlines())) + "\n"
    started = time.perf_counter()
    run_batch(io.StringIO(distinct), io.StringIO())
    print(f"in-process run_batch, every line distinct (no repeat to reuse): {lines} lines in "
          f"{time.perf_counter() - started:.3f} s (printed, not budgeted)")

    runner = (
        "import sys, crashmap.cli as c\n"
        "if 'cmdline' not in c.COMMANDS:\n"
        "    c.COMMANDS = {'cmdline': ''}\n"
        "sys.exit(c.main(['cmdline', '--batch']))\n"
    )
    with tempfile.TemporaryFile("w+") as handle:
        handle.write(data)
        handle.seek(0)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", runner], stdin=handle,
                              capture_output=True)
        whole = time.perf_counter() - started
    assert done.stdout.count(b"\n") == lines, done.stderr.decode()
    verdict = "within" if whole < 1.0 else "OVER"
    print(f"whole process:        {lines} lines in {whole:.3f} s ({verdict} the 1 s budget)")


if __name__ == "__main__":
    main()
