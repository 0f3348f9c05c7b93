"""Lessons: a bundled map, a starting plan and a Learn chapter, shown side by side.

The lessons are data (``lessons.yaml`` next to this file); this module only reads them. Pure:
no Textual, so ``crashmap serve --lesson list`` and the CLI's checks stay headless.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from crashmap.app.learn import CHAPTER_IDS
from crashmap.errors import CrashmapError

LESSONS_FILE = "lessons.yaml"
FIELDS = ("title", "map", "chapter", "task", "cmdline", "kernel")
REQUIRED = ("title", "map", "chapter", "task")


@dataclass(frozen=True)
class Lesson:
    """One exercise: open ``map`` with ``cmdline`` as the plan for ``kernel``, ``chapter``
    beside it."""

    name: str
    title: str
    map: str
    """A bundled map name (or ``demo``): a SOURCE as the CLI reads it."""
    chapter: str
    """A Learn chapter id (:data:`crashmap.app.learn.CHAPTER_IDS`)."""
    task: str
    """What to try, Markdown."""
    cmdline: str | None = None
    """The starting kernel command line; None: the map's own ``/proc/cmdline``."""
    kernel: str | None = None
    """The kernel to plan for (``--kernel``); None: the map's own kernel."""


@cache
def lessons() -> dict[str, Lesson]:
    """Every lesson by name, in the file's order."""
    import yaml

    text = resources.files(__package__).joinpath(LESSONS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CrashmapError("expected a mapping of lesson names", path=LESSONS_FILE)
    return {str(name): _lesson(str(name), fields) for name, fields in data.items()}


def _lesson(name: str, fields: object) -> Lesson:
    where = f"{LESSONS_FILE}: lesson {name!r}"
    if not isinstance(fields, dict):
        raise CrashmapError(f"{where}: expected a mapping of {', '.join(FIELDS)}")
    unknown = sorted(set(fields) - set(FIELDS))
    missing = [key for key in REQUIRED if not fields.get(key)]
    if unknown or missing:
        raise CrashmapError(f"{where}: unknown {unknown}, missing {missing}")
    if fields["chapter"] not in CHAPTER_IDS:
        raise CrashmapError(f"{where}: no Learn chapter {fields['chapter']!r}")
    if fields.get("kernel") is not None:
        from crashmap.kernel.target import parse_release

        try:
            parse_release(str(fields["kernel"]))
        except CrashmapError as error:
            raise CrashmapError(f"{where}: {error}") from None
    values = {key: str(fields[key]).strip() for key in FIELDS if fields.get(key) is not None}
    return Lesson(name=name, **values)


def get_lesson(name: str) -> Lesson:
    """The lesson called ``name``; :class:`CrashmapError` naming the lessons there are."""
    found = lessons().get(name)
    if found is None:
        raise CrashmapError(f"no lesson {name!r} (lessons: {', '.join(lessons())}; "
                            "`--lesson list` describes them)")
    return found


def lesson_table() -> list[str]:
    """One tab-separated line per lesson: name, map, chapter, title (``--lesson list``)."""
    return [f"{lesson.name}\t{lesson.map}\t{lesson.chapter}\t{lesson.title}"
            for lesson in lessons().values()]


__all__ = ["Lesson", "get_lesson", "lesson_table", "lessons"]
