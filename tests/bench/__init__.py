"""Benchmarks, run by hand (``python tests/bench/run_all.py``); pytest does not collect them."""

import sys
from pathlib import Path


def crashmap_command() -> list[str]:
    """The ``crashmap`` command as installed beside this Python (what the budgets name and a
    user runs), else ``python -m crashmap``, which also imports ``runpy`` and its
    ``importlib.util`` and ``contextlib`` (~5 ms) before crashmap's first line."""
    script = Path(sys.executable).with_name("crashmap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crashmap"]
