"""Formats that carry the whole command line: ``cmdline``, ``bls`` and ``zipl``.

Every word of the plan goes through verbatim, so these formats can express any plan. What they
need is the rest of the line: when the current command line is unknown, they hold the
crashkernel= words only, and a warning says so.
"""

from __future__ import annotations

from crashmap.export.common import (
    RUNNING_KERNEL,
    ExportInput,
    comment_lines,
    without_bootloader_words,
)

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
    (the list libostree filters from /proc/cmdline). The comment names the entry: the one whose
    ``linux`` key is the target kernel's image (grubby-bls and kernel-install name it
    ``<machine-id>-<version>.conf``), or every entry for ``ALL``."""
    options, dropped = without_bootloader_words(data.new)
    lines = comment_lines(
        f"Boot Loader Specification entry ({_bls_entry(data)}): replace its options line (all "
        "of them, if it has several: the spec joins them) with this one. If the entry says "
        "'options $kernelopts', the line lives in grubenv: use the grubby output instead.")
    if dropped:
        lines += comment_lines(f"Left out, the boot loader adds them: {' '.join(dropped)}")
    lines.append(f"options {options}")
    return "\n".join(lines) + "\n", _unknown(data, "options line")


def _bls_entry(data: ExportInput) -> str:
    """Where the entry to edit is, for the comment of the ``bls`` format."""
    if data.all_entries:
        return ("every /boot/loader/entries/*.conf; this line is the running kernel's, so in an "
                "entry with other parameters replace only its crashkernel= words")
    image = data.update_kernel
    if image == RUNNING_KERNEL:
        return ("/boot/loader/entries/*-$(uname -r).conf, the running kernel's: its linux "
                "line is /vmlinuz-$(uname -r)")
    name = image.rsplit("/", 1)[-1]
    version = name[len("vmlinuz-"):] if name.startswith("vmlinuz-") else name
    return (f"/boot/loader/entries/*-{version}.conf, the one whose linux line is /{name}; "
            f"'grubby --info={image}' shows it")


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
