"""Every export format on the five plan shapes (issue 4, `crashmap export`).

Expected strings are written from each format's own documentation, cited at each test, not from
running the exporter: kdump-utils / grubby for grubby, rpm-ostree's kargs help and libostree for
rpm-ostree, the Boot Loader Specification for bls, s390-tools' example zipl.conf for zipl, the
Ubuntu Server guide and Debian's kdump-tools.cfg for grub, kdump-anaconda-addon for kickstart,
yast-kdump's kdump.rnc for autoyast, openSUSE kdump's test suite for suse-sysconfig.
"""

from __future__ import annotations

import json
import shlex
import xml.etree.ElementTree as ET

import pytest
from crashmap.errors import CrashmapError
from crashmap.export import FORMATS, ExportResult, export, plan_words

M, G = 1 << 20, 1 << 30
RAM = 16 * G
CURRENT = "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.17.1 root=/dev/sda2 ro crashkernel=256M quiet"
OTHERS = "root=/dev/sda2 ro {} quiet"  # the current line without BOOT_IMAGE=, words in place

PLANS = {
    "plain": ("crashkernel=512M",),
    "range": ("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M",),
    "high-low": ("crashkernel=1G,high", "crashkernel=128M,low"),
    "offset": ("crashkernel=256M@16M",),
    "cma": ("crashkernel=256M", "crashkernel=1G,cma"),
}


def run(fmt: str, plan: str, current: str = CURRENT, arch: str = "x86_64") -> ExportResult:
    return export(fmt, PLANS[plan], current, arch, ram=RAM, update_kernel="ALL")


def body(text: str) -> list[str]:
    """The lines that are not comments."""
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_formats_are_the_issue_list_in_order() -> None:
    assert list(FORMATS) == ["cmdline", "grub", "grubby", "bls", "rpm-ostree", "zipl",
                             "kickstart", "autoyast", "suse-sysconfig", "json"]
    assert all(text and "\n" not in text for text in FORMATS.values())


@pytest.mark.parametrize("plan", PLANS)
def test_cmdline_is_the_whole_line_with_the_words_in_place(plan: str) -> None:
    result = run("cmdline", plan)
    words = " ".join(PLANS[plan])
    expected = f"BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.17.1 root=/dev/sda2 ro {words} quiet"
    assert result.text == expected + "\n"
    assert result.new_cmdline == expected
    assert result.words == PLANS[plan]


@pytest.mark.parametrize("plan", PLANS)
def test_bls_options_line(plan: str) -> None:
    # BLS: "options" carries the kernel parameters; BOOT_IMAGE= is the boot loader's own word
    # (libostree filters it from /proc/cmdline the same way), so it is not in the entry.
    result = run("bls", plan)
    assert body(result.text) == [f"options {OTHERS.format(' '.join(PLANS[plan]))}"]
    assert "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.17.1" in result.text  # named in the comment


@pytest.mark.parametrize("plan", PLANS)
def test_zipl_parameters_line(plan: str) -> None:
    # s390-tools example zipl.conf: parameters = "root=/dev/ram0 ro"; then run zipl.
    result = run("zipl", plan, arch="s390x")
    lines = body(result.text)
    assert lines == [f'parameters = "{OTHERS.format(" ".join(PLANS[plan]))}"']
    assert result.text.rstrip().endswith("# then run: zipl")


def test_zipl_warns_off_s390() -> None:
    assert any("s390x" in w for w in run("zipl", "plain").warnings)
    assert not any("s390x boot loader" in w for w in run("zipl", "plain", arch="s390x").warnings)


@pytest.mark.parametrize("plan", PLANS)
def test_grubby_command(plan: str) -> None:
    # kdump-utils: grubby --args crashkernel=... --update-kernel ALL; grubby(8): --remove-args.
    result = run("grubby", plan)
    (command,) = body(result.text)
    removed = [] if "crashkernel=256M" in PLANS[plan] else ["--remove-args=crashkernel=256M"]
    assert shlex.split(command) == [
        "grubby", "--update-kernel=ALL", "--args=" + " ".join(PLANS[plan]), *removed]


def test_grubby_quotes_several_words_as_the_docs_do() -> None:
    (command,) = body(run("grubby", "high-low").text)
    assert command == ('grubby --update-kernel=ALL --args="crashkernel=1G,high '
                       'crashkernel=128M,low" --remove-args=crashkernel=256M')


def test_grubby_warns_about_several_words_and_auto_reset() -> None:
    result = run("grubby", "high-low")
    assert any("grubby-bls" in w and "2 words" in w for w in result.warnings)
    assert "auto_reset_crashkernel no" in result.text
    assert not any("grubby-bls" in w for w in run("grubby", "plain").warnings)


def test_grubby_on_s390x_runs_zipl_after() -> None:
    assert body(run("grubby", "plain", arch="s390x").text)[-1] == "zipl"


def test_grubby_keeps_words_the_plan_keeps() -> None:
    result = export("grubby", ("crashkernel=256M", "crashkernel=1G,cma"), CURRENT, "x86_64",
                    ram=RAM)
    (command,) = body(result.text)
    assert "--remove-args" not in command  # crashkernel=256M stays: nothing to remove


@pytest.mark.parametrize("plan", PLANS)
def test_rpm_ostree_kargs(plan: str) -> None:
    # rpm-ostree kargs --help: --delete-if-present=KEY=VALUE, --append=KEY=VALUE.
    (command,) = body(run("rpm-ostree", plan).text)
    kept = "crashkernel=256M" in PLANS[plan]
    expected = ["rpm-ostree", "kargs"]
    if not kept:
        expected.append("--delete-if-present=crashkernel=256M")
    expected += [f"--append={w}" for w in PLANS[plan] if w != "crashkernel=256M"]
    assert shlex.split(command) == expected


def test_rpm_ostree_never_uses_append_if_missing() -> None:
    # rpm-ostree kargs --help: --append-if-missing is "Like --append, but does nothing if the
    # key is already present", so a second crashkernel= word would be lost.
    assert "append-if-missing" not in run("rpm-ostree", "high-low").text


def test_rpm_ostree_nothing_to_change() -> None:
    result = export("rpm-ostree", ("crashkernel=256M",), CURRENT, "x86_64", ram=RAM)
    assert body(result.text) == []
    assert "nothing to change" in result.text


@pytest.mark.parametrize("plan", PLANS)
def test_grub_snippet(plan: str) -> None:
    # Debian kdump-tools.cfg is a grub.d file that appends to a GRUB_CMDLINE_* variable, then
    # sudo update-grub (Ubuntu Server guide); the variable is GRUB_CMDLINE_LINUX, the one
    # kdumpctl edits (kdump-utils spec/kdumpctl_general_spec.sh
    # _update_kernel_arg_in_grub_etc_default: the word "should appear in the end").
    text = run("grub", plan).text
    assert text.startswith("# /etc/default/grub.d/")
    assert (f'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX {" ".join(PLANS[plan])}"'
            in text.splitlines())
    assert "update-grub" in text


@pytest.mark.parametrize("plan", PLANS)
def test_suse_sysconfig(plan: str) -> None:
    # openSUSE's test suite: KDUMP_CRASHKERNEL="crashkernel=256M,high crashkernel=128M,low"
    text = run("suse-sysconfig", plan).text
    assert body(text) == [f'KDUMP_CRASHKERNEL="{" ".join(PLANS[plan])}"']
    assert "/etc/sysconfig/kdump" in text


def test_kickstart_plain_size_uses_reserve_mb() -> None:
    # kdump-anaconda-addon README: %addon com_redhat_kdump (--enable|--disable)
    # --reserve-mb=<amount> / %end
    result = run("kickstart", "plain")
    assert body(result.text) == ["%addon com_redhat_kdump --enable --reserve-mb=512", "%end"]
    assert not any("cannot carry" in w for w in result.warnings)


@pytest.mark.parametrize("plan", ["range", "high-low", "offset", "cma"])
def test_kickstart_falls_back_to_post_grubby(plan: str) -> None:
    result = run("kickstart", plan)
    lines = body(result.text)
    assert lines[:2] == ["%addon com_redhat_kdump --enable", "%end"]
    assert not any("--reserve-mb" in line for line in lines)
    assert "%post" in lines and lines[-1] == "%end"
    grubby_add = [line for line in lines if line.startswith("grubby") and "--args" in line]
    assert len(grubby_add) == 1
    assert shlex.split(grubby_add[0])[2] == "--args=" + " ".join(PLANS[plan])
    assert any(line.startswith("    grubby --update-kernel=ALL --remove-args=") for line in lines)
    assert any("auto_reset_crashkernel no" in line for line in lines)
    (warning,) = [w for w in result.warnings if "cannot carry" in w]
    assert "bootloader --append" in warning
    feature = {"range": "range table", "high-low": ",high", "offset": "@offset",
               "cma": ",cma"}[plan]
    assert feature in warning


def test_kickstart_size_not_whole_mib_falls_back() -> None:
    result = export("kickstart", ("crashkernel=1536K",), CURRENT, "x86_64", ram=RAM)
    assert "%post" in result.text
    assert any("whole number of MiB" in w for w in result.warnings)


def test_kickstart_hex_size_in_mib() -> None:
    result = export("kickstart", ("crashkernel=0x10000000",), CURRENT, "x86_64", ram=RAM)
    assert "--reserve-mb=256" in result.text


@pytest.mark.parametrize("plan", PLANS)
def test_autoyast_list_entries(plan: str) -> None:
    # yast-kdump kdump.rnc: <crash_kernel config:type="list"><listentry>text</listentry>...,
    # <add_crash_kernel config:type="boolean">; values without the crashkernel= name.
    text = run("autoyast", plan).text
    ns = "http://www.suse.com/1.0/configns"
    profile = ET.fromstring(f'<profile xmlns:config="{ns}">{text}</profile>')
    (root,) = list(profile)
    assert root.tag == "kdump"
    assert root.findtext("add_crash_kernel") == "true"
    crash_kernel = root.find("crash_kernel")
    assert crash_kernel is not None and crash_kernel.get(f"{{{ns}}}type") == "list"
    assert [e.text for e in crash_kernel.findall("listentry")] == [
        w.removeprefix("crashkernel=") for w in PLANS[plan]]


@pytest.mark.parametrize(("plan", "needle"), [("range", "first range"), ("cma", ",cma"),
                                              ("offset", "@offset")])
def test_autoyast_says_what_yast_misreads(plan: str, needle: str) -> None:
    result = run("autoyast", plan)
    assert any(needle in w for w in result.warnings)
    assert needle in result.text  # as an XML comment too


def test_autoyast_plain_and_high_low_need_no_caveat() -> None:
    for plan in ("plain", "high-low"):
        assert run("autoyast", plan).warnings == ()


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_no_reservation_removes_the_words(fmt: str) -> None:
    result = export(fmt, (), CURRENT, "x86_64", ram=RAM, update_kernel="ALL")
    assert result.new_cmdline == "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.17.1 root=/dev/sda2 ro quiet"
    assert "the kernel reserves nothing" in " ".join(result.warnings)
    assert "crashkernel=512M" not in result.text
    if fmt == "grubby":
        assert shlex.split(body(result.text)[0]) == [
            "grubby", "--update-kernel=ALL", "--remove-args=crashkernel=256M"]
    if fmt == "rpm-ostree":
        assert shlex.split(body(result.text)[0]) == [
            "rpm-ostree", "kargs", "--delete-if-present=crashkernel=256M"]
    if fmt == "kickstart":
        assert body(result.text) == ["%addon com_redhat_kdump --disable", "%end"]
    if fmt == "autoyast":
        assert '<add_crash_kernel config:type="boolean">false</add_crash_kernel>' in result.text
    if fmt == "suse-sysconfig":
        assert "KDUMP_CRASHKERNEL=" not in result.text
        assert any("kdumptool commandline -d" in w for w in result.warnings)


def test_json_document_schema() -> None:
    result = run("json", "high-low")
    document = json.loads(result.text)
    assert document == result.data
    assert set(document) >= {"format", "words", "current_cmdline", "new_cmdline", "diff",
                             "outputs", "warnings"}
    assert document["format"] == "json"
    assert document["words"] == list(PLANS["high-low"])
    assert document["current_cmdline"] == CURRENT
    assert document["new_cmdline"] == CURRENT.replace(
        "crashkernel=256M", "crashkernel=1G,high crashkernel=128M,low")
    assert document["diff"] == {"removed": ["crashkernel=256M"],
                                "added": ["crashkernel=1G,high", "crashkernel=128M,low"]}
    assert set(document["outputs"]) == set(FORMATS) - {"json"}
    for fmt, text in document["outputs"].items():
        assert text == export(fmt, PLANS["high-low"], CURRENT, "x86_64", ram=RAM,
                              update_kernel="ALL").text
    assert isinstance(document["warnings"], list)
    assert document["arch"] == "x86_64" and document["ram"] == RAM


def test_unknown_format_and_bad_words_raise() -> None:
    with pytest.raises(CrashmapError, match="unknown export format"):
        export("lilo", PLANS["plain"], CURRENT, "x86_64")
    with pytest.raises(CrashmapError, match="not a crashkernel= word"):
        export("cmdline", ("quiet",), CURRENT, "x86_64")
    with pytest.raises(CrashmapError, match="not a crashkernel= word"):
        export("cmdline", ("crashkernel=1G quiet",), CURRENT, "x86_64")


def test_words_may_be_one_string() -> None:
    a = export("cmdline", "crashkernel=1G,high crashkernel=128M,low", CURRENT, "x86_64")
    b = export("cmdline", PLANS["high-low"], CURRENT, "x86_64")
    assert a.text == b.text and a.words == b.words


def test_plan_words_takes_whole_parameters_only() -> None:
    assert plan_words("ro xcrashkernel=1G crashkernel=256M foo=crashkernel=2G "
                      "crashkernel=1G,cma") == ("crashkernel=256M", "crashkernel=1G,cma")
    assert plan_words("quiet") == ()


def test_rejected_plan_is_still_exported_but_flagged() -> None:
    result = export("cmdline", ("crashkernel=256MB",), CURRENT, "x86_64", ram=RAM)
    assert result.rejected
    assert "the kernel rejects the plan: crashkernel: unrecognized char: B" in result.warnings
    assert any(w.startswith("unit-suffix: ") for w in result.warnings)


def test_lint_warnings_are_carried() -> None:
    # arm64 7.2 reads no ,cma (c12c63d05dfe came in 7.3): the word is kept, the linter says so
    from crashmap.kernel.target import parse_release

    result = export("cmdline", PLANS["cma"], CURRENT, "arm64", ram=RAM,
                    kernel=parse_release("7.2"))
    assert not result.rejected
    assert any(w.startswith("cma-unsupported-arch: ") for w in result.warnings)
    newest = export("cmdline", PLANS["cma"], CURRENT, "arm64", ram=RAM)
    assert not any(w.startswith("cma-unsupported-arch: ") for w in newest.warnings)


def test_cma_on_a_kernel_older_than_the_arch_support() -> None:
    from crashmap.snapshot import Snapshot

    # before 6.17 (35c18f2933c5) ,cma is no word class: the last plain word is "64M,cma"
    old = Snapshot("", arch="x86_64", kernel_release="6.8.0-45-generic", cmdline=CURRENT,
                   mem_total=RAM)
    result = export("cmdline", PLANS["cma"], None, None, snapshot=old, ram=RAM)
    assert result.rejected
    assert any(w.startswith("cma-word-is-plain: ") and "6.17" in w for w in result.warnings)
    new = Snapshot("", arch="x86_64", kernel_release="6.18.2", cmdline=CURRENT)
    result = export("cmdline", PLANS["cma"], None, None, snapshot=new, ram=RAM)
    assert not result.rejected
    assert not any("cma-word-is-plain" in w for w in result.warnings)


def test_unknown_ram_is_said() -> None:
    result = export("cmdline", PLANS["plain"], CURRENT, "x86_64")
    assert result.plan is None
    assert any("system RAM is unknown" in w for w in result.warnings)


def test_unknown_current_line_is_said_for_whole_line_formats() -> None:
    for fmt in ("cmdline", "bls", "zipl"):
        result = export(fmt, PLANS["plain"], "", "s390x", ram=2 * G)
        assert any("current kernel command line is unknown" in w for w in result.warnings)
    assert not any("unknown" in w for w in export("grubby", PLANS["plain"], "", "s390x",
                                                    ram=2 * G).warnings)
