"""The kernel's ``crashkernel=`` rules, emulated exactly (spec: kernel-crashkernel.md §1, §2, §4).

Pure domain code: integers for sizes, no terminal or UI imports.
"""

from __future__ import annotations

from crashmap.kernel.cmdline_edit import crashkernel_spans, replace_crashkernel
from crashmap.kernel.grammar import (
    CrashkernelResult,
    SubParse,
    Word,
    WordUse,
    find_words,
    parse_crashkernel,
    range_total_mem,
)
from crashmap.kernel.lint import Lint, lint_crashkernel
from crashmap.kernel.memparse import memparse
from crashmap.kernel.ranges import RangeEntry, RangeTable, Step, evaluate_table, explain_table
from crashmap.kernel.render import (
    CrashkernelRequest,
    as_request,
    canonical_size,
    render,
    render_words,
)

__all__ = [
    "CrashkernelRequest", "CrashkernelResult", "Lint", "RangeEntry", "RangeTable", "Step",
    "SubParse", "Word", "WordUse", "as_request", "canonical_size", "crashkernel_spans",
    "evaluate_table", "explain_table", "find_words", "lint_crashkernel", "memparse",
    "parse_crashkernel", "range_total_mem", "render", "render_words", "replace_crashkernel",
]
