"""Formats that carry the whole command line: ``cmdline``, ``bls`` and ``zipl``.

Every word of the plan goes through verbatim, so these formats can express any plan. What they
need is the rest of the line: when the current command line is unknown, they hold the
crashkernel= words only, and a warning says so.
"""

from __future__ import annotations

from crashmap.export.common import ExportInput, comment_lines, without_bootloader_words

_UNKNOWN_CURRENT = ("the current kernel command line is unknown, so the {what} holds the "
                    "crashkernel= words only: add the other parameters of the boot entry")


def _unknown(data: ExportInput, what: str) -> list[str]:
    return [_UNKNOWN_CURRENT.format(what=what)] if not data.current.strip() else []


def export_cmdline(data: ExportInput) -> tuple[str, list[str]]:
    """The whole new kernel command line, one line: the current one with its crashkernel=
    parameters replaced, every other byte as it was."""
    return data.new + "\n", _unknown(data, "line")


def export_bls(data: ExportInput) -> tuple[str, list[str]]:
    """The ``options`` line of a Boot Loader Specification entry (``/boot/loader/entries/*.conf``,
    uapi-group.org Boot Loader Specification: ``options`` holds the kernel parameters; ``#``
    starts a comment). ``BOOT_IMAGE=`` and ``initrd=`` are left out: the boot loader adds them
    (the list libostree filters from /proc/cmdline)."""
    options, dropped = without_bootloader_words(data.new)
    lines = comment_lines(
        "Boot Loader Specification entry (/boot/loader/entries/*.conf): replace its options "
        "line with this one. If the entry says 'options $kernelopts', the line lives in "
        "grubenv: use the grubby output instead.")
    if dropped:
        lines += comment_lines(f"Left out, the boot loader adds them: {' '.join(dropped)}")
    lines.append(f"options {options}")
    return "\n".join(lines) + "\n", _unknown(data, "options line")


def export_zipl(data: ExportInput) -> tuple[str, list[str]]:
    """The ``parameters`` line of a section of ``/etc/zipl.conf`` (s390-tools zipl.conf example:
    ``parameters = "root=/dev/ram0 ro"``), then ``zipl`` to write the boot record. On BLS systems
    (RHEL/Fedora) zipl reads the entries' options lines instead: use ``grubby``, then ``zipl``."""
    parameters, dropped = without_bootloader_words(data.new)
    warnings = _unknown(data, "parameters line")
    lines = comment_lines(
        "/etc/zipl.conf: in the boot section, replace the parameters line with this one, then "
        "run zipl. With BLS entries (RHEL, Fedora) zipl reads their options lines: use the "
        "grubby output, then run zipl.")
    if dropped:
        lines += comment_lines(f"Left out, the boot loader adds them: {' '.join(dropped)}")
    if '"' in parameters:
        message = ("the command line contains a double quote, which the quoted zipl.conf "
                   "parameters value cannot hold as it is; check the line")
        warnings.append(message)
        lines += comment_lines(f"Warning: {message}.")
    if data.arch is not None and data.arch.name != "s390x":
        warnings.append(f"zipl is the s390x boot loader, but the plan is for {data.arch.name}")
    lines.append(f'parameters = "{parameters}"')
    lines.append("# then run: zipl")
    return "\n".join(lines) + "\n", warnings
