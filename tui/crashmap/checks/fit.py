"""Does each static block fit where the kernel looks, and where exactly does it land."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import mib_floor, size, span, word
from crashmap.memmap import Range
from crashmap.placement.static import ARM32_FIXED_ALIGN, S390_ALIGN

TOP_DOWN = ("memblock searches top-down: the kernel takes the highest free slot that is "
            "aligned to CRASH_ALIGN and lies inside the window it searches.")


def check(s: Subject) -> Iterator[Finding]:
    p, req = s.placement, s.request
    if not req.static_ok or req.crash_size <= 0 or p.static.failure == "not-modelled":
        return
    if req.crash_base:
        yield from _fixed_base(s)
    failure = p.static.failure
    if failure == "first-chunk":
        yield _first_chunk(s)
    elif failure in ("no-fit", "retry-forever"):
        yield from _no_fit(s)
    elif failure == "kernel-overlap":
        yield _kernel_overlap(s)
    elif failure == "base-too-low":
        yield Finding(
            "fixed-base-too-low", "error",
            f"s390 refuses the base {req.crash_base:#x}: it must be at least the size "
            f"({size(p.static.requested)})",
            "s390 searches for the crash kernel only above max(size, HSA size), so a fixed base "
            "below the size is rejected with 'crash_base too low'.",
            _fixed_base_fix(s, p.static.requested, S390_ALIGN), "placement")
    if p.main is not None:
        yield _landing(s)


def _fixed_base_fix(s: Subject, length: int, align: int) -> str:
    from crashmap.checks.fixes import fixed_base_fix  # only a plan that fails looks for a fix

    return fixed_base_fix(s, length, align)


def _largest_size(s: Subject, upper: int) -> int | None:
    from crashmap.checks.fixes import largest_size

    return largest_size(s, upper)


def _align_of(s: Subject) -> int:
    placement = s.arch.placement
    if placement == "arm32":
        return ARM32_FIXED_ALIGN
    if placement == "s390":
        return S390_ALIGN
    if placement == "ppc":
        return s.ctx.page_size
    return s.arch.crash_align


def _fixed_base(s: Subject) -> Iterator[Finding]:
    ctx, req, p = s.ctx, s.request, s.placement
    base, length, align = req.crash_base, p.static.requested, _align_of(s)
    target = Range(base, base + length)
    if base % align:
        rounded = s.arch.placement in ("ppc", "s390")
        up = -(-base // align) * align
        yield Finding(
            "fixed-base-misaligned", "warning" if rounded else "error",
            f"The fixed base {base:#x} is not aligned to {size(align)}"
            + (f"; the kernel rounds it up to {up:#x}" if rounded else
               "; the kernel cannot reserve there ('memory is in use')"),
            f"A fixed base (@offset) must be a multiple of the alignment the kernel searches "
            f"with ({size(align)} on {s.arch.name}); memblock finds no aligned slot starting "
            f"exactly at an unaligned address, and there is no fallback.",
            _fixed_base_fix(s, length, align), "placement", target)
    if p.static.failure != "busy":
        return
    if any(k.start < target.end and target.start < k.end for k in ctx.kernel_image):
        yield _kernel_overlap(s)
        return
    yield Finding(
        "fixed-base-busy", "error",
        f"{size(length)} at {span(target)} is not free: {ctx.describe(*target)}",
        "With @offset the kernel tries exactly that range and nothing else; if any byte of it "
        "is not free RAM at boot it prints 'crashkernel reservation failed - memory is in "
        "use.' and reserves nothing.",
        _fixed_base_fix(s, length, align), "placement", target)


def _kernel_overlap(s: Subject) -> Finding:
    p, ctx = s.placement, s.ctx
    base = p.static.base_used or s.request.crash_base
    target = Range(base, base + p.static.requested)
    kernel = next((k for k in ctx.kernel_image if k.start < target.end and target.start < k.end),
                  None)
    where = f" ({span(kernel)})" if kernel else ""
    return Finding(
        "fixed-base-kernel", "error",
        f"The crash kernel range {span(target)} overlaps the running kernel's image{where}",
        "The first kernel's own code and data occupy that memory while it runs, so a fixed "
        "crash kernel base on top of them can never be reserved (powerpc prints 'Crash kernel "
        "can not overlap current kernel').",
        _fixed_base_fix(s, p.static.requested, _align_of(s)), "placement", target)


def _no_fit(s: Subject) -> Iterator[Finding]:
    ctx, p = s.ctx, s.placement
    length = s.request.crash_size
    tried = [a for a in p.static.attempts if a.block == "main"]
    windows = [a.window for a in tried] or [Range(0, ctx.end_of_ram)]
    align = tried[0].align if tried else s.arch.crash_align
    best: Range | None = None
    free_total = 0
    for w in windows:
        fit = ctx.free.largest_fit(w.start, w.end, align)
        free_total += ctx.free.free_in(w.start, w.end)
        if fit is not None and (best is None or fit.size > best.size):
            best = fit
    where = " or ".join(f"in {span(w)}" for w in windows)
    largest = f"{size(best.size)} at {span(best)}" if best else "none"
    if p.static.failure == "retry-forever":
        yield Finding(
            "low-equals-high", "error",
            f"{size(length)} does not fit below LOW_MAX, and LOW_MAX equals HIGH_MAX here: "
            f"the kernel's fallback retries the same window again and again",
            "For a plain size the generic code retries above CRASH_ADDR_LOW_MAX when the low "
            "search fails; with LOW_MAX == HIGH_MAX (no DMA zone, or all RAM below 4 GiB) it "
            "searches the same window forever. Read from the code, not seen on hardware.",
            f"Reduce the size to at most {word(mib_floor(best.size)) if best else '0'}.",
            "placement", best)
        return
    chapter = "fragmentation" if free_total >= length else "placement"
    code = "fragmented" if free_total >= length else "no-fit"
    reason = (f"{size(free_total)} is free there, but in pieces" if free_total >= length
              else f"only {size(free_total)} is free there")
    yield Finding(
        code, "error",
        f"{size(length)} does not fit {where}: the largest free aligned block is {largest}; "
        f"{reason}",
        "The crash kernel needs one contiguous, aligned range: free memory split by the "
        "kernel image, firmware tables or other reservations does not add up. "
        "The kernel prints 'cannot allocate crashkernel' and reserves nothing.",
        _smaller_fix(s, best), chapter, best)


def _first_chunk(s: Subject) -> Finding:
    """s390 ``reserve_crashkernel()`` (arch/s390/kernel/setup.c): ``memblock.memory.regions[0]``
    must hold the whole size, before any search; one cause, one finding."""
    ctx, p = s.ctx, s.placement
    first = ctx.ram[0] if ctx.ram else None
    where = f" ({span(first)}, {size(first.size)})" if first is not None else ""
    best = _largest_size(s, first.size if first is not None else 0)
    fix = (f"Reduce the size to at most {word(best)} (the largest that the first chunk takes "
           "and that passes every check here)." if best else
           "No size the first memory chunk takes passes here: add memory to the first chunk.")
    return Finding(
        "first-chunk-too-small", "error",
        f"{size(p.static.requested)} is larger than the first memory chunk{where}: s390 "
        f"reserves nothing ('first memory chunk must be at least crashkernel size')",
        "On s390 reserve_crashkernel() (arch/s390/kernel/setup.c) first compares the size with "
        "the first memory region memblock knows, and gives up before searching if it is "
        "smaller; memory in later chunks does not count.",
        fix, "placement", first)


def _smaller_fix(s: Subject, best: Range | None) -> str:
    parts = []
    fitting = _largest_size(s, s.request.crash_size - (1 << 20)) if best is not None else None
    if fitting:
        parts.append(f"reduce the size to {word(fitting)} (the largest that fits and passes "
                     "every check here)")
    if s.arch.cma and s.ctx.end_of_ram > 1 << 32:
        parts.append("keep a small static block for the kernel and initrd and move the rest "
                     "into crashkernel=...,cma")
    if not parts:
        return "Reduce the size; this map has no free block large enough."
    text = "; or ".join(parts)
    return text[0].upper() + text[1:] + "."


def _landing(s: Subject) -> Finding:
    ctx, p = s.ctx, s.placement
    main = p.main
    assert main is not None
    below = "below" if main.end <= ctx.low_max else "above"
    if s.arch.placement in ("generic",) and not s.request.crash_base:
        where = (f"{below} CRASH_ADDR_LOW_MAX ({ctx.low_max:#x})" if s.arch.family != "x86"
                 else f"{below} 4 GiB")
    else:
        where = "at its fixed base" if s.request.crash_base else "where the arch puts it"
    msg = f"The {size(main.size)} block lands at {span(main.range)}, {where}"
    if p.confidence == "window" and p.window is not None:
        msg += f"; it may land lower, anywhere in {span(p.window)}"
        return Finding(
            "placement-window", "info", msg,
            f"{TOP_DOWN} /proc/iomem is a picture taken after boot: what memblock held at that "
            f"moment (the initrd, firmware and EFI boot data) is gone from it, so the real slot "
            f"can be lower than this prediction. {_sentence(ctx.confidence_reason)}",
            "Capture the snapshot as root with its boot log (crashmap snapshot) so the RAMDISK "
            "line pins the initrd, or use @offset if you need one exact address.",
            "placement", p.window)
    return Finding(
        "placement", "info", msg,
        f"{TOP_DOWN} " + (f"Prediction basis: {ctx.confidence_reason}." if not
                          s.request.crash_base else "A fixed base leaves no choice."),
        "", "placement", main.range)


def _sentence(text: str) -> str:
    return (text[:1].upper() + text[1:] + ".") if text else ""
