"""The default entry of a generated ``grub.cfg`` (grub-mkconfig's output: Debian, Ubuntu, and
Fedora or RHEL before BLS), as GRUB picks it.

- ``default`` is the last ``set default="…"`` outside a menu entry other than
  ``${next_entry}`` (grub-mkconfig's 00_header writes the one-shot ``next_entry`` branch, then
  ``GRUB_DEFAULT``, ``0`` unless configured); ``${saved_entry}`` is grubenv's value; an empty
  default is entry 0 (GRUB's ``grub_menu_get_default``);
- the value is a number (the N-th top-level ``menuentry`` or ``submenu``, from 0), a title or a
  ``$menuentry_id_option`` id, or a ``>``-separated path of them into a submenu;
- the entry's kernel command line is its ``linux`` (``linuxefi``, ``linux16``) line after the
  image, ``$name`` taken from grubenv as GRUB expands it.

Pure: text in, text out; :mod:`crashmap.bootentry` reads the files.
"""

from __future__ import annotations

import re
import shlex
from collections import namedtuple

CFG_FILES = ("boot/grub/grub.cfg", "boot/grub2/grub.cfg")
_OPEN = re.compile(r"""^(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)"|(\S+))""")
_ID = re.compile(r"\$menuentry_id_option\s+'([^']*)'")
_DEFAULT = re.compile(r"""^set\s+default=(?:"([^"]*)"|'([^']*)'|(\S*))\s*$""")
_LINUX = ("linux", "linuxefi", "linux16")
_MAX_DEPTH = 16


class MenuEntry(namedtuple("MenuEntry", "title ident linux children")):
    """A ``menuentry`` (``linux``: its linux line's arguments after the image, or None) or a
    ``submenu`` (``children``)."""

    __slots__ = ()


def parse_menu(text: str) -> tuple[list[MenuEntry], str | None]:
    """The top-level menu of ``text`` and its ``default`` (None: not set)."""
    top: list[MenuEntry] = []
    stack: list[tuple[list[MenuEntry], str, str | None, list[str | None]]] = []
    default = None
    blocks = 0  # braces of other blocks (function … { … }), so their "}" closes nothing of ours
    for raw in text.splitlines():
        line = raw.strip()
        opened = _OPEN.match(line)
        if opened and line.endswith("{") and len(stack) < _MAX_DEPTH:
            title = next((g for g in opened.groups()[1:] if g is not None), "")
            ident = _ID.search(line)
            stack.append(([], title, ident.group(1) if ident else None,
                          [None] if opened.group(1) == "menuentry" else []))
            continue
        if line.endswith("{"):
            blocks += 1
            continue
        if line == "}":
            if blocks:
                blocks -= 1
            elif stack:
                children, title, ident, linux = stack.pop()
                entry = MenuEntry(title, ident, linux[0] if linux else None,
                                  tuple(children) if not linux else ())
                (stack[-1][0] if stack else top).append(entry)
            continue
        if stack:
            words = line.split(None, 1)
            if words and words[0] in _LINUX and stack[-1][3]:
                stack[-1][3][0] = _arguments(line)
        elif (match := _DEFAULT.match(line)) is not None:
            value = next(g for g in match.groups() if g is not None)
            if value != "${next_entry}":
                default = value
    return top, default


def _arguments(line: str) -> str:
    """What a ``linux IMAGE ARGS…`` line passes to the kernel (the words after the image)."""
    try:
        words = shlex.split(line, comments=False)
    except ValueError:  # an unbalanced quote: GRUB would refuse it; take the words as they are
        words = line.split()
    return " ".join(words[2:])


def pick(menu: list[MenuEntry], default: str | None) -> MenuEntry | None:
    """The entry ``default`` names (GRUB: a number, a title or an id; ``>`` into submenus)."""
    entries: tuple[MenuEntry, ...] | list[MenuEntry] = menu
    found = None
    for part in (default or "0").split(">"):
        part = part.strip()
        if part.isdigit():
            index = int(part)
            found = entries[index] if index < len(entries) else None
        else:
            found = next((e for e in entries if part in (e.title, e.ident)), None)
        if found is None:
            return None
        entries = found.children
    return found if found is not None and found.linux is not None else None
