"""The verify screen: what the box has configured, reserved and loaded, and the prediction.

The rows and verdicts are :func:`crashmap.verify.verify`'s, the same ones ``crashmap verify``
prints; this screen only lays them out. Escape closes it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from crashmap.app.widgets.key_bar import KeyBar
from crashmap.snapshot import Snapshot
from crashmap.verify import Verification, verify

STATUS_STYLE = {"agrees": "bold green", "differs": "bold red", "unknown": "dim"}


class VerifyScreen(ModalScreen[None]):
    """Configured, reserved, loaded and predicted for ``snapshot``, side by side."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
    ]

    DEFAULT_CSS = """
    VerifyScreen {
        background: $background;
        #verify-title { height: 1; padding: 0 1; background: $panel; }
        #verify-body { height: 1fr; }
        #verify-rows { height: auto; margin: 1 1 0 1; }
        #verify-verdict { height: auto; padding: 1 1 0 1; }
        #verify-verdict.-ok { color: $success; }
        #verify-verdict.-differs { color: $error; }
    }
    """

    AUTO_FOCUS = "#verify-body"

    def __init__(self, snapshot: Snapshot, kernel: Any = None) -> None:
        super().__init__()
        self.result: Verification = verify(snapshot, kernel)
        """What is on screen."""

    def compose(self) -> ComposeResult:
        r = self.result
        title = f"Verify  {r.source}  {r.arch}" + (f"  {r.kernel}" if r.kernel else "")
        with Vertical():
            yield Static(Text(title), id="verify-title")
            with VerticalScroll(id="verify-body"):
                yield Static(rows_table(r), id="verify-rows")
                yield Static(Text(r.verdict), id="verify-verdict",
                             classes="-ok" if r.ok else "-differs")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)


def rows_table(result: Verification) -> Table:
    """One row each: what the place shows (and, dim, which place), its status, its verdict;
    wrapped to the width the screen gives them."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("shows", ratio=4, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("verdict", ratio=5, overflow="fold")
    for row in result.rows:
        shows = Text(row.value)
        shows.append(f"\n{row.source}", "dim")
        table.add_row(Text(row.label, "bold"), shows,
                      Text(row.status, STATUS_STYLE[row.status]), Text(row.verdict))
    return table
