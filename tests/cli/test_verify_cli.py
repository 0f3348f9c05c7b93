"""`crashmap verify`: a real boot's snapshot verifies (exit 0 once a capture kernel is loaded),
a doctored one does not (1), a bad file is one line and exit 2; the JSON shape."""

from __future__ import annotations

import json

from crashmap.cli import main
from crashmap.snapshot import to_yaml

from tests.corpus import DATA, dump
from tests.kernel.serial import Boot

BOOT = DATA / "kernel-boots" / "arm64-virt-6G-512M-high.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def saved(tmp_path, **changes) -> str:
    snap = Boot.parse(BOOT.read_text(encoding="utf-8")).snapshot("arm64")
    for key, value in changes.items():
        setattr(snap, key, value)
    path = tmp_path / "box.yaml"
    path.write_text(to_yaml(snap), encoding="utf-8")
    return str(path)


def test_a_real_boot_with_a_loaded_capture_kernel_verifies(capsys, tmp_path):
    code, out, err = run(capsys, "verify", saved(tmp_path, kexec_crash_loaded=True))
    assert code == 0, out
    assert out.splitlines()[-1].startswith("Verified: configured, reserved, loaded and "
                                           "predicted agree")
    assert "crashkernel=512M,high" in out and "0xf8000000-0xffffffff" in out


def test_the_oracle_boot_as_captured_is_not_loaded(capsys, tmp_path):
    code, out, _ = run(capsys, "verify", saved(tmp_path))  # crash_loaded 0 on the oracle
    assert code == 1 and "no capture kernel is loaded" in out.splitlines()[-1]


def test_a_doctored_command_line_exits_1(capsys, tmp_path):
    path = saved(tmp_path, kexec_crash_loaded=True,
                 cmdline="console=ttyAMA0 nokaslr panic=-1 quiet crashkernel=1G,high")
    code, out, _ = run(capsys, "verify", path, "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    differ = [r["key"] for r in data["rows"] if r["status"] == "differs"]
    assert differ == ["reserved", "predicted"]


def test_json_shape(capsys, tmp_path):
    code, out, _ = run(capsys, "verify", saved(tmp_path, kexec_crash_loaded=True), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"source", "arch", "kernel", "cmdline", "ok", "verdict", "estimated",
                         "tolerance", "rows"}
    assert data["arch"] == "arm64" and data["kernel"].startswith("Linux 7.3.4")
    assert [r["key"] for r in data["rows"]] == ["configured", "boot-entry", "reserved",
                                               "crash-size", "cma", "loaded", "predicted"]
    for row in data["rows"]:
        assert set(row) == {"key", "label", "value", "source", "status", "verdict", "ranges",
                            "static", "cma"}
        assert row["status"] in ("agrees", "differs", "unknown")
        for r in row["ranges"]:
            assert r["end"] - r["start"] + 1 == r["size"]  # end inclusive, as /proc/iomem
    reserved = next(r for r in data["rows"] if r["key"] == "reserved")
    assert [(r["start"], r["end"]) for r in reserved["ranges"]] == [
        (0xF8000000, 0xFFFFFFFF), (0x19F200000, 0x1BF1FFFFF)]  # the kernel's Crash kernel lines
    assert reserved["static"] == 640 << 20 and data["tolerance"] is None


def test_a_real_dump_with_a_crash_kernel_line(capsys):
    code, out, _ = run(capsys, "verify", str(dump("01")), "--json")
    data = json.loads(out)
    rows = {r["key"]: r for r in data["rows"]}
    assert code == 0 and rows["reserved"]["ranges"] == [
        {"start": 0x65000000, "end": 0x6AFFFFFF, "size": 96 << 20}]
    assert rows["configured"]["status"] == rows["loaded"]["status"] == "unknown"
    assert data["cmdline"] == "crashkernel=96M"  # inferred from the reservation, as check does


def test_a_bad_file_is_one_line_and_exit_2(capsys, tmp_path):
    bad = tmp_path / "box.yaml"
    bad.write_text("crashmap_snapshot: 1\niomem: [1, 2]\n", encoding="utf-8")
    code, out, err = run(capsys, "verify", str(bad))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and str(bad) in err and "Traceback" not in err


def sosreport(tmp_path, entry_options: str, loaded: str = "1"):
    """The arm64 boot laid out as an extracted sosreport, with a BLS default entry."""
    real = Boot.parse(BOOT.read_text(encoding="utf-8"))
    root = tmp_path / "sosreport-qemu"
    files = {"proc/iomem": real.iomem, "proc/cmdline": real.cmdline + "\n",
             "uname": f"Linux qemu {real.release} #1 SMP PREEMPT aarch64 GNU/Linux\n",
             "sys/kernel/kexec/crash_size": f"{real.crash_size}\n",
             "sys/kernel/kexec/crash_loaded": f"{loaded}\n",
             "sys/kernel/kexec/crash_cma_ranges": "",
             "boot/grub2/grubenv": "# GRUB Environment Block\nsaved_entry=m-7.3.4\n",
             "boot/loader/entries/m-7.3.4.conf": f"version 7.3.4\nlinux /vmlinuz-7.3.4\n"
                                                 f"options {entry_options}\n"}
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return str(root)


def test_a_sosreport_whose_default_entry_asks_the_same_verifies(capsys, tmp_path):
    path = sosreport(tmp_path, "root=/dev/vda ro crashkernel=512M,high")
    code, out, _ = run(capsys, "verify", path, "--json")
    rows = {r["key"]: r for r in json.loads(out)["rows"]}
    assert code == 0, out
    assert rows["boot-entry"]["status"] == "agrees"
    assert rows["boot-entry"]["source"] == "boot/loader/entries/m-7.3.4.conf"


def test_a_pending_reboot_to_other_words_differs(capsys, tmp_path):
    # kdumpctl reset-crashkernel (or grubby --args) changed the entry; the box has not rebooted
    path = sosreport(tmp_path, "root=/dev/vda ro crashkernel=2G-64G:256M,64G-:512M")
    code, out, _ = run(capsys, "verify", path)
    assert code == 1
    assert "the next boot asks crashkernel=2G-64G:256M,64G-:512M" in out


SECTION = "#==[ {} ]===========================#\n# {}\n{}\n"
MEM1G = DATA / "kernel-boots" / "x86_64-q35-4G-mem1G-256M.txt"


def supportconfig(tmp_path, calibrate: str, sysconfig: str = 'KDUMP_CRASHKERNEL="auto"'):
    """The mem=1G x86_64 boot (crashkernel=256M) laid out as a supportconfig whose crash.txt
    holds kdumptool calibrate's output and /etc/sysconfig/kdump."""
    real = Boot.parse(MEM1G.read_text(encoding="utf-8"))
    files = {
        "memory.txt": SECTION.format("Configuration File", "/proc/iomem", real.iomem.rstrip()),
        "basic-environment.txt": SECTION.format("Command", "/bin/uname -a",
                                                f"Linux sles {real.release} #1 SMP x86_64 "
                                                "x86_64 x86_64 GNU/Linux")
        + SECTION.format("Configuration File", "/proc/cmdline", real.cmdline),
        "crash.txt": SECTION.format("Command", "/usr/sbin/kdumptool calibrate", calibrate)
        + SECTION.format("Configuration File", "/etc/sysconfig/kdump", sysconfig)
        + SECTION.format("Configuration File", "/sys/kernel/kexec_crash_size",
                         str(real.crash_size))
        + SECTION.format("Configuration File", "/sys/kernel/kexec_crash_loaded", "1"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path)


def calibrate(low: int) -> str:
    return (f"Low: {low}\nMinLow: 32\nMaxLow: 712\nHigh: 0\nMinHigh: 0\nMaxHigh: 0\n"
            "Total: 1023\n")


def test_supportconfig_auto_within_kdumptools_tolerance_verifies(capsys, tmp_path):
    code, out, _ = run(capsys, "verify", supportconfig(tmp_path, calibrate(240)), "--json")
    rows = {r["key"]: r for r in json.loads(out)["rows"]}
    # calibrate says 240M, the box runs crashkernel=256M: 16 MiB above, kdumptool lets it be
    assert rows["kdumptool"]["value"] == "crashkernel=240M"
    assert rows["kdumptool"]["status"] == "agrees" and code == 0, out


def test_supportconfig_auto_beyond_the_tolerance_differs(capsys, tmp_path):
    code, out, _ = run(capsys, "verify", supportconfig(tmp_path, calibrate(239)), "--json")
    rows = {r["key"]: r for r in json.loads(out)["rows"]}
    assert code == 1 and rows["kdumptool"]["status"] == "differs"
    assert [r["key"] for r in json.loads(out)["rows"] if r["status"] == "differs"] == [
        "kdumptool"]


def test_supportconfig_stated_words_are_exact(capsys, tmp_path):
    path = supportconfig(tmp_path, calibrate(256), 'KDUMP_CRASHKERNEL="crashkernel=250M"')
    code, out, _ = run(capsys, "verify", path, "--json")
    row = next(r for r in json.loads(out)["rows"] if r["key"] == "kdumptool")
    assert code == 1 and row["status"] == "differs" and row["value"] == "crashkernel=250M"


def test_a_map_without_addresses_still_verifies_what_sysfs_says(capsys):
    # check refuses a map read without root; verify reads cmdline and sysfs all the same
    code, out, err = run(capsys, "verify", str(dump("29")), "--json")
    rows = {r["key"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and rows["reserved"]["value"] == "addresses hidden"
    assert run(capsys, "check", str(dump("29")))[0] == 2


def test_the_readme_example_is_what_verify_prints(capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ crashmap verify x86_64-laptop-zenbook\n")
    block = readme[start:readme.index("```", start)].splitlines()
    code, out, _ = run(capsys, *block[0].split()[2:])  # after "$ crashmap"
    assert code == 0
    shown = out.splitlines()
    for line in block[1:]:
        if line != "…":
            assert line in shown, line


def test_a_saved_snapshot_keeps_the_calibrate_output_and_its_check(capsys, tmp_path):
    (tmp_path / "sc").mkdir()
    report = supportconfig(tmp_path / "sc", calibrate(239))
    saved_to = str(tmp_path / "box.yaml")
    assert run(capsys, "snapshot", report, "-o", saved_to)[0] == 0
    code, out, _ = run(capsys, "verify", saved_to, "--json")
    row = next(r for r in json.loads(out)["rows"] if r["key"] == "kdumptool")
    # no sysconfig beside a snapshot file: KDUMP_CRASHKERNEL taken as auto, kdump's default
    assert code == 1 and row["status"] == "differs" and row["value"] == "crashkernel=239M"
