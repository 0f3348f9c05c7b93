"""``crashmap cmdline``: JSON, batch, human output, exit codes and live defaults (issue 3)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from types import SimpleNamespace

import crashmap.cli as cli
import pytest
from crashmap.cli import cmdline as cmd
from crashmap.errors import CrashmapError

M, G = 1 << 20, 1 << 30
REQUIRED = {"ok": bool, "crash_size": int, "crash_base": int, "low_size": int, "cma_size": int,
            "high": bool, "warnings": list}


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch):
    """crashmap's main() with only this subcommand registered (others may not exist yet)."""
    monkeypatch.setattr(cli, "COMMANDS", {"cmdline": "explain the crashkernel= words"})
    return cli.main


def run_json(main, capsys, *argv: str) -> tuple[int, dict]:
    code = main(["cmdline", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_high_low_cma(main, capsys) -> None:
    code, out = run_json(main, capsys, "ro crashkernel=1G,high crashkernel=128M,low "
                         "crashkernel=1G,cma quiet", "--arch", "x86_64", "--ram", "16G")
    assert code == 0
    assert {k: out[k] for k in ("ok", "crash_size", "crash_base", "low_size", "cma_size", "high",
                                "error", "warnings")} == {
        "ok": True, "crash_size": G, "crash_base": 0, "low_size": 128 * M, "cma_size": G,
        "high": True, "error": None, "warnings": []}
    assert [w["word"] for w in out["words_used"]] == [
        "crashkernel=1G,high", "crashkernel=128M,low", "crashkernel=1G,cma"]
    assert out["arch"] == "x86_64" and out["ram"] == 16 * G


def test_json_kernel_rejects(main, capsys) -> None:
    code, out = run_json(main, capsys, "crashkernel=256MB", "--arch", "aarch64", "--ram",
                         "17179869184")
    assert code == 1
    assert out["ok"] is False
    assert out["error"] == "crashkernel: unrecognized char: B"  # spec §2.8
    assert any(w.startswith("unit-suffix: ") for w in out["warnings"])
    assert out["lint"][0]["severity"] == "error"
    for key, kind in REQUIRED.items():
        assert isinstance(out[key], kind)


def test_json_nothing_asked_exits_0_as_check_does(main, capsys) -> None:
    """No crashkernel= at all asks for nothing: not a finding (README exit-code table; issue 12
    found `cmdline` exiting 1 here while `check` exits 0)."""
    code, out = run_json(main, capsys, "quiet", "--arch", "x86_64", "--ram", "4G")
    assert code == 0 and out["error_code"] == "no-crashkernel" and out["ok"] is False


def test_json_powerpc_keeps_cma(main, capsys) -> None:
    # spec §2.7: powerpc keeps the cma size although the line is rejected
    code, out = run_json(main, capsys, "crashkernel=1G,cma", "--arch", "ppc64le", "--ram", "8G")
    assert code == 1
    assert (out["ok"], out["cma_size"], out["cma_kept"]) == (False, G, True)


def test_json_words_ignored(main, capsys) -> None:
    _, out = run_json(main, capsys, "crashkernel=128M crashkernel=1G,high crashkernel=256M",
                      "--arch", "x86_64", "--ram", "8G")
    assert [(w["word"], w["status"]) for w in out["words_ignored"]] == [
        ("crashkernel=128M", "overridden"), ("crashkernel=1G,high", "ignored")]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["crashkernel=256M", "--ram", "16X", "--arch", "x86_64"], "--ram"),
        (["crashkernel=256M", "--ram", "-1", "--arch", "x86_64"], "--ram"),
        (["crashkernel=256M", "--ram", "16G", "--arch", "vax"], "unknown architecture"),
        (["crashkernel=256M", "--batch"], "--batch"),
    ],
)
def test_usage_errors_exit_2_with_one_line(main, capsys, argv: list[str], needle: str) -> None:
    assert main(["cmdline", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_batch(main, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        {"cmdline": "crashkernel=512M-2G:64M,2G-:128M", "ram": 4 * G, "arch": "x86_64"},
        {"cmdline": "crashkernel=1G,cma", "ram": 8 * G, "arch": "powerpc"},
        "not json",
        {"cmdline": "crashkernel=256M", "arch": "x86_64"},
        {"cmdline": "crashkernel=256M", "ram": 4 * G, "arch": "vax"},
        {"cmdline": "crashkernel=256M", "ram": -5, "arch": "x86_64"},
        {"cmdline": "crashkernel=256M", "ram": True, "arch": "x86_64"},
        [],
        "",
        {"cmdline": "crashkernel=256M@16M", "ram": "4G", "arch": "amd64"},
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["cmdline", "--batch"]) == 1
    out_lines = capsys.readouterr().out.splitlines()
    assert len(out_lines) == len(lines)
    objects = [json.loads(line) for line in out_lines]
    for line, obj in zip(out_lines, objects, strict=True):
        assert line == json.dumps(obj, separators=(",", ":"))  # compact
        for key, kind in REQUIRED.items():
            assert isinstance(obj[key], kind)
    assert (objects[0]["ok"], objects[0]["crash_size"]) == (True, 128 * M)
    assert (objects[1]["ok"], objects[1]["cma_size"]) == (False, G)
    assert objects[1]["error_code"] == "no-static"
    for i in range(2, 9):
        assert objects[i]["ok"] is False
        assert objects[i]["error"].startswith(f"input line {i + 1}: ")
        assert objects[i]["error_code"] == "bad-input"
    assert "unknown architecture" in objects[4]["error"]
    assert (objects[9]["ok"], objects[9]["crash_base"]) == (True, 16 * M)


def test_batch_all_ok_exits_0_and_uses_flag_defaults(main, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"cmdline": "crashkernel=1G,high"}\n'))
    assert main(["cmdline", "--batch", "--arch", "arm64", "--ram", "8G"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert (obj["high"], obj["low_size"]) == (True, 128 * M)


def test_human_output(main, capsys) -> None:
    line = "xcrashkernel=64M crashkernel=1G,high crashkernel=2G-64G:256M,64G-:512M"
    code = main(["cmdline", line,
                 "--arch", "x86_64", "--ram", "63.9G"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b[" not in out  # plain when piped
    assert "The kernel accepts it" in out
    assert "512 MiB" in out
    for text in ("overridden", "ignored", "used", "lookalike-parameter", "range-near-edge",
                 "suffix-ignored-plain-present"):
        assert text in out


def test_human_output_on_error(main, capsys) -> None:
    assert main(["cmdline", "crashkernel=256M\n", "--arch", "x86_64", "--ram", "8G"]) == 1
    out = capsys.readouterr().out
    assert "The kernel reserves nothing: crashkernel: unrecognized char:" in out
    assert "whitespace-in-word" in out


def test_live_defaults_are_used(main, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cmd, "live_defaults",
                        lambda need_ram=True: ("crashkernel=256M", 16 * G, "aarch64"))
    code, out = run_json(main, capsys)
    assert code == 0
    assert (out["crash_size"], out["arch"], out["ram"]) == (256 * M, "arm64", 16 * G)
    code, out = run_json(main, capsys, "--ram", "256M")  # a flag beats the live value
    assert (code, out["ram"], out["error_code"]) == (1, 256 * M, "size-not-below-ram")


def test_live_defaults_strip_the_newline(monkeypatch) -> None:
    import crashmap.sources

    snapshot = SimpleNamespace(cmdline="quiet crashkernel=256M\n", system_ram=8 * G,
                               mem_total=7 * G, arch="x86_64")
    monkeypatch.setattr(crashmap.sources, "load_source", lambda spec="live", **_: snapshot)
    assert cmd.live_defaults() == ("quiet crashkernel=256M", 8 * G, "x86_64")


def test_fallback_when_no_map_is_readable(monkeypatch, capsys) -> None:
    import crashmap.sources

    def unreadable(spec="live", **_):
        raise CrashmapError("cannot read /proc/iomem on this machine")

    monkeypatch.setattr(crashmap.sources, "load_source", unreadable)
    cmdline, ram, arch = cmd.live_defaults()
    assert cmdline is None or not cmdline.endswith("\n")
    assert ram is None or (isinstance(ram, int) and ram > 0)
    assert ram is None or "MemTotal" in capsys.readouterr().err
    assert arch is None or isinstance(arch, str)


def test_missing_live_values_are_usage_errors(main, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cmd, "live_defaults", lambda need_ram=True: (None, None, None))
    assert main(["cmdline", "--arch", "x86_64", "--ram", "1G"]) == 2
    assert "CMDLINE" in capsys.readouterr().err
    assert main(["cmdline", "crashkernel=1M", "--arch", "x86_64"]) == 2
    assert "--ram" in capsys.readouterr().err


def test_json_path_imports_neither_rich_nor_textual() -> None:
    code = (
        "import sys, io, crashmap.cli as c\n"
        "c.COMMANDS = {'cmdline': ''}\n"
        "rc = c.main(['cmdline', 'crashkernel=256M', '--ram', '1G', '--arch', 'x86', '--json'])\n"
        "sys.stdin = io.StringIO('{\"cmdline\": \"x\", \"ram\": 1, \"arch\": \"arm\"}\\n')\n"
        "c.main(['cmdline', '--batch'])\n"
        "assert rc == 0, rc\n"
        "assert 'rich' not in sys.modules and 'textual' not in sys.modules, 'ui imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_batch_repeated_lines_answer_as_the_first_and_bad_lines_keep_their_number() -> None:
    lines = [json.dumps({"cmdline": "crashkernel=2G-64G:256M,64G-:512M", "ram": ram,
                         "arch": arch}) for ram, arch in ((8 << 30, "x86_64"), (1 << 30, "arm64"))]
    text = "\n".join([*lines, "not json", *lines, "not json"]) + "\n"
    out = io.StringIO()
    status = cmd.run_batch(io.StringIO(text), out)
    got = out.getvalue().splitlines()
    alone = [json.dumps(cmd.batch_line(line, 1), separators=(",", ":")) for line in lines]
    assert got[0:2] == alone and got[3:5] == alone
    assert json.loads(got[2])["error"].startswith("input line 3:")
    assert json.loads(got[5])["error"].startswith("input line 6:")
    assert status == 1
