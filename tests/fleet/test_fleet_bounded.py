"""``crashmap fleet``'s memory is flat in the number of hosts: a fleet where no two hosts share a
map fills every cache to its bound and no further (entries counted, with the bounds made small),
keeps no error's traceback (its frames hold the host's record and parse), and prints what it
prints with the bounds at their defaults."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from crashmap.errors import CrashmapError
from crashmap.fleet import FleetRun, Summary, bounded, check_fleet, evaluate, summary
from crashmap.iomem import Resource
from crashmap.snapshot import Snapshot, to_json_line, to_mapping
from crashmap.sources import load_file

MAP = Path(__file__).resolve().parents[2] / "maps" / "x86_64-desktop-i7.yaml"
HOSTS = 60
CAP = 6


def unique_fleet(path: Path, hosts: int) -> None:
    """``hosts`` hosts of one machine, each with a map, a RAM fact and a kernel config of its
    own (a device range past the end of the map, as hot-plugged memory moves them); every
    fifth host's map is broken (a range overlapping its neighbour), each in its own way."""
    base = to_mapping(load_file(MAP))
    base.pop("crashmap_snapshot")
    iomem = base.pop("iomem").rstrip("\n")
    lines = []
    for i in range(hosts):
        start = 0x300000000 + i * 0x1000
        extra = f"\n{start:x}-{start + 0xfff:x} : PCI Bus 0000:{i:02x}"
        if i % 5 == 4:
            extra += f"\n{start + 0x800:x}-{start + 0x17ff:x} : bad {i}"
        base.update(hostname=f"h{i}", mem_total=(8 << 30) - i * 4096,
                    kernel_config=f"CONFIG_CRASH_DUMP=y\n# host {i}\n" + "# pad\n" * 60)
        lines.append(to_json_line(Snapshot(iomem + extra + "\n", source="test", **base)))
    path.write_text("".join(lines))


def containers(run: FleetRun, result: Summary) -> dict[str, int]:
    """The length of everything a run and its summary keep: every dict and list attribute of
    the run, the module-level caches, and the shapes the classes keep whole."""
    sizes = {name: len(value) for name, value in vars(run).items()
             if isinstance(value, (dict, list))}
    sizes.update(readers=len(evaluate._READERS), targets=len(evaluate._TARGETS),
                 texts=len(bounded._IDS), classes_kept=sum(len(c.by_shape)
                                                           for c in result.classes.values()))
    return sizes


BOUNDS = ((evaluate, "MAX_SHAPES"), (evaluate, "MAX_SERIES"), (evaluate, "MAX_MAPS"),
          (evaluate, "MAX_CONTEXTS"), (evaluate, "MAX_TAILS"), (bounded, "MAX_TEXTS"),
          (summary, "KEPT"))


@pytest.fixture
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, name in BOUNDS:
        monkeypatch.setattr(module, name, CAP)
    monkeypatch.setattr(bounded, "COLLECT_EVERY", 8)
    bounded._IDS.clear()


def run_fleet(path: Path) -> tuple[FleetRun, Summary, list[str]]:
    run = FleetRun(None)
    out: list[str] = []
    result = check_fleet([str(path)], run, on_host=lambda host: out.append(host.json_line()),
                         on_bad=out.append)
    return run, result, out


def test_every_cache_stops_at_its_bound(tmp_path: Path, small_bounds: None) -> None:
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, HOSTS)
    run, result, _ = run_fleet(path)
    assert result.hosts == HOSTS - HOSTS // 5 and result.bad_count == HOSTS // 5
    assert run.parses == HOSTS  # every map parsed once: more than any cache holds
    sizes = containers(run, result)
    assert sizes["warnings"] == 0
    too_big = {name: n for name, n in sizes.items() if n > CAP}
    assert too_big == {}
    assert len(run.shapes) == CAP and len(bounded._IDS) == CAP  # filled, not left empty


def test_no_cached_error_keeps_its_traceback(tmp_path: Path) -> None:
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, 10)
    run, result, _ = run_fleet(path)
    errors = [shape for shape in run.shapes.values() if isinstance(shape, CrashmapError)]
    assert len(errors) == 2 == result.bad_count
    assert all(e.__traceback__ is None and e.__context__ is None for e in errors)


def test_small_bounds_print_what_large_ones_do(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Evicting only costs time: the hosts' records, the classes and the summary are the same
    with every bound at 4 as at its default (the hosts come round again, so evicted shapes,
    texts and parses are looked up again)."""
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, 12)
    path.write_text(path.read_text() * 3)
    _, result, out = run_fleet(path)
    expected = (out, [c.to_json() for c in result.classes.values()], result.to_json())
    for module, name in BOUNDS:
        monkeypatch.setattr(module, name, 4)
    bounded._IDS.clear()
    _, result, out = run_fleet(path)
    assert (out, [c.to_json() for c in result.classes.values()], result.to_json()) == expected
    assert json.loads(out[0])["host"] == "h0"


def test_the_collector_is_off_while_hosts_are_checked_and_back_after(tmp_path: Path) -> None:
    """check_fleet turns the automatic collector off for the run and leaves it as it found it,
    on after a run that raised too."""
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, 4)
    seen: list[bool] = []
    assert gc.isenabled()
    check_fleet([str(path)], FleetRun(None), on_host=lambda host: seen.append(gc.isenabled()))
    assert seen == [False, False, False, False] and gc.isenabled()

    def stop(host: object) -> None:
        raise RuntimeError("the reader went away")

    with pytest.raises(RuntimeError):
        check_fleet([str(path)], FleetRun(None), on_host=stop)
    assert gc.isenabled()
    gc.disable()
    try:
        check_fleet([str(path)], FleetRun(None))
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


class Cycle:
    """A reference cycle on its own, as a host's answer could make one."""

    def __init__(self) -> None:
        self.me = self


def left_after_run(path: Path, on_host: Any = None) -> tuple[FleetRun, list[Any]]:
    """The run of ``path`` and every object tracked just after it, with the automatic
    collector off from before the run to the count (only the run's own collections ran)."""
    run = FleetRun(None)
    gc.collect()
    gc.disable()
    try:
        check_fleet([str(path)], run, on_host=on_host)
        return run, gc.get_objects()
    finally:
        gc.enable()


def test_forgotten_parse_trees_are_collected_every_few_parses(
        tmp_path: Path, small_bounds: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parse tree the run forgets is a reference cycle: with the collector off they go every
    COLLECT_EVERY parses (8 here), so what is left is bounded by that and the maps kept, not
    by the number of hosts (60 here, each with a map of its own)."""
    monkeypatch.setattr(bounded, "COLLECT_HOSTS", 1 << 30)
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, HOSTS)
    gc.collect()
    before = sum(type(o) is Resource for o in gc.get_objects())
    run, left = left_after_run(path)
    per_map = len(load_file(MAP).parsed) + 2
    trees = sum(type(o) is Resource for o in left) - before
    assert run.parses == HOSTS
    assert trees <= (CAP + bounded.COLLECT_EVERY) * per_map < HOSTS * per_map / 2


def test_any_other_cycle_is_collected_every_few_hosts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever else would leave a cycle behind (an on_host here) is collected every
    COLLECT_HOSTS hosts (16 here) while the collector is off: of 60 hosts, fewer than 16
    cycles are left."""
    monkeypatch.setattr(bounded, "COLLECT_HOSTS", 16)
    monkeypatch.setattr(bounded, "COLLECT_EVERY", 1 << 30)
    path = tmp_path / "unique.jsonl"
    unique_fleet(path, HOSTS)
    _, left = left_after_run(path, on_host=lambda host: Cycle())
    assert 0 < sum(type(o) is Cycle for o in left) < 16
