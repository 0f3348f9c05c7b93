"""The kernel's ``crashkernel=`` rules, emulated exactly (spec: kernel-crashkernel.md §1, §2, §4).

Pure domain code: integers for sizes, no terminal or UI imports. Range tables
(:mod:`crashmap.kernel.ranges`) and command-line editing (:mod:`crashmap.kernel.cmdline_edit`)
are imported from their modules by who needs them: the map's start-up uses neither.
"""

from __future__ import annotations

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
from crashmap.kernel.render import (
    CrashkernelRequest,
    as_request,
    canonical_size,
    render,
    render_words,
)

__all__ = [
    "CrashkernelRequest", "CrashkernelResult", "Lint", "SubParse", "Word", "WordUse",
    "as_request", "canonical_size", "find_words", "lint_crashkernel", "memparse",
    "parse_crashkernel", "range_total_mem", "render", "render_words",
]
