"""The lessons (``lessons.yaml``): each names a real map and chapter, and what its task tells the
class to look for is what the kernel rules (the domain core) do on that map."""

from __future__ import annotations

import pytest
from crashmap.app.evaluation import Evaluation, context_for, evaluate, initial_plan
from crashmap.app.learn import CHAPTER_IDS
from crashmap.app.learn.lessons import Lesson, _lesson, get_lesson, lesson_table, lessons
from crashmap.errors import CrashmapError
from crashmap.kernel import parse_crashkernel
from crashmap.kernel.target import TargetKernel, resolve_target
from crashmap.plan import Block
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source
from crashmap.units import GiB, MiB, format_size

FOUR_GIB = 4 * GiB


def start(name: str, presses: int = 0, block: Block = "main") -> Evaluation:
    """The lesson's starting plan after ``presses`` of ``+`` on ``block``, as the app does it."""
    lesson = get_lesson(name)
    snapshot = load_source(lesson.map)
    ctx = context_for(snapshot, target(lesson, snapshot))
    plan = initial_plan(ctx, lesson.cmdline if lesson.cmdline is not None else snapshot.cmdline)
    for _ in range(presses):
        plan = plan.resized(block, 1, ctx.arch)
    return evaluate(ctx, plan)


def target(lesson: Lesson, snapshot: Snapshot) -> TargetKernel:
    """The kernel the lesson plans for, as the app resolves it (``--kernel``, else the map's)."""
    return resolve_target(lesson.kernel, snapshot.kernel_release)


def codes(evaluation: Evaluation) -> set[str]:
    return {finding.code for finding in evaluation.findings}


@pytest.mark.parametrize("lesson", list(lessons().values()), ids=list(lessons()))
def test_every_lesson_opens_a_real_map_plan_and_chapter(lesson: Lesson) -> None:
    snapshot = load_source(lesson.map)
    assert lesson.chapter in CHAPTER_IDS
    # The chapters describe the rules since 6.17 (CMA, the generic reservation code): a lesson on
    # a map from an older kernel plans for a newer one.
    assert target(lesson, snapshot).version >= (6, 17), lesson.kernel
    assert lesson.title and lesson.task and "\n" not in lesson.title
    if lesson.cmdline is not None:
        ctx = context_for(snapshot, target(lesson, snapshot))
        result = parse_crashkernel(lesson.cmdline, ctx.ram, ctx.arch, kernel=ctx.kernel)
        assert result.ok, lesson.cmdline
    else:
        assert "crashkernel=" in (snapshot.cmdline or ""), "the map's own plan is the lesson's"


def test_one_lesson_per_chapter_and_a_listing() -> None:
    assert sorted(lesson.chapter for lesson in lessons().values()) == sorted(CHAPTER_IDS)
    table = lesson_table()
    assert len(table) == len(lessons())
    assert table[0].split("\t") == ["first-look", "demo", "kdump",
                                    get_lesson("first-look").title]


def test_an_unknown_lesson_names_the_lessons() -> None:
    with pytest.raises(CrashmapError, match="no lesson 'nope'.*first-look.*--lesson list"):
        get_lesson("nope")


@pytest.mark.parametrize(("fields", "error"), [
    ({"title": "t", "map": "demo", "chapter": "kdump"}, "missing \\['task'\\]"),
    ({"title": "t", "map": "demo", "chapter": "nope", "task": "x"}, "no Learn chapter 'nope'"),
    ({"title": "t", "map": "demo", "chapter": "kdump", "task": "x", "size": 1}, "unknown"),
    ({"title": "t", "map": "demo", "chapter": "kdump", "task": "x", "kernel": "new"},
     "not a kernel version"),
    ("just text", "expected a mapping"),
])
def test_a_malformed_lesson_is_refused_by_name(fields: object, error: str) -> None:
    with pytest.raises(CrashmapError, match=f"lesson 'x'.*{error}"):
        _lesson("x", fields)


def test_first_look_warns_until_192m() -> None:
    assert start("first-look").cmdline == "crashkernel=96M"
    assert "size-below-floor" in codes(start("first-look", 5))
    at_192 = start("first-look", 6)
    assert at_192.cmdline == "crashkernel=192M" and "size-below-floor" not in codes(at_192)


def test_ranges_picks_256m_on_the_8_gib_desktop() -> None:
    evaluation = start("ranges")
    assert format_size(evaluation.ram) == "7.96 GiB"  # the task's "8 GiB": in 4G-64G
    assert evaluation.cmdline == "crashkernel=256M"


def test_high_fallback_jumps_high_at_518m_with_a_128m_low_block() -> None:
    at_512 = start("high-fallback")
    main = at_512.block("main")
    assert at_512.cmdline == "crashkernel=512M" and main is not None and main.end <= FOUR_GIB
    for presses in (1, 2):
        assert start("high-fallback", presses).block("low") is None
    at_518 = start("high-fallback", 3)
    main, low = at_518.block("main"), at_518.block("low")
    assert at_518.cmdline == "crashkernel=518M"
    assert main is not None and main.start >= FOUR_GIB
    assert low is not None and low.size == 128 * MiB and low.end <= FOUR_GIB
    assert "silent-low" in codes(at_518)


def test_placement_pins_on_the_kernel_and_reserves_nothing() -> None:
    evaluation = start("placement")
    assert evaluation.plan.mode == "fixed" and evaluation.plan.base == 512 * MiB
    assert evaluation.outcome == "failed" and "fixed-base-kernel" in codes(evaluation)
    kernel = load_source("demo").memmap.kernel_image
    assert any(512 * MiB <= k.start < 768 * MiB for k in kernel)  # the K under the block


def test_fragmentation_1440m_fits_low_1456m_does_not() -> None:
    memmap = load_source(get_lesson("fragmentation").map).memmap
    low_ram = sum(min(r.end, FOUR_GIB) - r.start for r in memmap.ram if r.start < FOUR_GIB)
    assert format_size(low_ram) == "1.65 GiB"
    fits = start("fragmentation")
    main = fits.block("main")
    assert main is not None and main.start == 16 * MiB and main.size == 1440 * MiB
    jumped = start("fragmentation", 1)
    main, low = jumped.block("main"), jumped.block("low")
    assert jumped.cmdline == "crashkernel=1456M"
    assert main is not None and main.start >= FOUR_GIB
    assert low is not None and low.size == 256 * MiB


def test_cma_lends_512m_from_4_gib() -> None:
    evaluation = start("cma")
    assert evaluation.cmdline == "crashkernel=256M crashkernel=512M,cma"
    cma = evaluation.blocks_of("cma")
    assert cma and cma[0].start == FOUR_GIB and evaluation.cma_reserved == 512 * MiB


def test_sizing_starts_small_on_a_big_server() -> None:
    evaluation = start("sizing")
    assert evaluation.cmdline == "crashkernel=256M" and evaluation.ram > 380 * GiB
