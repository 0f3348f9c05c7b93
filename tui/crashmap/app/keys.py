"""Key names to characters without the Unicode name database.

Each time the focus or the bindings change, Textual asks which character every bound key name
types (``key_to_character("equals_sign")``) so that a focused text field can claim it, and the
footer asks how to display each key. Textual answers through ``unicodedata.lookup``; the first
few lookups fault in about 0.8 MiB of the name tables, a tenth of what the whole map costs.
The key names bound anywhere in crashmap (its own and those of the Textual widgets it uses) are
few: :data:`CHARACTERS` answers them, and any other name still goes to Textual.
``tests/ui/test_keys.py`` checks the table against Textual's own answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import keys as textual_keys
from textual import screen as textual_screen

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.binding import Binding

CHARACTERS: dict[str, str | None] = {
    "backspace": "\x08", "delete": "\x7f", "escape": "\x1b", "space": " ", "tab": "\t",
    "enter": None, "up": None, "down": None, "left": None, "right": None, "home": None,
    "end": None, "pageup": None, "pagedown": None, "f6": None, "f7": None,
    "plus": None, "minus": None, "equals_sign": "=", "question_mark": "?",
    "less_than_sign": "<", "greater_than_sign": ">", "left_square_bracket": "[",
    "right_square_bracket": "]", "left_curly_bracket": "{", "right_curly_bracket": "}",
    "slash": None,
}
"""Every multi-letter key name crashmap binds, with what Textual says it types (None: nothing)."""

_textual_key_to_character: Callable[[str], str | None] = textual_keys.key_to_character


def key_to_character(key: str) -> str | None:
    """Textual's ``key_to_character``, answered from :data:`CHARACTERS` where it can."""
    if "+" in key or len(key) == 1:
        return _textual_key_to_character(key)  # answered without a lookup
    if key in CHARACTERS:
        return CHARACTERS[key]
    return _textual_key_to_character(key)


def key_display(binding: Binding) -> str | None:
    """How the footer shows ``binding`` when that needs no name lookup, else None.

    Textual formats a plain letter by looking it up as a character name first (``p`` is not
    one); the result is the letter itself, with ``^`` for ctrl as Textual writes it.
    """
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    if len(key) != 1 or not key.isalnum():
        return None
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        key = f"^{key}"
    return "+".join([*modifiers, key])


def install() -> None:
    """Answer Textual's per-binding character queries from :data:`CHARACTERS`."""
    textual_screen.key_to_character = key_to_character  # type: ignore[attr-defined]
