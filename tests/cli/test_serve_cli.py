"""``crashmap serve``: what it refuses, what it warns about, the command each browser tab runs,
and that nothing of the server loads for any other command. No browser here (``tests/web``).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys

import pytest
from crashmap.cli import build_parser, main
from crashmap.cli.serve import INSTALL_HINT, is_loopback, prepare
from crashmap.errors import CrashmapError

from tests.web.harness import free_port


def served(*argv: str):
    args = build_parser("serve").parse_args(["serve", *argv])
    return prepare(args)


def crashmap(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crashmap", *argv], capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_live_needs_live(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "live"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs --live" in err and "without a login" in err
    assert main(["serve", "--live", "demo"]) == 2  # --live means this machine, nothing else
    assert "--live serves this machine, not demo" in capsys.readouterr().err


def test_live_with_live_is_the_live_map_and_says_so() -> None:
    for argv in (("--live",), ("live", "--live")):
        result = served(*argv)
        assert shlex.split(result.command)[3:] == ["tui", "live"]
        assert any("live map of this machine" in w for w in result.warnings)


def test_a_non_loopback_host_is_warned_about() -> None:
    assert served().warnings == []  # 127.0.0.1 by default: nothing to warn about
    assert served("--host", "localhost").warnings == []
    for host in ("0.0.0.0", "192.0.2.1", "::", "teaching-box"):
        (warning,) = served("--host", host).warnings
        assert f"listening on {host}" in warning and "anyone who can reach port 8000" in warning
        assert "sees this map and can drive the app" in warning


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("10.0.0.1", False),
    ("example.org", False),
])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_warning_is_printed_and_a_port_that_cannot_be_had_is_one_line() -> None:
    """The real command on an address this machine does not have: it warns, then fails to
    bind (no packet leaves: the bind itself is refused) with one line, exit 2."""
    pytest.importorskip("textual_serve", reason="needs the web extra: pip install -e '.[test]'")
    result = crashmap("serve", "--host", "192.0.2.1", "--port", str(free_port()))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 2 and "warning: listening on 192.0.2.1" in lines[0]
    assert lines[1].startswith("crashmap: cannot listen on 192.0.2.1:")
    assert result.stdout == ""  # no URL: nothing listens


def test_the_served_command_is_the_plain_app() -> None:
    result = served("x86_64-desktop-i7", "--arch", "x86_64", "--lesson", "ranges",
                    "--cmdline", "crashkernel=1G-4G:192M,4G-:256M quiet", "--kernel", "6.18")
    words = shlex.split(result.command)
    assert words == [sys.executable, "-m", "crashmap", "tui", "x86_64-desktop-i7",
                     "--arch", "x86_64", "--cmdline", "crashkernel=1G-4G:192M,4G-:256M quiet",
                     "--kernel", "6.18", "--lesson", "ranges"]
    assert "serve" not in words  # never the serve path again: no recursion
    args = build_parser("tui").parse_args(words[3:])  # and the TUI parser reads it back
    assert (args.source, args.arch, args.kernel, args.lesson) == (
        "x86_64-desktop-i7", "x86_64", "6.18", "ranges")


def test_defaults_demo_or_the_lessons_map_and_a_file_by_absolute_path(tmp_path, monkeypatch):
    assert shlex.split(served().command)[4] == "demo"
    assert served().url == "http://127.0.0.1:8000/"
    assert shlex.split(served("--lesson", "cma").command)[4:] == [
        "x86_64-vm-firecracker-6.18", "--lesson", "cma"]
    dump = tmp_path / "host.iomem"
    dump.write_text("00000000-0009ffff : System RAM\n00100000-3fffffff : System RAM\n")
    monkeypatch.chdir(tmp_path)
    assert shlex.split(served("host.iomem", "--arch", "x86_64").command)[4] == str(dump)
    result = served("--host", "::1", "--port", "9000", "--public-url", "https://k.example/")
    assert (result.url, result.public_url) == ("https://k.example/", "https://k.example")


def test_bad_input_is_refused_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "no-such-map"]) == 2
    assert "no-such-map: no such file, directory or bundled map" in capsys.readouterr().err
    assert main(["serve", "--lesson", "nope"]) == 2
    assert "no lesson 'nope'" in capsys.readouterr().err
    with pytest.raises(CrashmapError, match="a TCP port is 1-65535"):
        served("--port", "0")
    assert main(["serve", "--kernel", "banana"]) == 2
    assert "--kernel" in capsys.readouterr().err


def test_lesson_list_prints_the_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--lesson", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("first-look\tdemo\tkdump\t") and len(out) >= 7
    assert main(["tui", "--lesson", "list"]) == 0  # the plain app lists the same
    assert capsys.readouterr().out.splitlines() == out


def test_without_textual_serve_one_line_says_how_to_install() -> None:
    code = ("import sys; sys.modules['textual_serve'] = None\n"  # as if not installed
            "from crashmap.cli import main; raise SystemExit(main(['serve']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr == f"crashmap: {INSTALL_HINT}\n" and result.stdout == ""


def test_nothing_of_the_server_loads_for_the_other_commands() -> None:
    probe = ("import sys, runpy\n"
             "sys.argv = ['crashmap', 'check', 'demo', '--json']\n"
             "try:\n    runpy.run_module('crashmap', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in ('textual_serve', 'aiohttp', 'textual', 'yaml', "
             "'crashmap.checks') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    # crashmap.checks, which check uses, shows the probe sees what loads; a bundled map loads
    # without PyYAML (crashmap.snapshot_text)
    assert result.stderr.strip().splitlines()[-1] == "['crashmap.checks']"


def test_nothing_of_the_server_or_the_lesson_loads_for_the_tui() -> None:
    probe = """
import asyncio, sys
from crashmap.app.main import build_app

async def first_frame():
    app = build_app("demo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()

asyncio.run(first_frame())
print(sorted(m for m in ("textual_serve", "aiohttp", "crashmap.cli.serve",
                         "crashmap.app.learn.lessons", "crashmap.app.widgets.lesson_panel")
             if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, stdin=subprocess.DEVNULL)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_serve_is_listed_in_the_help() -> None:
    assert "serve" in build_parser().format_help()
    parser = build_parser("serve")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    help_text = sub.choices["serve"].format_help()
    assert "--live" in help_text and "no login" in help_text
