"""Deep iomem: a map nested any depth is read without recursion, refused past MAX_DEPTH levels
with the line; every consumer of the tree (walks, JSON, the memory map) copes with what loads."""

from __future__ import annotations

import json

import pytest
from crashmap.cli.show import map_json
from crashmap.errors import CrashmapError
from crashmap.iomem import MAX_DEPTH, parse_iomem
from crashmap.sources import snapshot_from_iomem
from hypothesis import given
from hypothesis import strategies as st

from tests.corpus import DUMPS
from tests.fuzz.mutate import Mutator
from tests.property.profile import examples


def chain(depth: int, indent: int = 1) -> str:
    """``depth`` ranges, each inside the one before, indented ``indent`` more each level."""
    return "".join(f"{' ' * (i * indent)}{i << 12:08x}-{(1 << 44) - 1 - i:011x} : level {i}\n"
                   for i in range(depth))


@pytest.mark.parametrize("indent", [0, 1, 2])
def test_a_chain_as_deep_as_allowed_loads_and_every_consumer_copes(indent: int) -> None:
    snapshot = snapshot_from_iomem(chain(MAX_DEPTH, indent), "deep.txt")
    assert max(r.depth for r in snapshot.parsed.walk()) == MAX_DEPTH - 1
    assert len(list(snapshot.parsed.walk())) == MAX_DEPTH
    json.dumps(map_json(snapshot))
    assert snapshot.memmap.total_ram == 0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 3000])
def test_deeper_is_refused_with_the_line_not_a_recursion_error(depth: int) -> None:
    with pytest.raises(CrashmapError, match=rf"^deep\.txt:{MAX_DEPTH + 1}: ranges nest more"):
        parse_iomem(chain(depth), "deep.txt")


def test_a_hidden_map_nested_by_indentation_alone_is_refused_too() -> None:
    text = "".join(f"{' ' * i}00000000-00000000 : level {i}\n" for i in range(2000))
    with pytest.raises(CrashmapError, match=rf"^h\.txt:{MAX_DEPTH + 1}:"):
        parse_iomem(text, "h.txt")


@examples(120)
@given(st.sampled_from(DUMPS), st.randoms(use_true_random=False))
def test_a_mutated_real_dump_loads_or_is_refused_with_its_line(path, rng) -> None:
    text = Mutator(rng).mutate(path.read_text(encoding="utf-8", errors="replace"))
    try:
        snapshot = snapshot_from_iomem(text, "m.txt")
        json.dumps(map_json(snapshot), allow_nan=False)
        list(snapshot.parsed.walk())
        snapshot.memmap.free  # noqa: B018
    except CrashmapError as error:
        assert str(error).startswith("m.txt")
