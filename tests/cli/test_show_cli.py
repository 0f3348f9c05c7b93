"""`crashmap show` and `crashmap snapshot`: data on stdout, one-line errors, exit codes (issue 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from crashmap.cli import main
from crashmap.sources import bundled_maps


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(bundled_maps()))
def test_show_json_on_every_bundled_map(capsys, name):
    code, out, err = run(capsys, "show", name, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["source"] == f"map:{name}"
    totals = data["totals"]
    assert totals["ram"] > 0 and isinstance(totals["ram"], int)
    assert totals["free"] + totals["reserved_in_ram"] <= totals["ram"]
    for resource in data["resources"]:
        assert resource["end"] >= resource["start"]  # inclusive ends, as /proc/iomem prints them
        assert resource["size"] == resource["end"] - resource["start"] + 1


def test_show_json_reports_the_existing_crash_kernel_inclusive(capsys):
    code, out, _ = run(capsys, "show", "x86_64-laptop-zenbook", "--json")
    data = json.loads(out)
    assert data["crash_kernel"] == [{"start": 0x65000000, "end": 0x6AFFFFFF, "size": 96 << 20}]
    assert data["arch"] == "x86_64"
    below = data["totals"]["largest_free_below"]
    assert below["end"] < 1 << 32 and below["size"] > 0


def test_show_human_output_has_tree_sizes_and_totals(capsys):
    code, out, _ = run(capsys, "show", "x86_64-laptop-zenbook")
    assert code == 0
    assert "65000000-6affffff" in out and "96 MiB" in out and "Crash kernel" in out
    assert "largest free block below 4 GiB" in out
    assert "(ram)" in out and "(pci)" in out


def test_show_list(capsys):
    code, out, _ = run(capsys, "show", "--list")
    assert code == 0 and "x86_64-laptop-zenbook" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty file"),
        ("00000000-00000fff : a\n0000", ":2: truncated line"),
        ("00002000-00002fff : a\n00001000-00001fff : b\n", ":2: "),
        ("crashmap_snapshot: 9\niomem: x\n", "schema version 9"),
        ("- 1\n- 2\n", "YAML mapping"),
        ("00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n", "addresses are hidden"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, content, expected):
    path = tmp_path / "input.txt"
    path.write_text(content)
    code, out, err = run(capsys, "show", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err and str(path) in err


def test_snapshot_writes_atomically_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "zen.yaml"
    code, _, err = run(capsys, "snapshot", "x86_64-laptop-zenbook", "-o", str(target))
    assert code == 0 and "wrote" in err
    data = yaml.safe_load(target.read_text())
    assert data["crashmap_snapshot"] == 1 and data["iomem"].startswith("00000000-00000fff")
    code, _, err = run(capsys, "snapshot", "x86_64-laptop-zenbook", "-o", str(target))
    assert code == 2 and "already exists (use --force" in err
    code, _, _ = run(capsys, "snapshot", "x86_64-vm-qemu-3g", "-o", str(target), "--force")
    assert code == 0 and "Video RAM area" in target.read_text()


def test_snapshot_to_stdout_round_trips(capsys, tmp_path):
    code, out, _ = run(capsys, "snapshot", "s390x-vm-kvm-2g")
    path = tmp_path / "s.yaml"
    path.write_text(out)
    code, out2, _ = run(capsys, "show", str(path), "--json")
    assert code == 0 and json.loads(out2)["arch"] == "s390x"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["show", "--no-such-flag"])
    assert caught.value.code == 2


def test_real_process_bad_input_has_no_traceback(tmp_path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 100)
    result = subprocess.run([sys.executable, "-m", "crashmap", "show", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_headless_commands_never_import_textual():
    probe = (
        "import sys, crashmap.cli as c; c.build_parser(); "
        "c.main(['show', 'x86_64-vm-qemu-3g', '--json']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
