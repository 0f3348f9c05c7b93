"""The boot matrix: plans and layouts, each booted once with its ``crashkernel=`` words.

Every case names what its real boot must show (``shows``), so a case cannot quietly stop
covering the path it is there for: ``low`` (main block below 4 GiB, no low block), ``high+low``,
``high`` (above 4 GiB, no low block), ``fail`` (nothing reserved), ``cma:N`` (N CMA areas),
``cma-short`` (the CMA loop fell short), ``log:TEXT`` (a kernel line containing TEXT).
The expected addresses are never written here: they come from the real boot.
"""

from __future__ import annotations

from collections import namedtuple

from tests.kernel.qemu import Layout

MiB = 1 << 20


class Case(namedtuple("Case", "id layout crashkernel shows")):
    """One boot: ``layout`` plus ``crashkernel`` (the words added to its command line)."""

    __slots__ = ()

    @property
    def cmdline(self) -> str:
        return self.layout.cmdline(self.crashkernel)


def x86(ram: str, machine: str = "q35", params: str = "", pad: int = 0) -> Layout:
    return Layout("x86_64", ram, machine, params, pad)


Q2G = x86("2G")
Q4G = x86("4G")
Q6G = x86("6G")
Q1G = x86("1G")
PC3G = x86("3G", "pc")
PC4G = x86("4G", "pc")
Q2G_PAD64 = x86("2G", pad=64 * MiB)
Q2G_PAD160 = x86("2G", pad=160 * MiB)
Q4G_MEM1G = x86("4G", params="mem=1G")
Q4G_MEM3G = x86("4G", params="mem=3G")
Q6G_MEM5G = x86("6G", params="mem=5G")
Q2G_HOLE = x86("2G", params="memmap=512M$0x60000000")
Q6G_HOLE = x86("6G", params="memmap=64M$0x140000000")
EXACTMAP = x86("2560M", params="memmap=exactmap memmap=636K@4K memmap=1023M@1M "
                              "memmap=1000M@1100M")
EDGE_IOMEM = x86("2560M", params="memmap=exactmap memmap=0x9fc00@0 memmap=0x7ff61800@1M")
B2049 = x86("2049M")
Q4G_CMA = x86("4G", params="cma=1G")
Q4G_SWIOTLB = x86("4G", params="swiotlb=262144")
BRACKETS = "crashkernel=1G-2176M:128M,2176M-:192M"

X86: tuple[Case, ...] = (
    # the grammar's plain and range forms
    Case("plain-256M", Q2G, "crashkernel=256M", "low"),
    Case("plain-hex", Q2G, "crashkernel=0x6000000", "low"),
    Case("plain-last-wins", Q2G, "crashkernel=64M crashkernel=160M", "low"),
    Case("plain-1G-small-ram", Q1G, "crashkernel=512M", "low"),
    Case("plain-4G-q35", Q4G, "crashkernel=512M", "low"),
    Case("plain-pc-3G", PC3G, "crashkernel=384M", "low"),
    Case("plain-pc-4G", PC4G, "crashkernel=256M", "low"),
    Case("range-table", Q4G, "crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M", "low"),
    Case("range-offset", Q4G, "crashkernel=1G-:256M@512M", "low"),
    Case("range-no-match", Q2G, "crashkernel=4G-:256M", "fail"),
    Case("range-invalid-size", Q2G, "crashkernel=4G-8G:4G,1G-4G:192M", "fail"),
    Case("bracket-2048M", Q2G, BRACKETS, "low"),
    Case("bracket-2049M", B2049, BRACKETS, "low"),
    Case("bracket-iomem-vs-memblock", EDGE_IOMEM, BRACKETS, "low"),
    # get_last_crashkernel() finds crashkernel= by strstr(): inside another parameter's quoted
    # value too (next_arg() makes 'a crashkernel=64M b' the value of foo.note, a module
    # parameter init/main.c unknown_bootoption() drops without a word), so 64M is reserved
    Case("quoted-value-is-read", Q2G, 'foo.note="a crashkernel=64M b"', "low"),
    Case("parse-junk", Q2G, "crashkernel=256MB", "fail"),
    Case("parse-range-without-colon", Q2G, "crashkernel=1G-2G", "fail"),
    Case("too-big-for-ram", Q2G, "crashkernel=2G", "fail"),
    Case("plain-disables-high", Q4G, "crashkernel=512M,high crashkernel=128M", "low"),
    # ,high / ,low / 0,low
    Case("high-default-low", Q4G, "crashkernel=256M,high", "high+low"),
    Case("high-0-low", Q4G, "crashkernel=256M,high crashkernel=0,low", "high"),
    Case("high-128M-low", Q6G, "crashkernel=1G,high crashkernel=128M,low", "high+low"),
    Case("high-swiotlb-low", Q4G_SWIOTLB, "crashkernel=256M,high", "high+low"),
    Case("high-falls-back-low", Q2G, "crashkernel=512M,high", "low"),
    Case("high-low-fails", Q4G, "crashkernel=512M,high crashkernel=2040M,low", "fail"),
    Case("high-too-big", Q6G, "crashkernel=5G,high", "fail"),
    # fallbacks: the low window is full
    Case("fallback-high", Q6G, "crashkernel=2G", "high+low"),
    Case("fallback-high-q35-4G", Q4G, "crashkernel=2040M", "high+low"),
    Case("no-fit-anywhere", Q6G, "crashkernel=4100M", "fail"),
    # @offset
    Case("offset-good", Q2G, "crashkernel=256M@512M", "low"),
    Case("offset-above-4G", Q4G, "crashkernel=512M@5G", "high"),
    Case("offset-misaligned", Q2G, "crashkernel=256M@0x20100000", "fail"),
    Case("offset-kernel", Q2G, "crashkernel=256M@16M", "fail"),
    Case("offset-initrd", Q2G_PAD64, "crashkernel=64M@0x7b000000", "fail"),
    Case("offset-hole", Q2G_HOLE, "crashkernel=128M@0x68000000", "fail"),
    # initrd sizes
    Case("initrd-64M", Q2G_PAD64, "crashkernel=256M", "low"),
    Case("initrd-160M", Q2G_PAD160, "crashkernel=256M", "low"),
    Case("initrd-160M-high", Q2G_PAD160, "crashkernel=1G,high", "low"),
    # mem= and memmap=
    Case("mem-1G", Q4G_MEM1G, "crashkernel=256M", "low"),
    Case("mem-3G-drops-high-ram", Q4G_MEM3G, "crashkernel=256M,high", "low"),
    Case("mem-5G-high", Q6G_MEM5G, "crashkernel=256M,high", "high+low"),
    Case("memmap-hole", Q2G_HOLE, "crashkernel=768M", "low"),
    Case("memmap-hole-high", Q6G_HOLE, "crashkernel=512M,high", "high+low"),
    Case("exactmap", EXACTMAP, "crashkernel=900M", "low"),
    # CMA
    Case("cma-one", Q4G, "crashkernel=256M crashkernel=512M,cma", "cma:1"),
    Case("cma-halving", Q4G, "crashkernel=256M crashkernel=3G,cma", "cma:2"),
    Case("cma-hole", Q6G_HOLE, "crashkernel=256M crashkernel=3G,cma", "cma:2"),
    Case("cma-after-global", Q4G_CMA, "crashkernel=256M crashkernel=768M,cma", "cma:1"),
    Case("high-after-global-cma", Q4G_CMA, "crashkernel=1G,high", "low"),
    Case("cma-alone-ignored", Q4G, "crashkernel=512M,cma", "fail"),
    Case("cma-with-high", Q6G, "crashkernel=512M,high crashkernel=1G,cma", "cma:1"),
)


def arm64(ram: str, params: str = "", pad: int = 0) -> Layout:
    return Layout("arm64", ram, "virt", params, pad)


A1G = arm64("1G")
A2G = arm64("2G")
A4G = arm64("4G")
A6G = arm64("6G")
A2G_PAD64 = arm64("2G", pad=64 * MiB)
A4G_MEM2G = arm64("4G", params="mem=2G")
A4G_CMA = arm64("4G", params="cma=256M")

ARM64: tuple[Case, ...] = (
    Case("plain-all-ram-in-dma", A2G, "crashkernel=256M", "low"),
    Case("plain-below-4G", A4G, "crashkernel=256M", "low"),
    Case("plain-small-ram", A1G, "crashkernel=512M", "low"),
    Case("range-table", A4G, "crashkernel=1G-4G:192M,4G-:384M", "low"),
    Case("bracket-2G", A2G, "crashkernel=1G-2G:128M,2G-:256M", "low"),
    Case("parse-junk", A2G, "crashkernel=256MB", "fail"),
    Case("too-big-for-ram", A1G, "crashkernel=1G", "fail"),
    Case("high-default-low", A6G, "crashkernel=512M,high", "high+low"),
    Case("high-0-low", A6G, "crashkernel=512M,high crashkernel=0,low", "high"),
    Case("high-256M-low", A6G, "crashkernel=1G,high crashkernel=256M,low", "high+low"),
    Case("high-falls-back-low", A2G, "crashkernel=256M,high", "low"),
    Case("fallback-high", A6G, "crashkernel=3000M", "high+low"),
    Case("no-fit-anywhere", A6G, "crashkernel=5G", "fail"),
    Case("offset-good", A4G, "crashkernel=256M@0x80000000", "low"),
    Case("offset-misaligned", A4G, "crashkernel=256M@0x80100000", "fail"),
    Case("offset-kernel", A4G, "crashkernel=64M@0x40000000", "fail"),
    Case("offset-initrd", A2G_PAD64, "crashkernel=64M@0x48000000", "fail"),
    Case("initrd-64M", A2G_PAD64, "crashkernel=512M", "low"),
    Case("mem-2G", A4G_MEM2G, "crashkernel=256M", "low"),
    Case("after-global-cma", A4G_CMA, "crashkernel=256M", "low"),
    # ,cma: read on arm64 from Linux 7.3
    Case("cma-one", A4G, "crashkernel=256M crashkernel=512M,cma", "cma:1"),
    Case("cma-one-big", A4G, "crashkernel=256M crashkernel=2G,cma", "cma:1"),
    Case("cma-halving", A4G, "crashkernel=256M crashkernel=3G,cma", "cma:3"),
    Case("cma-with-high", A6G, "crashkernel=512M,high crashkernel=1G,cma", "cma:1"),
    Case("cma-after-global", A4G_CMA, "crashkernel=256M crashkernel=512M,cma", "cma:1"),
    Case("cma-alone-ignored", A4G, "crashkernel=512M,cma", "fail"),
)
