"""The overall picture: nothing asked, a rejected command line, an arch or kernel not modelled."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.placement.facts import version_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

MODELLED_SINCE = {"x86": (5, 2), "arm64": (5, 19), "riscv": (6, 7), "loongarch": (6, 7)}
"""Kernels older than these place the block by rules this simulator does not follow (x86 before
5.2: automatic placement below 896 MiB; arm64 before 5.19: no high/low scheme and, in 5.1, a
search limit one byte short of the DMA limit)."""

SUGGESTED = {"powerpc": "512M", "s390": "256M"}


def check(s: Subject) -> Iterator[Finding]:
    p, req, arch = s.placement, s.request, s.arch
    if p.outcome == "nothing requested":
        yield Finding(
            "nothing-requested", "info",
            "No crashkernel= reservation: kdump cannot capture a crash",
            "kdump boots a second (capture) kernel from memory reserved at boot; without a "
            "crashkernel= reservation there is nowhere to load it, and a panic leaves no dump.",
            f"Add crashkernel={SUGGESTED.get(arch.family, '256M')} to the kernel command line "
            f"if you want crash dumps.", "kdump")
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
            f"{arch.name} has its own reservation code (not the generic one of Linux 6.17), "
            f"which crashmap does not simulate; only a fixed @offset is predictable.",
            "Use crashkernel=SIZE@OFFSET for a predictable place, and check dmesg after boot.",
            "placement", p.main.range if p.main else None)
    yield from _legacy(s)


def _legacy(s: Subject) -> Iterator[Finding]:
    version = s.ctx.facts.version
    since = MODELLED_SINCE.get(s.arch.family)
    if version is None or since is None or version >= since:
        return
    crash = s.ctx.facts.crash_ranges
    yield Finding(
        "legacy-kernel", "info",
        f"This snapshot's kernel {version_text(version)} places the crash kernel by older "
        f"rules than the Linux 6.17 ones simulated here",
        "x86 kernels before 5.2 searched only below 896 MiB for crashkernel=X; arm64 gained "
        "the high/low scheme in 5.19 and older ones searched up to one byte short of the DMA "
        "limit. The current Crash kernel line may therefore sit elsewhere than predicted.",
        "Read the prediction as what a current kernel does on this memory.", "kdump",
        crash[0] if crash else None)


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

