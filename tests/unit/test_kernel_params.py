"""``crashmap.kernel.params``: the kernel's ``next_arg()`` (lib/cmdline.c), case for case.

Each expectation follows the C code of lib/cmdline.c ``next_arg()`` and kernel/params.c
``parse_args()``: a leading ``"`` opens a quote and every ``"`` toggles it; whitespace outside
quotes ends the parameter; ``equals`` is the first ``=`` after index 0; a value opening with
``"`` loses it and a closing one, so does a parameter opening with ``"``; ``parse_args()`` stops
at a parameter ``--`` with no value. The fadump, lint and export users are tested on the same
cases.
"""

from __future__ import annotations

import pytest
from crashmap.kernel.cmdline_edit import crashkernel_spans, replace_crashkernel
from crashmap.kernel.fadump import fadump_mode, fadump_spans, replace_fadump
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel
from crashmap.kernel.params import (
    SEPARATORS,
    WHITESPACE,
    Param,
    find_params,
    init_args_start,
    next_arg,
    params,
    spans,
)
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(("line", "expected"), [
    ("ro  root=/dev/sda1\tquiet", [(0, 2, "ro", None), (4, 18, "root", "/dev/sda1"),
                                    (19, 24, "quiet", None)]),
    ('foo="a b" bar', [(0, 9, "foo", "a b"), (10, 13, "bar", None)]),
    ('"foo=a b" x', [(0, 9, "foo", "a b"), (10, 11, "x", None)]),
    ('"quoted word"', [(0, 13, "quoted word", None)]),
    ('"a="b"', [(0, 6, "a", "b")]),  # the value's quotes go, the parameter's closing one too
    ('a=b"c d"', [(0, 8, "a", 'b"c d"')]),  # only a value that opens with " is unquoted
    ("=x", [(0, 2, "=x", None)]),  # equals == 0 means "none": an = at index 0 does not count
    ("==x", [(0, 3, "=", "x")]),
    ('a="', [(0, 3, "a", "")]),
    ("a=", [(0, 2, "a", "")]),
    ('a="b c d', [(0, 8, "a", "b c d")]),  # an unclosed quote runs to the end of the line
    ('"', [(0, 1, "", None)]),
    ("x=1=2", [(0, 5, "x", "1=2")]),
    ("  \t\n", []),
])
def test_next_arg_cases(line: str, expected: list[tuple[int, int, str, str | None]]) -> None:
    assert params(line) == [Param(*item) for item in expected]


@pytest.mark.parametrize(("line", "separator"), [
    ("ro -- single", 3),
    ('ro "--" single', 3),  # the quotes come off the name: "--" is --
    ('ro "-- single', len('ro "-- single')),  # one parameter named '-- single'
    ('x="--" -- y', 7),
    ("ro --=1 single", len("ro --=1 single")),  # a value: not the separator
    ("ro ---", len("ro ---")),
    ("--", 0),
])
def test_the_separator_is_a_parameter_named_dash_dash_with_no_value(line: str,
                                                                     separator: int) -> None:
    assert init_args_start(line) == separator
    kernel = params(line, kernel_only=True)
    assert all(p.end <= separator for p in kernel)
    assert len(kernel) == sum(p.end <= separator for p in params(line))


def test_next_arg_steps_through_the_line() -> None:
    line = ' a="x y"  b '
    first, pos = next_arg(line, 0)
    assert first == Param(1, 8, "a", "x y") and pos == 8
    second, pos = next_arg(line, pos)
    assert second == Param(10, 11, "b", None)
    assert next_arg(line, pos) == (None, len(line))


@given(st.text(alphabet=' \t"=-abc\n', max_size=40))
def test_params_cover_the_line_but_whitespace(line: str) -> None:
    """Parameters are in order, disjoint, and what lies between them is whitespace only; a
    parameter ends at whitespace outside quotes (or the end of the line)."""
    cursor = 0
    for param in params(line):
        assert cursor <= param.start < param.end <= len(line)
        assert all(c in WHITESPACE for c in line[cursor:param.start])
        assert line[param.start] not in WHITESPACE
        assert param.end == len(line) or line[param.end] in WHITESPACE
        assert param.ends_kernel_params == (line[param.start:param.end] in SEPARATORS)
        assert next_arg(line, param.start) == (param, param.end)
        cursor = param.end
    assert all(c in WHITESPACE for c in line[cursor:])


@given(st.text(alphabet=' \t"=-aAb', max_size=40), st.booleans(), st.booleans())
def test_the_quote_free_search_finds_what_the_split_finds(line: str, kernel_only: bool,
                                                          ignore_case: bool) -> None:
    """find_params and init_args_start take a regex short cut on a line with no quote; with or
    without a quote they agree with filtering the full split."""
    for text in (line, line.replace('"', "")):
        heads = ("a=", '"a=', "b")
        fold = str.lower if ignore_case else str
        split = spans(text, kernel_only=kernel_only)
        expected = [(s, e) for s, e in split
                    if fold(text[s:e]).startswith(tuple(map(fold, heads)))]
        assert find_params(text, heads, kernel_only=kernel_only,
                           ignore_case=ignore_case) == expected
        separator = next((p.start for p in params(text) if p.ends_kernel_params), len(text))
        assert init_args_start(text) == separator


def test_a_four_megabyte_line_is_split_in_linear_time() -> None:
    """The fuzzer's 4 MB line of two million words (issue 13 §1 hangs): the quote-free search
    does not build two million parameters; the count of operations is bounded by the line."""
    line = " crashkernel= " + "y " * 2_000_000 + "crashkernel=1G -- crashkernel=2G"
    one, dashes, two = (line.rindex(word) for word in ("crashkernel=1G", "--", "crashkernel=2G"))
    assert find_params(line, ("crashkernel=",)) == [(1, 13), (one, one + 14), (two, len(line))]
    assert init_args_start(line) == dashes
    assert find_params(line, ("crashkernel=",), kernel_only=True)[-1] == (one, one + 14)
    assert replace_crashkernel(line, ["crashkernel=256M"]) == \
        " crashkernel=256M " + "y " * 2_000_000 + "--"


# --- the users: the crashkernel= editor, the form lints, fadump --------------------------------


def test_a_crashkernel_inside_a_quoted_value_is_not_a_parameter_to_edit() -> None:
    """Before, ``crashkernel=1G"`` was cut out of ``foo``'s value and the quote broken."""
    line = 'foo="a crashkernel=1G b" crashkernel=512M quiet'
    assert crashkernel_spans(line) == [(25, 41)]
    assert replace_crashkernel(line, ["crashkernel=256M"]) == \
        'foo="a crashkernel=1G b" crashkernel=256M quiet'


def _lint_codes(line: str) -> list[str]:
    return [lint.code for lint in lint_crashkernel(parse_crashkernel(line, 16 << 30, "x86_64"))]


@pytest.mark.parametrize(("line", "bare"), [
    ('foo="a crashkernel b" crashkernel=256M', False),  # a word of foo's value
    ('"crashkernel" crashkernel=256M', True),  # next_arg hands the kernel 'crashkernel'
    ("crashkernel crashkernel=256M", True),
])
def test_bare_word_is_a_parameter_as_next_arg_splits_it(line: str, bare: bool) -> None:
    assert ("bare-crashkernel" in _lint_codes(line)) is bare


def test_name_case_is_read_from_the_parameter_name() -> None:
    assert "crashkernel-name-case" in _lint_codes('"CRASHKERNEL=256M" crashkernel=256M')
    assert "crashkernel-name-case" not in _lint_codes('foo="CRASHKERNEL=1G" crashkernel=256M')


@pytest.mark.parametrize(("line", "mode"), [
    ('"fadump=on"', "on"),  # the parameter's quotes come off
    ('fadump="nocma"', "nocma"),  # so do the value's
    ('fa"dump=on"', "off"),  # the name is fa"dump: early_fadump_param() never sees it
    ('x="fadump=on"', "off"),  # a value of x
    ("fadump=on -- fadump=off", "on"),  # init's words
    ('fadump=on "--" fadump=off', "on"),
    ('"-- fadump=nocma', "off"),  # one parameter '-- fadump' = 'nocma'
])
def test_fadump_reads_parameters_as_next_arg_splits_them(line: str, mode: str) -> None:
    assert fadump_mode(line) == mode


def test_replace_fadump_keeps_a_quoted_value_of_another_parameter() -> None:
    line = 'ro x="a fadump=on" fadump=nocma quiet'
    assert fadump_spans(line) == [(19, 31)]
    assert replace_fadump(line, "fadump=on") == 'ro x="a fadump=on" fadump=on quiet'


def test_export_names_the_parameter_a_quoted_crashkernel_stands_in() -> None:
    """get_last_crashkernel() finds crashkernel= by strstr(), inside another parameter's quoted
    value too (kernel/crash_reserve.c): the plan replaces the real parameter, the quoted one is
    left to its parameter, and the warning names that parameter whole, with what the kernel
    then reserves."""
    from crashmap.export import export

    current = 'ro crashkernel=512M foo="a crashkernel=64M b" quiet'
    result = export("cmdline", ["crashkernel=256M"], current, "x86_64", ram=16 << 30)
    assert result.new_cmdline == 'ro crashkernel=256M foo="a crashkernel=64M b" quiet'
    assert any(w.startswith("""'foo="a crashkernel=64M b"' is left as it is""")
               for w in result.warnings)
    assert any("the kernel gets 64 MiB, not the plan's 256 MiB" in w for w in result.warnings)


def test_the_lookalike_lint_names_the_parameter_next_arg_puts_the_word_in() -> None:
    found = {lint.message for lint in lint_crashkernel(parse_crashkernel(
        'ro foo="a crashkernel=64M b" crashkernel=256M', 16 << 30, "x86_64"))
        if lint.code == "lookalike-parameter"}
    assert found == {"""'foo="a crashkernel=64M b"' is not a crashkernel= parameter, but the """
                     "kernel reads 'crashkernel=64M' from it"}
