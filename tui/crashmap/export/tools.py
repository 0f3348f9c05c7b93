"""Commands that edit the boot entries: ``grubby`` (BLS/GRUB systems) and ``rpm-ostree kargs``.

Printed, never run.
"""

from __future__ import annotations

from crashmap.export.common import (
    ALL_ENTRIES,
    KDUMP_CONF_NOTE,
    ExportInput,
    comment_lines,
    option_value,
    sh_quote,
    update_kernel_option,
)
from crashmap.kernel.cmdline_edit import crashkernel_spans, init_args_start

_AFTER_DASHES = (
    "the current command line has '--', and {tool} adds a parameter it does not find at the "
    "end, after '--', where init gets it as an argument: check the entry afterwards and move "
    "the crashkernel= words in front of '--' (the {other} output has the whole line)")


def _appends_after_dashes(data: ExportInput, *, replaces_first: bool) -> bool:
    """Whether the tool would put a plan word after the ``--`` of the current line: it appends
    what it does not replace, and (``replaces_first``) it replaces a crashkernel= it finds."""
    separator = init_args_start(data.current)
    if not data.words or separator == len(data.current):
        return False
    return not (replaces_first and any(start < separator
                                       for start, _ in crashkernel_spans(data.current)))

_GRUBBY_MULTI = (
    "grubby versions differ in how they add several parameters of one name: the rhboot/grubby "
    "grubby-bls script (update_args) replaces the first crashkernel= for each added word, so "
    "only the last of the {n} words may survive. Check with 'grubby --info=ALL' that args= "
    "holds all of them, and fix the entries by hand if not")


def entry_note(update_kernel: str) -> str:
    """Which entries ``grubby --update-kernel=update_kernel`` changes, as grubby(8) says."""
    if update_kernel == ALL_ENTRIES:
        return ("grubby --update-kernel=ALL edits every boot entry (BLS entries on Fedora/RHEL) "
                "and, unless --no-etc-grub-update, GRUB_CMDLINE_LINUX in /etc/default/grub, so "
                "kernels installed later get the words too.")
    return (f"grubby edits the boot entry of {update_kernel} only (kdumpctl "
            "reset-crashkernel's default: the running kernel); the other entries, and kernels "
            "installed later, keep their crashkernel=. Use --update-kernel=ALL for every entry.")


def export_grubby(data: ExportInput) -> tuple[str, list[str]]:
    """``grubby --update-kernel=PATH|ALL --args="<plan words>" --remove-args="<old words>"``.

    The form kdump-utils uses (``grubby --args crashkernel=... --update-kernel ALL``);
    ``--update-kernel`` names one kernel's entry (``/boot/vmlinuz-RELEASE``, the running one by
    default, as ``kdumpctl reset-crashkernel`` without ``--kernel``) or ``ALL`` (as
    ``--kernel=ALL``). ``--args`` carries every plan
    word, so C grubby (``grubby.c``, ``updateActualImage``) replaces the existing crashkernel=
    parameters one for one and appends the rest; ``--remove-args`` names each current word the
    plan drops by its full text, so it never matches a plan word (C grubby removes after it
    adds; grubby-bls removes first). On s390x ``zipl`` must run afterwards, as kdump-utils does.
    """
    warnings: list[str] = []
    info = "ALL" if data.all_entries else data.update_kernel
    lines = comment_lines(
        f"{entry_note(data.update_kernel)} The words to remove are those of the running kernel; "
        f"'grubby --info={info}' shows what the entries hold.")
    args: list[str] = []
    added = [w for w in data.words if w != "fadump=off"]  # off: removed, as kdumpctl does
    removed = [w for w in data.removed if not w.startswith("fadump=")]
    if data.fadump == "fadump=off" and any(w.startswith("fadump=") for w in data.old_words):
        removed.append("fadump")  # kdumpctl reset-crashkernel --fadump=off: "Removed fadump"
    if added:
        args.append(option_value("--args", " ".join(added)))
    if removed:
        args.append(option_value("--remove-args", " ".join(removed)))
    if len(data.crash_words) > 1:
        message = _GRUBBY_MULTI.format(n=len(data.crash_words))
        warnings.append(message)
        lines += comment_lines(f"Warning: {message}.")
    if _appends_after_dashes(data, replaces_first=True):
        message = _AFTER_DASHES.format(tool="grubby", other="bls")
        warnings.append(message)
        lines += comment_lines(f"Warning: {message}.")
    lines += comment_lines(KDUMP_CONF_NOTE)
    if args:
        lines.append(" ".join(["grubby", update_kernel_option(data.update_kernel), *args]))
        if data.is_s390:
            lines.append("zipl")
    else:
        lines.append("# nothing to change: no crashkernel= words before or after")
    return "\n".join(lines) + "\n", warnings


def export_rpm_ostree(data: ExportInput) -> tuple[str, list[str]]:
    """``rpm-ostree kargs --delete-if-present=<old word> ... --append=<new word> ...``.

    ``--append-if-missing`` would be wrong here: it does nothing when the key is present
    (rpm-ostree ``rpmostree-builtin-kargs.cxx``: "Like --append, but does nothing if the key is
    already present"; libostree ``ostree_kernel_args_append_if_missing`` tests the key only), so
    the second crashkernel= word of a plan would be dropped. ``--append`` adds each word;
    ``--delete-if-present=KEY=VALUE`` removes that exact value and fails the whole command if the
    deployment holds another one (``ostree_kernel_args_delete``), so nothing half-changes. Words
    the plan keeps are left alone. Takes effect on the next boot.
    """
    lines = comment_lines(
        "rpm-ostree (Fedora CoreOS, Atomic desktops, RHEL for Edge) stages the change for the "
        "next boot. The values to delete are those of the running kernel; if 'rpm-ostree kargs' "
        "shows others, adjust the --delete-if-present options.")
    args = [f"--delete-if-present={sh_quote(word)}" for word in data.removed]
    args += [f"--append={sh_quote(word)}" for word in data.appended]
    warnings: list[str] = []
    if data.appended and _appends_after_dashes(data, replaces_first=False):
        message = _AFTER_DASHES.format(tool="rpm-ostree kargs --append", other="cmdline")
        warnings.append(message)
        lines += comment_lines(f"Warning: {message}.")
    if args:
        lines.append(" ".join(["rpm-ostree", "kargs", *args]))
    else:
        lines.append("# nothing to change: the deployment already has these crashkernel= words")
    return "\n".join(lines) + "\n", warnings
