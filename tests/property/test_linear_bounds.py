"""Hangs: the kernel keeps COMMAND_LINE_SIZE bytes of a command line, so the grammar reads no
more and the lint says what a longer line loses; the range linter and the whole-line diff stay
linear (one sweep, Myers' diff capped at MAX_EDITS), counted here in work, not in seconds."""

from __future__ import annotations

import importlib

import pytest
from crashmap.arch import ARCHES
from crashmap.errors import CrashmapError
from crashmap.export.diff import MAX_EDITS, _snakes, cmdline_diff, diff_words
from crashmap.kernel.cmdline_limit import COMMAND_LINE_SIZES, MAX_TEXT
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel
from crashmap.kernel.ranges import explain_table
from hypothesis import given
from hypothesis import strategies as st

from tests.property.profile import examples

G = 1 << 30


@examples(80)
@given(st.sampled_from(sorted(ARCHES)), st.integers(min_value=0, max_value=9000),
       st.sampled_from(["x", "é", "\udcff", " "]))
def test_the_grammar_reads_what_the_kernel_keeps(arch: str, pad: int, char: str) -> None:
    line = "crashkernel=64M " + char * pad + " crashkernel=128M"
    data = line.encode("utf-8", "surrogateescape")
    kept = COMMAND_LINE_SIZES[arch].kept
    result = parse_crashkernel(line, 8 * G, arch)
    assert result.cmdline == data[:kept].decode("utf-8", "surrogateescape")
    assert result == parse_crashkernel(result.cmdline, 8 * G, arch)._replace(
        overflow=result.overflow)  # the kernel's reading of what it keeps, nothing more
    codes = {f.code for f in lint_crashkernel(result)}
    if len(data) <= kept:
        assert result.overflow is None and "cmdline-too-long" not in codes
        assert result.crash_size == 128 << 20
    else:
        assert "cmdline-too-long" in codes
        assert result.overflow.lost + result.overflow.split == 1
        if result.overflow.lost:
            assert result.crash_size == 64 << 20  # what real 7.3.4 boots reserved


@pytest.mark.parametrize("entries", [10, 300, 3000])
def test_explain_table_reads_the_entries_once(entries: int, monkeypatch) -> None:
    calls = [0]
    real = importlib.import_module("crashmap.kernel.memparse").memparse

    def counted(text: str, pos: int = 0) -> tuple[int, int]:
        calls[0] += 1
        return real(text, pos)

    for module in ("crashmap.kernel.grammar", "crashmap.kernel.ranges"):
        monkeypatch.setattr(f"{module}.memparse", counted)
    table = ",".join(f"{k}G-{k + 1}G:{k % 7 + 1}M" for k in range(entries))
    explain_table.cache_clear()
    steps = explain_table(table).steps
    assert len(steps) >= entries // 2
    assert calls[0] <= 8 * entries + 8  # twice 3 numbers per entry (scan_entries, _scan_ranges)


@pytest.mark.parametrize("entries", [3, 50, 400])
def test_overlapping_entries_give_one_finding_each_not_every_pair(entries: int) -> None:
    table = ",".join(f"{k}M-:{k + 1}M" for k in range(entries))  # each overlaps all the others
    result = parse_crashkernel("crashkernel=" + table, 1 << 62, "x86_64")
    overlaps = [f for f in lint_crashkernel(result) if f.code == "range-overlap"]
    assert 1 <= len(overlaps) <= len(result.plain and table.split(","))


@examples(60)
@given(st.lists(st.sampled_from(["a", "b", "c", "crashkernel=1G", "quiet", "ro"]), max_size=40),
       st.lists(st.sampled_from(["a", "b", "c", "crashkernel=2G", "quiet", "ro"]), max_size=40))
def test_the_diff_keeps_a_longest_common_subsequence(old: list[str], new: list[str]) -> None:
    diff = diff_words(" ".join(old), " ".join(new))
    kept = len(old) - len(diff.removed)
    assert kept == len(new) - len(diff.added) == _lcs(old, new)


def _lcs(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (table[i + 1][j + 1] + 1 if a[i] == b[j]
                           else max(table[i + 1][j], table[i][j + 1]))
    return table[0][0]


def test_lines_that_differ_everywhere_stop_after_max_edits() -> None:
    old = [f"w{i}" for i in range(5000)]
    assert _snakes(old, old[::-1]) == []  # gave up after MAX_EDITS rounds: no quadratic table
    assert len(_snakes(old, old[:2500] + ["x"] * (MAX_EDITS // 2) + old[2500:])) == 5000
    text = cmdline_diff(" ".join(old), " ".join(old[::-1]), None).split("\n")
    assert [line[:3] for line in text] == ["---", "+++", "-w0", " ^^", "+w4", " ^^", "rem", "add"]
    assert text[-2:] == ["removed: " + " ".join(old), "added:   " + " ".join(old[::-1])]


def test_a_command_line_longer_than_crashmap_edits_is_refused() -> None:
    with pytest.raises(CrashmapError, match="no kernel keeps more than"):
        diff_words("x" * (MAX_TEXT + 1), "")
