"""Verify a box: what is configured, reserved, loaded and predicted, side by side.

``kdumptool commandline -c`` and ``kdumpctl status`` in one, from a snapshot::

    result = verify(snapshot)            # or verify(snapshot, kernel=target_kernel(...))
    result.rows, result.ok, result.verdict

Each :class:`Row` says what one place shows and whether it agrees with the others:

- ``configured``: the ``crashkernel=`` words of /proc/cmdline, as the kernel reads them;
- ``kdumptool``: the words SUSE's kdump expects (``KDUMP_CRASHKERNEL``, or ``kdumptool
  calibrate`` for ``auto``), when a report folder shows them (:mod:`crashmap.kdumptool_check`);
- ``boot-entry``: the boot loader's default entry, when the source has one (skipped otherwise);
- ``reserved``: the ``Crash kernel`` lines of /proc/iomem, against what is configured;
- ``crash-size``: /sys/kernel/kexec/crash_size, against the ``Crash kernel`` lines;
- ``cma``: /sys/kernel/kexec/crash_cma_ranges, against the configured ``,cma`` size;
- ``loaded``: /sys/kernel/kexec/crash_loaded (a capture kernel is loaded);
- ``predicted``: ``crashmap check``'s prediction for the configured words on this map (the same
  :func:`crashmap.checks.evaluate_cmdline`), against where the kernel put each block.

A row ``differs`` (exit 1), ``agrees`` or is ``unknown`` (the source does not say: not counted
against the box). Pure: no Textual, no rich.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.kdumptool_check import TOLERANCE_DOWN, TOLERANCE_UP, within_tolerance
from crashmap.memmap import Range, merge
from crashmap.units import format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from crashmap.snapshot import Snapshot

AGREES, DIFFERS, UNKNOWN = "agrees", "differs", "unknown"


class Row(namedtuple("Row", "key label value source status verdict ranges static cma",
                     defaults=((), None, None))):
    """One place a box tells its kdump state: ``value`` for people, ``status`` agrees / differs /
    unknown, ``verdict`` one sentence why; ``ranges`` (half-open), ``static`` and ``cma`` bytes
    where the row has them (None: not known)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value,
                "source": self.source, "status": self.status, "verdict": self.verdict,
                "ranges": [{"start": r.start, "end": r.end - 1, "size": r.size}
                           for r in self.ranges],
                "static": self.static, "cma": self.cma}


class Verification(namedtuple("Verification", "source arch kernel cmdline estimated rows")):
    """Every :class:`Row` of one box. ``cmdline``: the line the prediction is for (None: none);
    ``estimated``: the configured size is an estimate (``crashkernel=auto``), so sizes agree
    within the kdumptool tolerance."""

    __slots__ = ()

    @property
    def differing(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.status == DIFFERS)

    @property
    def ok(self) -> bool:
        """No row differs: ``crashmap verify`` exits 0."""
        return not self.differing

    @property
    def verdict(self) -> str:
        if self.ok:
            unknown = [r.label for r in self.rows if r.status == UNKNOWN and r.key != "boot-entry"]
            if unknown:
                return f"Nothing differs; the source does not show: {', '.join(unknown)}."
            skipped = self.row("boot-entry")
            tail = " (no boot entry in the source: skipped)" \
                if skipped is not None and skipped.status == UNKNOWN else ""
            return f"Verified: configured, reserved, loaded and predicted agree{tail}."
        return "Differs: " + "; ".join(f"{r.label}: {r.verdict}" for r in self.differing)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "arch": self.arch, "kernel": self.kernel,
                "cmdline": self.cmdline, "ok": self.ok, "verdict": self.verdict,
                "estimated": self.estimated,
                "tolerance": {"down": TOLERANCE_DOWN, "up": TOLERANCE_UP} if self.estimated
                else None,
                "rows": [r.to_json() for r in self.rows]}


def sizes_agree(expected: int, got: int, *, estimated: bool = False) -> bool:
    """Does a reserved size ``got`` agree with the ``expected`` one?

    Exactly, for sizes the command line states: the kernel reserves what it is asked. For an
    estimated size (``crashkernel=auto``) the rule of SUSE's ``kdumptool commandline -c``
    (openSUSE/kdump ``kdumptool/kdumptool`` ``do_commandline()``, commit 074a563 "Ignoring minor
    differencies in crashkernel sizes"): with ``KDUMP_CRASHKERNEL=auto`` it sets
    ``TOLERANCE_UP=16`` and ``TOLERANCE_DOWN=4`` (MiB, "kdumptool calibrate is not stable") and
    fails only when the expected value ``AN > BN + TOLERANCE_DOWN`` or ``AN < BN - TOLERANCE_UP``,
    ``BN`` being the running one: the running size may be up to 16 MiB above or 4 MiB below
    (:func:`crashmap.kdumptool_check.within_tolerance`).
    """
    return within_tolerance(expected, got) if estimated else got == expected


_FROM_SOURCE: Any = object()


def verify(snapshot: Snapshot, kernel: Any = None, *,
           boot_entry: Any = _FROM_SOURCE) -> Verification:
    """The rows for ``snapshot``; ``kernel`` as ``crashmap check --kernel`` (None: the
    snapshot's own); ``boot_entry`` a :class:`crashmap.bootentry.BootEntry` or None, by default
    the one the snapshot's SOURCE has (:func:`crashmap.bootentry.boot_entry_for`)."""
    from crashmap.checks import evaluate_cmdline
    from crashmap.kernel.fadump import fadump_mode, supported
    from crashmap.placement import infer_current, shared_context

    if boot_entry is _FROM_SOURCE:
        from crashmap.bootentry import boot_entry_for

        boot_entry = boot_entry_for(snapshot.source, snapshot.kernel_release)

    ctx = shared_context(snapshot, kernel=kernel)
    cmdline, inferred = snapshot.cmdline, None
    if cmdline is None:
        inferred = infer_current(ctx)
        cmdline = inferred.cmdline if inferred is not None else None
    verdict = None if cmdline is None else evaluate_cmdline(ctx, cmdline,
                                                            system_ram=snapshot.system_ram)
    grammar = verdict.grammar if verdict is not None else None
    estimated = bool(grammar is not None and grammar.plain is not None
                     and grammar.plain.syntax == "auto")
    placement = verdict.placement if verdict is not None else None
    facts = ctx.facts
    reserved = merge(facts.crash_ranges)
    fadump = bool(snapshot.cmdline) and supported(ctx.arch) and \
        fadump_mode(snapshot.cmdline or "") != "off"
    state = _State(snapshot, ctx, placement, grammar, reserved, estimated,
                   inferred is not None, fadump)
    rows = [_configured(state), _kdumptool(state), _boot_entry(snapshot, boot_entry),
            _reserved(state),
            _crash_size(state), _cma(state), _loaded(state), _predicted(state)]
    return Verification(snapshot.source, ctx.arch.name,
                        ctx.kernel.describe() if ctx.kernel is not None else None,
                        cmdline, estimated, tuple(r for r in rows if r is not None))


_State = namedtuple("_State",
                    "snapshot ctx placement grammar reserved estimated inferred fadump")

FADUMP_AREA = ("fadump is on: the firmware-assisted dump reserves its own area, which kdumpctl's "
               "get_reserved_mem_size reads from /sys/kernel/fadump/mem_reserved, not in the "
               "source")


def _ranges_text(ranges: list[Range] | tuple[Range, ...]) -> str:
    return ", ".join(f"{format_size(r.size)} at {r.start:#x}-{r.end - 1:#x}" for r in ranges)


def _expected_static(s: _State) -> int | None:
    """Bytes the configured words make the kernel reserve (main plus the low part it adds)."""
    p = s.placement
    if p is None or not p.request.asked or not p.request.static_ok:
        return 0 if p is not None else None
    if s.ctx.facts.hidden:  # no addresses, no simulation: what the words ask, before any fallback
        r = p.request
        if r.high:
            return r.crash_size + (r.low_size if r.low_size is not None else s.ctx.default_low)
        return r.crash_size
    return p.static.requested


def _fallback_static(s: _State) -> int | None:
    """On a map without addresses, what a plain size reserves if it fell back above the low
    limit: itself plus the arch's default low part (None where it cannot)."""
    p = s.placement
    if not s.ctx.facts.hidden or p is None or p.request.high or p.request.crash_base \
            or not s.ctx.arch.high_low or not p.request.static_ok:
        return None
    return p.request.crash_size + s.ctx.default_low


def _configured(s: _State) -> Row:
    source = "/proc/cmdline"
    if s.snapshot.cmdline is None:
        value = "not in the source"
        if s.inferred:
            value += f" (predicting for {s.grammar.cmdline.strip()}, inferred from the reservation)"
        return Row("configured", "configured", value, source, UNKNOWN,
                   "the source has no kernel command line")
    words = [u.word.text for u in s.grammar.words]
    value = " ".join(words) or "no crashkernel="
    p = s.placement
    expected = _expected_static(s)
    cma = p.request.cma_size if p.request.reserves_cma else 0
    if not p.request.asked and not cma:
        # kdumptool commandline -c: "No crashkernel= found in /proc/cmdline. Kdump can't be
        # started."
        return Row("configured", "configured", value, source, DIFFERS,
                   "no crashkernel= the kernel reads: nothing is reserved and kdump cannot start",
                   static=0, cma=0)
    if not p.request.static_ok and not cma:
        return Row("configured", "configured", value, source, DIFFERS,
                   f"the kernel rejects it: {p.request.parse_error}", static=0, cma=0)
    parts = []
    if expected:
        low = expected - p.request.crash_size if s.ctx.facts.hidden else p.static.low_size
        parts.append(f"{format_size(expected)} static"
                     + (f" ({format_size(expected - low)} + {format_size(low)} low)"
                        if low else ""))
    if cma:
        parts.append(f"{format_size(cma)} CMA")
    asked = " and ".join(parts)
    how = (f"the kernel's crashkernel=auto table gives {asked} (an estimate)" if s.estimated
           else f"asks for {asked}")
    if s.fadump:
        from crashmap.kernel.fadump import boot_memory_size

        boot, why = boot_memory_size(p.request.crash_size, s.ctx.total_ram)
        how = (f"fadump is on: crashkernel= sizes the boot memory the firmware preserves, "
               f"{format_size(boot)} ({why}; arch/powerpc/kernel/fadump.c "
               f"fadump_calculate_reserve_size)")
    return Row("configured", "configured", value, source, AGREES, how, static=expected, cma=cma)


def _kdumptool(s: _State) -> Row | None:
    """``kdumptool commandline -c`` where the source shows what SUSE's kdump expects: a report
    folder's sysconfig, or kdumptool calibrate output (None: neither)."""
    from crashmap.bootentry import source_root

    snapshot = s.snapshot
    folder = source_root(snapshot.source)
    if folder is None and snapshot.kdumptool_calibrate is None:
        return None
    from crashmap.estimate.measured import discover
    from crashmap.kdumptool_check import check_cmdline, expected_words

    measured = next((m for m in discover(snapshot, s.ctx.arch.name, snapshot.system_ram)
                     if m.key == "kdumptool-calibrate"), None)
    calibration = measured.peer if measured is not None else None
    expected = expected_words(folder, calibration,
                              measured.source if measured is not None else None, s.fadump)
    label = "kdumptool"
    if expected is None:
        if measured is None:
            return None
        why = "; ".join(measured.notes) or "kdumptool calibrate failed"
        return Row("kdumptool", label, "no words", measured.source, UNKNOWN, why)
    value = " ".join(expected.words + expected.fadump) or "no crashkernel="
    if snapshot.cmdline is None:
        return Row("kdumptool", label, value, expected.source, UNKNOWN,
                   "no /proc/cmdline to compare with")
    ok, why = check_cmdline(expected, snapshot.cmdline)
    return Row("kdumptool", label, value, expected.source, AGREES if ok else DIFFERS,
               f"kdumptool commandline -c: {why}")


def _boot_entry(snapshot: Snapshot, entry: Any) -> Row:
    """The default boot entry's crashkernel= words against /proc/cmdline: what the next boot
    asks against what this one asked."""
    label = "boot entry"
    if entry is None:
        return Row("boot-entry", label, "not in the source", "boot loader", UNKNOWN,
                   "the source has no boot loader entries (BLS entries or a grub.cfg): "
                   "skipped, the next boot may ask other words")
    from crashmap.kernel.grammar import find_words

    words = " ".join(w.text for w in find_words(entry.options))
    running = " ".join(w.text for w in find_words(snapshot.cmdline or ""))
    value = words or "no crashkernel="
    how = f" ({entry.note})" if entry.note else ""
    if snapshot.cmdline is None:
        return Row("boot-entry", label, value, entry.source, UNKNOWN,
                   f"no /proc/cmdline to compare with{how}")
    if words == running:
        return Row("boot-entry", label, value, entry.source, AGREES,
                   f"the next boot asks what this boot asked{how}")
    return Row("boot-entry", label, value, entry.source, DIFFERS,
               f"the next boot asks {value}, this boot {running or 'nothing'}: the reservation "
               f"changes at the next boot (a reboot is pending){how}")


def _reserved(s: _State) -> Row | None:
    arch = s.ctx.arch
    source = "/proc/iomem Crash kernel"
    if not s.reserved and arch.crash_in_iomem == "never":
        return None  # powerpc lists none; crash_size says it
    if s.ctx.facts.hidden:
        return Row("reserved", "reserved", "addresses hidden", source, UNKNOWN,
                   "/proc/iomem shows zeros to a user other than root: crash_size says the "
                   "size")
    now = sum(r.size for r in s.reserved)
    value = _ranges_text(s.reserved) or "none"
    expected = _expected_static(s)
    if s.snapshot.cmdline is None or expected is None:
        return Row("reserved", "reserved", value, source, UNKNOWN,
                   "nothing configured to compare with", tuple(s.reserved), now)
    return _against_configured("reserved", "reserved", value, source, now, expected, s,
                               tuple(s.reserved))


def _against_configured(key: str, label: str, value: str, source: str, now: int,
                        expected: int, s: _State, ranges: tuple[Range, ...] = ()) -> Row:
    fallback = _fallback_static(s)
    if fallback is not None and now != expected and sizes_agree(fallback, now,
                                                                 estimated=s.estimated):
        return Row(key, label, value, source, AGREES,
                   f"as configured, with the {format_size(s.ctx.default_low)} low part a "
                   "block that falls back above the low limit takes", ranges, now)
    if sizes_agree(expected, now, estimated=s.estimated):
        what = "within −4/+16 MiB of the estimate (kdumptool's tolerance)" \
            if s.estimated and now != expected else "as configured"
        return Row(key, label, value, source, AGREES, what, ranges, now)
    if now == 0:
        why = ("nothing is reserved: the reservation failed at boot ('crashkernel reservation "
               "failed' in dmesg), or the kernel has no CONFIG_CRASH_RESERVE")
    else:
        why = (f"{format_size(now)} reserved, {format_size(expected)} configured: this boot "
               "used another command line or other rules, or kexec_crash_size was written")
    return Row(key, label, value, source, DIFFERS, why, ranges, now)


def _not_read(s: _State, name: str, older: str = "") -> str:
    """Why a source lacks /sys/kernel/kexec/``name``. A live read looked there and at the old
    /sys/kernel/kexec_``name``: this kernel has neither."""
    if s.snapshot.source != "live":
        return f"the source did not read it ({older})" if older else "the source did not read it"
    return (f"this kernel has neither it nor /sys/kernel/kexec_{name}: "
            + (f"{older}, and " if older else "")
            + "only a kernel built with CONFIG_CRASH_DUMP has the crash files (kernel/ksysfs.c; "
              "CONFIG_KEXEC_CORE before Linux 6.9, 75bc255a7444)")


def _crash_size(s: _State) -> Row | None:
    size = s.snapshot.kexec_crash_size
    source = "/sys/kernel/kexec/crash_size"
    if size is None:
        return Row("crash-size", "crash_size", "not in the source", source, UNKNOWN,
                   _not_read(s, "crash_size"))
    value = format_size(size) if size else "0"
    if s.fadump:
        return Row("crash-size", "crash_size", value, source, UNKNOWN, FADUMP_AREA, static=size)
    if s.reserved:
        now = sum(r.size for r in s.reserved)
        if size == now:
            return Row("crash-size", "crash_size", value, source, AGREES,
                       "the sum of the Crash kernel lines", static=size)
        return Row("crash-size", "crash_size", value, source, DIFFERS,
                   f"the Crash kernel lines add up to {format_size(now)}: shrunk at run time "
                   "(echo N > /sys/kernel/kexec/crash_size, kdumptool calibrate --shrink)",
                   static=size)
    expected = _expected_static(s)
    if s.snapshot.cmdline is None or expected is None:
        return Row("crash-size", "crash_size", value, source, UNKNOWN,
                   "nothing configured to compare with", static=size)
    return _against_configured("crash-size", "crash_size", value, source, size, expected, s)


def _cma(s: _State) -> Row | None:
    p, text = s.placement, s.snapshot.kexec_crash_cma_ranges
    asked = p is not None and p.request.reserves_cma
    if not s.ctx.arch.cma and not asked and not text:
        return None
    source = "/sys/kernel/kexec/crash_cma_ranges"
    now = tuple(merge(s.snapshot.cma_ranges))
    placed = sum(r.size for r in now)
    value = _ranges_text(now) or "none"
    if text is None:
        return Row("cma", "cma", "not in the source", source, UNKNOWN,
                   _not_read(s, "crash_cma_ranges", "kernels older than its ABI entry, Nov "
                             "2025, have no such file"))
    if p is None or s.snapshot.cmdline is None:
        return Row("cma", "cma", value, source, UNKNOWN, "nothing configured to compare with",
                   now, cma=placed)
    expected = p.cma.placed if asked else 0
    if placed == expected:
        return Row("cma", "cma", value, source, AGREES,
                   "as configured" if expected else "none configured, none reserved",
                   now, cma=placed)
    return Row("cma", "cma", value, source, DIFFERS,
               f"{format_size(placed)} of CMA reserved, {format_size(expected)} configured",
               now, cma=placed)


def _loaded(s: _State) -> Row:
    """kdump-utils' ``kdumpctl status`` asks ``is_kernel_loaded``: ``$(< kexec_crash_loaded)``
    is 1, else "Kdump is not operational"; in fadump mode it asks the fadump ``registered``
    node instead, which no source carries."""
    loaded = s.snapshot.kexec_crash_loaded
    source = "/sys/kernel/kexec/crash_loaded"
    if s.fadump:
        return Row("loaded", "loaded", "fadump", "/sys/kernel/fadump/registered", UNKNOWN,
                   "fadump is on: the firmware, not a loaded capture kernel, takes the dump; "
                   "kdumpctl's is_kernel_loaded reads /sys/kernel/fadump/registered, not in "
                   "the source")
    if loaded is None:
        return Row("loaded", "loaded", "not in the source", source, UNKNOWN,
                   _not_read(s, "crash_loaded"))
    if loaded:
        return Row("loaded", "loaded", "1", source, AGREES, "a capture kernel is loaded")
    return Row("loaded", "loaded", "0", source, DIFFERS,
               "no capture kernel is loaded: a crash now is not dumped (start the kdump "
               "service; kdumpctl status says 'Kdump is not operational')")


def _predicted(s: _State) -> Row:
    p = s.placement
    label, source = "predicted", "crashmap check"
    if p is None:
        return Row("predicted", label, "nothing to predict", source, UNKNOWN,
                   "no command line and no reservation in the source")
    blocks = tuple(b.range for b in p.static.blocks)
    areas = tuple(a.range for a in p.cma.areas)
    value = _ranges_text(blocks + areas) or p.outcome
    if p.confidence == "window" and p.window is not None:
        value += f" (likely window {p.window.start:#x}-{p.window.end - 1:#x})"
    ranges = blocks + areas
    static, cma = sum(r.size for r in blocks), sum(r.size for r in areas)
    if s.ctx.facts.hidden:
        return Row("predicted", label, "not predicted", source, UNKNOWN,
                   "the map hides its addresses (read /proc/iomem as root)")
    if s.fadump:
        return Row("predicted", label, "not placed (fadump)", source, UNKNOWN,
                   "fadump is on: crashmap sizes the boot memory (see configured), it does not "
                   "place the area firmware-assisted dump reserves", ranges, static, cma)
    if p.outcome == "not modelled":
        why = next((n for n in p.notes if "not modelled" in n),
                   "crashmap does not model this placement")
        return Row("predicted", label, value, source, UNKNOWN, why, ranges, static, cma)
    problems = _placement_problems(s, p, list(blocks), list(areas))
    if problems is None:
        return Row("predicted", label, value, source, UNKNOWN,
                   "the source shows no reservation to compare with", ranges, static, cma)
    if problems:
        return Row("predicted", label, value, source, DIFFERS, "; ".join(problems),
                   ranges, static, cma)
    if not ranges and not s.reserved:
        how = "nothing to reserve, nothing reserved"
    elif not s.reserved and s.ctx.arch.crash_in_iomem == "never":
        how = ("the size crash_size says (this arch lists no Crash kernel in /proc/iomem: "
               "where it sits is not shown)")
    elif merge(blocks) == s.reserved or not s.reserved:
        how = "where the kernel put it"
    else:
        how = "inside the predicted window (what memblock held at boot is not in the map)"
    return Row("predicted", label, value, source, AGREES, how, ranges, static, cma)


def _placement_problems(s: _State, p: Any, blocks: list[Range],
                        areas: list[Range]) -> list[str] | None:
    """How the prediction differs from where the kernel put each block ([]: it does not; None:
    nothing to compare, as on powerpc, whose Crash kernel is never in /proc/iomem)."""
    problems: list[str] = []
    reserved = s.reserved
    if not reserved and s.ctx.arch.crash_in_iomem == "never":
        size = s.snapshot.kexec_crash_size
        if size is None:
            return None
        if not sizes_agree(sum(r.size for r in blocks), size, estimated=s.estimated):
            problems.append(f"predicted {format_size(sum(r.size for r in blocks))} static, "
                            f"crash_size says {format_size(size)}")
    elif merge(blocks) != reserved:
        window = p.window if p.confidence == "window" else None
        sized = sizes_agree(sum(r.size for r in blocks), sum(r.size for r in reserved),
                            estimated=s.estimated)
        predicted = merge(blocks)
        inside = window is not None and len(predicted) == len(reserved) and all(
            r in predicted or (window.start <= r.start and r.end <= window.end)
            for r in reserved)
        if not (sized and inside):
            problems.append(f"predicted {_ranges_text(merge(blocks)) or 'nothing'}, the kernel "
                            f"reserved {_ranges_text(reserved) or 'nothing'}")
    if s.snapshot.kexec_crash_cma_ranges is not None:
        now = merge(s.snapshot.cma_ranges)
        if merge(areas) != now:
            problems.append(f"predicted CMA {_ranges_text(merge(areas)) or 'none'}, the kernel "
                            f"reserved {_ranges_text(now) or 'none'}")
    return problems
