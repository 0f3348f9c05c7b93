"""Always visible: the ``crashkernel=`` words and what the plan costs the running system."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from crashmap.app.evaluation import Evaluation
from crashmap.units import format_size

SEPARATOR = " │ "


class Parts(NamedTuple):
    """The summary's text: the words (styled as ``words_style`` says) and the plain totals."""

    words: str
    words_style: str
    totals: tuple[str, ...]

    @property
    def cell_length(self) -> int:
        return sum(cell_len(part) + len(SEPARATOR) for part in self.totals) + cell_len(self.words)


def summary_parts(evaluation: Evaluation) -> Parts:
    """Words first (they are what the user leaves with), then memory taken, CMA, memory left."""
    if evaluation.words_error:
        words, style = f"cannot write this plan: {evaluation.words_error}", "bold $error"
    elif evaluation.words:
        words, style = evaluation.cmdline, "bold $accent"
    else:
        words, style = "no crashkernel= (nothing reserved)", "bold $warning"
    ram = evaluation.ram
    taken = evaluation.static_taken
    percent = taken * 100 / ram if ram else 0
    share = f" ({percent:.{2 if 0 < percent < 0.1 else 1}f}% of RAM)" if ram else ""
    cma = evaluation.cma_reserved
    totals = (
        f"static {format_size(taken)}{share}",
        f"CMA {format_size(cma)} usable until a crash" if cma else "no CMA",
        f"{format_size(max(ram - taken, 0))} left" if ram else "RAM unknown",
    )
    return Parts(words, style, totals)


def summary_content(parts: Parts) -> Content:
    """The summary as Content: what two wrapped lines are drawn from."""
    return Content(SEPARATOR).join(
        [Content.styled(parts.words, parts.words_style), *map(Content, parts.totals)])


def summary(evaluation: Evaluation) -> Content:
    """The summary of ``evaluation`` as Content."""
    return summary_content(summary_parts(evaluation))


class SummaryBar(Widget):
    """The resulting words, static memory taken (and its share of RAM), CMA, usable memory left.

    One line is drawn here from two segments (the words, then the totals), with the words'
    style resolved once per theme: a drag step changes this line every time, and drawing it
    through Content's wrapping took a fifth of the step. The segments carry the text offsets
    Textual's mouse selection reads, so the words can still be selected and copied. When the
    text does not fit, or while some of it is selected, Textual draws it
    (:func:`summary_content`), wrapped on two lines."""

    _parts: Parts | None = None
    _evaluation: Evaluation | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._words_styles: dict[str, object] = {}
        self._strips: list[Strip] | None = None

    @property
    def content(self) -> Content:
        """What the bar shows, as Content (empty before the first :meth:`show`)."""
        return Content() if self._parts is None else summary_content(self._parts)

    def show(self, evaluation: Evaluation) -> None:
        """Show the summary; one line, or two when it does not fit the width."""
        self._evaluation = evaluation
        parts = summary_parts(evaluation)
        if parts == self._parts and self._strips is not None:
            return
        self._parts = parts
        width = max(1, self.content_size.width or self.app.size.width - 2)
        lines = 1 if parts.cell_length <= width else 2
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines  # rare: only when the text crosses the width
            self.styles.text_wrap = "wrap" if lines == 2 else "nowrap"  # see the CSS
            self.screen.set_class(lines == 2, "-summary-2")  # toasts stay above it
        self._strips = None
        self.refresh()

    def on_resize(self) -> None:
        if self._evaluation is not None:
            self._parts = None
            self.show(self._evaluation)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._words_styles.clear()  # the theme may have changed $accent, $error, $warning
        self._strips = None

    def render(self) -> Content:
        return self.content  # what a mouse selection copies

    def selection_updated(self, selection: object) -> None:
        self._strips = None
        super().selection_updated(selection)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        strips = self._strips
        if strips is None:
            strips = self._strips = self._draw()
        return strips[y] if y < len(strips) else Strip.blank(self.size.width,
                                                             self.rich_style)

    def _draw(self) -> list[Strip]:
        width, height = self.content_size
        parts, base = self._parts, self.visual_style
        if parts is None or not width:
            return []
        if parts.cell_length > width or self.text_selection is not None:
            return Visual.to_strips(self, summary_content(parts), width, height, base)
        words_style = self._words_styles.get(parts.words_style)
        if words_style is None:
            words_style = (base + self._get_style(parts.words_style)).rich_style
            self._words_styles[parts.words_style] = words_style
        totals = "".join(SEPARATOR + part for part in parts.totals)
        at = Style.from_meta({"offset": (len(parts.words), 0)})  # where the totals start
        return [Strip([Segment(parts.words, words_style + AT_START),  # type: ignore[operator]
                       Segment(totals, base.rich_style + at)], parts.cell_length)]


AT_START = Style.from_meta({"offset": (0, 0)})
"""The text offset of a line's first segment (Textual's selection maps cells to text by it)."""
