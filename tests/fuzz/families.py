"""The in-process families: each builds one hostile input from a seeded ``Random`` and returns
the action that feeds it to crashmap's core and checks what comes back.

An action returns normally or raises ``CrashmapError`` (checked by ``runner.check_error``: one
line, naming the file); anything else is a failure. Beyond "no exception", the actions check
what the contract promises: a snapshot that loads saves byte-exact and loads back identical,
every JSON document is strict JSON (no NaN or infinity, integers as integers).
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from crashmap.arch import ARCHES
from crashmap.errors import CrashmapError

from tests.corpus import DUMPS
from tests.fuzz import cmdlines
from tests.fuzz.mutate import Mutator
from tests.fuzz.runner import ContractError, check_error

Action = Callable[[], None]
ARCH_NAMES = tuple(ARCHES)
RAMS = (0, 1, 1 << 20, 127 << 20, 128 << 20, 1 << 30, (4 << 30) - 1, 4 << 30, 24 << 30,
        1 << 40, (1 << 64) - (128 << 20), (1 << 64) - 1)


@cache
def dump_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8", errors="replace") for p in DUMPS)


@cache
def map_texts() -> tuple[str, ...]:
    from crashmap.sources import bundled_maps

    return tuple(p.read_text(encoding="utf-8") for p in bundled_maps().values())


def strict_json(document: object) -> None:
    """``json.dumps`` with NaN and infinity refused: what a JSON consumer can read."""
    try:
        json.dumps(document, allow_nan=False)
    except ValueError as error:
        raise ContractError(f"not strict JSON: {error}") from None


def expect(path: str | None, action: Action) -> None:
    """Run ``action``; a CrashmapError must be one line naming ``path``."""
    try:
        action()
    except CrashmapError as error:
        check_error(error, path)


def no_surrogates(text: str) -> str:
    """``text`` without lone surrogates (for inputs that must be valid to begin with)."""
    return text.encode("utf-8", "replace").decode("utf-8")


# --- the inputs ----------------------------------------------------------------------------------


def deep_iomem(rng: random.Random) -> str:
    """A chain of ranges each inside the one before, indented one more space per level."""
    depth = rng.choice((6, 50, 1200, 5000))
    lines = [f"{' ' * min(i, rng.choice((i, 2 * i)))}{i << 12:08x}-{(1 << 44) - 1 - i:011x} : "
             f"level {i}" for i in range(depth)]
    return "\n".join(lines) + "\n"


def iomem_text(rng: random.Random, gentle: bool = False) -> str:
    """A real dump, mutated (``gentle``: one edit, most often of a number, so that the input
    gets past the parser to the commands behind it), or a deep chain."""
    roll = rng.random()
    if roll < 0.05:
        return deep_iomem(rng)
    text = rng.choice(dump_texts())
    if roll < (0.3 if gentle else 0.1):
        return text
    mutator = Mutator(rng)
    if gentle:
        return mutator.replace_number(text) if rng.random() < 0.6 else mutator.mutate(text, 1)
    return mutator.mutate(text)


def snapshot_text(rng: random.Random, gentle: bool = False) -> str:
    """A snapshot YAML: a bundled map or a dump's snapshot, then edited as YAML or as text."""
    from crashmap.snapshot import Snapshot, to_yaml

    if rng.random() < 0.5:
        text = rng.choice(map_texts())
    else:
        snap = Snapshot(rng.choice(dump_texts()), hostname="box", arch=rng.choice(ARCH_NAMES),
                        cmdline=no_surrogates(cmdlines.cmdline(rng)), mem_total=rng.choice(RAMS),
                        kernel_release="6.18.0-1.fc43.x86_64", cpu_count=8)
        text = to_yaml(snap)
    mutator = Mutator(rng)
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.5:  # a top-level key gets a hostile value
            keys = [i for i, line in enumerate(lines) if line[:1].isalpha() and ":" in line]
            if keys:
                i = rng.choice(keys)
                key = lines[i].split(":", 1)[0]
                lines[i] = f"{key}: {rng.choice(YAML_VALUES)}"
        elif roll < 0.7:  # a key that is not a name, or a known key once more
            tops = [i for i, line in enumerate(lines) if line[:1].isalpha()] or [len(lines)]
            lines.insert(rng.choice(tops), rng.choice(YAML_KEYS))
        elif not gentle:
            lines = mutator.mutate("\n".join(lines)).split("\n")
    return "\n".join(lines)


YAML_VALUES = (
    "{a: 1}", "[1, 2]", "[[[[[]]]]]", "!!binary aGk=", "2020-13-45", "2020-01-01", ".inf", ".nan",
    "-.inf", "1e400", "0x" + "f" * 5000, "9" * 5000, "-1", "0b1010", "0o17", "017", "190:20:30",
    "1_000", "~", "null", "yes", "true", "'str'", "!!python/object:os.system", "&a x", "*a",
    "!!set {a}", "!!omap [a: 1]", "|\n  text\n  more", "!!str 5", "!!int abc", "!!float x",
    "!!bool maybe", "!!timestamp 2020-99-99", '"\\udc80"', '"\\ud800x"', '"\\x00\\x85"',
    '"a\\u2028b"', "18446744073709551616", "18446744073709551615", "0x10000000000000000",
    "!custom x", "? a", ">-\n  folded\n  text", "''", '"\\t\\r\\n"', "1.0", "x86_64", "arm64",
    "foo", "{" * 200 + "}" * 200, "- a", "&anchor\n  - 1",
)
YAML_KEYS = (
    "3: x", "null: x", "true: x", "? [a, b]\n: x", "? {a: 1}\n: x", "<<: {hostname: h}",
    "hostname: again", "mem_total: 1", "crashmap_snapshot: 1", "'': x", "~: y", "1.5: z",
    "iomem: 'x'", "cmdline: " + "crashkernel=1M " * 400, "[a]: b",
)


# --- the families ------------------------------------------------------------------------------


def _settle(snapshot: object, rng: random.Random) -> None:
    from crashmap.sources import settle_arch

    settle_arch(snapshot, rng.choice((None, None, *ARCH_NAMES)))


def _use_snapshot(snapshot: object, rng: random.Random, path: str) -> None:
    """What every subcommand does with a loaded map: show, check, save, estimate, verify."""
    from crashmap.checks import evaluate_cmdline
    from crashmap.cli.show import map_json
    from crashmap.placement import context_from_snapshot
    from crashmap.verify import verify

    _settle(snapshot, rng)
    strict_json(map_json(snapshot))
    _round_trip(snapshot, path)
    if snapshot.hidden:
        return
    ctx = context_from_snapshot(snapshot)
    verdict = evaluate_cmdline(ctx, cmdlines.cmdline(rng), system_ram=snapshot.system_ram)
    str(verdict.verdict_line)
    if rng.random() < 0.5:  # boot entry, kdumptool calibrate and sysconfig of a report folder
        strict_json(verify(snapshot).to_json())
    if rng.random() < 0.3:
        _estimate(snapshot, rng)


def _round_trip(snapshot: object, path: str) -> None:
    """A loaded snapshot saves, the save loads back identical, and saving that is byte-exact."""
    from crashmap.snapshot import _TYPES, from_yaml, to_yaml

    try:
        text = to_yaml(snapshot)
    except CrashmapError as error:
        raise ContractError(f"a snapshot that loaded does not save: {error}") from None
    again = from_yaml(text, "saved.yaml")
    for key in _TYPES:
        if getattr(again, key) != getattr(snapshot, key):
            raise ContractError(f"{key!r} changes through save and load")
    if to_yaml(again) != text:
        raise ContractError("saving a loaded save is not byte-exact")


def _estimate(snapshot: object, rng: random.Random, root: Path | None = None) -> None:
    """The estimate of ``snapshot``, with the live machine's extra files read from ``root``
    when given (calibrate.conf, the boot-time meminfo...)."""
    from crashmap.estimate.inputs import gather
    from crashmap.estimate.report import build, to_json, to_text
    from crashmap.estimate.whatif import WhatIf

    whatif = None
    if rng.random() < 0.5:
        whatif = WhatIf(ram=rng.choice((None, *RAMS[1:])),
                        capture_cpus=rng.choice((None, 1, 4, 4096)),
                        luks=rng.choice((None, True)), network=rng.choice((None, True)),
                        accept_cma=rng.random() < 0.7,
                        kernel_release=rng.choice((None, "6.17.0", "5.14.0", "7.3.4", "x")))
    inputs = gather(snapshot, live=root is not None, root=root)
    estimate = build(snapshot, inputs=inputs, whatif=whatif)
    strict_json(to_json(estimate))
    to_text(estimate)


def family_iomem(rng: random.Random) -> tuple[str, Action]:
    """A raw /proc/iomem text, mutated from a real dump, read as a file would be."""
    from crashmap.iomem import read_text
    from crashmap.sources import snapshot_from_iomem

    text = iomem_text(rng)
    path = "fuzz-iomem.txt"
    surrogates = rng.random() < 0.2

    def action() -> None:
        def load() -> None:
            if surrogates:  # what a caller that reads with surrogateescape hands over
                data = text.encode("utf-8", "surrogatepass")
                decoded = data.decode("utf-8", "surrogateescape")
            else:
                decoded = read_text(text.encode("utf-8", "surrogatepass"), path)
            snapshot = snapshot_from_iomem(decoded, path)
            _use_snapshot(snapshot, rng, path)
        expect(path, load)

    return text, action


def family_snapshot(rng: random.Random) -> tuple[str, Action]:
    """A snapshot YAML, edited as YAML (hostile values, odd keys) and as text."""
    from crashmap.snapshot import from_yaml

    text = snapshot_text(rng)
    path = "fuzz-snapshot.yaml"

    def action() -> None:
        def load() -> None:
            snapshot = from_yaml(text, path)
            snapshot.parsed  # noqa: B018 - the map is read on first use
            _use_snapshot(snapshot, rng, path)
        expect(path, load)

    return text, action


def family_snapshot_object(rng: random.Random) -> tuple[str, Action]:
    """A Snapshot built in Python with any text and values: it saves and loads back, or
    ``to_yaml`` refuses it with a CrashmapError."""
    from crashmap.snapshot import Snapshot, to_yaml

    mutator = Mutator(rng)
    iomem = mutator.mutate(rng.choice(dump_texts()))
    facts = {}
    if rng.random() < 0.5:
        facts["hostname"] = mutator.mutate("host-name", 2)
    if rng.random() < 0.5:
        facts["mem_total"] = rng.choice((*RAMS, -1, 1 << 64, 1 << 20000))
    if rng.random() < 0.3:
        facts["cmdline"] = cmdlines.cmdline(rng)
    snapshot = Snapshot(iomem, source="api", **facts)

    def action() -> None:
        try:
            to_yaml(snapshot)
        except CrashmapError as error:
            check_error(error, None)
            return
        _round_trip(snapshot, "api")

    shown = {k: v if not isinstance(v, int) or v.bit_length() < 200 else f"<{v.bit_length()}-bit>"
             for k, v in facts.items()}
    return repr((iomem[:2000], shown)), action


REPORT_FILES = {
    "proc/meminfo": "MemTotal:       16195000 kB\nMemFree:         1000000 kB\nHugetlb: 0 kB\n",
    "proc/modules": "e1000e 294912 0 - Live 0x0000000000000000\n"
                    "mlx5_core 2068480 0 - Live 0x0000000000000000\nxfs 2031616 2 - Live 0x0\n",
    "uname": "Linux box 6.18.0-1.fc43.x86_64 #1 SMP PREEMPT_DYNAMIC x86_64 x86_64 x86_64 "
             "GNU/Linux\n",
    "proc/cmdline": "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro crashkernel=256M\n",
    "sys/kernel/kexec_crash_size": "268435456\n",
    "sys/kernel/kexec_crash_loaded": "1\n",
    "sys/kernel/kexec_crash_cma_ranges": "100000000-13fffffff\n",
    "sys/module/zswap/parameters/enabled": "Y\n",
    "hostname": "box\n",
    "usr/lib/kdump/calibrate.conf": "KERNEL_BASE=56404\nKERNEL_INIT=20292\nINIT_CACHED=32628\n"
                                    "INIT_NET=2000\nINIT_CACHED_NET=1000\nPERCPU=100\n"
                                    "USER_BASE=10000\nUSER_NET=1000\nPAGESIZE=4096\n"
                                    "SIZEOFPAGE=64\n",
    "var/lib/kdump/mem-6.18.0-1.fc43.x86_64": "MemTotal: 16195000 kB\nMemFree: 15000000 kB\n"
                                             "Cached: 10000 kB\nBuffers: 100 kB\n",
    "var/lib/kdump/size_initrd.img-6.18.0-1.fc43.x86_64": "37\n",
    "etc/os-release": 'ID=fedora\nVERSION_ID="43"\n',
    "etc/sysconfig/kdump": 'KDUMP_CPUS="32"\nKDUMP_CRASHKERNEL="crashkernel=256M '
                           'crashkernel=72M,low"\n',
    "boot/grub2/grubenv": "# GRUB Environment Block\nsaved_entry=m-6.18.0-1.fc43.x86_64\n"
                          "kernelopts=root=/dev/sda1 ro crashkernel=256M\n",
    "boot/grub/grub.cfg": 'set default="0"\nfunction f {\n}\nmenuentry \'Box\' {\n'
                          "\tlinux /vmlinuz root=/dev/sda1 ro crashkernel=256M\n}\n",
    "boot/loader/entries/m-6.18.0-1.fc43.x86_64.conf": "version 6.18.0-1.fc43.x86_64\n"
                                                      "linux /vmlinuz-6.18.0-1.fc43.x86_64\n"
                                                      "options $kernelopts quiet\n",
    "etc/crypttab": "luks-root UUID=0 none\n",
    "sos_commands/kernel/dmesg": "[    0.000000] Memory: 16195000K/16777216K available\n"
                                 "[    0.000000] crashkernel reserved: 0x0000000065000000 - "
                                 "0x000000006b000000 (96 MB)\n",
    "sos_commands/kdump/kdumpctl_estimate": (
        "kdump: Rebuilding /boot/initramfs-6.18.0-1.fc43.x86_64kdump.img\n"
        "Reserved crashkernel:    256M\nRecommended crashkernel: 256M\n\n"
        "Kernel image size:   56M\nKernel modules size: 11M\nInitramfs size:      35M\n"
        "Runtime reservation: 16M\nLUKS required size:  1044M\nLarge modules:\n"
        "    mlx5_core: 2826240\n    xfs: 2031616\n"
        "WARNING: Current crashkernel size is lower than recommended size 1300M.\n"),
    "kdumptool_calibrate": ("Total: 16079\nLow: 72\nHigh: 284\nMinLow: 72\nMaxLow: 712\n"
                            "MinHigh: 0\nMaxHigh: 4096\nFadump: 0\nMinFadump: 0\n"
                            "MaxFadump: 0\n"),
}


def family_report(rng: random.Random) -> tuple[str, Action]:
    """An extracted sosreport or supportconfig folder whose number fields are not numbers."""
    mutator = Mutator(rng)
    files = dict(REPORT_FILES)
    files["proc/iomem"] = iomem_text(rng) if rng.random() < 0.3 else rng.choice(dump_texts())
    for name in rng.sample(sorted(files), rng.randint(1, 6)):
        if name == "proc/iomem" and rng.random() < 0.7:
            continue
        if rng.random() < 0.6:  # the fields that should be numbers are the point
            files[name] = mutator.replace_number(files[name])
        else:
            files[name] = mutator.mutate(files[name], rng.randint(1, 3))
    supportconfig = rng.random() < 0.3

    def action() -> None:
        from crashmap.sources import load_report_dir

        with tempfile.TemporaryDirectory(prefix="crashmap-fuzz-") as tmp:
            root = Path(tmp)
            if supportconfig:
                _write_supportconfig(root, files)
            else:
                for name, text in files.items():
                    target = root / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(text.encode("utf-8", "surrogatepass"))

            def load() -> None:
                snapshot = load_report_dir(root)
                _settle(snapshot, rng)
                _estimate(snapshot, rng, root if rng.random() < 0.5 else None)
                _use_snapshot(snapshot, rng, str(root))
            expect(str(root), load)

    return repr(files)[:100000], action


_SUPPORTCONFIG = {"proc/iomem": ("memory.txt", "/proc/iomem"),
                  "proc/meminfo": ("memory.txt", "/proc/meminfo"),
                  "proc/modules": ("modules.txt", "/sbin/lsmod - /proc/modules"),
                  "uname": ("basic-environment.txt", "/bin/uname -a"),
                  "proc/cmdline": ("boot.txt", "/proc/cmdline"),
                  "sys/kernel/kexec_crash_size": ("crash.txt", "/sys/kernel/kexec_crash_size"),
                  "sys/kernel/kexec_crash_loaded": ("crash.txt", "/sys/kernel/kexec_crash_loaded"),
                  "sos_commands/kernel/dmesg": ("boot.txt", "/bin/dmesg"),
                  "etc/sysconfig/kdump": ("crash.txt", "/etc/sysconfig/kdump"),
                  "kdumptool_calibrate": ("crash.txt", "/usr/sbin/kdumptool calibrate")}


def _write_supportconfig(root: Path, files: dict[str, str]) -> None:
    sections: dict[str, list[str]] = {}
    for name, (txt, title) in _SUPPORTCONFIG.items():
        sections.setdefault(txt, []).append(f"#==[ Command ]{'=' * 38}#\n# {title}\n"
                                            f"{files[name]}\n")
    for txt, parts in sections.items():
        (root / txt).write_bytes("".join(parts).encode("utf-8", "surrogatepass"))


def family_cmdline(rng: random.Random) -> tuple[str, Action]:
    """A command line read by the kernel grammar on any arch and RAM, linted, and diffed."""
    from crashmap.export.diff import cmdline_diff
    from crashmap.kernel.cmdline_edit import replace_crashkernel
    from crashmap.kernel.grammar import parse_crashkernel
    from crashmap.kernel.lint import lint_crashkernel
    from crashmap.kernel.ranges import evaluate_table, explain_table

    line = cmdlines.cmdline(rng)
    arch = rng.choice(ARCH_NAMES)
    ram = rng.choice(RAMS) if rng.random() < 0.7 else rng.randrange(1 << 64)
    table = cmdlines.range_table(rng)

    def action() -> None:
        result = parse_crashkernel(line, ram, arch)
        for finding in lint_crashkernel(result):
            str(finding)
        expect(None, lambda: evaluate_table(table, ram))
        expect(None, lambda: explain_table(table).size_at(ram))
        new = replace_crashkernel(line, [cmdlines.crashkernel_word(rng)])
        cmdline_diff(line, new, rng.choice((None, 40, 100)))

    return repr((line, arch, ram, table)), action


@lru_cache(maxsize=64)
def _loaded(index: int, arch: str) -> object:
    from crashmap.snapshot import from_yaml

    texts = map_texts()
    snapshot = from_yaml(texts[index % len(texts)], f"map{index}")
    snapshot.arch = arch
    return snapshot


@lru_cache(maxsize=64)
def _context(index: int, arch: str) -> object:
    from crashmap.placement import context_from_snapshot

    return context_from_snapshot(_loaded(index, arch))


def family_export(rng: random.Random) -> tuple[str, Action]:
    """A plan × a map × an arch × every export format, and the check of that plan."""
    from crashmap.checks import evaluate_cmdline
    from crashmap.export import FORMATS, export

    index = rng.randrange(len(map_texts()))
    arch = rng.choice(ARCH_NAMES)
    words = [cmdlines.crashkernel_word(rng) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
    words = [w for w in words if not any(c in " \t\n\r\v\f" for c in w)]
    current = cmdlines.cmdline(rng)
    ram = rng.choice((None, None, *RAMS))
    formats = rng.sample(list(FORMATS), rng.randint(1, 3))

    def action() -> None:
        snapshot = _loaded(index, arch)
        for fmt in formats:
            result = export(fmt, words, current, arch, snapshot=snapshot, ram=ram)
            if result.data is not None:
                strict_json(result.data)
        verdict = evaluate_cmdline(_context(index, arch), " ".join(words) or current,
                                   system_ram=ram or None)
        str(verdict.verdict_line)

    return repr((index, arch, words, current, ram, formats)), action


def family_peer_output(rng: random.Random) -> tuple[str, Action]:
    """``kdumpctl estimate`` or ``kdumptool calibrate`` output, mutated, given as a file."""
    mutator = Mutator(rng)
    kdumpctl = rng.random() < 0.5
    text = REPORT_FILES["sos_commands/kdump/kdumpctl_estimate" if kdumpctl
                        else "kdumptool_calibrate"]
    if rng.random() < 0.6:
        text = mutator.replace_number(text)
    else:
        text = mutator.mutate(text, rng.randint(1, 4))
    arch, ram = rng.choice(ARCH_NAMES), rng.choice(RAMS)

    def action() -> None:
        from crashmap.estimate import measured
        from crashmap.estimate.inputs import Inputs
        from crashmap.estimate.report import evaluate_inputs

        with tempfile.TemporaryDirectory(prefix="crashmap-fuzz-") as tmp:
            path = Path(tmp) / "peer.txt"
            path.write_bytes(text.encode("utf-8", "surrogatepass"))

            def read() -> None:
                row = (measured.read_kdumpctl(path) if kdumpctl
                       else measured.read_calibrate(path, arch, ram or None))
                strict_json(row.to_json())
                inputs = Inputs(arch=arch, ram=ram or None, kernel_image=30 << 20,
                                initrd=ram >> 8, modules=(("x", ram >> 10),))
                _, _, _, models = evaluate_inputs(inputs)
                for line in measured.compare(row, models, inputs):
                    if "\n" in line:
                        raise ContractError(f"a comparison of more than one line: {line!r}")
            expect(str(path), read)

    return repr((kdumpctl, arch, ram, text))[:100000], action


FAMILIES: dict[str, tuple[float, Callable[[random.Random], tuple[str, Action]]]] = {
    "iomem": (0.28, family_iomem),
    "snapshot": (0.22, family_snapshot),
    "snapshot-object": (0.06, family_snapshot_object),
    "report": (0.09, family_report),
    "cmdline": (0.20, family_cmdline),
    "export": (0.15, family_export),
    "peer-output": (0.03, family_peer_output),
}
"""Family name → (share of the inputs, the function that builds one input)."""
