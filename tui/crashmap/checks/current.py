"""Configured (/proc/cmdline), reserved now (iomem, kexec_crash_size, CMA) and predicted."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import size, span
from crashmap.memmap import Range, merge
from crashmap.placement import (
    Placement,
    PlacementContext,
    Request,
    infer_current,
    request_from_grammar,
    simulate,
)
from crashmap.placement.adapter import parse_for


def configured_cmdline(ctx: PlacementContext) -> str | None:
    """The command line the snapshot was booted with; without one, the plan inferred from the
    reservation the map shows (:func:`crashmap.placement.infer_current`), or None."""
    if ctx.facts.cmdline is not None:
        return ctx.facts.cmdline
    inferred = infer_current(ctx)
    return inferred.cmdline if inferred is not None else None


def configured_placement(s: Subject) -> Placement | None:
    """The prediction for the command line the snapshot was booted with (cached per map)."""
    ctx, cmdline = s.ctx, configured_cmdline(s.ctx)
    if cmdline is None:
        return None
    if s.cmdline == cmdline:
        return s.placement
    if not isinstance(ctx.configured, Placement):
        try:
            request = request_from_grammar(parse_for(cmdline, ctx.total_ram, ctx.arch,
                                                             ctx.kernel), cmdline)
        except Exception:  # an unreadable command line in a snapshot must not stop the checks
            request = Request(asked=False, static_ok=False)
        ctx.configured = simulate(ctx, request)
    return ctx.configured


def check(s: Subject) -> Iterator[Finding]:
    ctx, p = s.ctx, s.placement
    facts = ctx.facts
    if facts.hidden:
        return
    reserved = merge(facts.crash_ranges)
    now = sum(r.size for r in reserved)
    configured = configured_placement(s)
    same = s.cmdline is not None and s.cmdline == configured_cmdline(ctx)
    if facts.kexec_crash_size is not None and reserved and facts.kexec_crash_size != now:
        yield Finding(
            "current-shrunk", "warning",
            f"/sys/kernel/kexec_crash_size says {size(facts.kexec_crash_size)} but the Crash "
            f"kernel lines add up to {size(now)}",
            "Writing a smaller number to kexec_crash_size gives the top of the reservation "
            "back at run time; both should agree when read at the same moment.",
            "Take a fresh snapshot; if it was shrunk, put the smaller size on the command line "
            "so the next boot reserves only that.", "kdump", reserved[0])
    if not reserved:
        yield from _nothing_reserved(s, configured)
        return
    span_now = Range(reserved[0].start, reserved[-1].end)
    now_text = ", ".join(f"{size(r.size)} at {span(r)}" for r in reserved)
    if configured is not None and configured.request.asked:
        expected = configured.static_total or configured.static.requested
        if expected != now:
            yield Finding(
                "current-size-mismatch", "warning",
                f"The snapshot's cmdline asks for {size(expected)} but {size(now)} is reserved "
                f"({now_text}): the machine was booted with another command line, by a kernel "
                f"with other rules" + (", or the reservation was shrunk" if now < expected
                                       else ""),
                "The kernel reserves exactly what the command line it booted with asks for "
                "(plus a low part when it falls back high); a different size means that command "
                "line differed from /proc/cmdline now, older rules applied, or kexec_crash_size "
                "was written.",
                "Check the boot loader entry the machine really booted (grubby --info, "
                "/proc/cmdline after reboot).", "kdump", span_now)
        elif same:
            yield _compare(p, reserved, now_text, _rules(s))
    elif configured is not None:
        yield Finding(
            "current-unexplained", "warning",
            f"{size(now)} is reserved ({now_text}) but the snapshot's command line has no "
            f"crashkernel= this arch reads",
            "A reservation comes only from the crashkernel= words the kernel booted with; this "
            "one must come from another command line.",
            "Compare /proc/cmdline with the boot loader configuration.", "kdump", span_now)
    if not same:
        planned = ", ".join(f"{size(b.size)} at {span(b.range)}" for b in p.static.blocks)
        yield Finding(
            "plan-changes", "info",
            f"Now and with this plan: {now_text}" if planned == now_text else
            f"Now: {now_text}; this plan: {planned or 'nothing static'}",
            "The reservation moves or changes size only at the next boot with the new command "
            "line; until then the current one stays.",
            "", "kdump", p.main.range if p.main else span_now)
    yield from _cma_now(s, configured if same else None)


def _compare(p: Placement, reserved: list[Range], now_text: str, rules: str) -> Finding:
    predicted = merge(b.range for b in p.static.blocks)
    if predicted == reserved:
        return Finding(
            "current-matches", "info",
            f"The prediction matches the current reservation ({now_text})",
            "Same command line, same map: the kernel's top-down search lands where it did "
            "on this boot.", "", "kdump", reserved[0])
    inside = p.window is not None and all(
        p.window.start <= r.start and r.end <= p.window.end for r in reserved)
    reason = ("inside the predicted window: reservations the snapshot cannot see (initrd, "
              "firmware) pushed it lower" if inside else
              "outside the prediction: this snapshot's kernel placed it by older rules, or "
              "something the map does not show was in the way")
    return Finding(
        "current-elsewhere", "info",
        f"Reserved now: {now_text}; predicted: "
        f"{', '.join(span(r) for r in predicted) or 'nothing'}: {reason}",
        f"The prediction follows {rules} on the memory this snapshot shows as free; "
        "other kernels used other windows (x86 before 5.2 stopped at 896 MiB) and memblock "
        "held more at boot than /proc/iomem shows afterwards.",
        "Nothing to do if the current place works; a boot log with the RAMDISK line makes "
        "the prediction exact.", "kdump", reserved[0])


def _rules(s: Subject) -> str:
    """``Linux 7.3.4 (from the snapshot)``: the kernel whose rules the prediction follows."""
    kernel = s.ctx.kernel
    return kernel.describe() if kernel is not None else "the newest kernel crashmap models"


def _nothing_reserved(s: Subject, configured: Placement | None) -> Iterator[Finding]:
    ctx = s.ctx
    facts = ctx.facts
    if facts.kexec_crash_size:
        yield Finding(
            "current-not-in-iomem", "info",
            f"{size(facts.kexec_crash_size)} is reserved (kexec_crash_size), but /proc/iomem "
            f"lists no Crash kernel",
            "powerpc never lists its crash kernel in /proc/iomem; kexec_crash_size still "
            "reports it.", "", "kdump")
        return
    shows = ctx.arch.crash_in_iomem != "never"
    if configured is None or not configured.request.static_ok or not configured.request.asked:
        return
    if facts.kexec_crash_size == 0 or (facts.kexec_crash_size is None and shows):
        yield Finding(
            "current-none", "warning",
            f"The snapshot's command line asks for {size(configured.request.crash_size)} "
            f"but nothing is reserved now",
            "Either the reservation failed at boot ('cannot allocate crashkernel' or 'memory "
            "is in use' in dmesg), the kernel was built without CONFIG_CRASH_RESERVE, or this "
            "map is an excerpt without the Crash kernel line.",
            "Look for crashkernel lines in dmesg; compare with the prediction here.", "kdump")


def _cma_now(s: Subject, configured: Placement | None) -> Iterator[Finding]:
    now = s.ctx.facts.cma_ranges
    if configured is None or not (now or configured.cma.areas):
        return
    predicted = tuple(a.range for a in configured.cma.areas)
    if tuple(sorted(now)) != tuple(sorted(predicted)):
        yield Finding(
            "current-cma-differs", "warning" if bool(now) != bool(predicted) else "info",
            f"CMA now: {', '.join(span(r) for r in now) or 'none'}; predicted: "
            f"{', '.join(span(r) for r in predicted) or 'none'}",
            "/sys/kernel/kexec_crash_cma_ranges lists the areas this boot reserved; they do "
            "not appear in /proc/iomem, so the snapshot counts them as free RAM.",
            "", "cma", now[0] if now else None)
