"""A finding: what is wrong or worth knowing, why (a short lesson), and what to do."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any, Literal

    from crashmap.placement import Placement, PlacementContext

    Severity = Literal["error", "warning", "info"]
    Chapter = Literal["kdump", "syntax", "lowhigh", "placement", "fragmentation", "cma",
                      "sizing"]
else:
    Severity = Chapter = str

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
CHAPTERS = ("kdump", "syntax", "lowhigh", "placement", "fragmentation", "cma", "sizing")
"""The teaching chapters a finding can point to."""


class Finding(namedtuple("Finding", "code severity message explain fix chapter range",
                         defaults=(None,))):
    """One check result.

    - ``code``: kebab-case identifier; ``severity``: error, warning or info
    - ``message``: what is wrong or worth knowing, one sentence
    - ``explain``: the concept behind it, 1-3 sentences that teach
    - ``fix``: a concrete suggestion (empty for purely informative findings)
    - ``chapter``: the teaching chapter (see ``CHAPTERS``)
    - ``range``: the address range it is about, for the map; None if none
    """

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        r = self.range
        return {
            "code": self.code, "severity": self.severity, "message": self.message,
            "explain": self.explain, "fix": self.fix, "chapter": self.chapter,
            "range": None if r is None else {"start": r.start, "end": r.end - 1, "size": r.size},
        }


class Subject:
    """What every check looks at: the map's context, the prediction, and the command line.

    ``cmdline`` is the line being checked (None when the plan did not come from one);
    ``grammar`` the grammar's parse of it; ``lints`` the grammar linter's findings.
    """

    __slots__ = ("ctx", "placement", "cmdline", "grammar", "lints")

    def __init__(self, ctx: PlacementContext, placement: Placement, cmdline: str | None = None,
                 grammar: Any = None, lints: tuple[Any, ...] = ()) -> None:
        self.ctx, self.placement, self.cmdline = ctx, placement, cmdline
        self.grammar, self.lints = grammar, tuple(lints)

    @property
    def lint_codes(self) -> frozenset[str]:
        return frozenset(lint.code for lint in self.lints)

    @property
    def arch(self):  # type: ignore[no-untyped-def]
        return self.ctx.arch

    @property
    def request(self):  # type: ignore[no-untyped-def]
        return self.placement.request
