"""The plain snapshot reader (crashmap.snapshot_text) reads what PyYAML reads, or declines.

Whatever it reads equals ``yaml.safe_load`` of the same text, and the snapshot built from it
equals the one PyYAML's path builds (values, key lines, warnings); anything it declines goes to
PyYAML, so the errors are PyYAML's path's. Checked on every bundled map, on every real dump
saved as a snapshot, on random snapshots as ``to_yaml`` writes them, and on random documents.
"""

from __future__ import annotations

import pytest
import yaml
from crashmap.errors import CrashmapError
from crashmap.snapshot import _TYPES, Snapshot, from_yaml, to_yaml
from crashmap.snapshot_text import read_plain
from crashmap.snapshot_yaml import from_pyyaml
from crashmap.sources import bundled_maps, load_source
from hypothesis import given
from hypothesis import strategies as st

from tests.corpus import DUMPS
from tests.property.profile import examples

PATH = "p.yaml"
FIELDS = [*_TYPES, "source", "warnings", "key_lines"]


def _same_snapshot(text: str) -> Snapshot | None:
    """Load ``text`` both ways and check that the snapshots or the errors are the same."""
    try:
        expected = from_pyyaml(text, PATH)
    except CrashmapError as error:
        with pytest.raises(CrashmapError) as caught:
            from_yaml(text, PATH)
        assert str(caught.value) == str(error)
        return None
    got = from_yaml(text, PATH)
    assert {k: getattr(got, k) for k in FIELDS} == {k: getattr(expected, k) for k in FIELDS}
    assert list(got.__dict__) == list(expected.__dict__)
    return got


def _reads_as_pyyaml(text: str) -> bool:
    """True when the plain reader reads ``text``: then it agrees with ``yaml.safe_load``, and
    with libyaml's safe loader (which crashmap uses when PyYAML has it)."""
    entries = read_plain(text)
    if entries is None:
        return False
    read = {key: value for key, value, _ in entries}
    assert read == yaml.safe_load(text)
    assert read == yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return True


def _saved_dumps() -> list[str]:
    texts = []
    for path in DUMPS:
        try:
            texts.append(to_yaml(load_source(str(path))))
        except CrashmapError:
            continue
    return texts


def test_every_bundled_map_is_read_plain_and_the_same() -> None:
    maps = bundled_maps()
    assert len(maps) >= 10
    for name, path in maps.items():
        text = path.read_text(encoding="utf-8")
        assert _reads_as_pyyaml(text), name
        assert _same_snapshot(text) is not None, name


def test_every_real_dump_saved_as_a_snapshot_is_read_plain_and_the_same() -> None:
    texts = _saved_dumps()
    assert len(texts) >= 40
    for text in texts:
        assert _reads_as_pyyaml(text), text[:200]
        assert _same_snapshot(text) is not None


TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
LINES = st.lists(st.one_of(TEXTS, st.sampled_from(
    ["", " ", "  ", "   x", "\t", "  00000000-00000fff : Reserved", "key: value", "#", "'",
     '"', "\\", "- a", "---", "...", "a: b", " \u00e9", "true", "0x10", "1.5", "~"])),
    max_size=6).map("\n".join)
FACTS = st.fixed_dictionaries({}, optional={
    "hostname": TEXTS, "cmdline": TEXTS, "boot_log": LINES, "provenance": LINES,
    "kernel_release": st.one_of(TEXTS, st.sampled_from(["6.18.0", "4.19.15-300.fc29.x86_64",
                                                        "5.14.0", "7", "2020-01-01"])),
    "taken_at": st.sampled_from(["2026-11-26T10:00:00Z", "2026-11-26", "yesterday"]),
    "arch": st.sampled_from(["x86_64", "arm64", "ppc64le", "on", "null", "1e3"]),
    "mem_total": st.integers(min_value=0, max_value=(1 << 64) - 1),
    "cpu_count": st.integers(min_value=0, max_value=1 << 20),
    "kexec_crash_loaded": st.booleans(), "zswap_enabled": st.booleans()})


@examples(300)
@given(st.one_of(LINES, TEXTS), FACTS)
def test_what_to_yaml_writes_is_read_plain_as_pyyaml_reads_it(iomem, facts) -> None:
    text = to_yaml(Snapshot(iomem, **facts))
    _reads_as_pyyaml(text)
    back = _same_snapshot(text)
    assert back is not None and back.iomem == iomem
    assert {k: getattr(back, k) for k in facts} == facts


PIECES = st.sampled_from([
    "crashmap_snapshot: 1", "crashmap_snapshot: 2", "crashmap_snapshot: '1'", "iomem: |",
    "iomem: |2", "iomem: |-", "iomem: |+", "iomem: |2-", "iomem: |-2", "iomem: >", "iomem: x",
    "boot_log: |", "  00000000-00000fff : Reserved", "    00001000-7fffffff : System RAM",
    " x", "  ", "", "hostname: a: b", "hostname: a #c", "hostname: 'it''s'", 'hostname: "a\\tb"',
    'hostname: "\\x41\\u00e9"', 'hostname: "\\q"', "hostname: yes", "hostname: 012",
    "cpu_count: 12", "cpu_count: 0x10", "cpu_count: 1_000", "cpu_count: true",
    "kexec_crash_loaded: false", "kexec_crash_loaded: no", "future: 1", "source: x",
    "# comment", "---", "hostname:", "hostname: &a x", "hostname: *a", "hostname: !!str 1",
    "hostname: [a]", "hostname: 1.5", "hostname: 2020-01-01", "arch: x86_64 ",
    "\tx", "hostname: a\tb", "kernel_release: 6.18.0", "kernel_release: 6.18-rc1",
    "hostname: a\x7fb", "hostname: a\rb", "  a\r", "hostname: a\x1bb", "hostname: \u00e9\x85",
])


@examples(400)
@given(st.lists(PIECES, max_size=10), st.booleans())
def test_any_document_of_snapshot_pieces_loads_the_same_or_fails_the_same(pieces, end) -> None:
    text = "\n".join(pieces) + ("\n" if end else "")
    try:
        _reads_as_pyyaml(text)
    except yaml.YAMLError:
        assert read_plain(text) is None  # PyYAML refuses what the plain reader declined
    _same_snapshot(text)


@examples(200)
@given(st.text(max_size=200))
def test_any_text_loads_the_same_or_fails_the_same(text: str) -> None:
    _same_snapshot("crashmap_snapshot: 1\niomem: |2\n" + text)
    _same_snapshot(text)


@st.composite
def block_documents(draw) -> str:
    """A snapshot whose iomem is a literal block scalar of any header, indentation, empty lines
    (of no, some or all of the indentation's spaces) and ending."""
    indicator = draw(st.sampled_from(["", "1", "2", "3"]))
    chomping = draw(st.sampled_from(["", "-", "+"]))
    header = "|" + (indicator + chomping if draw(st.booleans()) else chomping + indicator)
    indent = int(indicator) if indicator else draw(st.integers(1, 3))
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            extra = draw(st.sampled_from(["", " ", "  ", "\t"]))
            lines.append(" " * indent + extra + draw(st.sampled_from(["a", "b c", " ", "#d"])))
        else:
            lines.append(" " * draw(st.integers(0, indent + 1)))
    end = draw(st.sampled_from(["\nhostname: h\n", "\n", "", "\n \n", "\n\n", "\nx\n"]))
    return "crashmap_snapshot: 1\niomem: " + header + "\n" + "\n".join(lines) + end


@examples(400)
@given(block_documents())
def test_any_literal_block_reads_as_pyyaml_reads_it(text: str) -> None:
    try:
        _reads_as_pyyaml(text)
    except yaml.YAMLError:
        assert read_plain(text) is None
    _same_snapshot(text)


@examples(600)
@given(st.one_of(
    st.text(alphabet="0123456789._:-+eExXbBoTtZ aAnNyYsSlLuUfF~/(", max_size=12),
    st.sampled_from(["2026-11-26", "2026-1-2 3:04:05", "2026-11-26T10:00:00.5+01:00", "1:20",
                     "1_0", "0o7", "07", "0x_1", ".5", "1e3", "1.0e+3", "Null", "NULL", "ON",
                     "off", "on", "On", "yes", "No", "y", "n", "nan", ".nan", "=", "<<", "True",
                     "FALSE"])))
def test_a_plain_value_resolves_as_pyyaml_resolves_it(value: str) -> None:
    text = f"crashmap_snapshot: 1\nhostname: {value}\n"
    _reads_as_pyyaml(text) if _loads_in_yaml(text) else None
    _same_snapshot(text + "iomem: x\n")


def _loads_in_yaml(text: str) -> bool:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError:
        assert read_plain(text) is None
        return False
    return True


@pytest.mark.parametrize("char", ["\r", "\x85", "\u2028", "\u2029", "\x7f", "\x1b", "\x00",
                                  "\x0b", "\ufeff", "\ufffe", "\t", "\u00e9", "\U0001f600"])
@pytest.mark.parametrize("where", ["hostname: a{}b\n", "boot_log: |\n  a{}b\n",
                                   "provenance: 'a{}b'\n", "{}\n"])
def test_a_line_break_or_character_yaml_treats_apart_loads_the_same(char, where) -> None:
    _same_snapshot("crashmap_snapshot: 1\n" + where.format(char) + "iomem: |\n  x\n")
