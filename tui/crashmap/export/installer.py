"""Installer profiles: Anaconda ``kickstart`` and SUSE ``autoyast``."""

from __future__ import annotations

from crashmap.export.common import (
    KDUMP_CONF_NOTE,
    ExportInput,
    comment_lines,
    option_value,
    plan_features,
    single_size_mib,
)

_POST_STRIP = (
    "for word in $(grubby --info=ALL | sed -n 's/^args=\"\\(.*\\)\"$/\\1/p' | tr ' ' '\\n' "
    "| grep '^crashkernel=' | sort -u); do",
    '    grubby --update-kernel=ALL --remove-args="$word"',
    "done",
)
"""Removes every crashkernel= the installed entries hold (the add-on's, kdump-utils' default),
one exact word per grubby call; ``grubby --info`` prints ``args="..."`` lines (grubby-bls
``display_info_values``)."""
_POST_KDUMP_CONF = (
    "if grep -q '^auto_reset_crashkernel' /etc/kdump.conf; then",
    "    sed -i 's/^auto_reset_crashkernel.*/auto_reset_crashkernel no/' /etc/kdump.conf",
    "else",
    "    echo 'auto_reset_crashkernel no' >> /etc/kdump.conf",
    "fi",
)


def export_kickstart(data: ExportInput) -> tuple[str, list[str]]:
    """The ``%addon com_redhat_kdump`` section of an Anaconda kickstart.

    ``--reserve-mb=N`` takes one size in MiB (kdump-anaconda-addon README:
    ``%addon com_redhat_kdump (--enable|--disable) --reserve-mb=<amount>``; ``ks/kdump.py``
    accepts an integer with an optional ``M``; the installation task writes ``crashkernel=NM``).
    So it carries exactly one plain size. Anything else (ranges, ``@offset``, ``,high``/``,low``,
    ``,cma``, several words) cannot go through it, and not through ``bootloader --append``
    either: the add-on's ``KdumpBootloaderConfigurationTask`` removes every ``crashkernel=`` from
    the boot loader arguments, even with ``--disable``. The faithful way left is ``%post``: drop
    the crashkernel= words the installed entries hold, add the plan with ``grubby``, and stop
    kdump-utils from resetting it (``auto_reset_crashkernel no``).
    """
    size_mib = single_size_mib(data.crash_words)
    if data.fadump == "fadump=nocma":
        size_mib = None  # --enablefadump writes fadump=on only: nocma goes through %post
    if not data.crash_words:
        lines = comment_lines(
            "Anaconda kickstart: the plan has no crashkernel= words, so kdump is disabled (the "
            "add-on then removes crashkernel= from the boot loader arguments).")
        lines += ["%addon com_redhat_kdump --disable", "%end"]
        return "\n".join(lines) + "\n", []
    if size_mib is not None:
        lines = comment_lines(
            f"Anaconda kickstart: the kdump add-on writes crashkernel={size_mib}M. "
            f"{KDUMP_CONF_NOTE}.")
        fadump = " --enablefadump" if data.fadump == "fadump=on" else ""
        lines += [f"%addon com_redhat_kdump --enable --reserve-mb={size_mib}{fadump}", "%end"]
        return "\n".join(lines) + "\n", []
    cannot = ", ".join(plan_features(data.words)) or "this plan"
    warning = (f"kickstart --reserve-mb takes one size in MiB and cannot carry {cannot}; the "
               "plan is written by %post with grubby instead (the kdump add-on removes "
               "crashkernel= given with 'bootloader --append')")
    lines = comment_lines(
        f"Anaconda kickstart: the kdump add-on's --reserve-mb takes one size in MiB (it writes "
        f"crashkernel=<N>M) and cannot carry {cannot}. The add-on also removes every "
        "crashkernel= given with 'bootloader --append', so %post writes the plan to the "
        "installed boot entries with grubby, after removing the crashkernel= the installer put "
        "there, and keeps kdump-utils from resetting it.")
    lines += ["%addon com_redhat_kdump --enable", "%end", "", "%post", *_POST_STRIP,
              " ".join(["grubby", "--update-kernel=ALL",
                        option_value("--args", " ".join(data.words))])]
    if data.is_s390:
        lines.append("zipl")
    lines += [*_POST_KDUMP_CONF, "%end"]
    return "\n".join(lines) + "\n", [warning]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_comment(text: str, indent: str) -> list[str]:
    """``<!-- ... -->`` lines (a comment may not hold ``--``)."""
    while "--" in text:
        text = text.replace("--", "- -")
    body = comment_lines(text, prefix=indent + "     ", width=92)
    body[0] = indent + "<!-- " + body[0][len(indent) + 5:]
    body[-1] += " -->"
    return body


def export_autoyast(data: ExportInput) -> tuple[str, list[str]]:
    """The ``<kdump>`` section of an AutoYaST profile.

    Schema: yast-kdump ``src/autoyast-rnc/kdump.rnc``: ``crash_kernel`` is a text or a
    ``config:type="list"`` of ``listentry`` values, plus ``add_crash_kernel`` (boolean). Each
    entry is one crashkernel= value without the ``crashkernel=`` name, as YaST writes
    ``["<high>M,high", "<low>M,low"]`` (research anchors.md §2c). YaST itself reads back only the
    first range of a value, ignores ``,cma`` and strips ``@offset`` when it updates the value;
    such entries are passed through, with a comment and a warning.
    """
    warnings: list[str] = []
    lines = ["<!-- paste inside <profile> of the AutoYaST control file -->", "<kdump>"]
    if not data.crash_words:
        lines += _xml_comment("the plan has no crashkernel= words", "  ")
        lines += ['  <add_crash_kernel config:type="boolean">false</add_crash_kernel>', "</kdump>"]
        return "\n".join(lines) + "\n", warnings
    values = [w[len("crashkernel="):] for w in data.crash_words]
    if data.fadump is not None:
        warnings.append(f"{data.fadump}: set it with YaST kdump's \"Use Firmware-Assisted "
                        "Dump\" (KDUMP_FADUMP in /etc/sysconfig/kdump; see the suse-sysconfig "
                        "output): the <kdump> crash_kernel list holds crashkernel= values only")
    caveats = []
    if any(":" in v for v in values):
        caveats.append("YaST's kdump module reads only the first range of a range table")
    if any(v.endswith(",cma") for v in values):
        caveats.append("YaST's kdump module does not know ,cma and may show it as a low size")
    if any("@" in v for v in values):
        caveats.append("YaST strips @offset when it later updates the value")
    if caveats:
        message = ("; ".join(caveats) + ": the entries are written to the boot loader as they "
                   "are, but a later YaST run may change them")
        warnings.append(message)
        lines += _xml_comment(message[0].upper() + message[1:] + ".", "  ")
    lines.append('  <add_crash_kernel config:type="boolean">true</add_crash_kernel>')
    lines.append('  <crash_kernel config:type="list">')
    lines += [f"    <listentry>{_xml_text(v)}</listentry>" for v in values]
    lines += ["  </crash_kernel>", "</kdump>"]
    return "\n".join(lines) + "\n", warnings
