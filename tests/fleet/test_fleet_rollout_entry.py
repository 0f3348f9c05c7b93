"""``crashmap fleet --suggest --rollout [--update-kernel=PATH|ALL]``: the boot entry grubby
changes and the grub.d snippet are ``crashmap export``'s own.

Sources: kdump-utils ``spec/kdumpctl_reset_crashkernel_spec.sh`` (without ``--kernel``,
``reset-crashkernel`` updates ``/boot/vmlinuz-$(uname -r)`` only; ``--kernel=ALL`` every entry);
grubby(8) (``--update-kernel=kernel-path|ALL``, ``--info``); Ansible's ``kernel`` fact is the
running release (``uname -r``). The grubby task, rendered for a host, must be the command
``crashmap export --format grubby`` prints for that host.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import jinja2  # ansible-core's, in the test extra
import pytest
import yaml
from ansible.plugins.filter.mathstuff import FilterModule
from crashmap.fleet.rollout import TASKS

from tests.fleet.test_fleet_suggest import MAPS, crashmap, split_rollout

ZENBOOK = MAPS / "x86_64-laptop-zenbook.yaml"
RELEASE = "5.3.11-gentoo"  # the zenbook's running kernel (its snapshot's kernel_release)


def rollout(*extra: str) -> tuple[dict, list[dict]]:
    run = crashmap("fleet", str(MAPS), "--suggest", "--rollout", *extra)
    assert run.returncode in (0, 1), run.stderr
    files = split_rollout(run.stdout)
    return yaml.safe_load(files["group_vars/all/crashmap.yml"]), yaml.safe_load(TASKS)


def exported(fmt: str, words: str, *extra: str) -> dict:
    run = crashmap("export", str(ZENBOOK), "--format", "json", "--words", words, "--force",
                   *extra)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert fmt in data["outputs"]
    return data


def grubby_argv(variables: dict, tasks: list[dict], running: list[str], kernel: str) -> list[str]:
    """The grubby task's argv as Ansible renders it on a host running ``kernel`` whose
    /proc/cmdline has the crashkernel= words ``running``."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(FilterModule().filters())  # Ansible's own difference filter
    facts = {"ansible_facts": {"kernel": kernel}}
    entry = env.from_string(variables["crashmap_update_kernel"]).render(facts)
    task = next(t for t in tasks if t["name"].startswith("Set crashkernel= with grubby"))
    expression = task["ansible.builtin.command"]["argv"].strip()[2:-2]
    scope = {"crashmap_update_kernel": entry, "crashmap_crashkernel":
             variables["crashmap_crashkernel"], "crashmap_running": running,
             "crashmap_words": variables["crashmap_crashkernel"].split()}
    return env.compile_expression(expression)(**scope)


def grubby_line(text: str) -> list[str]:
    return shlex.split(next(line for line in text.splitlines() if line.startswith("grubby ")))


@pytest.mark.parametrize("extra", [(), ("--update-kernel=ALL",),
                                   ("--update-kernel=/boot/vmlinuz-6.12.0-55.el10.x86_64",)])
def test_the_grubby_task_is_the_export_command(extra: tuple[str, ...]) -> None:
    variables, tasks = rollout(*extra)
    words = variables["crashmap_crashkernel"]
    data = exported("grubby", words, *extra)
    argv = grubby_argv(variables, tasks, ["crashkernel=96M"], RELEASE)
    assert argv == grubby_line(data["outputs"]["grubby"])
    assert argv[1] == f"--update-kernel={data['update_kernel']}"
    if not extra:  # kdumpctl's default: the running kernel's image
        assert data["update_kernel"] == f"/boot/vmlinuz-{RELEASE}"
    info = next(t for t in tasks if "grubby --info" in t["name"] or
                "reached the entries" in t["name"])
    assert info["ansible.builtin.command"]["argv"] == ["grubby",
                                                       "--info={{ crashmap_update_kernel }}"]


def test_the_default_follows_each_host_s_running_kernel() -> None:
    variables, tasks = rollout()
    assert variables["crashmap_update_kernel"] == "/boot/vmlinuz-{{ ansible_facts['kernel'] }}"
    argv = grubby_argv(variables, tasks, [], "6.12.0-55.el10.x86_64")
    assert argv[:2] == ["grubby", "--update-kernel=/boot/vmlinuz-6.12.0-55.el10.x86_64"]
    assert len(argv) == 3  # nothing to remove: only --args


def test_the_grub_snippet_is_export_s_grub_format() -> None:
    variables, _ = rollout()
    data = exported("grub", variables["crashmap_crashkernel"])
    assert variables["crashmap_grub_cfg"] == data["outputs"]["grub"]
    assert f'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX {variables["crashmap_crashkernel"]}"' in \
        variables["crashmap_grub_cfg"].splitlines()


@pytest.mark.parametrize(("extra", "message"), [
    (("--suggest", "--rollout", "--update-kernel=vmlinuz"), "not a kernel image path"),
    (("--suggest", "--update-kernel=ALL"), "--update-kernel goes with --suggest --rollout"),
])
def test_a_bad_update_kernel_is_a_usage_error(extra: tuple[str, ...], message: str,
                                              tmp_path: Path) -> None:
    run = crashmap("fleet", str(tmp_path / "nothing-read"), *extra)
    assert run.returncode == 2 and run.stdout == ""
    assert message in run.stderr and run.stderr.count("\n") == 1
