"""The default boot entry of a report folder: grubenv's saved_entry names a Boot Loader
Specification entry, whose ``options`` (with grubenv's ``$kernelopts``) the next boot uses.

Layouts as sosreport's grub2 plugin copies them (``/boot/loader/entries``,
``/boot/grub2/grubenv``); entries shaped like kdump-utils' ShellSpec fixtures
(``spec/support/boot_load_entries/MACHINEID-VERSION.conf``) and RHEL 8's
``options $kernelopts``.
"""

from __future__ import annotations

from pathlib import Path

from crashmap.bootentry import boot_entry_for, default_entry, expand, read_entry, read_grubenv

MACHINE = "0123456789abcdef0123456789abcdef"
NEW, OLD = "6.18.3-200.fc43.x86_64", "6.17.9-300.fc43.x86_64"


def entry(version: str, options: str) -> str:
    return (f"title Fedora Linux ({version}) 43\nversion {version}\n"
            f"linux /boot/vmlinuz-{version}\ninitrd /boot/initramfs-{version}.img\n"
            f"options {options}\ngrub_users $grub_users\ngrub_arg --unrestricted\n")


def report(tmp_path: Path, grubenv: str | None, entries: dict[str, str]) -> Path:
    folder = tmp_path / "boot" / "loader" / "entries"
    folder.mkdir(parents=True)
    for version, options in entries.items():
        (folder / f"{MACHINE}-{version}.conf").write_text(entry(version, options))
    if grubenv is not None:
        (tmp_path / "boot" / "grub2").mkdir()
        block = f"# GRUB Environment Block\n{grubenv}"
        (tmp_path / "boot" / "grub2" / "grubenv").write_text(block + "#" * (1024 - len(block)))
    return tmp_path


def test_saved_entry_names_the_default(tmp_path):
    root = report(tmp_path, f"saved_entry={MACHINE}-{OLD}\n",
                  {NEW: "root=/dev/vda2 ro crashkernel=512M", OLD: "root=/dev/vda2 ro "
                   "crashkernel=2G-64G:256M,64G-:512M"})
    found = default_entry(root, NEW)
    assert found.options == "root=/dev/vda2 ro crashkernel=2G-64G:256M,64G-:512M"
    assert found.source == f"boot/loader/entries/{MACHINE}-{OLD}.conf"
    assert found.note == "saved_entry in boot/grub2/grubenv"


def test_without_saved_entry_the_running_kernels_entry_stands_in(tmp_path):
    root = report(tmp_path, "", {NEW: "ro crashkernel=512M", OLD: "ro crashkernel=256M"})
    found = default_entry(root, OLD)
    assert found.options == "ro crashkernel=256M" and "running kernel" in found.note
    assert default_entry(root, None) is None  # nothing says which: not guessed


def test_rhel8_kernelopts_come_from_grubenv(tmp_path):
    root = report(tmp_path, f"saved_entry={MACHINE}-{NEW}\nkernelopts=root=/dev/mapper/rhel-root "
                  "ro crashkernel=auto resume=/dev/mapper/rhel-swap\n",
                  {NEW: "$kernelopts $tuned_params"})
    assert default_entry(root, NEW).options == ("root=/dev/mapper/rhel-root ro crashkernel=auto "
                                                "resume=/dev/mapper/rhel-swap")


def test_grammar_of_the_files():
    assert read_grubenv("# GRUB Environment Block\nsaved_entry=x\nboot_success=1\n####") == {
        "saved_entry": "x", "boot_success": "1"}
    assert read_entry("options a=1\noptions b=2\nlinux /vmlinuz\n")["options"] == "a=1 b=2"
    assert expand("${kernelopts} x $unset y", {"kernelopts": "ro quiet"}) == "ro quiet x y"


def test_no_entries_or_not_a_folder(tmp_path):
    assert default_entry(tmp_path, NEW) is None
    assert boot_entry_for("map:demo", NEW) is None
    assert boot_entry_for(str(tmp_path / "box.yaml"), NEW) is None
