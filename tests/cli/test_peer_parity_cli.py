"""Issue 13 §2 "Smaller" from the command line: ``cmdline --add`` (kdumpctl ``_crashkernel_add``),
the bare ``crashkernel`` and range-with-no-start lints, and Anaconda's installer bounds in
``check``.

Sources: rhkdump/kdump-utils ``spec/kdump-lib_spec.sh`` ``Describe "_crashkernel_add()"``
(63f248c94a4a): ``foo`` + 1 and 1 + ``bar`` fail with no output, ``1099511627776`` + 0 is
``1T``, ``1G-4G:256M`` + 100 is ``1G-4G:268435556``; kernel/crash_reserve.c
``get_last_crashkernel()`` and ``parse_crashkernel_mem()``; rhinstaller/kdump-anaconda-addon
``com_redhat_kdump/common.py`` ``getMemoryBounds`` (400359b2).
"""

from __future__ import annotations

import json

import pytest
from crashmap.cli import main

G = 1 << 30


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("line", "delta", "bad"), [
    ("ro crashkernel=foo", "1", "'foo'"),
    ("ro crashkernel=256M", "bar", "'bar'"),
    ("crashkernel=1G-4G:256M.4G-64G:320M", "100M", "is not a size"),
])
def test_add_refuses_junk_in_one_line(capsys, line: str, delta: str, bad: str) -> None:
    code, out, err = run(capsys, "cmdline", line, "--arch", "x86_64", "--ram", "16G",
                         "--add", delta)
    assert code == 2 and out == ""  # kdumpctl: "The output should equal ''", failure
    assert err.count("\n") == 1 and err.startswith("crashmap: --add: ")
    assert bad in err and "1foo" not in err


@pytest.mark.parametrize(("line", "delta", "word"), [
    ("ro crashkernel=1099511627776 quiet", "0", "crashkernel=1T"),
    ("crashkernel=1G-4G:256M", "100", "crashkernel=1G-4G:268435556"),
    ("crashkernel=1M@1G", "1k", "crashkernel=1025K@1G"),
    ("crashkernel=500M@1G", "-100m", "crashkernel=400M@1G"),
    ("crashkernel=1G-4G:1G,4G-64G:2G,64G-:3G@4G", "100M",
     "crashkernel=1G-4G:1124M,4G-64G:2148M,64G-:3172M@4G"),
])
def test_add_writes_sums_in_the_largest_exact_unit(capsys, line: str, delta: str,
                                                   word: str) -> None:
    code, out, _ = run(capsys, "cmdline", line, "--arch", "x86_64", "--ram", "2T",
                       f"--add={delta}", "--json")
    data = json.loads(out)
    assert [w["word"] for w in data["words_used"]] == [word]
    assert data["cmdline"].split(" ") == [word if w.startswith("crashkernel=") else w
                                          for w in line.split(" ")]
    _, text, _ = run(capsys, "cmdline", line, "--arch", "x86_64", "--ram", "2T",
                     f"--add={delta}")
    assert f"'{word}'" in text
    assert text.splitlines()[0] == f"after --add {delta}: " + " ".join(
        word if w.startswith("crashkernel=") else w for w in line.split(" "))


def test_add_is_refused_with_batch(capsys) -> None:
    code, out, err = run(capsys, "cmdline", "--batch", "--add", "64M")
    assert code == 2 and out == "" and "--add" in err and err.count("\n") == 1


def test_cmdline_lints_a_bare_word_and_a_range_with_no_start(capsys) -> None:
    code, out, _ = run(capsys, "cmdline", "ro crashkernel crashkernel=-512M:64M", "--arch",
                       "x86_64", "--ram", "256M", "--json")
    data = json.loads(out)
    lints = {lint["code"]: lint for lint in data["lint"]}
    assert lints["bare-crashkernel"]["severity"] == "warning"
    assert lints["bare-crashkernel"]["word_start"] == 3
    assert lints["range-missing-start"]["severity"] == "error"
    assert "write '0-512M:64M'" in lints["range-missing-start"]["message"]
    assert data["error"] == "crashkernel: Memory value expected"  # the kernel's own words
    assert code == 1
    code, out, _ = run(capsys, "cmdline", "crashkernel=0-512M:64M", "--arch", "x86_64",
                       "--ram", "256M", "--json")
    assert code == 0 and json.loads(out)["crash_size"] == 64 << 20


def test_check_reports_both_lints(capsys) -> None:
    code, out, _ = run(capsys, "check", "x86_64-vm-qemu-3g", "--cmdline",
                       "ro crashkernel crashkernel=-512M:64M", "--json")
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    assert found["cmdline-bare-crashkernel"]["severity"] == "warning"
    assert "write '0-512M:64M'" in found["cmdline-range-missing-start"]["message"]
    assert code == 1


@pytest.mark.parametrize(("source", "cmdline", "said"), [
    ("arm64-vm-qemu-virt", "crashkernel=256M", "below its minimum: it allows 512-"),
    ("arm64-vm-qemu-virt", "crashkernel=512M", None),
    ("x86_64-vm-firecracker-6.18", "crashkernel=159M", "below its minimum: it allows 160-23593"),
    ("x86_64-vm-firecracker-6.18", "crashkernel=23593M", None),
    ("x86_64-vm-firecracker-6.18", "crashkernel=23594M", "above its maximum: it allows 160-23593"),
    ("x86_64-vm-firecracker-6.18", "crashkernel=256M,high", None),
    ("s390x-vm-kvm-2g", "crashkernel=128M", "below its minimum: it allows 160-"),
    ("loongarch64-machine", "crashkernel=64M", None),  # not an arch Anaconda installs
])
def test_check_reports_the_installer_bounds(capsys, source: str, cmdline: str,
                                            said: str | None) -> None:
    """Firecracker's MemTotal is 24684100 kB: floor(24684100 / 1024) - 512 = 23593 MiB."""
    code, out, _ = run(capsys, "check", source, "--cmdline", cmdline, "--json")
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    if said is None:
        assert "installer-bounds" not in found
    else:
        assert said in found["installer-bounds"]["message"]
        assert found["installer-bounds"]["severity"] == "info"
