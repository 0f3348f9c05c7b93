"""Exported text read back: what the target would hand the kernel gives the plan's grammar result.

Shell formats are run by a real POSIX shell (``sh``) where that is safe (variable assignments
only); commands are split with ``shlex`` and their arguments read as the tool documents them.
"""

from __future__ import annotations

import shlex
import subprocess
import xml.etree.ElementTree as ET

import pytest
from crashmap.export import export
from crashmap.kernel.cmdline_edit import replace_crashkernel
from crashmap.kernel.grammar import CrashkernelResult, parse_crashkernel

G = 1 << 30
RAM = 16 * G
ARCHES = ("x86_64", "arm64", "ppc64le", "s390x")
CURRENT = "BOOT_IMAGE=/vmlinuz-6.18 root=/dev/vda1 ro crashkernel=256M quiet"
PLANS = [
    ("crashkernel=512M",),
    ("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M",),
    ("crashkernel=1G,high", "crashkernel=128M,low"),
    ("crashkernel=256M@16M",),
    ("crashkernel=256M", "crashkernel=1G,cma"),
]


def reading(result: CrashkernelResult) -> tuple[object, ...]:
    return (result.ok, result.crash_size, result.crash_base, result.low_size, result.high,
            result.cma_size, result.cma_kept, result.error)


def expected(words: tuple[str, ...], arch: str) -> tuple[object, ...]:
    return reading(parse_crashkernel(" ".join(words), RAM, arch))


def sh(script: str) -> str:
    return subprocess.run(["sh", "-c", script], check=True, capture_output=True,
                          text=True).stdout


def payload(text: str, prefix: str) -> str:
    (line,) = [line for line in text.splitlines() if line.startswith(prefix)]
    return line[len(prefix):]


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("words", PLANS)
def test_whole_line_formats(words: tuple[str, ...], arch: str) -> None:
    want = expected(words, arch)
    line = export("cmdline", words, CURRENT, arch, ram=RAM).text.rstrip("\n")
    assert reading(parse_crashkernel(line, RAM, arch)) == want
    options = payload(export("bls", words, CURRENT, arch, ram=RAM).text, "options ")
    assert reading(parse_crashkernel(options, RAM, arch)) == want
    parameters = payload(export("zipl", words, CURRENT, arch, ram=RAM).text, "parameters = ")
    assert parameters[0] == parameters[-1] == '"'
    assert reading(parse_crashkernel(parameters[1:-1], RAM, arch)) == want


@pytest.mark.parametrize("words", PLANS)
def test_grub_snippet_run_by_a_shell(words: tuple[str, ...]) -> None:
    # What update-grub does: source /etc/default/grub, then grub.d/*.cfg in order (Debian's
    # kdump-tools.cfg first), then put "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT" on the
    # kernel line.
    snippet = export("grub", words, CURRENT, "x86_64", ram=RAM).text
    script = "\n".join([
        'GRUB_CMDLINE_LINUX="root=/dev/vda1 crashkernel=auto"',
        'GRUB_CMDLINE_LINUX_DEFAULT="quiet crashkernel=1G,high"',
        'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"',
        snippet,
        'printf "%s\\n" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"',
    ])
    line = sh(script).rstrip("\n")
    assert reading(parse_crashkernel(line, RAM, "x86_64")) == expected(words, "x86_64")
    tokens = line.split()
    assert [t for t in tokens if t.startswith("crashkernel=")] == list(words)
    assert [t for t in tokens if not t.startswith("crashkernel=")] == ["root=/dev/vda1", "quiet"]


def test_grub_snippet_leaves_lookalikes() -> None:
    snippet = export("grub", ("crashkernel=512M",), CURRENT, "x86_64", ram=RAM).text
    line = sh('GRUB_CMDLINE_LINUX="xcrashkernel=3G ro"\nGRUB_CMDLINE_LINUX_DEFAULT='
              '"a.crashkernel=1G crashkernel=2G"\n' + snippet +
              'printf "%s" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"')
    assert line.split() == ["xcrashkernel=3G", "ro", "crashkernel=512M", "a.crashkernel=1G"]


def test_grub_snippet_no_reservation_strips_everything() -> None:
    snippet = export("grub", (), CURRENT, "x86_64", ram=RAM).text
    line = sh('GRUB_CMDLINE_LINUX="crashkernel=1G ro"\nGRUB_CMDLINE_LINUX_DEFAULT='
              '"crashkernel=2G quiet crashkernel=3G,cma"\n' + snippet +
              'printf "%s" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"')
    assert line.split() == ["ro", "quiet"]


@pytest.mark.parametrize("words", PLANS)
def test_suse_sysconfig_sourced_by_a_shell(words: tuple[str, ...]) -> None:
    text = export("suse-sysconfig", words, CURRENT, "x86_64", ram=RAM).text
    assert sh(text + 'printf "%s" "$KDUMP_CRASHKERNEL"') == " ".join(words)


def test_shell_quoting_survives_odd_words() -> None:
    # the simple syntax ignores what follows the offset (spec §2.4), so such a word is valid
    words = ("crashkernel=256M@16M$HOME`x`\"'",)
    assert parse_crashkernel(words[0], RAM, "x86_64").ok
    text = export("suse-sysconfig", words, CURRENT, "x86_64", ram=RAM).text
    assert sh(text + 'printf "%s" "$KDUMP_CRASHKERNEL"') == words[0]
    for fmt, option in (("grubby", "--args="), ("rpm-ostree", "--append=")):
        command = [line for line in export(fmt, words, CURRENT, "x86_64", ram=RAM).text
                   .splitlines() if not line.startswith("#")][0]
        assert option + words[0] in shlex.split(command)
    snippet = export("grub", words, CURRENT, "x86_64", ram=RAM).text
    line = sh('GRUB_CMDLINE_LINUX=""\nGRUB_CMDLINE_LINUX_DEFAULT=""\n' + snippet
              + 'printf "%s" "$GRUB_CMDLINE_LINUX"')
    assert line.split() == list(words)


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("words", PLANS)
def test_command_formats_apply_the_plan(words: tuple[str, ...], arch: str) -> None:
    """grubby: the entry keeps the other args, loses --remove-args, gains --args; rpm-ostree:
    loses each --delete-if-present value and gains each --append (both documented tools)."""
    want = expected(words, arch)
    old = "root=/dev/vda1 ro crashkernel=256M quiet"
    for fmt in ("grubby", "rpm-ostree"):
        text = export(fmt, words, CURRENT, arch, ram=RAM).text
        argv = [a for line in text.splitlines() if line.startswith(("grubby", "rpm-ostree"))
                for a in shlex.split(line)]
        args = [a.split("=", 1)[1] for a in argv
                if a.startswith(("--args=", "--append="))]
        gone = [a.split("=", 1)[1] for a in argv
                if a.startswith(("--remove-args=", "--delete-if-present="))]
        kept = old.split()
        for word in " ".join(gone).split():
            kept.remove(word)
        added = " ".join(args).split()
        if fmt == "grubby":  # --args repeats the words already there; they are replaced
            kept = [w for w in kept if w not in added]
        applied = " ".join(kept + added)
        assert reading(parse_crashkernel(applied, RAM, arch)) == want


@pytest.mark.parametrize("words", PLANS)
def test_installer_formats_carry_the_words(words: tuple[str, ...]) -> None:
    text = export("autoyast", words, CURRENT, "x86_64", ram=RAM).text
    profile = ET.fromstring('<profile xmlns:config="http://www.suse.com/1.0/configns">'
                            f"{text}</profile>")
    entries = [e.text or "" for e in profile.iter("listentry")]
    assert tuple(f"crashkernel={v}" for v in entries) == words
    text = export("kickstart", words, CURRENT, "x86_64", ram=RAM).text
    if "--reserve-mb=" in text:  # the add-on writes crashkernel=<N>M (installation.py)
        size = text.split("--reserve-mb=")[1].split()[0]
        carried: tuple[str, ...] = (f"crashkernel={size}M",)
    else:
        (line,) = [line for line in text.splitlines()
                   if line.startswith("grubby") and "--args=" in line]
        carried = tuple(shlex.split(line)[2].removeprefix("--args=").split())
    got = reading(parse_crashkernel(replace_crashkernel(CURRENT, carried), RAM, "x86_64"))
    assert got == expected(words, "x86_64")


@pytest.mark.parametrize("fmt", ["cmdline", "bls", "zipl", "grubby", "kickstart"])
def test_a_lookalike_before_a_high_plan_is_flagged(fmt: str) -> None:
    """spec §2.7: any plain word, even one read out of 'xcrashkernel=3G', disables ,high and
    ,low. The parameter is not ours to touch, so the export says what the kernel will do."""
    current = "root=/dev/vda1 xcrashkernel=3G crashkernel=256M"
    result = export(fmt, PLANS[2], current, "x86_64", ram=RAM)
    assert result.new is not None and (result.new.crash_size, result.new.high) == (3 * G, False)
    assert ("on the new command line the kernel gets 3 GiB, not the plan's 1 GiB,high + "
            "128 MiB low: see the look-alike parameters above") in result.warnings
