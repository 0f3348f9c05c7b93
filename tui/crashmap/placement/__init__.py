"""Where the next boot puts the crash kernel: a pure simulation of the kernel's reservation.

Use::

    ctx = context_from_snapshot(snapshot)          # once per map
    placement = simulate(ctx, Request(crash_size=256 << 20))   # per plan, cheap
    placement.blocks, placement.outcome, placement.kernel_log, placement.confidence

``request_from_grammar()`` turns ``crashmap.kernel.grammar.parse_crashkernel()``'s result into
a :class:`Request`. No Textual and no rich here.
"""

from crashmap.placement.adapter import request_from_grammar
from crashmap.placement.context import (
    Hidden,
    PlacementContext,
    build_context,
    context_from_snapshot,
    shared_context,
)
from crashmap.placement.facts import Facts, kernel_version
from crashmap.placement.inferred import Inferred, infer_current
from crashmap.placement.result import (
    Attempt,
    Block,
    CmaResult,
    Placement,
    Request,
    StaticResult,
)
from crashmap.placement.simulate import simulate

__all__ = [
    "Attempt", "Block", "CmaResult", "Facts", "Hidden", "Inferred", "Placement",
    "PlacementContext", "infer_current",
    "Request", "StaticResult", "build_context", "context_from_snapshot", "kernel_version",
    "request_from_grammar", "shared_context", "simulate",
]
