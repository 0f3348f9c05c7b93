"""Three ways distributions estimate what the capture kernel needs, on the same inputs.

Each model returns a :class:`ModelResult`: the size in bytes with a breakdown, or ``bytes`` None
and the inputs it is missing ("unknown: needs X"). Every constant cites where it comes from;
``shared/research/anchors.md`` is "anchors" below.

- :func:`kdumpctl`: Fedora/RHEL ``kdumpctl estimate`` (anchors §1).
- :func:`suse_calibrate`: SUSE ``kdumptool calibrate`` (anchors §2a; arithmetic as in
  openSUSE/kdump ``kdumptool/calibrate.cc``).
- :func:`debian`: Debian kdump-tools ``kdump-config`` suggested size (anchors §3; arithmetic as in
  ``crashkernel_estimate``/``crashkernel_cpumem_surplus`` of kdump-tools 1:1.10.7).
"""

from __future__ import annotations

from collections import namedtuple

from crashmap.arch import get_arch
from crashmap.units import GiB, KiB, MiB, align_up, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs

NEEDS = {
    "ram": "RAM (--ram)",
    "kernel_image": "the loaded kernel size (Kernel code/data lines of /proc/iomem as root, or "
                    "--kernel-size)",
    "kernel_file": "the kernel file size under /boot (--kernel-file)",
    "initrd": "the kdump initrd size (--initrd)",
    "initrd_unpacked": "the unpacked initrd size (--initrd-unpacked)",
    "modules": "/proc/modules (--modules-size)",
    "luks_memory": "the LUKS2 keyslot memory (cryptsetup luksDump: Memory; --luks SIZE)",
    "boot_meminfo": "a /proc/meminfo taken early at boot (--boot-meminfo FILE)",
    "cpus": "the machine's CPU count (--machine-cpus)",
    "calibrate": "SUSE calibrate.conf for this arch (--calibrate-conf FILE)",
}
"""What a missing input means, for the "unknown: needs X" sentences."""


class ModelResult(namedtuple("ModelResult",
                             "key title bytes need missing breakdown notes source")):
    """One model's answer.

    - ``bytes``: what the tool would print/recommend (None: unknown);
    - ``need``: the estimate of the capture kernel's memory itself (kdumpctl: before its max with
      the table), used by the suggestion;
    - ``missing``: names of the inputs it needs (see :data:`NEEDS`);
    - ``breakdown``: ``(label, bytes, note)`` terms in the order the tool adds them.
    """

    __slots__ = ()

    @property
    def known(self) -> bool:
        return self.bytes is not None

    @property
    def unknown_text(self) -> str:
        return "unknown: needs " + "; ".join(NEEDS.get(m, m) for m in self.missing)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "bytes": self.bytes, "need": self.need,
            "missing": list(self.missing),
            "unknown": self.unknown_text if self.missing else None,
            "breakdown": {label: value for label, value, _ in self.breakdown},
            "terms": [{"label": label, "bytes": value, "note": note}
                      for label, value, note in self.breakdown],
            "notes": list(self.notes), "source": self.source,
        }


def _unknown(key: str, title: str, missing: list[str], notes: list[str],
             source: str) -> ModelResult:
    return ModelResult(key, title, None, None, tuple(dict.fromkeys(missing)), (), tuple(notes),
                       source)


def _luks_note(inputs: Inputs) -> str | None:
    if inputs.luks is None:
        return "LUKS: not known whether the dump target is encrypted; counted as not encrypted"
    if inputs.luks and inputs.luks_memory is None:
        return (f"LUKS: the keyslot memory is unknown; counted as "
                f"{format_size(LUKS_MEMORY_ASSUMED)}, cryptsetup's default Argon2 memory cost "
                f"for LUKS2 (the real one: cryptsetup luksDump, 'Memory:'; give --luks SIZE)")
    return None


LUKS_MEMORY_ASSUMED = 1 * GiB
"""The keyslot memory when only "the target is on LUKS" is known: cryptsetup's default LUKS2
Argon2 memory cost, 1048576 KiB (configure.ac ``DEFAULT_LUKS2_MEMORY_KB``; ``cryptsetup
benchmark`` shows ``argon2id ... 1048576 memory``). A key unlocked in the capture kernel needs
that much; counting less would make ``--luks`` suggest less than no LUKS at all."""


def luks_memory(inputs: Inputs) -> int:
    """The LUKS2 keyslot memory to count: the known one, else :data:`LUKS_MEMORY_ASSUMED`."""
    return LUKS_MEMORY_ASSUMED if inputs.luks_memory is None else inputs.luks_memory


# --- Fedora/RHEL kdumpctl estimate -------------------------------------------------------------

KDUMPCTL_RUNTIME = 16 * MiB
"""anchors §1: ``16M runtime`` (the howto sample still shows the old 64M)."""
KDUMPCTL_INITRD_FACTOR = 3
"""anchors §1: ``3 × initramfs`` = compressed copy + unpacked rootfs + headroom (4e1f06e)."""
KDUMPCTL_LUKS_EXTRA = 20 * MiB
KDUMPCTL_LUKS_EXTRA_ARM64 = 50 * MiB
"""anchors §1: LUKS2 = largest keyslot ``Memory:`` + 20M (50M on aarch64)."""


def kdumpctl(inputs: Inputs, table_bytes: int | None = None,
             table_name: str | None = None) -> ModelResult:
    """``estimated = kernel + modules + 3 × initramfs + 16M + LUKS``;
    ``recommended = max(table value for this RAM, estimated)`` (anchors §1)."""
    key, title = "kdumpctl", "Fedora/RHEL kdumpctl estimate"
    source = "kdump-utils kdumpctl do_estimate"
    missing = [name for name in ("kernel_image", "initrd", "modules")
               if getattr(inputs, name) is None]
    notes = [n for n in (_luks_note(inputs),) if n]
    if missing:
        return _unknown(key, title, missing, notes, source)
    initramfs = KDUMPCTL_INITRD_FACTOR * inputs.initrd
    luks = 0
    if inputs.luks:
        extra = KDUMPCTL_LUKS_EXTRA_ARM64 if inputs.arch == "arm64" else KDUMPCTL_LUKS_EXTRA
        luks = luks_memory(inputs) + extra
    estimated = inputs.kernel_image + inputs.modules_size + initramfs + KDUMPCTL_RUNTIME + luks
    terms = [
        ("kernel image", inputs.kernel_image, inputs.source("kernel_image")),
        ("kernel modules", inputs.modules_size,
         f"{len(inputs.modules)} modules of {inputs.source('modules')}; kdumpctl counts only "
         f"those in the kdump initrd's hostonly-kernel-modules.txt (an upper bound here)"),
        ("initramfs × 3", initramfs,
         f"3 × {inputs.initrd} B ({inputs.source('initrd')}): compressed + unpacked + headroom"),
        ("runtime", KDUMPCTL_RUNTIME, "fixed 16 MiB"),
    ]
    if inputs.luks:
        terms.append(("LUKS", luks, f"keyslot memory + {(luks - luks_memory(inputs)) >> 20} MiB"))
    terms.append(("estimated", estimated, "sum of the above"))
    recommended = estimated
    if table_bytes is not None:
        terms.append(("table", table_bytes, f"{table_name or 'kdump-utils table'} at this RAM"))
        recommended = max(table_bytes, estimated)
        if table_bytes > estimated:
            notes.append("the table value is larger than the estimate: kdumpctl recommends it")
    else:
        notes.append("no kdump-utils table for this arch: the estimate alone")
    large = [f"{name} {size >> 20} MiB" for name, size in inputs.modules
             if size >= MiB and not name.startswith("(")]  # not a total: "(given total)"
    if large:
        notes.append("large modules (≥ 1 MiB): " + ", ".join(large))
    terms.append(("recommended", recommended, "max(table, estimated)"))
    return ModelResult(key, title, recommended, estimated, (), tuple(terms), tuple(notes), source)


# --- SUSE kdumptool calibrate ------------------------------------------------------------------

SUSE_SOURCE = "openSUSE/kdump kdumptool/calibrate.cc"
LEGACY = ("openSUSE/kdump kdumptool/calibrate.cc @ b7905e9a (in-source constants before "
          "calibrate.conf)")
BUILTIN_CALIBRATE: dict[str, dict[str, tuple[int, str]]] = {
    "x86_64": {
        "KERNEL_BASE": (56404, "openSUSE/kdump calibrate.conf.all, Leap 15.3 x86_64"),
        "KERNEL_INIT": (20292, "openSUSE/kdump calibrate.conf.all, Leap 15.3 x86_64"),
        "INIT_CACHED": (32628, "openSUSE/kdump calibrate.conf.all, Leap 15.3 x86_64"),
        "PAGESIZE": (4096, "x86_64 pages are 4 KiB (bytes)"),
        "SIZEOFPAGE": (64, LEGACY + ": SIZE_STRUCT_PAGE (bytes)"),
        "PERCPU": (108, LEGACY + ": PERCPU_KB"),
        "USER_BASE": (30 * 1024, LEGACY + ": USER_BASE_KB (systemd, udevd, kdumptool, "
                                 "makedumpfile...)"),
        "USER_NET": (7 * 1024, LEGACY + ": USER_NET_KB (dhclient)"),
        "INIT_CACHED_NET": (3 * 1024, LEGACY + ": INIT_NET_KB (initramfs growth with network)"),
        "INIT_NET": (0, LEGACY + " has no boot-time kernel term for network"),
    },
}
"""Constants used when the machine's calibrate.conf is not known. Only leap 15.3 x86_64's three
measured values are documented (anchors §2a); the rest come from the older in-source table."""

CALIBRATE_KEYS = ("KERNEL_BASE", "KERNEL_INIT", "INIT_NET", "INIT_CACHED", "INIT_CACHED_NET",
                  "PERCPU", "PAGESIZE", "SIZEOFPAGE", "USER_BASE", "USER_NET")
SUSE_KDUMP_CPUS = 32
"""anchors §2a: ``KDUMP_CPUS`` default 32 since 2.0.18 (0 = all CPUs)."""
SUSE_CPU_EXTRA_KB = 100 + 133
SUSE_CPU_PAGES = 3
"""anchors §2a: per CPU ``PERCPU + 100 KiB thread + 3 pages + 133 KiB makedumpfile buffers``."""
SUSE_FRAMEBUFFER_KB = 768 * 4
"""calibrate.cc DEF_FRAMEBUFFER_KB: 1024×768 @ 32 bpp (0 on s390), used when
/sys/class/graphics/fb* cannot be read; counted twice (fbcon + DRM)."""
SUSE_MAX_BITMAP_KB = 32 * 1024
"""calibrate.cc MAX_BITMAP_KB: makedumpfile's two page bitmaps capped at 32 MiB."""
SUSE_DIRTY_RATIO = 20
SUSE_BUF_PER_DIRTY_MB = 64
"""calibrate.cc: 20 % dirty ratio, 64 KiB buffer metadata per dirty MiB (anchors §2a)."""
SUSE_HASH_LONGS_PER_MB = 232
"""calibrate.cc KERNEL_HASH_PER_MB = 232 × sizeof(long) bytes per MiB (anchors §2a)."""
SUSE_RESERVE_PCT = 30
SUSE_RESERVE_KB = 64 * 1024
"""anchors §2a: ``required × 1.30 + 64 MiB`` (ADD_RESERVE_PCT, ADD_RESERVE_KB)."""
SUSE_MINLOW_KB = (64 + 8) * 1024
SUSE_SWIOTLB_KB = 64 * 1024
"""anchors §2a: x86_64 +64 MiB for SWIOTLB when the block ends above 4G; Low = 72 MiB."""
SUSE_CAN_REDUCE_CPUS = {"ppc64le": False}
"""calibrate.cc CAN_REDUCE_CPUS: 0 on powerpc64 (all CPUs are counted), 1 elsewhere."""


def _ceil_shift(value: int, shift: int) -> int:
    """calibrate.cc ``shr_round_up``."""
    return (value + (1 << shift) - 1) >> shift


def calibrate_constants(inputs: Inputs) -> tuple[dict[str, int] | None, dict[str, str], list[str]]:
    """The constants to use, where each came from, and what is missing."""
    if inputs.calibrate:
        conf = inputs.calibrate
        absent = [k for k in CALIBRATE_KEYS if k not in conf]
        if absent:
            return None, {}, [f"calibrate ({', '.join(absent)} not in calibrate.conf)"]
        where = inputs.source("calibrate")
        problem = _calibrate_problem(conf)
        if problem:
            return None, {}, [f"calibrate ({problem} in calibrate.conf)"]
        return {k: conf[k] for k in CALIBRATE_KEYS}, {k: where for k in CALIBRATE_KEYS}, []
    builtin = BUILTIN_CALIBRATE.get(inputs.arch)
    if builtin is None or (inputs.page_size or 4096) != builtin["PAGESIZE"][0]:
        return None, {}, ["calibrate"]
    return ({k: v for k, (v, _) in builtin.items()}, {k: s for k, (_, s) in builtin.items()}, [])


def _calibrate_problem(conf: dict[str, int]) -> str | None:
    """Why calibrate.conf constants cannot be used (calibrate.cc divides by PAGESIZE and by
    PAGESIZE - SIZEOFPAGE, and every constant is a size), or None."""
    negative = [k for k in CALIBRATE_KEYS if conf[k] < 0]
    if negative:
        return f"{negative[0]} {conf[negative[0]]} is negative"
    page, struct = conf["PAGESIZE"], conf["SIZEOFPAGE"]
    if page < 1024 or page & (page - 1):
        return f"PAGESIZE {page} is not a page size"
    if not 0 < struct < page:
        return f"SIZEOFPAGE {struct} is not the size of a struct page below PAGESIZE {page}"
    return None


def suse_calibrate(inputs: Inputs) -> ModelResult:
    """``kdumptool calibrate`` in KiB integer arithmetic, then MiB rounded up (anchors §2a)."""
    key, title = "suse", "SUSE kdumptool calibrate"
    arch = get_arch(inputs.arch)
    consts, where, missing = calibrate_constants(inputs)
    if inputs.ram is None:
        missing.append("ram")
    reduce_cpus = SUSE_CAN_REDUCE_CPUS.get(arch.name, True)
    if not reduce_cpus and inputs.cpus is None:
        missing.append("cpus")
    notes = [n for n in (_luks_note(inputs),) if n]
    if missing or consts is None:
        return _unknown(key, title, missing, notes, SUSE_SOURCE)
    c = consts
    net = bool(inputs.network)
    memtotal = _ceil_shift(inputs.ram, 10)
    terms: list[tuple[str, int, str]] = []

    def kib(label: str, value_kb: int, note: str) -> None:
        terms.append((label, value_kb * KiB, note))

    boot = c["KERNEL_BASE"] + c["KERNEL_INIT"] + c["INIT_CACHED"]
    if net:
        boot += c["INIT_NET"] + c["INIT_CACHED_NET"]
    required = c["KERNEL_BASE"] + c["INIT_CACHED"]
    kib("kernel base", c["KERNEL_BASE"], f"KERNEL_BASE ({where['KERNEL_BASE']})")
    kib("unpacked initramfs", c["INIT_CACHED"], f"INIT_CACHED ({where['INIT_CACHED']})")
    fb = 0 if arch.family == "s390" else SUSE_FRAMEBUFFER_KB
    required += 2 * fb
    kib("framebuffer × 2", 2 * fb, "calibrate's default 1024×768×4 (fb size not in the snapshot)")
    kib("Acpi-* slabs", 0, "/proc/slabinfo is root-only and not captured: calibrate adds "
                           "nothing when it cannot read it")
    if reduce_cpus:
        cpus = inputs.capture_cpus or SUSE_KDUMP_CPUS
        cpu_note = ("KDUMP_CPUS given" if inputs.capture_cpus
                    else f"KDUMP_CPUS default {SUSE_KDUMP_CPUS}")
    else:
        cpus = inputs.cpus
        cpu_note = f"{arch.name} cannot reduce CPUs (nr_cpus): all {cpus} CPUs"
    page_kb = c["PAGESIZE"] // 1024
    per_cpu = c["PERCPU"] + SUSE_CPU_EXTRA_KB + SUSE_CPU_PAGES * page_kb
    required += cpus * per_cpu
    kib("per-CPU", cpus * per_cpu, f"{cpus} CPUs × (PERCPU {c['PERCPU']} + 100 thread + 3 pages "
                                   f"+ 133 makedumpfile) KiB; {cpu_note}")
    user = c["USER_BASE"] + (c["USER_NET"] if net else 0)
    bitmap = min(_ceil_shift(memtotal // c["PAGESIZE"], 2), SUSE_MAX_BITMAP_KB)
    user += bitmap + 96 * _ceil_shift(memtotal, 20 + 7)
    required += user
    kib("user space", user, f"USER_BASE{' + USER_NET' if net else ''} + makedumpfile bitmap "
                            f"{bitmap} KiB + 96 B per 128 MiB of RAM (dump written by "
                            f"makedumpfile assumed)")
    prev = required
    required = required * 100 * 1024 // (
        100 * 1024 - SUSE_DIRTY_RATIO * 1024 - SUSE_DIRTY_RATIO * SUSE_BUF_PER_DIRTY_MB)
    kib("dirty page cache + I/O", required - prev, "20 % dirty ratio, 64 KiB per dirty MiB")
    prev = required
    long_size = 8 if arch.name not in ("i386", "arm") else 4
    required = required * 1024 * 1024 // (1024 * 1024 - SUSE_HASH_LONGS_PER_MB * long_size)
    kib("large kernel hashes", required - prev, f"232 × sizeof(long) = "
                                                f"{SUSE_HASH_LONGS_PER_MB * long_size} B per MiB")
    prev = required
    required = required * c["PAGESIZE"] // (c["PAGESIZE"] - c["SIZEOFPAGE"])
    maxpfn = (required - prev) // c["SIZEOFPAGE"]
    if arch.name == "s390x":  # s390x_align_memmap: SECTION_SIZE_BITS 28, PAGE_SHIFT 12
        maxpfn = ((maxpfn - 1) | ((1 << (28 - 12 - 10)) - 1)) + 1
    required = prev + maxpfn * c["SIZEOFPAGE"]
    kib("memmap", required - prev, f"struct page ({c['SIZEOFPAGE']} B) per page of the "
                                   f"reservation")
    runtime = required
    kib("run time", runtime, "sum so far")
    kib("boot", boot, "KERNEL_BASE + KERNEL_INIT + INIT_CACHED" + (" + INIT_NET + INIT_CACHED_NET"
                                                                  if net else ""))
    required = max(runtime, boot)
    margin = required * SUSE_RESERVE_PCT // 100 + SUSE_RESERVE_KB
    kib("margin", margin, "30 % + 64 MiB of max(run time, boot)")
    required += margin
    if inputs.luks:
        luks_kb = luks_memory(inputs) // KiB
        required += luks_kb
        kib("LUKS", luks_kb, "KDUMP_LUKS_MEMORY, added after the margin")
    low, high = required, 0
    if arch.name == "x86_64":
        above = _ram_above_4g(inputs)
        if above:
            required += SUSE_SWIOTLB_KB
            kib("SWIOTLB", SUSE_SWIOTLB_KB, "the block ends above 4 GiB")
            low = SUSE_MINLOW_KB
            high = max(required - low, boot)
            notes.append(f"x86_64 split: Low {_ceil_shift(low, 10)} MiB + High "
                         f"{_ceil_shift(high, 10)} MiB (crashkernel=…,low / …,high)")
        elif above is None:
            notes.append("x86_64: whether RAM reaches above 4 GiB is unknown; counted as not "
                          "(no +64 MiB SWIOTLB, no Low/High split)")
    total_mib = _ceil_shift(low, 10) + _ceil_shift(high, 10)
    terms.append(("total", total_mib * MiB, "Low + High in MiB, rounded up"))
    return ModelResult(key, title, total_mib * MiB, total_mib * MiB, (), tuple(terms),
                       tuple(notes), SUSE_SOURCE)


def _ram_above_4g(inputs: Inputs) -> bool | None:
    """calibrate's MemMap::find() takes the highest System RAM range: it ends above 4 GiB on any
    machine with RAM there. Known from the map, or certain when RAM exceeds 4 GiB."""
    if inputs.ram_end is not None:
        return inputs.ram_end > 4 * GiB
    if inputs.ram is not None and inputs.ram > 4 * GiB:
        return True
    return None


# --- Debian kdump-tools estimator --------------------------------------------------------------

DEBIAN_SOURCE = "kdump-tools 1:1.10.7 kdump-config crashkernel_estimate"
DEBIAN_FACTOR = {"x86_64": 6, "i386": 6, "s390x": 6, "ppc64le": 2}
DEBIAN_FACTOR_OTHER = 4
"""anchors §3: vmlinuz × F, F = 6 (x86, s390x), 2 (ppc), 4 (others)."""
DEBIAN_MIN_EXTRA = 32 * MiB
"""anchors §3: floor ``vmlinuz × F + initrd + unpacked + 32 MiB``."""
DEBIAN_CPU_BUCKETS = ((32, 5000), (32, 3500), (None, 2500))
DEBIAN_RAM_BUCKETS = ((32, 6000), (None, 600))
"""anchors §3: KiB per CPU (first 32, next 32, beyond) and per GiB (up to 32, beyond); x86 only."""
DEBIAN_CAPTURE_CPUS = 1
"""kdump-config subtracts 1 CPU: the capture kernel runs exactly one."""


def _buckets(count: int, buckets: tuple[tuple[int | None, int], ...]) -> int:
    total, left = 0, max(0, count)
    for width, per in buckets:
        take = left if width is None else min(left, width)
        total += take * per
        left -= take
    return total


def debian_surplus(inputs: Inputs, mem_total_kb: int) -> tuple[int, str]:
    """``crashkernel_cpumem_surplus`` in MiB (x86 only) and how it was made."""
    if inputs.arch not in ("x86_64", "i386"):
        return 0, "no surplus outside x86"
    capture = inputs.capture_cpus or DEBIAN_CAPTURE_CPUS
    cpus = max(0, inputs.cpus - capture)
    ram_gib = mem_total_kb // 1048576 + 1
    kb = _buckets(cpus, DEBIAN_CPU_BUCKETS) + _buckets(ram_gib, DEBIAN_RAM_BUCKETS)
    return kb // 1024, (f"{cpus} CPUs beyond the capture kernel's {capture} and "
                        f"{ram_gib} GiB (MemTotal floored + 1)")


def debian(inputs: Inputs) -> ModelResult:
    """``vmlinuz × F + initrd + unpacked initrd + early-boot used − surplus`` (MiB), never below
    ``vmlinuz × F + initrd + unpacked + 32 MiB`` (anchors §3)."""
    key, title = "debian", "Debian kdump-tools estimator"
    needed = ["kernel_file", "initrd", "initrd_unpacked", "boot_meminfo"]
    missing = [name for name in needed if getattr(inputs, name) is None]
    if inputs.arch in ("x86_64", "i386") and inputs.cpus is None:
        missing.append("cpus")
    notes: list[str] = []
    meminfo = inputs.boot_meminfo
    if meminfo is not None and "MemTotal" not in meminfo:
        missing.append("boot_meminfo")
    if missing:
        why = inputs.source("boot_meminfo")
        if "boot_meminfo" in missing and why not in ("unknown", "given"):
            notes.append(f"boot-time meminfo: {why}")
        return _unknown(key, title, missing, notes, DEBIAN_SOURCE)
    factor = DEBIAN_FACTOR.get(inputs.arch, DEBIAN_FACTOR_OTHER)
    vmlinux = factor * _mib_up(inputs.kernel_file)
    initrd = _mib_up(inputs.initrd)
    unpacked = _mib_up(inputs.initrd_unpacked)
    free = sum(meminfo.get(k, 0) for k in ("MemFree", "Buffers", "Cached", "SReclaimable"))
    early = (meminfo["MemTotal"] - free - meminfo.get("Hugetlb", 0)) // 1024
    surplus, how = debian_surplus(inputs, meminfo["MemTotal"])
    estimate = vmlinux + initrd + unpacked + early - surplus
    floor = vmlinux + initrd + unpacked + DEBIAN_MIN_EXTRA // MiB
    terms = [
        ("vmlinuz × F", vmlinux * MiB, f"{factor} × {_mib_up(inputs.kernel_file)} MiB "
                                       f"({inputs.source('kernel_file')})"),
        ("initrd", initrd * MiB, inputs.source("initrd")),
        ("unpacked initrd", unpacked * MiB, inputs.source("initrd_unpacked")),
        ("early-boot used", early * MiB, "MemTotal − MemFree − Buffers − Cached − "
                                         "SReclaimable − Hugetlb"),
        ("CPU/RAM surplus", -surplus * MiB, how),
        ("floor", floor * MiB, "vmlinuz × F + initrd + unpacked + 32 MiB"),
    ]
    if estimate < floor:
        notes.append("the estimate is below the floor: kdump-config uses the floor")
    value = max(estimate, floor) * MiB
    terms.append(("suggested", value, "max(estimate, floor)"))
    return ModelResult(key, title, value, value, (), tuple(terms), tuple(notes), DEBIAN_SOURCE)


def _mib_up(n: int) -> int:
    """``du -sm``: MiB rounded up."""
    return align_up(n, MiB) // MiB


def all_models(inputs: Inputs, table_bytes: int | None = None,
               table_name: str | None = None) -> list[ModelResult]:
    """The three models on the same inputs (kdumpctl compares with the kdump-utils table)."""
    return [kdumpctl(inputs, table_bytes, table_name), suse_calibrate(inputs), debian(inputs)]
