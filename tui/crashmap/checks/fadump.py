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
    yield Finding(
        "fadump", "info", f"fadump={mode}: the firmware saves the dump{preserved}",
        "With fadump the firmware copies the boot memory aside at a crash and the same kernel "
        "boots again to save it; crashkernel= sizes that boot memory, capped at RAM/4 "
        "(arch/powerpc/kernel/fadump.c fadump_calculate_reserve_size). The kdump block shown "
        "is reserved only if fadump cannot reserve its area.",
        "", "kdump")
