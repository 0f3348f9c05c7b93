"""The README's exit-code contract, tested per subcommand from the README itself.

The "Exit codes" section holds two tables: what 0/1/2 mean per subcommand (it must say exactly
what ``crashmap.cli.exitcodes`` says, which each ``--help`` prints), and example command lines
with their exit code, which are run here. Every registered subcommand needs a row, and every code
a row uses needs an example: a new subcommand (fleet, serve, verify ...) adds its row and its
examples to the README and nothing here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import crashmap.cli as cli
import pytest
from crashmap.cli.exitcodes import EVERY_COMMAND, EXIT_CODES, help_text

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section() -> str:
    start = README.index("\n## Exit codes\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def _tables(text: str) -> list[list[list[str]]]:
    """Markdown tables as lists of rows of cells (header and rule lines dropped)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            current.append(cells)
        elif current:
            tables.append(current[2:])  # header and |---| rule
            current = []
    return tables


CONTRACT, EXAMPLES = _tables(_section())
ROWS = {row[0].strip("`"): tuple(row[1:]) for row in CONTRACT}
CASES = [(row[0].strip("`"), int(row[1])) for row in EXAMPLES]


def test_the_readme_table_is_the_code_table() -> None:
    assert ROWS == EXIT_CODES
    every = "; ".join(f"**{code}** {text}" for code, text in EVERY_COMMAND)
    assert every in " ".join(_section().split())


def test_every_subcommand_has_a_row() -> None:
    registered = set(cli.build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert registered == set(ROWS), "add a row to README.md and crashmap/cli/exitcodes.py"


@pytest.mark.parametrize("command", sorted(ROWS))
def test_every_used_code_has_an_example(command: str) -> None:
    used = {code for code, text in enumerate(ROWS[command]) if text != "—"}
    if command == "tui":
        used.discard(0)  # quitting the app: test_tui_quits_with_0 below
    shown = {code for line, code in CASES if shlex.split(line)[1] == command}
    assert used <= shown, f"README: give an example of {command} exiting {used - shown}"
    assert shown <= used, f"README: {command} exits {shown - used}, which its row does not use"


@pytest.mark.parametrize("command", sorted(ROWS))
def test_help_prints_the_row(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert " ".join(help_text(command).split()) in out


@pytest.mark.parametrize(("line", "code"), CASES, ids=[line for line, _ in CASES])
def test_the_example_exits_as_the_readme_says(line: str, code: int, monkeypatch:
                                              pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)  # examples name files like maps/x86_64-laptop-zenbook.yaml
    argv = shlex.split(line)
    assert argv[0] == "crashmap"
    try:
        got = cli.main(argv[1:])
    except SystemExit as done:  # argparse's own usage errors
        got = done.code if isinstance(done.code, int) else 2
    _, err = capsys.readouterr()
    assert got == code, err
    assert "Traceback" not in err
    if code == 2:
        assert err.strip() and all(line.startswith(("crashmap", "usage:", " "))
                                   for line in err.splitlines())


async def test_tui_quits_with_0() -> None:
    from crashmap.app.app import CrashmapApp
    from crashmap.sources import load_source

    app = CrashmapApp(load_source("demo"), source="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert (app.return_code or 0) == 0
