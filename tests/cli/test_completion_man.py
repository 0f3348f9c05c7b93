"""Shell completions and the manual page are made from the parser: every subcommand and every
option appears, and the real shells (bash, zsh, fish) and groff accept what is generated."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

import crashmap.cli as cli
import pytest
from crashmap.cli.completion import SHELLS, script
from crashmap.cli.man import page


def _parser_surface() -> dict[str, set[str]]:
    """Subcommand → its option strings, read straight from argparse (not from parserinfo)."""
    parser = cli.build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: {flag for action in sub._actions for flag in action.option_strings
                   if not isinstance(action, argparse._HelpAction)}
            for name, sub in subs.choices.items()}


SURFACE = _parser_surface()


@pytest.mark.parametrize("shell", SHELLS)
def test_every_subcommand_and_option_is_completed(shell: str) -> None:
    text = script(shell)
    for name, flags in SURFACE.items():
        assert name in text, (shell, name)
        for flag in flags:
            needle = flag if shell != "fish" else (f"-l {flag[2:]}" if flag.startswith("--")
                                                   else f"-s {flag[1:]}")
            assert needle in text, (shell, name, flag)


def test_every_subcommand_and_option_is_in_the_man_page() -> None:
    text = page()
    for name, flags in SURFACE.items():
        assert f".SS crashmap {name}" in text
        for flag in flags:
            assert f"\\fB{flag.replace('-', chr(92) + '-')}\\fR" in text, (name, flag)
    assert ".SH EXIT STATUS" in text and ".SH SEE ALSO" in text


@pytest.mark.skipif(shutil.which("groff") is None, reason="needs groff to check the roff")
def test_groff_reads_the_man_page_without_a_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crashmap.1"
    path.write_text(page())
    done = subprocess.run(["groff", "-man", "-ww", "-z", str(path)], capture_output=True,
                          text=True)
    assert done.returncode == 0 and done.stderr == ""
    shown = subprocess.run(["groff", "-man", "-Tutf8", str(path)], capture_output=True,
                           text=True, check=True).stdout
    shown = re.sub(".\b", "", shown)  # overstrike bold
    assert "EXIT STATUS" in shown and "crashmap export" in shown


def test_the_man_page_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert '.TH CRASHMAP 1 "2026-01-01"' in page()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert page() == page()


def _bash(words: str) -> list[str]:
    """What bash offers for the last word of ``words`` (a trailing space: a new empty word)."""
    items = words.split(" ")
    program = (f"source <({sys.executable} -m crashmap completion bash)\n"
               f"COMP_WORDS=({' '.join(repr(w) for w in items)}); "
               f"COMP_CWORD={len(items) - 1}; _crashmap; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60,
                          cwd="/")
    assert done.stderr == "", done.stderr
    return sorted(line for line in done.stdout.splitlines() if line)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("words", "expected"), [
    ("crashmap ch", ["check"]),
    ("crashmap c", ["check", "cmdline", "completion"]),
    ("crashmap check --ar", ["--arch"]),
    ("crashmap check --arch arm", ["arm", "arm64"]),
    ("crashmap export demo -f gr", ["grub", "grubby"]),
    ("crashmap completion z", ["zsh"]),
    ("crashmap estimate --distro deb", ["debian-bookworm", "debian-trixie"]),
    ("crashmap check x86_64-laptop", ["x86_64-laptop-zenbook"]),
    ("crashmap --v", ["--version"]),
])
def test_bash_completes(words: str, expected: list[str]) -> None:
    assert _bash(words) == expected


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh")
def test_zsh_reads_the_script(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "_crashmap"
    path.write_text(script("zsh"))
    done = subprocess.run(["zsh", "-n", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    # loaded the way fpath loads it: autoload + compinit, then the function exists
    program = (f"fpath=({tmp_path} $fpath); autoload -Uz compinit; compinit -u -D; "
               "autoload -Uz _crashmap; whence -w _crashmap")
    done = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True,
                          timeout=60, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert "_crashmap: function" in done.stdout, done.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
@pytest.mark.parametrize(("words", "expected"), [
    ("crashmap ch", {"check"}),
    ("crashmap check --ar", {"--arch"}),
    ("crashmap export -f gr", {"grub", "grubby"}),
    ("crashmap completion ", {"bash", "zsh", "fish"}),
])
def test_fish_completes(words: str, expected: set[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crashmap.fish"
    path.write_text(script("fish"))
    done = subprocess.run(["fish", "--no-execute", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(["fish", "--no-config", "-c", f"source {path}; complete -C '{words}'"],
                          capture_output=True, text=True, timeout=60,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    offered = {line.split("\t")[0] for line in done.stdout.splitlines()}
    assert expected <= offered, (done.stdout, done.stderr)
