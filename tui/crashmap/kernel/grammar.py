"""``parse_crashkernel()`` of kernel/crash_reserve.c per arch and kernel version (spec §1, §2).

The emulation works on the whole command line, as the kernel does: words are found by raw
substring search, only an ASCII space ends a word, and the end of the string is the kernel's NUL.
Without a target kernel it is the newest kernel modelled; with one, the version-keyed rules of
:mod:`crashmap.kernel.versions` apply (which word classes exist, which pointers the arch passes,
the x86 parse flow before 6.7, RHEL 8's ``crashkernel=auto``).
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.arch import Arch, get_arch
from crashmap.errors import CrashmapError
from crashmap.kernel.cmdline_limit import kernel_view, overflow_of
from crashmap.kernel.memparse import U64_MASK, memparse
from crashmap.kernel.versions import GENERIC, arch_for, knows_cma_suffix, rhel_auto_table
from crashmap.units import MiB, format_size

NAME = "crashkernel="
EINVAL = -22
ENOENT = -2
RANGE_ROUNDING = 128 * MiB
"""``roundup(system_ram, SZ_128M)``: used only to match range entries (spec §2.5)."""

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Literal

    from crashmap.kernel.cmdline_limit import Overflow
    from crashmap.kernel.target import TargetKernel

    WordKind = Literal["plain", "high", "low", "cma"]
    WordStatus = Literal["used", "overridden", "ignored"]
else:
    WordKind = WordStatus = str
_SUFFIX_OF: dict[str, str] = {"high": ",high", "low": ",low", "cma": ",cma"}


class Word(namedtuple("Word", "start text kind")):
    """One ``crashkernel=`` hit: from the hit to the next space or the end (spec §2.2)."""

    __slots__ = ()

    start: int
    """Index of ``crashkernel=`` in the command line."""
    text: str
    """The whole word, ``crashkernel=`` included."""
    kind: WordKind
    """Classified by the word's exact ending: ``,high``, ``,low``, ``,cma``, else plain."""

    @property
    def value(self) -> str:
        return self.text[len(NAME):]

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class WordUse(namedtuple("WordUse", "word status reason")):
    """What the kernel did with one word, and why."""

    __slots__ = ()

    word: Word
    status: WordStatus
    reason: str


_SUBPARSE_FIELDS = "ret size base message syntax total_mem matched_entry"


class SubParse(namedtuple("SubParse", _SUBPARSE_FIELDS, defaults=(0, 0, None, None, None, None))):
    """The outcome of one ``__parse_crashkernel()`` call (one word class)."""

    __slots__ = ()

    ret: int
    size: int
    base: int
    message: str | None
    """The ``pr_warn``/``pr_info`` line it printed, if any."""
    syntax: Literal["simple", "range", "suffix", "auto"] | None
    """``auto``: a RHEL <= 8 kernel read its own range table for ``crashkernel=auto``."""
    total_mem: int | None
    """Range syntax only: the 128 MiB-rounded RAM used for matching."""
    matched_entry: int | None
    """Range syntax only: index of the entry that matched (first match wins)."""


_RESULT_FIELDS = ("cmdline arch system_ram ret crash_size crash_base low_size cma_size high "
                  "cma_kept messages error error_code words plain kernel overflow")
AUTO_MESSAGE = "Using crashkernel=auto, the size chosen is a best effort estimation."
"""What a RHEL <= 8 kernel prints when it substitutes its table for ``auto``."""


class CrashkernelResult(namedtuple("CrashkernelResult", _RESULT_FIELDS, defaults=(None, None))):
    """What ``parse_crashkernel()`` leaves in its outputs for one command line on one arch.

    ``crash_size``/``crash_base``/``low_size`` are the kernel's variables, meaningful only when
    ``ok``; ``cma_size`` is meaningful when ``cma_kept``. ``error`` is the kernel's own message
    when it printed one that explains the failure, else a description of the silent failure.
    """

    __slots__ = ()

    cmdline: str
    arch: str
    system_ram: int
    ret: int
    crash_size: int
    crash_base: int
    low_size: int
    cma_size: int
    high: bool
    cma_kept: bool
    """The kernel goes on to reserve ``cma_size`` (x86: only when ok; powerpc: even when not)."""
    messages: tuple[str, ...]
    """Every kernel log line printed while parsing, in order."""
    error: str | None
    error_code: str | None
    """no-crashkernel, no-static, syntax, range-no-match, zero-size, size-not-below-ram."""
    words: tuple[WordUse, ...]
    plain: SubParse | None
    """The parse of the last plain word, if one exists."""
    kernel: TargetKernel | None
    """The kernel whose rules were applied (None: the newest kernel modelled)."""
    overflow: Overflow | None
    """The line given was longer than the kernel keeps (COMMAND_LINE_SIZE): what was cut off;
    ``cmdline`` is what the kernel kept. None otherwise."""

    @property
    def ok(self) -> bool:
        """``parse_crashkernel()`` returned 0: the caller goes on to reserve."""
        return self.ret == 0

    def words_with(self, status: WordStatus) -> tuple[WordUse, ...]:
        return tuple(use for use in self.words if use.status == status)


def find_words(cmdline: str, *, cma_suffix: bool = True) -> tuple[Word, ...]:
    """Every raw ``crashkernel=`` substring, classified by its word's ending (spec §2.2).

    ``cma_suffix`` False: a kernel before 6.17, whose ``suffix_tbl`` has no ``,cma``, so such a
    word is a plain one (kernel/crash_reserve.c, commit 35c18f2933c5).
    """
    words = []
    pos = cmdline.find(NAME)
    while pos != -1:
        end = cmdline.find(" ", pos)
        text = cmdline[pos:] if end == -1 else cmdline[pos:end]
        if text.endswith(",high"):
            kind: WordKind = "high"
        elif text.endswith(",low"):
            kind = "low"
        elif cma_suffix and text.endswith(",cma"):
            kind = "cma"
        else:
            kind = "plain"
        words.append(Word(pos, text, kind))
        pos = cmdline.find(NAME, pos + 1)
    return tuple(words)


def _char(line: str, pos: int) -> str:
    """The char at ``pos``, or "" where the kernel would see NUL."""
    return line[pos] if pos < len(line) else ""


def _parse_simple(line: str, pos: int) -> SubParse:
    """``size[@offset]``; the offset is not validated, junk after it is ignored (spec §2.4)."""
    size, cur = memparse(line, pos)
    if cur == pos:
        return SubParse(EINVAL, 0, 0, "crashkernel: memory value expected", "simple")
    char = _char(line, cur)
    if char == "@":
        base, _ = memparse(line, cur + 1)
        return SubParse(0, size, base, None, "simple")
    if char not in ("", " "):
        return SubParse(EINVAL, size, 0, f"crashkernel: unrecognized char: {char}", "simple")
    return SubParse(0, size, 0, None, "simple")


def range_total_mem(system_ram: int) -> int:
    """``roundup(system_ram, SZ_128M)`` in 64-bit arithmetic (it wraps within 128 MiB of 2**64)."""
    return ((system_ram + RANGE_ROUNDING - 1) & U64_MASK) // RANGE_ROUNDING * RANGE_ROUNDING


def _scan_ranges(line: str, pos: int) -> tuple[tuple[tuple[int, int, int, int], ...], str | None]:
    """Read ``start-[end]:size[,...]`` once: every entry as ``(start, end, size, end of size)``
    and the message of the syntax error that stops the scan (None: it stops at a character that
    is not ``,``, the end of the table). Tokens do not depend on RAM, so one scan serves every
    RAM size (:func:`plain_value_parser`)."""
    entries: list[tuple[int, int, int, int]] = []
    cur = pos
    while True:
        start, tmp = memparse(line, cur)
        if tmp == cur:
            return tuple(entries), "Memory value expected"
        cur = tmp
        if _char(line, cur) != "-":
            return tuple(entries), "'-' expected"
        cur += 1
        end = U64_MASK
        if _char(line, cur) != ":":
            end, tmp = memparse(line, cur)
            if tmp == cur:
                return tuple(entries), "Memory value expected"
            cur = tmp
            if end <= start:
                return tuple(entries), "end <= start"
        if _char(line, cur) != ":":
            return tuple(entries), "':' expected"
        cur += 1
        size, tmp = memparse(line, cur)
        if tmp == cur:
            return tuple(entries), "Memory value expected"
        cur = tmp
        entries.append((start, end, size, cur))
        if _char(line, cur) != ",":  # any other char ends the table (no match: nothing)
            return tuple(entries), None
        cur += 1


def _match_ranges(line: str, entries: tuple[tuple[int, int, int, int], ...], stop: str | None,
                  total: int) -> SubParse:
    """``parse_crashkernel_mem()`` at rounded RAM ``total`` (spec §2.5), over the scanned
    entries: for each entry, in order, ``size >= total`` rejects the word, ``start <= total <
    end`` matches; the scan's syntax error is reached only when no entry stopped before it."""
    index = next((i for i, (start, end, size, _) in enumerate(entries)
                  if size >= total or start <= total < end), None)
    if index is None:  # every entry examined, none matched
        if stop is not None:
            return SubParse(EINVAL, 0, 0, f"crashkernel: {stop}", "range", total)
        return SubParse(0, 0, 0, "crashkernel size resulted in zero bytes", "range", total)
    _, _, size, cur = entries[index]
    if size >= total:  # checked for every examined entry, matching or not
        return SubParse(EINVAL, 0, 0, "crashkernel: invalid size", "range", total)
    if size == 0:
        return SubParse(0, 0, 0, "crashkernel size resulted in zero bytes", "range", total, index)
    space, at = line.find(" ", cur), line.find("@", cur)  # junk after the match is accepted
    if at == -1 or (space != -1 and space < at):
        return SubParse(0, size, 0, None, "range", total, index)
    base, tmp = memparse(line, at + 1)
    if tmp == at + 1:
        return SubParse(EINVAL, size, 0, "crashkernel: Memory value expected after '@'",
                        "range", total, index)
    return SubParse(0, size, base, None, "range", total, index)


def plain_value_parser(line: str, pos: int) -> Callable[[int], SubParse]:
    """``parse(system_ram)`` for the plain word's value at ``line[pos:]``: the syntax is decided
    and the range entries read once, then each RAM size costs one pass over the entries, no
    re-reading (what :func:`crashmap.kernel.ranges.explain_table` needs for every step)."""
    colon = line.find(":", pos)
    if colon != -1:
        space = line.find(" ", pos)
        if space == -1 or colon < space:
            entries, stop = _scan_ranges(line, pos)
            return lambda system_ram: _match_ranges(line, entries, stop,
                                                    range_total_mem(system_ram))
    simple = _parse_simple(line, pos)
    return lambda system_ram: simple


def parse_plain_value(line: str, pos: int, system_ram: int) -> SubParse:
    """Range syntax iff a ``:`` comes before the first space after ``pos`` (spec §2.3)."""
    return plain_value_parser(line, pos)(system_ram)


def _parse_suffix(line: str, pos: int, suffix: str) -> SubParse:
    """``size,suffix`` then space or end; the size is stored even on error (spec §2.6)."""
    size, cur = memparse(line, pos)
    if cur == pos:
        return SubParse(EINVAL, 0, 0, "crashkernel: memory value expected", "suffix")
    if not line.startswith(suffix, cur):
        return SubParse(EINVAL, size, 0, f"crashkernel: unrecognized char: {_char(line, cur)}",
                        "suffix")
    cur += len(suffix)
    char = _char(line, cur)
    if char not in ("", " "):
        return SubParse(EINVAL, size, 0, f"crashkernel: unrecognized char: {char}", "suffix")
    return SubParse(0, size, 0, None, "suffix")


def _last(words: tuple[Word, ...], kind: WordKind) -> Word | None:
    for word in reversed(words):
        if word.kind == kind:
            return word
    return None


def _parse_class(line: str, words: tuple[Word, ...], kind: WordKind,
                 system_ram: int, auto_table: str | None = None) -> SubParse:
    """``__parse_crashkernel()`` for one class: the last word of that class, or -ENOENT.

    ``auto_table``: a RHEL <= 8 kernel replaces a plain value starting with ``auto`` by this
    range table (strncmp of 4 characters, so anything after ``auto`` is lost).
    """
    word = _last(words, kind)
    if word is None:
        return SubParse(ENOENT)
    pos = word.start + len(NAME)
    if kind == "plain":
        if auto_table is not None and line.startswith("auto", pos):
            parsed = parse_plain_value(auto_table, 0, system_ram)
            return parsed._replace(syntax="auto")
        return parse_plain_value(line, pos, system_ram)
    return _parse_suffix(line, pos, _SUFFIX_OF[kind])


def parse_crashkernel(cmdline: str, system_ram: int, arch: str | Arch, *,
                      kernel: TargetKernel | None = None) -> CrashkernelResult:
    """Emulate the arch's call of ``parse_crashkernel()`` (spec §1 table, §2.7).

    ``cmdline`` is what the kernel sees (strip /proc/cmdline's trailing newline first; a NUL ends
    it). ``system_ram`` is the unrounded ``memblock_phys_mem_size()`` (s390: ``ident_map_size``).
    ``kernel`` is the kernel that will read it (None: the newest kernel modelled).
    """
    spec = arch_for(arch if isinstance(arch, Arch) else get_arch(arch), kernel)
    if not 0 <= system_ram <= U64_MASK:
        raise CrashmapError(f"system RAM must be 0 .. 2**64-1 bytes, not {system_ram}")
    given = cmdline.split("\0", 1)[0]
    line, length = kernel_view(given, spec.name)
    overflow = overflow_of(given, line, length, spec.name)
    words = find_words(line, cma_suffix=knows_cma_suffix(kernel))
    messages: list[str] = []
    legacy = legacy_x86_parse(spec, kernel)

    plain = _parse_class(line, words, "plain", system_ram, rhel_auto_table(spec, kernel, line))
    if plain.syntax == "auto":
        messages.append(AUTO_MESSAGE)
    if plain.message:
        messages.append(plain.message)
    ret, crash_size, crash_base = plain.ret, plain.size, plain.base
    low_size = cma_size = 0
    high = False
    stage = "plain"  # how far the kernel got: plain, high-failed, low-failed, done
    high_parse = low_parse = cma_parse = None

    # x86 before 6.7 tried ,high whenever the plain parse failed or gave 0 (arch/x86/kernel/
    # setup.c reserve_crashkernel(), until 9c08a2a139fe); the generic code only when no plain
    # word exists at all (kernel/crash_core.c, 70916e9c8d9f).
    try_high = ret == ENOENT or (legacy and (ret != 0 or not crash_size))
    if spec.high_low and try_high:
        high_parse = _parse_class(line, words, "high", 0)
        if high_parse.message:
            messages.append(high_parse.message)
        crash_size, crash_base = high_parse.size, 0
        if high_parse.ret or not crash_size:
            ret, stage = EINVAL, "high-failed"
        else:
            low_parse = _parse_class(line, words, "low", 0)
            if low_parse.message:
                messages.append(low_parse.message)
            low_size, ret = _low_size(spec, low_parse, legacy)
            if ret:
                stage = "low-failed"
            if stage == "plain":
                high = True
    elif legacy and spec.high_low:
        # reserve_crashkernel_low() of x86 before 6.7 reads ,low for any block that lands high
        # (result low_size: the ,low size when one parses; else 0 and the placer's default)
        low_parse = _parse_class(line, words, "low", 0)
        if low_parse.ret != ENOENT and low_parse.message:
            messages.append(low_parse.message)
        low_size = low_parse.size if low_parse.ret == 0 else 0
    if stage == "plain":
        if spec.cma:  # return value ignored: the size is kept even on a syntax error
            cma_parse = _parse_class(line, words, "cma", 0)
            if cma_parse.message:
                messages.append(cma_parse.message)
            cma_size = cma_parse.size
        if not crash_size:
            ret = EINVAL
        if crash_size >= system_ram:  # unrounded RAM, every form (spec §2.7 step 4)
            ret = EINVAL

    error, error_code = _explain_error(ret, words, spec, plain, high_parse, low_parse,
                                       crash_size, system_ram)
    # x86 returns when ret != 0 (spec §1); powerpc reserves crashk_cma_size regardless (§2.7).
    cma_kept = cma_size > 0 and (ret == 0 or not spec.high_low)
    uses = _word_uses(words, spec, stage, plain, high_parse, low_parse, cma_parse, cma_kept,
                      legacy)
    return CrashkernelResult(
        cmdline=line, arch=spec.name, system_ram=system_ram, ret=ret, crash_size=crash_size,
        crash_base=crash_base, low_size=low_size, cma_size=cma_size, high=high,
        cma_kept=cma_kept, messages=tuple(messages), error=error, error_code=error_code,
        words=uses, plain=plain if plain.ret != ENOENT else None, kernel=kernel,
        overflow=overflow,
    )


def legacy_x86_parse(spec: Arch, kernel: TargetKernel | None) -> bool:
    """x86 before the generic code (6.7): its own parse flow and ``,low`` handling."""
    if kernel is None or spec.family != "x86":
        return False
    return not kernel.at_least(GENERIC.since)


def _low_size(spec: Arch, low: SubParse, legacy: bool) -> tuple[int, int]:
    """The low size and the return code, from the ``,low`` parse.

    Generic: absent gives the default, invalid fails the whole parse. x86 before 6.7
    (reserve_crashkernel_low()): absent *or invalid* gives the default; ``0,low`` none.
    """
    if low.ret == ENOENT or (legacy and low.ret):
        return spec.default_low, 0
    if low.ret:
        return low.size, low.ret
    return low.size, 0


def _explain_error(ret: int, words: tuple[Word, ...], spec: Arch, plain: SubParse,
                   high: SubParse | None, low: SubParse | None, crash_size: int,
                   system_ram: int) -> tuple[str | None, str | None]:
    """The message that explains a non-zero return: the kernel's own when it printed one."""
    if ret == 0:
        return None, None
    if plain.ret != ENOENT:
        failed = plain
    elif high is None or high.ret == ENOENT:
        if not words:
            return "no crashkernel= parameter: the kernel reserves nothing", "no-crashkernel"
        kinds = {word.kind for word in words}
        if spec.high_low and "low" in kinds:
            return ("crashkernel=...,low without crashkernel=...,high: the kernel reserves "
                    "nothing"), "no-static"
        if "cma" in kinds and spec.cma:
            return ("crashkernel=...,cma without a static crashkernel= size: the kernel "
                    "reserves no crash kernel"), "no-static"
        return ("no crashkernel= word this architecture reads: the kernel reserves nothing",
                "no-crashkernel")
    elif high.ret:
        failed = high
    elif low is not None and low.ret not in (0, ENOENT):
        failed = low
    else:
        failed = high
    if failed.ret and failed.message:
        return failed.message, "syntax"
    if failed.message:  # "crashkernel size resulted in zero bytes"
        return failed.message, "range-no-match"
    if not crash_size:
        return "crashkernel size is 0: the kernel reserves nothing", "zero-size"
    return (f"crashkernel size {format_size(crash_size)} is not below system RAM "
            f"{format_size(system_ram)}: the kernel rejects it silently", "size-not-below-ram")


def _word_uses(words: tuple[Word, ...], spec: Arch, stage: str, plain: SubParse,
               high: SubParse | None, low: SubParse | None, cma: SubParse | None,
               cma_kept: bool, legacy: bool = False) -> tuple[WordUse, ...]:
    """Used, overridden or ignored, with the reason, for every word (spec §2.2, §2.7).

    ``legacy``: the x86 flow before 6.7 (``,high`` read when the plain word fails, ``,low``
    read for any block that lands above 4 GiB).
    """
    last = {kind: _last(words, kind) for kind in ("plain", "high", "low", "cma")}
    plain_present = last["plain"] is not None
    uses = []
    for word in words:
        kind = word.kind
        if kind in ("high", "low") and not spec.high_low:
            status, reason = "ignored", (f"{spec.name} does not read ,high or ,low words "
                                         f"(its caller passes no high pointer)")
        elif kind == "cma" and not spec.cma:
            status, reason = "ignored", (f"{spec.name} does not read ,cma words "
                                         f"(its caller passes no cma_size pointer)")
        elif legacy and kind == "high" and high is None:
            status, reason = "ignored", ("the plain crashkernel= word is valid, so x86 before "
                                         "Linux 6.7 never reads ,high")
        elif legacy and kind == "low" and stage == "high-failed":
            status, reason = "ignored", "the ,high word failed, so the kernel never reads ,low"
        elif legacy and kind == "low" and word is last[kind] and low is not None and low.ret:
            status, reason = "ignored", (f"read and rejected ({low.message}): x86 before Linux "
                                         f"6.7 then uses the default low size")
        elif legacy and kind in ("high", "low"):
            if word is not last[kind]:
                status, reason = "overridden", f"a later {_kind_label(kind)} word wins"
            elif kind == "low" and high is None:
                status, reason = "used", (_used_reason(kind, low, cma_kept)
                                          + " (x86 before Linux 6.7 uses it if the block "
                                            "lands above 4 GiB)")
            else:
                parsed = high if kind == "high" else low
                status, reason = "used", _used_reason(kind, parsed, cma_kept)
        elif kind in ("high", "low") and plain_present:
            status, reason = "ignored", ("a plain crashkernel= word exists, so ,high and ,low "
                                         "are never read")
        elif kind == "low" and (high is None or high.ret == ENOENT):
            status, reason = "ignored", "there is no ,high word, so the kernel never reads ,low"
        elif kind == "low" and stage == "high-failed":
            status, reason = "ignored", "the ,high word failed, so the kernel never reads ,low"
        elif kind == "cma" and stage != "plain":
            status, reason = "ignored", ("the kernel returned before reading ,cma: no valid "
                                         "plain or ,high/,low words")
        elif word is not last[kind]:
            status, reason = "overridden", f"a later {_kind_label(kind)} word wins"
        else:
            parsed = {"plain": plain, "high": high, "low": low, "cma": cma}[kind]
            status, reason = "used", _used_reason(kind, parsed, cma_kept)
        uses.append(WordUse(word, status, reason))
    return tuple(uses)


def _kind_label(kind: str) -> str:
    return "plain crashkernel=" if kind == "plain" else f"crashkernel=...,{kind}"


def _used_reason(kind: str, parsed: SubParse | None, cma_kept: bool) -> str:
    if parsed is None:
        return "read"
    if parsed.ret:
        suffix = " (the size is kept anyway)" if kind == "cma" and parsed.size else ""
        return f"read and rejected: {parsed.message}{suffix}"
    if parsed.syntax == "auto":
        if not parsed.size:
            return ("read as crashkernel=auto: the RHEL 8 table gives 0 bytes on this RAM "
                    "(it starts above it)")
        return (f"read as crashkernel=auto: the RHEL 8 table gives {format_size(parsed.size)} "
                f"(RAM rounded up to {format_size(parsed.total_mem or 0)})")
    if parsed.syntax == "range":
        if parsed.matched_entry is None or not parsed.size:
            return "read as a range table: " + (parsed.message or "no entry matched")
        at = f" at {format_size(parsed.base)}" if parsed.base else ""
        return (f"read as a range table: entry {parsed.matched_entry + 1} matched "
                f"(RAM rounded up to {format_size(parsed.total_mem or 0)}): "
                f"{format_size(parsed.size)}{at}")
    if kind == "high" and not parsed.size:
        return "read: a zero ,high size makes the kernel give up"
    if kind == "cma" and not cma_kept and parsed.size:
        return "read, but the kernel reserves no CMA because the static reservation failed"
    at = f" at {format_size(parsed.base)}" if parsed.base else ""
    return f"read: {format_size(parsed.size)}{at}"
