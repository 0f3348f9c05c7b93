"""Many machines at once: every member read and checked with ``check``'s functions, hosts
grouped into classes, and one plan (or the fewest) for all of them. No Textual here.

Use::

    run = FleetRun(plan=None)                 # None: each host's own /proc/cmdline
    summary = check_fleet(["fleet/", "more.jsonl"], run, on_host=print)
    summary.classes, summary.failed, summary.exit_code()

:mod:`crashmap.fleet.members` walks the members, :mod:`crashmap.fleet.evaluate` checks a host
(one evaluation per shape), :mod:`crashmap.fleet.summary` adds hosts into classes.
"""

from __future__ import annotations

import gc

from crashmap.errors import CrashmapError
from crashmap.fleet import bounded
from crashmap.fleet.evaluate import FleetRun, Host, Shape
from crashmap.fleet.members import Item, walk
from crashmap.fleet.summary import ClassStats, Summary

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


def check_fleet(paths: Iterable[str], run: FleetRun, *,
                on_host: Callable[[Host], None] | None = None,
                on_bad: Callable[[str], None] | None = None,
                on_skip: Callable[[str], None] | None = None,
                summary: Summary | None = None) -> Summary:
    """Read every member under ``paths`` and check each host with ``run``, streaming: each
    host goes to ``on_host`` as it is checked, each unreadable member (its one-line error,
    ``FILE:LINE: what``) to ``on_bad``; a bad member never stops the run."""
    summary = summary if summary is not None else Summary()
    collecting = gc.isenabled()
    gc.disable()  # collected on a count instead (bounded.COLLECT_HOSTS)
    try:
        _check_members(paths, run, summary, on_host, on_bad, on_skip)
    finally:
        if collecting:
            gc.enable()
    return summary


def _check_members(paths: Iterable[str], run: FleetRun, summary: Summary,
                   on_host: Callable[[Host], None] | None,
                   on_bad: Callable[[str], None] | None,
                   on_skip: Callable[[str], None] | None) -> None:
    every = bounded.COLLECT_HOSTS
    for number, item in enumerate(walk(paths, raw=True, lines=True), start=1):
        if number % every == 0:
            gc.collect()
        if item.kind == "lines":
            _check_lines(item, run, summary, on_host, on_bad)
            continue
        if item.kind == "skipped":
            summary.skipped += 1
            if on_skip is not None:
                on_skip(item.label)
            continue
        if item.kind == "bad":
            _bad(summary, str(item.value), on_bad)
            continue
        try:
            host = run.check_item(item)
        except CrashmapError as error:
            _bad(summary, str(error), on_bad)
            continue
        summary.add(host)
        if on_host is not None:
            on_host(host)


def _check_lines(item: Item, run: FleetRun, summary: Summary,
                 on_host: Callable[[Host], None] | None,
                 on_bad: Callable[[str], None] | None) -> None:
    """The hosts of one JSON Lines file, line by line (:meth:`FleetRun.check_line`: no walk
    item per line), as :func:`check_fleet` takes them."""
    name, check, add, every = item.path, run.check_line, summary.add, bounded.COLLECT_HOSTS
    try:
        for number, raw in item.value:
            if type(raw) is not bytes:  # a line that cannot be read: its CrashmapError
                _bad(summary, str(raw), on_bad)
                continue
            if number % every == 0:
                gc.collect()
            label = f"{name}:{number}"
            try:
                host = check(raw, label, name, number)
            except CrashmapError as error:
                _bad(summary, str(error), on_bad)
                continue
            add(host)
            if on_host is not None:
                on_host(host)
    except CrashmapError as error:  # the file cannot be opened
        _bad(summary, str(error), on_bad)


def _bad(summary: Summary, message: str, on_bad: Callable[[str], None] | None) -> None:
    summary.add_bad(message)
    if on_bad is not None:
        on_bad(message)


__all__ = ["ClassStats", "FleetRun", "Host", "Shape", "Summary", "check_fleet", "walk"]
