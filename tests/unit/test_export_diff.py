"""The whole-command-line diff and the promise behind it: only crashkernel= words change."""

from __future__ import annotations

import pytest
from crashmap.export import cmdline_diff, diff_words, export
from crashmap.kernel.cmdline_edit import crashkernel_spans
from crashmap.kernel.grammar import parse_crashkernel
from hypothesis import given
from hypothesis import strategies as st

G = 1 << 30


def test_diff_marks_the_changed_words() -> None:
    text = cmdline_diff("ro crashkernel=256M quiet",
                        "ro crashkernel=1G,high crashkernel=128M,low quiet")
    assert text.splitlines() == [
        "--- current kernel command line",
        "+++ new kernel command line",
        "-ro crashkernel=256M quiet",
        "    ^^^^^^^^^^^^^^^^",
        "+ro crashkernel=1G,high crashkernel=128M,low quiet",
        "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "removed: crashkernel=256M",
        "added:   crashkernel=1G,high crashkernel=128M,low",
    ]


def test_diff_only_additions_and_only_removals() -> None:
    assert cmdline_diff("ro quiet", "ro quiet crashkernel=512M").splitlines()[2:] == [
        "-ro quiet", "+ro quiet crashkernel=512M", "          ^^^^^^^^^^^^^^^^",
        "added:   crashkernel=512M"]
    assert cmdline_diff("crashkernel=512M ro", "ro").splitlines()[2:] == [
        "-crashkernel=512M ro", " ^^^^^^^^^^^^^^^^", "+ro", "removed: crashkernel=512M"]


def test_unchanged_line() -> None:
    assert cmdline_diff("ro quiet", "ro quiet") == "unchanged kernel command line:\n ro quiet"


def test_control_characters_are_escaped_and_marks_stay_aligned() -> None:
    lines = cmdline_diff("ro\tcrashkernel=1G", "ro\tcrashkernel=2G").splitlines()
    assert lines[2:6] == ["-ro\\tcrashkernel=1G", "     ^^^^^^^^^^^^^^",
                          "+ro\\tcrashkernel=2G", "     ^^^^^^^^^^^^^^"]


def test_long_lines_fold_after_a_space_with_their_marks() -> None:
    current = "root=/dev/sda2 ro quiet splash crashkernel=256M loglevel=3 audit=0"
    new = current.replace("crashkernel=256M", "crashkernel=512M")
    lines = cmdline_diff(current, new, width=32).splitlines()
    assert lines[2:8] == [
        "-root=/dev/sda2 ro quiet splash",
        "-crashkernel=256M loglevel=3",
        " ^^^^^^^^^^^^^^^^",
        "-audit=0",
        "+root=/dev/sda2 ro quiet splash",
        "+crashkernel=512M loglevel=3",
    ]
    # folding never loses a byte: the pieces of each side join back into the line
    minus = "".join(line[1:] + " " for line in lines if line.startswith("-") and
                    not line.startswith("---"))
    assert minus.strip() == current


def test_diff_words_structured() -> None:
    diff = diff_words("a crashkernel=1G b crashkernel=2G,cma c", "a crashkernel=3G b c")
    assert [(w.start, w.end, w.text) for w in diff.removed] == [
        (2, 16, "crashkernel=1G"), (19, 37, "crashkernel=2G,cma")]
    assert [(w.start, w.end, w.text) for w in diff.added] == [(2, 16, "crashkernel=3G")]
    assert diff.as_dict() == {"removed": ["crashkernel=1G", "crashkernel=2G,cma"],
                              "added": ["crashkernel=3G"]}
    assert diff.changed
    assert not diff_words("a b", "a b").changed


def test_diff_keeps_repeated_words_in_order() -> None:
    diff = diff_words("x y x y", "x x y")
    assert len(diff.removed) == 1 and len(diff.added) == 0


# -- the promise: every other byte survives ---------------------------------------------------

OTHER = st.sampled_from([
    "ro", "quiet", "root=/dev/sda1", "BOOT_IMAGE=/vmlinuz", "a=b:c", "console=ttyS0,115200n8",
    "rd.luks.uuid=8a53", "cma=1G", "init=/bin/sh", "x=crashkernel", "foo.bar=1", "crashkernelx",
])
OLD_WORDS = st.sampled_from(["crashkernel=128M", "crashkernel=1G,high", "crashkernel=auto",
                             "crashkernel=256M,low", "crashkernel=512M,cma"])
NEW_WORDS = st.lists(st.sampled_from(["crashkernel=384M", "crashkernel=2G,high",
                                      "crashkernel=64M,low", "crashkernel=1G,cma"]),
                     max_size=3, unique=True)
SEP = st.sampled_from([" ", "  ", "   "])


@given(st.lists(st.tuples(st.one_of(OTHER, OLD_WORDS), SEP), max_size=10), NEW_WORDS,
       st.sampled_from(["", " ", "  "]))
def test_other_parameters_survive_exactly(parts: list[tuple[str, str]], words: list[str],
                                          lead: str) -> None:
    current = lead + "".join(p + s for p, s in parts)
    result = export("cmdline", words, current, "x86_64", ram=16 * G)
    new = result.new_cmdline
    others = [p for p, _ in parts if not p.startswith("crashkernel=")]
    assert [t for t in new.split() if not t.startswith("crashkernel=")] == others
    assert [t for t in new.split() if t.startswith("crashkernel=")] == words
    spans = crashkernel_spans(current)
    if spans and words:
        first, last = spans[0][0], spans[-1][1]
        assert new[:first] == current[:first]  # everything before: byte-identical
        assert new.endswith(current[last:])  # everything after: byte-identical
    elif not spans:
        assert new.startswith(current.rstrip(" ")) if words else new == current
    old = [p for p, _ in parts if p.startswith("crashkernel=")]
    assert result.diff.as_dict() == {"removed": old, "added": words}
    assert result.text == new + "\n"
    # the kernel reads the new line as it reads the words alone
    assert (parse_crashkernel(new, 16 * G, "x86_64").crash_size
            == parse_crashkernel(" ".join(words), 16 * G, "x86_64").crash_size)


@pytest.mark.parametrize("lookalike", ["xcrashkernel=2G", "foo.crashkernel=2G",
                                       'opt="crashkernel=2G"', "a=crashkernel=2G"])
def test_lookalikes_are_left_alone_but_warned(lookalike: str) -> None:
    current = f"ro {lookalike} crashkernel=256M quiet"
    result = export("cmdline", ("crashkernel=512M",), current, "x86_64", ram=16 * G)
    assert result.new_cmdline == f"ro {lookalike} crashkernel=512M quiet"
    (warning,) = [w for w in result.warnings if "raw substring search" in w]
    assert repr(lookalike) in warning
    # the plan's word comes last, so the kernel still gets the plan here
    assert not any("not the plan's" in w for w in result.warnings)


def test_lookalike_after_the_words_changes_what_the_kernel_gets() -> None:
    current = "ro crashkernel=256M quiet foo.crashkernel=2G"
    result = export("cmdline", ("crashkernel=512M",), current, "x86_64", ram=16 * G)
    assert result.new_cmdline == "ro crashkernel=512M quiet foo.crashkernel=2G"
    assert result.new is not None and result.new.crash_size == 2 * G
    assert ("on the new command line the kernel gets 2 GiB, not the plan's 512 MiB: see the "
            "look-alike parameters above") in result.warnings
    assert any("'foo.crashkernel=2G' is left as it is" in w for w in result.warnings)


def test_lookalike_warning_needs_no_ram() -> None:
    result = export("grubby", ("crashkernel=512M",), "ro xcrashkernel=1G", "x86_64")
    assert any("'xcrashkernel=1G' is left as it is" in w for w in result.warnings)
