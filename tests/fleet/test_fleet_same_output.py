"""``crashmap fleet``'s shortcuts change nothing it prints: a mid-size fleet made from every real
dump and bundled map, varied where the shortcuts look (command lines with the tokens a rule
reads, patch releases of one series, no release, records that must take the full way), gives
byte for byte the same ``--json``, ``--jsonl``, ``--csv`` and text as a straightforward run that
builds every host's snapshot and context and checks it with no cache at all."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from crashmap.snapshot import _TYPES, to_mapping, to_yaml

from tests.corpus import DUMPS, readable_maps

STRAIGHT = r"""
import sys
from crashmap.errors import CrashmapError
from crashmap.fleet import evaluate
from crashmap.fleet.members import Item
from crashmap.jsonl import decode_line
from crashmap.sources import settle_arch


def check_item(self, item):
    # every host the whole way: its line decoded whole, its own snapshot, parse and context
    if item.kind == "line":
        value = decode_line(item.value, item.path, item.line)
        if isinstance(value, CrashmapError):
            raise value
        item.kind, item.value = "record", value
    snapshot = self.snapshot_of(item)
    if self.arch is not None:
        snapshot.arch = self.arch
    try:
        settle_arch(snapshot, self.arch)
        shape = evaluate.evaluate_shape(snapshot, self.plan, self.kernel)
    except CrashmapError as error:
        raise CrashmapError(error.message, path=item.label) from None
    name = snapshot.inventory_hostname or snapshot.hostname or item.label
    return evaluate.Host(name, item.label, shape)


def check_line(self, raw, label, path, number):
    return check_item(self, Item("line", label, raw, path, number))


evaluate.FleetRun.check_item = check_item
evaluate.FleetRun.check_line = check_line
from crashmap.cli import main
sys.exit(main(sys.argv[1:]))
"""

LINES = (
    "",
    "crashkernel=256M",
    "crashkernel=1G-64G:256M,64G-:512M",
    "CRASHKERNEL=1G crashkernel=256M",
    "crashkernel=512M,high crashkernel=128M,low",
    "crashkernel=256M crashkernel=128M,cma cma=64M",
    "nogbpages crashkernel=256M",
    "crashkernel=256M -- fadump=on",
    "crashkernel=256M ab fadump=on",
    "fadump=on crashkernel=1G",
    'foo="a crashkernel=1G b" crashkernel=256M',
    "crashkernel=2G-:192M " + "pad=" + "x" * 2100,
    "pad=" + "x" * 2100 + " crashkernel=256M",
)
"""Own command lines: the tokens each rule reads (case, ,high/,low, ,cma and cma=, nogbpages,
fadump= before and after -- (and after a token as long), quotes) and lines past
COMMAND_LINE_SIZE with the word before and after the cut."""
CONFIG = "CONFIG_CRASH_DUMP=y\nCONFIG_KEXEC_FILE=y\n# CONFIG_CMA is not set\n"
RELEASES = ("{series}.0-a", "{series}.7-b", None, "not-a-kernel")


def records() -> list[str]:
    """Every base on a few lines and releases, each (base, line, release) on two hosts that
    differ only in what labels them and a third on another patch release of that series;
    then records that must not take a shortcut."""
    out = []
    number = 0
    for b, base in enumerate(readable_maps()):
        data = to_mapping(base)
        series = re.match(r"\d+\.\d+", base.kernel_release or "") or None
        for j in range(6):
            line = LINES[(b + j) % len(LINES)]
            release = RELEASES[(b + j // 2) % len(RELEASES)]
            for copy in range(3):  # the third on another patch release of the series
                number += 1
                record = dict(data)
                record["hostname"] = f"h{number:04d}"
                if copy:
                    record["inventory_hostname"] = f"h{number:04d}.example"
                record["cmdline"] = (f"BOOT_IMAGE=/vmlinuz root=UUID={number:08x} ro "
                                     f"{line}").rstrip()
                if copy == 2 and release in RELEASES[:2]:
                    release = RELEASES[1 - RELEASES.index(release)]
                if release is None or series is None:
                    record.pop("kernel_release", None)
                else:
                    record["kernel_release"] = release.format(series=series.group(0))
                record["taken_at"] = f"2026-12-{1 + number % 28:02d}T00:00:00Z"
                # as to_json_line writes (the map last, compact), and now and then as another
                # writer would
                compact = {"separators": (",", ":")} if number % 5 else {}
                if number % 7:  # in to_json_line's order: schema, the keys, the map last
                    record = {"crashmap_snapshot": 1,
                              **{k: record[k] for k in _TYPES if k in record and k != "iomem"},
                              "iomem": record["iomem"]}
                out.append(json.dumps(record, ensure_ascii=False, **compact))
    first = json.loads(out[0])
    odd = [
        {**first, "hostname": "wrong-type", "mem_total": "12345"},  # refused on its line
        {**first, "hostname": "surrogate-\udc80"},                   # refused: not UTF-8
        {**first, "hostname": "hôte-non-ascii"},
        {**first, "hostname": "unknown-key", "colour": "blue"},     # a warning, then checked
        {**first, "hostname": "schema-2", "crashmap_snapshot": 2},
        {**first, "hostname": "as-float", "mem_total": 1.0},
        {**first, "hostname": "too-big", "mem_total": 1 << 65},
        {**first, "hostname": "bool-int", "cpu_count": True},
        {**first, "hostname": "no-arch", "arch": None},
        {**first, "hostname": "bad-arch", "arch": "vax"},
        {**first, "hostname": "null-line", "cmdline": None},
    ]
    out[10:10] = [json.dumps(r, separators=(",", ":")) for r in odd]
    # hosts of one map that differ only in facts a check reads beyond the map: the loader
    # (kexec_load never hands CMA to the capture kernel), the kernel config and, under
    # --kernel, the running version the config belongs to
    x86 = next(json.loads(line) for line in out if '"arch":"x86_64"' in line)
    pair = []
    for number, (running, extra) in enumerate((
            ("6.18.0", {}), ("6.18.0", {"kexec_loader": "kexec_load"}),
            ("6.18.0", {"kexec_loader": "kexec_file_load"}),
            ("6.18.0", {"kernel_config": CONFIG}), ("6.1.0", {"kernel_config": CONFIG}),
            ("6.1.0", {"kernel_config": CONFIG + "CONFIG_CMA=y\n"}))):
        record = {**x86, "hostname": f"facts-{number}", "kernel_release": running,
                  "cmdline": "ro crashkernel=256M crashkernel=128M,cma", **extra}
        record["iomem"] = record.pop("iomem")
        pair += [json.dumps(record, separators=(",", ":"))] * 2
    out[50:50] = pair
    # lines that end as a line seen before ends (its map), around a rest that is not a record
    # or is one only in part
    end = out[0][out[0].rindex(',"iomem":'):]
    tricky = [
        "{" + end,                                                    # '{,"iomem":...}'
        '{"crashmap_snapshot":1,' + end,                              # '1,,"iomem"'
        '{"crashmap_snapshot":1,"hostname":"nested","x":{"a":1' + end + "}",
        '{"crashmap_snapshot":1,"hostname":"nested-ok","x":{"a":1}' + end,
        '{"crashmap_snapshot":1,"hostname":"two-maps","iomem":"zz"' + end,
        '[{"crashmap_snapshot":1' + end + "]",
        '{"crashmap_snapshot":1,"hostname":"spaced"' + end + " \t\r",
        '{"crashmap_snapshot":1,"hostname":"cut"' + end[:-1],
        '{"crashmap_snapshot":1,"hostname":"feed"' + end + "\x0c",
        ' {"crashmap_snapshot":1,"hostname":"lead"' + end,
    ]
    late = out[0][out[0].rindex(',"taken_by":'):]  # the end from the first constant key
    tricky += [
        "{" + late,
        '{"crashmap_snapshot":1,"hostname":"late"' + late,
        '{"crashmap_snapshot":1,"hostname":"late-dup","provenance":"first","iomem":"zz"' + late,
        '{"crashmap_snapshot":1,"hostname":"late-nested","x":{"a":1' + late + "}",
        '{"crashmap_snapshot":1,"hostname":"late-cut"' + late[:-1],
    ]
    # an end seen three times (learnt, keyed, then known) that names the host itself: the name
    # comes from the end
    tricky += ['{"crashmap_snapshot":1,"arch_note":"' + note + '"' + late[:-1]
               + ',"hostname":"named-at-the-end"}' for note in ("a", "b", "c")]
    out[40:40] = tricky
    out.insert(20, "{not json")
    out.insert(30, "[1, 2]")
    return [line + "\n" for line in out]


@pytest.fixture(scope="module")
def fleet_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fleet")
    (folder / "hosts.jsonl").write_text("".join(records()), encoding="utf-8")
    yaml_host = readable_maps()[3]
    yaml_host.hostname = "from-yaml"
    (folder / "one.yaml").write_text(to_yaml(yaml_host))
    (folder / "raw.txt").write_text(DUMPS[5].read_text())
    return folder


def run(argv: list[str], straight: bool) -> subprocess.CompletedProcess[bytes]:
    head = [sys.executable, "-c", STRAIGHT] if straight else [sys.executable, "-m", "crashmap"]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*head, "fleet", *argv], capture_output=True, timeout=600, env=env)


@pytest.mark.parametrize("extra", [
    ["--json"], ["--jsonl"], ["--csv"], [],
    ["--cmdline", "crashkernel=1G-64G:256M,64G-:512M", "--json"],
    ["--kernel", "6.18", "--csv"],
    ["--kernel", "6.18", "--jsonl"],
    ["--arch", "x86_64", "--json"],
], ids=lambda extra: " ".join(extra) or "text")
def test_the_shortcuts_print_what_checking_every_host_prints(fleet_dir, extra):
    argv = [str(fleet_dir), *extra]
    fast, straight = run(argv, False), run(argv, True)
    assert straight.returncode == fast.returncode == 1, straight.stderr.decode()
    assert b"Traceback" not in fast.stderr + straight.stderr
    assert fast.stdout.count(b"\n") > (1000 if extra else 100)
    assert fast.stdout == straight.stdout
    # the unreadable members, each once with its file and line, in the same order
    bad = [line for line in fast.stderr.splitlines() if line.startswith(b"crashmap: /")]
    assert bad == [line for line in straight.stderr.splitlines()
                   if line.startswith(b"crashmap: /")]
    assert len(bad) >= 7
