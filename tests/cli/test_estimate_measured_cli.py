"""``crashmap estimate`` with the peers' measured output: ``--calibrate``/``--kdumpctl-estimate``
files, and the same outputs found in a sosreport (``sos_commands/kdump/kdumpctl_estimate``,
sos kdump plugin) or a supportconfig (``crash.txt`` section ``kdumptool calibrate``)."""

from __future__ import annotations

import json
from pathlib import Path

import crashmap.cli as cli
import pytest

from tests.unit.test_peers_calibrate import KDUMPTOOL_OK
from tests.unit.test_peers_kdumpctl_estimate import AZURE, RHEL8

M = 1 << 20
FIRECRACKER = "x86_64-vm-firecracker-6.18"
X86 = """\
00000000-00000fff : Reserved
00001000-0009ffff : System RAM
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-0227ffff : Kernel bss
100000000-43fffffff : System RAM
"""
SECTION = "#==[ {} ]===========================#\n# {}\n{}\n"


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch):
    def no_live(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to read the live machine")

    monkeypatch.setattr("crashmap.live.capture", no_live)
    return cli.main


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def run_json(main, capsys, *argv: str) -> dict:  # type: ignore[no-untyped-def]
    assert main(["estimate", *argv, "--json"]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def sosreport(root: Path, estimate: str) -> Path:
    return write(root, {
        "proc/iomem": X86,
        "sos_commands/kernel/uname_-a": "Linux rhel9 5.14.0-427.el9.x86_64 #1 SMP x86_64 "
                                        "x86_64 x86_64 GNU/Linux\n",
        "sos_commands/kdump/kdumpctl_estimate": estimate,
    })


def supportconfig(root: Path, calibrate: str) -> Path:
    return write(root, {
        "memory.txt": SECTION.format("Configuration File", "/proc/iomem", X86.rstrip("\n")),
        "basic-environment.txt": SECTION.format(
            "Command", "/bin/uname -a",
            "Linux sles 6.4.0-150600.23-default #1 SMP x86_64 x86_64 x86_64 GNU/Linux"),
        "crash.txt": SECTION.format("Command", "/usr/sbin/kdumptool calibrate",
                                    calibrate.rstrip("\n"))
                     + SECTION.format("Configuration File", "/etc/sysconfig/kdump",
                                      'KDUMP_CPUS="32"'),
    })


def test_files_given_show_as_measured_rows_beside_the_models(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    est = write(tmp_path, {"est.txt": AZURE, "cal.txt": KDUMPTOOL_OK})
    out = run_json(main, capsys, FIRECRACKER, "--initrd", "35M", "--modules-size", "11M",
                   "--kdumpctl-estimate", str(est / "est.txt"), "--calibrate",
                   str(est / "cal.txt"))
    k = out["measured"]["kdumpctl-estimate"]
    assert k["bytes"] == 256 * M and k["words"] == ["crashkernel=256M"]
    assert k["model"] == "kdumpctl" and k["source"] == str(tmp_path / "est.txt")
    assert k["breakdown"]["initramfs"] == 35 * M and k["output"]["warning"] is True
    assert k["output"]["large_modules"]["mlx5_core"] == 2826240
    # crashmap's kdumpctl model on the same initrd and modules also recommends the 256M table
    assert out["models"]["kdumpctl"]["bytes"] == 256 * M
    assert any("256 MiB, the same" in line for line in k["beside"])
    # the kernel image differs: kdumpctl read the vmlinux, crashmap the map's Kernel code/bss
    assert any(line.startswith("kernel image: kdumpctl measured 56 MiB") for line in k["beside"])
    c = out["measured"]["kdumptool-calibrate"]
    assert c["bytes"] == (108 + 2048) * M and c["model"] == "suse"
    assert c["words"] == ["crashkernel=108M,low", "crashkernel=2048M,high"]
    assert c["output"]["total"] == 16079 * M
    assert ("Measured on the machine by the tools themselves: kdumpctl estimate 256 MiB; "
            "kdumptool calibrate 2.11 GiB") in out["spread"]["explanation"][-1]
    assert out["spread"]["max"]["bytes"] < c["bytes"]  # the spread is the models' alone
    assert out["suggestion"] == run_json(main, capsys, FIRECRACKER, "--initrd", "35M",
                                         "--modules-size", "11M")["suggestion"]  # shown only


def test_human_output_has_the_measured_section(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    est = write(tmp_path, {"est.txt": RHEL8})
    assert main(["estimate", FIRECRACKER, "--kdumpctl-estimate", str(est / "est.txt")]) == 0
    text = capsys.readouterr().out
    section = text[text.index("\nMeasured"):text.index("\nSpread")]
    assert "kdumpctl estimate (run on the machine)" in section and "crashkernel=192M" in section
    assert "the initramfs counted once: an older kdumpctl" in section
    assert "large modules (≥ 1 MiB): xfs 1.48 MiB" in section
    assert "beside: crashmap's model" in section
    assert main(["estimate", FIRECRACKER]) == 0
    assert "\nMeasured" not in capsys.readouterr().out  # no peer output: no section


def test_sosreport_kdumpctl_estimate_is_found(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    out = run_json(main, capsys, str(sosreport(tmp_path, AZURE)))
    row = out["measured"]["kdumpctl-estimate"]
    assert row["bytes"] == 256 * M
    assert row["source"] == str(tmp_path / "sos_commands/kdump/kdumpctl_estimate")
    assert list(out["measured"]) == ["kdumpctl-estimate"]


def test_what_only_kdumpctl_measured_fills_the_missing_inputs(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    report = sosreport(tmp_path, AZURE.replace("Runtime reservation: 16M\n",
                                               "Runtime reservation: 16M\n"
                                               "LUKS required size:  532M\n"))
    out = run_json(main, capsys, str(report))
    inputs = out["inputs"]
    assert inputs["initrd"]["value"] == 35 * M
    assert inputs["initrd"]["source"].startswith("kdumpctl estimate (")
    assert inputs["modules"]["value"]["bytes"] == 11 * M  # the large ones + the rest
    assert inputs["modules"]["value"]["large"]["mlx5_core"] == 2826240
    # do_estimate: LUKS required size = keyslot Memory + 20M on x86_64
    assert inputs["luks"]["value"] is True and inputs["luks_memory"]["value"] == 512 * M
    kdumpctl = out["models"]["kdumpctl"]
    assert kdumpctl["missing"] == [] and kdumpctl["breakdown"]["initramfs × 3"] == 105 * M
    assert kdumpctl["breakdown"]["LUKS"] == 532 * M
    # the map's kernel image (Kernel code + bss) is known, so it stays
    assert inputs["kernel_image"]["source"].startswith("sum of Kernel code")
    given = run_json(main, capsys, str(report), "--initrd", "40M")
    assert given["inputs"]["initrd"] == {"value": 40 * M, "source": "given"}


def test_a_given_file_replaces_the_one_found(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    report = sosreport(tmp_path / "sos", AZURE)
    write(tmp_path, {"rhel8.txt": RHEL8})
    out = run_json(main, capsys, str(report), "--kdumpctl-estimate", str(tmp_path / "rhel8.txt"))
    assert out["measured"]["kdumpctl-estimate"]["bytes"] == 192 * M


def test_supportconfig_crash_txt_calibrate_is_found(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    supportconfig(tmp_path, KDUMPTOOL_OK)
    out = run_json(main, capsys, str(tmp_path))
    row = out["measured"]["kdumptool-calibrate"]
    assert row["bytes"] == (108 + 2048) * M
    assert row["source"] == f"{tmp_path / 'crash.txt'} (kdumptool calibrate)"
    # calibrate's Total (System RAM when it ran) beside this map's System RAM
    assert any("calibrate's Total 15.7 GiB" in line for line in row["beside"])
    # --calibrate also takes the crash.txt itself
    again = run_json(main, capsys, FIRECRACKER, "--calibrate", str(tmp_path / "crash.txt"))
    assert again["measured"]["kdumptool-calibrate"]["bytes"] == (108 + 2048) * M


def test_a_failed_calibrate_in_a_supportconfig_is_yasts_fallback(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    supportconfig(tmp_path, "")  # kdumptool exit 1: no output under the section header
    row = run_json(main, capsys, str(tmp_path))["measured"]["kdumptool-calibrate"]
    assert row["bytes"] is None and row["output"]["failed"].startswith("no output")
    assert any("YaST then suggests 0" in note for note in row["notes"])


def test_the_outputs_survive_a_snapshot(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    report = sosreport(tmp_path / "sos", AZURE)
    saved = tmp_path / "box.yaml"
    assert main(["snapshot", str(report), "-o", str(saved)]) == 0
    capsys.readouterr()
    row = run_json(main, capsys, str(saved))["measured"]["kdumpctl-estimate"]
    assert row["bytes"] == 256 * M and row["source"] == f"{saved} (key kdumpctl_estimate)"
    calibrated = supportconfig(tmp_path / "sc", KDUMPTOOL_OK)
    assert main(["snapshot", str(calibrated), "-o", str(tmp_path / "sc.yaml")]) == 0
    capsys.readouterr()
    row = run_json(main, capsys, str(tmp_path / "sc.yaml"))["measured"]["kdumptool-calibrate"]
    assert row["bytes"] == (108 + 2048) * M


def test_a_found_file_that_does_not_read_becomes_a_row_saying_so(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    out = run_json(main, capsys, str(sosreport(tmp_path, "Recommended crashkernel: lots\n")))
    row = out["measured"]["kdumpctl-estimate"]
    assert row["bytes"] is None and row["output"] is None
    assert row["notes"][0].startswith("could not be read: ") and ":1: " in row["notes"][0]


def test_a_failed_kdumpctl_run_in_a_sosreport(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    report = sosreport(tmp_path, "kdump: No memory reserved for crash kernel\n")
    out = run_json(main, capsys, str(report))
    row = out["measured"]["kdumpctl-estimate"]
    assert row["bytes"] is None and row["output"]["failed"] == "No memory reserved for crash kernel"


@pytest.mark.parametrize(("option", "content", "where", "message"), [
    ("--kdumpctl-estimate", "Recommended crashkernel: 25GM\n", ":1: ", "is not a size"),
    ("--calibrate", "Low: 108\nHigh: x\n", ":2: ", "'x' is not a size in MiB"),
    ("--calibrate", "hello\n", ": ", "not kdumptool calibrate output"),
])
def test_bad_given_files_exit_2_with_one_line(main, capsys, tmp_path, option, content, where,  # type: ignore[no-untyped-def]
                                              message):
    path = write(tmp_path, {"f.txt": content}) / "f.txt"
    assert main(["estimate", FIRECRACKER, option, str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and "Traceback" not in captured.err
    assert f"{path}{where}" in lines[0] and message in lines[0]


def test_dash_reads_stdin(main, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(KDUMPTOOL_OK.encode())))
    row = run_json(main, capsys, FIRECRACKER, "--calibrate", "-")["measured"]["kdumptool-calibrate"]
    assert row["bytes"] == (108 + 2048) * M and row["source"] == "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Low: 1\nHigh: x\n")))
    assert main(["estimate", FIRECRACKER, "--calibrate", "-"]) == 2
    assert capsys.readouterr().err.startswith("crashmap: <stdin>:2: ")
    assert main(["estimate", FIRECRACKER, "--calibrate", "-", "--kdumpctl-estimate", "-"]) == 2
    assert "cannot both read stdin" in capsys.readouterr().err


def test_missing_given_file_exits_2(main, capsys, tmp_path):  # type: ignore[no-untyped-def]
    assert main(["estimate", FIRECRACKER, "--calibrate", str(tmp_path / "none")]) == 2
    assert "none" in capsys.readouterr().err
