"""One ``crashkernel=`` plan for a whole fleet, or the fewest plans when one cannot do.

1. Each host's own best plan is ``crashmap estimate``'s suggestion for it
   (:func:`crashmap.estimate.suggest.suggest`), once with ``,cma`` where its kernel reads it and
   once all static.
2. Hosts are put in power-of-two RAM brackets (RAM rounded up to 128 MiB, as the kernel matches
   range tables); each bracket gets the largest size one of its hosts needs (that host *forces*
   the bracket), and the brackets become one range table. When every host's kernel reads
   ``,cma`` the table holds the static part and one ``crashkernel=SIZE,cma`` word the rest
   (``,cma`` takes a single size, never a table); otherwise the table is all static. Hosts whose
   own plan needs ``,high`` (a plain block does not fit below the low limit) get a ``,high`` plan:
   range tables cannot be ``,high``.
3. Every host is checked with the plan exactly as ``crashmap check`` would. Hosts that fail it
   are planned again on their own, and so on: the first plan a host passes is its plan. The
   members are read again for each round (streamed, as ever); a round that helps no host ends it,
   and the hosts left have no plan, each with its reason.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.errors import CrashmapError
from crashmap.fleet.bounded import remember
from crashmap.fleet.evaluate import FleetRun, pow2_bracket, shape_key, size_word
from crashmap.fleet.members import walk
from crashmap.units import MiB, align_up, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from crashmap.snapshot import Snapshot

MAX_PLANS = 8
"""Rounds of planning at most (each reads the members once)."""
EXAMPLES = 8


class Need(namedtuple("Need", (
        "ram arch mode static cma total all_static all_static_mode reads_cma own_words "
        "own_static own_cma placed reason"))):
    """What one host's own best plans ask for (bytes). ``static``/``cma``/``mode`` are its plan
    with ``,cma`` where its kernel reads it; ``all_static``/``all_static_mode`` the plan without
    CMA; ``own_static``/``own_cma`` what its own plan takes once placed; ``placed`` False when no
    candidate fits its map, with ``reason``; ``static`` None when nothing could be estimated."""

    __slots__ = ()


def own_need(snapshot: Snapshot, kernel: str | None = None) -> Need:
    """The host's own best plans, from ``crashmap estimate``'s functions (``kernel``: plan for
    that release, as ``estimate --kernel`` does)."""
    from crashmap.estimate import inputs as inputs_mod
    from crashmap.estimate.report import evaluate_inputs
    from crashmap.estimate.suggest import suggest
    from crashmap.estimate.whatif import WhatIf, apply

    inputs = apply(inputs_mod.gather(snapshot, live=False), WhatIf(kernel_release=kernel))
    defaults, key, _, models = evaluate_inputs(inputs)
    machine = next((d for d in defaults if d.key == key), None)
    best = suggest(inputs, models, machine, snapshot, accept_cma=True)
    plain = suggest(inputs, models, machine, snapshot, accept_cma=False) if best.cma else best
    ram = snapshot.system_ram or 0
    arch = inputs.arch
    if best.plan is None:
        return Need(ram, arch, None, None, 0, None, None, None, False, (), 0, 0, False,
                    "; ".join(best.rationale))
    placement = best.verdict.placement if best.verdict is not None else None
    reason = ""
    if best.placed is False:
        reason = next((line for line in best.rationale if line.startswith("No candidate")),
                      best.outcome)
    reads = best.use_cma or _reads_cma(best.cma_reason)
    return Need(ram, arch, best.plan.mode, best.plan.size, best.plan.cma, best.total,
                plain.plan.size if plain.plan else None, plain.plan.mode if plain.plan else None,
                reads, tuple(best.words),
                placement.static_total if placement is not None else 0,
                placement.cma.placed if placement is not None else 0, best.placed is not False,
                reason)


def _reads_cma(reason: str) -> bool:
    """The suggestion kept everything static although the kernel reads ,cma (no CMA needed)."""
    return reason.startswith(("the static block alone", "aligned, the static block"))


class Bracket:
    """One RAM bracket of a plan being built: the largest need and the hosts that force it."""

    __slots__ = ("lo", "hi", "static", "total", "hosts", "forced_by", "forced_count")

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi
        self.static = 0
        self.total = 0
        self.hosts = 0
        self.forced_by: list[str] = []
        self.forced_count = 0

    def add(self, names: list[str], count: int, size: int) -> None:
        """``count`` hosts (``names`` the first few) that need ``size``."""
        self.hosts += count
        if size > self.static:
            self.static, self.forced_by, self.forced_count = size, names[:EXAMPLES], count
        elif size == self.static:
            self.forced_count += count
            self.forced_by = (self.forced_by + names)[:EXAMPLES]


Group = tuple  # (need, host count, first host names)


class Draft:
    """The hosts no plan has served yet, added up by need (hosts of one shape share one)."""

    def __init__(self) -> None:
        self.needs: dict[Need, list[Any]] = {}

    def add(self, name: str, need: Need) -> None:
        entry = self.needs.get(need)
        if entry is None:
            entry = self.needs[need] = [0, []]
        entry[0] += 1
        if len(entry[1]) < EXAMPLES:
            entry[1].append(name)

    def plan(self) -> Plan | None:
        """The next plan: a range table over the hosts that can take a plain block, else a
        ``,high`` plan for those that cannot."""
        groups = [(need, n, names) for need, (n, names) in self.needs.items()]
        plain = [g for g in groups if g[0].mode != "high"]
        if plain:
            return table_plan(plain)
        return high_plan(groups) if groups else None


class Plan:
    """A candidate plan: its words, and for a table the brackets with their forcing hosts."""

    def __init__(self, words: tuple[str, ...], brackets: list[Bracket], cma: int = 0,
                 cma_by: tuple[str, ...] = (), kind: str = "table") -> None:
        self.words = words
        self.cmdline = " ".join(words)
        self.brackets = brackets
        self.cma = cma
        self.cma_by = cma_by
        self.kind = kind
        self.hosts = 0
        self.static = 0
        self.cma_taken = 0
        self.own_static = 0
        self.names: list[str] = []
        self.classes: dict[str, int] = {}

    def to_json(self) -> dict[str, Any]:
        return {
            "words": list(self.words), "cmdline": self.cmdline, "kind": self.kind,
            "hosts": self.hosts, "static": self.static, "cma": self.cma_taken,
            "own_static": self.own_static, "extra_static": self.static - self.own_static,
            "cma_size": self.cma, "cma_forced_by": list(self.cma_by), "classes": self.classes,
            "brackets": [{"ram_from": b.lo, "ram_to": b.hi, "size": b.static, "hosts": b.hosts,
                          "forced_by": b.forced_by, "forced_count": b.forced_count}
                         for b in self.brackets],
            "example_hosts": self.names[:EXAMPLES],
        }


def table_plan(groups: list[Group]) -> Plan:
    """A range table over power-of-two RAM brackets, the static part of each bracket's largest
    need, plus one ``,cma`` word when every host reads ``,cma``."""
    cma_all = all(need.reads_cma for need, _, _ in groups)
    brackets: dict[int, Bracket] = {}
    for need, count, names in groups:
        lo, hi = pow2_bracket(need.ram)
        bracket = brackets.get(lo) or brackets.setdefault(lo, Bracket(lo, hi))
        bracket.add(names, count, need.static if cma_all else need.all_static)
    ordered = [brackets[k] for k in sorted(brackets)]
    merged: list[Bracket] = []
    for bracket in ordered:  # contiguous entries; neighbours of one size become one entry
        if merged and merged[-1].static == bracket.static:
            last = merged[-1]
            last.hi, last.hosts = bracket.hi, last.hosts + bracket.hosts
            last.forced_by = (last.forced_by + bracket.forced_by)[:EXAMPLES]
            last.forced_count += bracket.forced_count
        else:
            if merged:
                merged[-1].hi = bracket.lo
            merged.append(bracket)
    merged[-1].hi = None  # type: ignore[assignment]  # open: larger machines get the top size
    parts = [f"{size_word(b.lo)}-{size_word(b.hi) if b.hi else ''}:{size_word(b.static)}"
             for b in merged]
    words = [f"crashkernel={','.join(parts)}"]
    cma, cma_by = _cma(groups, lambda need: _size_for(merged, need.ram)) if cma_all else (0, [])
    if cma:
        words.append(f"crashkernel={size_word(cma)},cma")
    return Plan(tuple(words), merged, cma, tuple(cma_by))


def _cma(groups: list[Group], static_of: Callable[[Need], int]) -> tuple[int, list[str]]:
    """One ``,cma`` size for all: the most any host needs beyond the static size it gets."""
    cma, cma_by = 0, []
    for need, _, names in groups:
        extra = align_up(max(need.total - static_of(need), 0), MiB)
        if extra > cma:
            cma, cma_by = extra, list(names)
        elif extra == cma and extra:
            cma_by = (cma_by + names)[:EXAMPLES]
    return cma, cma_by


def _size_for(brackets: list[Bracket], ram: int) -> int:
    lo, _ = pow2_bracket(ram)
    size = 0
    for b in brackets:
        if b.lo <= lo:
            size = b.static
    return size


def high_plan(groups: list[Group]) -> Plan:
    """``crashkernel=SIZE,high`` (plus ``,cma`` when every host reads it) for hosts whose
    static block only fits above the low limit."""
    cma_all = all(need.reads_cma for need, _, _ in groups)
    bracket = Bracket(0, 0)
    for need, count, names in groups:
        bracket.add(names, count, need.static if cma_all else need.all_static)
    bracket.hi = None  # type: ignore[assignment]  # one size for every RAM
    words = [f"crashkernel={size_word(bracket.static)},high"]
    cma, cma_by = _cma(groups, lambda need: bracket.static) if cma_all else (0, [])
    if cma:
        words.append(f"crashkernel={size_word(cma)},cma")
    return Plan(tuple(words), [bracket], cma, tuple(cma_by), kind="high")


class Unplanned:
    """Hosts no plan serves, with their reasons (bounded examples)."""

    def __init__(self) -> None:
        self.count = 0
        self.reasons: dict[str, list[Any]] = {}

    def add(self, name: str, reason: str) -> None:
        self.count += 1
        entry = self.reasons.setdefault(reason, [0, []])
        entry[0] += 1
        if len(entry[1]) < EXAMPLES:
            entry[1].append(name)


class FleetPlan:
    """The result: ``plans`` in the order made (the first serves the most hosts), the hosts
    each serves, what the fleet pays in static RAM against each host's own best plan."""

    def __init__(self) -> None:
        self.plans: list[Plan] = []
        self.unplanned = Unplanned()
        self.hosts = 0
        self.static = 0
        self.own_static = 0
        self.cma = 0
        self.bad: list[str] = []
        self.bad_count = 0
        self.assignment: dict[str, int] = {}
        """Host name → index of its plan, for the hosts not on the first plan (the rollout's
        host_vars); the first plan's hosts are everyone else."""

    def exit_code(self) -> int:
        if self.hosts == 0:
            return 2
        return 0 if self.unplanned.count == 0 and self.bad_count == 0 else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "plans": [p.to_json() for p in self.plans],
            "unplanned": {"hosts": self.unplanned.count,
                          "reasons": [{"reason": r, "hosts": n, "example_hosts": names}
                                      for r, (n, names) in self.unplanned.reasons.items()]},
            "hosts": self.hosts, "static": self.static, "own_static": self.own_static,
            "extra_static": self.static - self.own_static, "cma": self.cma,
            "unreadable": self.bad_count,
        }


def plan_fleet(paths: Iterable[str], *, arch: str | None = None, kernel: str | None = None,
               on_bad: Callable[[str], None] | None = None) -> FleetPlan:
    """Find one plan (or the fewest) that passes ``check`` on every host under ``paths``."""
    needs: dict[tuple[Any, ...], Need | CrashmapError] = {}
    runs: list[FleetRun] = []
    plans: list[Plan] = []
    reader = FleetRun(arch=arch, kernel=kernel)
    final = False
    for round_number in range(MAX_PLANS + 2):
        final = final or round_number > MAX_PLANS
        result = FleetPlan()
        draft = Draft()
        for plan in plans:
            plan.hosts = plan.static = plan.cma_taken = plan.own_static = 0
            plan.names, plan.classes = [], {}
        report = on_bad if round_number == 0 else None
        for item in walk(paths):
            if item.kind == "skipped":
                continue
            if item.kind == "bad":
                _bad(result, str(item.value), report)
                continue
            try:
                snapshot = reader.snapshot_of(item)
                host = reader.check(snapshot, item.label)  # readable and checkable at all?
                need = _need(needs, snapshot, kernel)
            except CrashmapError as error:
                _bad(result, str(error), report)
                continue
            result.hosts += 1
            index = _serve(result, plans, runs, snapshot, host, need)
            if index is not None:
                continue
            if need.static is None or not need.placed:
                result.unplanned.add(host.name, need.reason or "no size could be estimated")
            elif final:
                result.unplanned.add(host.name, _failure(plans, runs, snapshot, item.label))
            else:
                draft.add(host.name, need)
        if final:
            break
        new = draft.plan()
        if new is None:
            break
        if any(new.cmdline == p.cmdline for p in plans):
            final = True  # it helps no one: one more round to name why the rest fail
            continue
        plans.append(new)
        runs.append(FleetRun(new.cmdline, arch=arch, kernel=kernel))
    result.plans = [p for p in plans if p.hosts]
    keep = {id(p): i for i, p in enumerate(result.plans)}
    index_of = {i: keep[id(p)] for i, p in enumerate(plans) if id(p) in keep}
    result.assignment = {name: index_of[i] for name, i in result.assignment.items()
                         if i in index_of}
    return result


def _serve(result: FleetPlan, plans: list[Plan], runs: list[FleetRun], snapshot: Snapshot,
           host: Any, need: Need) -> int | None:
    """The first plan the host passes (its index), counted in; None if none does."""
    for index, (plan, run) in enumerate(zip(plans, runs, strict=True)):
        shape = run.check(snapshot, host.label).shape
        if not shape.ok:
            continue
        # a host with no estimate of its own has no better plan than this one
        own = need.own_static if need.static is not None and need.placed else shape.static
        plan.hosts += 1
        plan.static += shape.static
        plan.cma_taken += shape.cma
        plan.own_static += own
        plan.classes[shape.class_name] = plan.classes.get(shape.class_name, 0) + 1
        if len(plan.names) < EXAMPLES:
            plan.names.append(host.name)
        result.static += shape.static
        result.own_static += own
        result.cma += shape.cma
        if index:
            result.assignment[host.name] = index
        return index
    return None


def _need(cache: dict[tuple[Any, ...], Need | CrashmapError], snapshot: Snapshot,
          kernel: str | None) -> Need:
    key = shape_key(snapshot, None, kernel, release=True)
    need = cache.get(key)
    if need is None:
        try:
            need = own_need(snapshot, kernel)
        except CrashmapError as error:  # kept without its traceback (it holds the host's
            need = CrashmapError(error.message, path=error.path, line=error.line)  # frames)
        remember(cache, key, need, 2048)
    if isinstance(need, CrashmapError):  # a new one: raising one again extends its traceback
        raise CrashmapError(need.message, path=need.path, line=need.line)
    return need


def _failure(plans: list[Plan], runs: list[FleetRun], snapshot: Snapshot, label: str) -> str:
    if not runs:
        return "no estimate"
    shape = runs[0].check(snapshot, label).shape
    return f"fails {plans[0].cmdline}: {shape.reason}"


def _bad(result: FleetPlan, message: str, on_bad: Callable[[str], None] | None) -> None:
    result.bad_count += 1
    if len(result.bad) < 1000:
        result.bad.append(message)
    if on_bad is not None:
        on_bad(message)


def describe_bracket(bracket: Bracket) -> str:
    """``16G-64G: 256 MiB (db01, db02 and 3 more of 40 hosts)``."""
    ram = f"{size_word(bracket.lo)}-{size_word(bracket.hi) if bracket.hi else ''}"
    more = bracket.forced_count - len(bracket.forced_by)
    names = ", ".join(bracket.forced_by) + (f" and {more} more" if more > 0 else "")
    return (f"{ram}: {format_size(bracket.static)}, forced by {names} "
            f"({bracket.hosts} host{'s' if bracket.hosts != 1 else ''} in the bracket)")
