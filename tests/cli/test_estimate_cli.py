"""``crashmap estimate``: JSON shape, human output, what-if flags, exit codes (issue 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import crashmap.cli as cli
import pytest
from crashmap.snapshot import Snapshot, to_yaml

M, G = 1 << 20, 1 << 30
FIRECRACKER = "x86_64-vm-firecracker-6.18"


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch):
    """crashmap's main() with this subcommand registered (the lead registers it for real)."""
    monkeypatch.setattr(cli, "COMMANDS", {**cli.COMMANDS, "estimate": "estimate"})
    monkeypatch.setattr("crashmap.live.capture", _no_live)
    return cli.main


def _no_live(*args: object, **kwargs: object) -> None:
    raise AssertionError("a test tried to read the live machine")


def run_json(main, capsys, *argv: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["estimate", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_document(main, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run_json(main, capsys, FIRECRACKER, "--initrd", "40M", "--modules-size", "2M")
    assert code == 0
    assert out["arch"] == "x86_64" and out["source"] == f"map:{FIRECRACKER}"
    fedora = out["defaults"]["fedora"]
    assert fedora["table"] == "2G-64G:256M,64G-:512M" and fedora["bytes"] == 256 * M
    for entry in out["defaults"].values():
        assert isinstance(entry["table"], str) and isinstance(entry["bytes"], int)
    kdump = out["models"]["kdumpctl"]
    assert kdump["bytes"] == 256 * M and kdump["missing"] == []
    assert kdump["breakdown"]["initramfs × 3"] == 120 * M
    debian = out["models"]["debian"]
    assert debian["bytes"] is None and "boot_meminfo" in debian["missing"]
    assert debian["unknown"].startswith("unknown: needs")
    s = out["suggestion"]
    assert s["mode"] == "auto" and s["low"] is None and s["static"] == 192 * M and s["cma"] > 0
    assert s["words"] == ["crashkernel=192M", f"crashkernel={s['cma'] >> 20}M,cma"]
    assert s["outcome"] == "reserved" and s["placed"] is True
    assert "vmcore" in s["vmcore_loss"] and s["rationale"]
    assert s["placement"]["outcome"] == "reserved"
    assert out["spread"]["min"]["bytes"] <= out["spread"]["max"]["bytes"]
    assert out["spread"]["explanation"]
    assert out["fleet"]["crashkernel"].startswith("crashkernel=")
    assert out["inputs"]["initrd"] == {"value": 40 * M, "source": "given"}


def test_what_if_flags(main, capsys) -> None:  # type: ignore[no-untyped-def]
    _, base = run_json(main, capsys, FIRECRACKER, "--initrd", "40M", "--modules-size", "0")
    _, cpus = run_json(main, capsys, FIRECRACKER, "--initrd", "40M", "--modules-size", "0",
                       "--cpus", "64")
    assert cpus["models"]["suse"]["bytes"] > base["models"]["suse"]["bytes"]
    assert cpus["whatif"] == {"capture_cpus": 64}
    _, luks = run_json(main, capsys, FIRECRACKER, "--initrd", "40M", "--modules-size", "0",
                       "--luks", "1G", "--network", "--no-cma", "--ram", "64G")
    assert luks["models"]["kdumpctl"]["need"] == base["models"]["kdumpctl"]["need"] + G + 20 * M
    assert luks["ram"] == 64 * G and luks["defaults"]["fedora"]["bytes"] == 512 * M
    assert luks["suggestion"]["cma"] == 0 and "declined" in luks["suggestion"]["cma_reason"]
    _, unknown = run_json(main, capsys, FIRECRACKER, "--initrd", "40M", "--modules-size", "0",
                          "--luks")
    kdumpctl = unknown["models"]["kdumpctl"]
    assert kdumpctl["need"] == base["models"]["kdumpctl"]["need"] + G + 20 * M  # 1 GiB assumed
    assert any("keyslot memory is unknown" in note for note in kdumpctl["notes"])


def test_new_kernel_what_if_brings_cma(main, capsys) -> None:  # type: ignore[no-untyped-def]
    _, old = run_json(main, capsys, "demo")
    assert old["suggestion"]["cma"] == 0 and "predates" in old["suggestion"]["cma_reason"]
    _, new = run_json(main, capsys, "demo", "--kernel", "6.17.0", "--initrd", "40M")
    assert new["suggestion"]["cma"] > 0


def test_inputs_from_files(main, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    meminfo = tmp_path / "mem"
    meminfo.write_text("MemTotal: 16303400 kB\nMemFree: 15000000 kB\nBuffers: 20000 kB\n"
                       "Cached: 300000 kB\nSReclaimable: 40000 kB\n")
    conf = tmp_path / "calibrate.conf"
    conf.write_text("KERNEL_BASE=56404\nKERNEL_INIT=20292\nINIT_NET=0\nINIT_CACHED=32628\n"
                    "INIT_CACHED_NET=3072\nPERCPU=108\nPAGESIZE=4096\nSIZEOFPAGE=64\n"
                    "USER_BASE=30720\nUSER_NET=7168\n")
    code, out = run_json(main, capsys, "arm64-server-emag", "--kernel-file", "12M", "--initrd",
                         "60M", "--initrd-unpacked", "180M", "--boot-meminfo", str(meminfo),
                         "--calibrate-conf", str(conf), "--distro", "ubuntu")
    assert code == 0
    # Debian on arm64: 4 × 12 + 60 + 180 + 921 (early boot) MiB, no surplus off x86
    assert out["models"]["debian"]["bytes"] == (48 + 60 + 180 + 921) * M
    assert out["models"]["suse"]["bytes"] is not None
    assert out["machine_default"]["table"] == "ubuntu"


def test_human_output(main, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["estimate", FIRECRACKER, "--initrd", "40M", "--modules-size", "2M"]) == 0
    text = capsys.readouterr().out
    for heading in ("Inputs", "Distribution defaults", "Models", "Spread", "Suggested plan",
                    "Fleet"):
        assert f"\n{heading}" in text
    assert "crashkernel=192M crashkernel=" in text and "vmcore loses:" in text
    assert "initramfs × 3" in text and "unknown: needs" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["demo", "--ram", "12X"], "--ram: not a size"),
    (["no-such-map"], "no such file"),
    (["demo", "--page-size", "64K"], "4 KiB pages"),
    (["demo", "--cpus", "0"], "--cpus must be at least 1"),
    (["demo", "--boot-meminfo", "/nonexistent/mem"], "cannot read"),
    (["demo", "--arch", "vax"], "unknown architecture"),
])
def test_usage_errors_exit_2_with_one_line(main, capsys, argv: list[str],  # type: ignore[no-untyped-def]
                                           message: str) -> None:
    assert main(["estimate", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err


def test_unplaceable_suggestion_exits_1(main, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    iomem = ("00000000-3fffffff : System RAM\n"
             "  00000000-3bffffff : reserved\n"
             "  01000000-01ffffff : Kernel code\n")
    path = tmp_path / "tiny.yaml"
    path.write_text(to_yaml(Snapshot(iomem, arch="x86_64", kernel_release="6.18.0")))
    code = main(["estimate", str(path), "--initrd", "40M", "--modules-size", "0", "--json"])
    captured = capsys.readouterr()
    assert code == 1 and json.loads(captured.out)["suggestion"]["placed"] is False
    assert "cannot be placed" in captured.err


def test_headless_run_never_imports_textual_or_rich() -> None:
    script = (
        "import sys, io, contextlib\n"
        "import crashmap.cli as cli\n"
        "cli.COMMANDS['estimate'] = 'estimate'\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = cli.main(['estimate', '{FIRECRACKER}', '--json'])\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "print(code, bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "0 []"
