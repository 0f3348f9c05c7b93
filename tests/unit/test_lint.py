"""Lint: every finding of issue 3's "Lint and explain" list, with the spec rule behind it."""

from __future__ import annotations

import re

import pytest
from crashmap.kernel.grammar import parse_crashkernel
from crashmap.kernel.lint import Lint, lint_crashkernel
from hypothesis import given
from hypothesis import strategies as st

M, G = 1 << 20, 1 << 30


def lint(cmdline: str, arch: str = "x86_64", ram: int = 16 * G) -> tuple[Lint, ...]:
    return lint_crashkernel(parse_crashkernel(cmdline, ram, arch))


def codes(cmdline: str, arch: str = "x86_64", ram: int = 16 * G) -> dict[str, str]:
    """code -> severity of each finding (the last one when a code repeats)."""
    return {f.code: f.severity for f in lint(cmdline, arch, ram)}


@pytest.mark.parametrize(
    ("cmdline", "arch", "ram"),
    [
        ("quiet crashkernel=256M", "x86_64", 16 * G),
        ("crashkernel=1G,high crashkernel=128M,low crashkernel=1G,cma", "x86_64", 16 * G),
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 16 * G),
        ("crashkernel=256M@16M", "x86_64", 16 * G),
        ("crashkernel=256M crashkernel=1G,cma", "ppc64le", 16 * G),
        ("\tcrashkernel=256M", "arm64", 16 * G),  # a tab before the word is a separator
    ],
)
def test_clean_lines_have_no_findings(cmdline: str, arch: str, ram: int) -> None:
    assert lint(cmdline, arch, ram) == ()


@pytest.mark.parametrize(
    ("cmdline", "arch", "ram", "code", "severity"),
    [
        # spec §2.2: look-alikes found by strstr
        ("xcrashkernel=256M", "x86_64", 16 * G, "lookalike-parameter", "warning"),
        ("foo.crashkernel=1G", "x86_64", 16 * G, "lookalike-parameter", "warning"),
        ('foo="crashkernel=512M"', "x86_64", 16 * G, "lookalike-parameter", "warning"),
        # spec §2.2.4: earlier words silently overridden
        ("crashkernel=128M crashkernel=256M", "x86_64", 16 * G, "overridden-word", "warning"),
        # spec §2.7: ,high/,low ignored because a plain word exists
        ("crashkernel=256M crashkernel=1G,high", "x86_64", 16 * G,
         "suffix-ignored-plain-present", "warning"),
        # spec §2.7: ,low without ,high
        ("crashkernel=256M,low", "x86_64", 16 * G, "low-without-high", "error"),
        # spec §2.7: ,cma alone on x86 does nothing; powerpc keeps it
        ("crashkernel=256M,cma", "x86_64", 16 * G, "cma-without-static", "error"),
        ("crashkernel=256M,cma", "ppc64le", 16 * G, "cma-without-static", "warning"),
        # spec §1: ,cma and ,high on arches that ignore them
        ("crashkernel=256M crashkernel=1G,cma", "loongarch64", 16 * G, "cma-unsupported-arch",
         "warning"),
        ("crashkernel=256M crashkernel=1G,high", "s390x", 16 * G,
         "suffix-unsupported-arch", "warning"),
        # crashkernel=auto is gone
        ("crashkernel=auto", "x86_64", 16 * G, "crashkernel-auto", "error"),
        # spec §2.1: MB / MiB / GB / KB are junk after the unit letter
        ("crashkernel=256MB", "x86_64", 16 * G, "unit-suffix", "error"),
        ("crashkernel=1GiB", "x86_64", 16 * G, "unit-suffix", "error"),
        ("crashkernel=2G-:256Mb", "x86_64", 16 * G, "unit-suffix", "warning"),  # accepted junk
        ("crashkernel=1.5G", "x86_64", 16 * G, "fractional-size", "error"),
        # spec §2.2.3: suffixes are case-sensitive
        ("crashkernel=256M,HIGH", "x86_64", 16 * G, "suffix-case", "error"),
        # spec §2.2.2: only a space ends a word
        ("crashkernel=256M\n", "x86_64", 16 * G, "whitespace-in-word", "error"),
        ("crashkernel=256M\tquiet crashkernel=128M", "x86_64", 16 * G,
         "whitespace-in-word", "warning"),
        # spec §3.1, §4: @offset not aligned to CRASH_ALIGN
        ("crashkernel=256M@17M", "x86_64", 16 * G, "offset-misaligned", "error"),
        ("crashkernel=256M@3M", "arm64", 16 * G, "offset-misaligned", "error"),
        ("crashkernel=256M@1536K", "s390x", 16 * G, "offset-misaligned", "warning"),
        # spec §2.4: the simple offset is not validated
        ("crashkernel=256M@foo", "x86_64", 16 * G, "offset-not-validated", "warning"),
        ("crashkernel=256M@16Mfoo", "x86_64", 16 * G, "offset-not-validated", "warning"),
        # spec §2.5: range tables
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", G, "range-reserves-nothing", "error"),
        ("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M", "x86_64", 512 * M,
         "range-size-invalidates", "error"),
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 64 * G - 100 * M,
         "range-rounded-up", "info"),
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 64 * G - 100 * M,
         "range-near-edge", "warning"),
        # the real cliff is at 2G - 128M + 1 (rounding): 2G - 50M is 78M above it, < 5 %
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 2 * G - 50 * M,
         "range-near-edge", "warning"),
        ("crashkernel=1G-4G:128M,2G-:256M", "x86_64", 16 * G, "range-overlap", "warning"),
        ("crashkernel=1G-2G:128M,4G-:256M", "x86_64", 16 * G, "range-gap", "info"),
        ("crashkernel=1G-:256M,junk", "x86_64", 16 * G, "range-trailing-junk", "warning"),
        # spec §2.7 step 4 and sizes worth a second look
        ("crashkernel=4G", "x86_64", 4 * G, "size-not-below-ram", "error"),
        ("crashkernel=0", "x86_64", 16 * G, "zero-size", "info"),
        ("quiet", "x86_64", 16 * G, "no-crashkernel", "info"),
        ("crashkernel=3G", "x86_64", 4 * G, "size-large", "warning"),
        ("crashkernel=256M crashkernel=32G,cma", "x86_64", 16 * G, "cma-not-below-ram", "warning"),
    ],
)
def test_each_finding(cmdline: str, arch: str, ram: int, code: str, severity: str) -> None:
    assert codes(cmdline, arch, ram).get(code) == severity


@pytest.mark.parametrize(
    ("cmdline", "arch", "ram", "code"),
    [
        ("crashkernel=0x1eB", "x86_64", 16 * G, "unit-suffix"),  # hex: B is a digit
        ("crashkernel=256M@16M", "x86_64", 16 * G, "offset-misaligned"),
        ("crashkernel=256M@2M", "arm64", 16 * G, "offset-misaligned"),
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 32 * G, "range-near-edge"),
        # 2G + 150M is 278M above the real cliff (2G - 128M + 1): more than 5 %
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 2 * G + 150 * M, "range-near-edge"),
        ("crashkernel=2G-64G:256M,64G-:512M", "x86_64", 64 * G, "range-rounded-up"),
        ("crashkernel=1G-2G:128M,2G-:256M", "x86_64", 16 * G, "range-gap"),
        ("crashkernel=1G-2G:128M,2G-:256M", "x86_64", 16 * G, "range-overlap"),
        ("crashkernel=256M,cma", "loongarch64", 16 * G, "cma-without-static"),
        ("crashkernel=2G", "x86_64", 4 * G, "size-large"),
        ("crashkernel=256M crashkernel=1G,high", "ppc64le", 16 * G,
         "suffix-ignored-plain-present"),
    ],
)
def test_no_false_alarm(cmdline: str, arch: str, ram: int, code: str) -> None:
    assert code not in codes(cmdline, arch, ram)


def test_lookalike_names_the_token_and_the_winner() -> None:
    (finding,) = [f for f in lint("quiet xcrashkernel=256M") if f.code == "lookalike-parameter"]
    assert "'xcrashkernel=256M'" in finding.message
    assert "in effect" in finding.message
    assert finding.word_start == 7


def test_near_edge_names_both_sizes() -> None:
    (finding,) = [f for f in lint("crashkernel=2G-64G:256M,64G-:512M", ram=64 * G - 100 * M)
                  if f.code == "range-near-edge"]
    assert "65408 MiB" in finding.message  # 64G - 128M: the last RAM that stays at 256M
    assert "256 MiB" in finding.message and "512 MiB" in finding.message


def test_size_invalidates_names_the_entry() -> None:
    (finding,) = [f for f in lint("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M", ram=512 * M)
                  if f.code == "range-size-invalidates"]
    assert finding.message.startswith("entry 3 ")


def test_every_overridden_word_is_reported() -> None:
    findings = lint("crashkernel=64M crashkernel=128M crashkernel=256M")
    assert [f.word_start for f in findings if f.code == "overridden-word"] == [0, 16]


TOKENS = ["crashkernel=", "x", " ", "\t", "\n", "256M", "1G", "0", "@16M", "@", ",high", ",low",
          ",cma", ",HIGH", "-", ":", ",", "2G-", "64G:", "512M", "MB", "auto", "1.5", "0x"]


@given(st.lists(st.sampled_from(TOKENS), max_size=14).map("".join),
       st.sampled_from(["x86_64", "arm64", "ppc64le", "s390x", "i386"]),
       st.integers(min_value=0, max_value=1 << 40))
def test_findings_are_well_formed(cmdline: str, arch: str, ram: int) -> None:
    for finding in lint(cmdline, arch, ram):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", finding.code)
        assert finding.severity in ("error", "warning", "info")
        assert finding.message and finding.reason
        assert ". " not in finding.reason  # one sentence
        assert str(finding).startswith(finding.code + ": ")
