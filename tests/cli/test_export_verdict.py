"""``export`` applies ``check``'s verdict (the same function): a plan that fails on the map is
not printed (exit 1, one line on stderr) unless ``--force``; a plan that passes prints (exit 0).
"""

from __future__ import annotations

import json

import pytest
from crashmap.cli import main
from crashmap.export import export, plan_words
from crashmap.sources import load_source

ZENBOOK = "x86_64-laptop-zenbook"

PLANS = [
    "crashkernel=256M",
    "crashkernel=512M@3x",        # misaligned base: the kernel fails with 'memory is in use'
    "crashkernel=256M@16M",       # aligned, but on this map the kernel image is there
    "crashkernel=1G,high crashkernel=128M,low",
    "crashkernel=64G",            # larger than RAM
    "crashkernel=256M crashkernel=1G,cma",
    "crashkernel=1G-4G:192M,4G-:384M",
]
MAPS = ["x86_64-laptop-zenbook", "arm64-vm-qemu-virt", "s390x-vm-kvm-2g",
        "x86_64-vm-qemu-3g"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("source", MAPS)
@pytest.mark.parametrize("plan", PLANS)
def test_export_refuses_exactly_what_check_fails(source: str, plan: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = load_source(source)
    new_line = export("cmdline", plan_words(plan), snapshot.cmdline, None,
                      snapshot=snapshot).new_cmdline
    check_code, _, _ = _run(capsys, "check", source, "--cmdline", new_line)
    code, out, err = _run(capsys, "export", source, "--words", plan, "-f", "cmdline")
    assert check_code in (0, 1)
    assert code == check_code, err
    if code == 1:
        assert out == ""
        lines = err.splitlines()
        assert "fails `crashmap check` on this map" in lines[-1]
        assert all(line.startswith("crashmap: ") for line in lines)  # diagnostics, one a line
        forced, out, err = _run(capsys, "export", source, "--words", plan, "-f", "cmdline",
                                "--force")
        assert forced == 0 and out == new_line + "\n"
        assert "printed anyway (--force)" in err
    else:
        assert out == new_line + "\n"


def test_the_misaligned_base_of_the_issue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "export", ZENBOOK, "--cmdline", "crashkernel=512M@3x",
                          "-f", "cmdline")
    assert (code, out) == (1, "")
    assert "not aligned to 16 MiB" in err and "--force" in err


def test_json_carries_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "export", ZENBOOK, "--words", "crashkernel=512M@3x", "-f",
                        "json", "--force")
    assert code == 0
    check = json.loads(out)["check"]
    assert check["ok"] is False and check["outcome"] == "failed"
    assert [e["code"] for e in check["errors"]][:1] == ["fixed-base-misaligned"]
    code, out, _ = _run(capsys, "export", ZENBOOK, "--words", "crashkernel=256M", "-f", "json")
    assert code == 0 and json.loads(out)["check"]["ok"] is True


def test_the_domain_result_has_the_verdict() -> None:
    """The TUI's export screen asks the same function: the result carries the verdict."""
    snapshot = load_source(ZENBOOK)
    failing = export("grubby", ("crashkernel=512M@3x",), None, None, snapshot=snapshot)
    assert failing.verdict is not None and not failing.verdict.ok
    assert failing.failure is not None and "not aligned" in failing.failure
    passing = export("grubby", ("crashkernel=256M",), None, None, snapshot=snapshot)
    assert passing.verdict.ok and passing.failure is None
