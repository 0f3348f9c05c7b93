"""A fix for a fixed base that cannot work is a plan that passes ``check`` on the same map.

Every base a fixed-base finding offers is applied as ``crashkernel=SIZE@BASE`` and checked again
(the checks' own verdict); "drop @offset" is offered only if the automatic plan passes. The issue's
cases: ``@3x`` offered "@16M or @16M"; ``@17M`` offered "@16M or @32M" where both overlap the
running kernel image.
"""

from __future__ import annotations

import re

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.placement import context_from_snapshot
from crashmap.sources import bundled_maps, load_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXED = ("fixed-base-misaligned", "fixed-base-busy", "fixed-base-kernel", "fixed-base-too-low")
MAPS = sorted(bundled_maps())
_CONTEXTS: dict[str, tuple[object, object]] = {}


def _map(name: str):  # type: ignore[no-untyped-def]
    if name not in _CONTEXTS:
        snapshot = load_source(name)
        _CONTEXTS[name] = (snapshot, context_from_snapshot(snapshot))
    return _CONTEXTS[name]


def _offered(fix: str) -> list[str]:
    return re.findall(r"@(0x[0-9a-f]+|\d+[KMGT]?)\b", fix)


def _assert_fixes_pass(name: str, size: str, base: str) -> list[str]:
    snapshot, ctx = _map(name)
    verdict = evaluate_cmdline(ctx, f"crashkernel={size}@{base}", system_ram=snapshot.system_ram)
    offered: list[str] = []
    for finding in verdict.findings:
        if finding.code not in FIXED:
            continue
        bases = _offered(finding.fix)
        assert len(bases) == len(set(bases)), finding.fix  # never "@16M or @16M"
        for candidate in bases:
            again = evaluate_cmdline(ctx, f"crashkernel={size}@{candidate}",
                                     system_ram=snapshot.system_ram)
            assert again.ok, (name, size, base, candidate, again.verdict_line)
        if "drop @offset" in finding.fix and "no fixed base" not in finding.fix.lower():
            auto = evaluate_cmdline(ctx, f"crashkernel={size}", system_ram=snapshot.system_ram)
            assert auto.ok, (name, size, finding.fix)
        offered += bases
    return offered


def test_the_issue_cases_on_a_map_where_rounding_lands_on_the_kernel() -> None:
    name = "x86_64-vm-firecracker-6.18"  # the kernel image runs from 16 MiB to ~60 MiB
    _, ctx = _map(name)
    for rounded in (16 << 20, 32 << 20):
        assert any(k.start < rounded + (256 << 20) and rounded < k.end for k in ctx.kernel_image)
    offered = _assert_fixes_pass(name, "256M", "17M")
    assert offered and not {"16M", "32M"} & set(offered)
    offered = _assert_fixes_pass("x86_64-laptop-zenbook", "512M", "3x")
    assert len(offered) == 1


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("base", ["3x", "17M", "16M", "1G", "0x100000"])
def test_every_offered_base_passes_on_every_map(name: str, base: str) -> None:
    _assert_fixes_pass(name, "256M", base)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAPS), st.integers(1, 64).map(lambda m: f"{m * 16}M"),
       st.integers(1, 1 << 36))
def test_any_base_on_any_map(name: str, size: str, base: int) -> None:
    _assert_fixes_pass(name, size, hex(base))
