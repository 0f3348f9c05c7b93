"""One text field of the plan editor: its text, cursor and selection, and how it is drawn.

The editor draws its fields itself (a widget each would be ~40 KiB, and Textual's ``Input``
~140 KiB with its style nodes and blink timer); a field only needs typing, moving the cursor
and deleting. Like ``Input``, a field reached with the keyboard has its text selected, so
typing replaces it.
"""

from __future__ import annotations

from textual.content import Content

FIELD = "on $surface"
CURRENT = "on $surface-lighten-1"
CURSOR = "$input-cursor-foreground on $input-cursor-background"
SELECTED = "$input-selection-foreground on $input-selection-background"
PLACEHOLDER = "$foreground-disabled"
INVALID = "bold $error on $error-muted"


class FieldState:
    """A field's text and where typing goes (no widget: the editor owns and draws it)."""

    __slots__ = ("key", "placeholder", "value", "cursor", "selected", "invalid", "disabled",
                 "style")

    def __init__(self, key: str, placeholder: str = "", value: str = "", style: str = "") -> None:
        self.key = key
        self.placeholder = placeholder
        self.value = value
        self.cursor = len(value)
        """Where typing inserts, 0 to ``len(value)``."""
        self.selected = False
        """The whole text is selected (reached with the keyboard): typing replaces it."""
        self.invalid = False
        """What was typed is not a value (drawn in the error colour until replaced)."""
        self.disabled = False
        self.style = style
        """Extra style of the text (the kernel field when the version is assumed)."""

    def set(self, value: str) -> None:
        """Show ``value`` (not typed by the user): the cursor goes to its end."""
        self.value, self.cursor, self.selected, self.invalid = value, len(value), False, False

    def _edit(self, value: str, cursor: int) -> bool:
        changed = value != self.value
        self.value, self.cursor, self.selected = value, cursor, False
        return changed

    def insert(self, text: str) -> bool:
        """Type ``text`` at the cursor (over the whole text when it is selected); True when the
        text changed."""
        if self.selected:
            return self._edit(text, len(text))
        value, at = self.value, self.cursor
        return self._edit(value[:at] + text + value[at:], at + len(text))

    def move(self, delta: int) -> None:
        self.selected = False
        self.cursor = min(max(self.cursor + delta, 0), len(self.value))

    def delete(self, direction: int) -> bool:
        """Backspace (-1) or delete (1); the selection, when there is one."""
        value, at = self.value, self.cursor
        if self.selected:
            return self._edit("", 0)
        if direction < 0 and at > 0:
            return self._edit(value[:at - 1] + value[at:], at - 1)
        if direction > 0 and at < len(value):
            return self._edit(value[:at] + value[at + 1:], at)
        return False

    def delete_to(self, end: int) -> bool:
        """Delete to the start (0) or to the end (-1) of the text."""
        if self.selected:
            return self._edit("", 0)
        if end == 0:
            return self._edit(self.value[self.cursor:], 0)
        return self._edit(self.value[:self.cursor], self.cursor)

    def click(self, x: int, width: int) -> None:
        """Put the cursor under cell ``x`` of the field as drawn ``width`` wide."""
        self.selected = False
        self.cursor = min(len(self.value), self._start(width) + max(x, 0))

    def _start(self, width: int) -> int:
        """The first character shown: the cursor stays inside the field."""
        return max(0, self.cursor - width + 1)

    def content(self, width: int, *, editing: bool) -> Content:
        """The field ``width`` cells wide; ``editing``: it has the keyboard (cursor drawn)."""
        value = self.value
        back = CURRENT if editing else FIELD
        text = f"{self.style} {INVALID}" if self.invalid else self.style
        if not editing:
            shown = (Content.styled(value[:width], text) if value
                     else Content.styled(self.placeholder[:width], PLACEHOLDER))
        elif self.selected and value:
            shown = Content.styled(value[-width:], SELECTED)
        elif not value:
            shown = Content.assemble((self.placeholder[:1] or " ", CURSOR),
                                     (self.placeholder[1:width], PLACEHOLDER))
        else:
            start = self._start(width)
            at = self.cursor - start
            part = value[start:start + width]
            shown = Content.assemble((part[:at], text), (part[at:at + 1] or " ", CURSOR),
                                     (part[at + 1:], text))
        return shown.pad_right(width - shown.cell_length).stylize_before(back)
