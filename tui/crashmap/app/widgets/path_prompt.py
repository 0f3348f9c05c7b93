"""A small dialog asking for a file path; an existing file needs a second, explicit confirmation."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PathPrompt(ModalScreen[tuple[str, bool] | None]):
    """Dismisses with ``(path, overwrite)``, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PathPrompt {
        align: center middle;
        #path-dialog {
            width: 70; max-width: 100%; height: auto;
            border: round $primary; background: $surface; padding: 0 1;
        }
        #path-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, default: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self._confirm: str | None = None
        """A path the user was told exists; pressing enter on it again overwrites it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(self.title_text, id="path-title")
            yield Input(self.default, id="path-input")
            yield Label("enter: save · escape: cancel", id="path-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            return
        if Path(path).expanduser().exists() and self._confirm != path:
            self._confirm = path
            self.query_one("#path-hint", Label).update(
                f"{path} exists: press enter again to overwrite it, escape to cancel")
            return
        self.dismiss((path, self._confirm == path))

    def action_cancel(self) -> None:
        self.dismiss(None)
