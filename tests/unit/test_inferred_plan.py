"""A map with a ``Crash kernel`` and no command line: the plan it stands for is checked (and said
to be inferred), and the TUI starts from it; one domain function, ``infer_current``.

The real dumps carry the command line their kernel booted with in their provenance header
(``# crashkernel cmdline:``): the inferred plan must reserve the same blocks as that one did.
"""

from __future__ import annotations

import json
import re

import pytest
from crashmap.checks import evaluate_cmdline
from crashmap.cli import main
from crashmap.errors import CrashmapError
from crashmap.memmap import merge
from crashmap.placement import context_from_snapshot, infer_current
from crashmap.snapshot import Snapshot
from crashmap.sources import load_source

from tests.corpus import DUMPS, dump

M, G = 1 << 20, 1 << 30


@pytest.mark.parametrize(("prefix", "kernel", "words"), [
    ("01", None, ("crashkernel=96M",)),                           # x86_64, one block below 4G
    ("39", None, ("crashkernel=256M",)),                          # split by setup_data: merged
    ("05", "6.18", ("crashkernel=4G,high", "crashkernel=100M,low")),  # arm64: high + low
    ("05", None, ("crashkernel=4G",)),      # its own 5.6 reads no ,high/,low (arm64 from 5.19)
    ("68", None, ("crashkernel=256M",)),                          # s390x
    ("65", None, ("crashkernel=64M@128M",)),                      # mips: only @offset modelled
])
def test_the_inferred_words_of_real_dumps(prefix: str, kernel: str | None,
                                          words: tuple[str, ...]) -> None:
    from crashmap.kernel.target import parse_release

    snapshot = load_source(str(dump(prefix)))
    assert snapshot.cmdline is None
    target = parse_release(kernel) if kernel else None
    inferred = infer_current(context_from_snapshot(snapshot, kernel=target))
    assert inferred is not None and inferred.words == words
    assert "inferred from" in inferred.why
    if prefix == "05" and kernel is None:
        assert "the 100 MiB below it cannot be asked for on Linux 5.6" in inferred.why


@pytest.mark.parametrize("prefix", ["01", "65"])
def test_the_inferred_plan_is_the_real_command_line(prefix: str) -> None:
    """Where the dump's provenance header names the command line it booted with (and today's
    rules read it as that kernel did), the inferred words ask for the same blocks."""
    path = dump(prefix)
    header = re.search(r"^# crashkernel cmdline: (.*)$", path.read_text(), re.M)
    assert header, "the dump's provenance names its command line"
    real = " ".join(w for w in header.group(1).split() if w.startswith("crashkernel="))
    snapshot = load_source(str(path))
    ctx = context_from_snapshot(snapshot)
    inferred = infer_current(ctx)
    ram = snapshot.system_ram
    asked = evaluate_cmdline(ctx, real, system_ram=ram).placement
    ours = evaluate_cmdline(ctx, inferred.cmdline, system_ram=ram).placement
    assert asked.static.blocks and ours.static.blocks == asked.static.blocks


WITH_CRASH = [p for p in DUMPS if re.search(r"^[>\s]*[0-9a-fA-F]+-[0-9a-fA-F]+\s*: Crash kernel",
                                             p.read_text(errors="replace"), re.M)]


@pytest.mark.parametrize("path", WITH_CRASH, ids=lambda p: p.name[:40])
def test_the_inferred_plan_reserves_the_blocks_the_map_shows(path) -> None:  # type: ignore[no-untyped-def]
    """Every real dump with a Crash kernel: the inferred plan, placed on its own map, reserves
    blocks of the sizes it shows, on the same side of CRASH_ADDR_LOW_MAX."""
    try:
        snapshot = load_source(str(path))
        ctx = context_from_snapshot(snapshot)
    except CrashmapError:
        pytest.skip("the dump does not load (another test's subject)")
    if snapshot.hidden or not ctx.facts.crash_ranges:
        pytest.skip("no readable Crash kernel range")
    inferred = infer_current(ctx)
    placed = evaluate_cmdline(ctx, inferred.cmdline, system_ram=snapshot.system_ram).placement
    if placed.outcome == "not modelled":
        pytest.skip(f"{ctx.arch.name} placement is not modelled")

    def sides(ranges):  # type: ignore[no-untyped-def]
        return sorted((r.start >= ctx.low_max, r.end - r.start) for r in ranges)

    assert sides(b.range for b in placed.static.blocks) == sides(merge(ctx.facts.crash_ranges))


def test_high_only_and_cma_and_kexec_crash_size() -> None:
    iomem = ("00001000-7fffffff : System RAM\n  01000000-01ffffff : Kernel code\n"
             "100000000-47fffffff : System RAM\n  470000000-47fffffff : Crash kernel\n")
    high_only = Snapshot(iomem=iomem, arch="x86_64",
                         kexec_crash_cma_ranges="200000000-27fffffff\n")
    inferred = infer_current(context_from_snapshot(high_only))
    assert inferred.words == ("crashkernel=256M,high", "crashkernel=0,low",
                              "crashkernel=2G,cma")
    ppc = Snapshot(iomem="00000000-7fffffff : System RAM\n", arch="ppc64le",
                   kexec_crash_size=512 * M)
    assert infer_current(context_from_snapshot(ppc)).words == ("crashkernel=512M",)
    none = Snapshot(iomem="00000000-7fffffff : System RAM\n", arch="x86_64")
    assert infer_current(context_from_snapshot(none)) is None


def test_check_says_it_inferred_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(dump("01"))
    code = main(["check", path])
    out, err = capsys.readouterr()
    assert code == 0
    assert "Nothing is requested" not in out and "crashkernel=256M" not in out
    assert any(line.startswith("plan: crashkernel=96M (inferred from the Crash kernel")
               for line in out.splitlines()[1:4])
    assert "checking the current reservation as crashkernel=96M" in err
    assert "Reserves 96 MiB" in out and "current-elsewhere" in out  # compared with what is there
    assert main(["check", path, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["cmdline"] == "crashkernel=96M"
    assert document["cmdline_inferred"].startswith("inferred from the Crash kernel range")


def test_an_explicit_cmdline_is_not_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(dump("01")), "--cmdline", "crashkernel=512M"]) == 0
    out, err = capsys.readouterr()
    assert "inferred" not in out + err and "Reserves 512 MiB" in out
