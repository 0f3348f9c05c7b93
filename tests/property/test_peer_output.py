"""The peers' output readers: any text is read or refused in one line naming the file (and the
line when one is to blame); what is read gives strict JSON with integer sizes, and the sizes
are whole MiB (both tools print MiB) except kdumpctl's large modules (bytes)."""

from __future__ import annotations

import json

from crashmap.errors import CrashmapError
from crashmap.peers import calibrate, kdumpctl_estimate
from hypothesis import given
from hypothesis import strategies as st

from tests.property.profile import examples
from tests.unit.test_peers_calibrate import FADUMP, HIGH_ZERO, KDUMPTOOL_OK, XEN_DOMU
from tests.unit.test_peers_kdumpctl_estimate import AZURE, LUKS, RHEL8, RHEL10

M = 1 << 20
NUMBERS = st.one_of(st.sampled_from(["0", "1", "-1", "1.5", "²", "٣", "1_000", "0x10", "9" * 30,
                                     "", " ", "256M", "1G", "<none>"]),
                    st.integers(0, 1 << 70).map(str), st.text(max_size=8))


def _lines(samples: list[str]) -> st.SearchStrategy[str]:
    """A sample with some lines dropped, doubled, reordered or given another value."""
    def edit(sample: str, data: st.DataObject) -> str:
        lines = sample.splitlines()
        out = data.draw(st.lists(st.sampled_from(lines), max_size=len(lines) + 3)
                        if lines else st.just([]))
        for i, line in enumerate(out):
            if ":" in line and data.draw(st.booleans()):
                out[i] = line.split(":")[0] + ": " + data.draw(NUMBERS)
        return "\n".join(out) + data.draw(st.sampled_from(["", "\n", "\r\n", "\n\n"]))

    return st.builds(edit, st.sampled_from(samples), st.data())


def _one_line(error: CrashmapError, path: str) -> None:
    text = str(error)
    assert "\n" not in text and "\r" not in text and text.startswith(path)


def _sizes(document: dict) -> list[object]:
    return [v for v in document.values() if not isinstance(v, dict | list | str | bool)]


@examples(150)
@given(st.one_of(_lines([KDUMPTOOL_OK, HIGH_ZERO, FADUMP, XEN_DOMU]), st.text(max_size=200)))
def test_calibrate_output(text: str) -> None:
    try:
        c = calibrate.parse(text, "cal.txt")
    except CrashmapError as error:
        _one_line(error, "cal.txt")
        return
    document = c.to_json()
    json.dumps(document, allow_nan=False)
    for value in _sizes(document):
        assert value is None or (isinstance(value, int) and value % M == 0 and value >= 0)
    assert all(w.startswith("crashkernel=") and w.count("=") == 1 for w in c.words())


@examples(150)
@given(st.one_of(_lines([AZURE, RHEL8, RHEL10, LUKS]), st.text(max_size=200)))
def test_kdumpctl_estimate_output(text: str) -> None:
    try:
        e = kdumpctl_estimate.parse(text, "est.txt")
    except CrashmapError as error:
        _one_line(error, "est.txt")
        return
    document = e.to_json()
    json.dumps(document, allow_nan=False)
    for field in kdumpctl_estimate.FIELDS.values():
        value = getattr(e, field)
        assert value is None or (isinstance(value, int) and value % M == 0 and value >= 0)
    assert e.ok == (e.recommended is not None)
    assert all(isinstance(size, int) and size >= 0 for _, size in e.large_modules)
