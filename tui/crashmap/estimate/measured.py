"""The peers' own answers, measured on the machine: ``kdumpctl estimate`` and ``kdumptool
calibrate`` output, from files the user gives or found in a report folder, as rows shown beside
crashmap's models of the same tools.

Read with a report folder (crashmap.sources, kept in snapshots): a sosreport's
``sos_commands/kdump/kdumpctl_estimate`` (sos kdump plugin, ``RedHatKDump``) and a
supportconfig's ``crash.txt`` section ``kdumptool calibrate``
(supportutils ``bin/supportconfig`` ``crash_info``, 001ba3fc: ``log_cmd $OF "kdumptool
calibrate"`` on SLES 12 and later). A file found there that cannot
be read becomes a row that says so; a file given with an option must read (else exit 2).
What only kdumpctl measured (its kdump initramfs, the modules in it) also fills those inputs
when the source lacks them (:func:`fill`); the rows never enter the suggestion otherwise.
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from crashmap.errors import CrashmapError
from crashmap.peers import calibrate as calibrate_mod
from crashmap.peers import kdumpctl_estimate as kdumpctl_mod
from crashmap.units import MiB, format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.estimate.inputs import Inputs
    from crashmap.estimate.models import ModelResult
    from crashmap.snapshot import Snapshot

SOS_KDUMPCTL_ESTIMATE = "sos_commands/kdump/kdumpctl_estimate"
SUPPORTCONFIG_CRASH = "crash.txt"
CALIBRATE_COMMAND = "kdumptool calibrate"


class Measured(namedtuple("Measured",
                          "key title bytes words breakdown notes source model peer")):
    """One peer answer: ``bytes`` what it recommends (None: it failed or could not be read),
    ``words`` the ``crashkernel=`` words it would write, ``breakdown`` its printed terms
    ``(label, bytes, note)``, ``model`` the key of crashmap's model of the same tool, ``peer``
    the parsed output (None when unreadable)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "bytes": self.bytes, "words": list(self.words),
                "breakdown": {label: value for label, value, _ in self.breakdown},
                "notes": list(self.notes), "source": self.source, "model": self.model,
                "output": self.peer.to_json() if self.peer is not None else None}


KDUMPCTL_TITLE = "kdumpctl estimate (run on the machine)"
CALIBRATE_TITLE = "kdumptool calibrate (run on the machine)"


def from_kdumpctl(est: kdumpctl_mod.KdumpctlEstimate) -> Measured:
    """A row for ``kdumpctl estimate`` output."""
    notes: list[str] = []
    if not est.ok:
        notes.append(f"kdumpctl estimate printed no answer: {est.failed}")
        return Measured("kdumpctl-estimate", KDUMPCTL_TITLE, None, (), (), tuple(notes),
                        est.path, "kdumpctl", est)
    floor = "printed in whole MiB, rounded down"
    terms = [(label, value, note) for label, value, note in (
        ("reserved", est.reserved, "Crash kernel reserved when it ran"),
        ("kernel image", est.kernel_image, floor),
        ("kernel modules", est.modules, "modules in the kdump initramfs, " + floor),
        ("initramfs", est.initramfs, "kdump initramfs file, " + floor),
        ("runtime", est.runtime, "fixed"),
        ("LUKS", est.luks, "largest LUKS2 keyslot Memory: + cryptsetup overhead"),
        ("estimated", est.estimated,
         f"kernel + modules + {est.initramfs_factor} × initramfs + runtime + LUKS"),
        ("recommended", est.recommended, "max(kdump-utils table, estimated)"),
    ) if value is not None]
    estimated = est.estimated
    # each printed term is rounded down by less than 1 MiB (the initramfs counted N times)
    slack = (2 + est.initramfs_factor + (1 if est.luks else 0)) * MiB
    if estimated is not None and est.recommended >= estimated + slack:
        notes.append("the recommendation is larger than the estimate: the kdump-utils table "
                     "value for this RAM")
    if est.initramfs_factor == 1:
        notes.append("runtime reservation 64 MiB and the initramfs counted once: an older "
                     "kdumpctl (kdump-utils now counts 3 × initramfs + 16 MiB)")
    if est.large_modules:
        notes.append("large modules (≥ 1 MiB): " + ", ".join(
            f"{name} {format_size(size)}" for name, size in est.large_modules))
    if est.warning:
        notes.append("kdumpctl warned: the reservation is smaller than it recommends")
    notes.extend(f"kdumpctl: {line}" for line in est.log)
    return Measured("kdumpctl-estimate", KDUMPCTL_TITLE, est.recommended,
                    (f"crashkernel={est.recommended // MiB}M",), tuple(terms), tuple(notes),
                    est.path, "kdumpctl", est)


def from_calibrate(cal: calibrate_mod.Calibration, arch: str, ram: int | None,
                   dump_mode: str | None = None) -> Measured:
    """A row for ``kdumptool calibrate`` output (``arch`` and ``ram`` for YaST's fallback; in
    the fadump ``dump_mode`` the answer is calibrate's Fadump, as kdumptool commandline takes
    it)."""
    notes: list[str] = []
    if not cal.ok:
        yast = calibrate_mod.yast_limits(cal, arch, ram)
        most = format_size(yast.max_low) if yast.max_low else "all RAM"
        notes.append(f"kdumptool calibrate failed: {cal.failed}")
        notes.append(f"YaST then suggests 0 and allows 0 to {most} (KdumpCalibrator's "
                     f"fallback)")
        return Measured("kdumptool-calibrate", CALIBRATE_TITLE, None, (), (), tuple(notes),
                        cal.path, "suse", cal)
    labels = (("Low", cal.low), ("High", cal.high), ("MinLow", cal.min_low),
              ("MaxLow", cal.max_low), ("MinHigh", cal.min_high), ("MaxHigh", cal.max_high),
              ("Fadump", cal.fadump), ("MinFadump", cal.min_fadump),
              ("MaxFadump", cal.max_fadump), ("Total", cal.total))
    terms = [(label, value, "") for label, value in labels if value is not None]
    terms.append(("reserved by auto", cal.reservation, "Low + High"))
    if cal.fallback is not None:
        notes.append(f"calibrate could not calculate ({cal.fallback}) and printed its "
                     f"per-arch default (DEF_RESERVE_KB)")
    if cal.xen_domu:
        notes.append("every value 0: what calibrate prints in a Xen PV DomU (no kdump there)")
    if cal.low and cal.high:
        notes.append("Low and High: calibrate placed the block above 4 GiB (x86_64: +64 MiB "
                     "SWIOTLB, a low block below 4 GiB for DMA)")
    if dump_mode == "fadump" and cal.fadump:
        notes.append("fadump: kdumptool commandline writes crashkernel=<Fadump>M fadump=on "
                     "(fadump=nocma when makedumpfile keeps user pages or the format is raw)")
        return Measured("kdumptool-calibrate", CALIBRATE_TITLE, cal.fadump,
                        cal.words(fadump=True), tuple(terms), tuple(notes), cal.path, "suse",
                        cal)
    if dump_mode == "fadump":
        notes.append("fadump dump mode, but calibrate printed no Fadump (built without fadump "
                     "support): the kdump answer is shown")
    return Measured("kdumptool-calibrate", CALIBRATE_TITLE, cal.reservation or None,
                    cal.words(), tuple(terms), tuple(notes), cal.path, "suse", cal)


def unreadable(key: str, error: CrashmapError) -> Measured:
    title = KDUMPCTL_TITLE if key == "kdumpctl-estimate" else CALIBRATE_TITLE
    model = "kdumpctl" if key == "kdumpctl-estimate" else "suse"
    return Measured(key, title, None, (), (), (f"could not be read: {error}",),
                    error.path or "", model, None)


# --- files --------------------------------------------------------------------------------


STDIN = "-"
"""The FILE that means standard input (``kdumptool calibrate | crashmap estimate --calibrate -``)."""


def _name(path: str | Path) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def _text(path: str | Path) -> str:
    from crashmap.files import read_capped
    from crashmap.iomem import MAX_BYTES, read_text

    if str(path) != STDIN:
        return read_text(read_capped(path), str(path))
    import sys

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CrashmapError(f"larger than {MAX_BYTES >> 20} MiB, the most crashmap reads",
                            path=_name(path))
    return read_text(data, _name(path))


def read_kdumpctl(path: str | Path) -> Measured:
    """``--kdumpctl-estimate FILE`` (``-``: stdin; bad content: CrashmapError naming the file
    and line)."""
    return from_kdumpctl(kdumpctl_mod.parse(_text(path), _name(path)))


def read_calibrate(path: str | Path, arch: str, ram: int | None,
                   dump_mode: str | None = None) -> Measured:
    """``--calibrate FILE``: the output alone (``-``: stdin), or a supportconfig ``crash.txt``
    holding it."""
    text = _text(path)
    section = _calibrate_section(text)
    return from_calibrate(calibrate_mod.parse(section if section is not None else text,
                                              _name(path)), arch, ram, dump_mode)


def _calibrate_section(text: str) -> str | None:
    from crashmap.report_dir import supportconfig_sections

    for command, content in supportconfig_sections(text):
        if command.endswith(CALIBRATE_COMMAND):
            return content
    return None


def discover(snapshot: Snapshot | None, arch: str, ram: int | None,
             dump_mode: str | None = None) -> list[Measured]:
    """The peer outputs the snapshot carries (read from a sosreport or supportconfig, or saved
    in a snapshot file). An unreadable one becomes a row saying why."""
    if snapshot is None:
        return []
    rows: list[Measured] = []
    if snapshot.kdumpctl_estimate is not None:
        path = _where(snapshot, SOS_KDUMPCTL_ESTIMATE, "kdumpctl_estimate")
        try:
            rows.append(from_kdumpctl(kdumpctl_mod.parse(snapshot.kdumpctl_estimate, path)))
        except CrashmapError as error:
            rows.append(unreadable("kdumpctl-estimate", error))
    if snapshot.kdumptool_calibrate is not None:
        path = _where(snapshot, SUPPORTCONFIG_CRASH, "kdumptool_calibrate")
        if path.endswith(SUPPORTCONFIG_CRASH):
            path = f"{path} ({CALIBRATE_COMMAND})"
        try:
            rows.append(from_calibrate(calibrate_mod.parse(snapshot.kdumptool_calibrate, path),
                                       arch, ram, dump_mode))
        except CrashmapError as error:
            rows.append(unreadable("kdumptool-calibrate", error))
    return rows


def _where(snapshot: Snapshot, relative: str, key: str) -> str:
    """The report file the output came from, or the snapshot and its key."""
    source = snapshot.source or "snapshot"
    try:
        if (Path(source) / relative).is_file():
            return str(Path(source) / relative)
    except (OSError, ValueError):
        pass
    return f"{source} (key {key})"


# --- as inputs ---------------------------------------------------------------------------------

KDUMPCTL_LUKS_OVERHEAD = {"arm64": 50 * MiB}
"""do_estimate adds cryptsetup's overhead to the keyslot memory: 50M on aarch64, else 20M."""


def fill(inputs: Inputs, rows: list[Measured]) -> Inputs:
    """``inputs`` with the facts only ``kdumpctl estimate`` measured filled in where the source
    did not tell them (never over a known or given one): the kdump initramfs size, the size of
    the modules in it, the kernel image, and the LUKS keyslot memory behind ``LUKS required
    size`` (minus do_estimate's cryptsetup overhead). The sizes are kdumpctl's whole MiB."""
    est = next((r.peer for r in rows if isinstance(r.peer, kdumpctl_mod.KdumpctlEstimate)
                and r.peer.ok), None)
    if est is None:
        return inputs
    note = f"kdumpctl estimate ({est.path}), whole MiB rounded down"
    changes: dict[str, Any] = {}
    if inputs.initrd is None and est.initramfs:
        changes["initrd"] = est.initramfs
    if inputs.modules is None and est.modules is not None:
        large = sum(size for _, size in est.large_modules)
        changes["modules"] = (*est.large_modules,
                              ("(the other modules in the kdump initramfs)",
                               max(est.modules - large, 0)))
    if inputs.kernel_image is None and est.kernel_image:
        changes["kernel_image"] = est.kernel_image
    if est.luks:
        if inputs.luks is None:
            changes["luks"] = True
        if inputs.luks_memory is None:
            overhead = KDUMPCTL_LUKS_OVERHEAD.get(inputs.arch, 20 * MiB)
            changes["luks_memory"] = max(est.luks - overhead, 0)
    return inputs.given(**changes, _note=note) if changes else inputs


# --- beside the models ------------------------------------------------------------------------


def compare(row: Measured, models: list[ModelResult], inputs: Inputs) -> list[str]:
    """Sentences putting ``row`` beside crashmap's model of the same tool and its inputs."""
    model = next((m for m in models if m.key == row.model), None)
    out: list[str] = []
    if model is not None and model.bytes is not None and row.bytes is not None:
        diff = row.bytes - model.bytes
        out.append(f"crashmap's model ({model.title}): {format_size(model.bytes)}"
                   + (", the same" if diff == 0 else
                      f"; measured {format_size(abs(diff))} {'more' if diff > 0 else 'less'}"))
    elif model is not None and row.bytes is not None:
        out.append(f"crashmap's model ({model.title}): {model.unknown_text}")
    peer = row.peer
    if isinstance(peer, kdumpctl_mod.KdumpctlEstimate) and peer.ok:
        for label, measured, used, field in (
                ("kernel image", peer.kernel_image, inputs.kernel_image, "kernel_image"),
                ("kernel modules", peer.modules, inputs.modules_size, "modules"),
                ("initramfs", peer.initramfs, inputs.initrd, "initrd")):
            if measured is None or used is None or used // MiB == measured // MiB:
                continue
            out.append(f"{label}: kdumpctl measured {format_size(measured)}, crashmap used "
                       f"{format_size(used)} ({inputs.source(field)})")
    if isinstance(peer, calibrate_mod.Calibration) and peer.ok and peer.total:
        if inputs.ram is not None and inputs.ram // MiB != peer.total // MiB:
            out.append(f"calibrate's Total {format_size(peer.total)} (System RAM when it "
                       f"ran); this map: {format_size(inputs.ram)}")
    return out


__all__ = ["Measured", "compare", "discover", "fill", "from_calibrate", "from_kdumpctl",
           "read_calibrate", "read_kdumpctl"]
