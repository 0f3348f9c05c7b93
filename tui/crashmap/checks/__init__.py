"""Findings about a crashkernel plan on one map: each with a lesson, a fix and an address range.

Use::

    ctx = context_from_snapshot(snapshot)           # once per map
    verdict = evaluate_cmdline(ctx, "crashkernel=512M,high")   # per edit / drag step
    verdict.placement.blocks, verdict.findings, verdict.ok

or :func:`evaluate` with a :class:`~crashmap.placement.Request` built without the grammar.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.checks import (
    cma,
    current,
    fadump,
    fit,
    installer,
    kdump,
    kernelconf,
    lowhigh,
    sizing,
)
from crashmap.checks.finding import CHAPTERS, SEVERITY_ORDER, Chapter, Finding, Severity, Subject
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel
from crashmap.placement import Placement, PlacementContext, Request, request_from_grammar, simulate
from crashmap.units import format_size

CHECKS = (kdump.check, kernelconf.check, fit.check, lowhigh.check, cma.check, sizing.check,
          current.check, installer.check, fadump.check)
"""Every check, in the order their findings are listed within a severity."""


TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


class Verdict(namedtuple("Verdict", "placement findings grammar lints", defaults=(None, ()))):
    """A prediction (:class:`~crashmap.placement.Placement`) and its findings; ``grammar`` and
    ``lints`` are the grammar's parse and lint when the plan came from a command line."""

    __slots__ = ()

    @property
    def ok(self) -> bool:
        """No finding is an error and the reservation does not fail: ``check``'s exit code 0,
        and what ``export`` and ``fleet`` ask. Warnings never fail a plan; a reservation that
        comes out short says why in a warning or an error of its own."""
        return not self.errors and self.placement.outcome != "failed"

    @property
    def in_full(self) -> bool:
        """:attr:`ok` and every block reserved in full (what a suggested plan must be)."""
        return self.ok and self.placement.reserves_all

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def by_severity(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def verdict_line(self) -> str:
        """One sentence for people: what happens on the next boot."""
        p = self.placement
        if p.outcome == "nothing requested":
            return "Nothing is requested: no crash kernel memory will be reserved."
        if p.outcome == "not modelled":
            return f"{p.arch}: placement not modelled; see the findings."
        total = sum(b.size for b in p.blocks)
        head = {"reserved": "Reserves", "partially reserved": "Reserves only part:",
                "failed": "Fails:"}[p.outcome]
        if p.outcome == "failed":
            first = self.errors[0].message if self.errors else "nothing can be reserved"
            return f"{head} {first}."
        parts = ", ".join(f"{b.kind} {format_size(b.size)}" for b in p.blocks)
        tail = f" ({len(self.errors)} error{'s' if len(self.errors) != 1 else ''})" \
            if self.errors else ""
        return f"{head} {format_size(total)} ({parts}){tail}."


def run_checks(ctx: PlacementContext, placement: Placement, *, cmdline: str | None = None,
               grammar: Any = None, lints: tuple[Any, ...] = ()) -> tuple[Finding, ...]:
    """All findings for ``placement``: errors first, then warnings, then info."""
    subject = Subject(ctx, placement, cmdline, grammar, tuple(lints))
    found: list[Finding] = kdump.lint_findings(lints)
    for check in CHECKS:
        found.extend(check(subject))
    return tuple(sorted(found, key=lambda f: SEVERITY_ORDER[f.severity]))


def evaluate(ctx: PlacementContext, request: Request, *, cmdline: str | None = None,
             grammar: Any = None, lints: tuple[Any, ...] = ()) -> Verdict:
    """Simulate ``request`` and run every check."""
    placement = simulate(ctx, request)
    return Verdict(placement, run_checks(ctx, placement, cmdline=cmdline, grammar=grammar,
                                         lints=lints), grammar, tuple(lints))


def evaluate_cmdline(ctx: PlacementContext, cmdline: str, *,
                     system_ram: int | None = None) -> Verdict:
    """Parse ``cmdline`` as the kernel does on this arch, then :func:`evaluate` it."""
    result = parse_crashkernel(cmdline, system_ram or ctx.total_ram, ctx.arch,
                               kernel=ctx.kernel)
    lints = lint_crashkernel(result)
    return evaluate(ctx, request_from_grammar(result, cmdline), cmdline=cmdline, grammar=result,
                    lints=lints)


__all__ = ["CHAPTERS", "CHECKS", "Chapter", "Finding", "Severity", "Verdict", "evaluate",
           "evaluate_cmdline", "run_checks"]
