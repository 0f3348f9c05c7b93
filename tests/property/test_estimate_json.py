"""Ranges and estimates: any snapshot that loads gives an estimate whose JSON is strict JSON
with integers for every size (no float that could be inf or nan), and every table evaluates."""

from __future__ import annotations

import json

from crashmap.arch import ARCHES
from crashmap.errors import CrashmapError
from crashmap.estimate.report import build, to_json
from crashmap.estimate.whatif import WhatIf
from crashmap.snapshot import Snapshot
from crashmap.sources import settle_arch
from hypothesis import given
from hypothesis import strategies as st

from tests.corpus import DUMPS
from tests.property.profile import examples

U64 = (1 << 64) - 1
SIZES = st.one_of(st.none(), st.sampled_from([0, 1, 4095, 4096, 65536, 1 << 30, 1 << 63, U64]),
                  st.integers(min_value=0, max_value=U64))
DUMP_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in DUMPS[::4]]


def _floats(value: object, where: str = "") -> list[str]:
    if isinstance(value, float):
        return [where]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in _floats(v, f"{where}.{k}")]
    if isinstance(value, list | tuple):
        return [f for i, v in enumerate(value) for f in _floats(v, f"{where}[{i}]")]
    return []


@examples(40)
@given(st.sampled_from(DUMP_TEXTS), st.sampled_from(sorted(ARCHES)),
       st.fixed_dictionaries({"mem_total": SIZES, "page_size": SIZES, "cpu_count": SIZES,
                              "kernel_size": SIZES, "initrd_size": SIZES,
                              "swiotlb_size": SIZES}),
       st.one_of(st.none(), st.builds(WhatIf, ram=st.one_of(st.none(), SIZES.filter(bool)),
                                      capture_cpus=st.one_of(st.none(),
                                                             st.integers(1, 1 << 20)))))
def test_an_estimate_is_strict_json_with_integer_sizes(iomem, arch, facts, whatif) -> None:
    snapshot = Snapshot(iomem, source="s.yaml", arch=arch,
                        **{k: v for k, v in facts.items() if v is not None})
    settle_arch(snapshot, None)
    try:
        document = to_json(build(snapshot, whatif=whatif, live=False))
    except CrashmapError as error:  # a what-if the machine cannot have (RAM past 64 bits)
        assert whatif is not None and "\n" not in str(error)
        return
    json.dumps(document, allow_nan=False)
    assert _floats(document) == []
