"""The grub.d snippet puts the plan where the boot loader's peers put it: ``GRUB_CMDLINE_LINUX``.

Sources (each case below is theirs, not crashmap's output):

- GNU GRUB ``util/grub.d/10_linux.in``: the normal entry gets
  ``"${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}"``, the recovery entry
  ``"single ${GRUB_CMDLINE_LINUX}"`` (Debian/Ubuntu: ``"${GRUB_CMDLINE_LINUX_RECOVERY}
  ${GRUB_CMDLINE_LINUX}"``): a word only in ``GRUB_CMDLINE_LINUX_DEFAULT`` is lost in recovery.
- kdump-utils ``spec/kdumpctl_general_spec.sh``,
  ``Describe '_update_kernel_arg_in_grub_etc_default()'``: ``GRUB_CMDLINE_LINUX`` with the old word first, in the middle, last or absent, updated to
  ``crashkernel=333M``: "the updated kernel parameter should appear in the end"; several
  crashkernel= words: none of the old ones stays; ``ckcrashkernel=222M`` (the name as a suffix)
  is left alone; removing (no value) "should remove all values for given arg".
- Debian kdump-tools' ``/etc/default/grub.d/kdump-tools.cfg``:
  ``GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"``, read
  before crashmap's ``zz-`` file.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from crashmap.export import export
from crashmap.kernel.grammar import parse_crashkernel

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX sh")

RAM = 16 << 30
KDUMP_TOOLS_CFG = 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"'


def update_grub(linux: str, default: str, words: tuple[str, ...],
                current: str = "ro quiet") -> tuple[str, str, str]:
    """``(GRUB_CMDLINE_LINUX, normal entry, recovery entry)`` after /etc/default/grub, Debian's
    kdump-tools.cfg and crashmap's snippet are sourced in that order, as grub-mkconfig does."""
    snippet = export("grub", words, current, "x86_64", ram=RAM).text
    script = "\n".join([
        f"GRUB_CMDLINE_LINUX='{linux}'", f"GRUB_CMDLINE_LINUX_DEFAULT='{default}'",
        KDUMP_TOOLS_CFG, snippet,
        'printf "%s\\n" "$GRUB_CMDLINE_LINUX"',
        'printf "%s\\n" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"',
        'printf "%s\\n" "single $GRUB_CMDLINE_LINUX"',
    ])
    out = subprocess.run(["sh", "-c", script], check=True, capture_output=True, text=True).stdout
    linux_after, normal, recovery = out.splitlines()
    return linux_after, normal, recovery


@pytest.mark.parametrize("linux", [
    "crashkernel=222M fadump=on rhgb quiet",
    " fadump=on crashkernel=222M rhgb quiet",
    "fadump=on rhgb quiet crashkernel=222M",
    "fadump=on rhgb quiet",
])
def test_kdumpctl_positions_the_word_ends_grub_cmdline_linux(linux: str) -> None:
    after, _, _ = update_grub(linux, "splash", ("crashkernel=333M",))
    assert after.split()[-1] == "crashkernel=333M"
    assert after.split() == ["fadump=on", "rhgb", "quiet", "crashkernel=333M"]


def test_kdumpctl_several_old_words_none_stays() -> None:
    after, _, _ = update_grub("fadump=on rhgb quiet crashkernel=101M crashkernel=222M", "",
                              ("crashkernel=1G-4G:192M,4G-64G:256M,64G-102400T:512M",))
    assert "crashkernel=222M" not in after.split() and "crashkernel=101M" not in after.split()
    assert after.split()[-1] == "crashkernel=1G-4G:192M,4G-64G:256M,64G-102400T:512M"


def test_kdumpctl_a_name_suffix_is_left_alone() -> None:
    after, _, _ = update_grub("fadump=on rhgb quiet ckcrashkernel=222M", "",
                              ("crashkernel=1G-4G:192M,4G-64G:256M,64G-102400T:512M",))
    assert after.split() == ["fadump=on", "rhgb", "quiet", "ckcrashkernel=222M",
                             "crashkernel=1G-4G:192M,4G-64G:256M,64G-102400T:512M"]


def test_kdumpctl_removing_takes_every_value() -> None:
    after, normal, recovery = update_grub("crashkernel=33M crashkernel=11M fadump=on "
                                          "crashkernel=222M", "", ())
    assert after.split() == ["fadump=on"]
    assert "crashkernel=" not in normal and "crashkernel=" not in recovery


@pytest.mark.parametrize("words", [
    ("crashkernel=512M",),
    ("crashkernel=1G,high", "crashkernel=128M,low"),
    ("crashkernel=2G-64G:256M,64G-:512M",),
])
def test_recovery_entry_gets_the_plan(words: tuple[str, ...]) -> None:
    """The bug: with the plan only in GRUB_CMDLINE_LINUX_DEFAULT, 10_linux's recovery entry
    had no crashkernel= at all (and kdump-tools' word was stripped from the normal one)."""
    _, normal, recovery = update_grub("root=/dev/vda1 ro", "quiet splash", words)
    want = parse_crashkernel(" ".join(words), RAM, "x86_64")
    for line in (normal, recovery):
        assert [w for w in line.split() if w.startswith("crashkernel=")] == list(words), line
        got = parse_crashkernel(line, RAM, "x86_64")
        assert (got.ok, got.crash_size, got.low_size) == (want.ok, want.crash_size,
                                                         want.low_size)
    assert recovery.split()[:3] == ["single", "root=/dev/vda1", "ro"]
    assert normal.split()[-2:] == ["quiet", "splash"]


@pytest.mark.parametrize(("linux", "default"), [
    ("root=/dev/vda1 ro -- single", "quiet"),
    ("root=/dev/vda1 ro", "quiet -- single"),
    ("-- single", "quiet"),
])
def test_with_dashes_no_word_crosses_them(linux: str, default: str) -> None:
    """kernel/params.c parse_args() stops at ``--``; the rest goes to init. On the normal and
    the recovery entry the plan stands before the first ``--`` and the init words after it."""
    words = ("crashkernel=256M", "crashkernel=1G,cma")
    _, normal, recovery = update_grub(linux, default, words, current="ro quiet -- single")
    for line, parts in ((normal, f"{linux} {default}"), (recovery, f"single {linux}")):
        tokens = line.split()
        cut = tokens.index("--") if "--" in tokens else len(tokens)
        expected = parts.split()
        expected_cut = expected.index("--") if "--" in expected else len(expected)
        assert [w for w in tokens[:cut] if not w.startswith("crashkernel=")] == \
            expected[:expected_cut], line
        assert [w for w in tokens[:cut] if w.startswith("crashkernel=")] == list(words), line
        assert tokens[cut:] == expected[expected_cut:], line
