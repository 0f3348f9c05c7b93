"""Always visible: the ``crashkernel=`` words and what the plan costs the running system."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from crashmap.app.evaluation import Evaluation
from crashmap.units import format_size


def summary(evaluation: Evaluation) -> Content:
    """Words first (they are what the user leaves with), then memory taken, CMA, memory left."""
    if evaluation.words_error:
        words = Content.styled(f"cannot write this plan: {evaluation.words_error}", "bold $error")
    elif evaluation.words:
        words = Content.styled(evaluation.cmdline, "bold $accent")
    else:
        words = Content.styled("no crashkernel= (nothing reserved)", "bold $warning")
    ram = evaluation.ram
    taken = evaluation.static_taken
    share = f" ({taken * 100 / ram:.1f} % of RAM)" if ram else ""
    parts = [
        words,
        Content(f"static {format_size(taken)}{share}"),
        Content(f"CMA {format_size(evaluation.cma_reserved)} (usable until a crash)")
        if evaluation.cma_reserved else Content("no CMA"),
        Content(f"left {format_size(max(ram - taken, 0))}") if ram else Content("RAM unknown"),
    ]
    return Content(" │ ").join(parts)


class SummaryBar(Static):
    """The resulting words, static memory taken (and its share of RAM), CMA, usable memory left."""

    def show(self, evaluation: Evaluation) -> None:
        self.update(summary(evaluation), layout=False)  # fixed height: no relayout per drag step
