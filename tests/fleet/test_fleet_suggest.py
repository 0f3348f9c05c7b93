"""``crashmap fleet --suggest``: one plan that ``check`` passes on every host, the hosts that
force each bracket, the cost against each host's own best plan, and the rollout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from crashmap.fleet.rollout import TASKS
from crashmap.sources import bundled_maps

MAPS = Path(__file__).resolve().parents[2] / "maps"


def crashmap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crashmap", *args], capture_output=True,
                          text=True, timeout=600)


def suggest(*paths: str, extra: tuple[str, ...] = ()) -> dict:
    run = crashmap("fleet", *paths, "--suggest", "--json", *extra)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def own(source: str, *extra: str) -> dict:
    return json.loads(crashmap("estimate", source, "--json", *extra).stdout)["suggestion"]


def test_one_plan_passes_check_on_every_bundled_map_and_the_forcing_hosts_need_it():
    # for the newest kernel modelled: on their own old kernels some boards place no block
    kernel = ("--kernel", "7.3")
    plan = suggest(str(MAPS), extra=kernel)
    assert plan["hosts"] == len(bundled_maps()) and plan["unplanned"]["hosts"] == 0
    assert len(plan["plans"]) == 1
    words = plan["plans"][0]["cmdline"]
    checks = {}
    for source in bundled_maps().values():
        checks[source] = json.loads(crashmap("check", str(source), "--cmdline", words,
                                             "--json", *kernel).stdout)
        assert checks[source]["ok"], (source, checks[source]["verdict"])
    for bracket in plan["plans"][0]["brackets"]:
        # the host that forces a bracket needs exactly its size; nobody in it needs more
        forced = bracket["forced_by"][0]
        source = forced if Path(forced).exists() else next(
            str(p) for p in bundled_maps().values() if f"hostname: {forced}\n" in p.read_text())
        assert own(source, *kernel)["static"] == bracket["size"]
    total_own = 0
    for source in bundled_maps().values():
        mine = own(str(source), *kernel)
        if mine["placed"] is None:  # no estimate (loongarch64): the fleet plan is its best
            total_own += checks[source]["static"]["reserved"]
            continue
        assert mine["placed"]
        total_own += sum(b["size"] for b in mine["placement"]["placements"]
                         if b["kind"] != "cma")
    assert plan["own_static"] == total_own
    assert plan["static"] >= plan["own_static"]
    assert plan["extra_static"] == plan["static"] - plan["own_static"]


def test_a_target_kernel_that_reads_cma_gives_a_cma_word(tmp_path):
    from crashmap.snapshot import to_yaml
    from crashmap.sources import load_source

    x86 = []
    for name, path in bundled_maps().items():  # with the /boot sizes collect.yml reads
        if name.startswith("x86_64"):
            snapshot = load_source(str(path))
            snapshot.kernel_size, snapshot.initrd_size = 14 << 20, 60 << 20
            (tmp_path / f"{name}.yaml").write_text(to_yaml(snapshot))
            x86.append(str(tmp_path / f"{name}.yaml"))
    plan = suggest(*x86, extra=("--kernel", "6.18.1"))
    words = plan["plans"][0]["words"]
    assert len(words) == 2 and words[1].endswith(",cma") and plan["cma"] > 0
    for source in x86:
        check = json.loads(crashmap("check", source, "--cmdline", " ".join(words),
                                    "--kernel", "6.18.1", "--json").stdout)
        assert check["ok"] and check["cma"]["reserved"] > 0  # Linux 6.18 reserves it
    # without the target kernel most of these kernels ignore ,cma: all static
    plain = suggest(*x86)
    assert all(not w.endswith(",cma") for p in plain["plans"] for w in p["words"])
    assert plain["static"] > plan["static"]


def test_hosts_no_plan_can_serve_are_named_with_their_reason():
    corpus = Path(__file__).resolve().parents[1] / "data" / "iomem"
    run = crashmap("fleet", str(corpus / "05-arm64-server-thunderx2-fragment-crashkernel-low.txt"),
                   str(MAPS / "x86_64-laptop-zenbook.yaml"), "--suggest", "--kernel", "7.3")
    assert run.returncode == 1
    assert "1 host without one" in run.stdout.splitlines()[0]
    assert "low part does not fit below it" in run.stdout


def split_rollout(text: str) -> dict[str, str]:
    parts = re.split(r"^# --- (.*)\n", text, flags=re.M)
    assert parts[0] == ""
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_rollout_carries_the_plan_and_its_tasks_parse():
    run = crashmap("fleet", str(MAPS), "--suggest", "--rollout")
    files = split_rollout(run.stdout)
    assert list(files) == ["group_vars/all/crashmap.yml", "crashmap-crashkernel.yml"]
    variables = yaml.safe_load(files["group_vars/all/crashmap.yml"])
    plan = suggest(str(MAPS))["plans"][0]
    assert variables["crashmap_crashkernel"] == plan["cmdline"]
    assert variables["kdump_auto_reset_crashkernel"] is False
    assert variables["crashmap_grub_cfg"].splitlines()[-2].endswith(f' {plan["cmdline"]}"')
    tasks = yaml.safe_load(files["crashmap-crashkernel.yml"])
    assert files["crashmap-crashkernel.yml"] == TASKS
    assert {"ansible.builtin.command", "ansible.builtin.copy"} <= {
        k for t in tasks for k in t if k.startswith("ansible.builtin.")}


def test_the_zipl_edit_replaces_the_words_inside_the_parameters_line(tmp_path):
    task = next(t for t in yaml.safe_load(TASKS) if "zipl.conf" in t["name"])
    argv = [a.replace("{{ crashmap_crashkernel }}", "crashkernel=1G-:256M crashkernel=64M,cma")
            for a in task["ansible.builtin.command"]["argv"]]
    conf = tmp_path / "zipl.conf"
    conf.write_text('[defaultboot]\ndefault=linux\n[linux]\n  target=/boot\n'
                    '  parameters = "root=/dev/dasda1 crashkernel=196M quiet crashkernel=1G,high"\n'
                    '  image=/boot/image\n')
    subprocess.run(argv[:-1] + [str(conf)], check=True)
    line = next(x for x in conf.read_text().splitlines() if "parameters" in x)
    expected = "root=/dev/dasda1 quiet crashkernel=1G-:256M crashkernel=64M,cma"
    assert line == f'  parameters = "{expected}"'


def ansible_playbook() -> str | None:
    beside = Path(sys.executable).with_name("ansible-playbook")
    return str(beside) if beside.exists() else shutil.which("ansible-playbook")


@pytest.mark.skipif(ansible_playbook() is None, reason="ansible-playbook is not installed")
def test_the_rollout_runs_in_check_mode_here(tmp_path):
    """ansible-core runs the printed play against this machine without changing it."""
    files = split_rollout(crashmap("fleet", str(MAPS), "--suggest", "--rollout").stdout)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  gather_facts: true\n  tasks:\n"
        "    - ansible.builtin.include_tasks: crashmap-crashkernel.yml\n")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(tmp_path / "t"),
               ANSIBLE_CONFIG=str(tmp_path / "none.cfg"))
    run = subprocess.run([ansible_playbook(), "-i", "localhost,", "-c", "local", "--check",
                          "-e", f"ansible_python_interpreter={sys.executable}",
                          str(tmp_path / "site.yml")], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "failed=0" in run.stdout
    assert "crashkernel= is now" in run.stdout
