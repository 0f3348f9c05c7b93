"""Whether Fedora/RHEL's installer would accept the plan's size (Anaconda's kdump add-on)."""

from __future__ import annotations

from collections.abc import Iterator

from crashmap.checks.finding import Finding, Subject
from crashmap.checks.text import size
from crashmap.peers.anaconda import memory_bounds, rule_text
from crashmap.units import MiB


def check(s: Subject) -> Iterator[Finding]:
    req, facts = s.request, s.ctx.facts
    if not req.asked or not req.static_ok:
        return
    wanted = req.crash_size  # the crashkernel= size the spoke takes (not the kernel's low part)
    mem_total = facts.mem_total or s.ctx.total_ram
    bounds = memory_bounds(s.arch.name, mem_total or 0, facts.kexec_crash_size or 0)
    if bounds is None or not wanted or bounds.accepts(wanted):
        return
    where = "com_redhat_kdump/common.py getMemoryBounds of kdump-anaconda-addon"
    if not bounds.offered:
        message = (f"Anaconda's kdump add-on offers no kdump on this machine: "
                   f"{size(mem_total)} is too little on {bounds.arch}")
    elif wanted % MiB:
        message = (f"Anaconda's kdump add-on takes whole MiB only; {size(wanted)} is not "
                   f"(it allows {bounds.lower}-{bounds.upper} MiB here)")
    else:
        side = "below its minimum" if wanted // MiB < bounds.lower else "above its maximum"
        message = (f"Anaconda's kdump add-on would not accept {wanted // MiB} MiB here, "
                   f"{side}: it allows {bounds.lower}-{bounds.upper} MiB on {bounds.arch}")
    if not facts.mem_total:
        message += " (from System RAM: the source has no MemTotal, which is smaller)"
    yield Finding(
        "installer-bounds", "info", message,
        f"The Fedora/RHEL installer bounds the reservation by arch ({where}): {rule_text()}. "
        "The kernel itself has no such bounds.",
        "Nothing to do unless the plan goes through the installer's kdump screen; a kickstart "
        "%post with grubby takes any size.", "sizing")
