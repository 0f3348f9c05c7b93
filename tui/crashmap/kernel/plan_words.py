"""The plan a kernel command line states: its crashkernel= parameters, and the fadump= state.

Its own module so that ``crashmap fleet`` reads a host's plan without loading the export
formats (:mod:`crashmap.export` re-exports :func:`plan_words`).
"""

from __future__ import annotations

from crashmap.kernel.cmdline_edit import crashkernel_spans
from crashmap.kernel.fadump import PARAM, fadump_mode, fadump_spans, ignored_values


def plan_words(cmdline: str) -> tuple[str, ...]:
    """The crashkernel= parameters of ``cmdline``, verbatim and in order: the plan it states.

    Only whole parameters count (as ``replace_crashkernel`` sees them); a look-alike such as
    ``xcrashkernel=`` is not a plan word. ``cmdline`` may be just the words.
    """
    words = tuple(cmdline[start:end] for start, end in crashkernel_spans(cmdline))
    spans = fadump_spans(cmdline)
    if spans and len(ignored_values(cmdline)) < len(spans):
        words += (PARAM + fadump_mode(cmdline),)  # the state the kernel ends up in
    return words
