"""``crashmap export``: stdout pasteable, diff and warnings on stderr, JSON, exit codes."""

from __future__ import annotations

import json
import shlex

import crashmap.cli as cli
import pytest
from crashmap.export import FORMATS, export
from crashmap.sources import load_source

ZENBOOK = "x86_64-laptop-zenbook"  # its /proc/cmdline has crashkernel=96M


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch):
    """crashmap's main() with the export subcommand registered (the registry is not mine)."""
    monkeypatch.setattr(cli, "COMMANDS", {**cli.COMMANDS, "export": "export a plan"})
    return cli.main


def run(main, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_plan_reproduces_the_current_setting(main, capsys) -> None:
    snapshot = load_source(ZENBOOK)
    code, out, err = run(main, capsys, ZENBOOK, "--format", "cmdline")
    assert code == 0
    assert out == snapshot.cmdline + "\n"
    assert "unchanged kernel command line" in err


def test_stdout_is_only_the_text_and_the_diff_goes_to_stderr(main, capsys) -> None:
    code, out, err = run(main, capsys, ZENBOOK, "--format", "grubby", "--words",
                         "crashkernel=512M")
    assert code == 0
    commands = [line for line in out.splitlines() if not line.startswith("#")]
    assert [shlex.split(c) for c in commands] == [[
        "grubby", "--update-kernel=/boot/vmlinuz-5.3.11-gentoo", "--args=crashkernel=512M",
        "--remove-args=crashkernel=96M"]]
    assert "--- current kernel command line" not in out
    assert "--- current kernel command line" in err
    assert "removed: crashkernel=96M" in err and "added:   crashkernel=512M" in err


def test_cmdline_option_takes_the_crashkernel_words_of_a_whole_line(main, capsys) -> None:
    code, out, err = run(main, capsys, ZENBOOK, "--format", "suse-sysconfig", "--cmdline",
                         "ro xcrashkernel=9G crashkernel=1G,high quiet crashkernel=128M,low")
    assert code == 0
    assert 'KDUMP_CRASHKERNEL="crashkernel=1G,high crashkernel=128M,low"' in out
    assert "'xcrashkernel=9G' is not a crashkernel= parameter" in err


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_format_prints_what_export_returns(main, capsys, fmt: str) -> None:
    words = "crashkernel=1G,high crashkernel=128M,low"
    code, out, _ = run(main, capsys, ZENBOOK, "--format", fmt, "--words", words)
    assert code == 0
    snapshot = load_source(ZENBOOK)
    assert out == export(fmt, words, snapshot.cmdline, "x86_64", snapshot=snapshot).text


def test_json(main, capsys) -> None:
    # the zenbook runs Linux 5.3, before the ,cma word class (35c18f2933c5, 6.17): planned for
    # that kernel, "1G,cma" is the last plain word and the kernel rejects the plan
    code, out, err = run(main, capsys, ZENBOOK, "--format", "json", "--words",
                         "crashkernel=256M crashkernel=1G,cma")
    assert code == 1 and out == "" and "rejects the plan" in err
    code, out, err = run(main, capsys, ZENBOOK, "--format", "json", "--words",
                         "crashkernel=256M crashkernel=1G,cma", "--kernel", "6.17")
    assert code == 0
    data = json.loads(out)  # compact when piped
    assert out.count("\n") == 1
    assert data["format"] == "json"
    assert data["words"] == ["crashkernel=256M", "crashkernel=1G,cma"]
    assert data["diff"] == {"removed": ["crashkernel=96M"],
                            "added": ["crashkernel=256M", "crashkernel=1G,cma"]}
    assert data["current_cmdline"].endswith("crashkernel=96M efi=debug")
    assert data["new_cmdline"].endswith("crashkernel=256M crashkernel=1G,cma efi=debug")
    assert set(data["outputs"]) == set(FORMATS) - {"json"}
    assert all(isinstance(text, str) and text.endswith("\n") for text in data["outputs"].values())
    assert isinstance(data["warnings"], list)
    assert data["kernel"]["version"] == "6.17" and data["kernel"]["source"] == "given"
    assert not any("cma" in w for w in data["warnings"])
    assert "--- current" not in err  # the diff is in the JSON


def test_no_reservation_with_empty_words(main, capsys) -> None:
    code, out, err = run(main, capsys, ZENBOOK, "--format", "cmdline", "--words", "")
    assert code == 0
    assert "crashkernel=" not in out
    assert "the kernel reserves nothing" in err


def test_lint_warnings_go_to_stderr(main, capsys) -> None:
    code, out, err = run(main, capsys, ZENBOOK, "--format", "cmdline", "--words",
                         "crashkernel=512M crashkernel=256M")
    assert code == 0
    assert "crashmap: warning: overridden-word: " in err
    assert "overridden" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--words", "crashkernel=256MB"], "the kernel rejects the plan: crashkernel: "
                                           "unrecognized char: B"),
        (["--cmdline", "ro quiet"], "the kernel rejects the plan: no crashkernel= parameter"),
        (["--words", "crashkernel=17G"], "not below system RAM"),
        (["--words", "crashkernel=1G-2G:128M"], "crashkernel size resulted in zero bytes"),
        (["--words", "crashkernel=1G-:32G"], "the kernel rejects the plan: crashkernel: "
                                             "invalid size"),
    ],
)
def test_rejected_plan_exits_1_with_one_line(main, capsys, argv: list[str],
                                            message: str) -> None:
    code, out, err = run(main, capsys, ZENBOOK, "--format", "grubby", *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        ([ZENBOOK, "--format", "lilo"], "unknown format 'lilo'"),
        ([ZENBOOK, "--format", "cmdline", "--words", "quiet"], "is not a crashkernel= word"),
        ([ZENBOOK, "--format", "cmdline", "--words", "crashkernel=1G", "--cmdline", "x"],
         "not both"),
        (["no-such-map", "--format", "cmdline"], "no such file"),
        (["s390x-vm-kvm-2g", "--format", "zipl"], "no kernel command line"),
        ([ZENBOOK, "--format", "cmdline", "--ram", "lots"], "--ram"),
        ([ZENBOOK, "--format", "cmdline", "--arch", "vax"], "unknown architecture"),
    ],
)
def test_usage_errors_exit_2_with_one_line(main, capsys, argv: list[str], needle: str) -> None:
    code, out, err = run(main, capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_format_is_required_as_the_usage_says(main, capsys) -> None:
    """--format is required: argparse says so in the usage (README: `--format FORMAT`, not
    bracketed) and in one line, exit 2."""
    with pytest.raises(SystemExit) as done:
        main(["export", ZENBOOK])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required: --format" in err
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "--format FORMAT" in usage and "[--format" not in usage


def test_source_without_cmdline_with_a_plan(main, capsys) -> None:
    code, out, err = run(main, capsys, "s390x-vm-kvm-2g", "--format", "zipl", "--words",
                         "crashkernel=256M")
    assert code == 0
    assert 'parameters = "crashkernel=256M"' in out
    assert "no kernel command line" in err


def test_current_and_ram_options(main, capsys) -> None:
    code, out, err = run(main, capsys, "s390x-vm-kvm-2g", "--format", "cmdline",
                         "--current", "root=/dev/dasda1 crashkernel=128M", "--ram", "1G",
                         "--words", "crashkernel=2G")
    assert code == 1  # 2G is not below the 1G of RAM given
    assert "not below system RAM" in err
    code, out, _ = run(main, capsys, "s390x-vm-kvm-2g", "--format", "cmdline",
                       "--current", "root=/dev/dasda1 crashkernel=128M")
    assert (code, out) == (0, "root=/dev/dasda1 crashkernel=128M\n")


def test_help_lists_every_format(main, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name, text in FORMATS.items():
        assert f"  {name}" in out and text in out


def test_update_kernel_option_picks_the_boot_entry(main, capsys) -> None:
    """kdumpctl reset-crashkernel --kernel=ALL|PATH (kdump-utils
    spec/kdumpctl_reset_crashkernel_spec.sh), passed on as grubby --update-kernel."""
    for option, expected in (("ALL", "--update-kernel=ALL"),
                             ("/boot/vmlinuz-5.4.0", "--update-kernel=/boot/vmlinuz-5.4.0")):
        code, out, _ = run(main, capsys, ZENBOOK, "--format", "grubby", "--words",
                           "crashkernel=512M", "--update-kernel", option)
        assert code == 0
        commands = [shlex.split(line) for line in out.splitlines() if line.startswith("grubby")]
        assert [c[1] for c in commands] == [expected]
    code, out, err = run(main, capsys, ZENBOOK, "--format", "grubby", "--words",
                         "crashkernel=512M", "--update-kernel", "vmlinuz")
    assert code == 2 and out == ""
    assert "--update-kernel: 'vmlinuz' is not a kernel image path" in err
    assert "Traceback" not in err
