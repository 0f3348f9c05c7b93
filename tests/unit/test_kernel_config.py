"""What the kernel's build and the kdump service allow: the config lines a snapshot keeps, the
kexec sysfs files (new directory first), the loader, and the findings they give."""

from __future__ import annotations

import gzip

import pytest
from crashmap import live
from crashmap.checks import evaluate_cmdline
from crashmap.kernel.config import capabilities, parse_config, relevant_lines
from crashmap.kernel.loader import CLASSIC, FILE_LOAD, kexec_loader
from crashmap.kernel.target import parse_release
from crashmap.placement import context_from_snapshot
from crashmap.snapshot import Snapshot, from_yaml, to_yaml
from crashmap.sources import load_source

X86 = ("00001000-0009ffff : System RAM\n00100000-bfffffff : System RAM\n"
       "  01000000-01ffffff : Kernel code\n100000000-43fffffff : System RAM\n")
FULL_CONFIG = """\
#
# Automatically generated file; DO NOT EDIT.
CONFIG_CC_VERSION_TEXT="gcc (GCC) 14.2.1"
CONFIG_64BIT=y
CONFIG_KEXEC=y
CONFIG_KEXEC_FILE=y
CONFIG_KEXEC_CORE=y
CONFIG_CRASH_RESERVE=y
CONFIG_CRASH_DUMP=y
CONFIG_CMA=y
CONFIG_CMA_AREAS=20
CONFIG_ARCH_HAS_GENERIC_CRASHKERNEL_RESERVATION=y
# CONFIG_KEXEC_SIG is not set
CONFIG_EXT4_FS=y
"""


def test_only_the_kdump_lines_are_kept() -> None:
    kept = relevant_lines(FULL_CONFIG)
    assert "CONFIG_EXT4_FS" not in kept and "CC_VERSION" not in kept
    assert kept.splitlines()[:2] == ["CONFIG_KEXEC=y", "CONFIG_KEXEC_FILE=y"]
    assert "# CONFIG_KEXEC_SIG is not set" in kept
    config = parse_config(kept)
    assert config.on("KEXEC_SIG") is False and config.get("CMA_AREAS") == "20"
    assert config.on("FA_DUMP") is None  # not mentioned: unknown


def test_the_real_oracle_config_can_do_kdump() -> None:
    from pathlib import Path

    oracle = Path(__file__).resolve().parents[1] / "data/kernel-oracle"
    text = (oracle / "config-7.3.4-x86_64").read_text()
    caps = {c.code: c.ok for c in capabilities(parse_config(relevant_lines(text)),
                                               parse_release("7.3.4"))}
    assert caps == {"reserve": True, "load": True, "crash-dump": True, "cma": True,
                    "kexec-file": True}


def test_capabilities_follow_the_6_9_config_split() -> None:
    # 75bc255a7444 (6.9): CRASH_RESERVE decides; before it KEXEC_CORE did
    old_style = parse_config("CONFIG_KEXEC=y\nCONFIG_KEXEC_CORE=y\nCONFIG_CRASH_CORE=y\n")
    assert {c.code: c.ok for c in capabilities(old_style, parse_release("6.6"))}["reserve"]
    new_kernel = {c.code: c.ok for c in capabilities(old_style, parse_release("6.9"))}
    assert new_kernel["reserve"] is None  # CRASH_RESERVE not mentioned: unknown, not "no"
    none = parse_config("# CONFIG_KEXEC is not set\n# CONFIG_KEXEC_FILE is not set\n"
                        "# CONFIG_CRASH_DUMP is not set\n# CONFIG_CRASH_RESERVE is not set\n")
    caps = {c.code: c.ok for c in capabilities(none, parse_release("7.3"))}
    assert caps["reserve"] is False and caps["load"] is False and caps["crash-dump"] is False


@pytest.mark.parametrize(("files", "loader"), [
    ({"/etc/sysconfig/kdump": 'KEXEC_ARGS="-s"\n'}, FILE_LOAD),
    ({"/etc/sysconfig/kdump": 'KEXEC_ARGS="--elf32-core-headers"\n'}, CLASSIC),
    ({"/etc/sysconfig/kdump": 'KEXEC_ARGS="-c"\n'}, CLASSIC),
    ({"/etc/sysconfig/kdump": 'KEXEC_ARGS=""\nKDUMP_FILE_LOAD="on"\n'}, FILE_LOAD),
    ({"/etc/sysconfig/kdump": '# KEXEC_ARGS="-s"\nKEXEC_ARGS="-d"\n'}, CLASSIC),
    ({"/etc/sysconfig/kdump": 'KEXEC_ARGS="-s"\nKEXEC_ARGS=""\n'}, CLASSIC),  # the last wins
    ({"/etc/default/kdump-tools": "KDUMP_KEXEC_ARGS='-a'\n"}, FILE_LOAD),
    ({"/etc/default/kdump-tools": "USE_KDUMP=1\n"}, None),
    ({}, None),
])
def test_the_loader_from_the_kdump_configuration(files, loader) -> None:
    found, why = kexec_loader(files)
    assert found == loader
    assert (why is None) == (loader is None)


def ctx_for(**facts):
    return context_from_snapshot(Snapshot(iomem=X86, arch="x86_64", **facts))


def test_a_kernel_that_cannot_kdump_gets_errors_not_add_crashkernel() -> None:
    config = relevant_lines("# CONFIG_CRASH_DUMP is not set\n# CONFIG_CRASH_RESERVE is not set\n"
                            "CONFIG_KEXEC=y\nCONFIG_KEXEC_CORE=y\n")
    ctx = ctx_for(kernel_release="7.3.4", kernel_config=config,
                  kernel_config_source="/boot/config-7.3.4")
    verdict = evaluate_cmdline(ctx, "quiet")
    codes = {f.code: f for f in verdict.findings}
    assert codes["kernel-config-reserve"].severity == "error"
    assert "CONFIG_CRASH_RESERVE" in codes["kernel-config-reserve"].message
    assert codes["kernel-config-crash-dump"].severity == "error"
    assert "Add crashkernel=" not in codes["nothing-requested"].fix
    able = evaluate_cmdline(ctx_for(kernel_release="7.3.4",
                                    kernel_config=relevant_lines(FULL_CONFIG)), "quiet")
    assert "Add crashkernel=256M" in {f.code: f for f in able.findings}["nothing-requested"].fix


def test_a_config_of_another_kernel_is_not_applied() -> None:
    config = relevant_lines("# CONFIG_CRASH_RESERVE is not set\n")
    ctx = context_from_snapshot(Snapshot(iomem=X86, arch="x86_64", kernel_release="7.3.4",
                                         kernel_config=config), kernel=parse_release("7.4"))
    codes = {f.code for f in evaluate_cmdline(ctx, "crashkernel=256M").findings}
    assert "kernel-config-other-kernel" in codes and "kernel-config-reserve" not in codes


def test_cma_without_kexec_file_or_with_kexec_load_is_a_warning() -> None:
    line = "crashkernel=256M crashkernel=512M,cma"
    loader = ctx_for(kernel_release="6.17.2", kexec_loader=CLASSIC,
                     kexec_loader_source='/etc/sysconfig/kdump: KEXEC_ARGS=""')
    codes = {f.code: f.severity for f in evaluate_cmdline(loader, line).findings}
    assert codes["cma-kexec-load"] == "warning"
    fine = ctx_for(kernel_release="6.17.2", kexec_loader=FILE_LOAD)
    assert "cma-kexec-load" not in {f.code for f in evaluate_cmdline(fine, line).findings}
    no_file = ctx_for(kernel_release="6.17.2", kernel_config=relevant_lines(
        FULL_CONFIG.replace("CONFIG_KEXEC_FILE=y", "# CONFIG_KEXEC_FILE is not set")))
    codes = {f.code: f.severity for f in evaluate_cmdline(no_file, line).findings}
    assert codes["kernel-config-kexec-file"] == "warning"
    no_cma = ctx_for(kernel_release="6.17.2", kernel_config=relevant_lines(
        FULL_CONFIG.replace("CONFIG_CMA=y", "# CONFIG_CMA is not set")))
    codes = {f.code: f.severity for f in evaluate_cmdline(no_cma, line).findings}
    assert codes["kernel-config-cma"] == "error"


def write(root, files: dict) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def test_live_reads_the_new_kexec_directory_first(tmp_path, monkeypatch) -> None:
    write(tmp_path, {
        "proc/iomem": X86, "proc/cmdline": "crashkernel=256M\n",
        "sys/kernel/kexec/crash_size": "268435456\n", "sys/kernel/kexec/crash_loaded": "1\n",
        "sys/kernel/kexec/loaded": "0\n", "sys/kernel/kexec/crash_elfcorehdr_size": "8192\n",
        "sys/kernel/kexec/crash_cma_ranges": "100000000-11fffffff\n",
        "sys/kernel/kexec_crash_size": "1\n",  # an old name that disagrees: not read
        "proc/config.gz": gzip.compress(FULL_CONFIG.encode()),
        "etc/sysconfig/kdump": 'KEXEC_ARGS="-s"\n',
    })
    monkeypatch.setattr(live, "ROOT", tmp_path)
    snap = load_source("live")
    assert snap.kexec_crash_size == 256 << 20 and snap.kexec_crash_loaded is True
    assert snap.kexec_loaded is False and snap.kexec_crash_elfcorehdr_size == 8192
    assert snap.kexec_crash_cma_ranges == "100000000-11fffffff\n"
    assert snap.kernel_config_source == "/proc/config.gz"
    assert "CONFIG_KEXEC_FILE=y" in snap.kernel_config and "EXT4" not in snap.kernel_config
    assert (snap.kexec_loader, snap.kexec_loader_source) == (
        FILE_LOAD, '/etc/sysconfig/kdump: KEXEC_ARGS="-s"')
    again = from_yaml(to_yaml(snap), "s.yaml")
    assert (again.kernel_config, again.kexec_loader) == (snap.kernel_config, snap.kexec_loader)


def test_live_falls_back_to_the_old_names_and_boot_config(tmp_path, monkeypatch) -> None:
    import platform

    write(tmp_path, {
        "proc/iomem": X86, "sys/kernel/kexec_crash_size": "134217728\n",
        "sys/kernel/kexec_crash_loaded": "0\n",
        f"boot/config-{platform.release()}": FULL_CONFIG,
    })
    monkeypatch.setattr(live, "ROOT", tmp_path)
    snap = load_source("live")
    assert snap.kexec_crash_size == 128 << 20 and snap.kexec_crash_loaded is False
    assert snap.kernel_config_source == f"/boot/config-{platform.release()}"
    assert snap.kexec_loader is None


def test_a_sosreport_with_the_kexec_directory_config_and_sysconfig(tmp_path) -> None:
    write(tmp_path, {
        "proc/iomem": X86, "proc/cmdline": "crashkernel=512M\n",
        "sos_commands/kernel/uname_-a":
            "Linux box 6.17.2-300.fc43.x86_64 #1 SMP x86_64 GNU/Linux\n",
        "sys/kernel/kexec/crash_size": "536870912\n",
        "boot/config-6.17.2-300.fc43.x86_64": FULL_CONFIG,
        "etc/sysconfig/kdump": 'KEXEC_ARGS=""\n',
    })
    snap = load_source(str(tmp_path))
    assert snap.kexec_crash_size == 512 << 20
    assert snap.kernel_config_source == "boot/config-6.17.2-300.fc43.x86_64 in the report"
    assert snap.kexec_loader == CLASSIC
