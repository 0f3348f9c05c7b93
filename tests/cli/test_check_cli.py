"""`crashmap check`: verdict, placements, findings; JSON schema; exit codes 0/1/2 (issue 4)."""

from __future__ import annotations

import json

import crashmap.cli as cli
import pytest
from crashmap.cli import main
from crashmap.sources import bundled_maps

from tests.corpus import DUMPS


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """Run `check` even before it is listed in crashmap.cli.COMMANDS."""
    if "check" not in cli.COMMANDS:
        monkeypatch.setitem(cli.COMMANDS, "check", "predict and check the reservation")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_schema(data):
    assert set(data) >= {"arch", "ram", "request", "outcome", "placements", "findings"}
    assert isinstance(data["ram"], int) or data["ram"] is None
    assert isinstance(data["request"], dict) and "ok" in data["request"]
    for block in data["placements"]:
        assert set(block) == {"kind", "start", "end", "size"}
        assert block["kind"] in ("main", "low", "cma")
        assert block["end"] - block["start"] + 1 == block["size"]  # end inclusive
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "message", "explain", "fix"}
        assert finding["severity"] in ("error", "warning", "info")
        if finding.get("range"):
            r = finding["range"]
            assert r["end"] - r["start"] + 1 == r["size"]


@pytest.mark.parametrize("name", sorted(bundled_maps()))
def test_check_json_on_every_bundled_map(capsys, name):
    code, out, err = run(capsys, "check", name, "--json")
    data = json.loads(out)
    check_schema(data)
    assert code == (0 if data["ok"] else 1)


def test_check_zenbook_predicts_a_window_and_compares_with_the_current_block(capsys):
    code, out, _ = run(capsys, "check", "x86_64-laptop-zenbook", "--json")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "reserved"
    assert data["placements"] == [{"kind": "main", "start": 0x70000000, "end": 0x75FFFFFF,
                                   "size": 96 << 20}]
    assert data["confidence"] == "window"
    assert data["window"] == {"start": 0x25000000, "end": 0x75FFFFFF, "size": 0x51000000}
    found = {f["code"] for f in data["findings"]}
    assert "current-elsewhere" in found and "placement-window" in found
    assert data["request"]["crash_size"] == 96 << 20
    # the map's own 5.3.11 kernel: x86 reserve_crashkernel() of 5.2-6.6 and its log line (the
    # dump's dmesg said "Reserving 96MB of memory at 1616MB for crashkernel")
    assert data["kernel"]["version"] == "5.3.11" and data["kernel"]["source"] == "snapshot"
    assert data["kernel"]["placement_era"] == "x86-4g" and not data["kernel"]["assumed"]
    assert data["kernel_log"] == [
        "Reserving 96MB of memory at 1792MB for crashkernel (System RAM: 16195MB)"]
    code, out, _ = run(capsys, "check", "x86_64-laptop-zenbook", "--json", "--kernel", "7.3.4")
    data = json.loads(out)
    assert data["kernel"]["source"] == "given" and data["kernel"]["placement_era"] == "generic"
    assert data["placements"][0]["start"] == 0x70000000  # same slot, the generic code's log
    assert data["kernel_log"] == [
        "crashkernel reserved: 0x0000000070000000 - 0x0000000076000000 (96 MB)"]


def test_request_is_the_cmdline_commands_object(capsys):
    cmdline = "crashkernel=512M,high"
    _, out, _ = run(capsys, "check", "x86_64-vm-firecracker-6.18", "--cmdline", cmdline, "--json")
    check_request = json.loads(out)["request"]
    ram = check_request["ram"]
    _, out, _ = run(capsys, "cmdline", cmdline, "--arch", "x86_64", "--ram", str(ram), "--json",
                    "--kernel", "6.18.44-fc-v509")  # the map's kernel_release
    given = json.loads(out)
    assert (given["kernel"].pop("source"), check_request["kernel"].pop("source")) == (
        "given", "snapshot")
    assert given == check_request


def test_exit_1_on_an_error_finding_and_0_on_a_good_plan(capsys):
    code, out, _ = run(capsys, "check", "x86_64-vm-firecracker-6.18", "--cmdline",
                       "crashkernel=256M@16M", "--json")
    data = json.loads(out)
    assert code == 1 and data["outcome"] == "failed"
    assert "fixed-base-kernel" in {f["code"] for f in data["findings"]}
    code, out, _ = run(capsys, "check", "x86_64-vm-firecracker-6.18", "--cmdline",
                       "crashkernel=256M crashkernel=1G,cma", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"]
    assert [b["kind"] for b in data["placements"]] == ["main", "cma"]
    assert data["confidence"] == "exact"


def test_partial_reservation_follows_its_findings(capsys):
    """The exit code follows the findings (README exit-code table): arm64 ignoring ,cma leaves
    a partial reservation and a warning, so 0 (issue 12: 'check exits 1 on a warning only');
    an error finding is 1. arm64 reads ,cma from 7.3 (c12c63d05dfe): on 7.2 it is ignored."""
    code, out, _ = run(capsys, "check", "arm64-vm-qemu-virt", "--cmdline",
                       "crashkernel=256M crashkernel=1G,cma", "--json", "--kernel", "7.2")
    data = json.loads(out)
    assert data["outcome"] == "partially reserved"
    assert {f["severity"] for f in data["findings"]} <= {"warning", "info"}
    assert code == 0 and data["ok"]
    code, out, _ = run(capsys, "check", "arm64-vm-qemu-virt", "--cmdline",
                       "crashkernel=256M crashkernel=1G,cma", "--json", "--kernel", "7.3")
    assert code == 0 and json.loads(out)["outcome"] == "reserved"
    code, out, _ = run(capsys, "check", "arm64-vm-qemu-virt", "--cmdline",
                       "crashkernel=256M@3x crashkernel=1G,cma", "--json", "--kernel", "7.2")
    assert code == 1 and any(f["severity"] == "error" for f in json.loads(out)["findings"])


def test_human_output_plain_when_piped(capsys):
    code, out, _ = run(capsys, "check", "x86_64-vm-firecracker-6.18", "--cmdline",
                       "crashkernel=4G")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "predicting for Linux 6.18.44 (from the snapshot)"
    assert lines[2].startswith("Reserves 4.25 GiB")
    assert "main  0x540000000-0x63fffffff" in out
    assert "crashkernel low memory reserved: 0xaf000000 - 0xbf000000 (256 MB)" in out
    assert "warnings (1)" in out and "silent-low" in out and "why:" in out and "fix:" in out
    assert "\x1b[" not in out


def test_arch_override_and_missing_cmdline(capsys):
    dump = next((p for p in DUMPS if p.name.startswith("47-")), None)
    if dump is None:
        pytest.skip("real dump corpus not found")
    code, out, err = run(capsys, "check", str(dump), "--json")
    assert "no kernel command line" in err
    assert json.loads(out)["outcome"] == "nothing requested" and code == 0
    code, out, _ = run(capsys, "check", str(dump), "--arch", "aarch64", "--cmdline",
                       "crashkernel=256M", "--json")
    assert json.loads(out)["arch"] == "arm64"


def test_usage_errors_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "missing.txt"))
    assert code == 2 and err.startswith("crashmap: ")
    code, _, err = run(capsys, "check", "x86_64-laptop-zenbook", "--arch", "vax")
    assert code == 2
    hidden = tmp_path / "hidden.txt"
    hidden.write_text("00000000-00000000 : System RAM\n00000000-00000000 : Kernel code\n")
    code, _, err = run(capsys, "check", str(hidden))
    assert code == 2 and "hidden" in err


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: p.name[:2])
def test_check_every_shared_dump(capsys, path):
    code, out, err = run(capsys, "check", str(path), "--cmdline", "crashkernel=256M", "--json")
    if code == 2:
        assert err.startswith("crashmap: ") and not out
        return
    data = json.loads(out)
    check_schema(data)
    assert code == (0 if data["ok"] else 1)
