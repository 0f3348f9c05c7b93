"""The suggested plan: a static block for what kexec loads, the rest as CMA where that is safe.

1. **Total need**: the largest estimate the models could compute (being short loses the dump;
   being generous only costs memory). Without any estimate: this distribution's default table,
   then SUSE's documented fallback (what ``kdumptool calibrate`` reserves when it cannot
   compute). Without those either there is no suggestion.
2. **Static need**: the smallest block that holds what kexec loads plus what the capture kernel
   needs to boot: kernel image + initrd + unpacked initrd + 32 MiB (Debian's
   ``vmlinux + initrd + unpacked + 32M`` floor, "the bare minimum to get Linux to function",
   anchors.md §3). The unpacked size, when unknown, is taken as 2 × the initrd (kdumpctl counts
   the initramfs 3 times: compressed + unpacked + headroom, anchors.md §1).
3. **CMA** (``crashkernel=SIZE,cma``) carries ``total − static`` when the arch reads ``,cma``,
   the target kernel reads it (crashmap.kernel.versions: x86_64 6.17, powerpc 6.19, arm64
   and riscv64 7.3), and the
   user accepts what the vmcore loses; otherwise everything is static.
4. The plan is rendered to words by :func:`crashmap.kernel.render_words`, read back by the kernel
   grammar, placed by :mod:`crashmap.placement` and judged by :mod:`crashmap.checks` on this
   map; the first candidate (plain, then ``,high``; with CMA, then all static) that reserves in
   full without an error finding is the suggestion.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.arch import Arch, get_arch
from crashmap.errors import CrashmapError
from crashmap.estimate.models import DEBIAN_FACTOR, DEBIAN_FACTOR_OTHER, DEBIAN_MIN_EXTRA
from crashmap.kernel.render import canonical_size, render_words
from crashmap.units import GiB, MiB, TiB, align_up, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs
    from crashmap.estimate.models import ModelResult
    from crashmap.estimate.tables import DefaultValue
    from crashmap.snapshot import Snapshot

STATIC_BOOT_EXTRA = DEBIAN_MIN_EXTRA
"""32 MiB on top of kernel + initrd + unpacked initrd (anchors.md §3, kdump-config MIN_CRASHK)."""
UNPACK_FACTOR = 2
"""Unpacked initrd + headroom when the unpacked size is unknown: kdumpctl's 3 × initramfs minus
the compressed copy (anchors.md §1)."""
SUSE_FALLBACK = {"ppc64le": 384 * MiB}
SUSE_FALLBACK_DEFAULT = 192 * MiB
SUSE_FALLBACK_ARCHES = ("x86_64", "i386", "s390x", "arm64", "arm", "riscv64", "ppc64le")
"""calibrate.cc DEF_RESERVE_KB: what kdumptool reserves when it cannot compute."""

VMCORE_LOSS = (
    "The CMA areas are excluded from /proc/vmcore: whatever the running kernel kept there is "
    "missing from the dump at every makedumpfile -d level — user pages (anonymous memory and "
    "page cache) and movable kernel allocations such as zswap and balloon pages. At the common "
    "-d 31 user and cache pages are dropped anyway, so the extra loss is mainly zswap/balloon "
    "pages; a dump that keeps user data (no bit 8) silently lacks those in CMA. The kernel also "
    "waits a fixed 10 s before booting the capture kernel (CMA_DMA_TIMEOUT_SEC) so DMA into "
    "CMA pages can finish, and DMA set up by the crashed kernel can still corrupt the capture "
    "kernel's memory (kernel/crash_reserve.c reserve_crashkernel_cma(), CMA_DMA_TIMEOUT_SEC in "
    "include/linux/crash_reserve.h)."
)

FLEET_POINTS = (1 * GiB, 2 * GiB, 4 * GiB, 8 * GiB, 16 * GiB, 32 * GiB, 64 * GiB, 128 * GiB,
                256 * GiB, 512 * GiB, 1 * TiB, 2 * TiB, 4 * TiB, 8 * TiB, 16 * TiB)
"""Bracket edges of the fleet table (powers of two, as the distributions' tables use)."""
ROUNDING = 128 * MiB
"""The kernel's range-table RAM round-up (kernel-crashkernel.md §2.5)."""


class Need(namedtuple("Need", "bytes terms missing basis")):
    """A size with the terms that make it up (``(label, bytes, note)``), or the inputs missing."""

    __slots__ = ()


class Candidate(namedtuple("Candidate", "plan words verdict error label")):
    __slots__ = ()

    @property
    def ok(self) -> bool:
        return self.verdict is not None and self.verdict.in_full


class Suggestion(namedtuple("Suggestion", (
        "plan words static cma total static_need total_need use_cma cma_reason vmcore_loss "
        "rationale placed outcome verdict tried missing"))):
    """The suggested plan and why.

    ``plan`` is a :class:`crashmap.plan.Plan` (None: no suggestion, see ``missing``); ``placed``
    is True when the simulator reserves it in full with no error finding, False when no
    candidate fits this map, None when it could not be checked (hidden map).
    """

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        plan = self.plan
        verdict = self.verdict
        return {
            "static": self.static, "cma": self.cma, "total": self.total,
            "mode": plan.mode if plan else None, "low": plan.low if plan else None,
            "base": plan.base if plan else None,
            "words": list(self.words), "cmdline": " ".join(self.words),
            "uses_cma": self.use_cma, "cma_reason": self.cma_reason,
            "vmcore_loss": self.vmcore_loss,
            "static_need": _need_json(self.static_need), "total_need": _need_json(self.total_need),
            "rationale": list(self.rationale), "placed": self.placed, "outcome": self.outcome,
            "placement": verdict.placement.to_json() if verdict else None,
            "findings": [f.to_json() for f in verdict.findings] if verdict else [],
            "tried": [{"words": list(c.words), "ok": c.ok, "outcome": _outcome(c),
                       "errors": [f.message for f in c.verdict.errors] if c.verdict else
                       ([c.error] if c.error else [])} for c in self.tried],
            "missing": list(self.missing),
        }


def _need_json(need: Need | None) -> dict[str, Any] | None:
    if need is None:
        return None
    return {"bytes": need.bytes, "basis": need.basis, "missing": list(need.missing),
            "terms": [{"label": label, "bytes": value, "note": note}
                      for label, value, note in need.terms]}


def _outcome(candidate: Candidate) -> str:
    if candidate.verdict is None:
        return candidate.error or "not checked"
    return candidate.verdict.placement.outcome


# --- sizes -------------------------------------------------------------------------------------


def static_need(inputs: Inputs) -> Need:
    """Kernel image + initrd + unpacked initrd + 32 MiB: what must sit in the static block."""
    missing: list[str] = []
    terms: list[tuple[str, int, str]] = []
    if inputs.kernel_image is not None:
        terms.append(("kernel image", inputs.kernel_image, inputs.source("kernel_image")))
    elif inputs.kernel_file is not None:
        factor = DEBIAN_FACTOR.get(inputs.arch, DEBIAN_FACTOR_OTHER)
        terms.append(("kernel image", factor * inputs.kernel_file,
                      f"{factor} × the kernel file (Debian's decompression factor, kdump-tools "
                      f"kdump-config)"))
    else:
        missing.append("kernel_image")
    if inputs.initrd is not None:
        terms.append(("initrd", inputs.initrd, inputs.source("initrd")))
        if inputs.initrd_unpacked is not None:
            terms.append(("unpacked initrd", inputs.initrd_unpacked,
                          inputs.source("initrd_unpacked")))
        else:
            terms.append(("unpacked initrd + headroom", UNPACK_FACTOR * inputs.initrd,
                          "2 × initrd: kdumpctl's 3 × initramfs less the compressed copy"))
    else:
        missing.append("initrd")
    if missing:
        return Need(None, tuple(terms), tuple(missing), "")
    terms.append(("boot minimum", STATIC_BOOT_EXTRA,
                  "32 MiB: Debian's bare minimum to get Linux to function"))
    return Need(sum(t[1] for t in terms), tuple(terms), (), "kernel + initrd + unpack + 32 MiB")


def total_need(inputs: Inputs, models: list[ModelResult],
               machine_default: DefaultValue | None, *, models_only: bool = False) -> Need:
    """The largest model estimate; else the distro default; else SUSE's documented fallback
    (``models_only``: no fallback, the fleet table is made of estimates only)."""
    known = [m for m in models if m.need is not None]
    if known:
        best = max(known, key=lambda m: m.need)
        terms = tuple((m.title, m.need, "estimate") for m in known)
        others = ", ".join(f"{m.title} {format_size(m.need)}" for m in known if m is not best)
        basis = f"the largest estimate: {best.title} {format_size(best.need)}" + (
            f" (others: {others})" if others else "")
        return Need(best.need, terms, (), basis)
    missing = tuple(dict.fromkeys(name for m in models for name in m.missing))
    if models_only:
        return Need(None, (), missing, "")
    if machine_default is not None and machine_default.bytes:
        return Need(machine_default.bytes,
                    (("default table", machine_default.bytes, machine_default.table),),
                    missing, f"no model had its inputs; this distribution's default "
                             f"({machine_default.title}) reserves "
                             f"{format_size(machine_default.bytes)} at this RAM")
    if inputs.arch in SUSE_FALLBACK_ARCHES:
        size = SUSE_FALLBACK.get(inputs.arch, SUSE_FALLBACK_DEFAULT)
        return Need(size, (("fallback", size, "kdumptool calibrate DEF_RESERVE_KB"),), missing,
                    f"no model had its inputs; {format_size(size)} is what SUSE's kdumptool "
                    f"calibrate reserves when it cannot compute (DEF_RESERVE_KB, "
                    f"kdumptool/calibrate.cc)")
    return Need(None, (), missing, "")


def target_of(inputs: Inputs) -> Any:
    """The kernel the suggestion is for: ``--kernel`` or the snapshot's release, else assumed."""
    from crashmap.kernel.target import resolve_target

    return resolve_target(None, inputs.kernel_release)


def cma_support(inputs: Inputs, arch: Arch, accept: bool) -> tuple[bool, str]:
    """Whether the suggestion may use ``,cma``, and why (the version rules of
    :mod:`crashmap.kernel.versions`, each with its commit)."""
    from crashmap.kernel.versions import cma_rule, reads_cma

    if inputs.dump_mode == "fadump" and arch.name == "ppc64le":
        return False, ("fadump: the kernel reserves no ,cma (only arch_reserve_crashkernel() "
                       "reads it, and early_init_devtree() skips that when fadump reserves, "
                       "arch/powerpc/kernel/prom.c); the boot memory is all static")
    kernel = target_of(inputs)
    rule = cma_rule(arch) if arch.name != "i386" else None
    if rule is None:
        return False, f"{arch.name} does not read crashkernel=…,cma on any kernel"
    if kernel.assumed:
        return False, (f"the kernel version is unknown; {arch.name} reads ,cma from Linux "
                       f"{rule.since_text} (give --kernel RELEASE to plan for it)")
    if not reads_cma(arch, kernel):
        return False, (f"kernel {kernel.release} predates ,cma on {arch.name} (Linux "
                       f"{rule.since_text}, commit {rule.commit})")
    if not accept:
        return False, "CMA declined (--no-cma): the dump keeps everything, all static"
    return True, f"{arch.name} on {kernel.name} reads ,cma"


# --- placing -----------------------------------------------------------------------------------

def placement_context(snapshot: Snapshot, arch: Arch, kernel: Any = None) -> Any:
    """``crashmap.placement.shared_context``: built once per (map, arch, kernel)."""
    from crashmap.placement import shared_context

    return shared_context(snapshot, arch, kernel=kernel)


def check_plan(snapshot: Snapshot | None, plan: Any, arch: Arch, ram: int | None,
               label: str = "", kernel: Any = None) -> Candidate:
    """Render ``plan`` (with its ``fadump=`` word, if any), then place and check it on
    ``snapshot`` (the checks' verdict) for the target ``kernel`` (None: the snapshot's)."""
    try:
        from crashmap.kernel.versions import arch_for

        fadump = getattr(plan, "fadump", "off")
        words = render_words(plan, arch_for(arch, kernel), ram) + (
            (f"fadump={fadump}",) if fadump != "off" else ())
    except CrashmapError as error:
        return Candidate(plan, (), None, str(error), label)
    if snapshot is None or snapshot.hidden:
        return Candidate(plan, words, None, "not checked: the map's addresses are hidden "
                                            "(read /proc/iomem as root)", label)
    from crashmap.checks import evaluate_cmdline

    ctx = placement_context(snapshot, arch, kernel)
    verdict = evaluate_cmdline(ctx, " ".join(words), system_ram=ram)
    return Candidate(plan, words, verdict, None, label)


def suggest(inputs: Inputs, models: list[ModelResult], machine_default: DefaultValue | None,
            snapshot: Snapshot | None, *, accept_cma: bool = True) -> Suggestion:
    """The suggested plan for ``inputs``, placed and checked on ``snapshot``."""
    from crashmap.plan import Plan

    arch = get_arch(inputs.arch)
    static = static_need(inputs)
    total = total_need(inputs, models, machine_default)
    use_cma, cma_reason = cma_support(inputs, arch, accept_cma)
    rationale: list[str] = []
    if total.bytes is None:
        missing = tuple(dict.fromkeys(total.missing + static.missing))
        return Suggestion(None, (), 0, 0, 0, static, total, False, cma_reason, None,
                          ("no model could estimate the size and no default is documented for "
                           f"{arch.name}",), None, "no suggestion", None, (), missing)
    align = arch.crash_align
    rationale.append(f"Total need {format_size(total.bytes)}: {total.basis}.")
    split = use_cma and static.bytes is not None and total.bytes > static.bytes
    if use_cma and static.bytes is None:
        use_cma = False
        cma_reason = ("the static part needs the kernel and initrd sizes ("
                      + ", ".join(static.missing) + "), so everything stays static")
    elif use_cma and not split:
        use_cma = False
        cma_reason = "the static block alone already covers the total need: no CMA needed"
    candidates: list[tuple[Any, str]] = []
    floor = static.bytes or 0
    all_static = align_up(max(total.bytes, floor), max(align, MiB))
    if split:
        size = align_up(static.bytes, max(align, MiB))
        cma = align_up(total.bytes - size, MiB) if total.bytes > size else 0
        if cma:
            candidates.append((Plan(size=size, cma=cma), "static + CMA"))
            if arch.high_low:
                candidates.append((Plan(size=size, mode="high", cma=cma), "static,high + CMA"))
        else:
            use_cma, cma_reason = False, "aligned, the static block covers the total need"
    candidates.append((Plan(size=all_static), "all static"))
    if arch.high_low:
        candidates.append((Plan(size=all_static, mode="high"), "all static,high"))
    if inputs.fadump and arch.name == "ppc64le":  # fadump's words carry fadump= too
        from dataclasses import replace

        candidates = [(replace(plan, fadump=inputs.fadump), label) for plan, label in candidates]
    tried: list[Candidate] = []
    chosen: Candidate | None = None
    for plan, label in candidates:
        candidate = check_plan(snapshot, plan, arch, inputs.ram, label, target_of(inputs))
        tried.append(candidate)
        if candidate.ok or candidate.verdict is None and candidate.words:
            chosen = candidate
            break
    placed: bool | None
    if chosen is None:
        chosen = next((c for c in tried if c.words), tried[0])
        placed = False
    else:
        placed = True if chosen.verdict is not None else None
    plan = chosen.plan
    uses = plan.cma > 0
    if static.bytes is not None:
        rationale.append(f"Static need {format_size(static.bytes)}: "
                         + " + ".join(f"{label} {format_size(v)}" for label, v, _ in static.terms)
                         + ".")
    if uses:
        rationale.append(f"Static {format_size(plan.size)} holds what kexec loads and what "
                         f"boots; the remaining {format_size(plan.cma)} comes from CMA, which "
                         f"the running system keeps using until a crash ({cma_reason}).")
    else:
        rationale.append(f"All static ({cma_reason}).")
    if plan.mode == "high":
        rationale.append("The plain size did not fit this map without errors; ,high places the "
                         "block above the low window and adds the default low block.")
    if machine_default is not None and machine_default.bytes:
        mine = f"{format_size(plan.size)} static" + (
            f" + {format_size(plan.cma)} CMA" if plan.cma else "")
        rationale.append(f"This distribution's default ({machine_default.title}) reserves "
                         f"{format_size(machine_default.bytes)}, all static; this plan takes "
                         f"{mine}.")
    if placed is False:
        errors = [f.message for c in tried if c.verdict for f in c.verdict.errors]
        rationale.append("No candidate fits this map: "
                         + ("; ".join(dict.fromkeys(errors)) or
                            "; ".join(c.error for c in tried if c.error)) + ".")
    outcome = (chosen.verdict.placement.outcome if chosen.verdict is not None
               else chosen.error or "not checked")
    if placed and chosen.verdict is not None:
        rationale.append(chosen.verdict.verdict_line)
    return Suggestion(plan, chosen.words, plan.size, plan.cma, total.bytes, static, total, uses,
                      cma_reason, VMCORE_LOSS if uses else None, tuple(rationale), placed,
                      outcome, chosen.verdict, tuple(tried), ())


# --- fleet -------------------------------------------------------------------------------------


class Fleet(namedtuple("Fleet", "table rows notes")):
    """A ``crashkernel=`` range table for machines of other RAM sizes (all static)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "crashkernel": f"crashkernel={self.table}" if self.table
                else None,
                "rows": [{"ram_from": lo, "ram_to": hi, "bytes": size, "basis": basis}
                         for lo, hi, size, basis in self.rows], "notes": list(self.notes)}


def fleet(inputs: Inputs, need_at: Any) -> Fleet:
    """The all-static size for each RAM bracket of :data:`FLEET_POINTS`, merged into a range
    table and verified with :func:`crashmap.kernel.explain_table`.

    ``need_at(ram)`` returns the total need (:class:`Need`) at that RAM. Each bracket is sized
    at its top (the kernel matches RAM rounded up to 128 MiB, so the top is the worst case).
    """
    from crashmap.kernel.ranges import explain_table

    arch = get_arch(inputs.arch)
    align = max(arch.crash_align, MiB)
    notes: list[str] = []
    rows: list[list[Any]] = []
    points = FLEET_POINTS
    for i, lo in enumerate(points):
        hi = points[i + 1] if i + 1 < len(points) else None
        need = need_at(hi if hi is not None else lo)
        if need.bytes is None:
            from crashmap.estimate.models import NEEDS

            return Fleet(None, (), ("no fleet table without a model estimate: needs "
                                    + "; ".join(NEEDS.get(m, m) for m in need.missing),))
        size = align_up(need.bytes, align)
        if size > lo - ROUNDING:  # must stay below every RAM of the bracket (§2.5, §2.7)
            notes.append(f"no {format_size(size)} reservation for machines below "
                         f"{format_size(hi or lo)}: the kernel rejects a size not below RAM")
            continue
        if rows and rows[-1][2] == size:
            rows[-1][1] = hi
            continue
        rows.append([lo, hi, size, need.basis])
    if not rows:
        return Fleet(None, (), tuple(notes) or ("no bracket can hold the need",))
    parts = [f"{canonical_size(lo)}-{canonical_size(hi) if hi else ''}:{canonical_size(size)}"
             for lo, hi, size, _ in rows]
    table = ",".join(parts)
    explained = explain_table(table)
    for lo, hi, size, _ in rows:
        probes = [lo - ROUNDING + 1] + ([hi - ROUNDING] if hi else [])
        for ram in probes:
            got = explained.size_at(max(ram, 0))
            if got != size:  # a bug here, not bad input: say so instead of a wrong table
                return Fleet(None, (), (f"internal check failed: {table} gives {got} B at RAM "
                                        f"{ram}, not {size} B",))
    notes.append(f"each bracket is sized at its top RAM; the open bracket at "
                 f"{format_size(points[-1])}")
    notes.append("all static: crashkernel=…,cma takes a single size, never a range table "
                 "(kernel/crash_reserve.c parse_crashkernel_suffix())")
    if rows[0][0] > 0:
        notes.append(f"machines whose RAM rounds up below {format_size(rows[0][0])} reserve "
                     f"nothing")
    return Fleet(table, tuple(tuple(r) for r in rows), tuple(notes))
