"""contrib/ansible/collect.yml run by a real ansible-core against this machine, then read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from crashmap.live import capture

PLAYBOOK = Path(__file__).resolve().parents[2] / "contrib" / "ansible" / "collect.yml"


def ansible_playbook() -> str | None:
    beside = Path(sys.executable).with_name("ansible-playbook")
    return str(beside) if beside.exists() else shutil.which("ansible-playbook")


pytestmark = [
    pytest.mark.skipif(ansible_playbook() is None, reason="ansible-playbook is not installed"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the play reads /proc/iomem as root"),
]


def test_the_hosts_run_no_python_module():
    """Every task that runs on a host is `script` or `raw`; the rest run on the controller."""
    play = yaml.safe_load(PLAYBOOK.read_text())[0]
    for task in play["tasks"]:
        modules = {k for k in task if k.startswith("ansible.builtin.")}
        if task.get("delegate_to") != "localhost":
            assert modules <= {"ansible.builtin.script", "ansible.builtin.raw"}, task["name"]


def test_collect_then_fleet_reads_every_host(tmp_path):
    # Two inventory names for this machine. Neither has a Python the modules could use: the
    # play must get by on the `script` module alone there.
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("\n".join(
        f"{name} ansible_connection=local ansible_python_interpreter=/nonexistent/python3"
        for name in ("web01", "db02")) + "\n")
    dest = tmp_path / "fleet"
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_REMOTE_TEMP=str(tmp_path / "rt"),
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_CONFIG=str(tmp_path / "none.cfg"))
    run = subprocess.run([ansible_playbook(), "-i", str(inventory), str(PLAYBOOK),
                          "-e", f"crashmap_dest={dest}"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert sorted(p.name for p in dest.iterdir()) == ["db02", "web01"]
    fleet = subprocess.run([sys.executable, "-m", "crashmap", "fleet", str(dest), "--jsonl"],
                           capture_output=True, text=True, timeout=120)
    assert fleet.returncode in (0, 1), fleet.stderr
    records = [json.loads(line) for line in fleet.stdout.splitlines()]
    hosts = {r["host"]: r for r in records if r["type"] == "host"}
    assert sorted(hosts) == ["db02", "web01"]  # named as the inventory names them
    assert hosts["web01"]["member"] == str(dest / "web01")
    live = capture()
    for record in hosts.values():
        assert record["kernel"] == live.kernel_release
        assert record["ram"] == live.system_ram
        assert record["words"] == [w for w in (live.cmdline or "").split()
                                   if w.startswith("crashkernel=")]
    classes = [r for r in records if r["type"] == "class"]
    assert len(classes) == 1 and classes[0]["hosts"] == 2  # one machine, one shape
    # and the folder of one host is a SOURCE that says what the live machine says
    show = subprocess.run([sys.executable, "-m", "crashmap", "show", str(dest / "web01"),
                           "--json"], capture_output=True, text=True, timeout=60)
    live_show = subprocess.run([sys.executable, "-m", "crashmap", "show", "live", "--json"],
                               capture_output=True, text=True, timeout=60)
    collected, here = json.loads(show.stdout), json.loads(live_show.stdout)
    assert collected["resources"] == here["resources"]
