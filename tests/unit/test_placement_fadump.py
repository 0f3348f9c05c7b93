"""powerpc with fadump on: the fadump area instead of the kdump block, as the kernel places it.

From the kernel source (torvalds/linux):

- arch/powerpc/kernel/prom.c ``early_init_devtree()``:
  ``if (fadump_reserve_mem() == 0) reserve_crashkernel();`` ("If we fail to reserve memory for
  firmware-assisted dump then fallback to kexec based kdump");
- arch/powerpc/kernel/fadump.c ``fadump_reserve_mem()``: boot memory =
  ``PAGE_ALIGN(fadump_calculate_reserve_size())``, ``ALIGN(.., CMA_MIN_ALIGNMENT_BYTES)`` unless
  nocma; below ``fadump_get_bootmem_min()`` "Can't enable fadump with boot memory size (0x%lx)
  less than 0x%llx"; ``base = fw_dump.boot_mem_top``; ``fadump_locate_reserve_mem(base, size)``;
  "Reserved %lldMB of memory at %#016llx (System RAM: %lldMB)";
- ``fadump_get_boot_mem_regions()``: ``boot_mem_top = PAGE_ALIGN(boot_memory_size + hole_size)``;
- ``fadump_locate_reserve_mem()``: ``if (mstart > base) base = ALIGN(mstart, align)`` over the
  free ranges upwards.

Line numbers as in Linux 6.12.118 (Debian linux-source-6.12): prom.c 857-863 (the fallback),
fadump.c 465 (boot_mem_top), 502-530 (fadump_locate_reserve_mem), 533-640
(fadump_reserve_mem: 558 the CMA ALIGN, 563-565 the minimum, 631 the Reserved line).

The worked example is the one in Ritesh Harjani's patch "fadump: Make fadump
reserve_dump_area_start CMA aligned in case of holes" (linuxppc-dev, 2024-10-08): that
/proc/iomem, ``crashkernel=4097M fadump=on``, and dmesg "fadump: Reserved 4112MB of memory at
0x00000501000000 (System RAM: 25088MB)", "cma area at 20496MB".
"""

from __future__ import annotations

from crashmap.checks import evaluate_cmdline
from crashmap.memmap import Range
from crashmap.placement import context_from_snapshot
from crashmap.placement.fadump import boot_mem_top
from crashmap.snapshot import Snapshot

M, G = 1 << 20, 1 << 30
HOLES = ("00000000-1fffffff : System RAM\n"
         "100000000-1ffffffff : System RAM\n"
         "300000000-3ffffffff : System RAM\n"
         "500200000-9001fffff : System RAM\n")
FLAT_16G = "00000000-3ffffffff : System RAM\n  00000000-01ffffff : Kernel code\n"


def verdict(iomem: str, line: str, arch: str = "ppc64le"):  # type: ignore[no-untyped-def]
    return evaluate_cmdline(context_from_snapshot(Snapshot(iomem=iomem, arch=arch)), line)


def test_the_patch_mails_example() -> None:
    p = verdict(HOLES, "crashkernel=4097M fadump=on").placement
    assert p.outcome == "reserved"
    (area,) = p.blocks
    assert area.kind == "fadump" and area.start == 0x501000000
    assert "fadump: Reserved 4112MB of memory at 0x00000501000000 (System RAM: 25088MB)" \
        in p.kernel_log
    assert ("fadump: Initialized 0x101000000 bytes cma area at 20496MB from 0x1010002a8 bytes "
            "of memory reserved for firmware-assisted dump") in p.kernel_log


def test_no_kdump_block_when_fadump_reserves() -> None:
    p = verdict(FLAT_16G, "crashkernel=1G fadump=on").placement
    assert p.main is None and [b.kind for b in p.blocks] == ["fadump"]
    assert not any(line.startswith("crashkernel reserved") for line in p.kernel_log)
    assert any("/sys/kernel/fadump/mem_reserved" in n for n in p.notes)
    # boot memory is the first 1G; the area goes right above it, bottom-up (not at 512M)
    assert p.blocks[0].start == 1 * G
    kdump = verdict(FLAT_16G, "crashkernel=1G").placement
    assert kdump.main is not None and kdump.main.start == 512 * M  # the LPAR base instead


def test_nocma_keeps_page_alignment() -> None:
    p = verdict(HOLES, "crashkernel=4097M fadump=nocma").placement
    (area,) = p.blocks
    assert area.start == 0x500200000  # PAGE_ALIGN(mstart): 0x500200000 is 64K-aligned
    assert area.size == 4097 * M + 0x2A8  # PAGE_ALIGN(4097M) + headers: no CMA rounding
    assert not any("cma area" in line for line in p.kernel_log)


def test_too_little_boot_memory_falls_back_to_kdump() -> None:
    v = verdict(FLAT_16G, "crashkernel=256M fadump=on")
    p = v.placement
    assert p.main is not None and p.main.start == 512 * M and p.main.size == 256 * M
    assert "fadump: Can't enable fadump with boot memory size (0x10000000) less than " \
           "0x14000000" in p.kernel_log
    assert any(f.code == "fadump-fallback" and f.severity == "warning" for f in v.findings)


def test_no_crashkernel_takes_five_percent() -> None:
    p = verdict(HOLES, "fadump=on").placement
    (area,) = p.blocks  # 25088M / 20 = 1254M, rounded down to 256M: 1G
    assert area.size >> 20 == 1024 and area.start == 4 * G + 512 * M  # 512M + 512M of RAM


def test_boot_mem_top_skips_holes() -> None:
    ram = [Range(0, 512 * M), Range(4 * G, 8 * G)]
    assert boot_mem_top(ram, 4112 * M, 64 << 10) == 4 * G + (4112 - 512) * M
    assert boot_mem_top(ram, 256 * M, 64 << 10) == 256 * M


def test_fadump_changes_nothing_off_ppc64le() -> None:
    x86 = verdict(FLAT_16G, "crashkernel=256M fadump=on", "x86_64")
    assert x86.placement.main is not None
    assert any(f.code == "fadump-unsupported" for f in x86.findings)


def test_cma_is_not_reserved_with_fadump() -> None:
    # arch/powerpc/kexec/core.c: arch_reserve_crashkernel() parses ,cma into crashk_cma_size
    # for kdump_cma_reserve(); with fadump reserved it is never called (prom.c)
    v = verdict(FLAT_16G, "crashkernel=1G crashkernel=512M,cma fadump=on")
    assert not v.placement.cma.areas and [b.kind for b in v.placement.blocks] == ["fadump"]
    assert any(f.code == "fadump-cma-ignored" for f in v.findings)
    kdump = verdict(FLAT_16G, "crashkernel=1G crashkernel=512M,cma")
    assert kdump.placement.cma.areas  # without fadump the kernel reserves it


def test_cost_of_the_fadump_area() -> None:
    # fadump.c fadump_cma_init(): with fadump=on the area is a CMA region (usable until a
    # crash); nocma keeps it reserved, and ,cma advice makes no sense beside fadump
    on = {f.code: f for f in verdict(FLAT_16G, "crashkernel=1G fadump=on").findings}
    assert "lends its" in on["cost"].message and "CMA" in on["cost"].message
    nocma = {f.code: f for f in verdict(FLAT_16G, "crashkernel=1G fadump=nocma").findings}
    assert nocma["cost"].message.startswith("Taken from the running system")
    assert ",cma" not in nocma["cost"].fix


def test_before_the_cma_aligned_base_the_cma_init_fails() -> None:
    # Linux 6.12.118 arch/powerpc/kernel/fadump.c: fadump_locate_reserve_mem() line 516
    # "base = PAGE_ALIGN(mstart)"; fadump_cma_init() then fails cma_init_reserved_mem() on a
    # base off a pageblock ("Failed to init cma area for firmware-assisted dump,%d") and the
    # pages stay reserved -- the bug Harjani's patch mail describes for this very map
    from crashmap.kernel.target import resolve_target

    ctx = context_from_snapshot(Snapshot(iomem=HOLES, arch="ppc64le"),
                                kernel=resolve_target("6.12.118"))
    p = evaluate_cmdline(ctx, "crashkernel=4097M fadump=on").placement
    (area,) = p.blocks
    assert area.start == 0x500200000 and area.size >> 20 == 4112
    assert "fadump: Failed to init cma area for firmware-assisted dump,-22" in p.kernel_log
