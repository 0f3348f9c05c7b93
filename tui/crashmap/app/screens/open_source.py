"""Choose what to open: a bundled map, the demo, this machine (live), or a path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crashmap.app.widgets.key_bar import KeyBar
from crashmap.errors import CrashmapError
from crashmap.sources import DEMO_MAP, bundled_maps, load_file
from crashmap.units import format_size


@dataclass(frozen=True)
class MapChoice:
    """One thing the user can open, with what it is."""

    spec: str
    """What ``load_source()`` takes: ``live``, ``demo`` or a bundled map name."""
    facts: str
    """Arch, RAM and kernel, e.g. ``x86_64 · 15.82 GiB RAM · Linux 5.3.11``."""
    about: str
    """The machine, from the map's provenance."""


ABOUT_WIDTH = 70
"""Descriptions are cut to one line of this many characters."""


def _about(provenance: str | None, fallback: str | None) -> str:
    lines = [line.strip() for line in (provenance or "").splitlines() if line.strip()]
    about = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("machine:")),
                 lines[0] if lines else (fallback or ""))
    return about if len(about) <= ABOUT_WIDTH else about[:ABOUT_WIDTH - 1].rstrip() + "…"


def map_choices() -> list[MapChoice]:
    """``live``, ``demo`` and every bundled map, each described from its own file (a few ms)."""
    maps = bundled_maps()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    choices = [MapChoice(
        "live", "this machine, read now",
        "/proc/iomem and friends" + ("" if root else
                                     " (not root: addresses read as zero, so the demo is shown)"))]
    if DEMO_MAP in maps:
        choices.append(MapChoice("demo", f"same as {DEMO_MAP}",
                                 "the map shown when the live one cannot be read"))
    for name, path in maps.items():
        try:
            snapshot = load_file(path)
        except CrashmapError as error:
            choices.append(MapChoice(name, "cannot be read", error.message))
            continue
        facts = [snapshot.arch or "arch unknown"]
        if snapshot.system_ram:
            facts.append(f"{format_size(snapshot.system_ram)} RAM")
        if snapshot.kernel_release:
            facts.append(f"Linux {snapshot.kernel_release}")
        choices.append(MapChoice(name, " · ".join(facts),
                                 _about(snapshot.provenance, snapshot.taken_by)))
    return choices


def _prompt(choice: MapChoice) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(choice.spec, style="bold")
    text.append(f"  {choice.facts}\n")
    text.append(f"  {choice.about}", style="dim")
    return text


class OpenSourceScreen(ModalScreen[str | None]):
    """Returns the source to open (``live``, ``demo``, a map name or a path), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    OpenSourceScreen {
        align: center middle;
        #open-dialog {
            width: 100%; max-width: 110; height: 100%; max-height: 44;
            border: round $border; background: $surface; padding: 0 1;
        }
        #open-list { height: 1fr; border: none; }
        #open-hint { color: $text-muted; margin-top: 1; }
        #open-path { margin: 0; }
        #open-error { color: $error; height: auto; }
    }
    """

    AUTO_FOCUS = "#open-list"

    def __init__(self) -> None:
        super().__init__()
        self.choices = map_choices()
        """What the list offers, in order."""

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield OptionList(*(Option(_prompt(c), id=c.spec) for c in self.choices),
                             id="open-list")
            yield Label("Or Tab and type a path: a snapshot, iomem text, a report directory",
                        id="open-hint")
            yield Input(placeholder="~/snapshots/host.yaml", id="open-path", compact=True)
            yield Static(id="open-error")
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#open-dialog").border_title = "Open a memory map"

    @on(OptionList.OptionSelected, "#open-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#open-path")
    def _typed(self, event: Input.Submitted) -> None:
        spec = self.resolve(event.value)
        if spec is not None:
            self.dismiss(spec)

    def resolve(self, typed: str) -> str | None:
        """The source for what was typed, or None (and the reason shown) when it cannot be."""
        error = self.query_one("#open-error", Static)
        text = typed.strip()
        if not text:
            error.update("Type a path, or pick from the list.")
            return None
        if text in {c.spec for c in self.choices}:
            return text
        path = Path(text).expanduser()
        if not path.exists():
            error.update(f"{text}: no such file or directory")
            return None
        return str(path)

    @on(Input.Changed, "#open-path")
    def _clear_error(self) -> None:
        self.query_one("#open-error", Static).update("")

    def action_cancel(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
