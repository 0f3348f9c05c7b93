"""Output and files, through the real ``crashmap`` command: a full device, a closed pipe, an
endless input, and ``-o`` targets that are not regular files. One line on stderr, never a
traceback; exit 2, or 141 when the reader of stdout went away (as ``cat`` reports)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "crashmap"]
ROOT = Path(__file__).resolve().parents[2]

def _printing() -> dict[str, list[str]]:
    """The first README example of each subcommand that exits 0 (each prints on stdout), and
    a few more kinds of output."""
    from tests.cli.test_exit_codes import CASES

    found: dict[str, list[str]] = {}
    for line, code in CASES:
        argv = shlex.split(line)[1:]
        if code == 0 and argv[0] not in found:
            found[argv[0]] = argv
    found |= {"show --json": ["show", "demo", "--json"], "--help": ["--help"],
              "check --help": ["check", "--help"], "--version": ["--version"]}
    return found


PRINTING = _printing()
"""A command of each kind that prints data on stdout (every subcommand with a README example)."""


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *argv], capture_output=True, text=True, timeout=60,
                          **kwargs)  # type: ignore[call-overload]


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("name", PRINTING)
def test_a_full_stdout_is_one_line_and_exit_2(name: str) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*COMMAND, *PRINTING[name]], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2
    assert _one_line(done.stderr) == "crashmap: stdout: cannot write: No space left on device"


@pytest.mark.parametrize("name", PRINTING)
def test_a_closed_pipe_ends_quietly_as_cat_does(name: str) -> None:
    """The reader is gone before the first byte: no message, the shell's SIGPIPE status."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([*COMMAND, *PRINTING[name]], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT)
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == 141


def test_head_reads_one_line_and_the_rest_is_dropped_quietly() -> None:
    """``crashmap show MAP | head -1`` in a real shell pipeline."""
    done = subprocess.run(["sh", "-c", f"{sys.executable} -m crashmap show demo | head -1"],
                          capture_output=True, text=True, timeout=60)
    assert done.stderr == ""
    assert done.stdout.splitlines()[0].startswith("demo")


def test_an_endless_input_is_refused_after_the_cap() -> None:
    done = _run(["show", "/dev/zero"])
    assert done.returncode == 2
    assert _one_line(done.stderr).startswith("crashmap: /dev/zero: larger than 16 MiB")


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink", "missing folder"])
def test_snapshot_o_refuses_what_is_not_a_regular_file(kind: str, force: list[str],
                                                       tmp_path: Path) -> None:
    target = {"directory": tmp_path / "dir", "fifo": tmp_path / "fifo",
              "symlink": tmp_path / "link", "missing folder": tmp_path / "no" / "a.yaml"}[kind]
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to("dir")
    before = sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir())
    done = _run(["snapshot", "demo", "-o", str(target), *force])
    assert done.returncode == 2
    assert _one_line(done.stderr).startswith(f"crashmap: {target}: ")
    assert sorted((p.name, p.lstat().st_mode) for p in tmp_path.iterdir()) == before


def test_snapshot_o_an_existing_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "box.yaml"
    target.write_text("precious\n")
    done = _run(["snapshot", "demo", "-o", str(target)])
    assert done.returncode == 2
    assert _one_line(done.stderr) == (f"crashmap: {target}: already exists (use --force to "
                                      "overwrite)")
    assert target.read_text() == "precious\n"
    done = _run(["snapshot", "demo", "-o", str(target), "--force"])
    assert done.returncode == 0 and target.read_text().startswith("crashmap_snapshot")
