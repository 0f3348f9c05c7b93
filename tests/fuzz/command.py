"""The command family: the ``crashmap`` command itself, in a subprocess, on hostile inputs.

Every run must exit 0, 1 or 2, print no traceback, and finish within the per-run timeout; an
exit 2 says why on stderr.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from crashmap.arch import ARCHES

from tests.fuzz import cmdlines
from tests.fuzz.families import REPORT_FILES, iomem_text, snapshot_text
from tests.fuzz.mutate import Mutator, as_bytes

SUBCOMMANDS = ("show", "check", "cmdline", "estimate", "export", "snapshot", "fleet", "man",
               "completion", "verify")
FORMATS = ("cmdline", "grub", "grubby", "bls", "rpm-ostree", "zipl", "kickstart", "autoyast",
           "suse-sysconfig", "json", "nope")


def command() -> list[str]:
    """How to run crashmap: the entry point next to this Python, else ``-m crashmap``."""
    script = Path(sys.executable).with_name("crashmap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crashmap"]


def _source(rng: random.Random, tmp: Path) -> str:
    roll = rng.random()
    if roll < 0.35:
        path = tmp / "map.txt"
        path.write_bytes(as_bytes(iomem_text(rng, gentle=True), rng.random() < 0.5))
        return str(path)
    if roll < 0.65:
        path = tmp / "snap.yaml"
        path.write_bytes(as_bytes(snapshot_text(rng, gentle=True), rng.random() < 0.5))
        return str(path)
    if roll < 0.8:
        root = tmp / "sosreport"
        mutator = Mutator(rng)
        files = dict(REPORT_FILES, **{"proc/iomem": iomem_text(rng, gentle=True)})
        for name in rng.sample(sorted(files), 2):
            files[name] = mutator.replace_number(files[name])
        for name, text in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(as_bytes(text))
        return str(root)
    return rng.choice(("demo", "x86_64-vm-qemu-3g", "s390x-vm-kvm-2g", "no-such-map", str(tmp),
                       "/dev/null", "/dev/zero", "", "-", "arm64-server-emag"))


def _value(rng: random.Random) -> str:
    return rng.choice(("64G", "0", "-1", "1.5G", "x", "4K", "64K", "18446744073709551616",
                       "9" * 5000, "²", "16", "1", "4096"))


def arguments(rng: random.Random, tmp: Path) -> list[str]:
    """One random but well-formed-looking command line for one subcommand."""
    sub = rng.choice(SUBCOMMANDS)
    args = [sub]
    if sub == "cmdline":
        args.append(cmdlines.cmdline(rng))
        if rng.random() < 0.5:
            args += ["--ram", _value(rng)]
    elif sub in ("man", "completion"):  # stdout only: the point is /dev/full
        return args + ([rng.choice(("bash", "zsh", "fish", "tcsh"))] if sub == "completion"
                       else [])
    elif sub == "fleet":
        return args + _fleet(rng, tmp)
    else:
        args.append(_source(rng, tmp))
    if rng.random() < 0.3:
        args += ["--arch", rng.choice((*ARCHES, "aarch64", "foo", ""))]
    if sub in ("show", "check", "cmdline", "estimate", "verify") and rng.random() < 0.5:
        args.append("--json")
    if sub == "check" and rng.random() < 0.6:
        args += ["--cmdline", cmdlines.cmdline(rng)]
    if sub == "export":
        args += ["-f", rng.choice(FORMATS)]
        if rng.random() < 0.6:
            args += ["--cmdline", cmdlines.cmdline(rng)]
        if rng.random() < 0.3:
            args += ["--current", cmdlines.cmdline(rng)]
        if rng.random() < 0.3:
            args += ["--ram", _value(rng)]
    if sub == "estimate":
        for option in ("--ram", "--page-size", "--luks", "--initrd", "--kernel-size"):
            if rng.random() < 0.15:
                args += [option, _value(rng)]
        for option in ("--cpus", "--machine-cpus"):
            if rng.random() < 0.1:
                args += [option, rng.choice(("0", "1", "4096", "-3", "x", "9" * 5000))]
        if rng.random() < 0.2:
            args.append("--no-cma")
    if sub == "snapshot":
        args += ["-o", _target(rng, tmp)]
        if rng.random() < 0.5:
            args.append("--force")
    return args


def _fleet(rng: random.Random, tmp: Path) -> list[str]:
    """A fleet: a folder of hostile members (maps, snapshots, sosreports), or the members one
    by one, with a plan, --suggest (and --rollout) and an output format."""
    hosts = tmp / "fleet"
    hosts.mkdir()
    members = []
    for i in range(rng.randint(1, 4)):
        member = hosts / f"host{i}"
        member.mkdir()
        members.append(_source(rng, member))
    args = [str(hosts)] if rng.random() < 0.5 else members
    roll = rng.random()
    if roll < 0.4:
        args += ["--cmdline", cmdlines.cmdline(rng)]
    elif roll < 0.7:
        args.append("--suggest")
        if rng.random() < 0.4:
            args.append("--rollout")
    if rng.random() < 0.5:
        args.append(rng.choice(("--json", "--jsonl", "--csv")))
    if rng.random() < 0.2:
        args += ["--arch", rng.choice((*ARCHES, "foo"))]
    return args


SPECIAL = ("fifo", "device", "link", "dir", "file")
"""``-o`` targets that are not a new file; crashmap must leave each as it was (it replaces only a
regular file, and that one only with --force)."""


def _target(rng: random.Random, tmp: Path) -> str:
    """A ``-o`` target: a new file, a missing folder, or an existing special file made here (a
    FIFO, a character device node like /dev/null but private to this run, a symbolic link, a
    directory, a regular file)."""
    kind = rng.choice(("new", "missing", *SPECIAL))
    path = tmp / f"target-{kind}"
    if kind == "missing":
        return str(tmp / "no-such-folder" / "out.yaml")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    elif kind == "link":
        (tmp / "link-target.txt").write_text("kept\n")
        path.symlink_to(tmp / "link-target.txt")
    elif kind == "dir":
        path.mkdir()
    elif kind == "file":
        path.write_text("kept\n")
    return str(path)


def _targets_kept(tmp: Path) -> str | None:
    """What happened to the special ``-o`` targets that should not have changed."""
    checks = {"fifo": stat.S_ISFIFO, "device": stat.S_ISCHR, "link": stat.S_ISLNK,
              "dir": stat.S_ISDIR}
    for kind, test in checks.items():
        path = tmp / f"target-{kind}"
        if os.path.lexists(path) and not test(os.lstat(path).st_mode):
            return f"the {kind} given to -o was replaced"
    if (tmp / "link-target.txt").exists() and (tmp / "link-target.txt").read_text() != "kept\n":
        return "the file behind the symbolic link given to -o was overwritten"
    return None


def run_one(rng: random.Random, timeout: float) -> tuple[str, str | None, str | None]:
    """(the arguments, failure, signature) of one run; failure None when it kept the contract.

    One run in eight writes its stdout to /dev/full (every write fails with ENOSPC)."""
    tmp = Path(tempfile.mkdtemp(prefix="crashmap-fuzz-cli-"))
    try:
        args = arguments(rng, tmp)
        full = rng.random() < 0.125
        env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
        try:
            # as a shell passes them: bytes, no NUL, at most MAX_ARG_STRLEN (128 KiB) each
            argv = [*command(), *(as_bytes(a).replace(b"\0", b"")[:100_000] for a in args)]
            with open("/dev/full", "wb") if full else contextlib.nullcontext() as sink:
                done = subprocess.run(argv, stdout=sink if full else subprocess.PIPE,
                                      stderr=subprocess.PIPE, timeout=timeout, env=env,
                                      stdin=subprocess.DEVNULL, cwd=tmp)
        except subprocess.TimeoutExpired:
            return _shown(args), f"no exit within {timeout:g} s", f"hang: crashmap {args[0]}"
        if full:
            args.append("> /dev/full")
        stderr = done.stderr.decode("utf-8", "replace")
        if "Traceback" in stderr:
            last = stderr.strip().splitlines()[-1][:120]
            return _shown(args), stderr[-2000:], f"traceback: crashmap {args[0]}: {last}"
        if done.returncode not in (0, 1, 2):
            return _shown(args), f"exit {done.returncode}: {stderr[-500:]}", \
                f"exit {done.returncode}: crashmap {args[0]}"
        if done.returncode == 2 and not stderr.strip():
            return _shown(args), "exit 2 without a message", f"silent exit 2: crashmap {args[0]}"
        if full and done.returncode == 0 and args[0] != "snapshot" and "-o" not in args:
            return _shown(args), "exit 0 although stdout could not be written", \
                f"output lost silently: crashmap {args[0]}"
        replaced = _targets_kept(tmp)
        if replaced:
            return _shown(args), replaced, f"replaced: crashmap {args[0]} -o"
        return _shown(args), None, None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _shown(args: list[str]) -> str:
    return repr([a if len(a) < 300 else a[:300] + f"...({len(a)} chars)" for a in args])
