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


ON_THIS_MAP_UNUSED = ("crashmap.bootlog", "crashmap.collect", "crashmap.report_dir",
                      "crashmap.snapshot_write", "crashmap.snapshot_yaml",
                      "crashmap.checks.fixes", "crashmap.kernel.fadump", "crashmap.writing")
"""What neither the TUI nor ``check`` needs for this map (a snapshot without a boot log or
``fadump=``, its plan reserved in full): the boot log's readers, the other kinds of SOURCE
(collect bundles, report folders), the snapshot and file writers and PyYAML's reader, the fixes
a failing plan is offered, and fadump's rules."""

HEADLESS_UNUSED = ("textual", "rich", "shutil", "typing", "pathlib", "urllib", "yaml",
                   "crashmap.estimate", "crashmap.export", "crashmap.fleet", "crashmap.app",
                   *ON_THIS_MAP_UNUSED)
"""What ``check --json`` on a bundled map has no use for: the TUI and rich (no terminal
output), shutil (and its bz2/lzma; argparse's own HelpFormatter imports it to size help text),
typing (names for annotations only), pathlib (and its urllib.parse and ipaddress: a bundled map
is found with os.path), PyYAML (a snapshot as crashmap writes it is read by
crashmap.snapshot_text), the subcommands' own packages, and :data:`ON_THIS_MAP_UNUSED`."""


def test_headless_check_json_imports_only_what_it_uses():
    code = ("import crashmap.cli as c\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    assert c.main(['check', {MAP!r}, '--json']) in (0, 1)\n")
    assert imported(code, HEADLESS_UNUSED) == []


def test_the_probe_sees_what_is_imported():
    """The probe above would report the modules it lists (a test that cannot fail is none)."""
    code = "import shutil, typing, pathlib, crashmap.export, yaml"
    assert imported(code, HEADLESS_UNUSED) == ["crashmap.export", "crashmap.kernel.fadump",
                                               "pathlib", "shutil", "typing", "urllib", "yaml"]


TUI_UNUSED = ("crashmap.estimate", "crashmap.export", "crashmap.fleet", "crashmap.jsonl",
              "crashmap.rangeplot", "crashmap.cli.serve", "crashmap.cli.web_server",
              "crashmap.app.screens", "crashmap.app.learn", "crashmap.app.fleet_app",
              "crashmap.app.widgets.lesson_panel", "crashmap.app.widgets.prose",
              "crashmap.app.widgets.save_dialog", "textual_serve",
              "textual.widgets._markdown", "markdown_it", "yaml",
              "crashmap.kernel.ranges", "crashmap.kernel.cmdline_edit", "crashmap.placement.cma",
              "crashmap.app.commands", *ON_THIS_MAP_UNUSED)
"""What the first screen (map, tree, plan, findings, footer) does not show: the other screens
and what only they use (estimates, export, fleet, the range table, Learn and its Markdown,
the web server, the save dialog, the command palette's provider) load when their key is
pressed; PyYAML, which a bundled map does not need (crashmap.snapshot_text reads the shape
crashmap writes); on this map (no command line, a plain-size plan without ``,cma``) neither
range tables, nor command-line editing, nor the CMA placer, nor :data:`ON_THIS_MAP_UNUSED`.
Peak RSS is a high-water mark: whatever the first screen imports stays counted (issue 16's
P5)."""


def test_tui_first_screen_imports_none_of_the_other_screens():
    code = (
        "import asyncio\n"
        "from crashmap.app.main import build_app\n"
        f"app = build_app({MAP!r})\n"
        "async def first_screen():\n"
        "    async with app.run_test(size=(160, 48)) as pilot:\n"
        "        for _ in range(200):\n"
        "            await pilot.pause(0.02)\n"
        "            if app.screen.query('FindingsPanel') and app.screen.query('KeyBar') \\\n"
        "                    and app.screen.query_one('#finding-list').prompts:\n"
        "                break\n"
        "        assert app.screen.query_one('#tree') is not None\n"
        "asyncio.run(first_screen())\n"
    )
    assert imported(code, TUI_UNUSED) == []


def test_the_tui_probe_sees_a_screen_opened_later():
    """Pressing ``E`` loads the estimates screen: the probe above would have seen it."""
    code = (
        "import asyncio\n"
        "from crashmap.app.main import build_app\n"
        f"app = build_app({MAP!r})\n"
        "async def estimate():\n"
        "    async with app.run_test(size=(160, 48)) as pilot:\n"
        "        await pilot.pause(0.2)\n"
        "        await pilot.press('E')\n"
        "        await pilot.pause(0.2)\n"
        "asyncio.run(estimate())\n"
    )
    assert "crashmap.estimate" in imported(code, TUI_UNUSED)
