"""Which system call loads the capture kernel: ``kexec_file_load`` or the classic ``kexec_load``.

It matters for ``,cma``: only ``kexec_file_load`` (kernel/kexec_file.c fills ``kbuf->cma``)
tells the capture kernel about the CMA areas; kexec-tools builds the tables itself for
``kexec_load`` and has no crash-CMA support, so with it the CMA memory is never used.

kexec-tools uses ``kexec_file_load`` with ``-s`` (``--kexec-file-syscall``), tries it first
with ``-a``, and uses ``kexec_load`` with ``-c`` or without any of them. The distributions
pass the flags from their kdump configuration: Fedora/RHEL ``KEXEC_ARGS`` in
/etc/sysconfig/kdump (kdump-utils writes ``-s`` there on x86_64, aarch64, ppc64le and s390x:
gen-kdump-sysconfig.sh; RHEL 8 also has ``KDUMP_FILE_LOAD="on"``), Debian/Ubuntu
/etc/default/kdump-tools, SUSE /etc/sysconfig/kdump.
"""

from __future__ import annotations

import re
import shlex

FILE_LOAD, CLASSIC = "kexec_file_load", "kexec_load"
CONFIG_FILES = ("etc/sysconfig/kdump", "etc/default/kdump-tools")
"""Where the kdump service's kexec arguments live (relative to the root)."""
_ASSIGN = re.compile(r"^\s*(?:export\s+)?(KEXEC_ARGS|KDUMP_KEXEC_ARGS|KDUMP_KEXEC_OPT|"
                     r"KDUMP_FILE_LOAD)=(.*)$")


def _value(raw: str) -> str:
    try:
        parts = shlex.split(raw, comments=True)
    except ValueError:  # an unbalanced quote: take the text as it is
        return raw.strip().strip("\"'")
    return " ".join(parts)


def kexec_loader(files: dict[str, str]) -> tuple[str | None, str | None]:
    """``(loader, why)`` from the kdump configuration files' text (``{path: text}``).

    None when no file tells (no kdump service configuration in the snapshot).
    """
    for path, text in files.items():
        found: dict[str, str] = {}
        for line in text.splitlines():
            match = _ASSIGN.match(line)
            if match:
                found[match.group(1)] = _value(match.group(2))  # the last assignment wins
        if not found:
            continue
        for name in ("KEXEC_ARGS", "KDUMP_KEXEC_ARGS", "KDUMP_KEXEC_OPT"):
            if name not in found:
                continue
            words = found[name].split()
            shown = f'{path}: {name}="{found[name]}"'
            if {"-s", "--kexec-file-syscall"} & set(words):
                return FILE_LOAD, shown
            if {"-a", "--kexec-syscall-auto"} & set(words):
                return FILE_LOAD, shown + " (kexec_file_load tried first)"
            if {"-c", "--kexec-syscall"} & set(words):
                return CLASSIC, shown
        file_load = found.get("KDUMP_FILE_LOAD", "").lower()
        if file_load == "on":
            return FILE_LOAD, f'{path}: KDUMP_FILE_LOAD="on"'
        for name in ("KEXEC_ARGS", "KDUMP_KEXEC_ARGS", "KDUMP_KEXEC_OPT"):
            if name in found:
                return CLASSIC, (f'{path}: {name}="{found[name]}" has no -s, so kexec-tools '
                                 f'uses kexec_load')
    return None, None
