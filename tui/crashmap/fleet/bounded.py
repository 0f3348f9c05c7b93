"""Bounded caches for a fleet run: memory stays flat however many hosts stream by.

A fleet of a few dozen shapes fits in every cache; a fleet where no two hosts share a map
(physical KASLR moves each kernel) only ever evicts. What would still grow with it: keys that
hold a host's map text (held here by number instead), and parse trees, reference cycles
(``parent`` and ``children``) that only a full collection frees, which CPython runs when the
heap has grown by a quarter.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

LONG_TEXT = 256
"""A key's text longer than this stands in the key as its number (:func:`short_texts`)."""
MAX_TEXTS = 256
"""Long texts numbered at once, least recently used forgotten first."""
_IDS: dict[str, tuple[int]] = {}
_LAST = [0]


def text_id(text: str) -> tuple[int]:
    """A number for ``text``, the same while ``text`` stays among the :data:`MAX_TEXTS` used
    last, never given to another text (a forgotten text gets a new one: keys holding the old
    one only miss). A tuple, so it equals no snapshot value."""
    found = _IDS.pop(text, None)
    if found is None:
        if len(_IDS) >= MAX_TEXTS:
            del _IDS[next(iter(_IDS))]
        _LAST[0] += 1
        found = (_LAST[0],)
    _IDS[text] = found
    return found


def short_texts(values: tuple[Any, ...], at: tuple[int, ...]) -> tuple[Any, ...]:
    """``values`` with each text at the places ``at`` longer than :data:`LONG_TEXT` replaced by
    its :func:`text_id`: equal results are equal values, and a key holds a few bytes instead of
    a map of a few KiB."""
    if not at:
        return values
    out = list(values)
    for i in at:
        text = out[i]
        if text is not None and len(text) > LONG_TEXT:
            out[i] = text_id(text)
    return tuple(out)


def remember(cache: dict[Any, Any], key: Any, value: Any, size: int) -> None:
    """``cache[key] = value``, forgetting the oldest entry first when ``cache`` holds ``size``."""
    if len(cache) >= size:
        del cache[next(iter(cache))]
    cache[key] = value


COLLECT_EVERY = 128
"""Maps parsed between two full collections (``gc.collect()``): a forgotten parse tree is a
reference cycle, and a fleet of unique maps leaves one per host; a fleet of a few dozen maps
never gets one."""
COLLECT_HOSTS = 1 << 15
"""Hosts between two full collections while :func:`crashmap.fleet.check_fleet` runs with the
automatic collector off. Its passes only ever walked the run's long-lived objects (maps,
contexts, shapes, keys: ~9 ms of a 10 000-host run) without finding garbage: a host's own
objects hold no cycles and go when their count drops; the one cycle a run leaves, a parse
tree forgotten, is collected every :data:`COLLECT_EVERY` parses; this count bounds whatever
else would hold one."""
