"""Every what-if flag moves the estimate in its own direction, whatever else is known.

The estimate is what ``crashmap estimate`` suggests (the total need behind the suggested plan)
and each model's own number where it has one. More RAM, more capture CPUs, bigger pages, a LUKS
target (and more keyslot memory), a network target: never less. The issue's case: ``--luks``
without a size made the models "unknown", so the 192 MiB fallback replaced a 368 MiB estimate.

The combined property starts from any mix of what-ifs (every flag drawn, or left as the map has
it) and raises one flag: the total need, each model's number and the suggested reservation (what
the words reserve: static + CMA) never go down, on the bundled maps and on raw dumps of the
arches no bundled map has.
"""

from __future__ import annotations

import pytest
from crashmap.estimate.inputs import Inputs
from crashmap.estimate.report import build
from crashmap.estimate.whatif import PAGE_SIZES, WhatIf
from crashmap.sources import load_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

K, M, G = 1 << 10, 1 << 20, 1 << 30
FULL = dict(page_size=4 * K, cpus=8, kernel_image=30 * M, kernel_file=12 * M, initrd=40 * M,
            initrd_unpacked=120 * M, modules=(("a", 1 * M),), kernel_release="6.18.0")
"""Inputs every model needs besides a boot meminfo (the bundled maps know only some of them)."""
MAPS = ["x86_64-laptop-zenbook", "arm64-server-emag", "s390x-vm-kvm-2g",
        "x86_64-server-cascadelake"]
_SNAPSHOTS: dict[str, object] = {}


def _snapshot(name: str):  # type: ignore[no-untyped-def]
    if name not in _SNAPSHOTS:
        _SNAPSHOTS[name] = load_source(name)
    return _SNAPSHOTS[name]


def _estimate(name: str, full: bool, **changes: object) -> tuple[int | None, dict[str, int]]:
    snapshot = _snapshot(name)
    inputs = None
    if full:
        from crashmap.estimate import inputs as inputs_mod

        meminfo = {"MemTotal": snapshot.system_ram // K, "MemFree": snapshot.system_ram // K // 2,
                   "Buffers": 20000, "Cached": 300000, "SReclaimable": 40000}
        inputs = inputs_mod.gather(snapshot).given(boot_meminfo=meminfo, **FULL)
    result = build(snapshot, inputs=inputs, whatif=WhatIf(**changes))  # type: ignore[arg-type]
    need = result.suggestion.total_need
    return (need.bytes if need is not None else None,
            {m.key: m.need for m in result.models if m.need is not None})


def _assert_not_less(low: tuple[int | None, dict[str, int]],
                     high: tuple[int | None, dict[str, int]], what: str) -> None:
    (low_total, low_models), (high_total, high_models) = low, high
    if low_total is not None:
        assert high_total is not None and high_total >= low_total, (what, low_total, high_total)
    for key, value in low_models.items():
        if key in high_models:
            assert high_models[key] >= value, (what, key, value, high_models[key])


def _pair(values: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(values, values).map(sorted)  # type: ignore[arg-type]


FLAGS = {
    "ram": _pair(st.integers(1, 1 << 14).map(lambda mib: mib * 128 * M)),
    "capture_cpus": _pair(st.integers(1, 256)),
    "luks_memory": _pair(st.integers(0, 2048).map(lambda mib: mib * M)),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAPS), st.booleans(), st.sampled_from(sorted(FLAGS)), st.data())
def test_a_bigger_value_never_gives_less(name: str, full: bool, flag: str,
                                         data: st.DataObject) -> None:
    low, high = data.draw(FLAGS[flag])
    _assert_not_less(_estimate(name, full, **{flag: low}), _estimate(name, full, **{flag: high}),
                     f"{flag} {low} -> {high}")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAPS), st.booleans())
def test_switching_a_flag_on_never_gives_less(name: str, full: bool) -> None:
    plain = _estimate(name, full)
    _assert_not_less(plain, _estimate(name, full, luks=True), "--luks")
    _assert_not_less(plain, _estimate(name, full, luks=True, luks_memory=64 * M), "--luks 64M")
    _assert_not_less(plain, _estimate(name, full, network=True), "--network")
    _assert_not_less(_estimate(name, full, luks=True, luks_memory=0),
                     _estimate(name, full, luks=True), "--luks (unknown) vs --luks 0")


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("full", [False, True], ids=["map only", "all inputs"])
def test_bigger_pages_never_give_less(name: str, full: bool) -> None:
    arch = _snapshot(name).arch
    sizes = PAGE_SIZES.get(arch, (4 * K,))
    for small, big in zip(sizes, sizes[1:]):  # noqa: B905 (pairs of neighbours)
        _assert_not_less(_estimate(name, full, page_size=small),
                         _estimate(name, full, page_size=big), f"page {small} -> {big}")


def test_more_ram_keeps_what_was_measured_at_less() -> None:
    """Debian's estimator needs a boot meminfo measured at the machine's RAM: at more RAM it is
    unknown, and its measured value stays a floor (it was the largest here)."""
    name = "x86_64-laptop-zenbook"
    here, models = _estimate(name, True)
    assert here == models["debian"] and here > models["suse"]
    more, models_more = _estimate(name, True, ram=_snapshot(name).system_ram + 128 * M)
    assert "debian" not in models_more and more >= here


def test_the_issue_case_luks_on_the_demo() -> None:
    plain, _ = _estimate("x86_64-laptop-zenbook", False)
    luks, _ = _estimate("x86_64-laptop-zenbook", False, luks=True)
    assert plain is not None and luks is not None and luks > plain


def test_no_cma_keeps_the_total_and_never_shrinks_the_static_block() -> None:
    snapshot = _snapshot("x86_64-laptop-zenbook")
    inputs = Inputs  # noqa: F841 (the flag changes only how the total is split)
    from crashmap.estimate import inputs as inputs_mod

    gathered = inputs_mod.gather(snapshot).given(**FULL)
    with_cma = build(snapshot, inputs=gathered, whatif=WhatIf(accept_cma=True)).suggestion
    without = build(snapshot, inputs=gathered, whatif=WhatIf(accept_cma=False)).suggestion
    assert without.total_need.bytes == with_cma.total_need.bytes
    assert without.static >= with_cma.static and without.cma == 0


RAW = {"riscv64": "54", "i386": "19", "arm": "11", "mips": "37"}
"""Raw dumps (tests/data/iomem) of arches no bundled map has, read with --arch."""
EVERY_MAP = MAPS + ["arm64-board-rpi4-4gb", "x86_64-vm-qemu-3g", "loongarch64-machine",
                    *(f"raw:{arch}" for arch in RAW)]
RAISES = ("ram", "capture_cpus", "page_size", "luks", "luks_memory", "network")
"""Every what-if flag with a direction (``--kernel`` names another kernel, ``--no-cma`` only
splits the same total differently: tested above)."""


def _any_snapshot(name: str):  # type: ignore[no-untyped-def]
    if name.startswith("raw:") and name not in _SNAPSHOTS:
        from crashmap.sources import load_source as load

        from tests.corpus import dump

        arch = name[4:]
        _SNAPSHOTS[name] = load(str(dump(RAW[arch])), arch=arch)
    return _snapshot(name)


def _outcome(name: str, full: bool, whatif: dict[str, object]) -> tuple[int | None, dict[str, int],
                                                                         int]:
    snapshot = _any_snapshot(name)
    inputs = None
    if full:
        from crashmap.estimate import inputs as inputs_mod

        inputs = inputs_mod.gather(snapshot).given(**FULL)
    result = build(snapshot, inputs=inputs, whatif=WhatIf(**whatif))  # type: ignore[arg-type]
    suggestion = result.suggestion
    need = suggestion.total_need
    return (need.bytes if need is not None else None,
            {m.key: m.need for m in result.models if m.need is not None},
            suggestion.static + suggestion.cma)


@st.composite
def _raised(draw: st.DrawFn, name: str) -> tuple[str, dict[str, object], dict[str, object]]:
    """A mix of what-ifs, the same with one flag raised, and that flag."""
    snapshot = _any_snapshot(name)
    pages = PAGE_SIZES.get(snapshot.arch, (4 * K,))
    maybe = st.none().__or__
    base: dict[str, object] = {
        "ram": draw(maybe(st.integers(1, 1 << 13).map(lambda mib: mib * 128 * M))),
        "capture_cpus": draw(maybe(st.integers(1, 256))),
        "page_size": draw(maybe(st.sampled_from(pages))),
        "luks": draw(maybe(st.booleans())),
        "luks_memory": draw(maybe(st.integers(0, 2048).map(lambda mib: mib * M))),
        "network": draw(maybe(st.booleans())),
        "accept_cma": draw(st.booleans()),
    }
    flag = draw(st.sampled_from(RAISES))
    raised = dict(base)
    if flag == "ram":
        raised["ram"] = (base["ram"] or snapshot.system_ram) + draw(st.integers(1, 1 << 12)) * 128 * M
    elif flag == "capture_cpus":
        base["capture_cpus"] = base["capture_cpus"] or draw(st.integers(1, 64))
        raised["capture_cpus"] = base["capture_cpus"] + draw(st.integers(1, 64))  # type: ignore[operator]
    elif flag == "page_size":
        small = draw(st.sampled_from(pages))
        base["page_size"] = small
        raised["page_size"] = draw(st.sampled_from([p for p in pages if p >= small]))
    elif flag == "luks_memory":
        base["luks_memory"] = base["luks_memory"] or 0
        raised["luks_memory"] = base["luks_memory"] + draw(st.integers(1, 1024)) * M  # type: ignore[operator]
    else:  # a switch: off, then on (--luks without a size: the keyslot memory unknown)
        base[flag] = False
        raised[flag] = True
        if flag == "luks":
            base["luks_memory"] = raised["luks_memory"] = None
    return flag, base, raised


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EVERY_MAP), st.booleans(), st.data())
def test_raising_any_flag_among_others_never_gives_less(name: str, full: bool,
                                                        data: st.DataObject) -> None:
    flag, base, raised = data.draw(_raised(name))
    (low_total, low_models, low_reserved) = _outcome(name, full, base)
    (high_total, high_models, high_reserved) = _outcome(name, full, raised)
    what = (flag, base, raised)
    _assert_not_less((low_total, low_models), (high_total, high_models), str(what))
    assert high_reserved >= low_reserved, (what, low_reserved, high_reserved)
