"""The default entry of a grub-mkconfig ``grub.cfg`` as GRUB picks it: 00_header's
``set default`` (the ``${next_entry}`` one-shot branch skipped), a number, title or
``$menuentry_id_option`` id, ``>`` into the "Advanced options" submenu 10_linux writes, and the
``linux`` line's arguments after the image."""

from __future__ import annotations

from pathlib import Path

from crashmap.bootentry import default_entry
from crashmap.grubcfg import parse_menu, pick

KERNEL = "6.8.0-49-generic"
OLD = "6.8.0-45-generic"
UUID = "3d1e0f5c-8c1a-4c5e-9f3e-2b4c6d8e0a11"


def grub_cfg(default: str = "0") -> str:
    """A grub.cfg laid out as Ubuntu 24.04's update-grub writes it (00_header, 10_linux)."""
    def entry(title: str, ident: str, version: str, args: str, indent: str = "") -> str:
        return (f"{indent}menuentry '{title}' --class ubuntu --class gnu-linux --class os "
                f"$menuentry_id_option '{ident}' {{\n"
                f"{indent}\trecordfail\n{indent}\tload_video\n{indent}\tinsmod gzio\n"
                f"{indent}\tif [ x$grub_platform = xxen ]; then insmod xzio; fi\n"
                f"{indent}\tlinux\t/boot/vmlinuz-{version} root=UUID={UUID} ro {args}\n"
                f"{indent}\tinitrd\t/boot/initrd.img-{version}\n{indent}}}\n")
    return (
        "if [ -s $prefix/grubenv ]; then\n  set have_grubenv=true\n  load_env\nfi\n"
        'if [ "${next_entry}" ] ; then\n   set default="${next_entry}"\n   set next_entry=\n'
        f'   save_env next_entry\n   set boot_once=true\nelse\n   set default="{default}"\nfi\n'
        "function load_video {\n  if [ x$feature_all_video_module = xy ]; then\n"
        "    insmod all_video\n  fi\n}\n"
        + entry("Ubuntu", f"gnulinux-simple-{UUID}", KERNEL,
                "quiet splash crashkernel=2G-4G:320M,4G-32G:512M $vt_handoff")
        + f"submenu 'Advanced options for Ubuntu' $menuentry_id_option "
          f"'gnulinux-advanced-{UUID}' {{\n"
        + entry(f"Ubuntu, with Linux {KERNEL}", f"gnulinux-{KERNEL}-advanced-{UUID}", KERNEL,
                "quiet splash crashkernel=2G-4G:320M,4G-32G:512M $vt_handoff", "\t")
        + entry(f"Ubuntu, with Linux {OLD}", f"gnulinux-{OLD}-advanced-{UUID}", OLD,
                "quiet splash crashkernel=512M $vt_handoff", "\t")
        + "}\n")


def test_entry_0_is_the_first_menuentry():
    menu, default = parse_menu(grub_cfg())
    assert default == "0" and [e.title for e in menu] == ["Ubuntu",
                                                          "Advanced options for Ubuntu"]
    assert pick(menu, default).linux == (f"root=UUID={UUID} ro quiet splash "
                                         "crashkernel=2G-4G:320M,4G-32G:512M $vt_handoff")


def test_a_path_into_the_submenu_by_number_title_or_id():
    menu, _ = parse_menu(grub_cfg())
    for default in ("1>1", f"Advanced options for Ubuntu>Ubuntu, with Linux {OLD}",
                    f"gnulinux-advanced-{UUID}>gnulinux-{OLD}-advanced-{UUID}"):
        assert "crashkernel=512M" in pick(menu, default).linux, default
    assert pick(menu, "1") is None  # a submenu is not bootable itself
    assert pick(menu, "7") is None


def test_saved_entry_and_grubenv_variables(tmp_path: Path):
    (tmp_path / "boot/grub").mkdir(parents=True)
    (tmp_path / "boot/grub/grub.cfg").write_text(grub_cfg("${saved_entry}"))
    (tmp_path / "boot/grub/grubenv").write_text(
        f"# GRUB Environment Block\nsaved_entry=1>gnulinux-{OLD}-advanced-{UUID}\n" + "#" * 900)
    found = default_entry(tmp_path, KERNEL)
    assert found.options == f"root=UUID={UUID} ro quiet splash crashkernel=512M"  # $vt_handoff
    assert found.source == "boot/grub/grub.cfg" and OLD in found.note
    (tmp_path / "boot/grub/grubenv").write_text("# GRUB Environment Block\n" + "#" * 1000)
    assert "crashkernel=2G-4G" in default_entry(tmp_path, KERNEL).options  # empty: entry 0
