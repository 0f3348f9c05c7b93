"""cmdline_edit: swap the crashkernel= parameters, keep every other byte."""

from __future__ import annotations

import pytest
from crashmap.kernel.cmdline_edit import crashkernel_spans, replace_crashkernel
from crashmap.kernel.grammar import parse_crashkernel
from hypothesis import given
from hypothesis import strategies as st

NEW = ("crashkernel=1G,high", "crashkernel=0,low")


@pytest.mark.parametrize(
    ("before", "words", "after"),
    [
        ("ro quiet", NEW, "ro quiet crashkernel=1G,high crashkernel=0,low"),
        ("ro quiet\n", ("crashkernel=256M",), "ro quiet crashkernel=256M\n"),  # newline kept
        ("", ("crashkernel=256M",), "crashkernel=256M"),
        ("ro crashkernel=auto  quiet", ("crashkernel=256M",), "ro crashkernel=256M  quiet"),
        ("crashkernel=128M ro crashkernel=1G,high\tquiet", ("crashkernel=256M",),
         "crashkernel=256M ro\tquiet"),
        ("ro crashkernel=128M quiet", (), "ro quiet"),
        ("crashkernel=128M  ro", (), "ro"),
        ("crashkernel=1G crashkernel=2G rest", (), "rest"),
        ("a  crashkernel=1G crashkernel=2G  b", ("crashkernel=3G",), "a  crashkernel=3G  b"),
        ("ro quiet", (), "ro quiet"),
        # spec §2.2: only a space ends a word, so a space goes before a following tab
        ("ro\t", ("crashkernel=256M",), "ro crashkernel=256M \t"),
        ("crashkernel=128M\tro", ("crashkernel=256M",), "crashkernel=256M \tro"),
        ("ro crashkernel=128M\n", ("crashkernel=256M",), "ro crashkernel=256M\n"),
        # look-alikes belong to other parameters: left alone (the linter reports them)
        ("xcrashkernel=1G ro", ("crashkernel=256M",), "xcrashkernel=1G ro crashkernel=256M"),
    ],
)
def test_replace(before: str, words: tuple[str, ...], after: str) -> None:
    assert replace_crashkernel(before, words) == after


def test_spans() -> None:
    assert crashkernel_spans("ro crashkernel=1G\txcrashkernel=2 crashkernel=3") == [
        (3, 17), (33, 46)]


PARAMS = st.sampled_from(["ro", "quiet", "root=/dev/sda1", "crashkernel=128M",
                          "crashkernel=1G,high", "crashkernel=auto", "a=b:c"])
SEPS = st.sampled_from([" ", "  ", "\t"])


@given(st.lists(st.tuples(PARAMS, SEPS), max_size=8))
def test_only_crashkernel_parameters_change(parts: list[tuple[str, str]]) -> None:
    line = "".join(p + s for p, s in parts)
    edited = replace_crashkernel(line, ("crashkernel=256M",))
    others = [p for p, _ in parts if not p.startswith("crashkernel=")]
    assert edited.split() == [p for p in edited.split() if p in others or p == "crashkernel=256M"]
    assert [p for p in edited.split() if p != "crashkernel=256M"] == others
    assert edited.split().count("crashkernel=256M") == 1
    result = parse_crashkernel(edited, 16 << 30, "x86_64")
    assert result.ok and result.crash_size == 256 << 20
