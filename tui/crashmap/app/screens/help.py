"""The help screen: every key that works where help was opened, read from the live bindings."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from crashmap.app.learn import CHAPTER_IDS, chapter_label
from crashmap.app.widgets.key_bar import KeyBar
from crashmap.units import format_size

HOW_TO = """\
## How to use crashmap

1. **Read the map.** It shows where RAM is, what firmware and devices
   hold, the kernel's current `Crash kernel` block{limit}.
2. **Size the plan.** Drag a block's edge, or use the keys above. The
   static block holds the capture kernel and its initrd; CMA adds memory
   the running system can still use until a crash.
3. **Read the findings.** Each one says what the kernel will do with
   your plan, why, and which Learn chapter explains it.
4. **Export.** Preview the command line for your boot loader, copy it or
   save it. crashmap never changes the machine.
"""

CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _node_title(node: DOMNode) -> str:
    """A section title for the node that owns some bindings."""
    name = getattr(node, "HELP_TITLE", None) or CAMEL.sub(" ", type(node).__name__)
    name = name[:1].upper() + name[1:].lower()
    if node is node.app:
        return "Everywhere"
    if isinstance(node, Screen):
        return f"This screen ({name})"
    return f"{name} (when focused)"


def binding_sections(screen: Screen[Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The keys active on ``screen``, grouped by the node that owns them (focused widget first).

    Returns ``(section title, [(keys, description)])``; keys of one action are joined with " / ".
    App bindings with ``priority`` work even under a modal screen, so they are always listed.
    """
    app = screen.app
    found: dict[DOMNode, dict[str, tuple[list[str], str]]] = {}
    entries: list[tuple[DOMNode, Binding]] = [
        (active.node, active.binding) for active in screen.active_bindings.values()]
    listed = {binding.key for _, binding in entries}
    # The app's own map: Textual keeps it in ``_bindings`` (no public accessor in 8.2).
    for key, binding in app._bindings:
        if binding.priority and key not in listed:
            entries.append((app, binding))
    for node, binding in entries:
        if binding.system and not binding.description:
            continue
        description = binding.description or binding.action.replace("_", " ")
        description = description[:1].upper() + description[1:]
        rows = found.setdefault(node, {})
        keys, _ = rows.setdefault(binding.action, ([], description))
        # The real key, not the footer's shorthand (a key_display such as "+/-" covers two keys).
        display = app.get_key_display(replace(binding, key_display=None))
        if display not in keys:
            keys.append(display)
    return [
        (_node_title(node), [(" / ".join(keys), text) for keys, text in rows.values()])
        for node, rows in found.items()
    ]


def keys_table(title: str, rows: list[tuple[str, str]]) -> Table:
    """One section of keys as a borderless two-column table."""
    table = Table(title=title, title_justify="left", title_style="bold", box=None,
                  show_header=False, padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True, min_width=12)
    table.add_column(ratio=1)
    for keys, description in rows:
        table.add_row(keys, description)
    return table


def limit_words(ctx: Any) -> str:
    """The low/high line the map draws, in words, with where this map's arch puts it."""
    if ctx is None:
        return ", and the low/high line (CRASH_ADDR_LOW_MAX)"
    limit = ctx.boundary
    if limit is None:  # none on this arch, or all of the map's memory is below it
        return ""
    return f", and the low/high line at {format_size(limit)} (CRASH_ADDR_LOW_MAX on this " \
           f"{ctx.arch.name} map)"


def learn_markdown(ctx: Any = None) -> str:
    """How to use crashmap (with the map's low/high line), then the Learn chapters as links
    (``learn:<id>``)."""
    links = "\n".join(f"- [{chapter_label(c)}](learn:{c})" for c in CHAPTER_IDS)
    how_to = HOW_TO.format(limit=limit_words(ctx))
    return (f"{how_to}\n## Learn\n\nShort chapters about kdump (click one, or press `l`):"
            f"\n\n{links}\n")


class HelpScreen(ModalScreen[None]):
    """Lists every key of the app and of the screen below, then how to use crashmap."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("l", "learn", "Learn"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #help-dialog {
            width: 100%; max-width: 90; height: 100%; max-height: 40;
            border: round $border; background: $surface;
        }
        #help-scroll { height: 1fr; }
        #help-keys { height: auto; padding: 0 1; }
        .help-section { margin-bottom: 1; }
        #help-text { margin: 0; padding: 0 1; }
    }
    """

    AUTO_FOCUS = "#help-scroll"

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        """What the help lists: ``(section title, [(keys, description)])``."""

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            with VerticalScroll(id="help-scroll"):
                yield Vertical(id="help-keys")
                yield Markdown(learn_markdown(getattr(self.app, "ctx", None)), id="help-text",
                               open_links=False)
            yield KeyBar()

    async def on_mount(self) -> None:
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if stack.index(self) > 0 else None
        self.sections = binding_sections(below) if below is not None else []
        self.query_one("#help-dialog").border_title = "Help: keys"
        await self.query_one("#help-keys").mount_all(
            Static(keys_table(title, rows), classes="help-section")
            for title, rows in self.sections)

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        chapter = event.href.removeprefix("learn:")
        if chapter in CHAPTER_IDS:
            self._open_learn(chapter)

    def action_learn(self) -> None:
        """Open the Learn chapters."""
        self._open_learn("kdump")

    def _open_learn(self, chapter: str) -> None:
        from crashmap.app.screens.learn import LearnScreen

        self.dismiss(None)
        self.app.push_screen(LearnScreen(chapter))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
