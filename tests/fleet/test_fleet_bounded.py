"""``crashmap fleet``'s memory is flat in the number of hosts: a fleet where no two hosts share a
map fills every cache to its bound and no further (entries counted, with the bounds made small),
keeps no error's traceback (its frames hold the host's record and parse), and prints what it
prints with the bounds at their defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crashmap.errors import CrashmapError
from crashmap.fleet import FleetRun, Summary, bounded, check_fleet, evaluate, summary
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
