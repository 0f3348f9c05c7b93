"""Snapshot YAML: byte-exact iomem, schema, types, unknown keys, hostile YAML, atomic writes."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crashmap.errors import CrashmapError
from crashmap.snapshot import Snapshot, from_yaml, load_snapshot, to_yaml, write_atomic

IOMEM = "00000000-00000fff : Reserved\n00001000-7fffffff : System RAM\n  01000000-01ffffff : Kernel code\n"


def test_round_trip_keeps_every_field_and_the_iomem_as_a_block_scalar():
    snap = Snapshot(iomem=IOMEM, hostname="box", arch="x86_64", kernel_release="6.17.2",
                    cmdline="ro crashkernel=256M", mem_total=2 << 30, page_size=4096, cpu_count=8,
                    kexec_crash_size=256 << 20, kexec_crash_loaded=True,
                    kexec_crash_cma_ranges="100000000-13fffffff\n", zswap_enabled=False,
                    balloon_loaded=True, swiotlb_size=64 << 20, boot_log="RAMDISK: [mem 0x1-0x2]",
                    taken_at="2026-11-26T06:00:00+00:00", taken_by="test")
    text = to_yaml(snap)
    assert text.startswith("crashmap_snapshot: 1\n")
    assert "iomem: |" in text
    back = from_yaml(text, "s.yaml")
    for name in ("iomem", "hostname", "arch", "kernel_release", "cmdline", "mem_total", "page_size",
                 "cpu_count", "kexec_crash_size", "kexec_crash_loaded", "kexec_crash_cma_ranges",
                 "zswap_enabled", "balloon_loaded", "swiotlb_size", "boot_log", "taken_at"):
        assert getattr(back, name) == getattr(snap, name), name
    assert back.source == "s.yaml" and back.warnings == []
    assert back.cma_ranges == [(0x100000000, 0x140000000)]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_iomem_text_survives_byte_exact(text):
    assert from_yaml(to_yaml(Snapshot(iomem=text)), "p").iomem == text


def test_missing_fields_are_unknown():
    snap = from_yaml(f"crashmap_snapshot: 1\niomem: |\n  00000000-0fffffff : System RAM\n", "m")
    assert snap.hostname is None and snap.cmdline is None and snap.kexec_crash_size is None
    assert snap.system_ram == 1 << 28


def test_unknown_keys_are_ignored_with_a_warning():
    snap = from_yaml("crashmap_snapshot: 1\nfuture_field: 3\niomem: '00000000-0fffffff : x'\n", "m")
    assert snap.warnings == ["m:2: unknown key 'future_field' ignored"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crashmap_snapshot: 1\nmem_total: lots\niomem: x\n", "key 'mem_total' must be int, not str"),
        ("crashmap_snapshot: 1\nzswap_enabled: 1\niomem: x\n", "key 'zswap_enabled' must be bool"),
        ("crashmap_snapshot: 1\ncpu_count: true\niomem: x\n", "key 'cpu_count' must be int, not bool"),
        ("crashmap_snapshot: 1\niomem: [a, b]\n", "key 'iomem' must be str, not list"),
        ("crashmap_snapshot: 2\niomem: x\n", "schema version 2 is not supported"),
        ("crashmap_snapshot: 1\n", "no 'iomem'"),
        ("- a\n- b\n", "a snapshot is a YAML mapping, this is list"),
        ("just a scalar\n", "a snapshot is a YAML mapping, this is str"),
        ("hostname: x\niomem: y\n", "not a crashmap snapshot"),
        ("crashmap_snapshot: 1\niomem: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_snapshots_get_one_line_naming_the_key(text, message):
    with pytest.raises(CrashmapError) as caught:
        from_yaml(text, "bad.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.yaml")
    assert "\n" not in str(caught.value)


def test_yaml_bomb_is_refused_before_expanding():
    bomb = ["crashmap_snapshot: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    bomb.append("iomem: *i")
    with pytest.raises(CrashmapError, match="anchors and aliases are not allowed"):
        from_yaml("\n".join(bomb) + "\n", "bomb.yaml")


def test_write_atomic_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "snap.yaml"
    write_atomic(target, "one\n")
    assert target.read_text() == "one\n"
    with pytest.raises(CrashmapError, match="already exists .*--force"):
        write_atomic(target, "two\n")
    assert target.read_text() == "one\n"
    write_atomic(target, "two\n", force=True)
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["snap.yaml"]  # no temporary file left


def test_write_atomic_gives_new_files_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.yaml", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o644


def test_write_atomic_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CrashmapError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "a.yaml", "x")


def test_load_snapshot_reports_unreadable_files(tmp_path):
    with pytest.raises(CrashmapError, match="cannot read"):
        load_snapshot(tmp_path / "missing.yaml")
