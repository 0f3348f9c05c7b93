"""What the kernel's build and the kdump service allow: no reservation, no loader, no CMA."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject


def blocking(s: Subject) -> list[Finding]:
    """The error findings that make kdump impossible on this kernel whatever the plan says."""
    return [f for f in check(s) if f.severity == "error" and f.code in BLOCKING]


BLOCKING = frozenset({"kernel-config-reserve", "kernel-config-load", "kernel-config-crash-dump"})


def check(s: Subject) -> Iterator[Finding]:
    facts, kernel, req = s.ctx.facts, s.ctx.kernel, s.request
    config = None
    if facts.kernel_config:  # most snapshots have none: no need to load the parser
        from crashmap.kernel.config import capabilities, parse_config

        config = parse_config(facts.kernel_config, facts.kernel_config_source or "")
    wants_cma = bool(req.cma_size or req.cma_ignored)
    if config is not None:
        running = facts.version  # (major, minor) of the snapshot's kernel: the config's
        if kernel is not None and kernel.source == "given" and running is not None \
                and kernel.major_minor != running:
            yield Finding(
                "kernel-config-other-kernel", "info",
                f"The snapshot's kernel config is Linux {running[0]}.{running[1]}'s, not "
                f"{kernel.name}'s: not checked",
                "What a kernel can do (reserve crash memory, load a capture kernel, CMA) is "
                "decided when it is built; the config in the snapshot belongs to the running "
                "kernel.",
                "Check the target kernel's config (/boot/config-VERSION) for CONFIG_CRASH_DUMP, "
                "CONFIG_KEXEC_FILE and CONFIG_CMA.", "kdump")
        else:
            yield from _config_findings(s, capabilities(config, kernel), config.source, wants_cma)
    if facts.kexec_loader == "kexec_load" and req.reserves_cma:
        yield Finding(
            "cma-kexec-load", "warning",
            "The kdump service loads the capture kernel with kexec_load: the CMA memory is "
            "never given to it",
            f"Only kexec_file_load hands the crashkernel CMA areas to the capture kernel "
            f"(kernel/kexec_file.c fills kbuf->cma); kexec-tools builds kexec_load's tables "
            f"itself and has no crash-CMA support. Seen in {facts.kexec_loader_source}.",
            "Add -s to the kexec arguments (KEXEC_ARGS in /etc/sysconfig/kdump), or put the "
            "CMA size into the static block.", "cma")


def _config_findings(s: Subject, caps: list, source: str, wants_cma: bool) -> Iterator[Finding]:
    where = f" ({source})" if source else ""
    for cap in caps:
        if cap.ok is not False:
            continue
        if cap.code in ("reserve", "load", "crash-dump"):
            yield Finding(
                f"kernel-config-{cap.code}", "error", cap.message + where,
                f"The kernel's build decides whether kdump can work at all: {cap.why}. No "
                f"crashkernel= value changes that.",
                "Boot a kernel built with CONFIG_CRASH_DUMP, CONFIG_KEXEC_FILE (or "
                "CONFIG_KEXEC) and, for ,cma, CONFIG_CMA (most distribution kernels are).",
                "kdump")
        elif cap.code == "cma" and wants_cma:
            yield Finding(
                "kernel-config-cma", "error", cap.message + where,
                f"{cap.why}; without it the CMA part is never reserved.",
                "Put the CMA size into the static block, or boot a kernel with CONFIG_CMA.",
                "cma")
        elif cap.code == "kexec-file" and s.request.reserves_cma:
            yield Finding(
                "kernel-config-kexec-file", "warning", cap.message + where,
                f"{cap.why}.", "Put the CMA size into the static block.", "cma")
