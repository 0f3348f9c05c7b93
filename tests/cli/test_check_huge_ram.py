"""Maps that claim impossible amounts of RAM end in one line or a bounded walk, never a hang.

Found by the fuzzer (seed 20261203, iomem 27003): a real dump with one line edited to
``00000000-ffffffffffffffff : System RAM`` made ``check`` allocate x86 page tables for 16 EiB
until the machine killed it, and the RAM total (2**64) failed in the grammar without the file.
"""

from __future__ import annotations

import re
import time

from crashmap.cli import main
from crashmap.memmap import Range
from crashmap.placement.x86_pagetables import MAXMEM, early_page_tables

from tests.corpus import DUMPS


def _zenbook() -> str:
    return next(p for p in DUMPS if p.name.startswith("01-x86_64")).read_text()


def test_ram_spanning_the_whole_address_space_is_one_line_naming_file_and_line(tmp_path, capsys):
    # the fuzzer's input: every range of a real dump emptied, one System RAM line spanning all
    lines = [re.sub(r"^(\s*)[0-9a-f]+-[0-9a-f]+", r"\g<1>00000000-00000000", line)
             for line in _zenbook().splitlines()]
    at = max(i for i, line in enumerate(lines) if line.startswith("00000000-00000000 : System RAM"))
    lines[at] = "00000000-ffffffffffffffff : System RAM"
    path = tmp_path / "whole.txt"
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    code = main(["check", str(path), "--arch", "x86_64"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:{at + 1}: System RAM spans the whole 64-bit address space" in err
    assert time.monotonic() - started < 30  # it ran out of memory before


def test_page_table_walk_stops_at_maxmem():
    """e820_end_pfn() caps max_pfn at MAX_ARCH_PFN: RAM past MAXMEM is not mapped, so the walk
    over 4 PiB of RAM takes what it takes over the first 64 TiB."""
    brk = Range(1 << 24, (1 << 24) + (64 << 12))
    huge = early_page_tables([Range(0, 1 << 52)], [Range(0, 1 << 20), brk], brk, gbpages=True)
    capped = early_page_tables([Range(0, MAXMEM)], [Range(0, 1 << 20), brk], brk, gbpages=True)
    assert huge == capped
    assert huge[1]  # the walk took pages: the cap did not just empty the map
