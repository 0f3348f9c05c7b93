"""Snapshot YAML: any document loads or is refused with one line naming the file and line; any
snapshot that saves loads back identical and saves byte-exact again; what cannot be saved is
refused by name (a lone surrogate, an integer past 64 bits), never a UnicodeEncodeError."""

from __future__ import annotations

import re

import pytest
import yaml
from crashmap.errors import CrashmapError
from crashmap.snapshot import _TYPES, Snapshot, from_yaml, to_yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.property.profile import examples

PATH = "p.yaml"
IOMEM = "00000000-00000fff : Reserved\n00001000-7fffffff : System RAM\n"
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(1 << 80), max_value=1 << 80),
    st.floats(allow_nan=True), st.text(max_size=20), st.binary(max_size=8), st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.text(max_size=8), st.integers()),
                                                 inner, max_size=3)), max_leaves=12)
RAW = st.sampled_from([
    "0x" + "f" * 5000, "9" * 5000, "!!binary aGk=", "2020-13-45", ".inf", ".nan", "!!int abc",
    "!!bool maybe", "!!float x", "!!timestamp 2020-99-99", '"\\udc80"', "&a x", "*a", "? [a]",
    "!!python/object:os.system", "{a: 1}", "[1, [2, [3]]]", "!custom x", "18446744073709551616",
    "-1", "0o17", "190:20:30", "1_000", "~", "yes",
])
KEYS = st.sampled_from(sorted(_TYPES) + ["crashmap_snapshot", "source", "future", "3"])


def _document(entries: list[tuple[str, str]]) -> str:
    lines = ["crashmap_snapshot: 1"]
    lines += [f"{key}: {value}" for key, value in entries]
    lines.append("iomem: |\n  " + IOMEM.replace("\n", "\n  ").rstrip())
    return "\n".join(lines) + "\n"


def _loads_or_refuses(text: str) -> Snapshot | None:
    try:
        return from_yaml(text, PATH)
    except CrashmapError as error:
        message = str(error)
        assert message.startswith(PATH) and "\n" not in message
        return None


@examples(150)
@given(st.lists(st.tuples(KEYS, st.one_of(
    RAW, VALUES.map(lambda v: yaml.safe_dump(v, default_flow_style=True).strip()
                    .replace("\n", " ")))), max_size=6))
def test_any_document_loads_or_is_refused_with_the_file(entries) -> None:
    snapshot = _loads_or_refuses(_document(entries))
    if snapshot is not None:  # what loads saves, byte-exact, and loads back the same
        text = to_yaml(snapshot)
        again = from_yaml(text, PATH)
        assert {k: getattr(again, k) for k in _TYPES} == {k: getattr(snapshot, k) for k in _TYPES}
        assert to_yaml(again) == text


@examples(200)
@given(st.text(max_size=400))
def test_any_text_loads_or_is_refused_with_the_file(text: str) -> None:
    _loads_or_refuses(text)


TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
FACTS = st.fixed_dictionaries({}, optional={
    "hostname": TEXTS, "cmdline": TEXTS, "boot_log": TEXTS, "arch": st.sampled_from(["x86_64"]),
    "mem_total": st.integers(min_value=0, max_value=(1 << 64) - 1),
    "cpu_count": st.integers(min_value=0, max_value=1 << 20),
    "kexec_crash_loaded": st.booleans(), "zswap_enabled": st.booleans()})


@examples(150)
@given(st.one_of(TEXTS, st.sampled_from(["a\x85b\nc", "\r\n\r\n", " lead\n", "tail \n", "\ufeffx",
                                          "a\u2028b", "\t\n", "x\n\n\n", "#c\n", "- a\n"])), FACTS)
def test_a_snapshot_saves_loads_back_identical_and_saves_byte_exact(iomem, facts) -> None:
    snapshot = Snapshot(iomem, **facts)
    text = to_yaml(snapshot)
    back = from_yaml(text, PATH)
    assert back.iomem == iomem
    assert {k: getattr(back, k) for k in facts} == facts
    assert to_yaml(back) == text


@examples(100)
@given(TEXTS, st.sampled_from(["\udc80", "\udcff", "\ud800", "\udfff"]), st.integers(0, 50))
def test_a_lone_surrogate_is_refused_by_name_on_save_and_on_read(text, surrogate, at) -> None:
    iomem = text[:at] + surrogate + text[at:]
    with pytest.raises(CrashmapError, match="cannot save key 'iomem'.*lone surrogate"):
        to_yaml(Snapshot(iomem))
    with pytest.raises(CrashmapError, match=r"^p\.yaml:\d+: not UTF-8 text"):
        from_yaml("crashmap_snapshot: 1\niomem: |\n  " + iomem.replace("\n", "\n  "), PATH)


@examples(60)
@given(st.sampled_from(sorted(k for k, kinds in _TYPES.items() if int in kinds)),
       st.sampled_from(["0x" + "f" * 5000, "9" * 5000, "-1", "18446744073709551616",
                        "0b" + "1" * 65]),
       st.integers(min_value=0, max_value=5))
def test_integers_past_64_bits_are_refused_when_read_with_the_line(key, value, padding) -> None:
    text = "crashmap_snapshot: 1\n" + "# note\n" * padding + f"{key}: {value}\niomem: x\n"
    with pytest.raises(CrashmapError) as caught:
        from_yaml(text, PATH)
    assert str(caught.value).startswith(f"{PATH}:{padding + 2}: key {key!r} must be 0 .. 2**64-1")
    assert len(str(caught.value)) < 200


WRONG = {str: ["{a: 1}", "[x]", "12", "true", "2020-01-01", "1.5"],
         int: ["{a: 1}", "[1]", "'12'", "true", "1.5", "x"],
         bool: ["{a: 1}", "[true]", "'yes'", "1", "x"]}


@examples(120)
@given(st.sampled_from(sorted(_TYPES)), st.data(), st.integers(min_value=0, max_value=5))
def test_a_key_of_the_wrong_type_is_refused_with_its_line(key, data, padding) -> None:
    kind = _TYPES[key][0]
    value = data.draw(st.sampled_from(WRONG[kind]))
    text = ("crashmap_snapshot: 1\n" + "# note\n" * padding + f"{key}: {value}\n"
            + ("" if key == "iomem" else "iomem: x\n"))
    with pytest.raises(CrashmapError) as caught:
        from_yaml(text, PATH)
    assert re.match(rf"{re.escape(PATH)}:{padding + 2}: key {key!r} must be {kind.__name__}",
                    str(caught.value)), str(caught.value)
