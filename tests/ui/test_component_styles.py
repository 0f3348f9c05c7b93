"""Component classes styled on demand give the styles Textual's own component classes give."""

from __future__ import annotations

from itertools import permutations

import pytest
from crashmap.app.widgets.component_styles import LazyComponentClasses
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

NAMES = ("probe--fg", "probe--bg", "probe--flag", "probe--opacity")

CSS = """
#box { background: $panel; color: $text; }
.probe {
    background: $surface;
    & > .probe--fg { color: $success 50%; }
    & > .probe--bg { color: $text; background: $error 60%; text-style: bold; }
    & > .probe--flag { text-style: reverse underline; }
    & > .probe--opacity { background: $primary; text-opacity: 50%; }
}
.probe:focus > .probe--flag { text-style: bold; }
"""


class Textuals(Widget, can_focus=True):
    COMPONENT_CLASSES = set(NAMES)


class Lazy(LazyComponentClasses, Widget, can_focus=True):
    LAZY_COMPONENT_CLASSES = frozenset(NAMES)


class Probes(App[None]):
    CSS = CSS
    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Textuals(classes="probe")
            yield Lazy(classes="probe")


def styles(widget: Widget) -> list[object]:
    out: list[object] = []
    for n in range(1, 4):
        for names in permutations(NAMES, n):
            out.append(widget.get_component_rich_style(*names))
            out.append(widget.get_component_rich_style(*names, partial=True))
    for name in NAMES:
        out.append(widget.get_visual_style(name))
        out.append(widget.get_visual_style(name, partial=True))
    return out


async def test_same_styles_as_textuals_component_classes() -> None:
    app = Probes()
    async with app.run_test() as pilot:
        textuals, lazy = app.query_one(Textuals), app.query_one(Lazy)
        assert not lazy._get_component_classes()  # no hidden node per class
        seen = []
        for theme in ("textual-dark", "textual-light", "nord"):
            app.theme = theme
            await pilot.pause()
            assert styles(lazy) == styles(textuals)
            seen.append(styles(lazy))
        assert seen[0] != seen[1] != seen[2]  # the theme restyles them
        blurred = styles(lazy)
        focused = []
        for widget in (textuals, lazy):  # the widget's pseudo classes count, as in Textual
            widget.focus()
            await pilot.pause()
            focused.append(styles(widget))
        assert focused[1] == focused[0] != blurred


async def test_unknown_class_is_refused() -> None:
    app = Probes()
    async with app.run_test():
        with pytest.raises(KeyError):
            app.query_one(Lazy).get_component_styles("probe--nope")
