"""A current command line with ``--``: every export format puts the plan in front of it.

``parse_args()`` (kernel/params.c) stops at ``--`` and init/main.c hands the rest to init; a
Linux 7.3.4 boot (tests/data/kernel-oracle) with ``quiet -- single crashkernel=256M`` showed both
halves of that: ``Run /init ... with arguments: /init nokaslr single crashkernel=256M`` *and*
``crashkernel reserved: ... (256 MB)`` (get_last_crashkernel() searches the whole line). So a word
after ``--`` reaches init, and an old one left there would still override the plan.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from crashmap.export import FORMATS, export
from crashmap.kernel.cmdline_edit import init_args_start

RAM = 16 << 30
CURRENT = "BOOT_IMAGE=/vmlinuz root=/dev/sda2 ro quiet -- single"
WITH_OLD = "BOOT_IMAGE=/vmlinuz root=/dev/sda2 ro -- single crashkernel=1G"
PLAN = ("crashkernel=256M", "crashkernel=1G,cma")


def _split(line: str) -> tuple[list[str], list[str]]:
    """The kernel's words and init's words of ``line``."""
    separator = init_args_start(line)
    return line[:separator].split(), line[separator:].split()[1:]


@pytest.mark.parametrize("current", [CURRENT, WITH_OLD])
def test_the_new_line_has_the_plan_before_dashes(current: str) -> None:
    result = export("cmdline", PLAN, current, "x86_64", ram=RAM)
    kernel, init = _split(result.new_cmdline)
    before = [w for w in _split(current)[0] if not w.startswith("crashkernel=")]
    assert kernel == [*before, *PLAN]
    assert init == ["single"]
    assert result.text == result.new_cmdline + "\n"


def test_an_old_word_after_dashes_is_removed_and_said() -> None:
    result = export("cmdline", PLAN, WITH_OLD, "x86_64", ram=RAM)
    assert any("'crashkernel=1G' stands after '--'" in w for w in result.warnings)
    assert [w.text for w in result.diff.removed] == ["crashkernel=1G"]


@pytest.mark.parametrize(("fmt", "prefix"), [("bls", "options "), ("zipl", "parameters = ")])
def test_whole_line_formats(fmt: str, prefix: str) -> None:
    result = export(fmt, PLAN, CURRENT, "s390x" if fmt == "zipl" else "x86_64", ram=RAM)
    line = next(x for x in result.text.splitlines() if x.startswith(prefix))[len(prefix):]
    kernel, init = _split(line.strip('"'))
    assert kernel == ["root=/dev/sda2", "ro", "quiet", *PLAN] and init == ["single"]


def test_json_carries_the_same_line() -> None:
    result = export("json", PLAN, CURRENT, "x86_64", ram=RAM)
    assert result.data is not None
    assert result.data["new_cmdline"] == export("cmdline", PLAN, CURRENT, "x86_64",
                                                ram=RAM).new_cmdline
    assert _split(result.data["new_cmdline"])[1] == ["single"]


GRUB_CASES = [
    # GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT: grub-mkconfig writes "LINUX DEFAULT"
    ("root=/dev/sda2 ro -- single", "quiet"),
    ("root=/dev/sda2 ro crashkernel=2G", "quiet -- single crashkernel=1G"),
    ("root=/dev/sda2 ro", "quiet"),
    ("", "-- single"),
]


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX sh")
@pytest.mark.parametrize(("linux", "default"), GRUB_CASES)
def test_grub_snippet_in_a_real_shell(linux: str, default: str) -> None:
    """Source the snippet as update-grub does, then build the kernel lines as grub-mkconfig's
    10_linux does: ``${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}`` for the normal entry,
    ``single ${GRUB_CMDLINE_LINUX}`` for recovery. On both, the plan is among the kernel's
    words and every other word stays on its side of ``--``."""
    snippet = export("grub", PLAN, CURRENT, "x86_64", ram=RAM).text
    script = (f"GRUB_CMDLINE_LINUX='{linux}'\nGRUB_CMDLINE_LINUX_DEFAULT='{default}'\n{snippet}"
              'printf "%s\\n" "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"\n'
              'printf "%s\\n" "single $GRUB_CMDLINE_LINUX"\n')
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    normal, recovery = done.stdout.splitlines()
    for line, parts in ((normal, [linux, default]), (recovery, ["single", linux])):
        kernel, init = _split(line)
        others = [w for w in " ".join(parts).split() if not w.startswith("crashkernel=")]
        expect_kernel, expect_init = _split(" ".join(others))
        assert [w for w in kernel if w.startswith("crashkernel=")] == list(PLAN), line
        assert [w for w in kernel if not w.startswith("crashkernel=")] == expect_kernel, line
        assert init == expect_init, line


@pytest.mark.parametrize("fmt", ["grubby", "rpm-ostree"])
def test_tools_that_append_say_where_the_words_land(fmt: str) -> None:
    warned = export(fmt, PLAN, CURRENT, "x86_64", ram=RAM).warnings
    assert any("has '--'" in w and "init gets it" in w for w in warned), warned
    plain = export(fmt, PLAN, "root=/dev/sda2 ro quiet", "x86_64", ram=RAM).warnings
    assert not any("has '--'" in w for w in plain)


def test_grubby_replacing_a_word_before_dashes_is_fine() -> None:
    """grubby replaces the first crashkernel= it finds in place (grubby-bls update_args: sed
    ``s,$key=[^ ]*,$key=$value,``), so one word before ``--`` stays before it."""
    warned = export("grubby", ("crashkernel=256M",), "ro crashkernel=1G -- single", "x86_64",
                    ram=RAM).warnings
    assert not any("has '--'" in w for w in warned)


def test_every_format_was_looked_at() -> None:
    covered = {"cmdline", "bls", "zipl", "json", "grub", "grubby", "rpm-ostree"}
    carries_no_line = {"kickstart", "autoyast", "suse-sysconfig"}  # only the words
    assert covered | carries_no_line == set(FORMATS)
