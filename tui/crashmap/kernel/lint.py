"""Warnings about ``crashkernel=`` words, each with a kebab-case code and a one-sentence reason."""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.arch import Arch
from crashmap.kernel.cmdline_limit import COMMAND_LINE_SIZES
from crashmap.kernel.grammar import NAME, CrashkernelResult, WordUse, parse_plain_value
from crashmap.kernel.memparse import memparse
from crashmap.kernel.params import WHITESPACE, parameter_at
from crashmap.kernel.versions import (
    ARM64_HIGH_LOW,
    CMA_SUFFIX,
    arch_for,
    auto_known,
    cma_rule,
    knows_cma_suffix,
    rhel_auto_table,
)
from crashmap.units import format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Literal

    from crashmap.kernel.ranges import RangeEntry

    Severity = Literal["error", "warning", "info"]
else:
    Severity = str
_UNIT_WORD = re.compile(r"[0-9][KMGTPEkmgtpe](?:i?[Bb]|i)")
_FRACTION = re.compile(r"[0-9]\.[0-9]")


class Lint(namedtuple("Lint", "code severity message reason word_start", defaults=(None,))):
    """One finding: what is wrong (``message``) and why it matters (``reason``)."""

    __slots__ = ()

    code: str
    severity: Severity
    message: str
    reason: str
    word_start: int | None
    """Index in the command line of the word concerned, if one."""

    def __str__(self) -> str:
        return f"{self.code}: {self.message} - {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "reason": self.reason, "word_start": self.word_start}


def lint_crashkernel(result: CrashkernelResult) -> tuple[Lint, ...]:
    """Every finding for one parse, word findings first, in command-line order."""
    arch = arch_for(result.arch, result.kernel)
    findings: list[Lint] = _length_findings(result)
    for use in result.words:
        findings.extend(_word_findings(use, result, arch))
    findings.extend(_proposal_findings(result))
    findings.extend(_version_findings(result, arch))
    findings.extend(_combination_findings(result, arch))
    findings.extend(_offset_findings(result, arch))
    findings.extend(_range_findings(result))
    findings.extend(_size_findings(result))
    from crashmap.kernel.lint_forms import form_findings  # its own module (imports Lint)

    findings.extend(form_findings(result))
    return tuple(findings)


def _length_findings(result: CrashkernelResult) -> list[Lint]:
    """A line longer than the kernel keeps loses every parameter past the cut."""
    cut = result.overflow
    if cut is None:
        return []
    limit = COMMAND_LINE_SIZES[result.arch]
    lost = []
    if cut.lost:
        verb = "never reaches" if cut.lost == 1 else "never reach"
        lost.append(f"{cut.lost} crashkernel= word{'s' if cut.lost != 1 else ''} after the cut "
                    f"{verb} the kernel")
    if cut.split:
        lost.append("the last crashkernel= word it keeps is cut in half")
    return [Lint(
        "cmdline-too-long", "error" if lost else "warning",
        f"the command line is {cut.length} bytes; the kernel on {result.arch} keeps the first "
        f"{cut.kept}" + (f": {'; '.join(lost)}" if lost else ""),
        f"the kernel copies at most COMMAND_LINE_SIZE ({limit.size}, {limit.source}) bytes of "
        "the boot loader's command line and drops the rest, parameters and all")]


def _q(text: str) -> str:
    return repr(text)


def _word_findings(use: WordUse, result: CrashkernelResult, arch: Arch) -> list[Lint]:
    word, line = use.word, result.cmdline
    found: list[Lint] = []
    broken = use.status == "used" and not result.ok
    severity: Severity = "error" if broken else "warning"

    def add(code: str, sev: Severity, message: str, reason: str) -> None:
        found.append(Lint(code, sev, message, reason, word.start))

    token_start, token_end = parameter_at(line, word.start)  # as next_arg() splits them
    if token_start != word.start:
        in_effect = " and it is the word in effect" if use.status == "used" else ""
        add("lookalike-parameter", "warning",
            f"{_q(line[token_start:token_end])} is not a crashkernel= parameter, but the kernel "
            f"reads {_q(word.text)} from it{in_effect}",
            "the kernel finds crashkernel= by raw substring search with no word-boundary check "
            "(kernel/crash_reserve.c get_last_crashkernel())")
    bad_space = sorted({c for c in word.text if c in WHITESPACE})
    if bad_space:
        add("whitespace-in-word", severity,
            f"{_q(word.text)} contains {', '.join(repr(c) for c in bad_space)}",
            "only an ASCII space ends a crashkernel= word, so tabs and newlines (such as the "
            "trailing newline of /proc/cmdline) become part of the value (kernel/crash_reserve.c "
            "get_last_crashkernel())")
    value = word.value
    if value.startswith("auto") and word.kind == "plain":
        found.extend(_auto_findings(use, result))
    if _has_unit_word(value):
        add("unit-suffix", severity, f"{_q(word.text)} uses a unit such as MB, MiB or GB",
            "memparse reads a single unit letter, so the B or iB is junk: a plain size is "
            "rejected and a range table fails or stops there (lib/cmdline.c memparse())")
    if _FRACTION.search(value):
        add("fractional-size", severity, f"{_q(word.text)} uses a fractional size",
            "memparse reads integers only, so the '.' and what follows are junk (lib/cmdline.c "
            "memparse())")
    lowered = word.text.lower()
    if word.kind == "plain" and lowered.endswith((",high", ",low", ",cma")) \
            and not word.text.endswith(",cma"):  # exact ,cma: a kernel before 6.17
        add("suffix-case", "error" if use.status == "used" else "warning",
            f"{_q(word.text)} has its suffix in the wrong case",
            "words are classified by their exact lower-case ending, so this is a plain word "
            "that the kernel rejects at the ',' (kernel/crash_reserve.c get_last_crashkernel())")
    if use.status == "overridden":
        add("overridden-word", "warning", f"{_q(word.text)} is overridden by a later word",
            "for each class (plain, ,high, ,low, ,cma) only the last crashkernel= word counts "
            "(kernel/crash_reserve.c get_last_crashkernel())")
    elif use.status == "ignored":
        if word.kind in ("high", "low") and not arch.high_low:
            add("suffix-unsupported-arch", "warning",
                f"{_q(word.text)} is ignored on {arch.name}{_on(result)}",
                f"the {arch.family} caller passes no high pointer, so ,high and ,low words are "
                f"skipped silently{_since_high_low(arch, result)}")
        elif word.kind == "cma" and not arch.cma:
            add("cma-unsupported-arch", "warning",
                f"{_q(word.text)} is ignored on {arch.name}{_on(result)}",
                f"the {arch.family} caller passes no cma_size pointer, so ,cma words are "
                f"skipped silently{_since_cma(arch)}")
        elif word.kind in ("high", "low") and any(u.word.kind == "plain" for u in result.words):
            add("suffix-ignored-plain-present", "warning",
                f"{_q(word.text)} is ignored because a plain crashkernel= word exists",
                "the kernel reads ,high and ,low only when there is no plain word at all, "
                "whatever the order and even if the plain word is invalid (kernel/crash_reserve.c "
                "parse_crashkernel())")
    return found


def _has_unit_word(value: str) -> bool:
    for match in _UNIT_WORD.finditer(value):
        token_start = max(value.rfind(c, 0, match.start()) for c in "-:,@=") + 1
        if not value[token_start:].lower().startswith("0x"):
            return True
    return False


def _combination_findings(result: CrashkernelResult, arch: Arch) -> list[Lint]:
    kinds = {use.word.kind for use in result.words}
    found: list[Lint] = []
    if arch.high_low and "low" in kinds and not kinds & {"high", "plain"}:
        found.append(Lint(
            "low-without-high", "error", "a ,low word without a ,high word reserves nothing",
            "the kernel reads ,low only after a valid ,high word, and ,low is never a "
            "reservation on its own (kernel/crash_reserve.c parse_crashkernel())"))
    if "cma" in kinds and arch.cma and not result.ok:
        if arch.high_low:
            found.append(Lint(
                "cma-without-static", "error",
                "the ,cma word does nothing without a valid static reservation",
                f"on {arch.name} parse_crashkernel() must succeed with a plain or ,high size "
                "before the CMA area is reserved (kernel/crash_reserve.c parse_crashkernel())"))
        else:
            found.append(Lint(
                "cma-without-static", "warning",
                "the ,cma size is kept although the static reservation is rejected",
                f"the {arch.family} caller reserves crashk_cma_size whatever parse_crashkernel() "
                "returns, by code reading only (kernel/crash_reserve.c parse_crashkernel())"))
    return found


def _used_plain(result: CrashkernelResult) -> WordUse | None:
    for use in result.words:
        if use.word.kind == "plain" and use.status == "used":
            return use
    return None


def _offset_findings(result: CrashkernelResult, arch: Arch) -> list[Lint]:
    use, plain = _used_plain(result), result.plain
    if use is None or plain is None:
        return []
    found: list[Lint] = []
    value, start = use.word.value, use.word.start
    if plain.syntax == "simple":
        size_end = memparse(value, 0)[1]
        if value[size_end:size_end + 1] == "@":
            offset_end = memparse(value, size_end + 1)[1]
            if offset_end == size_end + 1:
                found.append(Lint(
                    "offset-not-validated", "warning",
                    f"{_q(value[size_end:])} is read as offset 0 (automatic placement)",
                    "the simple syntax does not check the offset, so a missing or malformed "
                    "number silently means no fixed base (kernel/crash_reserve.c "
                    "parse_crashkernel_simple())", start))
            elif offset_end < len(value):
                found.append(Lint(
                    "offset-not-validated", "warning",
                    f"{_q(value[offset_end:])} after the offset is ignored",
                    "the simple syntax stops reading at the end of the offset number and does "
                    "not check what follows (kernel/crash_reserve.c "
                    "parse_crashkernel_simple())", start))
    if result.ok and result.crash_base % arch.crash_align:
        if arch.placement == "generic":
            severity: Severity = "error"
            effect = "the fixed-base reservation fails with 'memory is in use'"
        else:
            severity, effect = "warning", f"the {arch.family} code moves or rejects the base"
        found.append(Lint(
            "offset-misaligned", severity,
            f"offset {format_size(result.crash_base)} is not a multiple of "
            f"{format_size(arch.crash_align)} (CRASH_ALIGN on {arch.name})",
            f"{effect} (kernel/crash_reserve.c reserve_crashkernel_generic())", start))
    return found


def _entry_text(entry: RangeEntry) -> str:
    end = "" if entry.end is None else format_size(entry.end)
    return f"{format_size(entry.start)}-{end}:{format_size(entry.size)}"


def _range_findings(result: CrashkernelResult) -> list[Lint]:
    use, plain = _used_plain(result), result.plain
    if use is None or plain is None or plain.syntax != "range":
        return []
    from crashmap.kernel.ranges import explain_table  # only a range table needs it

    start, ram, total = use.word.start, result.system_ram, plain.total_mem or 0
    table = explain_table(use.word.value)
    found: list[Lint] = []

    def add(code: str, severity: Severity, message: str, reason: str) -> None:
        found.append(Lint(code, severity, message, reason, start))

    if result.error_code == "range-no-match":
        what = ("no entry matches" if plain.matched_entry is None
                else f"entry {plain.matched_entry + 1} matches with size 0")
        add("range-reserves-nothing", "error",
            f"with RAM {format_size(ram)} (rounded up to {format_size(total)}) {what}",
            "the kernel prints 'crashkernel size resulted in zero bytes' and reserves nothing "
            "(kernel/crash_reserve.c parse_crashkernel_mem())")
    if plain.message == "crashkernel: invalid size":
        big = next((i for i, e in enumerate(table.entries) if e.size >= total), None)
        which = f"entry {big + 1} ({_entry_text(table.entries[big])})" if big is not None \
            else "an entry"
        add("range-size-invalidates", "error",
            f"{which} has a size not below RAM rounded up to {format_size(total)}",
            "the kernel checks size < rounded RAM for every entry it examines, matching or "
            "not, and rejects the whole word (kernel/crash_reserve.c parse_crashkernel_mem())")
    matched = plain.matched_entry
    if result.ok and matched is not None and matched < len(table.entries):
        entry = table.entries[matched]
        if entry.start > ram:
            add("range-rounded-up", "info",
                f"RAM {format_size(ram)} is below {format_size(entry.start)}, the start of the "
                f"matched entry {_entry_text(entry)}",
                "range matching uses RAM rounded up to 128 MiB, so machines just below a "
                "bracket edge get that bracket (kernel/crash_reserve.c parse_crashkernel_mem())")
    edges = [b for b in table.breakpoints if ram and abs(b - ram) * 20 <= ram]
    if edges:
        edge = min(edges, key=lambda b: abs(b - ram))
        add("range-near-edge", "warning",
            f"RAM {format_size(ram)} is within 5 % of an edge: up to "
            f"{format_size(edge - 1, exact=True)} "
            f"the kernel reserves {format_size(table.size_at(edge - 1))}, above it "
            f"{format_size(table.size_at(edge))}",
            "a range table is a step function of RAM rounded up to 128 MiB, so a little more or "
            "less memory (a DIMM, firmware reservations, mem=) crosses the cliff "
            "(kernel/crash_reserve.c parse_crashkernel_mem())")
    entries = table.entries
    for i, j in _overlaps(entries):
        a, b = entries[i], entries[j]
        add("range-overlap", "warning",
            f"entries {i + 1} ({_entry_text(a)}) and {j + 1} ({_entry_text(b)}) overlap",
            "the kernel takes the first matching entry, so the later one never applies "
            "where they overlap (kernel/crash_reserve.c parse_crashkernel_mem())")
    ordered = sorted(entries, key=lambda e: e.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if _end(a) < b.start:
            add("range-gap", "info",
                f"RAM from {format_size(_end(a))} up to {format_size(b.start)} matches no entry",
                "RAM that no entry matches reserves nothing (kernel/crash_reserve.c "
                "parse_crashkernel_mem())")
    if table.problem and result.ok:
        add("range-trailing-junk", "warning",
            f"the table has a syntax problem after the entry this RAM matches ({table.problem})",
            "the kernel stops at the first match, so this RAM passes but larger or smaller "
            "machines that read further are rejected (kernel/crash_reserve.c "
            "parse_crashkernel_mem())")
    return found


def _overlaps(entries: tuple[RangeEntry, ...]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of overlapping entries: each entry with the one reaching
    furthest among those that start before it (one sort and one sweep, not every pair)."""
    order = sorted(range(len(entries)), key=lambda k: (entries[k].start, k))
    pairs: set[tuple[int, int]] = set()
    reach = None  # index of the entry that ends last among those swept so far
    for k in order:
        if reach is not None and entries[k].start < _end(entries[reach]):
            pairs.add((min(reach, k), max(reach, k)))
        if reach is None or _end(entries[k]) > _end(entries[reach]):
            reach = k
    return sorted(pairs)


def _end(entry: RangeEntry) -> int:
    return (1 << 64) if entry.end is None else entry.end


def _size_findings(result: CrashkernelResult) -> list[Lint]:
    ram, found = result.system_ram, []
    code = result.error_code
    if code == "size-not-below-ram":
        found.append(Lint(
            "size-not-below-ram", "error",
            f"crashkernel size {format_size(result.crash_size)} is not below system RAM "
            f"{format_size(ram)}",
            "parse_crashkernel() rejects crash_size >= system_ram on the unrounded RAM, "
            "silently (kernel/crash_reserve.c parse_crashkernel())"))
    elif code == "zero-size":
        found.append(Lint(
            "zero-size", "info", "the crashkernel size is 0",
            "a zero size makes parse_crashkernel() fail, the usual way to disable the "
            "reservation (kernel/crash_reserve.c parse_crashkernel())"))
    elif code == "no-crashkernel":
        found.append(Lint(
            "no-crashkernel", "info", "no crashkernel= word this architecture reads",
            "without one parse_crashkernel() fails and nothing is reserved (kernel/crash_reserve.c "
            "parse_crashkernel())"))
    if result.ok:
        static = result.crash_size + (result.low_size if result.high else 0)
        if static * 2 > ram:
            found.append(Lint(
                "size-large", "warning",
                f"the reservation ({format_size(static)}) is more than half of RAM "
                f"({format_size(ram)})",
                "reserved memory is lost to the running system, and the kernel only checks that "
                "the size is below RAM"))
    if result.cma_kept and result.cma_size >= ram:
        found.append(Lint(
            "cma-not-below-ram", "warning",
            f"the ,cma size {format_size(result.cma_size)} is not below RAM {format_size(ram)}",
            "the kernel does not compare ,cma with RAM, so the CMA reservation will fall short "
            "(kernel/crash_reserve.c parse_crashkernel() and reserve_crashkernel_cma())"))
    return found


# --- version-keyed findings (crashmap.kernel.versions) ----------------------------------------


def _on(result: CrashkernelResult) -> str:
    """`` on Linux 7.2`` when the parse was for a given kernel."""
    return f" on {result.kernel.name}" if result.kernel is not None else ""


def _since_cma(arch: Arch) -> str:
    rule = cma_rule(arch)
    if rule is None or arch.name == "i386":
        return " on every kernel"
    return f"; it reads them from Linux {rule.since_text} ({rule.cite()})"


def _since_high_low(arch: Arch, result: CrashkernelResult) -> str:
    if arch.family == "arm64" and result.kernel is not None:
        return f"; arm64 reads them from Linux 5.19 ({ARM64_HIGH_LOW.cite()})"
    return ""


AUTO_REASON = ("crashkernel=auto was a Red Hat addition to __parse_crashkernel() carried up to "
               "RHEL 8; mainline never merged it and RHEL 9 dropped it")


def _auto_findings(use: WordUse, result: CrashkernelResult) -> list[Lint]:
    """``crashkernel=auto``: RHEL 8's table, unknown, or 'memory value expected'."""
    word, kernel = use.word, result.kernel
    start = word.start
    known = auto_known(kernel)
    if known and kernel is not None:
        table = rhel_auto_table(result.arch, kernel, result.cmdline) or ""
        found = []
        plain = result.plain
        if use.status == "used" and plain is not None and plain.syntax == "auto":
            size = plain.size
            if size:
                found.append(Lint(
                    "crashkernel-auto", "info",
                    f"{_q(word.text)} on {kernel.name} reserves {format_size(size)} here",
                    f"a RHEL 8 kernel replaces auto by its range table {table} (RAM rounded up "
                    f"to 128 MiB); the table changed between RHEL 8 minor releases", start))
            else:
                found.append(Lint(
                    "crashkernel-auto-too-small", "warning",
                    f"{_q(word.text)} on {kernel.name} reserves nothing with "
                    f"{format_size(result.system_ram)} of RAM",
                    f"RHEL 8's table {table} starts above this RAM, so the kernel prints "
                    f"'crashkernel size resulted in zero bytes'", start))
        if word.value != "auto":
            found.append(Lint(
                "crashkernel-auto-suffix", "warning",
                f"{_q(word.value[4:])} after 'auto' is ignored",
                "RHEL 8 compares only the first 4 characters and then parses its own table, so "
                "an @offset or anything else after auto is lost", start))
        return found
    if known is None and kernel is not None:
        return [Lint(
            "crashkernel-auto-not-modelled", "warning",
            f"{_q(word.text)}: not modelled for {kernel.name}",
            f"{AUTO_REASON}; older RHEL kernels and Oracle UEK compute it in ways crashmap "
            f"does not model, so the size is unknown (crashmap treats it as the mainline "
            f"'memory value expected')", start)]
    who = kernel.name if kernel is not None else "a mainline kernel"
    return [Lint(
        "crashkernel-auto", "error" if use.status == "used" else "warning",
        f"{_q(word.text)} asks for an automatic size, which {who} does not know",
        f"{AUTO_REASON}: the kernel finds no number ('crashkernel: memory value expected') and "
        f"reserves nothing; write a range table instead, such as 1G-4G:192M,4G-64G:256M,"
        f"64G-:512M", start)]


PROPOSAL = ("a form proposed for the kernel in 2026 (\"crash: Support high memory reservation "
            "for range syntax\") and not merged: Linux 7.3's parse_crashkernel_mem() in "
            "kernel/crash_reserve.c has no such syntax")


def _proposal_findings(result: CrashkernelResult) -> list[Lint]:
    """``<ranges>,>boundary`` and ``<ranges>,high``: what a current kernel really does."""
    found: list[Lint] = []
    for use in result.words:
        word = use.word
        value = word.value
        if ":" not in value:
            continue
        if word.kind == "plain" and ",>" in value:
            alone = parse_plain_value(result.cmdline, word.start + len(NAME), result.system_ram)
            matched = alone.ret == 0 and alone.matched_entry is not None and alone.size > 0
            boundary = value[value.index(",>") + 1:]
            if matched:
                severity: Severity = "warning"
                effect = (f"an entry before it matches, and the kernel stops at the first match, "
                          f"so {_q(boundary)} is ignored silently: the size is reserved as a "
                          f"plain crashkernel=, low memory first, not as ,high")
            else:
                severity = "error" if use.status == "used" else "warning"
                effect = (f"no entry before it matches, so the kernel reads {_q(boundary[0])} "
                          f"as the start of another range: 'crashkernel: Memory value "
                          f"expected', -EINVAL, nothing reserved")
            found.append(Lint("proposed-range-boundary", severity,
                              f"{_q(word.text)} uses <ranges>,>boundary, {PROPOSAL}",
                              f"on this RAM {effect}", word.start))
        elif word.kind == "high":
            if use.status == "used":
                severity, effect = "error", (
                    "the kernel reads it as a ,high word, whose size must be one number: "
                    f"'{result.messages[-1] if result.messages else 'unrecognized char'}', "
                    "-EINVAL, nothing reserved")
            else:
                severity, effect = "warning", (
                    f"this word is not read ({use.reason}); where it is, a ,high word must be "
                    "one number and the kernel rejects it with -EINVAL")
            found.append(Lint("proposed-range-high", severity,
                              f"{_q(word.text)} uses <ranges>,high, {PROPOSAL}", effect,
                              word.start))
    return found


def _version_findings(result: CrashkernelResult, arch: Arch) -> list[Lint]:
    """Words that mean something else on the target kernel than on the newest one."""
    kernel = result.kernel
    if kernel is None or knows_cma_suffix(kernel):
        return []
    found: list[Lint] = []
    for use in result.words:
        word = use.word
        if word.kind != "plain" or not word.text.endswith(",cma"):
            continue
        used = use.status == "used"
        effect = ("it is the last plain word, so it replaces any earlier crashkernel=SIZE and "
                  "the kernel rejects it at the ','" if used else
                  "a later plain word overrides it, so it does nothing")
        found.append(Lint(
            "cma-word-is-plain", "error" if used and not result.ok else "warning",
            f"{kernel.name} does not know ,cma: {_q(word.text)} is a plain crashkernel= word",
            f"{effect}; the ,cma class exists from Linux {CMA_SUFFIX.since_text} "
            f"({CMA_SUFFIX.cite()})", word.start))
    return found
