"""``crashmap verify`` under hypothesis: any facts beside a real boot's map give rows (never an
exception), strict JSON and the exit the rows say; the crash_size row agrees exactly when sysfs
says what the Crash kernel lines add up to; kdumptool's -4/+16 MiB rule at every size; any
grubenv and BLS text reads or gives no entry."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from crashmap.bootentry import default_entry
from crashmap.grubcfg import parse_menu, pick
from crashmap.kdumptool_check import check
from crashmap.verify import AGREES, DIFFERS, UNKNOWN, verify
from hypothesis import given
from hypothesis import strategies as st

from tests.corpus import DATA
from tests.kernel.serial import Boot
from tests.property.profile import examples

M = 1 << 20
BOOT = Boot.parse((DATA / "kernel-boots" / "x86_64-q35-4G-mem1G-256M.txt").read_text())
LINES = 256 * M
"""The boot's one Crash kernel line: 256 MiB (crashkernel=256M)."""

WORDS = st.sampled_from(["crashkernel=256M", "crashkernel=128M,high", "crashkernel=64M,low",
                         "crashkernel=auto", "crashkernel=1G-:256M", "crashkernel=512M,cma",
                         "crashkernel=", "crashkernel=0", "fadump=on", "--", "quiet",
                         "crashkernel=99999999999999999999G", "crashkernel=256M@16M"])
CMDLINES = st.one_of(st.none(), st.lists(WORDS, max_size=5).map(" ".join),
                     st.text(max_size=60))
SIZES = st.one_of(st.none(), st.integers(min_value=0, max_value=(1 << 64) - 1),
                  st.sampled_from([0, LINES, LINES - M, LINES + M]))
CMA = st.one_of(st.none(), st.just(""), st.text(alphabet="0123456789abcdef-\n x", max_size=40))


@examples(150)
@given(cmdline=CMDLINES, crash_size=SIZES, cma=CMA,
       loaded=st.sampled_from([None, True, False]),
       release=st.sampled_from([None, "7.3.4", "4.18.0-553.el8_10.x86_64", "6.18.0", "x"]))
def test_any_facts_beside_a_real_map_give_rows(cmdline, crash_size, cma, loaded, release):
    snap = BOOT.snapshot("x86_64")
    snap.cmdline, snap.kexec_crash_size, snap.kexec_crash_cma_ranges = cmdline, crash_size, cma
    snap.kexec_crash_loaded, snap.kernel_release = loaded, release
    result = verify(snap, boot_entry=None)
    assert {r.status for r in result.rows} <= {AGREES, DIFFERS, UNKNOWN}
    assert result.ok == (DIFFERS not in {r.status for r in result.rows})
    json.dumps(result.to_json(), allow_nan=False)
    row = result.row("crash-size")
    if crash_size is not None and row.status != UNKNOWN:  # fadump makes it unknown
        assert (row.status == AGREES) == (crash_size == LINES)
    loaded_row = result.row("loaded")
    assert (loaded_row.status == DIFFERS) == (loaded is False and loaded_row.value == "0")


@examples(200)
@given(low=st.integers(min_value=1, max_value=100_000), high=st.integers(min_value=1,
                                                                         max_value=100_000),
       dl=st.integers(min_value=-40, max_value=40), dh=st.integers(min_value=-40, max_value=40))
def test_kdumptool_tolerance_at_any_size(low, high, dl, dh):
    expected = (f"crashkernel={low}M,low", f"crashkernel={high}M,high")
    if low + dl <= 0 or high + dh <= 0:
        return
    running = (f"crashkernel={low + dl}M,low", f"crashkernel={high + dh}M,high")
    ok, _ = check(expected, running, auto=True)
    assert ok == (-4 <= dl <= 16 and -4 <= dh <= 16)
    assert check(expected, running, auto=False)[0] == (dl == dh == 0)


@examples(100)
@given(grubenv=st.text(max_size=200), entry=st.text(max_size=200),
       name=st.sampled_from(["a", "m-7.3.4", "x y", "-"]), saved=st.booleans())
def test_any_grubenv_and_entry_text(grubenv, entry, name, saved):
    if saved:  # grubenv names the entry: it is read whatever it holds
        grubenv = f"{grubenv}\nsaved_entry={name}\n"  # the last assignment wins
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "boot/grub2").mkdir(parents=True)
        (root / "boot/loader/entries").mkdir(parents=True)
        (root / "boot/grub2/grubenv").write_text(grubenv, encoding="utf-8", errors="replace")
        (root / "boot/loader/entries" / f"{name}.conf").write_text(entry, encoding="utf-8",
                                                                   errors="replace")
        found = default_entry(root, "7.3.4")  # never raises: an entry, or none
        text = grubenv + entry
        if saved and "\x00" not in text and text.count("\ufffd") <= 8:  # both read as text
            assert found is not None
        if found is not None:  # the one entry there, its options on one line
            assert found.source == f"boot/loader/entries/{name}.conf"
            assert "\n" not in found.options and found.options == found.options.strip()


GRUB_LINES = st.sampled_from(["menuentry 'A' {", "submenu 'S' $menuentry_id_option 'sid' {",
                              "}", "function f {", "\tlinux /vmlinuz ro crashkernel=1G",
                              'set default="0"', 'set default="1>0"', "set default='S>A'",
                              'set default="${next_entry}"', "linux16 /x 'unbalanced", ""])


@examples(150)
@given(lines=st.lists(st.one_of(GRUB_LINES, st.text(max_size=30)), max_size=30),
       default=st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["0", "1>0", "S>A"])))
def test_any_grub_cfg_gives_a_menu_or_nothing(lines, default):
    menu, said = parse_menu("\n".join(lines))
    for choice in (said, default):
        found = pick(menu, choice)
        assert found is None or (found.linux is not None and found.children == ())
