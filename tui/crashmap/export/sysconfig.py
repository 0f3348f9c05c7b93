"""``/etc/sysconfig/kdump`` for SUSE kdump: ``KDUMP_CRASHKERNEL``.

openSUSE/SLES kdump builds the crashkernel= words from ``KDUMP_CRASHKERNEL``: ``"auto"`` (the
default) asks ``kdumptool calibrate``; any other value is a list of ``crashkernel=`` words passed
through as given (other words are dropped with a warning). ``kdumptool commandline -u`` writes
them to the boot loader (``pbl``), and with ``KDUMP_UPDATE_BOOTLOADER="true"``
``kdump-commandline.service`` does so on every boot (research anchors.md §2b; SLES 16 release
notes: configure ``KDUMP_CRASHKERNEL`` and ``KDUMP_UPDATE_BOOTLOADER`` in /etc/sysconfig/kdump).
The openSUSE test suite writes ``KDUMP_CRASHKERNEL="crashkernel=256M,high crashkernel=128M,low"``.
"""

from __future__ import annotations

from crashmap.export.common import ExportInput, comment_lines, sh_double


def export_suse_sysconfig(data: ExportInput) -> tuple[str, list[str]]:
    """The ``KDUMP_CRASHKERNEL="..."`` line (sysconfig files are shell assignments)."""
    lines = ["# /etc/sysconfig/kdump (openSUSE, SLES)"]
    fadump = _fadump_lines(data)
    if not data.crash_words:
        message = ("KDUMP_CRASHKERNEL cannot say 'no reservation' (an empty value is not "
                   "documented); remove the crashkernel= words from the boot loader with "
                   "'kdumptool commandline -d' instead")
        lines += comment_lines(f"The plan has no crashkernel= words. {message[0].upper()}"
                               f"{message[1:]}.")
        return "\n".join(lines + fadump) + "\n", [message]
    lines += comment_lines(
        "Replaces the 'auto' size from kdumptool calibrate. Write it to the boot loader with "
        "'kdumptool commandline -u', or set KDUMP_UPDATE_BOOTLOADER=\"true\" to have "
        "kdump-commandline.service do it at boot; reboot for the new reservation.")
    lines.append(f"KDUMP_CRASHKERNEL={sh_double(' '.join(data.crash_words))}")
    return "\n".join(lines + fadump) + "\n", []


def _fadump_lines(data: ExportInput) -> list[str]:
    """``KDUMP_FADUMP`` for a plan that sets fadump. SUSE kdump's ``init/load.sh``
    (``fadump_bootloader``) then writes ``fadump=on`` to the boot loader, or ``fadump=nocma``
    when ``KDUMP_DUMPLEVEL`` does not filter user pages (bit 8 clear) or the format is raw; with
    ``KDUMP_FADUMP`` false it deletes ``fadump=``."""
    if data.fadump is None:
        return []
    if data.fadump == "fadump=off":
        return ['KDUMP_FADUMP="false"']
    lines = comment_lines(
        "SUSE kdump writes fadump=on itself, or fadump=nocma when KDUMP_DUMPLEVEL does not "
        "filter user pages (bit 8 clear) or KDUMP_DUMPFORMAT is raw (init/load.sh "
        "fadump_bootloader).")
    if data.fadump == "fadump=nocma":
        lines += comment_lines("For fadump=nocma clear bit 8 of KDUMP_DUMPLEVEL (e.g. 23).")
    return lines + ['KDUMP_FADUMP="true"']
