"""What ``crashkernel=`` does depends on the kernel version: the rules, each with its commit.

:func:`arch_for` turns the newest-kernel :class:`~crashmap.arch.Arch` into the one a given
:class:`~crashmap.kernel.target.TargetKernel` behaves as (does it read ``,cma``, ``,high``);
:func:`placement_era` says which reservation code places the static block; :func:`differences`
lists where an assumed version matters. Every rule names the commit that introduced it
(torvalds/linux unless said otherwise); the hashes were checked against the pull requests and
revision lists that carry them.
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.arch import Arch, get_arch
from crashmap.kernel.target import TargetKernel, assumed_kernel

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


class Rule(namedtuple("Rule", "key since commit file subject")):
    """One version-keyed behaviour: in force from ``since`` (major, minor) on.

    ``commit`` is the abbreviated hash of the commit that introduced it, ``file`` the kernel
    file it changed, ``subject`` the commit's subject line.
    """

    __slots__ = ()

    @property
    def since_text(self) -> str:
        return f"{self.since[0]}.{self.since[1]}"

    def cite(self) -> str:
        """``kernel/crash_reserve.c, commit 35c18f2933c5 ("...")``."""
        return f'{self.file}, commit {self.commit} ("{self.subject}")'


CMA_SUFFIX = Rule(
    "cma-suffix", (6, 17), "35c18f2933c5", "kernel/crash_reserve.c",
    'Add a new optional ",cma" suffix to the crashkernel= command line option')
"""``get_last_crashkernel()`` skips words ending in ``,cma`` when it looks for a plain word
(``suffix_tbl[SUFFIX_CMA]``) on every arch. Before it, ``crashkernel=64M,cma`` *is* a plain
word, rejected at the ``,`` ("unrecognized char"), and as the last plain word it overrides an
earlier valid ``crashkernel=256M``: nothing is reserved."""

CMA_READ: dict[str, Rule] = {
    "x86": Rule("cma-x86", (6, 17), "bf8be1c36108", "arch/x86/kernel/setup.c",
                "x86: implement crashkernel cma reservation"),
    "powerpc": Rule("cma-powerpc", (6, 19), "b4a96ab50f36", "arch/powerpc/kexec/core.c",
                    "powerpc/kdump: Add support for crashkernel CMA reservation"),
    "arm64": Rule("cma-arm64", (7, 3), "c12c63d05dfe", "arch/arm64/mm/init.c",
                  "arm64: kexec_file: Add support for crashkernel CMA reservation"),
    "riscv": Rule("cma-riscv", (7, 3), "a037fe3c58ed", "arch/riscv/mm/init.c",
                  "riscv: kexec_file: Add support for crashkernel CMA reservation"),
}
"""The arch caller passes a non-NULL ``cma_size`` to ``parse_crashkernel()`` and calls
``reserve_crashkernel_cma()`` from this version on (x86_64 6.17; powerpc 6.19, merged with
the powerpc-6.19-1 pull; arm64 and riscv 7.3, through kexec-v7.3-rc1). Other arches pass NULL."""

GENERIC = Rule("generic", (6, 7), "0ab97169aa05", "kernel/crash_core.c",
               "crash_core: add generic function to do reservation")
"""``reserve_crashkernel_generic()`` and the one ``parse_crashkernel()`` that reads
``,high``/``,low`` (70916e9c8d9f); x86 (9c08a2a139fe), arm64 (fdc268232dbb) and riscv
(39365395046f) switched to it in the same 6.7 series."""

X86_LOW_4G = Rule("x86-low-4g", (5, 2), "9ca5c8e632ce", "arch/x86/kernel/setup.c",
                  "x86/kdump: Have crashkernel=X reserve under 4G by default")
"""CRASH_ADDR_LOW_MAX on x86_64 goes from 896 MiB to 4 GiB; with b9ac3849af41 ("x86/kdump:
Fall back to reserve high crashkernel memory") a plain size that fits nowhere low goes high."""

X86_HIGH_SINCE = (3, 9)
"""x86_64 has read ``crashkernel=X,high``/``,low`` since Linux 3.9 (Yinghai Lu's series; the
search in arch/x86/kernel/setup.c then kept its shape, [16 MiB, 896 MiB) or [16 MiB, MAXMEM),
until 9ca5c8e632ce; the 3.9 commit hash was not pinned down)."""

X86_HIGH_FALLBACK = Rule("x86-high-fallback", (5, 2), "b9ac3849af41", "arch/x86/kernel/setup.c",
                         "x86/kdump: Fall back to reserve high crashkernel memory")

ARM64_REIMPLEMENT = Rule("arm64-reimplement", (5, 19), "944a45abfabc", "arch/arm64/mm/init.c",
                         "arm64: kdump: Reimplement crashkernel=X")
"""arm64 reads ``,high``/``,low``; a plain size searches below the DMA limit only."""

ARM64_FALLBACK = Rule("arm64-fallback", (6, 2), "a9ae89df7377", "arch/arm64/mm/init.c",
                      "arm64: kdump: Support crashkernel=X fall back to reserve region above "
                      "DMA zones")
"""A plain size that fits nowhere below the DMA limit goes anywhere up to the top, with a
128 MiB low block (a149cf00b158, "arm64: kdump: Provide default size when crashkernel=Y,low is
not specified", same 6.2 pull)."""

ARM64_HIGH_SIMPLIFY = Rule("arm64-high", (6, 5), "6c4dcaddbd36", "arch/arm64/mm/init.c",
                           "arm64: kdump: simplify the reservation behaviour of "
                           "crashkernel=,high")
"""``,high`` (and the plain fallback) search only above the DMA limit, and the low block is
added when the main one starts at or above it: the behaviour the generic code kept."""

LOONGARCH_GENERIC = Rule("loongarch-generic", (6, 8), "(pull loongarch-6.8)",
                         "arch/loongarch/kernel/setup.c",
                         "LoongArch: Use generic interface to support crashkernel=X,[high,low]")

ARM64_HIGH_LOW = ARM64_REIMPLEMENT
"""arm64 gained ``,high``/``,low`` with the reimplementation (5.19)."""


def _family(arch: Arch | str) -> Arch:
    return arch if isinstance(arch, Arch) else get_arch(arch)


def knows_cma_suffix(kernel: TargetKernel | None) -> bool:
    """A ``,cma`` word is its own class (not a plain word): 6.17+ on every arch."""
    return kernel is None or kernel.at_least(CMA_SUFFIX.since)


def cma_rule(arch: Arch | str) -> Rule | None:
    """The commit from which this arch reads ``,cma`` (None: it never does)."""
    return CMA_READ.get(_family(arch).family)


def reads_cma(arch: Arch | str, kernel: TargetKernel | None) -> bool:
    """The arch caller passes a ``cma_size`` pointer on this kernel."""
    rule = cma_rule(arch)
    if rule is None or _family(arch).name == "i386":
        return False
    return kernel is None or kernel.at_least(rule.since)


def reads_high_low(arch: Arch | str, kernel: TargetKernel | None) -> bool:
    """The arch caller passes a ``high`` pointer (``,high``/``,low`` are read) on this kernel."""
    spec = _family(arch)
    if not spec.high_low:
        return False
    if kernel is None:
        return True
    if spec.family == "arm64":
        return kernel.at_least(ARM64_HIGH_LOW.since)
    return True


def arch_for(arch: Arch | str, kernel: TargetKernel | None) -> Arch:
    """The :class:`Arch` as ``kernel`` behaves (``cma``, ``cma_since``, ``high_low``).

    ``kernel`` None means the newest kernel modelled: the table in :mod:`crashmap.arch`.
    Remembered per (arch, kernel): one evaluation asks a few times, a fleet thousands.
    """
    if kernel is None:
        return _family(arch)
    key = (arch, kernel)
    found = _ARCH_FOR.get(key)
    if found is None:
        if len(_ARCH_FOR) >= 256:
            _ARCH_FOR.clear()
        found = _ARCH_FOR[key] = _arch_for(_family(arch), kernel)
    return found


_ARCH_FOR: dict[tuple[Any, ...], Arch] = {}


def _arch_for(spec: Arch, kernel: TargetKernel) -> Arch:
    cma = reads_cma(spec, kernel)
    high_low = reads_high_low(spec, kernel)
    if cma == spec.cma and high_low == spec.high_low:
        return spec
    return spec._replace(cma=cma, high_low=high_low)


class Era(namedtuple("Era", "key label rules modelled note")):
    """Which reservation code places the static block on a kernel.

    ``key`` selects the placer (``generic``, ``x86-4g``, ``x86-896m``, ``arm64-6.2``,
    ``arm64-5.19``, ``arch`` for the arch's own code, ``unknown``); ``rules`` are the commits
    that bound the era; ``modelled`` is False when crashmap does not know how that kernel
    places it (the prediction says "not modelled for this kernel").
    """

    __slots__ = ()

    @property
    def legacy(self) -> bool:
        return self.key not in ("generic", "arch")


def placement_era(arch: Arch | str, kernel: TargetKernel | None) -> Era:
    """The placement era of ``kernel`` on ``arch`` (None: the newest, generic)."""
    spec = _family(arch)
    if spec.placement != "generic":
        return Era("arch", f"{spec.family} reservation code", (), True, "")
    if kernel is None:
        return Era("generic", "generic reservation (Linux 6.7+)", (GENERIC,), True, "")
    if spec.family == "x86":
        if kernel.at_least(GENERIC.since):
            return Era("generic", "generic reservation (Linux 6.7+)", (GENERIC,), True, "")
        if kernel.at_least(X86_LOW_4G.since):
            return Era("x86-4g", "x86 reserve_crashkernel() of Linux 5.2-6.6",
                       (X86_LOW_4G, X86_HIGH_FALLBACK, GENERIC), True,
                       "a plain size searches [16 MiB, 4 GiB), then anywhere up to 64 TiB")
        if kernel.at_least(X86_HIGH_SINCE):
            return Era("x86-896m", "x86 reserve_crashkernel() before Linux 5.2",
                       (X86_LOW_4G,), True,
                       "a plain size searches only [16 MiB, 896 MiB); no fallback above it")
        return Era("unknown", "x86 before Linux 3.9", (X86_LOW_4G,), False,
                   "crashmap does not model x86 kernels before 3.9 (before ,high and ,low)")
    if spec.family == "arm64":
        if kernel.at_least(ARM64_HIGH_SIMPLIFY.since):
            return Era("generic", "arm64 reservation of Linux 6.5+ (generic from 6.7)",
                       (ARM64_HIGH_SIMPLIFY, GENERIC), True, "")
        if kernel.at_least(ARM64_FALLBACK.since):
            return Era("arm64-6.2", "arm64 reserve_crashkernel() of Linux 6.2-6.4",
                       (ARM64_FALLBACK, ARM64_HIGH_SIMPLIFY), True,
                       "a plain size falls back to the whole of RAM (it may straddle the DMA "
                       "limit); ,high searches the whole of RAM top-down")
        if kernel.at_least(ARM64_REIMPLEMENT.since):
            return Era("arm64-5.19", "arm64 reserve_crashkernel() of Linux 5.19-6.1",
                       (ARM64_REIMPLEMENT, ARM64_FALLBACK), True,
                       "a plain size searches below the DMA limit only, with no fallback")
        return Era("unknown", "arm64 before Linux 5.19", (ARM64_REIMPLEMENT,), False,
                   "crashmap does not model arm64 kernels before 5.19 (their search limit "
                   "changed several times with the DMA zones)")
    if spec.family == "riscv":
        if kernel.at_least(GENERIC.since):
            return Era("generic", "generic reservation (Linux 6.7+)", (GENERIC,), True, "")
        return Era("unknown", "riscv before Linux 6.7", (GENERIC,), False,
                   "crashmap does not model riscv kernels before the generic code (6.7)")
    if spec.family == "loongarch":
        if kernel.at_least(LOONGARCH_GENERIC.since):
            return Era("generic", "generic reservation (LoongArch 6.8+)", (LOONGARCH_GENERIC,),
                       True, "")
        return Era("unknown", "LoongArch before Linux 6.8", (LOONGARCH_GENERIC,), False,
                   "crashmap does not model LoongArch kernels before the generic code (6.8)")
    return Era("generic", "generic reservation", (GENERIC,), True, "")


def differences(arch: Arch | str, kernel: TargetKernel | None = None) -> Iterator[str]:
    """Where the answer for ``arch`` depends on the version, newest rule first.

    Meant for an assumed kernel: "on kernels before 7.3 arm64 ignores ,cma" tells the user
    what changes if the machine runs something older than assumed.
    """
    spec = _family(arch)
    kernel = kernel or assumed_kernel()
    rule = cma_rule(spec)
    if rule is not None and spec.name != "i386":
        state = "reads" if kernel.at_least(rule.since) else "ignores"
        yield (f"on kernels before {rule.since_text} {spec.name} ignores ,cma "
               f"(this prediction {state} it; {rule.cite()})")
    elif spec.name != "i386":
        yield f"{spec.name} ignores ,cma on every kernel (its caller passes no cma_size)"
    yield (f"on kernels before {CMA_SUFFIX.since_text} a crashkernel=...,cma word is a plain "
           f"word that the kernel rejects, and it can override an earlier valid size "
           f"({CMA_SUFFIX.cite()})")
    era = placement_era(spec, kernel)
    for era_rule in era.rules:
        if era_rule is GENERIC and spec.family not in ("x86", "arm64", "riscv"):
            continue
        yield (f"on kernels before {era_rule.since_text} the {spec.family} placement differs "
               f"({era_rule.cite()})")


def rhel_auto_table(arch: Arch | str, kernel: TargetKernel | None,
                    cmdline: str = "") -> str | None:
    """The range table a RHEL <= 8 kernel substitutes for ``crashkernel=auto`` (None: none).

    Red Hat carried ``crashkernel=auto`` downstream in ``__parse_crashkernel()`` of
    kernel/crash_core.c up to RHEL 8; mainline never had it (RHEL 9 dropped it: its kernels
    answer "memory value expected"). The table below is the RHEL 8 one as posted upstream in
    "kernel/crash_core: Add crashkernel=auto for vmcore creation" (Nov 2021, quoting the RHEL
    8 code); earlier RHEL 8 minors used ``1G-64G:160M,64G-1T:256M,1T-:512M`` on x86_64
    (Red Hat KB 5907911: the table changed between minors).
    """
    if kernel is None or kernel.distro != "rhel" or kernel.el is None or kernel.el != 8:
        return None
    family = _family(arch).family
    if family in ("x86", "s390"):
        return "1G-4G:160M,4G-64G:192M,64G-1T:256M,1T-:512M"
    if family == "arm64":
        return "2G-:448M"
    if family == "powerpc":
        at = cmdline.rfind("fadump=")  # get_last_crashkernel(cmdline, "fadump=", NULL)
        if at != -1 and not cmdline.startswith("off", at + len("fadump=")):
            return ("4G-16G:768M,16G-64G:1G,64G-128G:2G,128G-1T:4G,1T-2T:6G,2T-4T:12G,"
                    "4T-8T:20G,8T-16T:36G,16T-32T:64G,32T-64T:128G,64T-:180G")
        return "2G-4G:384M,4G-16G:512M,16G-64G:1G,64G-128G:2G,128G-:4G"
    return None


def auto_known(kernel: TargetKernel | None) -> bool | None:
    """Does ``kernel`` honour ``crashkernel=auto``? None when crashmap cannot tell (RHEL 7 and
    older compute it differently; Oracle UEK not checked)."""
    if kernel is None or kernel.distro is None:
        return False
    if kernel.distro == "rhel" and kernel.el is not None:
        if kernel.el >= 9:
            return False
        if kernel.el == 8:
            return True
    return None
