"""fadump= (ppc64 firmware-assisted dump), from the peers' and the kernel's documented behaviour:

- kernel arch/powerpc/kernel/fadump.c ``early_fadump_param()``: ``strncmp(p, "on", 2)``,
  ``"off"``, ``"nocma"``; an early parameter, applied in order; ``fw_dump`` starts zeroed (off);
- kernel ``fadump_calculate_reserve_size()``: crashkernel= capped at RAM / MAX_BOOT_MEM_RATIO (4),
  else 5 % of RAM rounded down to 256 MiB, at least RTAS_FADUMP_MIN_BOOT_MEM (256M + 64M);
- kdump-utils spec/kdumpctl_general_spec.sh ``get_dump_mode_by_fadump_val``: on → fadump,
  nocma → fadump, "" → kdump, off → kdump, anything else: "invalid fadump";
- kdump-utils spec/kdumpctl_reset_crashkernel_spec.sh: ``grubby --args fadump=on`` beside
  crashkernel=, ``--fadump=off`` "Removed fadump";
- yast-kdump test/fadump_test.rb: fadump refused on other architectures ("Cannot use
  Firmware-assisted dump. It is not supported on this hardware.", src/modules/Kdump.rb);
- Anaconda kdump add-on ks test ``test_ks_enablefadump``: ``--enablefadump``;
- SUSE kdump init/load.sh ``fadump_bootloader``: KDUMP_FADUMP drives fadump=on/nocma.
"""

from __future__ import annotations

import pytest

from crashmap.errors import CrashmapError
from crashmap.export import export, plan_words
from crashmap.kernel.fadump import boot_memory_size, dump_mode, fadump_mode, replace_fadump
from crashmap.units import GiB, MiB

G16 = 16 * GiB


@pytest.mark.parametrize(("line", "mode"), [
    ("ro quiet", "off"),
    ("fadump=on", "on"),
    ("fadump=nocma", "nocma"),
    ("fadump=off", "off"),
    ("fadump=onwards", "on"),           # strncmp(p, "on", 2): a prefix is enough
    ("fadump=on fadump=off", "off"),    # applied in order: the last wins
    ("fadump=nocma fadump=yes", "nocma"),  # an unknown value changes nothing
    ("fadump=yes", "off"),
    ("ro -- fadump=on", "off"),         # after -- the words are init's (parse_args stops)
    ("xfadump=on", "off"),              # another parameter's name
])
def test_kernel_reads_fadump_like_early_fadump_param(line: str, mode: str) -> None:
    assert fadump_mode(line) == mode


@pytest.mark.parametrize(("value", "mode"), [("on", "fadump"), ("nocma", "fadump"),
                                             ("", "kdump"), ("off", "kdump")])
def test_dump_mode_as_kdumpctl(value: str, mode: str) -> None:
    assert dump_mode(value) == mode


def test_invalid_fadump_value_is_refused_as_kdumpctl_does() -> None:
    with pytest.raises(ValueError, match="invalid fadump"):
        dump_mode("/boot/vmlinuz")
    with pytest.raises(CrashmapError, match="invalid fadump"):
        export("cmdline", ["crashkernel=1G", "fadump=yes"], "ro", "ppc64le", ram=G16)


def test_boot_memory_size_follows_fadump_calculate_reserve_size() -> None:
    assert boot_memory_size(1 * GiB, G16)[0] == 1 * GiB
    assert boot_memory_size(8 * GiB, G16)[0] == 4 * GiB          # capped at RAM / 4
    assert boot_memory_size(None, G16)[0] == 768 * MiB           # 819.2M rounded down to 256M
    assert boot_memory_size(None, 64 * GiB)[0] == 3 * GiB
    assert boot_memory_size(None, 4 * GiB)[0] == 320 * MiB       # RTAS_FADUMP_MIN_BOOT_MEM


def test_fadump_goes_next_to_crashkernel() -> None:
    assert replace_fadump("ro crashkernel=1G quiet", "fadump=on") == \
        "ro crashkernel=1G fadump=on quiet"
    assert replace_fadump("fadump=on ro", "fadump=nocma") == "fadump=nocma ro"
    assert replace_fadump("ro fadump=on quiet", "fadump=off") == "ro quiet"
    assert replace_fadump("ro -- x", "fadump=on") == "ro fadump=on -- x"


def test_plan_words_read_fadump_from_the_cmdline() -> None:
    assert plan_words("ro crashkernel=2G fadump=nocma") == ("crashkernel=2G", "fadump=nocma")
    assert plan_words("ro crashkernel=2G fadump=yes") == ("crashkernel=2G",)


def test_every_line_format_carries_fadump() -> None:
    for fmt in ("cmdline", "bls", "grub"):
        result = export(fmt, ["crashkernel=1G", "fadump=on"], "ro crashkernel=512M quiet",
                        "ppc64le", ram=G16)
        assert "crashkernel=1G fadump=on" in result.text
    assert fadump_mode(result.new_cmdline) == "on"


def test_grubby_adds_fadump_beside_crashkernel_and_removes_it_for_off() -> None:
    on = export("grubby", ["crashkernel=1G", "fadump=on"], "ro crashkernel=512M", "ppc64le",
                ram=G16)
    assert '--args="crashkernel=1G fadump=on"' in on.text
    off = export("grubby", ["crashkernel=512M", "fadump=off"], "ro crashkernel=1G fadump=on",
                 "ppc64le", ram=G16)
    assert "fadump=off" not in off.text
    assert '--remove-args="crashkernel=1G fadump"' in off.text
    assert off.new_cmdline == "ro crashkernel=512M"


def test_installers_and_sysconfig() -> None:
    ks = export("kickstart", ["crashkernel=1G", "fadump=on"], "ro", "ppc64le", ram=G16)
    assert "%addon com_redhat_kdump --enable --reserve-mb=1024 --enablefadump" in ks.text
    suse = export("suse-sysconfig", ["crashkernel=1G", "fadump=on"], "ro", "ppc64le", ram=G16)
    assert 'KDUMP_CRASHKERNEL="crashkernel=1G"' in suse.text
    assert 'KDUMP_FADUMP="true"' in suse.text
    off = export("suse-sysconfig", ["crashkernel=1G", "fadump=off"], "ro", "ppc64le", ram=G16)
    assert 'KDUMP_FADUMP="false"' in off.text


def test_fadump_refused_where_it_is_not_supported() -> None:
    for arch in ("x86_64", "arm64", "s390x"):
        with pytest.raises(CrashmapError, match="It is not supported on this hardware"):
            export("cmdline", ["crashkernel=1G", "fadump=on"], "ro", arch, ram=G16)
    # off is not a request for fadump: it only removes the parameter
    assert export("cmdline", ["crashkernel=1G", "fadump=off"], "ro fadump=on", "x86_64",
                  ram=G16).new_cmdline == "ro crashkernel=1G"


def test_the_warning_states_the_boot_memory() -> None:
    result = export("cmdline", ["crashkernel=8G", "fadump=nocma"], "ro", "ppc64le", ram=G16)
    assert any("4 GiB" in w and "fadump_calculate_reserve_size" in w for w in result.warnings)


def test_cli_refuses_fadump_off_ppc64le_with_exit_2(tmp_path, capsys) -> None:
    from crashmap.cli import main

    code = main(["export", "demo", "--arch", "x86_64", "--words", "crashkernel=256M fadump=on",
                 "--format", "cmdline", "--current", "ro", "--ram", "16G"])
    err = capsys.readouterr().err
    assert code == 2 and "It is not supported on this hardware" in err and err.count("\n") == 1



def test_check_findings_for_fadump() -> None:
    from crashmap.checks import evaluate_cmdline
    from crashmap.placement import context_from_snapshot
    from crashmap.snapshot import Snapshot

    iomem = "00000000-3ffffffff : System RAM\n  00000000-01ffffff : Kernel code\n"
    ppc = context_from_snapshot(Snapshot(iomem=iomem, arch="ppc64le"))
    found = {f.code: f for f in evaluate_cmdline(ppc, "crashkernel=8G fadump=nocma").findings}
    assert found["fadump"].severity == "info" and "4 GiB" in found["fadump"].message
    assert "fadump" not in {f.code for f in evaluate_cmdline(ppc, "crashkernel=1G").findings}
    x86 = context_from_snapshot(Snapshot(iomem=iomem, arch="x86_64"))
    verdict = evaluate_cmdline(x86, "crashkernel=256M fadump=on")
    assert not verdict.ok
    assert any(f.code == "fadump-unsupported" and "not supported on this hardware" in f.message
               for f in verdict.errors)
