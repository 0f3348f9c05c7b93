"""Component classes styled on demand, over one hidden node per widget.

Textual gives a widget one hidden ``DOMNode`` per ``COMPONENT_CLASSES`` entry, kept for the
widget's life (about 6.5 KiB each: a message pump, its styles, node lists), and styles them all
again each time the widget's own styles are applied. The map's palette had 23 of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.css.styles import RenderStyles, Styles
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.widget import Widget


class LazyComponentClasses:
    """Mix in before the widget class, ``class KeyBar(LazyComponentClasses, Widget)``, and list
    the classes in ``LAZY_COMPONENT_CLASSES`` instead of ``COMPONENT_CLASSES``. The styles are
    the same: ``get_component_styles`` (and so ``get_component_rich_style`` and
    ``get_visual_style``) styles one hidden child with each asked class in turn, as Textual
    styles its hidden child of that class, when first asked. ``get_visual_style`` keeps its
    results until the styles change, ``get_component_rich_style`` only until the next refresh:
    a widget that asks often caches them and drops them in ``notify_style_update``.

    Written against textual 8.2.8 (pinned in pyproject.toml): mirrors
    ``DOMNode.get_component_styles`` and ``Stylesheet._process_component_classes``; sets
    ``DOMNode._classes`` directly (the ``classes`` setter would schedule a styles update).
    The returned styles' node is the shared hidden child: read them before asking again.
    """

    LAZY_COMPONENT_CLASSES: ClassVar[frozenset[str]] = frozenset()
    """The component classes, styled in CSS as ``Widget > .name`` like Textual's."""

    _component_node: DOMNode | None = None

    def get_component_styles(self: Widget, *names: str) -> RenderStyles:
        node = self._component_node
        if node is None:
            node = self._component_node = DOMNode()
            node._attach(self)
        styles = RenderStyles(self, Styles(), Styles())
        stylesheet = self.app.stylesheet
        for name in names:
            if name not in self.LAZY_COMPONENT_CLASSES:
                raise KeyError(f"No {name!r} key in LAZY_COMPONENT_CLASSES")
            node._classes = {name}
            stylesheet.apply(node, animate=False)
            styles._update_node(node)
            styles.base.merge(node.styles.base)
            styles.inline.merge(node.styles.inline)
            styles._updates += 1
        return styles
