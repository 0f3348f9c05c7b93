"""The export screen: pick a format, preview it, see the whole command line change, copy or save.

Everything shown comes from :func:`crashmap.export.export` (the formats, their warnings, the new
command line and its word diff); this screen only lays it out. Nothing is applied to the system:
the text goes to the clipboard or to a file the user names.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from crashmap.app.widgets.key_bar import KeyBar
from crashmap.app.widgets.save_dialog import ConfirmOverwrite, save_text
from crashmap.snapshot import Snapshot

FORMAT_NAMES: tuple[str, ...] = (
    "cmdline", "grub", "grubby", "bls", "rpm-ostree", "zipl", "kickstart", "autoyast",
    "suse-sysconfig", "json",
)
"""The formats of issue 4, listed while crashmap.export (which describes them) is missing."""

NOTHING_APPLIED = "Nothing is applied to this system: copy or save the text, then apply it."

_SUFFIX = {"json": ".json", "grub": ".cfg", "autoyast": ".xml", "kickstart": ".ks"}


def export_module() -> ModuleType | None:
    """:mod:`crashmap.export` when it provides ``export()`` (written separately), else None."""
    try:
        module = importlib.import_module("crashmap.export")
    except ImportError:
        return None
    return module if callable(getattr(module, "export", None)) else None


def format_choices() -> list[tuple[str, str]]:
    """``(name, description)`` of every format, from crashmap.export's ``FORMATS``."""
    module = export_module()
    formats = getattr(module, "FORMATS", None)
    if isinstance(formats, dict) and formats:
        return [(str(name), str(about)) for name, about in formats.items()]
    return [(name, "needs crashmap.export") for name in FORMAT_NAMES]


ENTRY_FORMATS = frozenset({"grubby", "bls", "json"})
"""The formats that name the boot entry to change (json holds grubby's and bls's text)."""

RUNNING, ALL = "running", "ALL"
"""The boot entries the screen offers: the running kernel's (kdumpctl reset-crashkernel's
default, crashmap export's too) or every one (grubby ``--update-kernel=ALL``)."""


def produce(fmt: str, words: str, snapshot: Snapshot, arch: str, kernel: Any = None,
            update_kernel: str | None = None) -> Any:
    """crashmap.export's ``ExportResult`` for one format (``text``, ``warnings``, ``new_cmdline``,
    ``diff``...); ``LookupError`` while the module is missing. ``update_kernel`` is the boot
    entry grubby and bls change (None: the running kernel's, ``"ALL"``: every entry)."""
    module = export_module()
    if module is None:
        raise LookupError("crashmap.export is not available: no format can be produced")
    extra: dict[str, Any] = {"kernel": kernel} if kernel is not None else {}
    if update_kernel is not None:
        extra["update_kernel"] = update_kernel
    result = module.export(fmt, words.split(), snapshot.cmdline, arch, snapshot=snapshot, **extra)
    if not isinstance(getattr(result, "text", None), str):
        raise TypeError(f"crashmap.export returned {type(result).__name__}, not an ExportResult")
    return result


def default_filename(fmt: str) -> str:
    """Where Save proposes to write a format (relative to the working directory)."""
    return f"crashkernel-{fmt}{_SUFFIX.get(fmt, '.txt')}"


class NameField(Input):
    """The file name field: escape goes back to the formats (the footer says so), not out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the formats"),
    ]

    def action_back(self) -> None:
        """Leave the name as typed and go back to the formats list."""
        self.screen.query_one("#export-formats").focus()


class ExportScreen(ModalScreen[None]):
    """Previews the plan in each export format, with the command line before and after."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("c", "copy", "Copy"),
        Binding("s", "save", "Save to file"),
        Binding("a", f"entries('{ALL}')", "All boot entries",
                tooltip="grubby and bls change every boot entry (--update-kernel=ALL)"),
        Binding("a", f"entries('{RUNNING}')", "Running kernel only",
                tooltip="grubby and bls change only the running kernel's boot entry, as "
                        "kdumpctl reset-crashkernel does"),
    ]

    DEFAULT_CSS = """
    ExportScreen {
        background: $background;
        #export-title { height: 1; padding: 0 1; background: $panel; }
        #export-formats { width: 18; height: 1fr; border: none; border-right: vkey $border; }
        #export-right { width: 1fr; height: 1fr; padding: 0 1; }
        #export-about { height: 1; color: $text-muted; }
        #export-entry { height: 1; display: none; }
        #export-entry.shown { display: block; }
        #export-preview { height: 1fr; min-height: 3; border: none; padding: 0; }
        #export-diff-scroll { height: auto; max-height: 8; }
        #export-diff { height: auto; }
        #export-save { height: 1; margin-top: 1; }
        #export-save > Label { width: 9; }
        #export-path { width: 1fr; }
        #export-status { height: auto; }
    }
    """

    AUTO_FOCUS = "#export-formats"

    fmt: reactive[str] = reactive("cmdline", init=False)
    """The format shown."""

    entries: reactive[str] = reactive(RUNNING, init=False)
    """The boot entries grubby and bls change: :data:`RUNNING` or :data:`ALL` (``a``)."""

    def __init__(self, snapshot: Snapshot, plan_words: str, arch: str, *,
                 kernel: Any = None) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.kernel = kernel
        """The target kernel the plan is checked for (None: the snapshot's)."""
        self.words = plan_words.strip()
        """The plan's crashkernel= words, space-separated."""
        self.arch = arch
        self.formats = format_choices()
        """``(name, description)`` of each format, in menu order."""
        self.result: Any = None
        """crashmap.export's ``ExportResult`` for ``fmt``; None when it cannot be made."""
        self.text: str | None = None
        """The export text of ``fmt`` (what Copy and Save use), None when it cannot be made."""
        self.problem: str | None = None
        """Why ``text`` is None."""

    def compose(self) -> ComposeResult:
        yield Static(f"Export · {self.arch} · {self.words or 'no crashkernel= words'}",
                     id="export-title")
        with Horizontal():
            yield OptionList(*(Option(name, id=name) for name, _ in self.formats),
                             id="export-formats")
            with Vertical(id="export-right"):
                yield Static(id="export-about")
                yield Static(id="export-entry")
                yield TextArea(id="export-preview", read_only=True, soft_wrap=True)
                with VerticalScroll(id="export-diff-scroll"):
                    yield Static(id="export-diff")
                with Horizontal(id="export-save"):
                    yield Label("Save to")
                    yield NameField(default_filename(self.fmt), id="export-path", compact=True,
                                    select_on_focus=False)
                yield Static(id="export-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show(self.fmt)

    def watch_fmt(self, fmt: str) -> None:
        self._show(fmt)

    def watch_entries(self) -> None:
        self._show(self.fmt)

    def _show(self, fmt: str) -> None:
        self.refused = False
        names = [name for name, _ in self.formats]
        options = self.query_one("#export-formats", OptionList)
        if options.highlighted != names.index(fmt):
            with options.prevent(OptionList.OptionHighlighted):
                options.highlighted = names.index(fmt)
        self.query_one("#export-about", Static).update(f"{fmt}: {dict(self.formats)[fmt]}")
        try:
            self.result = produce(fmt, self.words, self.snapshot, self.arch, self.kernel,
                                  ALL if self.entries == ALL else None)
            self.text, self.problem = self.result.text, None
        except LookupError as error:
            self.result, self.text, self.problem = None, None, str(error)
        except Exception as error:  # the screen must survive any input the exporter refuses
            self.result, self.text, self.problem = None, None, f"{fmt}: {error}"
        preview = self.query_one("#export-preview", TextArea)
        preview.load_text(self.text if self.text is not None else f"({self.problem})")
        entry = self.query_one("#export-entry", Static)
        entry.set_class(fmt in ENTRY_FORMATS, "shown")
        entry.update(self._entry_line())
        self.query_one("#export-diff", Static).update(self._details())
        path = self.query_one("#export-path", Input)
        if path.value in {default_filename(name) for name in names}:
            path.value = default_filename(fmt)
        self.query_one("#export-status", Static).update(NOTHING_APPLIED)
        self.refresh_bindings()

    def _entry_line(self) -> Text:
        """Which boot entries grubby and bls change, as the exporter says (``a`` switches)."""
        image = getattr(self.result, "update_kernel", None)
        if self.entries == ALL:
            return Text.assemble(("Boot entries: ", "bold"), "every one (--update-kernel=ALL)")
        text = Text.assemble(("Boot entry: ", "bold"), "the running kernel's")
        if isinstance(image, str) and image != ALL:
            text.append(f", {image}")
        return text

    def _details(self) -> Text:
        """The exporter's warnings, then the whole command line's change (its word diff)."""
        text = Text()
        result = self.result
        if result is None:
            return text
        for warning in result.warnings:
            text.append(f"⚠ {warning}\n", style="yellow")
        if not self.snapshot.cmdline:
            text.append("The source has no kernel command line: the words above stand alone.")
            return text
        diff = result.diff
        if not diff.removed and not diff.added:
            text.append("The command line already has exactly these words: nothing changes.")
            return text
        text.append("Command line change (only crashkernel= words):\n")
        for word in diff.removed:
            text.append(f"- {word.text}\n", style="red")
        for word in diff.added:
            text.append(f"+ {word.text}\n", style="green")
        text.append("After: ", style="bold")
        cursor, line = 0, result.new_cmdline
        for word in diff.added:
            text.append(line[cursor:word.start])
            text.append(word.text, style="bold green")
            cursor = word.end
        text.append(line[cursor:])
        return text

    @on(OptionList.OptionHighlighted, "#export-formats")
    def _format_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option_index == event.option_list.highlighted:
            self.fmt = event.option.id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "save") and self.is_mounted and self.text is None:
            return None  # shown dimmed: there is nothing to copy or save yet
        if action == "entries":  # one key: the choice that is not the current one
            return self.fmt in ENTRY_FORMATS and parameters != (self.entries,)
        return True

    def action_entries(self, entries: str) -> None:
        """grubby and bls change the running kernel's boot entry, or every one."""
        self.entries = entries

    def action_copy(self) -> None:
        """Copy the preview to the clipboard (OSC 52)."""
        if self.text is None:
            self.notify(self.problem or "Nothing to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(self.text)
        self._status(f"Copied the {self.fmt} text to the clipboard (OSC 52: the terminal must "
                     "allow it).")

    def action_save(self) -> None:
        """Save the preview to the file named below (asks before overwriting)."""
        field = self.query_one("#export-path", Input)
        if self.focused is not field:
            field.focus()
            field.cursor_position = len(field.value)  # nothing selected: a key adds, not replaces
            self._status(EDIT_HINT)
            return
        self._save(field.value)

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    def _save(self, typed: str) -> None:
        if self.text is None:
            self._status(f"Not saved: {self.problem or 'nothing to save'}", error=True)
            return
        if not self.saving:  # one save at a time: a second enter waits for the first
            self.saving = True
            self._write(typed, self.text)

    saving = False
    """A save is under way (asking, or writing)."""

    @work(group="export-save")
    async def _write(self, typed: str, text: str) -> None:
        try:
            outcome = await save_text(self.app, typed, text)
        finally:
            self.saving = False
        if outcome.path is not None:
            self._status(f"Saved the {self.fmt} text to {outcome.path}.")
        else:
            self._status(outcome.message, error=outcome.error)
        if not outcome.error:
            # Done with the file name (saved, or kept on n): s, c and escape are keys again,
            # instead of letters typed over the name. A refused name stays, to be corrected.
            self.query_one("#export-formats", OptionList).focus()

    refused = False
    """The status says why the last name was refused: editing the name clears it."""

    @on(Input.Changed, "#export-path")
    def _path_edited(self) -> None:
        if self.refused:  # the refusal was for another name
            self._status(EDIT_HINT)

    def _status(self, message: str, *, error: bool = False) -> None:
        self.refused = error
        self.query_one("#export-status", Static).update(
            Text(message, style="bold red" if error else ""))

    def action_close(self) -> None:
        """Close the export screen."""
        self.dismiss(None)


EDIT_HINT = "Edit the file name, then enter to save (escape: back to the formats)."

__all__ = ["ALL", "ENTRY_FORMATS", "FORMAT_NAMES", "RUNNING", "ConfirmOverwrite", "ExportScreen", "default_filename",
           "export_module", "format_choices", "produce"]
