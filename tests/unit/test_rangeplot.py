"""rangeplot: the explainer's steps restated over rounded RAM, and the text plot's layout.

Expected brackets come from the kernel rules (spec §2.5: RAM rounded up to 128 MiB, start
inclusive, end exclusive, every examined size below the rounded RAM), not from running the code.
"""

from __future__ import annotations

import pytest
from crashmap.kernel.ranges import evaluate_table, explain_table
from crashmap.rangeplot import (
    DISTRO_TABLES,
    Bracket,
    bracket_index,
    brackets,
    default_table,
    edges,
    format_rounded,
    plot,
    rounded_ram,
)
from hypothesis import given, settings
from hypothesis import strategies as st

M, G, T = 1 << 20, 1 << 30, 1 << 40
FEDORA = "2G-64G:256M,64G-:512M"
PPC = "2G-4G:384M,4G-16G:512M,16G-64G:1G,64G-128G:2G,128G-:4G"


def test_fedora_brackets_over_rounded_ram() -> None:
    got = brackets(explain_table(FEDORA))
    assert [(b.ram_from, b.ram_to, b.size) for b in got] == [
        (0, 640 * M, 0),  # the 512M entry is examined and not below T: invalid size
        (640 * M, 2 * G, 0),  # no entry matches
        (2 * G, 64 * G, 256 * M),
        (64 * G, None, 512 * M),
    ]
    assert got[0].reason == "crashkernel: invalid size"
    assert got[1].reason == "crashkernel size resulted in zero bytes"
    assert (got[2].entry, got[3].entry) == (0, 1)
    assert edges(got) == (2 * G, 64 * G)


def test_simple_value_has_one_cliff_just_above_its_size() -> None:
    got = brackets(explain_table("256M"))
    assert [(b.ram_from, b.ram_to, b.size) for b in got] == [
        (0, 384 * M, 0), (384 * M, None, 256 * M)]


@pytest.mark.parametrize(("ram", "size", "index"), [
    (2 * G - 128 * M, 0, 1),  # exactly a multiple: stays below 2G
    (2 * G - 128 * M + 1, 256 * M, 2),  # rounds up to 2G
    (64 * G - 200 * M, 256 * M, 2),  # the "64 GiB" host that is 200 MiB short
    (64 * G - 100 * M, 512 * M, 3),  # rounds up to 64G
    (3 * T, 512 * M, 3),
])
def test_machine_bracket_agrees_with_the_kernel(ram: int, size: int, index: int) -> None:
    got = brackets(explain_table(FEDORA))
    assert bracket_index(got, ram) == index
    assert got[index].size == size == evaluate_table(FEDORA, ram)


def test_default_table_by_arch() -> None:
    assert default_table("x86_64")[1] == FEDORA
    assert default_table("arm64")[1] == "2G-4G:256M,4G-64G:320M,64G-:576M"
    assert default_table("ppc64le")[1] == PPC
    assert default_table("riscv64")[1] == FEDORA  # no distro table: the first one


def test_distro_tables_are_the_research_defaults() -> None:
    values = [value for _, value, _ in DISTRO_TABLES]
    assert len(values) == len(set(values))  # one row per distinct table
    assert set(values) >= {
        FEDORA, "1G-4G:192M,4G-64G:256M,64G-:512M", "2G-4G:256M,4G-64G:320M,64G-:576M", PPC,
        "384M-:128M", "512M-:192M",
        "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M",
    }
    assert all(":" in value for value in values)  # range tables only, not fixed sizes


def test_format_rounded_is_exact() -> None:
    assert format_rounded(rounded_ram(64 * G - 200 * M)) == "63.875 GiB"
    assert format_rounded(16 * G) == "16 GiB"
    assert format_rounded(640 * M) == "640 MiB"


def test_plot_layout_fedora_16g() -> None:
    ram = 16 * G - 300 * M
    p = plot(explain_table(FEDORA), ram, 80, 12)
    lines = p.text
    assert len(lines) == 12 and all(len(line) == 80 for line in lines)
    assert p.ram_from == 512 * M and p.ram_to == 4 * T
    assert p.column_sizes[p.machine_column] == 256 * M
    assert set(p.edge_columns) == {2 * G, 64 * G}
    # each cliff is drawn where the drawn size changes
    for column in p.edge_columns.values():
        assert p.column_sizes[column - 1] != p.column_sizes[column]
    assert lines[0].startswith("512M┤") and lines[-4].startswith("   0┤")
    assert "256M┤" in lines[3]
    labels, marker = lines[-2], lines[-1]
    x = p.x0 + p.edge_columns[64 * G]
    assert labels[x:x + 3] == "64G"
    assert marker[p.x0 + p.machine_column:].startswith("▲ this machine: 15.75 GiB → 256 MiB")
    assert "●" in lines[3] and lines[3].index("●") == p.x0 + p.machine_column


def test_machine_next_to_a_cliff_is_drawn_on_its_own_side() -> None:
    ram = 64 * G - 200 * M  # rounds to 63.875 GiB: one step below the 64G cliff
    p = plot(explain_table(FEDORA), ram, 60, 10)
    assert p.column_sizes[p.machine_column] == 256 * M
    assert p.machine_column < p.edge_columns[64 * G]


def test_narrow_plot_still_lays_out_and_shortens_the_marker() -> None:
    p = plot(explain_table(FEDORA), 1 * G, 30, 6)
    assert all(len(line) == 30 for line in p.text)
    assert "▲ 1 GiB → nothing" in p.text[-1]


def test_many_levels_in_few_rows_keep_every_step_visible() -> None:
    p = plot(explain_table(PPC), 8 * G, 70, 9)  # 5 sizes + 0 in 6 plot rows
    labelled = [line.split("┤")[0].strip() for line in p.text[:6] if "┤" in line]
    assert labelled == ["4G", "2G", "1G", "512M", "384M", "0"]


def test_without_ram_there_is_no_machine_mark() -> None:
    p = plot(explain_table(FEDORA), None, 60, 10)
    assert p.machine_column is None
    assert "▲" not in "".join(p.text) and "┆" not in "".join(p.text)


def test_axis_widens_for_a_table_with_edges_beyond_4t() -> None:
    p = plot(explain_table("4G-16G:768M,16G-64T:4G,64T-:180G"), 8 * G, 80, 10)
    assert p.ram_to >= 128 * T
    assert 64 * T in p.edge_columns


@settings(max_examples=150, deadline=None)
@given(table=st.sampled_from([v for _, v, _ in DISTRO_TABLES]),
       ram=st.integers(min_value=256 * M, max_value=8 * T),
       width=st.integers(min_value=20, max_value=160))
def test_machine_mark_always_shows_what_the_kernel_reserves(table: str, ram: int,
                                                             width: int) -> None:
    p = plot(explain_table(table), ram, width, 10)
    assert p.machine_column is not None
    assert p.column_sizes[p.machine_column] == evaluate_table(table, ram)
    assert all(len(line) == width for line in p.text)


def test_bracket_contains() -> None:
    b = Bracket(2 * G, 64 * G, 256 * M, 0, None)
    assert b.contains(2 * G) and b.contains(64 * G - 128 * M) and not b.contains(64 * G)
    assert Bracket(64 * G, None, 1, 1, None).contains(1 << 63)
