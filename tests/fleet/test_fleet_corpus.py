"""A fleet made of every real dump in the corpus: each host lands in the class its dump's own
facts say (the provenance header's arch and kernel, the RAM its System RAM lines add up to)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.corpus import DUMPS, IOMEM

ARCHES = {"arm": "arm", "arm64": "arm64", "x86_64": "x86_64", "i386": "i386", "mips": "mips",
          "mips64": "mips", "loongarch64": "loongarch64", "riscv64": "riscv64", "s390x": "s390x"}
"""The header's arch word → crashmap's name for the kernel arch directory it builds."""
LINE = re.compile(r"^[\s>]*([0-9a-fA-F]+)-([0-9a-fA-F]+)\s*:\s*(.*?)\s*$")
GiB = 1 << 30


def header(text: str) -> dict[str, str]:
    facts = {}
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(":")
        facts[key.strip()] = value.strip()
    return facts


def ram_of(text: str) -> int:
    """System RAM the kernel counts, from the dump's lines: the outermost System RAM ranges,
    plus a Crash kernel range that sits outside them (s390 gives it back to memblock)."""
    ranges = []
    for line in text.splitlines():
        match = LINE.match(line)
        if match and match.group(3) in ("System RAM", "Crash kernel"):
            ranges.append((int(match.group(1), 16), int(match.group(2), 16) + 1, match.group(3)))
    ram = [(s, e) for s, e, name in ranges if name == "System RAM"]
    outer = [(s, e) for s, e in ram if not any(o != (s, e) and o[0] <= s and e <= o[1]
                                                 for o in ram)]
    crash = [(s, e) for s, e, name in ranges if name == "Crash kernel"
             and not any(o[0] <= s and e <= o[1] for o in outer)]
    return sum(e - s for s, e in set(outer) | set(crash))


def bracket(ram: int) -> str:
    if ram == 0:
        return "?"  # a fragment without System RAM lines
    rounded = -(-ram // (128 << 20)) * (128 << 20)
    lo = 1 << (rounded.bit_length() - 1)

    def word(n: int) -> str:
        return f"{n >> 40}T" if n >= 1 << 40 else f"{n >> 30}G" if n >= GiB else f"{n >> 20}M"
    return f"{word(lo)}-{word(lo * 2)}" if lo >= GiB else f"<{word(lo * 2)}"


def expected_class(text: str) -> tuple[str, str, str] | None:
    """(arch, kernel series, RAM bracket), or None for a dump read without root (all zeros)."""
    facts = header(text)
    body = [LINE.match(line) for line in text.splitlines() if not line.startswith("#")]
    if all(int(m.group(1), 16) == 0 == int(m.group(2), 16) for m in body if m):
        return None
    arch = ARCHES[facts["arch"].split()[0]]
    release = re.match(r"(\d+)\.(\d+)", facts.get("kernel", ""))
    series = f"{release.group(1)}.{release.group(2)}" if release else "?"
    return arch, series, bracket(ram_of(text))


def test_every_real_dump_lands_in_the_class_its_facts_say():
    expected = {str(p): expected_class(p.read_text(encoding="utf-8", errors="replace"))
                for p in DUMPS}
    run = subprocess.run([sys.executable, "-m", "crashmap", "fleet", str(IOMEM), "--jsonl"],
                         capture_output=True, text=True, timeout=300)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    hosts = {r["member"]: r for r in records if r["type"] == "host"}
    unreadable = [r["error"] for r in records if r["type"] == "unreadable"]
    assert run.returncode == 1  # the non-root dump cannot be read
    hidden = sorted(m for m, cls in expected.items() if cls is None)
    assert hidden and [e.split(": ")[0] for e in unreadable] == hidden
    assert all("addresses are hidden" in e for e in unreadable)
    assert sorted(hosts) == sorted(m for m, cls in expected.items() if cls is not None)
    for member, record in hosts.items():
        arch, series, ram_bracket = expected[member]
        assert (record["arch"], record["series"] or "?", record["bracket"]) == \
            (arch, series, ram_bracket), member
        assert record["class"].startswith(f"{arch} {series} {ram_bracket} low "), member
    # Hosts of one class share what the class names; every class is listed once with its count.
    classes = {r["class"]: r for r in records if r["type"] == "class"}
    for name, record in classes.items():
        members = [h for h in hosts.values() if h["class"] == name]
        assert record["hosts"] == len(members) and record["ok"] == sum(h["ok"] for h in members)
    summary = records[-1]
    assert summary["type"] == "summary" and summary["hosts"] == len(hosts)
    assert summary["classes"] == len(classes) and summary["unreadable"] == len(hidden)
