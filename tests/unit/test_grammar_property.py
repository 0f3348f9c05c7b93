"""Properties of the emulation over random input (hypothesis)."""

from __future__ import annotations

from crashmap.arch import ARCHES, get_arch
from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import EINVAL, parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel
from hypothesis import given, settings
from hypothesis import strategies as st

TOKENS = ["crashkernel=", "crashkernel", "=", "x", " ", "\t", "\n", "\0", "256", "M", "G", "e",
          "0x", "0", "7", "@", ",high", ",low", ",cma", ",", "-", ":", ";", "auto", "B", "é"]
LINES = st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
ARCH_NAMES = st.one_of(st.sampled_from(sorted(ARCHES)), st.text(max_size=8))
RAMS = st.one_of(st.integers(min_value=0, max_value=(1 << 64) - 1), st.integers())


@settings(max_examples=600)
@given(LINES, RAMS, ARCH_NAMES)
def test_random_text_raises_nothing_but_crashmap_error(line: str, ram: int, arch: str) -> None:
    try:
        result = parse_crashkernel(line, ram, arch)
        lint_crashkernel(result)
    except CrashmapError:
        return


@settings(max_examples=400)
@given(LINES, st.integers(min_value=0, max_value=(1 << 64) - 1),
       st.sampled_from(sorted(ARCHES)))
def test_result_invariants(line: str, ram: int, arch_name: str) -> None:
    arch = get_arch(arch_name)
    result = parse_crashkernel(line, ram, arch_name)
    assert result.ret in (0, EINVAL)  # spec §2.7: never -ENOENT
    assert (result.error is None) is result.ok
    if result.ok:
        assert 0 < result.crash_size < ram  # spec §2.7 step 4
    if result.high:
        assert result.ok and arch.high_low
    if not arch.high_low:
        assert result.low_size == 0 and not result.high
    if not arch.cma:
        assert result.cma_size == 0 and not result.cma_kept
    assert len(result.words) == line.split("\0")[0].count("crashkernel=")
    used = [u.word.kind for u in result.words if u.status == "used"]
    assert len(used) == len(set(used))  # at most one word per class is used (spec §2.2.4)


@given(st.integers(min_value=0, max_value=1 << 50),
       st.sampled_from(["", "K", "M", "G", "k", "m", "g"]),
       st.integers(min_value=0, max_value=1 << 62), st.sampled_from(sorted(ARCHES)))
def test_simple_size_oracle(number: int, unit: str, ram: int, arch: str) -> None:
    # spec §2.1 + §2.7 step 4, decimal without a leading zero
    text = str(number) if number else "0"
    shift = {"": 0, "k": 10, "m": 20, "g": 30}[unit.lower()]
    size = (number << shift) % (1 << 64)
    result = parse_crashkernel(f"quiet crashkernel={text}{unit} splash", ram, arch)
    assert result.ok is (0 < size < ram)
    assert result.crash_size == size
