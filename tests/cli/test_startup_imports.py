"""Start-up stays lean (issue 16): each path imports what it uses, and nothing it does not.

Each probe runs in a fresh interpreter (``sys.modules`` of this test process is shared with
every other test) and prints the names it finds of the modules listed.
"""

from __future__ import annotations

import json
import subprocess
import sys

MAP = "x86_64-server-cascadelake"


def imported(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (modules or packages) are in ``sys.modules`` once ``code`` ran."""
    probe = (
        "import contextlib, io, json, sys\n"
        f"{code}\n"
        f"names = {names!r}\n"
        "found = sorted(n for n in names if any(m == n or m.startswith(n + '.') "
        "for m in sys.modules))\n"
        "sys.__stdout__.write(json.dumps(found))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


HEADLESS_UNUSED = ("textual", "rich", "shutil", "typing", "crashmap.estimate",
                   "crashmap.export", "crashmap.fleet", "crashmap.app")
"""What ``check --json`` has no use for: the TUI and rich (no terminal output), shutil (and
its bz2/lzma; argparse's own HelpFormatter imports it to size help text), typing (names for
annotations only), and the subcommands' own packages."""


def test_headless_check_json_imports_only_what_it_uses():
    code = ("import crashmap.cli as c\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    assert c.main(['check', {MAP!r}, '--json']) in (0, 1)\n")
    assert imported(code, HEADLESS_UNUSED) == []


def test_the_probe_sees_what_is_imported():
    """The probe above would report the modules it lists (a test that cannot fail is none)."""
    code = "import shutil, typing, crashmap.export"
    assert imported(code, HEADLESS_UNUSED) == ["crashmap.export", "shutil", "typing"]
