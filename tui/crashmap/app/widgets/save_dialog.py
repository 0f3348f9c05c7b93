"""Saving text to a file the user names: one confirm dialog and one save flow for every save.

Export and the snapshot save both call :func:`save_text` (from a worker): a new file is written
at once, an existing one only after ``y`` in :class:`ConfirmOverwrite`, and every refusal (a
directory, a missing or read-only folder, a full disk, an unknown ``~user``) comes back as one
line for the dialog, which stays open with the name still typed. :class:`SaveDialog` is the
small dialog of the snapshot save.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from crashmap.errors import CrashmapError
from crashmap.writing import TargetExists, write_atomic

if TYPE_CHECKING:
    from textual.app import App


class ConfirmOverwrite(ModalScreen[bool]):
    """Asks before a file is overwritten: only ``y`` overwrites; ``n`` and Escape keep the file.

    Enter is not an answer, so a second Enter from the file name field cannot overwrite; and no
    key answers before the dialog has been drawn: a key typed ahead (a loaded machine, a fast
    typist) must not decide a question nobody has seen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Overwrite"),
        Binding("n,escape", "answer(False)", "Keep the file"),
    ]

    DEFAULT_CSS = """
    ConfirmOverwrite {
        align: center middle;
        #confirm-box {
            width: auto; max-width: 90%; height: auto;
            border: round $warning; background: $surface; padding: 1 2;
        }
    }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.drawn = False
        """True once the dialog is on the terminal: only then do keys answer it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Content(f"{self.path} already exists."), id="confirm-question")
            yield Label("Overwrite it?  y = overwrite, n or escape = keep it", id="confirm-keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self._on_drawn)

    def _on_drawn(self) -> None:
        self.drawn = True

    def action_answer(self, yes: bool) -> None:
        """Close with the answer (once the question has been shown)."""
        if self.drawn:
            self.dismiss(yes)


class SaveOutcome(NamedTuple):
    """What a save did: the file written (None when nothing was), and one line saying so."""

    path: Path | None
    message: str
    error: bool = False
    """The save was refused (an unwritable path); False when written, or kept on ``n``."""


def target_of(typed: str) -> Path:
    """The absolute path meant by ``typed`` (``~`` expanded); a CrashmapError when there is none."""
    text = typed.strip()
    if not text:
        raise CrashmapError("type a file name first")
    if "\0" in text:
        raise CrashmapError("a file name cannot hold a NUL character")
    try:
        return Path(text).expanduser().absolute()
    except RuntimeError:  # Path.expanduser: "~name" of no known user
        user = text.split("/", 1)[0]
        raise CrashmapError(f"cannot write: no user {user[1:]!r} to expand {user}",
                            path=text) from None
    except OSError as error:  # absolute(): the working folder was removed
        raise CrashmapError(f"cannot write: the working folder is gone ({error.strerror})",
                            path=text) from None


def deliver_to_browser(app: App[object], typed: str, text: str) -> SaveOutcome:
    """Served to a browser (``crashmap serve``), a save is a download to the user's own disk
    (Textual's ``deliver_text``), under the typed name's last part: never a file on the server."""
    name = PurePath(typed.strip()).name or "crashmap.txt"
    app.deliver_text(io.StringIO(text), save_filename=name)
    return SaveOutcome(None, f"Sent to your browser as {name}.")


async def save_text(app: App[object], typed: str, text: str) -> SaveOutcome:
    """Write ``text`` to the file named ``typed``, asking first when it exists (run it in a
    worker: it waits for the answer). Never raises for a path: the outcome says why.
    In a browser the text is downloaded instead (:func:`deliver_to_browser`)."""
    if app.is_web:
        return deliver_to_browser(app, typed, text)
    try:
        path = target_of(typed)
        try:
            write_atomic(path, text, force=False)
        except TargetExists:
            if not await app.push_screen_wait(ConfirmOverwrite(path)):
                return SaveOutcome(None, f"Not saved: {path} was kept as it is.")
            write_atomic(path, text, force=True)
    except CrashmapError as error:  # the writer turns every OSError into one (crashmap.writing)
        return SaveOutcome(None, f"Not saved: {error}", error=True)
    return SaveOutcome(path, f"Saved to {path}.")


class SaveDialog(ModalScreen[Path | None]):
    """Asks where to save ``text`` and saves it; dismisses with the path written, or None on
    Escape. A refused path, or ``n`` to an overwrite, keeps the dialog open and says why."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    SaveDialog {
        align: center middle;
        #path-dialog {
            width: 70; max-width: 100%; height: auto;
            border: round $primary; background: $surface; padding: 0 1;
        }
        #path-hint { color: $text-muted; }
        #path-hint.-error { color: $text-error; }
    }
    """
    HINT = "enter: save · escape: cancel"

    def __init__(self, title: str, default: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.text = text
        self.saving = False
        """A save is under way (asking, or writing): another Enter waits for it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(self.title_text, id="path-title")
            yield Input(self.default, id="path-input", select_on_focus=False)
            yield Label(self.HINT, id="path-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not self.saving:
            self.saving = True
            self._save(event.value)

    @work(group="save-dialog")
    async def _save(self, typed: str) -> None:
        try:
            outcome = await save_text(self.app, typed, self.text)
        finally:
            self.saving = False
        if outcome.path is not None:
            self.dismiss(outcome.path)
            return
        hint = self.query_one("#path-hint", Label)
        hint.update(Content(outcome.message))
        hint.set_class(outcome.error, "-error")

    @on(Input.Changed)
    def _edited(self) -> None:
        hint = self.query_one("#path-hint", Label)  # the last refusal was for another name
        hint.update(self.HINT)
        hint.remove_class("-error")

    def action_cancel(self) -> None:
        self.dismiss(None)
