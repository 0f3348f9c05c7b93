"""An ``/etc/default/grub.d/`` snippet for ``update-grub`` (Debian, Ubuntu).

kdump-tools ships ``/etc/default/grub.d/kdump-tools.cfg`` holding
``GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"`` (Debian
kdump-tools 1.8.1; the Ubuntu Server guide "Kernel crash dump" tells users to edit that line and
run ``sudo update-grub``). ``grub-mkconfig`` sources ``/etc/default/grub`` and then every
``/etc/default/grub.d/*.cfg`` in name order as shell. Its ``10_linux`` puts
``${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}`` on the normal entries but only
``single ${GRUB_CMDLINE_LINUX}`` on the recovery ones (Debian: ``${GRUB_CMDLINE_LINUX_RECOVERY}
${GRUB_CMDLINE_LINUX}``), so a word in ``GRUB_CMDLINE_LINUX_DEFAULT`` never reaches recovery
mode. The plan goes to ``GRUB_CMDLINE_LINUX``, at its end, as kdump-utils' ``kdumpctl`` writes
``crashkernel=`` (``_update_kernel_arg_in_grub_etc_default``; its ShellSpec checks the word
"should appear in the end"). A plain appended line would leave kdump-tools' word in place, and
two plain words (or a plain word next to ``,high``) do not mean what the plan means (any plain
word disables ``,high``/``,low``: kernel/crash_reserve.c), so the snippet first drops every
``crashkernel=`` parameter set before it, from both variables.
"""

from __future__ import annotations

from crashmap.export.common import ExportInput, comment_lines, sh_double
from crashmap.kernel.cmdline_edit import init_args_start

FILE = "/etc/default/grub.d/zz-crashmap-crashkernel.cfg"
"""Sorts after ``kdump-tools.cfg`` and the usual ``NN-*.cfg`` files."""
STRIP = "sed -E 's/(^|[[:space:]])crashkernel=[^[:space:]]*//g'"
"""Drops whole ``crashkernel=`` parameters only: a look-alike such as ``xcrashkernel=`` stays,
as ``crashmap.kernel.cmdline_edit`` leaves it."""


def export_grub(data: ExportInput) -> tuple[str, list[str]]:
    """The snippet: strip crashkernel= from both GRUB variables, append the plan to
    ``GRUB_CMDLINE_LINUX`` (normal and recovery entries, as kdumpctl does), then
    ``update-grub``."""
    lines = [f"# {FILE}"]
    lines += comment_lines(
        "crashkernel= for GRUB on Debian/Ubuntu. update-grub reads /etc/default/grub, then the "
        "files here in name order (kdump-tools.cfg among them), so this file drops the "
        "crashkernel= words set before it and adds the plan to GRUB_CMDLINE_LINUX, which the "
        "recovery entries get too. On Fedora/RHEL (BLS entries) use the grubby output instead.")
    for name in ("GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT"):
        lines.append(f"{name}=$(printf '%s\\n' \"${name}\" | {STRIP})")
    if data.words and init_args_start(data.current) < len(data.current):
        lines += _before_init_args(sh_double(" ".join(data.words)))
    elif data.words:
        escaped = sh_double(" ".join(data.words))[1:-1]
        lines.append(f'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX {escaped}"')
    else:
        lines.append("# the plan has no crashkernel= words: nothing is added")
    lines.append("# then run: sudo update-grub")
    return "\n".join(lines) + "\n", []


def _before_init_args(words: str) -> list[str]:
    """Shell that puts ``words`` into ``GRUB_CMDLINE_LINUX`` in front of its ``--``, if it has
    one: everything after ``--`` goes to init (kernel/params.c ``parse_args()`` stops there), so
    appending would hand the words to init. grub-mkconfig writes ``GRUB_CMDLINE_LINUX`` first on
    every entry, so words at its end stand before a ``--`` of ``GRUB_CMDLINE_LINUX_DEFAULT``
    too: no word crosses a ``--``."""
    lines = comment_lines(
        "The kernel command line has '--': what follows it goes to init, not to the kernel, so "
        "the plan goes in front of it.")
    lines += [
        "crashmap_before_dashes() {",
        '    case " $1 " in',
        '    *" -- "*) set -- " $1 " "$2"; printf \'%s\\n\' "${1%% -- *} $2 -- ${1#* -- }" ;;',
        '    *) printf \'%s\\n\' "$1 $2" ;;',
        "    esac",
        "}",
        f'GRUB_CMDLINE_LINUX=$(crashmap_before_dashes "$GRUB_CMDLINE_LINUX" {words})',
    ]
    return lines
