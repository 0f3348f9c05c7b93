"""What-if: recompute everything for another RAM size, arch, page size, capture-kernel CPU count,
LUKS target or network dump target.

Documented directions (the tests hold the models to them):

- more RAM: range tables never shrink; SUSE grows (bitmap, 96 B per 128 MiB); Debian's boot
  meminfo no longer applies (it was measured at the machine's RAM);
- more capture-kernel CPUs: SUSE grows (per-CPU cost), Fedora ppc64le grows (+1M per CPU),
  Debian grows (less surplus subtracted);
- 64K pages on arm64: Fedora adds 100 MiB (and 384/200 MiB for SMMU/mlx5 instead of 150);
- a LUKS target: kdumpctl adds keyslot memory + 20 MiB (50 on arm64), SUSE adds the keyslot
  memory;
- a network target: SUSE adds USER_NET, INIT_NET and INIT_CACHED_NET;
- fadump=on|nocma on ppc64le: Fedora/RHEL's default becomes kdump-utils' fadump table.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.arch import normalize_arch
from crashmap.errors import CrashmapError
from crashmap.units import KiB, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs

PAGE_SIZES = {
    "x86_64": (4 * KiB,), "i386": (4 * KiB,), "s390x": (4 * KiB,), "riscv64": (4 * KiB,),
    "arm64": (4 * KiB, 16 * KiB, 64 * KiB), "ppc64le": (4 * KiB, 64 * KiB),
    "loongarch64": (4 * KiB, 16 * KiB, 64 * KiB), "arm": (4 * KiB,), "mips": (4 * KiB, 16 * KiB),
}
"""Base page sizes each arch's kernel can be built with."""

_FIELDS = ("ram", "arch", "page_size", "capture_cpus", "luks", "luks_memory", "network",
           "kernel_release", "fadump", "accept_cma")


class WhatIf(namedtuple("WhatIf", _FIELDS, defaults=(None,) * 9 + (True,))):
    """Changes to apply; None leaves a fact as the machine has it. ``fadump`` is a plan's
    ``on``/``nocma``/``off``. ``accept_cma`` False keeps the suggestion all static."""

    __slots__ = ()

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self._asdict().items()
                if v is not None and not (k == "accept_cma" and v)}


def apply(inputs: Inputs, whatif: WhatIf | None) -> Inputs:
    """``inputs`` with the what-if changes; raises :class:`CrashmapError` for impossible ones."""
    if whatif is None:
        return inputs
    out = inputs
    note = "what-if"
    if whatif.arch is not None:
        arch = normalize_arch(whatif.arch)
        if arch != out.arch:
            previous = out.arch
            out = out.given(arch=arch, _note=note)
            out = out._replace(page_size=None, smmu=None,
                               sme_sev=out.sme_sev if arch == "x86_64" else None,
                               dump_mode=out.dump_mode if arch == "ppc64le" else None,
                               fadump=out.fadump if arch == "ppc64le" else None)
            sources = dict(out.sources or {})
            for field in ("kernel_image", "kernel_file", "initrd", "modules"):
                if getattr(out, field) is not None:
                    sources[field] = f"{sources.get(field, 'given')} (measured on {previous})"
            out = out._replace(sources=sources)
    if whatif.page_size is not None:
        allowed = PAGE_SIZES.get(out.arch, (4 * KiB,))
        if whatif.page_size not in allowed:
            sizes = ", ".join(format_size(p) for p in allowed)
            raise CrashmapError(f"{out.arch} kernels use {sizes} pages, not "
                                f"{format_size(whatif.page_size)}")
        out = out.given(page_size=whatif.page_size, _note=note)
    if whatif.ram is not None:
        if whatif.ram <= 0:
            raise CrashmapError("RAM must be positive")
        if whatif.ram != out.ram:
            meminfo = out.boot_meminfo
            out = out.given(ram=whatif.ram, _note=note)._replace(ram_end=None)
            sources = dict(out.sources or {})
            sources.pop("ram_end", None)
            if meminfo is not None:
                measured = meminfo.get("MemTotal", 0) * KiB
                sources["boot_meminfo"] = (f"measured on this machine (MemTotal "
                                           f"{format_size(measured)}); not valid for RAM "
                                           f"{format_size(whatif.ram)}")
                out = out._replace(boot_meminfo=None)
            out = out._replace(sources=sources)
    if whatif.capture_cpus is not None:
        if whatif.capture_cpus < 1:
            raise CrashmapError("the capture kernel needs at least 1 CPU")
        out = out.given(capture_cpus=whatif.capture_cpus, _note=note)
    if whatif.luks_memory is not None:
        if whatif.luks_memory < 0:
            raise CrashmapError("LUKS keyslot memory cannot be negative")
        out = out.given(luks=True, luks_memory=whatif.luks_memory, _note=note)
    elif whatif.luks is not None:
        out = out.given(luks=whatif.luks, _note=note)
        if not whatif.luks:
            out = out._replace(luks_memory=None)
    if whatif.network is not None:
        out = out.given(network=whatif.network, _note=note)
    if whatif.kernel_release is not None:
        out = out.given(kernel_release=whatif.kernel_release, _note=note)
    if whatif.fadump is not None:
        out = _with_fadump(out, whatif.fadump)
    return out


def _with_fadump(inputs: Inputs, value: str) -> Inputs:
    """The dump mode a plan's ``fadump=value`` gives (kdumpctl ``get_dump_mode_by_fadump_val``);
    fadump on an arch without it is refused with YaST's words."""
    from crashmap.kernel import fadump

    try:
        mode = fadump.dump_mode(value)
    except ValueError as error:
        raise CrashmapError(str(error)) from None
    if mode == "fadump" and not fadump.supported(inputs.arch):
        raise CrashmapError(fadump.refusal(inputs.arch))
    if not fadump.supported(inputs.arch):
        return inputs
    return inputs.given(dump_mode=mode, fadump=value if mode == "fadump" else None,
                        _note=f"fadump={value or 'off'} in the plan")
