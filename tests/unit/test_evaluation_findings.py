"""A drag step is evaluated without the checks and checked once its frame is out
(:func:`with_findings`): the result must be exactly what one full :func:`evaluate` gives, on
every bundled map, for plans that fit, fail, pin, go high, take CMA or cannot be written."""

from __future__ import annotations

import pytest
from crashmap.app.evaluation import context_for, evaluate, with_findings
from crashmap.plan import Plan
from crashmap.sources import bundled_maps, load_source
from crashmap.units import GiB, MiB

PLANS = (
    Plan(size=256 * MiB),
    Plan(size=64 * MiB, cma=256 * MiB),
    Plan(size=512 * MiB, mode="high"),
    Plan(size=128 * MiB, mode="fixed", base=3 * GiB + 5 * MiB),
    Plan(size=1024 * GiB),  # larger than any map: fails, with the checks' fixes
    Plan(size=0),
)


@pytest.mark.parametrize("name", sorted(bundled_maps()))
def test_findings_after_the_frame_are_those_of_a_full_evaluation(name: str) -> None:
    ctx = context_for(load_source(name))
    for plan in PLANS:
        full = evaluate(ctx, plan)
        quick = evaluate(ctx, plan, check=False)
        assert full.checked
        if quick.placement is None:  # words cannot say it: the one finding comes at once
            assert quick == full and quick.findings[0].code == "plan-not-expressible"
        else:  # drawn now, its checks to come
            assert not quick.checked and quick.findings == ()
            assert quick._replace(findings=full.findings, checked=True) == full
        assert with_findings(ctx, quick) == full
        assert with_findings(ctx, full) is full
