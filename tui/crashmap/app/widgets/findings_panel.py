"""Findings of the checks: a list, and the highlighted one's explanation and fix."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from crashmap.app.widgets.finding_list import FindingList
from crashmap.app.widgets.frame import Framed
from crashmap.app.widgets.panel import PanelReady
from crashmap.checks import Finding

ICONS = {"error": ("✗", "$error"), "warning": ("!", "$warning"), "info": ("i", "$primary")}
"""Severity marks: distinct characters, so they read without colour too."""


def finding_prompt(finding: Finding) -> Content:
    icon, colour = ICONS.get(finding.severity, ("?", "$foreground"))
    return Content.from_markup(f"[bold {colour}]$icon[/] $message", icon=icon,
                               message=finding.message)


def finding_detail(finding: Finding) -> Content:
    parts = [Content.from_markup("[b]$code[/b] ($severity)", code=finding.code,
                                 severity=finding.severity)]
    if finding.explain:
        parts.append(Content(finding.explain))
    if finding.fix:
        parts.append(Content.from_markup("[b]Fix:[/b] $fix", fix=finding.fix))
    if finding.range is not None:
        parts.append(Content.from_markup("[dim]at $start–$end (highlighted on the map)[/]",
                                         start=f"{finding.range.start:#x}",
                                         end=f"{finding.range.end - 1:#x}"))
    parts.append(Content.from_markup("[dim]L: learn more ($chapter)[/]", chapter=finding.chapter))
    return Content("\n").join(parts)


class FindingDetail(ScrollView):
    """The highlighted finding's explanation, wrapped to the width, scrolled when it is longer
    (one widget where a ``VerticalScroll`` and a ``Static`` in it were two). Focusable, with
    the scrolling keys of a scrollable container; the text can be selected and copied."""

    DEFAULT_CSS = "FindingDetail { height: 2fr; overflow-x: hidden; }"
    PAD = 1
    """Blank cells left and right of the text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content = Content("")
        """The text shown."""
        self._strips: list[Strip] | None = None
        self._wrapped_at = (0, 0)

    def update(self, content: Content) -> None:
        self.content = content
        self._strips = None
        self._wrap()
        self.refresh()

    def render(self) -> Content:
        return self.content  # what a selection copies from

    def selection_updated(self, selection: object) -> None:
        self._strips = None
        super().selection_updated(selection)  # type: ignore[arg-type]

    def on_resize(self) -> None:
        self._wrap()

    def _wrap(self) -> list[Strip]:
        """The text's lines for the current size: narrower by the scrollbar when they do not
        fit the height. Sets the virtual size the scrollbar follows."""
        width, height = self.size
        if self._strips is not None and self._wrapped_at == (width, height):
            return self._strips
        room = max(width - 2 * self.PAD, 1)
        strips = Visual.to_strips(self, self.content, room, None, self.visual_style)
        if len(strips) > height and self.styles.overflow_y == "auto" and height:
            room = max(room - self.styles.scrollbar_size_vertical, 1)
            strips = Visual.to_strips(self, self.content, room, None, self.visual_style)
        self._strips, self._wrapped_at = strips, (width, height)
        self.virtual_size = Size(room + 2 * self.PAD, len(strips))
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self._wrap()
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        style = self.visual_style.rich_style
        if not 0 <= index < len(strips):
            return Strip.blank(width, style)
        line = Strip.join([Strip.blank(self.PAD, style), strips[index]])
        return line.crop_extend(0, width, style).simplify()


class FindingsPanel(Vertical, Framed):
    """What the checks say about the plan; highlighting one shows why and marks it on the map."""

    DEFAULT_CSS = """
    FindingsPanel {
        #finding-list { height: 1fr; max-height: 8; }
    }
    """

    class Selected(Message):
        """The highlighted finding changed (None when there are none)."""

        def __init__(self, panel: FindingsPanel, finding: Finding | None) -> None:
            super().__init__()
            self.panel = panel
            self.finding = finding

        @property
        def control(self) -> FindingsPanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: tuple[Finding, ...] = ()
        self._detail_of: Finding | None = None

    def compose(self) -> ComposeResult:
        yield FindingList(id="finding-list")
        yield FindingDetail(id="finding-detail")

    def on_mount(self) -> None:
        self.border_title = "Findings"
        self.post_message(PanelReady())

    @property
    def current(self) -> Finding | None:
        highlighted = self.query_one(FindingList).highlighted
        if highlighted is None or not 0 <= highlighted < len(self.findings):
            return None
        return self.findings[highlighted]

    def show(self, findings: tuple[Finding, ...], *, light: bool = False) -> None:
        """Show ``findings``, keeping the highlighted code if it stays.

        The same codes in the same order (a drag step changing numbers in the messages) update
        the prompts in place, without a relayout. ``light`` (drag steps) stops there: a changed
        list and the explanation follow on release.
        """
        if findings == self.findings:
            if not light:  # the release after a drag: its steps updated the list, not this
                self._show_detail()
            return
        options = self.query_one(FindingList)
        old_codes = [f.code for f in self.findings]
        codes = [f.code for f in findings]
        if light and codes != old_codes:
            return
        keep = self.current.code if self.current else None
        self.findings = findings
        if codes == old_codes:
            for index, finding in enumerate(findings):
                options.replace_prompt(index, finding_prompt(finding))
        else:
            options.set_prompts([finding_prompt(f) for f in findings],
                                codes.index(keep) if keep in codes else 0)
        self.border_title = self._title()
        if not light:
            self._show_detail()

    def _title(self) -> str:
        counts = {s: sum(f.severity == s for f in self.findings) for s in ICONS}
        if not self.findings:
            return "Findings: none"
        return "Findings " + " ".join(
            f"{ICONS[s][0]}{n}" for s, n in counts.items() if n
        )

    def _show_detail(self) -> None:
        finding = self.current
        if finding == self._detail_of and self._detail_of is not None:
            return
        self._detail_of = finding
        detail = self.query_one(FindingDetail)
        detail.update(finding_detail(finding) if finding else Content("Nothing to report."))
        self.post_message(self.Selected(self, finding))

    @on(FindingList.Highlighted)
    def _highlighted(self, event: FindingList.Highlighted) -> None:
        event.stop()
        self._show_detail()
