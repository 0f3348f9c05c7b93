"""Render: a plan → the shortest canonical crashkernel= words that parse back to it."""

from __future__ import annotations

import pytest
from crashmap.arch import ARCHES, get_arch
from crashmap.errors import CrashmapError
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.render import CrashkernelRequest, canonical_size, render, render_words
from crashmap.plan import Plan
from hypothesis import given, settings
from hypothesis import strategies as st

K, M, G = 1 << 10, 1 << 20, 1 << 30


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (1, "1"), (4097, "4097"), (K, "1K"), (1536 * M, "1536M"), (2 * G, "2G"),
     (1 << 40, "1T"), (3 << 50, "3P"), (15 << 60, "15E"), ((1 << 64) - 1, "18446744073709551615")],
)
def test_canonical_size(n: int, text: str) -> None:
    assert canonical_size(n) == text


@pytest.mark.parametrize(
    ("request_", "arch", "words"),
    [
        (CrashkernelRequest(256 * M), "x86_64", ("crashkernel=256M",)),
        (CrashkernelRequest(256 * M, base=16 * M), "x86_64", ("crashkernel=256M@16M",)),
        (CrashkernelRequest(256 * M, base=0), "x86_64", ("crashkernel=256M",)),  # §2.4: @0 = auto
        (CrashkernelRequest(G, high=True), "x86_64", ("crashkernel=1G,high",)),
        # the default low size needs no word (spec §2.7, §4: 256M on x86_64, 128M on arm64)
        (CrashkernelRequest(G, high=True, low=256 * M), "x86_64", ("crashkernel=1G,high",)),
        (CrashkernelRequest(G, high=True, low=256 * M), "arm64",
         ("crashkernel=1G,high", "crashkernel=256M,low")),
        (CrashkernelRequest(G, high=True, low=0), "x86_64",
         ("crashkernel=1G,high", "crashkernel=0,low")),
        (CrashkernelRequest(256 * M, cma=G), "x86_64", ("crashkernel=256M", "crashkernel=1G,cma")),
        (CrashkernelRequest(256 * M, cma=G), "ppc64le", ("crashkernel=256M", "crashkernel=1G,cma")),
        (CrashkernelRequest(0), "x86_64", ()),
    ],
)
def test_render_words(request_: CrashkernelRequest, arch: str, words: tuple[str, ...]) -> None:
    assert render_words(request_, arch) == words


def test_render_accepts_the_editable_plan() -> None:
    assert render(Plan(size=G, mode="high", low=128 * M, cma=2 * G), "x86_64") == (
        "crashkernel=1G,high crashkernel=128M,low crashkernel=2G,cma")
    assert render(Plan(size=256 * M, mode="fixed", base=32 * M), "arm64") == "crashkernel=256M@32M"
    # auto mode drops a base or low size the kernel would not read
    assert render(Plan(size=256 * M, mode="auto", base=32 * M, low=M), "arm64") == (
        "crashkernel=256M")


@pytest.mark.parametrize(
    ("request_", "arch"),
    [
        (CrashkernelRequest(G, high=True), "ppc64le"),  # spec §1: no ,high on powerpc
        (CrashkernelRequest(G, high=True), "s390x"),
        (CrashkernelRequest(256 * M, cma=G), "loongarch64"),  # no ,cma on loongarch
        (CrashkernelRequest(256 * M, cma=G), "s390x"),
        (CrashkernelRequest(G, high=True, base=16 * M), "x86_64"),  # spec §2.6: no @ with suffix
        (CrashkernelRequest(G, low=128 * M), "x86_64"),  # ,low only with ,high
        (CrashkernelRequest(0, cma=G), "x86_64"),  # spec §2.7: ,cma alone does nothing on x86
        (CrashkernelRequest(0, high=True), "x86_64"),
        (CrashkernelRequest(-1), "x86_64"),
        (CrashkernelRequest(1 << 64), "x86_64"),
    ],
)
def test_inexpressible_plans(request_: CrashkernelRequest, arch: str) -> None:
    with pytest.raises(CrashmapError):
        render_words(request_, arch)


def test_size_not_below_ram_is_refused_when_ram_is_known() -> None:
    # spec §2.7 step 4
    with pytest.raises(CrashmapError):
        render_words(CrashkernelRequest(4 * G), "x86_64", ram=4 * G)
    assert render_words(CrashkernelRequest(4 * G), "x86_64", ram=4 * G + 1) == ("crashkernel=4G",)


def test_not_a_plan() -> None:
    with pytest.raises(CrashmapError):
        render_words(object(), "x86_64")


SIZES = st.one_of(
    st.integers(min_value=1, max_value=1 << 40),
    st.integers(min_value=1, max_value=1 << 20).map(lambda n: n << 20),
)


@st.composite
def requests_for_arch(draw: st.DrawFn) -> tuple[str, CrashkernelRequest]:
    arch = get_arch(draw(st.sampled_from(sorted(ARCHES))))
    size = draw(SIZES)
    high = arch.high_low and draw(st.booleans())
    base = None if high else draw(st.one_of(st.none(), st.integers(0, 1 << 44)))
    low = draw(st.one_of(st.none(), st.just(arch.default_low), SIZES, st.just(0))) if high else None
    cma = draw(st.one_of(st.just(0), SIZES)) if arch.cma else 0
    return arch.name, CrashkernelRequest(size, base, high, low, cma)


@settings(max_examples=400)
@given(requests_for_arch(), st.integers(min_value=1, max_value=1 << 45))
def test_round_trip_over_all_arches(drawn: tuple[str, CrashkernelRequest], extra: int) -> None:
    arch_name, req = drawn
    arch = get_arch(arch_name)
    ram = req.size + extra
    words = render_words(req, arch_name, ram=ram)
    result = parse_crashkernel(" ".join(words), ram, arch_name)
    assert result.ok
    assert result.crash_size == req.size
    assert result.crash_base == (req.base or 0)
    assert result.high is req.high
    expected_low = (arch.default_low if req.low is None else req.low) if req.high else 0
    assert result.low_size == expected_low
    assert result.cma_size == req.cma
    assert all(use.status == "used" for use in result.words)
    # shortest: one word per thing that differs from the kernel's defaults
    needed = 1 + (req.high and expected_low != arch.default_low) + (req.cma > 0)
    assert len(words) == needed
    # and each size in its shortest decimal-with-unit spelling
    for word in words:
        number = word.split("=", 1)[1].split(",")[0].split("@")[0]
        assert not number[-1].isdigit() or int(number) % 1024 != 0 or int(number) == 0


@given(st.integers(min_value=1, max_value=(1 << 64) - 1))
def test_canonical_size_is_the_shortest_unit_spelling(n: int) -> None:
    spellings = [str(n)] + [f"{n >> s}{u}" for u, s in (("K", 10), ("M", 20), ("G", 30),
                                                        ("T", 40), ("P", 50), ("E", 60))
                            if n % (1 << s) == 0]
    assert len(canonical_size(n)) == min(len(s) for s in spellings)
