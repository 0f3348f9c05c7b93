"""The overall picture: nothing asked, a rejected command line, an arch or kernel not modelled."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

SUGGESTED = {"powerpc": "512M", "s390": "256M"}


def check(s: Subject) -> Iterator[Finding]:
    p, req, arch = s.placement, s.request, s.arch
    if p.outcome == "nothing requested":
        from crashmap.checks.kernelconf import blocking

        cannot = blocking(s)  # this kernel's build cannot do kdump: no size would help
        fix = (f"Add crashkernel={SUGGESTED.get(arch.family, '256M')} to the kernel command "
               f"line if you want crash dumps." if not cannot else
               "Boot a kernel built for kdump first (see the kernel-config error); a "
               "crashkernel= size alone does not help this one.")
        yield Finding(
            "nothing-requested", "info",
            "No crashkernel= reservation: kdump cannot capture a crash",
            "kdump boots a second (capture) kernel from memory reserved at boot; without a "
            "crashkernel= reservation there is nowhere to load it, and a panic leaves no dump.",
            fix, "kdump")
    if req.asked and not req.static_ok and not any(
            lint.severity == "error" for lint in s.lints):
        yield Finding(
            "cmdline-rejected", "error",
            f"The kernel rejects the crashkernel= words: {req.parse_error or 'invalid'}",
            "parse_crashkernel() must return 0 for anything to be reserved; on any error the "
            "kernel silently reserves nothing and boots without kdump.",
            "Fix the word (see `crashmap cmdline` for how the kernel reads each one).", "syntax")
    if arch.placement == "none":
        fixed = p.main is not None
        yield Finding(
            "arch-not-modelled", "info",
            f"{arch.name}: crashmap does not model this arch's placement"
            + ("; a fixed base is reserved exactly where asked when free" if fixed else ""),
            f"{arch.name} has its own reservation code (not the generic one of kernel/"
            f"crash_reserve.c), which crashmap does not simulate; only a fixed @offset is "
            f"predictable.",
            "Use crashkernel=SIZE@OFFSET for a predictable place, and check dmesg after boot.",
            "placement", p.main.range if p.main else None)
    yield from kernel_findings(s)


def kernel_findings(s: Subject) -> Iterator[Finding]:
    """Which kernel the prediction is for: assumed, an older placement era, a distro kernel."""
    kernel, era, arch = s.ctx.kernel, s.ctx.era, s.arch
    if kernel is None:
        return
    main = s.placement.main
    if kernel.assumed:
        from crashmap.kernel.versions import differences

        yield Finding(
            "kernel-assumed", "info",
            f"Predicting for {kernel.describe()}",
            "The source does not say which kernel it runs, so crashmap assumes the newest one "
            "it models. Where an older kernel would answer differently: "
            + "; ".join(differences(arch, kernel)) + ".",
            "Give --kernel VERSION (the kernel that will boot next) to predict for it.",
            "kdump")
    if era is not None and not era.modelled:
        rules = "; ".join(rule.cite() for rule in era.rules)
        yield Finding(
            "placement-not-modelled", "warning",
            f"Placement not modelled for {kernel.name}: {era.note}",
            f"Where {era.label} puts an automatic crashkernel= block is not known to crashmap "
            f"(the rules it models start at {rules}); a fixed @offset is still predicted.",
            "Give --kernel with the version that will boot if it is newer, or use "
            "crashkernel=SIZE@OFFSET and check dmesg after boot.", "placement",
            main.range if main else None)
    elif era is not None and era.legacy:
        rules = "; ".join(rule.cite() for rule in era.rules)
        yield Finding(
            "kernel-placement-era", "info",
            f"{kernel.name} places the block with the {era.label}",
            f"Before the generic code of Linux 6.7 each arch had its own search: {era.note}. "
            f"Those rules changed with {rules}.",
            "", "placement", main.range if main else None)
    if kernel.distro is not None:
        yield Finding(
            "kernel-distro", "info",
            f"{kernel.name} is a distribution kernel: crashmap applies the upstream "
            f"{kernel.major_minor[0]}.{kernel.major_minor[1]} rules"
            + (" and RHEL 8's crashkernel=auto table" if kernel.el == 8 else ""),
            "Distribution kernels carry backported changes, so one may reserve as a newer "
            "upstream kernel does; the prediction can be off where those rules changed.",
            "Check dmesg ('crashkernel reserved' or 'Reserving ... for crashkernel') after "
            "the next boot.", "kdump")


LINT_COVERED = frozenset({"cma-unsupported-arch", "offset-misaligned", "no-crashkernel",
                          "size-large"})
"""Linter codes a check here reports with an address range and a fix; the lint is dropped."""


def lint_findings(lints: Any) -> list[Finding]:
    """The grammar linter's findings as check findings (chapter ``syntax``)."""
    out = []
    for lint in lints or ():
        if lint.code in LINT_COVERED:
            continue
        out.append(Finding(
            f"cmdline-{lint.code}", lint.severity, lint.message, f"{lint.reason}.",
            "Edit the crashkernel= words (`crashmap cmdline` explains each word).", "syntax"))
    return out

