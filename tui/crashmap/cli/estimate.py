"""``crashmap estimate [SOURCE]``: how much memory the capture kernel needs, every model side by
side, a suggested plan placed and checked on the map, and what-ifs."""

from __future__ import annotations

import argparse
import sys

from crashmap.cli.common import Exit, add_kernel_argument, add_source_arguments, print_json
from crashmap.errors import CrashmapError
from crashmap.units import parse_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

DESCRIPTION = """\
Estimate the capture kernel's memory the way Fedora/RHEL (kdumpctl estimate), SUSE (kdumptool
calibrate) and Debian (kdump-config) do, on the same inputs; evaluate the distributions' default
crashkernel= tables with the kernel's own range rules; explain the spread; and suggest a plan:
a static block for the kernel and initrd, the rest as ,cma where the kernel supports it (unless
--no-cma), placed and checked on the map. Also a range table for a fleet of other RAM sizes.
"""
EPILOG = """\
A model that lacks an input says "unknown: needs X"; give X with the options below.
"""

DISTROS = ("fedora", "rhel-old", "debian-bookworm", "debian-trixie", "ubuntu", "suse")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "estimate", help="estimate the capture kernel's memory and suggest a plan",
        description=DESCRIPTION, epilog=EPILOG)
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    whatif = parser.add_argument_group("what-if")
    whatif.add_argument("--ram", metavar="SIZE", help="another RAM size, e.g. 64G")
    whatif.add_argument("--cpus", type=int, metavar="N",
                        help="CPUs the capture kernel brings up (nr_cpus=, KDUMP_CPUS)")
    whatif.add_argument("--page-size", metavar="SIZE", help="kernel page size: 4K, 16K or 64K")
    whatif.add_argument("--luks", nargs="?", const="", metavar="SIZE",
                        help="the dump target is on LUKS; SIZE = its keyslot memory "
                             "(cryptsetup luksDump: Memory)")
    whatif.add_argument("--network", action="store_true",
                        help="dump to a network target (NFS/SSH)")
    whatif.add_argument("--fadump", choices=("on", "nocma", "off"),
                        help="plan firmware-assisted dump (ppc64le): kdumpctl's fadump table")
    whatif.add_argument("--no-cma", action="store_true",
                        help="keep the suggestion all static (the vmcore keeps everything)")
    add_kernel_argument(whatif)
    given = parser.add_argument_group("inputs (override what the source tells)")
    given.add_argument("--kernel-size", metavar="SIZE",
                       help="loaded kernel size (text+rodata+data+bss)")
    given.add_argument("--kernel-file", metavar="SIZE", help="kernel file size under /boot")
    given.add_argument("--initrd", metavar="SIZE", help="kdump initrd size")
    given.add_argument("--initrd-unpacked", metavar="SIZE", help="unpacked initrd size")
    given.add_argument("--modules-size", metavar="SIZE",
                       help="total static size of the capture kernel's modules")
    given.add_argument("--machine-cpus", type=int, metavar="N",
                       help="CPUs of the machine (Debian's surplus)")
    given.add_argument("--boot-meminfo", metavar="FILE",
                       help="/proc/meminfo taken early at boot (Debian's /var/lib/kdump/mem-*)")
    given.add_argument("--calibrate-conf", metavar="FILE",
                       help="SUSE /usr/lib/kdump/calibrate.conf")
    given.add_argument("--distro", choices=DISTROS, help="the distribution (its default table)")
    measured = parser.add_argument_group(
        "measured (the peers' own output, shown beside the models; found in a sosreport or "
        "supportconfig SOURCE by themselves)")
    measured.add_argument("--calibrate", metavar="FILE",
                          help="'kdumptool calibrate' output (SUSE), or a supportconfig "
                               "crash.txt; - reads stdin")
    measured.add_argument("--kdumpctl-estimate", metavar="FILE",
                          help="'kdumpctl estimate' output (Fedora/RHEL); - reads stdin")
    parser.set_defaults(func=run)


def _size(option: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = parse_size(text)
    except ValueError as error:
        raise CrashmapError(f"{option}: {error}") from None
    if value < 0 or value >= 1 << 64:
        raise CrashmapError(f"{option}: {text!r} is out of range")
    return value


def _kernel_release(text: str | None) -> str | None:
    """``--kernel`` checked by the shared parser (a bad version is a usage error)."""
    if text is None:
        return None
    from crashmap.cli.common import target_kernel

    return target_kernel(text).release


def _read(option: str, path: str) -> str:
    from crashmap.files import read_capped

    try:
        return read_capped(path).decode("utf-8", errors="replace")
    except CrashmapError as error:
        raise CrashmapError(f"{option}: {error.message}", path=path) from None


def build_from_args(args: argparse.Namespace) -> Any:
    """Load SOURCE, apply the overrides and what-ifs, and build the estimate."""
    from crashmap.cli.loading import load_for_cli
    from crashmap.estimate import inputs as inputs_mod
    from crashmap.estimate.report import build
    from crashmap.estimate.whatif import WhatIf

    snapshot = load_for_cli(args.source, args.arch, allow_hidden=True)
    inputs = inputs_mod.gather(snapshot)
    changes: dict[str, Any] = {}
    for option, field in (("--kernel-size", "kernel_image"), ("--kernel-file", "kernel_file"),
                          ("--initrd", "initrd"), ("--initrd-unpacked", "initrd_unpacked")):
        value = _size(option, getattr(args, field if field != "kernel_image" else "kernel_size"))
        if value is not None:
            changes[field] = value
    modules = _size("--modules-size", args.modules_size)
    if modules is not None:
        changes["modules"] = (("(given total)", modules),)
    if args.machine_cpus is not None:
        if args.machine_cpus < 1:
            raise CrashmapError("--machine-cpus must be at least 1")
        changes["cpus"] = args.machine_cpus
    if args.boot_meminfo:
        meminfo = inputs_mod.parse_meminfo(_read("--boot-meminfo", args.boot_meminfo))
        if "MemTotal" not in meminfo:
            raise CrashmapError("--boot-meminfo: no MemTotal line", path=args.boot_meminfo)
        changes["boot_meminfo"] = meminfo
    if args.calibrate_conf:
        conf = inputs_mod.parse_calibrate_conf(_read("--calibrate-conf", args.calibrate_conf))
        if not conf:
            raise CrashmapError("--calibrate-conf: no KEY=NUMBER lines", path=args.calibrate_conf)
        changes["calibrate"] = conf
    if args.distro:
        changes["distro"] = args.distro
    if changes:
        inputs = inputs.given(**changes)
    page = _size("--page-size", args.page_size)
    luks_memory = _size("--luks", args.luks) if args.luks else None
    whatif = WhatIf(
        ram=_size("--ram", args.ram), page_size=page, capture_cpus=args.cpus,
        luks=True if args.luks is not None else None, luks_memory=luks_memory,
        network=True if args.network else None,
        kernel_release=_kernel_release(args.kernel), fadump=args.fadump,
        accept_cma=not args.no_cma)
    if args.cpus is not None and args.cpus < 1:
        raise CrashmapError("--cpus must be at least 1")
    return build(snapshot, inputs=inputs, whatif=whatif, measured=_measured(args, snapshot, inputs))


def _measured(args: argparse.Namespace, snapshot: Any, inputs: Any) -> list[Any]:
    """The rows found in the SOURCE folder, replaced by the files given with the options."""
    from crashmap.estimate import measured as measured_mod

    if args.calibrate == args.kdumpctl_estimate == measured_mod.STDIN:
        raise CrashmapError("--calibrate and --kdumpctl-estimate cannot both read stdin (-)")
    rows = {row.key: row for row in measured_mod.discover(snapshot, inputs.arch, inputs.ram,
                                                          inputs.dump_mode)}
    if args.kdumpctl_estimate:
        rows["kdumpctl-estimate"] = measured_mod.read_kdumpctl(args.kdumpctl_estimate)
    if args.calibrate:
        rows["kdumptool-calibrate"] = measured_mod.read_calibrate(args.calibrate, inputs.arch,
                                                                  inputs.ram, inputs.dump_mode)
    return list(rows.values())


def run(args: argparse.Namespace) -> int:
    from crashmap.estimate.report import to_json, to_text

    estimate = build_from_args(args)
    if args.json:
        print_json(to_json(estimate))
    else:
        sys.stdout.write(to_text(estimate))
    if estimate.suggestion.placed is False:
        print("crashmap: the suggested plan cannot be placed on this map (see 'Suggested plan')",
              file=sys.stderr)
        return Exit.FINDINGS
    return Exit.OK
