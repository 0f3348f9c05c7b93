"""JSON Lines fleet files: records checked like snapshot YAML, streamed, appended safely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from crashmap.errors import CrashmapError
from crashmap.jsonl import append_line, read_records
from crashmap.snapshot import Snapshot, from_mapping, from_yaml, to_json_line, to_yaml
from crashmap.sources import load_source

from tests.corpus import dump

MAP = "00000000-00000fff : Reserved\n00001000-3fffffff : System RAM\n"


def snap(host: str = "web01", **facts: object) -> Snapshot:
    return Snapshot(iomem=MAP, hostname=host, arch="x86_64", cmdline="crashkernel=256M",
                    kernel_release="6.18.1", **facts)


def test_a_record_carries_what_the_yaml_carries():
    original = load_source(str(dump("01")))
    original.hostname, original.inventory_hostname = "zenbook", "laptop-7"
    line = to_json_line(original)
    assert line.endswith("\n") and "\n" not in line[:-1]
    from_file = from_yaml(to_yaml(original), "x.yaml")
    record = json.loads(line)
    assert record["crashmap_snapshot"] == 1 and list(record)[-1] == "iomem"
    back = from_mapping(record, "f.jsonl", line=3)
    for field in ("iomem", "hostname", "inventory_hostname", "arch", "kernel_release",
                  "provenance"):
        assert getattr(back, field) == getattr(from_file, field) == getattr(original, field)
    assert back.source == "f.jsonl:3"


def test_bad_lines_are_reported_with_their_number_and_the_rest_is_read(tmp_path):
    path = tmp_path / "fleet.jsonl"
    good = to_json_line(snap("a"))
    path.write_text(good + "{not json\n" + "\n" + '{"crashmap_snapshot": 1, "iomem": 5}\n'
                    + '[1, 2]\n' + to_json_line(snap("b")).replace('"hostname":"b"',
                                                                   '"hostname":"b","zz":1'))
    records = list(read_records(path))
    assert [n for n, _ in records] == [1, 2, 4, 5, 6]
    errors = {n: str(r) for n, r in records if isinstance(r, CrashmapError)}
    assert errors[2].startswith(f"{path}:2: not a JSON object")
    assert errors[4] == f"{path}:4: key 'iomem' must be str, not int"
    assert errors[5] == f"{path}:5: a snapshot is a JSON mapping, this is list"
    last = records[-1][1]
    assert last.hostname == "b" and last.warnings == [f"{path}:6: unknown key 'zz' ignored"]


def test_a_line_of_the_file_is_a_source(tmp_path):
    path = tmp_path / "fleet.jsonl"
    for host in ("a", "b", "c"):
        append_line(path, to_json_line(snap(host)))
    assert load_source(f"{path}:2").hostname == "b"
    with pytest.raises(CrashmapError, match="holds more than one snapshot"):
        load_source(str(path))
    with pytest.raises(CrashmapError, match="no snapshot on that line"):
        load_source(f"{path}:9")


def test_append_adds_one_line_and_mends_a_missing_final_newline(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(to_json_line(snap("a"))[:-1])  # edited by hand: no final newline
    append_line(path, to_json_line(snap("b")))
    lines = path.read_text().splitlines()
    assert [json.loads(line)["hostname"] for line in lines] == ["a", "b"]
    with pytest.raises(ValueError):
        append_line(path, "two\nlines\n")


def test_append_refuses_what_is_not_a_regular_file():
    with pytest.raises(CrashmapError, match="not a regular file"):
        append_line("/dev/full", to_json_line(snap()))


def test_a_write_cut_short_leaves_the_file_as_it_was(tmp_path):
    """RLIMIT_FSIZE makes the kernel stop the write part way (a full disk does the same)."""
    path = tmp_path / "f.jsonl"
    path.write_text(to_json_line(snap("a")))
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 40}, resource.RLIM_INFINITY))
        from crashmap.cli import main
        sys.exit(main(["snapshot", {str(dump("01"))!r}, "--jsonl", "-o", {str(path)!r}]))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.startswith(f"crashmap: {path}: cannot append")
    assert "Traceback" not in run.stderr
    assert path.read_bytes() == before


def test_parallel_appenders_never_interleave(tmp_path):
    path = tmp_path / "f.jsonl"
    script = textwrap.dedent(f"""
        import sys
        from crashmap.jsonl import append_line
        from crashmap.snapshot import Snapshot, to_json_line
        big = "00001000-3fffffff : System RAM\\n" * 3000
        for i in range(40):
            snapshot = Snapshot(iomem=big, hostname=sys.argv[1] + str(i))
            append_line({str(path)!r}, to_json_line(snapshot))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in "xyz"]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    names = sorted(json.loads(line)["hostname"] for line in path.read_text().splitlines())
    assert names == sorted(f"{n}{i}" for n in "xyz" for i in range(40))


def test_snapshot_jsonl_appends_without_force_and_prints_without_o(tmp_path):
    path = tmp_path / "f.jsonl"
    for _ in range(2):
        run = subprocess.run([sys.executable, "-m", "crashmap", "snapshot", str(dump("01")),
                              "--jsonl", "-o", str(path)], capture_output=True, text=True)
        assert run.returncode == 0 and run.stdout == ""
    assert len(path.read_text().splitlines()) == 2
    run = subprocess.run([sys.executable, "-m", "crashmap", "snapshot", str(dump("01")),
                          "--jsonl"], capture_output=True, text=True)
    assert run.stdout.count("\n") == 1 and json.loads(run.stdout)["crashmap_snapshot"] == 1
    assert os.path.getsize(path) == 2 * len(run.stdout.encode())


def _lines_by_readline(path, limit):
    """What read_lines gave when it read with ``readline(MAX_LINE + 1)``: the reference."""
    out, number = [], 0
    with open(path, "rb") as handle:
        while raw := handle.readline(limit + 1):
            number += 1
            if len(raw) > limit:
                out.append((number, "too long"))
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(limit)
            elif not raw.isspace():
                out.append((number, raw))
    return out


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 64])
def test_lines_cut_across_chunks_are_the_lines_readline_gives(tmp_path, monkeypatch, chunk):
    """Lines spanning chunks, blank lines, a line longer than MAX_LINE (reported once, by
    number, the rest skipped) and a last line without its newline."""
    import random

    import crashmap.jsonl as jsonl

    monkeypatch.setattr(jsonl, "CHUNK", chunk)
    monkeypatch.setattr(jsonl, "MAX_LINE", 12)
    rng = random.Random(chunk)
    for case in range(60):
        words = [rng.choice([b"", b" ", b"\t", b"{}", b"abc", b"x" * rng.randint(1, 30)])
                 for _ in range(rng.randint(0, 12))]
        data = b"\n".join(words) + rng.choice([b"", b"\n", b"\n\n"])
        path = tmp_path / f"{case}.jsonl"
        path.write_bytes(data)
        got = [(n, "too long" if isinstance(v, CrashmapError) else v)
               for n, v in jsonl.read_lines(path)]
        assert got == _lines_by_readline(path, 12), data
        errors = [v for _, v in jsonl.read_lines(path) if isinstance(v, CrashmapError)]
        assert all(str(e).endswith("line longer than 0 MiB") for e in errors)
