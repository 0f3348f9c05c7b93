"""cmdline_edit: swap the crashkernel= parameters, keep every other byte."""

from __future__ import annotations

import pytest
from crashmap.kernel.cmdline_edit import crashkernel_spans, init_args_start, replace_crashkernel
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


# --- `--` ends the kernel's parameters: the words go before it, nothing crosses it --------------


@pytest.mark.parametrize(
    ("before", "words", "after"),
    [
        ("root=/dev/sda quiet -- single", ("crashkernel=256M",),
         "root=/dev/sda quiet crashkernel=256M -- single"),
        ("-- single", ("crashkernel=256M",), "crashkernel=256M -- single"),
        ("ro --", ("crashkernel=256M",), "ro crashkernel=256M --"),
        ("ro crashkernel=1G -- single", ("crashkernel=256M",), "ro crashkernel=256M -- single"),
        # an old word after `--` is removed (the kernel reads it too), the plan goes before
        ("ro -- crashkernel=1G single", ("crashkernel=256M",), "ro crashkernel=256M -- single"),
        ("ro crashkernel=1G -- crashkernel=2G b", ("crashkernel=3G",), "ro crashkernel=3G -- b"),
        ("ro -- crashkernel=1G", (), "ro --"),
        ("ro\t--\tsingle", ("crashkernel=256M",), "ro\tcrashkernel=256M --\tsingle"),
        ("a -- b -- c", ("crashkernel=256M",), "a crashkernel=256M -- b -- c"),
        # next_arg(): quotes hide a `--`, a quoted "--" is one; `--x` is not a separator
        ('a="x -- y" b', ("crashkernel=256M",), 'a="x -- y" b crashkernel=256M'),
        ('a "--" b', ("crashkernel=256M",), 'a crashkernel=256M "--" b'),
        ("a --x b", ("crashkernel=256M",), "a --x b crashkernel=256M"),
    ],
)
def test_the_words_go_before_dashes(before: str, words: tuple[str, ...], after: str) -> None:
    assert replace_crashkernel(before, words) == after


def test_init_args_start() -> None:
    assert init_args_start("ro -- single") == 3
    assert init_args_start("ro single") == len("ro single")
    assert init_args_start('x="--" -- y') == 7


KERNEL = st.sampled_from(["ro", "quiet", "root=/dev/sda1", "crashkernel=128M", "a=b:c",
                          "crashkernel=1G,high", "console=ttyS0"])
INIT = st.sampled_from(["single", "emergency", "crashkernel=64M", "x=1", "--", "3"])
NEW = st.lists(st.sampled_from(["crashkernel=256M", "crashkernel=1G,high",
                                "crashkernel=128M,low", "crashkernel=2G,cma"]),
               max_size=3, unique=True)


@given(st.lists(st.tuples(KERNEL, SEPS), max_size=6), st.lists(st.tuples(INIT, SEPS),
       max_size=4), NEW)
def test_no_word_crosses_the_dashes(kernel: list[tuple[str, str]], init: list[tuple[str, str]],
                                    words: list[str]) -> None:
    line = "".join(p + s for p, s in kernel) + "-- " + "".join(p + s for p, s in init)
    edited = replace_crashkernel(line, tuple(words))
    separator = init_args_start(edited)
    head, tail = edited[:separator].split(), edited[separator:].split()[1:]
    ours = [p for p, _ in kernel if not p.startswith("crashkernel=")]
    theirs = [p for p, _ in init if not p.startswith("crashkernel=")]
    assert [w for w in head if not w.startswith("crashkernel=")] == ours
    assert tail == theirs  # init's words, in order, and no crashkernel= left among them
    assert [w for w in head if w.startswith("crashkernel=")] == words
