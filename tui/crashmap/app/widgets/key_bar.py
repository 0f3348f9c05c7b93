"""The footer: the keys that work here, as one line; click one to press it.

Textual's ``Footer`` shows the same keys as one widget per key and mounts them all again each
time the focus moves. On the main screen that is a dozen widgets, about a twentieth of
crashmap's whole memory. This draws them as one line and repaints it when the bindings change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

from crashmap.app.widgets.component_styles import LazyComponentClasses

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen


def tooltip_of(node: object, binding: Binding) -> str | None:
    """The tooltip of ``binding`` as ``node`` (its owner) words it: a screen can put its map's
    constants in (``binding_tooltip``), else the binding's own tooltip. The command palette
    words its entries the same way."""
    custom = getattr(node, "binding_tooltip", None)
    return custom(binding) if callable(custom) else binding.tooltip or None


class KeySpan(NamedTuple):
    """One key as drawn: its cells ``[start, end)`` and the binding it presses."""

    start: int
    end: int
    binding: Binding
    enabled: bool
    tooltip: str


class KeyBar(LazyComponentClasses, Widget):
    """The shown bindings of the focused widget, the screen and the app; the palette key right."""

    ALLOW_SELECT = False
    LAZY_COMPONENT_CLASSES: ClassVar[frozenset[str]] = frozenset(
        {"key-bar--key", "key-bar--description"})
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description { color: $footer-description-foreground; }
        &:hover { pointer: pointer; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spans: list[KeySpan] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def keys(self) -> tuple[list[tuple[Binding, bool, str]], list[tuple[Binding, bool, str]],
                            tuple[Binding, bool, str] | None]:
        """The shown bindings, one per action, in order; the hidden ones the screen offers
        where there is room (its ``KEYS_WHEN_ROOM`` actions, in that order); the palette's."""
        app = self.app
        active = self.screen.active_bindings
        roomy = getattr(self.screen, "KEYS_WHEN_ROOM", ())
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding, enabled, binding.tooltip or binding.description)
        shown: dict[str, tuple[Binding, bool, str]] = {}
        extra: dict[str, tuple[Binding, bool, str]] = {}
        for node, binding, enabled, _ in active.values():
            hidden = getattr(node, "footer_hidden", None)  # a key that means nothing here
            if callable(hidden) and hidden(binding):
                continue
            keys = shown if binding.show else extra if binding.action in roomy else None
            if keys is not None and binding.action not in keys:
                keys[binding.action] = (binding, enabled, tooltip_of(node, binding) or "")
        return (list(shown.values()), [extra[a] for a in roomy if a in extra and a not in shown],
                palette)

    def render(self) -> Content:
        key_style = self.get_visual_style("key-bar--key", partial=True)
        text_style = self.get_visual_style("key-bar--description", partial=True)
        display = self.app.get_key_display
        shown, extra, palette = self.keys()
        width = self.size.width

        def drawn(binding: Binding, enabled: bool, compact: bool = False) -> Content:
            key, description = f" {display(binding)} ", f"{binding.description} "
            if compact:  # " + Grow - Shrink" instead of " + Grow  - Shrink "
                key, description = key[:-1], " " + description[:-1]
            part = Content.assemble((key, key_style), (description, text_style))
            return part if enabled else part.stylize("dim")

        parts = [drawn(binding, enabled) for binding, enabled, _ in shown]
        compact = sum(part.cell_length for part in parts) > width
        if compact:
            # One space less per key: at 80 columns the main screen's Open and Quit stay in sight.
            parts = [drawn(binding, enabled, compact=True) for binding, enabled, _ in shown]
        room = width - sum(part.cell_length for part in parts) - 1
        if palette is not None:
            room -= drawn(*palette[:2]).cell_length
        for key in extra:  # V Verify, E Estimate... while they fit beside the palette key
            part = drawn(*key[:2], compact=compact)
            if part.cell_length > room:
                break
            room -= part.cell_length
            parts.append(part)
            shown.append(key)
        spans: list[KeySpan] = []
        x = 0
        for part, (binding, enabled, tooltip) in zip(parts, shown, strict=True):
            spans.append(KeySpan(x, x + part.cell_length, binding, enabled,
                                 tooltip or binding.description))
            x += part.cell_length
        if palette is not None:
            binding, enabled, tooltip = palette
            part = drawn(binding, enabled)
            gap = width - x - part.cell_length
            if gap >= 1:  # right-aligned, and only where it fits
                parts += [Content(" " * gap), part]
                spans.append(KeySpan(width - part.cell_length, width, binding, enabled, tooltip))
        self.spans = spans
        return Content("").join(parts)

    def span_at(self, x: int) -> KeySpan | None:
        return next((span for span in self.spans if span.start <= x < span.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        span = self.span_at(event.x)
        self.tooltip = span.tooltip if span is not None else None

    def on_click(self, event: events.Click) -> None:
        span = self.span_at(event.x)
        if span is not None and span.enabled:
            event.stop()
            self.app.simulate_key(span.binding.key)
