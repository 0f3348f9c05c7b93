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
    percent = taken * 100 / ram if ram else 0
    share = f" ({percent:.{2 if 0 < percent < 0.1 else 1}f}% of RAM)" if ram else ""
    parts = [
        words,
        Content(f"static {format_size(taken)}{share}"),
        Content(f"CMA {format_size(evaluation.cma_reserved)} usable until a crash")
        if evaluation.cma_reserved else Content("no CMA"),
        Content(f"{format_size(max(ram - taken, 0))} left") if ram else Content("RAM unknown"),
    ]
    return Content(" │ ").join(parts)


class SummaryBar(Static):
    """The resulting words, static memory taken (and its share of RAM), CMA, usable memory left."""

    def show(self, evaluation: Evaluation) -> None:
        """Show the summary; one line, or two when it does not fit the width."""
        self._evaluation = evaluation
        content = summary(evaluation)
        width = max(1, self.content_size.width or self.app.size.width - 2)
        lines = 1 if content.cell_length <= width else 2
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines  # rare: only when the text crosses the width
            self.styles.text_wrap = "wrap" if lines == 2 else "nowrap"  # see the CSS
            self.screen.set_class(lines == 2, "-summary-2")  # toasts stay above it
        self.update(content, layout=False)  # a drag step does not relayout the screen

    _evaluation: Evaluation | None = None

    def on_resize(self) -> None:
        if self._evaluation is not None:
            self.show(self._evaluation)
