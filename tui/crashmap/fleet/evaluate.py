"""One host of a fleet: the plan checked on its map, with ``check``'s own functions.

Hosts of one shape (same map, arch, kernel, facts and crashkernel= words) get the same answer,
so each shape is evaluated once (:class:`FleetRun` keeps the small results, never the maps):
a fleet of thousands of hosts of a few dozen shapes costs a few dozen evaluations.
"""

from __future__ import annotations

import gc
import re
from collections import namedtuple
from json import loads as _loads
from json.decoder import JSONDecoder
from json.encoder import JSONEncoder
from json.encoder import encode_basestring as _quote
from json.encoder import encode_basestring_ascii as _escape

from crashmap.checks import evaluate_cmdline
from crashmap.errors import CrashmapError
from crashmap.fleet import bounded
from crashmap.fleet.bounded import remember, short_texts
from crashmap.fleet.members import Item
from crashmap.iomem import HIDDEN_MESSAGE
from crashmap.jsonl import decode_line
from crashmap.kernel.grammar import range_total_mem
from crashmap.kernel.plan_words import plan_words
from crashmap.kernel.render import canonical_size
from crashmap.placement.context import reuse_context
from crashmap.snapshot import _TYPES, field_problem, from_mapping
from crashmap.sources import settle_arch
from crashmap.units import GiB, MiB, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.snapshot import Snapshot

def _exact_types() -> dict[str, type]:
    exact: dict[str, type] = {name: kinds[0] for name, kinds in _TYPES.items()}
    exact[SCHEMA_KEY] = int
    return exact


SCHEMA_KEY = "crashmap_snapshot"
_EXACT = _exact_types()
"""Snapshot key → the one type its value has in a record that needs no second look."""
_LABELS = ("hostname", "inventory_hostname", "arch_note", "kernel_release", "cmdline",
           "taken_at", "taken_by", "provenance")
"""The snapshot keys outside the shape key: a record of a known shape still has them checked
(text keys: :func:`crashmap.snapshot.field_problem` finds nothing in ASCII text)."""
assert all(_EXACT[name] is str for name in _LABELS)
KEY_FIELDS = ("arch", *(name for name in _EXACT
                        if name not in _LABELS and name not in ("arch", SCHEMA_KEY)))
"""Every other snapshot key (a key added to the snapshot is in the shape key unless it is
named a label above). With the target kernel, the command line's tokens a rule reads and
whether the plan is the host's own line they decide the answer; the labels (host name, when
it was taken, the running release as such) only label it."""
_TEXTS = frozenset(name for name in KEY_FIELDS if _EXACT[name] is str)
"""The key fields that hold text (a map, a boot log, a kernel config...): a key holds them
by number when they are long (:func:`~crashmap.fleet.bounded.short_texts`)."""
_READERS: dict[tuple[Any, ...], Any] = {}
"""(keys, value types) of a record → ``(keys read, getter of their values, getter of the
text labels, their names)`` when records of that signature need no second look, else False:
records of one writer share a signature, so each record costs one lookup; last, where
the text values are among those read."""


def _reader(data: dict[str, Any]) -> Any:
    exact = _EXACT
    for key, value in data.items():
        kind = exact.get(key)
        if kind is None or (value is not None and type(value) is not kind):
            return False
    if type(data.get("iomem")) is not str or SCHEMA_KEY not in data:
        return False
    keyed = tuple(name for name in KEY_FIELDS if name in data)
    labels = tuple(name for name in _LABELS if type(data.get(name)) is str)
    return keyed, _getter(keyed), _getter(labels), labels, _texts_at(keyed)


def _texts_at(names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, name in enumerate(names) if name in _TEXTS)


def _getter(names: tuple[str, ...]) -> Any:
    """The values of ``names`` in a dict, as a tuple."""
    from operator import itemgetter

    if len(names) > 1:
        return itemgetter(*names)
    if names:
        name = names[0]
        return lambda d: (d[name],)
    return lambda d: ()


_OWN = ("hostname", "inventory_hostname", "kernel_release", "cmdline")
"""What a host's answer and name are read with besides its keyed facts: a line end holding one
of them goes the whole way (:meth:`FleetRun._split_key`)."""


def _split_reader(data: dict[str, Any], known: dict[str, Any]) -> Any:
    """How :meth:`FleetRun._split_key` reads a line's rest ``data`` whose end has the members
    ``known``: ``(getter of the rest's keyed values, getter of its text labels, their names,
    whether the rest holds the schema version, the keyed names)``; False when the record
    ``data`` + ``known`` needs a second look (:func:`_reader`), the two share a key, the end
    holds a host's own key (:data:`_OWN`), or the end's labels are not fine as they are."""
    if not known.keys().isdisjoint(data) or not known.keys().isdisjoint(_OWN):
        return False
    read = _reader({**data, **known})  # the whole record, keys in its order (disjoint)
    if read is False or known.get(SCHEMA_KEY, 1) != 1:
        return False
    keyed, _, _, labels, _ = read
    if any(field_problem(name, known[name]) for name in labels if name in known):
        return False
    names = tuple(name for name in keyed if name in data)
    own = tuple(name for name in labels if name in data)
    return _getter(names), _getter(own), own, SCHEMA_KEY in data, names, _texts_at(names)
MAX_TAILS = 256
"""Line ends remembered with the members they hold (see
:meth:`FleetRun.record_of`); a line end longer than :data:`MAX_TAIL` is not remembered."""
MAX_TAIL = 1 << 17
TAIL_MARKS = (b',"taken_by":', b',"iomem":')
"""Where a line's end is looked up: the first key ``to_json_line`` writes after the ones that
differ between hosts of one machine, then the map alone (``taken_by`` may differ too)."""
_SCALARS = (str, int, float, bool, type(None))
_scan = JSONDecoder().scan_once
_encode = JSONEncoder(separators=(",", ":")).encode
"""``json.dumps(value, separators=(",", ":"))`` without building an encoder per call."""
PROBE = 64


def _probe(body: bytes, cut: int) -> tuple[int, bytes]:
    """How a line end ``body[cut:]`` is looked up: its length and its last :data:`PROBE`
    bytes (hashing a whole end of a few KiB per line was 6 % of a 10 000-host run); the
    candidates are then compared whole (``endswith``, no copy)."""
    size = len(body) - cut
    return size, body[len(body) - min(size, PROBE):]
MAX_SHAPES = 1024
"""Shapes remembered at once (the oldest is forgotten first): memory stays flat however many
hosts stream by, and a fleet of a few dozen shapes never re-evaluates one."""
MAX_SERIES = 512
"""Evaluations (for a series' stand-in kernel) remembered at once."""
MAX_MAPS = 64
"""Parsed maps remembered at once (:meth:`FleetRun._share_parse`)."""
MAX_CONTEXTS = 64
"""Placement contexts remembered at once (a few per map)."""


READ_TOKENS = ("crashkernel", "cma=", "fadump=", "gbpages", '"', "--")
"""Token parts some rule reads (lower case): the crashkernel= search and its lints (any case:
``CRASHKERNEL=`` is a finding), the context's ``cma=`` and ``nogbpages``, ``fadump=``, quotes,
and ``--``, after which ``fadump=`` is not read (early_fadump_param() sees kernel parameters
only)."""


def cmdline_key(cmdline: str | None) -> tuple[int, Any] | None:
    """``cmdline``'s length and the tokens (split at spaces) that hold a part some rule reads
    (see :data:`READ_TOKENS`), each with its place among the tokens: two hosts whose lines
    differ only in other tokens (``root=UUID=...``) read the same plan. The length is kept:
    the kernel's cut at COMMAND_LINE_SIZE (the ``cmdline-too-long`` lint) depends on it."""
    if cmdline is None:
        return None
    low = cmdline.lower()
    size = len(cmdline)
    if len(low) != size:  # a character whose lower case is longer: keep the line whole
        return size, cmdline
    found = _read_part(low)
    if found is None:
        return size, ()
    find, rfind, count = low.find, low.rfind, cmdline.count
    tokens = []
    while found is not None:  # the token around the first part, then on after that token
        at = found.start()
        end = find(" ", at)
        if end < 0:
            end = size
        start = rfind(" ", 0, at) + 1
        tokens.append((count(" ", 0, start), cmdline[start:end]))
        found = _read_part(low, end)
    return size, tuple(tokens)


_read_part = re.compile("|".join(re.escape(part) for part in READ_TOKENS)).search


def shape_key(snapshot: Snapshot, plan: str | None, given: str | None = None, *,
              release: bool = False) -> tuple[Any, ...]:
    """What decides a host's check of ``plan`` (None: its own command line) for the target
    kernel (``--kernel`` ``given``, else the snapshot's release): the snapshot's facts, the
    target (:class:`~crashmap.kernel.target.TargetKernel`, the rules are keyed by it), the
    crashkernel= tokens, whether the plan is the host's own line; ``release`` adds the running
    release (the estimates read it: the distribution shows in it)."""
    facts = snapshot.__dict__  # what is not there is the class default: None
    return _key(facts.get, snapshot.arch, snapshot.kernel_release, given, snapshot.cmdline,
                plan, release)


_REST = KEY_FIELDS[1:]
_REST_TEXTS = _texts_at(_REST)


def _key(get: Any, arch: str | None, running: str | None, given: str | None, own: str | None,
         plan: str | None, release: bool = False) -> tuple[Any, ...]:
    if release:
        ran = running
    elif given is not None:  # the target is --kernel's: the checks still read the running
        from crashmap.placement.facts import kernel_version  # version (kernelconf)

        ran = kernel_version(running)
    else:
        ran = None  # the target is the running release: it says all
    return (arch, *short_texts(tuple(map(get, _REST)), _REST_TEXTS), ran,
            target(given, running), cmdline_key(own), cmdline_key(plan),
            plan is None or plan == own)


_TARGETS: dict[tuple[str | None, str | None], Any] = {}


def target(given: str | None, running: str | None) -> Any:
    """``crashmap.kernel.target.resolve_target`` (what ``check --kernel`` uses), remembered
    per (``--kernel``, release): a fleet has a few releases."""
    found = _TARGETS.get((given, running))
    if found is None:
        from crashmap.kernel.target import resolve_target

        if len(_TARGETS) > 4096:
            _TARGETS.clear()
        found = _TARGETS[(given, running)] = resolve_target(given, running)
    return found


def pow2_bracket(ram: int) -> tuple[int, int]:
    """The power-of-two RAM bracket ``[lo, hi)`` holding ``ram``, as the kernel matches range
    tables (RAM rounded up to 128 MiB)."""
    rounded = max(range_total_mem(ram), 1)
    lo = 1 << (rounded.bit_length() - 1)
    return lo, lo * 2


def size_word(n: int) -> str:
    """``256M``, ``16G``: a size in the kernel's own spelling (largest binary unit dividing it)."""
    return canonical_size(n)


def low_bucket(size: int) -> str:
    """The largest free low block, floored to a power of two, for class names: ``>=512M``."""
    if size < MiB:
        return "none"
    return ">=" + size_word(1 << (size.bit_length() - 1))


class Shape(namedtuple("Shape", (
        "arch series release ram bracket low_free words outcome ok blocks static cma errors "
        "warnings findings verdict class_name fragment reason"))):
    """The answer for one shape of host (shared by every host of that shape; small).

    ``blocks`` are (kind, start, end) half-open; ``static`` the bytes of the static blocks
    placed (main + low), ``cma`` the CMA bytes placed; ``errors``/``warnings`` finding codes;
    ``findings`` (code, severity, message) of every finding; ``class_name`` the class it falls
    in; ``fragment`` the JSON members of its host records, encoded once; ``reason`` why it
    fails (its first error, else the verdict)."""

    __slots__ = ()


def evaluate_shape(snapshot: Snapshot, plan: str | None, given: str | None = None, *,
                   contexts: dict[Any, Any] | None = None, kernel: Any = None) -> Shape:
    """Place and check ``plan`` (None: the host's own command line) on ``snapshot`` with
    :func:`crashmap.checks.evaluate_cmdline`, the function behind ``crashmap check``, for
    ``kernel`` (None: ``--kernel`` ``given``, else the snapshot's release); ``contexts``: a
    cache of :func:`crashmap.placement.context.reuse_context` (one build per map), else the
    snapshot's own context."""
    if snapshot.hidden:
        raise CrashmapError(HIDDEN_MESSAGE, path=snapshot.source)
    if kernel is None:
        kernel = target(given, snapshot.kernel_release)
    if contexts is not None:
        ctx = reuse_context(snapshot, kernel, contexts, MAX_CONTEXTS)
    else:
        from crashmap.placement import shared_context

        ctx = shared_context(snapshot, kernel=kernel)
    cmdline = plan if plan is not None else (snapshot.cmdline or "")
    ram = snapshot.system_ram or 0
    verdict = evaluate_cmdline(ctx, cmdline, system_ram=ram)
    placement = verdict.placement
    bracket = _bracket(verdict.grammar, ram)
    low = ctx.free.largest_fit(0, ctx.low_max, ctx.arch.crash_align)
    low_free = low.size if low is not None else 0
    series = None if kernel.assumed else f"{kernel.version[0]}.{kernel.version[1]}"
    class_name = f"{ctx.arch.name} {series or '?'} {bracket} low {low_bucket(low_free)}"
    return _shape(
        ctx.arch.name, series, kernel.release, ram, bracket, low_free, plan_words(cmdline),
        placement.outcome, verdict.ok, tuple((b.kind, b.start, b.end) for b in placement.blocks),
        placement.static_total, sum(b.size for b in placement.cma.areas),
        tuple((f.code, f.severity, f.message) for f in verdict.findings), verdict.verdict_line,
        class_name)


def _shape(arch: str, series: str | None, release: str, ram: int, bracket: str, low_free: int,
           words: tuple[str, ...], outcome: str, ok: bool, blocks: tuple[Any, ...], static: int,
           cma: int, findings: tuple[Any, ...], verdict: str, class_name: str) -> Shape:
    errors = tuple(code for code, level, _ in findings if level == "error")
    warnings = tuple(code for code, level, _ in findings if level == "warning")
    fragment = _encode({
        "class": class_name, "arch": arch, "kernel": release, "series": series, "ram": ram,
        "bracket": bracket, "low_free": low_free, "words": list(words), "outcome": outcome,
        "ok": ok,
        "blocks": [{"kind": k, "start": s, "end": e - 1, "size": e - s} for k, s, e in blocks],
        "static": static, "cma": cma, "errors": list(errors), "warnings": list(warnings),
        "verdict": verdict,
    })[1:-1]
    return Shape(arch, series, release, ram, bracket, low_free, words, outcome, ok, blocks,
                 static, cma, errors, warnings, findings, verdict, class_name, fragment,
                 next((m for _, level, m in findings if level == "error"), verdict))


VERSION_MARK = "@@crashmap-kernel-version@@"
RELEASE_MARK = "@@crashmap-kernel-release@@"
_STAND_IN: list[Any] = []


def stand_in(kernel: Any) -> Any:
    """``kernel`` with marks for its version number and release in every text it gives
    (``name``, ``describe()``, ``as_dict()``): one evaluation serves every release of one
    series (see :func:`relabel`). The rules read a target kernel only through its major.minor
    (``at_least``), distribution, RHEL numbers and source; the patch number and the release
    text show only in messages. Its release is the mark, so it never equals a real kernel."""
    if not _STAND_IN:
        from crashmap.kernel.target import TargetKernel

        class StandIn(TargetKernel):
            __slots__ = ()

            @property
            def version_text(self) -> str:
                return VERSION_MARK

        _STAND_IN.append(StandIn)
    return _STAND_IN[0](RELEASE_MARK, *kernel[1:])


def series_of(kernel: Any) -> tuple[Any, ...]:
    """What the rules read of a target kernel (see :func:`stand_in`)."""
    return kernel.version[:2], kernel.distro, kernel.el, kernel.el_minor, kernel.source


def relabel(shape: Shape, kernel: Any) -> Shape:
    """``shape``, evaluated for :func:`stand_in` of ``kernel``'s series, for ``kernel``."""
    version, release = kernel.version_text, kernel.release

    def text(message: str) -> str:
        return message.replace(VERSION_MARK, version).replace(RELEASE_MARK, release)

    # a finding without a mark is kept as it is (most are)
    findings = tuple(f if _MARKED not in f[2] else (f[0], f[1], text(f[2]))
                     for f in shape.findings)
    verdict, fragment = text(shape.verdict), shape.fragment
    if (fragment.count(RELEASE_MARK) != 1 + shape.verdict.count(RELEASE_MARK)
            or fragment.count(VERSION_MARK) != shape.verdict.count(VERSION_MARK)):
        return _shape(shape.arch, shape.series, release, shape.ram, shape.bracket,
                      shape.low_free, shape.words, shape.outcome, shape.ok, shape.blocks,
                      shape.static, shape.cma, findings, verdict, shape.class_name)
    # the marks are only in "kernel" and "verdict": JSON escapes text character by character
    # and never writes an "@", so the fragment's marks are replaced by the escaped texts
    fragment = fragment.replace(VERSION_MARK, _escape(version)[1:-1]).replace(
        RELEASE_MARK, _escape(release)[1:-1])
    reason = verdict
    for _, level, message in findings:
        if level == "error":
            reason = message
            break
    (arch, series, _, ram, bracket, low_free, words, outcome, ok, blocks, static, cma, errors,
     warnings, _, _, class_name, _, _) = shape
    return _new_tuple(Shape, (arch, series, release, ram, bracket, low_free, words, outcome, ok,
                              blocks, static, cma, errors, warnings, findings, verdict,
                              class_name, fragment, reason))  # shape._replace(...), faster


_MARKED = "@@crashmap-kernel-"
"""What :data:`VERSION_MARK` and :data:`RELEASE_MARK` begin with."""
assert VERSION_MARK.startswith(_MARKED) and RELEASE_MARK.startswith(_MARKED)


def _bracket(grammar: Any, ram: int) -> str:
    """The RAM bracket of the plan: the range-table entry the kernel matched, else the
    power-of-two bracket of this RAM."""
    plain = getattr(grammar, "plain", None) if grammar is not None else None
    if plain is not None and plain.syntax == "range" and plain.matched_entry is not None:
        from crashmap.kernel.ranges import explain_table

        word = next((u.word for u in grammar.words if u.word.kind == "plain"
                     and u.status == "used"), None)
        if word is not None:
            try:
                entry = explain_table(word.value.split("@")[0]).entries[plain.matched_entry]
            except (CrashmapError, IndexError):
                entry = None
            if entry is not None:
                end = size_word(entry.end) if entry.end is not None else ""
                return f"{size_word(entry.start)}-{end}"
    if ram <= 0:
        return "?"
    lo, hi = pow2_bracket(ram)
    return f"{size_word(lo)}-{size_word(hi)}" if lo >= GiB else f"<{size_word(hi)}"


_new_tuple = tuple.__new__
"""``_new_tuple(Host, (name, label, shape))`` is ``Host(name, label, shape)`` (namedtuple's own
``_make`` calls it) without the Python-level ``__new__``: ~0.3 us a host."""


class Host(namedtuple("Host", "name label shape")):
    """A host's name (inventory name, else hostname, else its member), its member as a SOURCE
    (``PATH`` or ``PATH:LINE``) and its shape's answer."""

    __slots__ = ()

    def json_line(self) -> str:
        return (f'{{"type":"host","host":{_quote(self.name)},"member":{_quote(self.label)},'
                f'{self.shape.fragment}}}')


class FleetRun:
    """Checks hosts one at a time against one plan, evaluating each shape once.

    ``plan`` is a kernel command line (or just its crashkernel= words) given to every host;
    None checks each host's own /proc/cmdline. ``arch`` overrides every host's arch (as
    ``--arch`` does for one map), ``kernel`` the target kernel (``--kernel``; None: each host's
    own release, as ``check`` does).
    """

    def __init__(self, plan: str | None = None, *, arch: str | None = None,
                 kernel: str | None = None) -> None:
        self.plan = plan
        self.arch = arch
        self.kernel = kernel
        self.shapes: dict[tuple[Any, ...], Shape | CrashmapError] = {}
        self.series: dict[tuple[Any, ...], Shape] = {}
        """Shapes evaluated for a stand-in kernel, by the key with the kernel's series."""
        self.known: dict[tuple[Any, ...], Shape] = {}
        """Shapes by a record's own key (:meth:`_record_key`): the records they were found for."""
        self.contexts: dict[Any, Any] = {}
        """Placement contexts by what their build reads (a few per map)."""
        self.tails: dict[bytes, dict[str, Any]] = {}
        """Line ends seen (``,"taken_by":...}``, ``,"iomem":"..."}``) → their members."""
        self.ends: dict[tuple[int, bytes], list[tuple[bytes, dict[str, Any], int]]] = {}
        """The same line ends by :func:`_probe` (looked up without hashing a whole end), each
        with its token: a number no other line end learnt in this run has."""
        self.hits = self.learnt = 0
        self.split_readers: dict[tuple[Any, ...], Any] = {}
        """(line end's token, keys and value types of the rest) → how :meth:`_split_key` reads
        such a rest, or False."""
        self.maps: dict[str, Any] = {}
        """Parsed maps by their text (a few): shapes that differ only in facts share a parse."""
        self.parses = 0
        self.warnings: list[str] = []
        """Diagnostics of the shapes evaluated (a guessed arch...), once per shape."""

    def snapshot_of(self, item: Any) -> Snapshot:
        """The snapshot of a walk item (a JSON Lines record is checked as a YAML one is)."""
        if item.kind == "line":
            item.kind, item.value = "record", self.record_of(item)
        if item.kind == "record":
            snapshot = from_mapping(item.value, item.path, line=item.line)
        else:
            snapshot = item.value
        self.warnings.extend(snapshot.warnings)
        snapshot.warnings = []
        return snapshot

    def record_of(self, item: Any) -> Any:
        """The decoded JSON of a ``line`` item (raises :class:`CrashmapError` for a line that
        is not JSON, as :func:`crashmap.jsonl.decode_line` says it).

        ``to_json_line`` writes the keys that differ between hosts of one machine (names,
        release, command line, time) first and ``taken_by``, ``provenance``, the facts and
        the map after them: the bulk of the line, the same bytes on every host of one machine.
        A line whose end from one of :data:`TAIL_MARKS` is byte for byte one seen before gets
        those members decoded before, and only the rest is decoded: JSON's grammar makes the
        whole line an object exactly when the rest, closed with ``}``, is one with a member
        (a value decodes the same wherever it stands; a key given twice keeps its first place
        and its last value, as ``dict.update`` does)."""
        split = self._split(item.value)
        if split is not None:
            data, known, _ = split
            data.update(known)
            return data
        return self._decode(item)

    def _split(self, raw: bytes) -> tuple[dict[str, Any], dict[str, Any], int] | None:
        """A line whose end is one seen before (see :meth:`record_of`): the members of the
        rest, decoded, and the end's members and token; None when the line goes the whole way.
        The line is read up to ``stop`` (its trailing blanks, as ``rstrip`` drops them), not
        copied without them."""
        if raw[:1] != b"{":
            return None
        stop = len(raw)
        while stop and raw[stop - 1] in b" \t\r\n":
            stop -= 1
        ends = self.ends
        for mark in TAIL_MARKS:
            cut = raw.find(mark, 0, stop)  # any cut between members is sound (see
            if cut <= 0:  # record_of): the first one is found early, the map is the bulk
                continue
            size = stop - cut  # _probe(body, cut) of body = raw[:stop]
            for seen in ends.get((size, raw[stop - min(size, PROBE):stop]), ()):
                if raw.endswith(seen[0], 0, stop):
                    break
            else:
                continue
            try:  # strict UTF-8 (json.loads(bytes) allows surrogates: those go the long way)
                text = raw[:cut].decode() + "}"
                data, end = _scan(text, 0)  # json.loads(text) without its Python layers:
            except (ValueError, StopIteration):  # no space to skip before or after, so
                return None  # the text is one object exactly when it ends where the text does
            if end != len(text) or type(data) is not dict or not data:
                return None
            self.hits += 1
            return data, seen[1], seen[2]
        return None

    def _decode(self, item: Any) -> Any:
        """:meth:`record_of` the whole way: the line decoded, its end learnt."""
        raw = item.value
        body = raw.rstrip(b" \t\r\n")
        starts = body[:1] == b"{"
        value = decode_line(raw, item.path, item.line)
        if isinstance(value, CrashmapError):
            raise value
        if starts and type(value) is dict and (self.learnt < 256 or self.hits > self.learnt):
            for mark in TAIL_MARKS:  # learning stops when the line ends do not repeat
                cut = body.find(mark)
                if cut > 0 and len(body) - cut <= MAX_TAIL and body[cut:] not in self.tails:
                    self._learn(body[cut:], value)
        return value

    def _learn(self, tail: bytes, value: dict[str, Any]) -> None:
        """Remember ``tail`` when it is members closing the line's object (``,"k":v...}``)
        whose values are text, numbers or null as ``value`` has them."""
        self.learnt += 1
        try:
            alone = _loads(b"{" + tail[1:])
        except ValueError:
            return
        if type(alone) is not dict or not all(
                type(v) in _SCALARS and value.get(k, alone) == v for k, v in alone.items()):
            return
        if len(self.tails) >= MAX_TAILS:
            old = next(iter(self.tails))
            del self.tails[old]
            group = self.ends[_probe(old, 0)]
            group[:] = [entry for entry in group if entry[0] is not old]
            if not group:
                del self.ends[_probe(old, 0)]
        self.tails[tail] = alone
        self.ends.setdefault(_probe(tail, 0), []).append((tail, alone, self.learnt))

    def check_item(self, item: Any) -> Host:
        """The answer for a walk item (raises :class:`CrashmapError` for a bad one)."""
        if item.kind == "line":
            return self.check_line(item.value, item.label, item.path, item.line)
        return self._check_record(item, None)

    def check_line(self, raw: bytes, label: str, path: str, number: int) -> Host:
        """:meth:`check_item` of one JSON Lines line (``label``: ``PATH:LINE``); the common
        line, a known end and a known key, is answered without a walk item."""
        split = self._split(raw)
        if split is None:
            item = Item("line", label, raw, path, number)
            item.kind, item.value = "record", self._decode(item)
            return self._check_record(item, None)
        data, known, token = split  # a known end, the rest read alone
        key = self._split_key(data, known, token)
        if key is not None:
            shape = self.known.get(key)
            if shape is not None:
                get = data.get
                return _new_tuple(Host, (get("inventory_hostname") or get("hostname") or label,
                                         label, shape))  # Host(...) without its Python __new__
        data.update(known)
        return self._check_record(Item("record", label, data, path, number), key)

    def _check_record(self, item: Any, key: tuple[Any, ...] | None) -> Host:
        """:meth:`check_item` of a decoded record (``key``: its :meth:`_split_key`, if any)
        or of a host that is not a record."""
        if item.kind != "record":
            return self.check(self.snapshot_of(item), item.label)
        data = item.value
        if key is None and type(data) is dict:
            key = self._record_key(data)
            if key is not None:
                shape = self.known.get(key)
                if shape is not None:
                    get = data.get
                    return Host(get("inventory_hostname") or get("hostname") or item.label,
                                item.label, shape)
        host = self._known_shape(data, item.label) if key is not None else None
        if host is None:
            host = self.check(self.snapshot_of(item), item.label)
        if key is not None:
            remember(self.known, key, host.shape, MAX_SHAPES)
        return host

    def _split_key(self, data: dict[str, Any], known: dict[str, Any],
                   token: int) -> tuple[Any, ...] | None:
        """:meth:`_record_key` of the record ``data`` + ``known`` (a line end's members),
        read off ``data`` alone: the end's token stands for its keys and values, so equal
        keys are equal records' keys. None when the record goes the whole way."""
        signature = (token, tuple(data), tuple(map(type, data.values())))
        read = self.split_readers.get(signature)
        if read is None:
            read = False
            if len(self.split_readers) < 4096:  # bounded: past it, the whole way
                read = self.split_readers[signature] = _split_reader(data, known)
        if read is False or (read[3] and data[SCHEMA_KEY] != 1):
            return None
        if not "".join(read[1](data)).isascii() and any(
                field_problem(name, data[name]) for name in read[2]):
            return None
        get = data.get
        return (token, read[4], short_texts(read[0](data), read[5]), get("kernel_release"),
                cmdline_key(get("cmdline")))

    def _record_key(self, data: dict[str, Any]) -> tuple[Any, ...] | None:
        """What decides a JSON Lines record's answer, read off the record itself (no snapshot
        built): its keys, the values of every key but the labels, the running release and
        the command line's tokens a rule reads. Only for a record ``from_mapping`` takes as it
        is (every key a snapshot key, every value exactly its type, the labels' text fine):
        equal keys are equal checked facts, so a record of a known key has a known answer."""
        signature = (tuple(data), tuple(map(type, data.values())))
        read = _READERS.get(signature)
        if read is None:
            read = _READERS[signature] = _reader(data) if len(_READERS) < 4096 else False
        if read is False or data[SCHEMA_KEY] != 1:
            return None
        # the keyed fields equal a checked record's; the labels are new: text (the signature
        # says), fine when ASCII (text_problem)
        if not "".join(read[2](data)).isascii() and any(
                field_problem(name, data[name]) for name in read[3]):
            return None
        get = data.get
        return (read[0], short_texts(read[1](data), read[4]), get("kernel_release"),
                cmdline_key(get("cmdline")))

    def _known_shape(self, data: dict[str, Any], label: str) -> Host | None:
        """:meth:`check` of a record :meth:`_record_key` takes, when its shape (or that shape
        for another release of the kernel's series) is known: no snapshot is built. None when
        it must be checked: ``--arch`` given, no arch (:func:`~crashmap.sources.settle_arch`
        would guess one, with a warning), or a new series. The record's facts are exactly what
        ``from_mapping`` would set, so :func:`_key` reads them off the record."""
        arch = data.get("arch")
        if self.arch is not None or not arch:
            return None
        get = data.get
        running = get("kernel_release")
        key = _key(get, arch, running, self.kernel, get("cmdline"), self.plan)
        shape = self.shapes.get(key)
        if shape is None:  # check() would settle the arch (as the series' first host did) and
            kernel = target(self.kernel, running)  # find the series' shape: its relabelling
            at = len(key) - 4
            base = self.series.get((*key[:at], series_of(kernel), *key[at + 1:]))
            if base is None:
                return None
            shape = relabel(base, kernel)
            remember(self.shapes, key, shape, MAX_SHAPES)
        if isinstance(shape, CrashmapError):
            raise CrashmapError(shape.message, path=label)
        return Host(get("inventory_hostname") or get("hostname") or label, label, shape)

    def check(self, snapshot: Snapshot, label: str) -> Host:
        """The host's answer; raises :class:`CrashmapError` for a map that cannot be checked."""
        if self.arch is not None:
            snapshot.arch = self.arch
        key = shape_key(snapshot, self.plan, self.kernel)
        shape = self.shapes.get(key)
        if shape is None:
            try:
                self._share_parse(snapshot)
                settle_arch(snapshot, self.arch)
                kernel = target(self.kernel, snapshot.kernel_release)
                at = len(key) - 4  # the target kernel's place in the key (see _key)
                series = (*key[:at], series_of(kernel), *key[at + 1:])
                base = self.series.get(series)
                if base is None:
                    base = evaluate_shape(snapshot, self.plan, contexts=self.contexts,
                                          kernel=stand_in(kernel))
                    remember(self.series, series, base, MAX_SERIES)
                shape = relabel(base, kernel)
            except CrashmapError as error:
                shape = CrashmapError(error.message)  # not error: its traceback's frames
                # hold this host's record, snapshot and partial parse (~30 KiB a bad map)
            self.warnings.extend(snapshot.warnings)
            remember(self.shapes, key, shape, MAX_SHAPES)
        if isinstance(shape, CrashmapError):
            raise CrashmapError(shape.message, path=label)
        name = snapshot.inventory_hostname or snapshot.hostname or label
        return Host(name, label, shape)

    def _share_parse(self, snapshot: Snapshot) -> None:
        """Give ``snapshot`` the parse of an identical map seen before (or remember its own)."""
        known = self.maps.get(snapshot.iomem)
        if known is not None:
            snapshot.__dict__["parsed"], snapshot.__dict__["memmap"] = known
            return
        self.parses += 1  # a parse forgotten is a reference cycle: collected every so often
        if self.parses % bounded.COLLECT_EVERY == 0:  # read here: tests make it small
            gc.collect()
        remember(self.maps, snapshot.iomem, (snapshot.parsed, snapshot.memmap), MAX_MAPS)


def describe_static(shape: Shape) -> str:
    """``256 MiB static + 1 GiB CMA`` for people."""
    text = format_size(shape.static) + " static"
    return text + (f" + {format_size(shape.cma)} CMA" if shape.cma else "")
