"""The /proc/iomem parser: kernel format, mangled reports, and bad input (issue 2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crashmap.errors import CrashmapError
from crashmap.iomem import HIDDEN_MESSAGE, parse_iomem, read_text

KERNEL_OUTPUT = """\
00000000-00000fff : Reserved
00001000-0009ffff : System RAM
000a0000-000fffff : Reserved
  000a0000-000bffff : PCI Bus 0000:00
  000f0000-000fffff : System ROM
00100000-bfffffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-0227ffff : Kernel data
  b0000000-bfffffff : Crash kernel
c0000000-febfffff : PCI Bus 0000:00
  fe000000-fe0fffff : 0000:00:1f.2
    fe000000-fe0fffff : ahci
100000000-43fffffff : System RAM
"""


def names(iomem):
    return [(r.depth, r.name) for r in iomem.walk()]


def test_kernel_output_builds_the_tree_with_exclusive_ends():
    iomem = parse_iomem(KERNEL_OUTPUT)
    assert [r.name for r in iomem.roots] == [
        "Reserved", "System RAM", "Reserved", "System RAM", "PCI Bus 0000:00", "System RAM"
    ]
    ram = iomem.roots[3]
    assert (ram.start, ram.end, ram.size) == (0x100000, 0xC0000000, 0xC0000000 - 0x100000)
    assert ram.last == 0xBFFFFFFF  # the file's inclusive end, kept only for printing
    assert [c.name for c in ram.children] == ["Kernel code", "Kernel data", "Crash kernel"]
    ahci = iomem.roots[4].children[0].children[0]
    assert (ahci.name, ahci.depth, ahci.parent.name) == ("ahci", 2, "0000:00:1f.2")
    assert iomem.roots[-1].end == 0x440000000
    assert not iomem.hidden and iomem.notes == []


def test_names_keep_colons_and_the_separator_is_the_first_colon_after_the_range():
    text = "00000000-00000fff : megasas: LSI : odd name\n00001000-00001fff : pnp 00:04\n"
    iomem = parse_iomem(text)
    assert [r.name for r in iomem.roots] == ["megasas: LSI : odd name", "pnp 00:04"]


def test_empty_names_with_and_without_the_trailing_space():
    iomem = parse_iomem("00000000-00000fff : \n00001000-00001fff :\n00002000-00002fff : x\n")
    assert [r.name for r in iomem.roots] == ["", "", "x"]


def test_64_bit_addresses_and_mixed_widths():
    text = "ff800000-100bfffff : Reserved\nfffffffffffff000-ffffffffffffffff : top\n"
    iomem = parse_iomem(text)
    assert iomem.roots[0].end == 0x100C00000
    assert iomem.roots[1].end == 1 << 64


def test_addresses_wider_than_64_bits_are_rejected():
    with pytest.raises(CrashmapError, match=r"^m:1: address wider than 64 bits"):
        parse_iomem("10000000000000000-10000000000000fff : x\n", "m")


def test_comments_and_blank_lines_are_skipped_and_the_header_is_read():
    text = "# arch: arm64\n# kernel: 6.17.1\n\n00000000-0fffffff : System RAM\n\n# trailing\n"
    iomem = parse_iomem(text)
    assert iomem.header == {"arch": "arm64", "kernel": "6.17.1"}
    assert len(iomem) == 1


def test_hidden_map_every_address_zero():
    text = "00000000-00000000 : System RAM\n  00000000-00000000 : Kernel code\n00000000-00000000 : PCI Bus 0000:00\n"
    iomem = parse_iomem(text)
    assert iomem.hidden
    assert HIDDEN_MESSAGE in iomem.notes
    # the tree comes from indentation when every range is identical
    assert names(iomem) == [(0, "System RAM"), (1, "Kernel code"), (0, "PCI Bus 0000:00")]


def test_an_isolated_zero_range_in_a_root_dump_is_an_empty_resource_not_a_hidden_map():
    text = (
        "00000000-0009ffff : System RAM\n"
        "00100000-3fffffff : System RAM\n"
        "  00000000-00000000 : Crash kernel\n"
        "  01000000-01ffffff : Kernel code\n"
    )
    iomem = parse_iomem(text)
    assert not iomem.hidden
    crash = iomem.roots[1].children[0]
    assert crash.name == "Crash kernel" and crash.is_empty and crash.depth == 1


def test_identical_ranges_nest_only_when_indented_deeper():
    text = (
        "e0000000-e01fffff : PCI Bus 0000:02\n"
        "  e0000000-e00fffff : 0000:02:00.0\n"
        "    e0000000-e00fffff : nvme\n"
        "  e0100000-e01fffff : 0000:02:00.1\n"
    )
    assert names(parse_iomem(text)) == [
        (0, "PCI Bus 0000:02"), (1, "0000:02:00.0"), (2, "nvme"), (1, "0000:02:00.1")
    ]


def test_containment_beats_indentation_beyond_the_kernels_depth_cap():
    # The kernel prints depth 6+ at depth 5 (MAX_IORES_LEVEL); containment recovers the nesting.
    text = "\n".join(
        f"{'  ' * min(d, 5)}{0x1000 * d:08x}-{0xFFFFF - d:08x} : level{d}" for d in range(7)
    )
    iomem = parse_iomem(text)
    assert [r.depth for r in iomem.walk()] == list(range(7))


def test_mail_quoting_nbsp_flowed_and_constant_indent_are_understood():
    quoted = (
        "> 00000000-7fffffff : System RAM\n"
        ">\u00a0 00208000-018fffff : Kernel code\n"
        "> e0000000-e7ffffff : PCI MEM\n"
        ">\u00a0\u00a0\u00a0 e0000000-e00fffff : 0000:02:00.0\n"
    )
    flowed = "12600000-12600fff : ARMH0011:00\n   12600000-12600fff : ARMH0011:00\n"
    constant = "    00001000-0009ffff : System RAM\n    00100000-1fffffff : System RAM\n      01000000-01ffffff : Kernel code\n"
    assert names(parse_iomem(quoted)) == [
        (0, "System RAM"), (1, "Kernel code"), (0, "PCI MEM"), (1, "0000:02:00.0")
    ]
    assert names(parse_iomem(flowed)) == [(0, "ARMH0011:00"), (1, "ARMH0011:00")]
    assert names(parse_iomem(constant)) == [(0, "System RAM"), (0, "System RAM"), (1, "Kernel code")]


def test_prompts_elisions_notes_and_annotations_are_skipped_and_reported():
    text = (
        "root@vm0:~# cat /proc/iomem\n"
        "00000000-6fffffff : System RAM\n"
        "...\n"
        "  [...]\n"
        "(Last System RAM entry is missing)\n"
        "80000000-8fffffff : Persistent Memory <<<<<  PERSISTENT MEMORY\n"
        "90000000-9fffffff : ESRT  <----- ESRT\n"
        "root@vm0:~#\n"
    )
    iomem = parse_iomem(text, "dump.txt")
    assert [r.name for r in iomem.roots] == ["System RAM", "Persistent Memory", "ESRT"]
    joined = "\n".join(iomem.notes)
    for expected in ("shell prompt", "elision '...'", "elision '[...]'", "note", "annotation"):
        assert expected in joined


def test_a_mail_wrapped_long_name_is_joined_to_its_line():
    text = (
        "009c0000-009c1fff : 9c0000.qcom,qupv3_i2c_geni_se qcom,qupv3_i2c_geni_se@9c0000 and\n"
        "more words\n"
        "009c2000-009c2fff : next\n"
    )
    iomem = parse_iomem(text)
    assert iomem.roots[0].name.endswith("and more words")
    assert iomem.roots[1].name == "next"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "no /proc/iomem lines"),
        ("00000000-00000fff : a\n00001000-\n", 2, "truncated line"),
        ("00000000-00000fff : a\n00001000\n", 2, "truncated line"),
        ("00002000-00002fff : a\n00001000-00001fff : b\n", 2, "address order"),
        ("00000000-00002fff : a\n  00001000-00001fff : b\n00002000-00003fff : c\n", 3, "overlaps"),
        ("00002000-00001fff : a\n", 1, "start 00002000 is after end 00001fff"),
        ("0000g000-00001fff : a\n", 1, "not a hexadecimal range"),
        ("hello world\n", 1, "not an iomem line"),
    ],
)
def test_bad_input_gets_one_line_naming_file_and_line(text, line, message):
    with pytest.raises(CrashmapError) as caught:
        parse_iomem(text, "bad.txt")
    error = caught.value
    assert (error.path, error.line) == ("bad.txt", line)
    assert message in error.message
    assert "\n" not in str(error)
    assert str(error).startswith(f"bad.txt:{line}: " if line else "bad.txt: ")


def test_binary_and_huge_files_are_refused_before_parsing():
    with pytest.raises(CrashmapError, match="binary data"):
        read_text(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "a.out")
    with pytest.raises(CrashmapError, match="binary data"):
        read_text(bytes(range(128, 256)) * 64, "random.bin")
    with pytest.raises(CrashmapError, match="never that large"):
        read_text(b"0" * (100 << 20), "huge.txt")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789abcdefx-: \t>#.\n\u00a0SystemRAM<←()"), max_size=400))
def test_random_text_raises_only_the_tools_error(text):
    try:
        iomem = parse_iomem(text, "fuzz")
    except CrashmapError as error:
        assert "\n" not in str(error)
        return
    for resource in iomem.walk():
        assert resource.start < resource.end
        if resource.parent is not None:
            assert resource.depth == resource.parent.depth + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_the_tools_error(data):
    try:
        parse_iomem(read_text(data, "fuzz.bin"), "fuzz.bin")
    except CrashmapError:
        pass
