"""The hypothesis profile of the property tests: derandomized, so CI runs the same examples
every time (a failure reproduces), sized to a few seconds per test; no deadline (a shared CI
machine is slow at random; speed has its benchmarks in tests/bench)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "crashmap-ci", derandomize=True, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CI = settings.get_profile("crashmap-ci")


def examples(count: int) -> settings:
    """The CI profile with ``count`` examples."""
    return settings(CI, max_examples=count)
