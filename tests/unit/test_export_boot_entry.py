"""grubby and BLS exports change one kernel's boot entry, or all of them, as kdumpctl does.

Sources (the behaviour is theirs, not crashmap's output):

- kdump-utils ``spec/kdumpctl_reset_crashkernel_spec.sh``: with the running kernel
  ``5.15.6-100.fc34.x86_64`` (``uname -r``), ``reset_crashkernel`` without ``--kernel`` updates
  ``kernel1=/boot/vmlinuz-5.15.6-100.fc34.x86_64`` and "Other kernel still use the old
  crashkernel value"; ``--kernel=ALL`` updates both kernels; ``--kernel=/boot/one-kernel``
  updates that one only. kdumpctl passes the kernel on as ``grubby --update-kernel``.
- grubby(8) (rhboot/grubby ``grubby-bls.8``): ``--update-kernel=kernel-path`` updates "the
  entries for kernels matching kernel-path"; with ``ALL``, ``GRUB_CMDLINE_LINUX`` in
  ``/etc/default/grub`` is updated too "unless the --no-etc-grub-update option is used".
  grubby-bls ``param_to_indexes`` matches a path against an entry's ``linux`` key by its last
  component (``/${param##*/}``), so ``/boot/vmlinuz-R`` finds ``linux /vmlinuz-R``.
- UAPI.1 Boot Loader Specification, type #1 entries: one file per entry under
  ``/loader/entries/``, with ``linux`` (the kernel image) and ``options`` (kernel parameters;
  several ``options`` lines are joined with spaces).
"""

from __future__ import annotations

import shlex

import pytest
from crashmap.errors import CrashmapError
from crashmap.export import export
from crashmap.snapshot import Snapshot

RAM = 16 << 30
CURRENT = "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.15.6-100.fc34.x86_64 root=/dev/vda2 ro crashkernel=222M"
RUNNING = "5.15.6-100.fc34.x86_64"
WORDS = ("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M",)


def grubby_argv(**kwargs: object) -> list[str]:
    result = export("grubby", WORDS, CURRENT, "x86_64", ram=RAM, **kwargs)
    (command,) = [line for line in result.text.splitlines() if line and line[0] != "#"]
    return shlex.split(command)


def snapshot(release: str | None) -> Snapshot:
    return Snapshot(iomem="", arch="x86_64", kernel_release=release, cmdline=CURRENT)


def test_default_is_the_running_kernel_of_the_snapshot() -> None:
    argv = grubby_argv(snapshot=snapshot(RUNNING))
    assert argv[:2] == ["grubby", f"--update-kernel=/boot/vmlinuz-{RUNNING}"]
    assert argv[2:] == ["--args=" + WORDS[0], "--remove-args=crashkernel=222M"]


def test_without_a_release_the_running_kernel_is_uname_r_on_the_box() -> None:
    result = export("grubby", WORDS, CURRENT, "x86_64", ram=RAM)
    command = [line for line in result.text.splitlines() if line.startswith("grubby")][0]
    assert '--update-kernel="/boot/vmlinuz-$(uname -r)"' in command
    # a shell runs the $(uname -r): the word grubby gets is the running kernel's image
    assert shlex.split(command)[1] == "--update-kernel=/boot/vmlinuz-$(uname -r)"


@pytest.mark.parametrize("spelled", ["ALL", "all"])
def test_all_updates_every_entry(spelled: str) -> None:
    result = export("grubby", WORDS, CURRENT, "x86_64", ram=RAM, snapshot=snapshot(RUNNING),
                    update_kernel=spelled)
    assert "--update-kernel=ALL" in result.text.split()
    assert "GRUB_CMDLINE_LINUX" in result.text  # grubby(8): ALL also edits /etc/default/grub


def test_one_named_kernel() -> None:
    argv = grubby_argv(snapshot=snapshot(RUNNING),
                       update_kernel="/boot/vmlinuz-5.14.14-200.fc34.x86_64")
    assert argv[1] == "--update-kernel=/boot/vmlinuz-5.14.14-200.fc34.x86_64"
    text = export("grubby", WORDS, CURRENT, "x86_64", ram=RAM,
                  update_kernel="/boot/vmlinuz-5.14.14-200.fc34.x86_64").text
    assert "other entries" in text and "--update-kernel=ALL" in text  # says what is left out


@pytest.mark.parametrize("bad", ["vmlinuz-6.1", "DEFAULT x", "/boot/vmlinuz 6.1", ""])
def test_a_target_that_is_neither_a_path_nor_all_is_refused(bad: str) -> None:
    with pytest.raises(CrashmapError, match="--update-kernel"):
        export("grubby", WORDS, CURRENT, "x86_64", ram=RAM, update_kernel=bad)


def test_bls_names_the_entry_of_the_target_kernel() -> None:
    text = export("bls", WORDS, CURRENT, "x86_64", ram=RAM, snapshot=snapshot(RUNNING)).text
    assert f"/boot/loader/entries/*-{RUNNING}.conf" in " ".join(text.split())
    assert f"/vmlinuz-{RUNNING}" in text
    options = [line for line in text.splitlines() if line.startswith("options ")]
    assert options == [f"options root=/dev/vda2 ro {WORDS[0]}"]
    every = export("bls", WORDS, CURRENT, "x86_64", ram=RAM, update_kernel="ALL").text
    assert "every /boot/loader/entries/*.conf" in " ".join(every.split())


def test_json_says_which_entry() -> None:
    result = export("json", WORDS, CURRENT, "x86_64", ram=RAM, snapshot=snapshot(RUNNING))
    assert result.data is not None
    assert result.data["update_kernel"] == f"/boot/vmlinuz-{RUNNING}"
    assert f"--update-kernel=/boot/vmlinuz-{RUNNING}" in result.data["outputs"]["grubby"]
