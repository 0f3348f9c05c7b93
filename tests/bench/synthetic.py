"""Synthetic /proc/iomem maps of any size, shaped like a big server's (for benchmarks)."""

from __future__ import annotations


def synthetic_iomem(lines: int = 10_000) -> str:
    """About ``lines`` lines: RAM pieces with reserved children, and deep PCI trees between them."""
    out: list[str] = []
    address = 0x1000
    gib = 1 << 30
    while len(out) < lines:
        ram_end = address + gib
        out.append(f"{address:08x}-{ram_end - 1:08x} : System RAM")
        step = gib // 16
        for i in range(8):
            start = address + i * 2 * step
            out.append(f"  {start:08x}-{start + step // 2 - 1:08x} : reserved")
        address = ram_end
        bus_end = address + (64 << 20)
        out.append(f"{address:08x}-{bus_end - 1:08x} : PCI Bus 0000:{len(out) % 256:02x}")
        dev = address
        for j in range(6):
            out.append(f"  {dev:08x}-{dev + 0xfffff:08x} : 0000:{j:02x}:00.0")
            out.append(f"    {dev:08x}-{dev + 0x3fff:08x} : nvme")
            dev += 0x100000
        address = bus_end + 0x1000
    return "\n".join(out[:lines]) + "\n"
