"""The whole /proc/iomem as a tree (sizes in binary units); children show when expanded.

A light widget of its own, a ``ScrollView`` drawing the visible lines of the flattened
hierarchy itself, where Textual's ``Tree`` kept node objects, seven component style nodes, a
line cache and a horizontal scrollbar with its corner (at 160×48 the panel cost about 0.45 MiB
of the peak RSS over an empty widget; this one about 0.2, mostly the strips of its lines).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from crashmap.iomem import Iomem, Resource
from crashmap.units import format_size

EXPANDER = ("▶ ", "▼ ")
"""Drawn before a resource with children: collapsed, expanded."""


def node_label(resource: Resource) -> tuple[str, str, str]:
    """Start address first, as /proc/iomem has it, then the size, then the name (drawn dim,
    bold, plain): a narrow panel cuts the end of the name, never an address or a size. The
    whole range shows on the map's status line when the resource is highlighted."""
    return (f"{resource.start:#x}", "  " + format_size(resource.size),
            "  " + (resource.name or "(no name)"))


def describe(resource: Resource) -> str:
    """One resource in full, for the status line: name, whole range, size."""
    return f"{resource.name or '(no name)'}: {resource.start:#x}–{resource.last:#x} " \
           f"({format_size(resource.size)})"


def ancestry(resource: Resource) -> list[Resource]:
    """The top-level resource down to ``resource``."""
    path = [resource]
    while path[-1].parent is not None:
        path.append(path[-1].parent)  # type: ignore[arg-type]
    path.reverse()
    return path


def is_last(resource: Resource) -> bool:
    parent = resource.parent
    return parent is None or parent.children[-1] is resource


class ResourceMessage(Message):
    """Something happened to ``resource`` in ``tree``."""

    def __init__(self, tree: ResourceTree, resource: Resource) -> None:
        super().__init__()
        self.tree = tree
        self.resource = resource

    @property
    def control(self) -> ResourceTree:
        return self.tree


class ResourceTree(ScrollView):
    """Every resource of the map, one line each, indented under its parent with guides;
    selecting one (enter, a click) zooms the detail grid to it."""

    DEFAULT_CSS = """
    ResourceTree {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;  /* a long name is cut at the end */
        &:focus { background-tint: $foreground 5%; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", "Cursor up", show=False),
        Binding("down", "cursor(1)", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("left", "collapse", "Collapse or go to the parent", show=False),
        Binding("right", "expand", "Expand or go to the first child", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("space", "toggle", "Expand or collapse", show=False),
    ]

    class Highlighted(ResourceMessage):
        """The cursor moved to ``resource``."""

    class Selected(ResourceMessage):
        """``resource`` was chosen (enter, or a click on its line)."""

    def __init__(self, iomem: Iomem, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.iomem = iomem
        self.expanded: set[Resource] = set()
        """Resources showing their children."""
        self.rows: list[Resource] = []
        """The visible lines, top to bottom."""
        self.cursor_line = -1
        """The highlighted line, -1 before the first key (as Textual's ``Tree``)."""
        self._line_styles_for: tuple[object, ...] | None = None
        self._line_styles: tuple[RichStyle, ...] = ()
        self._flatten()

    def on_mount(self) -> None:
        self.border_title = "Resources"

    @property
    def cursor_resource(self) -> Resource | None:
        return self.rows[self.cursor_line] if 0 <= self.cursor_line < len(self.rows) else None

    # --- the hierarchy --------------------------------------------------------------------

    def _flatten(self) -> None:
        rows: list[Resource] = []
        stack = self.iomem.roots[::-1]
        expanded = self.expanded
        while stack:
            resource = stack.pop()
            rows.append(resource)
            if resource in expanded:
                stack.extend(reversed(resource.children))
        self.rows = rows
        self.virtual_size = Size(0, len(rows))

    def toggle(self, resource: Resource) -> None:
        """Show or hide the children of ``resource``; the cursor stays on its resource, or
        moves to ``resource`` when that hid it."""
        if not resource.children:
            return
        cursor = self.cursor_resource
        if resource in self.expanded:
            self.expanded.discard(resource)
        else:
            self.expanded.add(resource)
        self._flatten()
        self.refresh()
        if cursor is None:
            return
        if resource not in self.expanded and resource in ancestry(cursor)[:-1]:
            self.cursor_line = -1  # hidden: the cursor goes to the collapsed resource
            self.move_cursor(self.rows.index(resource))
        else:
            self.cursor_line = self.rows.index(cursor)  # identity: Resource has no __eq__

    def move_cursor(self, line: int) -> None:
        """Put the cursor on ``line`` (clamped), scroll it into view, say which resource."""
        if not self.rows:
            return
        line = max(0, min(line, len(self.rows) - 1))
        self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True,
                              origin_visible=False, x_axis=False)
        if line == self.cursor_line:
            return
        self.cursor_line = line
        self.refresh()  # the cursor line, and the guides under it
        self.post_message(self.Highlighted(self, self.rows[line]))

    def select(self, line: int) -> None:
        """Choose the resource on ``line``: the cursor goes there, it toggles its children."""
        self.move_cursor(line)
        resource = self.cursor_resource
        if resource is not None:
            self.post_message(self.Selected(self, resource))
            self.toggle(resource)

    # --- keys and mouse -------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if self.cursor_line == -1:  # the first key: the first line, or the last going up
            self.move_cursor(0 if step > 0 else len(self.rows) - 1)
        else:
            self.move_cursor(self.cursor_line + step)

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        start = self.cursor_line if self.cursor_line != -1 else 0
        self.move_cursor(start + direction * page)

    def action_cursor_to(self, line: int) -> None:
        self.move_cursor(line if line >= 0 else len(self.rows) - 1)

    def action_collapse(self) -> None:
        resource = self.cursor_resource
        if resource is None:
            return
        if resource in self.expanded:
            self.toggle(resource)
        elif resource.parent is not None:
            self.move_cursor(self.rows.index(resource.parent))

    def action_expand(self) -> None:
        resource = self.cursor_resource
        if resource is None or not resource.children:
            return
        if resource in self.expanded:
            self.move_cursor(self.cursor_line + 1)
        else:
            self.toggle(resource)

    def action_select(self) -> None:
        if self.cursor_resource is not None:
            self.select(self.cursor_line)

    def action_toggle(self) -> None:
        resource = self.cursor_resource
        if resource is not None:
            self.toggle(resource)

    def on_click(self, event: events.Click) -> None:
        """A click on ``▶``/``▼`` toggles; anywhere else on a line selects it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = self.scroll_offset.y + offset.y
        if not 0 <= line < len(self.rows):
            return
        resource = self.rows[line]
        indent = 2 * (len(ancestry(resource)) - 1)
        if resource.children and indent <= offset.x < indent + len(EXPANDER[0]):
            self.toggle(resource)
        else:
            self.select(line)

    # --- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One line of segments cut or padded to the width: no ``Content`` to parse and no
        intermediate strips (each carries seven small caches) on the way."""
        styles = self._styles()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        if not 0 <= line < len(self.rows):
            return Strip.blank(width, styles[0])
        segments = Segment.adjust_line_length(self.line_segments(line, styles), width, styles[0])
        return Strip(list(Segment.simplify(segments)), width)

    def line_segments(self, line: int, styles: tuple[RichStyle, ...]) -> list[Segment]:
        """Line ``line``: guides, expander, label (the cursor's label highlighted).

        Guides as Textual's ``Tree`` draws them two cells deep; with the focus, those under
        the cursor's resource take the cursor's colour."""
        base, guide, under_cursor = styles[:3]
        resource = self.rows[line]
        path = ancestry(resource)
        cursor = self.cursor_resource
        under = len(path)  # the guides from this depth on are under the cursor
        if self.has_focus and cursor is not None and cursor is not resource:
            under = next((i + 1 for i, r in enumerate(path[:-1]) if r is cursor), under)
        segments = [Segment("  " if is_last(ancestor) else "│ ",
                            under_cursor if depth >= under else guide)
                    for depth, ancestor in enumerate(path[1:-1], start=1)]
        if len(path) > 1:
            segments.append(Segment("└ " if is_last(resource) else "├ ",
                                    under_cursor if len(path) - 1 >= under else guide))
        if resource.children:
            segments.append(Segment(EXPANDER[resource in self.expanded], base))
        label = styles[6:] if line == self.cursor_line else styles[3:6]
        segments.extend(map(Segment, node_label(resource), label))
        return segments

    def _styles(self) -> tuple[RichStyle, ...]:
        """The widget's style, the guides', the guides' under the cursor, then a label's
        address, size and name styles, and the same for the cursor's label. From the theme's
        variables, as Textual's ``Tree`` colours them; remembered while the look stays."""
        base = self.visual_style
        focused, no_color = self.has_focus, self.app.no_color
        key = (base, focused, no_color)
        if self._line_styles_for != key:
            parse = Style.parse
            if not self.app.current_theme.dark:
                guide = "$surface-darken-1"
            else:
                guide = "$surface-lighten-3" if focused else "$surface-lighten-2"
            if focused:
                cursor = "$block-cursor-foreground on $block-cursor-background"
                # Themes such as nord set it to "none", which CSS reads and a style string
                # does not (it takes it for a colour).
                if self.app.theme_variables.get("block-cursor-text-style", "none") != "none":
                    cursor += " $block-cursor-text-style"
            else:
                cursor = "on $block-cursor-blurred-background"
            cursor_base = base + parse(cursor + " reverse" if no_color else cursor)
            dim, bold = parse("dim"), parse("bold")
            styles = (base, base + parse(guide), base + parse("$block-cursor-background"),
                      base + dim, base + bold, base, cursor_base + dim, cursor_base + bold,
                      cursor_base)
            self._line_styles_for, self._line_styles = key, tuple(s.rich_style for s in styles)
        return self._line_styles

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
