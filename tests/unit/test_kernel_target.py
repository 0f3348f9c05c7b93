"""The target kernel and the version-keyed rules: the same words, different kernels, different
answers (each rule is a kernel commit; see crashmap.kernel.versions)."""

from __future__ import annotations

import pytest
from crashmap.errors import CrashmapError
from crashmap.iomem import parse_iomem
from crashmap.kernel.grammar import EINVAL, parse_crashkernel
from crashmap.kernel.lint import lint_crashkernel
from crashmap.kernel.target import ASSUMED_RELEASE, parse_release, resolve_target
from crashmap.kernel.versions import (
    CMA_READ,
    arch_for,
    differences,
    placement_era,
    rhel_auto_table,
)
from crashmap.memmap import MemoryMap
from crashmap.placement import build_context, request_from_grammar, simulate

M, G = 1 << 20, 1 << 30


def k(text: str):
    return parse_release(text)


@pytest.mark.parametrize(("text", "version", "distro", "el", "minor"), [
    ("6.17.2-300.fc43.x86_64", (6, 17, 2), None, None, None),
    ("4.18.0-553.el8_10.x86_64", (4, 18, 0), "rhel", 8, 10),
    ("5.14.0-427.el9.x86_64", (5, 14, 0), "rhel", 9, None),
    ("5.15.0-200.131.27.el8uek.x86_64", (5, 15, 0), "uek", 8, None),
    ("7.3.4", (7, 3, 4), None, None, None),
    ("v6.7", (6, 7, 0), None, None, None),
    ("6.7-rc", (6, 7, 0), None, None, None),
    ("5.13.0-1011-raspi", (5, 13, 0), None, None, None),
])
def test_release_strings(text, version, distro, el, minor) -> None:
    kernel = parse_release(text)
    assert (kernel.version, kernel.distro, kernel.el, kernel.el_minor) == (
        version, distro, el, minor)
    assert kernel.source == "given" and not kernel.assumed


@pytest.mark.parametrize("text", ["", "garbage", "6", "linux", "1.2.3", "6.x"])
def test_not_a_release(text) -> None:
    with pytest.raises(CrashmapError, match="not a kernel version"):
        parse_release(text)


def test_resolution_order() -> None:
    assert resolve_target("6.17", "5.3.11-gentoo").source == "given"
    assert resolve_target(None, "5.3.11-gentoo").describe() == "Linux 5.3.11 (from the snapshot)"
    assumed = resolve_target(None, None)
    assert assumed.assumed and assumed.version_text == ASSUMED_RELEASE
    assert "assumed" in assumed.describe()
    assert resolve_target(None, "not-a-version").assumed  # an odd release counts as unknown


# --- ,cma: the NULL cma_size pointer per arch AND version --------------------------------------

@pytest.mark.parametrize(("arch", "before", "since"), [
    ("x86_64", "6.16.12", "6.17"), ("ppc64le", "6.18.9", "6.19"), ("arm64", "7.2", "7.3"),
    ("riscv64", "7.2.1", "7.3.0")])
def test_cma_pointer_from_the_commit_on(arch, before, since) -> None:
    assert not arch_for(arch, k(before)).cma
    assert arch_for(arch, k(since)).cma
    assert arch_for(arch, None).cma  # the newest kernel modelled
    family = arch_for(arch, None).family
    assert CMA_READ[family].since == k(since).major_minor


def test_loongarch_and_s390_never_read_cma() -> None:
    for arch in ("loongarch64", "s390x", "arm", "mips", "i386"):
        assert not arch_for(arch, k("7.3")).cma


def test_arm64_7_2_vs_7_3_same_words() -> None:
    line = "crashkernel=512M crashkernel=256M,cma"
    old = parse_crashkernel(line, 8 * G, "arm64", kernel=k("7.2"))
    new = parse_crashkernel(line, 8 * G, "arm64", kernel=k("7.3"))
    assert (old.ok, old.cma_kept, old.cma_size) == (True, False, 0)
    assert (new.ok, new.cma_kept, new.cma_size) == (True, True, 256 * M)
    assert [u.status for u in old.words] == ["used", "ignored"]
    lint = {f.code: f for f in lint_crashkernel(old)}["cma-unsupported-arch"]
    assert "7.3" in lint.reason and "c12c63d05dfe" in lint.reason


def test_x86_6_16_vs_6_17_same_words() -> None:
    # before 35c18f2933c5 there is no ,cma class: "64M,cma" is the last plain word
    line = "crashkernel=256M crashkernel=64M,cma"
    old = parse_crashkernel(line, 8 * G, "x86_64", kernel=k("6.16"))
    assert (old.ret, old.error) == (EINVAL, "crashkernel: unrecognized char: ,")
    assert [(u.word.kind, u.status) for u in old.words] == [("plain", "overridden"),
                                                           ("plain", "used")]
    codes = {f.code: f.severity for f in lint_crashkernel(old)}
    assert codes["cma-word-is-plain"] == "error" and "suffix-case" not in codes
    new = parse_crashkernel(line, 8 * G, "x86_64", kernel=k("6.17"))
    assert (new.ok, new.crash_size, new.cma_size, new.cma_kept) == (True, 256 * M, 64 * M, True)
    # a ,cma word first: the later plain word wins on 6.16, both are read on 6.17
    first = parse_crashkernel("crashkernel=64M,cma crashkernel=256M", 8 * G, "x86_64",
                              kernel=k("6.16"))
    assert (first.ok, first.crash_size, first.cma_size) == (True, 256 * M, 0)


# --- x86 before the generic code: the parse flow and the placement eras -------------------------

def test_x86_before_6_7_reads_high_when_the_plain_word_fails() -> None:
    line = "crashkernel=abc crashkernel=512M,high"
    old = parse_crashkernel(line, 8 * G, "x86_64", kernel=k("6.6"))
    assert (old.ok, old.high, old.crash_size) == (True, True, 512 * M)
    new = parse_crashkernel(line, 8 * G, "x86_64", kernel=k("6.7"))
    assert not new.ok  # generic: any plain word disables ,high (70916e9c8d9f)


X86 = "\n".join([
    "00001000-0009ffff : System RAM",
    "00100000-bfffffff : System RAM",
    "  01000000-01ffffff : Kernel code",
    "c0000000-ffffffff : PCI Bus 0000:00",
    "100000000-13fffffff : System RAM",
]) + "\n"


def place(iomem: str, cmdline: str, release: str, arch: str = "x86_64"):
    kernel = k(release)
    ctx = build_context(MemoryMap(parse_iomem(iomem, "test")), arch, kernel=kernel)
    result = parse_crashkernel(cmdline, ctx.total_ram, ctx.arch, kernel=kernel)
    return ctx, simulate(ctx, request_from_grammar(result))


def test_x86_eras_place_the_same_plain_size_differently() -> None:
    # 4.19: [16 MiB, 896 MiB) only (before 9ca5c8e632ce); 5.2+: below 4 GiB, top-down
    ctx, old = place(X86, "crashkernel=256M", "4.19.15")
    assert ctx.era.key == "x86-896m"
    assert old.main.range.end == 896 * M and old.main.size == 256 * M
    assert old.kernel_log[0].startswith("Reserving 256MB of memory at 640MB for crashkernel")
    _, mid = place(X86, "crashkernel=256M", "5.3.11")
    _, new = place(X86, "crashkernel=256M", "6.7")
    assert mid.main.range == new.main.range and mid.main.range.end == 0xC0000000
    assert mid.kernel_log[0].startswith("Reserving 256MB") and \
        new.kernel_log[0].startswith("crashkernel reserved:")


def test_x86_896m_era_has_no_fallback_but_5_2_goes_high() -> None:
    _, old = place(X86, "crashkernel=1G", "5.1")  # 1 GiB does not fit below 896 MiB
    assert old.outcome == "failed"
    assert old.kernel_log == ("crashkernel reservation failed - No suitable area found.",)
    _, mid = place(X86, "crashkernel=3G", "5.10")  # nothing low holds 3 GiB: goes high
    assert mid.outcome == "failed"  # ... and 1 GiB above 4 GiB cannot hold it either
    _, fits = place(X86, "crashkernel=768M crashkernel=64M,low", "5.10", )
    assert fits.main.end <= 0xC0000000 and fits.low is None


def test_x86_5_x_low_word_applies_to_a_plain_block_that_lands_high() -> None:
    high_ram = X86.replace("100000000-13fffffff", "100000000-23fffffff")  # 5 GiB above 4 GiB
    line = "crashkernel=4G crashkernel=64M,low"  # 4 GiB cannot go low: falls back high
    _, old = place(high_ram, line, "5.10")
    assert old.main.start >= 1 << 32 and old.low.size == 64 * M  # reserve_crashkernel_low()
    _, new = place(high_ram, line, "6.7")
    assert new.main.start >= 1 << 32 and new.low.size == 256 * M  # generic: default low


def test_x86_fixed_base_alignment_1m_before_6_7() -> None:
    _, old = place(X86, "crashkernel=64M@0x21100000", "6.6")
    assert old.main.start == 0x21100000
    _, new = place(X86, "crashkernel=64M@0x21100000", "6.7")
    assert new.main is None and new.static.failure == "misaligned"  # CRASH_ALIGN 16 MiB


ARM = "\n".join(["40000000-13fffffff : System RAM", "  40200000-41ffffff : Kernel code"]) + "\n"


def test_arm64_eras() -> None:
    big = "crashkernel=3584M"  # 3.5 GiB: does not fit below 4 GiB (3 GiB of RAM there)
    ctx, old = place(ARM, big, "6.1", "arm64")
    assert ctx.era.key == "arm64-5.19" and old.outcome == "failed"  # no fallback before 6.2
    # 6.2-6.4 (a9ae89df7377) retried [0, end of RAM): the block straddles 4 GiB, the case
    # 6c4dcaddbd36 (6.5) removed; from 6.5 the fallback searches only above 4 GiB, 1 GiB here
    ctx, mid = place(ARM, big, "6.2", "arm64")
    assert ctx.era.key == "arm64-6.2"
    assert mid.main.start < 1 << 32 < mid.main.end
    assert mid.low is None  # added only when the base is above DMA limit - 128 MiB
    ctx, new = place(ARM, big, "7.3", "arm64")
    assert ctx.era.key == "generic" and new.outcome == "failed"
    ctx, unknown = place(ARM, "crashkernel=256M", "5.10", "arm64")
    assert not ctx.era.modelled and unknown.outcome == "not modelled"
    _, fixed = place(ARM, "crashkernel=256M@0x80000000", "5.10", "arm64")
    assert fixed.main.start == 0x80000000  # a fixed base is still predicted


def test_differences_name_the_commit_for_an_assumed_kernel() -> None:
    text = " ".join(differences("arm64"))
    assert "before 7.3 arm64 ignores ,cma" in text and "c12c63d05dfe" in text
    assert "35c18f2933c5" in text
    assert placement_era("arm64", None).key == "generic"


# --- crashkernel=auto --------------------------------------------------------------------------

def test_auto_on_rhel8_reads_its_table_and_on_everything_else_nothing() -> None:
    rhel8 = k("4.18.0-553.el8_10.x86_64")
    result = parse_crashkernel("crashkernel=auto", 8 * G, "x86_64", kernel=rhel8)
    assert (result.ok, result.crash_size) == (True, 192 * M)
    assert result.messages[0].startswith("Using crashkernel=auto")
    small = parse_crashkernel("crashkernel=auto", 800 * M, "x86_64", kernel=rhel8)
    assert not small.ok  # 1G-4G:...: RAM rounded up to 896 MiB is below 1 GiB
    assert {f.code for f in lint_crashkernel(small)} >= {"crashkernel-auto-too-small"}
    arm = parse_crashkernel("crashkernel=auto", 8 * G, "arm64",
                            kernel=k("4.18.0-553.el8_10.aarch64"))
    assert arm.crash_size == 448 * M and rhel_auto_table("arm64", rhel8) == "2G-:448M"
    for other in ("5.14.0-427.el9.x86_64", "6.17.2-300.fc43.x86_64"):
        none = parse_crashkernel("crashkernel=auto", 8 * G, "x86_64", kernel=k(other))
        assert none.error == "crashkernel: memory value expected"
        assert {f.code: f.severity for f in lint_crashkernel(none)}["crashkernel-auto"] == \
            "error"
    old = parse_crashkernel("crashkernel=auto", 8 * G, "x86_64", kernel=k("3.10.0-1160.el7"))
    assert "crashkernel-auto-not-modelled" in {f.code for f in lint_crashkernel(old)}


def test_powerpc_auto_table_follows_fadump() -> None:
    rhel8 = k("4.18.0-553.el8_10.ppc64le")
    assert rhel_auto_table("ppc64le", rhel8, "fadump=on").startswith("4G-16G:768M")
    assert rhel_auto_table("ppc64le", rhel8, "fadump=off").startswith("2G-4G:384M")
    assert rhel_auto_table("ppc64le", rhel8, "").startswith("2G-4G:384M")


# --- proposed, not mainline ----------------------------------------------------------------------

def test_range_boundary_is_ignored_after_a_match_and_einval_without_one() -> None:
    line = "crashkernel=1G-4G:256M,4G-:512M,>384M"
    matched = parse_crashkernel(line, 8 * G, "x86_64")
    assert matched.ok and matched.crash_size == 512 * M and not matched.high
    lint = {f.code: f for f in lint_crashkernel(matched)}["proposed-range-boundary"]
    assert lint.severity == "warning" and "ignored silently" in lint.reason
    small = parse_crashkernel("crashkernel=1G-4G:256M,>384M", 512 * M, "x86_64")
    assert small.ret == EINVAL and small.error == "crashkernel: Memory value expected"
    assert {f.code: f.severity for f in lint_crashkernel(small)}["proposed-range-boundary"] == \
        "error"


def test_range_high_is_einval() -> None:
    result = parse_crashkernel("crashkernel=1G-4G:256M,high", 8 * G, "x86_64")
    assert result.ret == EINVAL
    lint = {f.code: f for f in lint_crashkernel(result)}["proposed-range-high"]
    assert lint.severity == "error" and "not merged" in lint.message
    ignored = parse_crashkernel("crashkernel=256M crashkernel=1G-4G:256M,high", 8 * G, "x86_64")
    assert ignored.ok
    assert {f.code: f.severity for f in lint_crashkernel(ignored)}["proposed-range-high"] == \
        "warning"


def test_only_ascii_digits_make_a_version() -> None:
    for text in ("٣.٣", "６.１７", "6\u0662.1"):
        with pytest.raises(CrashmapError):
            parse_release(text)
