"""fadump= on the command line: refused off ppc64le, and on ppc64le what it preserves."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.units import format_size


def check(s: Subject) -> Iterator[Finding]:
    if not s.cmdline or "fadump=" not in s.cmdline:
        return
    from crashmap.kernel import fadump

    mode = fadump.fadump_mode(s.cmdline)
    if mode == "off":
        return
    if not fadump.supported(s.arch):
        yield Finding(
            "fadump-unsupported", "error", fadump.refusal(s.arch),
            "Firmware-assisted dump is an IBM Power (ppc64) firmware feature; other kernels do "
            "not know fadump= and pass it to init.", "Remove fadump= and plan a kdump "
            "reservation.", "kdump")
        return
    ram = s.ctx.total_ram
    grammar = s.grammar
    crash = grammar.crash_size if grammar is not None and grammar.ok else None
    size, how = fadump.boot_memory_size(crash, ram) if ram else (0, "")
    preserved = f": {format_size(size)} of boot memory is preserved ({how})" if ram else ""
    area = next((b for b in s.placement.blocks if b.kind == "fadump"), None)
    if area is None and s.placement.request.fadump:
        why = next((line for line in s.placement.kernel_log if line.startswith("fadump:")),
                   "fadump: no area")
        yield Finding(
            "fadump-fallback", "warning",
            f"fadump={mode} will not be enabled ({why.removeprefix('fadump: ')}): the kernel "
            "falls back to a kdump crashkernel= block",
            "early_init_devtree() (arch/powerpc/kernel/prom.c) reserves the kdump block only "
            "when fadump_reserve_mem() fails; the pSeries boot memory must be at least "
            "RTAS_FADUMP_MIN_BOOT_MEM (320 MiB) and the area must fit above it.",
            "Give crashkernel= at least 320M, or drop fadump= for kdump.", "kdump")
        return
    if area is not None and s.placement.request.cma_size:
        yield Finding(
            "fadump-cma-ignored", "warning",
            f"The ,cma part ({format_size(s.placement.request.cma_size)}) is never reserved "
            f"with fadump={mode}",
            "Only arch_reserve_crashkernel() (arch/powerpc/kexec/core.c) reads ,cma for "
            "kdump_cma_reserve(), and early_init_devtree() (arch/powerpc/kernel/prom.c) does "
            "not call it once fadump_reserve_mem() has reserved.",
            "Drop the ,cma word; with fadump=on fadump lends its own area to CMA.", "cma")
    where = (f"; its area is {format_size(area.size)} at {area.start:#x} (not in /proc/iomem; "
             "/sys/kernel/fadump/mem_reserved)") if area is not None else ""
    yield Finding(
        "fadump", "info", f"fadump={mode}: the firmware saves the dump{preserved}{where}",
        "With fadump the firmware copies the boot memory aside at a crash and the same kernel "
        "boots again to save it; crashkernel= sizes that boot memory, capped at RAM/4 "
        "(arch/powerpc/kernel/fadump.c fadump_calculate_reserve_size). fadump_reserve_mem() "
        "places the copy's area bottom-up above the boot memory, and early_init_devtree() then "
        "skips the kdump block (arch/powerpc/kernel/prom.c).",
        "", "kdump", area.range if area is not None else None)
