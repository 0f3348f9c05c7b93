"""``crashmap fleet``: members of every kind, bad ones reported and skipped, the formats, the
exit codes, and one evaluation per shape."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from crashmap.fleet import FleetRun, check_fleet
from crashmap.fleet.evaluate import cmdline_key
from crashmap.snapshot import to_json_line, to_yaml
from crashmap.sources import load_source

from tests.corpus import dump


def fleet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crashmap", "fleet", *args],
                          capture_output=True, text=True, timeout=300)


def write_fleet(tmp_path, hosts: int = 6):
    """A folder with a JSON Lines file of ``hosts`` hosts of two machines, one snapshot YAML,
    one raw dump and a broken line."""
    zen, cascade = load_source(str(dump("01"))), load_source(str(dump("39")))
    lines = []
    for i in range(hosts):
        base = zen if i % 2 else cascade
        base.hostname = f"node{i:02d}"
        base.cmdline = f"root=UUID={i:04x} crashkernel=256M quiet"
        lines.append(to_json_line(base))
    lines.insert(2, '{"crashmap_snapshot": 1, "iomem": "zz"}\n')
    folder = tmp_path / "fleet"
    folder.mkdir()
    (folder / "hosts.jsonl").write_text("".join(lines))
    zen.hostname, zen.cmdline = "single", "crashkernel=64M"
    (folder / "single.yaml").write_text(to_yaml(zen))
    (folder / "raw.txt").write_text(dump("48").read_text())
    (folder / "notes.md").write_text("not a member, skipped silently\n")
    (folder / "hosts.csv").write_text("not a member, named once\n")
    return folder


def test_every_member_is_read_and_a_bad_line_is_named_and_skipped(tmp_path):
    folder = write_fleet(tmp_path)
    run = fleet(str(folder), "--jsonl")
    records = [json.loads(line) for line in run.stdout.splitlines()]
    hosts = [r for r in records if r["type"] == "host"]
    assert [h["host"] for h in hosts][:6] == [f"node{i:02d}" for i in range(6)]
    assert hosts[6]["member"] == str(folder / "raw.txt")  # in name order
    assert hosts[7]["host"] == "single" and hosts[7]["member"] == str(folder / "single.yaml")
    assert hosts[2]["member"] == f"{folder / 'hosts.jsonl'}:4"  # line 3 is the broken one
    bad = [r["error"] for r in records if r["type"] == "unreadable"]
    assert len(bad) == 1 and bad[0].startswith(f"{folder / 'hosts.jsonl'}:3: ")
    assert f"crashmap: {folder / 'hosts.jsonl'}:3: " in run.stderr
    assert f"{folder / 'hosts.csv'}: not a fleet member" in run.stderr
    assert "notes.md" not in run.stderr
    assert run.returncode == 1  # a member could not be read


def test_one_plan_for_all_and_the_exit_code_follows_the_hosts(tmp_path):
    folder = write_fleet(tmp_path)
    (folder / "hosts.jsonl").write_text("".join(
        line for line in (folder / "hosts.jsonl").read_text().splitlines(keepends=True)
        if '"zz"' not in line))
    ok = fleet(str(folder), "--cmdline", "crashkernel=256M", "--json")
    assert ok.returncode == 0, ok.stderr
    document = json.loads(ok.stdout)
    assert document["plan"] == "crashkernel=256M" and document["summary"]["failed"] == 0
    assert all(h["words"] == ["crashkernel=256M"] for h in document["hosts"])
    assert all(h["blocks"][0]["size"] == 256 << 20 for h in document["hosts"])
    # no host has 4 TiB of RAM: the kernel rejects the size everywhere
    bad = fleet(str(folder), "--cmdline", "crashkernel=4T", "--csv")
    assert bad.returncode == 1
    rows = list(csv.DictReader(io.StringIO(bad.stdout)))
    assert len(rows) == 8 and all(r["ok"] == "0" for r in rows)
    assert {r["outcome"] for r in rows} == {"failed"}


def test_a_bad_kernel_for_the_fleet_screen_is_a_usage_error_before_any_host(tmp_path):
    """`crashmap FLEET --kernel V` hands V to the fleet screen (it was dropped): a bad one
    stops at once with one line, as `crashmap fleet --tui --kernel` does."""
    folder = write_fleet(tmp_path)
    for argv in ([str(folder)], ["fleet", str(folder), "--tui"]):
        run = subprocess.run([sys.executable, "-m", "crashmap", *argv, "--kernel", "bogus"],
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert run.returncode == 2, run.stderr
        assert run.stderr.strip().endswith("not a kernel version: 'bogus' (expected e.g. 7.3, "
                                           "6.17.2 or 4.18.0-553.el8_10.x86_64)")
        assert "Traceback" not in run.stderr


def test_nothing_readable_is_exit_2(tmp_path):
    (tmp_path / "a.jsonl").write_text("{broken\n")
    run = fleet(str(tmp_path / "a.jsonl"), str(tmp_path / "missing"))
    assert run.returncode == 2
    assert f"{tmp_path / 'a.jsonl'}:1: not a JSON object" in run.stderr
    assert f"{tmp_path / 'missing'}: no such file or directory" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_terminal_table_names_classes_and_failing_hosts(tmp_path):
    folder = write_fleet(tmp_path)
    run = fleet(str(folder), "--cmdline", "crashkernel=4T")
    out = run.stdout
    assert out.startswith("fleet: 8 hosts in 3 classes: 0 pass, 8 fail; 1 member unreadable\n")
    assert "plan: crashkernel=4T" in out and "failing hosts" in out
    assert "node00, node02, node04" in out  # the hosts of one machine, named under its reason
    assert "\x1b[" not in out  # plain when piped


def test_hosts_of_one_shape_are_evaluated_once(tmp_path):
    folder = write_fleet(tmp_path, hosts=40)
    run = FleetRun()
    summary = check_fleet([str(folder / "hosts.jsonl")], run)
    assert summary.hosts == 40 and summary.bad_count == 1
    assert len(run.shapes) == 3  # two machines and the broken record
    assert cmdline_key("root=UUID=1 crashkernel=1G quiet") == \
        cmdline_key("root=UUID=2 crashkernel=1G hello") == (32, ((1, "crashkernel=1G"),))
    assert cmdline_key('a "crashkernel=1G b"') == (20, ((1, '"crashkernel=1G'), (2, 'b"')))
    # fadump= after -- is an init argument (early_fadump_param() never sees it)
    assert cmdline_key("ab fadump=on") != cmdline_key("-- fadump=on")
    assert cmdline_key("ab crashkernel=1G") != cmdline_key("crashkernel=1G ab")


def test_tokens_a_rule_reads_keep_hosts_apart():
    """A host whose line differs in a token some check reads (CRASHKERNEL= is a finding,
    nogbpages and cma= change the context) is not given another host's answer."""
    zen = load_source(str(dump("01")))
    base = zen.cmdline
    lines = []
    for i, extra in enumerate(("", "CRASHKERNEL=1G", "nogbpages", "cma=64M")):
        zen.hostname, zen.cmdline = f"n{i}", f"ro crashkernel=256M {extra}".rstrip()
        lines.append(to_json_line(zen))
    zen.cmdline = base
    keys = {cmdline_key(f"ro crashkernel=256M {e}".rstrip())
            for e in ("", "CRASHKERNEL=1G", "nogbpages", "cma=64M")}
    assert len(keys) == 4


def test_a_case_variant_word_is_found_on_each_host(tmp_path):
    zen = load_source(str(dump("01")))
    lines = []
    for i, line in enumerate(("ro quiet crashkernel=256M", "ro CRASHKERNEL=1G crashkernel=256M")):
        zen.hostname, zen.cmdline = f"n{i}", line
        lines.append(to_json_line(zen))
    path = tmp_path / "hosts.jsonl"
    path.write_text("".join(lines))
    hosts = []
    check_fleet([str(path)], FleetRun(), on_host=hosts.append)
    codes = [{f[0] for f in h.shape.findings} for h in hosts]
    assert "cmdline-crashkernel-name-case" not in codes[0]
    assert "cmdline-crashkernel-name-case" in codes[1]


def test_the_checks_read_the_kernel_only_as_its_version():
    """Hosts on other patch releases of one series share a shape (evaluate.shape_key): that
    holds while no check reads the release string itself."""
    from pathlib import Path

    checks = Path(__file__).resolve().parents[2] / "tui" / "crashmap" / "checks"
    for path in checks.glob("*.py"):
        assert "kernel_release" not in path.read_text(), path.name
