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


class ClassStats:
    """One class: ``count`` hosts, ``ok`` of them pass; outcomes, memory and findings."""

    __slots__ = ("name", "arch", "series", "bracket", "low", "count", "ok", "outcomes", "static",
                 "cma", "codes", "severity", "messages", "hosts", "failing", "reasons", "first")

    def __init__(self, name: str, shape: Any) -> None:
        self.name = name
        self.arch, self.series, self.bracket = shape.arch, shape.series, shape.bracket
        self.low = name.rsplit(" low ", 1)[-1]
        self.count = 0
        self.ok = 0
        self.outcomes: dict[str, int] = {}
        self.static = 0
        self.cma = 0
        self.codes: dict[str, int] = {}
        self.severity: dict[str, str] = {}
        self.messages: dict[str, str] = {}
        self.hosts: list[str] = []
        self.failing: list[str] = []
        self.reasons: dict[str, list[Any]] = {}
        """First error message → [count, example hosts]."""
        self.first: Any = shape
        """The first host's shape (what a table row shows for the class)."""

    def add(self, host: Host) -> None:
        shape = host.shape
        self.count += 1
        self.outcomes[shape.outcome] = self.outcomes.get(shape.outcome, 0) + 1
        self.static += shape.static
        self.cma += shape.cma
        for code, severity, message in shape.findings:
            self.codes[code] = self.codes.get(code, 0) + 1
            self.severity.setdefault(code, severity)
            self.messages.setdefault(code, message)
        if len(self.hosts) < EXAMPLES:
            self.hosts.append(host.name)
        if shape.ok:
            self.ok += 1
            return
        if len(self.failing) < EXAMPLES:
            self.failing.append(host.name)
        reason = next((m for _, s, m in shape.findings if s == "error"), shape.verdict)
        entry = self.reasons.setdefault(reason, [0, []])
        entry[0] += 1
        if len(entry[1]) < EXAMPLES:
            entry[1].append(host.name)

    @property
    def failed(self) -> int:
        return self.count - self.ok

    @property
    def differing(self) -> dict[str, int]:
        """Finding codes some hosts of the class have and others do not, with their count."""
        return {code: n for code, n in self.codes.items() if n < self.count}

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "class", "class": self.name, "arch": self.arch, "series": self.series,
            "bracket": self.bracket, "low_free": self.low, "hosts": self.count, "ok": self.ok,
            "failed": self.failed, "outcomes": self.outcomes, "static": self.static,
            "cma": self.cma, "findings": {code: {"hosts": n, "severity": self.severity[code],
                                                 "message": self.messages[code]}
                                          for code, n in self.codes.items()},
            "differing": sorted(self.differing), "example_hosts": self.hosts,
            "failing_hosts": self.failing,
            "reasons": [{"reason": r, "hosts": n, "example_hosts": names}
                        for r, (n, names) in self.reasons.items()],
        }


class Summary:
    """The whole fleet: classes in first-seen order, totals, and the members that could not be
    read (each with its one-line error)."""

    def __init__(self) -> None:
        self.classes: dict[str, ClassStats] = {}
        self.hosts = 0
        self.ok = 0
        self.static = 0
        self.cma = 0
        self.bad: list[str] = []
        self.bad_count = 0
        self.skipped = 0

    def add(self, host: Host) -> None:
        stats = self.classes.get(host.shape.class_name)
        if stats is None:
            stats = self.classes[host.shape.class_name] = ClassStats(host.shape.class_name,
                                                                     host.shape)
        stats.add(host)
        self.hosts += 1
        self.ok += host.shape.ok
        self.static += host.shape.static
        self.cma += host.shape.cma

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
        return {"type": "summary", "hosts": self.hosts, "ok": self.ok, "failed": self.failed,
                "classes": len(self.classes), "static": self.static, "cma": self.cma,
                "unreadable": self.bad_count, "skipped": self.skipped,
                "differing": sorted(self.differing)}
