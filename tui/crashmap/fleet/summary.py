"""Hosts added up into classes: counts, outcomes, memory taken, and the findings that differ.

A class is hosts that share the arch, the kernel series, the RAM bracket of the plan and the
size class of their largest free low block (what moves a reservation). Everything here is
bounded by the number of classes, not of hosts: each class names a few hosts as examples.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.fleet.evaluate import Host

EXAMPLES = 8
"""Host names each class and each failure reason keeps."""
SHAPES = 256
"""Shapes a class keeps whole (then their counts are folded in): memory stays flat."""
KEPT = 1024
"""Shapes the classes of one summary keep whole in all (a fleet of unique maps has thousands
of shapes in a few dozen classes)."""


class ClassStats:
    """One class: ``count`` hosts, ``ok`` of them pass; outcomes, memory and findings."""

    __slots__ = ("name", "arch", "series", "bracket", "low", "hosts", "failing", "reasons",
                 "first", "by_shape", "folded", "folded_totals", "room")

    def __init__(self, name: str, shape: Any, room: list[int] | None = None) -> None:
        self.name = name
        self.room = room if room is not None else [KEPT]
        """How many more shapes may be kept whole (shared by the classes of a summary)."""
        self.arch, self.series, self.bracket = shape.arch, shape.series, shape.bracket
        self.low = name.rsplit(" low ", 1)[-1]
        self.folded_totals = [0, 0, 0, 0]
        """count, ok, static, cma of the folded hosts."""
        self.by_shape: dict[int, list[Any]] = {}
        """id(shape) → [shape, hosts]: outcomes and findings are counted per shape at the end."""
        self.folded: list[Any] = [{}, {}, {}, {}]
        """Outcome and code counts, severities and messages of hosts past ``SHAPES`` shapes."""
        self.hosts: list[str] = []
        self.failing: list[str] = []
        self.reasons: dict[str, list[Any]] = {}
        """First error message → [count, example hosts]."""
        self.first: Any = shape
        """The first host's shape (what a table row shows for the class)."""

    def add(self, host: Host) -> None:
        shape = host.shape
        entry = self.by_shape.get(id(shape))
        if entry is not None:
            entry[1] += 1
        elif len(self.by_shape) < SHAPES and self.room[0] > 0:
            self.by_shape[id(shape)] = [shape, 1]
            self.room[0] -= 1
        else:
            self._fold(shape)
            totals = self.folded_totals
            totals[0] += 1
            totals[1] += shape.ok
            totals[2] += shape.static
            totals[3] += shape.cma
        if len(self.hosts) < EXAMPLES:
            self.hosts.append(host.name)
        if shape.ok:
            return
        if len(self.failing) < EXAMPLES:
            self.failing.append(host.name)
        entry = self.reasons.get(shape.reason)
        if entry is None:  # not setdefault: its new lists would be built for every host
            entry = self.reasons[shape.reason] = [0, []]
        entry[0] += 1
        if len(entry[1]) < EXAMPLES:
            entry[1].append(host.name)

    def _sum(self, index: int, field: str | None) -> int:
        total = self.folded_totals[index]
        for shape, n in self.by_shape.values():
            total += n * (getattr(shape, field) if field else 1)
        return total

    @property
    def count(self) -> int:
        return self._sum(0, None)

    @property
    def ok(self) -> int:
        return self._sum(1, "ok")

    @property
    def static(self) -> int:
        return self._sum(2, "static")

    @property
    def cma(self) -> int:
        return self._sum(3, "cma")

    @property
    def failed(self) -> int:
        return self.count - self.ok

    def _fold(self, shape: Any, n: int = 1) -> None:
        outcomes, codes, severity, messages = self.folded
        outcomes[shape.outcome] = outcomes.get(shape.outcome, 0) + n
        for code, level, message in shape.findings:
            if code not in severity:
                severity[code], messages[code] = level, message
        for code in dict.fromkeys(code for code, _, _ in shape.findings):
            codes[code] = codes.get(code, 0) + n

    def _totals(self) -> list[Any]:
        """The counts of the shapes kept whole, then of the folded ones (severities and
        messages: the first shape's that has the code, as if every shape were kept)."""
        total: list[Any] = [{}, {}, {}, {}]
        saved, self.folded = self.folded, total
        try:
            for shape, n in self.by_shape.values():
                self._fold(shape, n)
        finally:
            self.folded = saved
        for mine, theirs in zip(total[:2], saved[:2], strict=True):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        for mine, theirs in zip(total[2:], saved[2:], strict=True):
            for key, value in theirs.items():
                mine.setdefault(key, value)
        return total

    @property
    def outcomes(self) -> dict[str, int]:
        return self._totals()[0]

    @property
    def codes(self) -> dict[str, int]:
        """Finding code → hosts that have it."""
        return self._totals()[1]

    @property
    def severity(self) -> dict[str, str]:
        return self._totals()[2]

    @property
    def messages(self) -> dict[str, str]:
        """Finding code → a message of a host that has it."""
        return self._totals()[3]

    @property
    def differing(self) -> dict[str, int]:
        """Finding codes some hosts of the class have and others do not, with their count."""
        return {code: n for code, n in self.codes.items() if n < self.count}

    def to_json(self) -> dict[str, Any]:
        outcomes, codes, severity, messages = self._totals()  # once (each property folds)
        count, ok = self.count, self.ok
        return {
            "type": "class", "class": self.name, "arch": self.arch, "series": self.series,
            "bracket": self.bracket, "low_free": self.low, "hosts": count, "ok": ok,
            "failed": count - ok, "outcomes": outcomes, "static": self.static,
            "cma": self.cma, "findings": {code: {"hosts": n, "severity": severity[code],
                                                 "message": messages[code]}
                                          for code, n in codes.items()},
            "differing": sorted(code for code, n in codes.items() if n < count),
            "example_hosts": self.hosts,
            "failing_hosts": self.failing,
            "reasons": [{"reason": r, "hosts": n, "example_hosts": names}
                        for r, (n, names) in self.reasons.items()],
        }


class Summary:
    """The whole fleet: classes in first-seen order, totals, and the members that could not be
    read (each with its one-line error)."""

    def __init__(self) -> None:
        self.classes: dict[str, ClassStats] = {}
        self.room = [KEPT]
        self.bad: list[str] = []
        self.bad_count = 0
        self.skipped = 0

    def add(self, host: Host) -> None:
        stats = self.classes.get(host.shape.class_name)
        if stats is None:
            stats = self.classes[host.shape.class_name] = ClassStats(host.shape.class_name,
                                                                     host.shape, self.room)
        stats.add(host)

    @property
    def hosts(self) -> int:
        return sum(c.count for c in self.classes.values())

    @property
    def ok(self) -> int:
        return sum(c.ok for c in self.classes.values())

    @property
    def static(self) -> int:
        return sum(c.static for c in self.classes.values())

    @property
    def cma(self) -> int:
        return sum(c.cma for c in self.classes.values())

    def add_bad(self, message: str, keep: int = 1000) -> None:
        self.bad_count += 1
        if len(self.bad) < keep:
            self.bad.append(message)

    @property
    def failed(self) -> int:
        return self.hosts - self.ok

    @property
    def differing(self) -> dict[str, int]:
        """Finding codes some hosts of the fleet have and others do not."""
        total: dict[str, int] = {}
        for stats in self.classes.values():
            for code, n in stats.codes.items():
                total[code] = total.get(code, 0) + n
        return {code: n for code, n in total.items() if n < self.hosts}

    def exit_code(self) -> int:
        """0 every host passes, 1 a host fails or a member could not be read, 2 nothing read."""
        if self.hosts == 0:
            return 2
        return 0 if self.failed == 0 and self.bad_count == 0 else 1

    def to_json(self) -> dict[str, Any]:
        hosts, ok = self.hosts, self.ok
        total: dict[str, int] = {}  # differing, with each class's codes folded once
        for stats in self.classes.values():
            for code, n in stats._totals()[1].items():
                total[code] = total.get(code, 0) + n
        return {"type": "summary", "hosts": hosts, "ok": ok, "failed": hosts - ok,
                "classes": len(self.classes), "static": self.static, "cma": self.cma,
                "unreadable": self.bad_count, "skipped": self.skipped,
                "differing": sorted(code for code, n in total.items() if n < hosts)}
