"""Command palette (ctrl+p): every key binding of the app and the main screen, and the maps.

Imported when the palette first opens (``CrashmapApp.COMMANDS`` names a loader).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from crashmap.app.widgets.key_bar import tooltip_of

if TYPE_CHECKING:
    from crashmap.app.app import CrashmapApp


class CrashmapCommands(Provider):
    """Plan, map and source actions by name; "open map NAME" for each bundled map."""

    def _commands(self) -> Iterator[tuple[str, str, object]]:
        from crashmap.app.main_screen import MainScreen
        from crashmap.sources import bundled_maps

        app: CrashmapApp = self.app  # type: ignore[assignment]
        seen: set[str] = set()
        screen = next((s for s in reversed(app.screen_stack) if isinstance(s, MainScreen)), None)
        for owner, bindings in ((screen, MainScreen.BINDINGS), (app, type(app).BINDINGS)):
            if owner is None:
                continue
            for binding in bindings:
                assert isinstance(binding, Binding)
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                key = binding.key_display or binding.key.split(",")[0]
                tooltip = tooltip_of(owner, binding)
                name = tooltip or binding.description
                help_text = f"key {key}" + (f" · {binding.description}" if tooltip else "")
                yield name, help_text, partial(app.run_action, binding.action, owner)
        for name in bundled_maps():
            yield f"Open map {name}", "a real machine bundled with crashmap", \
                partial(app.load, name)
        yield "Open the live machine", "reads /proc/iomem (needs root)", partial(app.load, "live")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback,  # type: ignore[arg-type]
                          help=help_text)
