"""Findings of the checks: a list, and the highlighted one's explanation and fix."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

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


class FindingsPanel(Vertical, Framed):
    """What the checks say about the plan; highlighting one shows why and marks it on the map."""

    DEFAULT_CSS = """
    FindingsPanel {
        #finding-list {
            height: 1fr; max-height: 8; text-wrap: nowrap; text-overflow: ellipsis;
        }
        #finding-detail-scroll { height: 2fr; }
        #finding-detail { padding: 0 1; }
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
        yield OptionList(id="finding-list", compact=True)
        with VerticalScroll(id="finding-detail-scroll"):
            yield Static("", id="finding-detail")

    def on_mount(self) -> None:
        self.border_title = "Findings"
        self.post_message(PanelReady())

    @property
    def current(self) -> Finding | None:
        highlighted = self.query_one(OptionList).highlighted
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
        options = self.query_one(OptionList)
        old_codes = [f.code for f in self.findings]
        codes = [f.code for f in findings]
        if light and codes != old_codes:
            return
        keep = self.current.code if self.current else None
        self.findings = findings
        with options.prevent(OptionList.OptionHighlighted):
            if codes == old_codes:
                for index, finding in enumerate(findings):
                    options.replace_option_prompt_at_index(index, finding_prompt(finding))
            else:
                options.set_options([Option(finding_prompt(f)) for f in findings])
                if findings:
                    options.highlighted = codes.index(keep) if keep in codes else 0
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
        detail = self.query_one("#finding-detail", Static)
        detail.update(finding_detail(finding) if finding else "Nothing to report.")
        self.post_message(self.Selected(self, finding))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()
