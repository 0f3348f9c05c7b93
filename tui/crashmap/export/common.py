"""What every export format gets, and the small text helpers they share."""

from __future__ import annotations

import re

from crashmap.kernel.memparse import memparse
from crashmap.kernel.params import WHITESPACE
from crashmap.units import MiB

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from crashmap.arch import Arch

NAME = "crashkernel="
BOOTLOADER_ADDED = ("BOOT_IMAGE=", "initrd=")
"""Words the boot loader puts on the command line itself, so a configured options line must not
carry them: the list libostree filters from /proc/cmdline (``ostree-kernel-args.c``,
``ostree_kernel_args_append_proc_cmdline``: ``BOOT_IMAGE=`` for GRUB 2, ``initrd=`` for
systemd-boot)."""
KDUMP_CONF_NOTE = (
    "kdump-utils resets crashkernel= to its default on kernel and kdump-utils updates unless "
    "/etc/kdump.conf has the line 'auto_reset_crashkernel no'")
"""kdump-utils ``kdumpctl _reset-crashkernel-after-update`` / ``92-crashkernel.install``
(research anchors.md §1, §6 item 1)."""

ALL_ENTRIES = "ALL"
"""grubby's ``--update-kernel=ALL``: every boot entry (and ``GRUB_CMDLINE_LINUX``)."""
RUNNING_KERNEL = "/boot/vmlinuz-$(uname -r)"
"""The running kernel's image when its release is unknown: kdumpctl's own default
(``reset-crashkernel`` without ``--kernel`` updates ``/boot/vmlinuz-$(uname -r)``)."""


def kernel_image(release: str | None) -> str:
    """The image path grubby names a kernel by: ``/boot/vmlinuz-RELEASE`` (kdump-utils
    ``spec/kdumpctl_reset_crashkernel_spec.sh``: ``kernel1=/boot/vmlinuz-5.15.6-100.fc34.x86_64``
    for the running ``5.15.6-100.fc34.x86_64``), or :data:`RUNNING_KERNEL` without a release."""
    release = (release or "").strip()
    return f"/boot/vmlinuz-{release}" if release else RUNNING_KERNEL


_SHELL_SAFE = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")


class ExportInput:
    """The plan and the command lines every formatter works from.

    - ``words``: the plan, ``crashkernel=`` words in order
    - ``current``: the whole current kernel command line ("" when unknown)
    - ``new``: ``current`` with its crashkernel= parameters replaced by ``words``
    - ``old_words``: the crashkernel= parameters of ``current`` (look-alikes excluded)
    - ``arch``: the architecture, or None when unknown
    - ``update_kernel``: the boot entry to change: a kernel image path (grubby's
      ``--update-kernel=PATH``) or :data:`ALL_ENTRIES`
    """

    __slots__ = ("words", "current", "new", "old_words", "arch", "update_kernel")

    def __init__(self, words: tuple[str, ...], current: str, new: str,
                 old_words: tuple[str, ...], arch: Arch | None, *,
                 update_kernel: str = ALL_ENTRIES) -> None:
        self.words = words
        self.current = current
        self.new = new
        self.old_words = old_words
        self.arch = arch
        self.update_kernel = update_kernel

    @property
    def all_entries(self) -> bool:
        return self.update_kernel == ALL_ENTRIES

    @property
    def removed(self) -> tuple[str, ...]:
        """Current words the plan does not keep (each occurrence not matched by a plan word)."""
        return _unmatched(self.old_words, self.words)

    @property
    def appended(self) -> tuple[str, ...]:
        """Plan words that are not already among the current words."""
        return _unmatched(self.words, self.old_words)

    @property
    def crash_words(self) -> tuple[str, ...]:
        """The plan's crashkernel= words (without its fadump= word)."""
        return tuple(w for w in self.words if w.startswith(NAME))

    @property
    def fadump(self) -> str | None:
        """The plan's ``fadump=`` word, or None when the plan does not set fadump."""
        return next((w for w in self.words if w.startswith("fadump=")), None)

    @property
    def is_s390(self) -> bool:
        return self.arch is not None and self.arch.name == "s390x"


def _unmatched(words: tuple[str, ...], others: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` minus ``others`` as multisets, keeping the order of ``words``."""
    left = list(others)
    out = []
    for word in words:
        if word in left:
            left.remove(word)
        else:
            out.append(word)
    return tuple(out)


def sh_quote(text: str) -> str:
    """``text`` as one POSIX shell word: bare when it holds only safe characters, else in single
    quotes."""
    if _SHELL_SAFE.fullmatch(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def update_kernel_option(path: str) -> str:
    """``--update-kernel=PATH`` for a shell; the running-kernel form keeps its ``$(uname -r)``
    live inside double quotes."""
    if path == RUNNING_KERNEL:
        return f'--update-kernel="{path}"'
    return f"--update-kernel={sh_quote(path)}"


def sh_double(text: str) -> str:
    """``text`` inside double quotes for a POSIX shell (``$``, backquote, ``"`` and ``\\``
    escaped)."""
    escaped = "".join("\\" + c if c in '$`"\\' else c for c in text)
    return f'"{escaped}"'


def option_value(option: str, value: str) -> str:
    """``--option=value`` for a shell, in double quotes when the value has spaces (the way
    grubby and kdump-utils documentation writes it), else quoted only when needed."""
    if _SHELL_SAFE.fullmatch(value.replace(" ", "")) and value and value.strip() == value:
        return f'{option}="{value}"' if " " in value else f"{option}={value}"
    return f"{option}={sh_quote(value)}"


def without_bootloader_words(line: str) -> tuple[str, tuple[str, ...]]:
    """``line`` without the words the boot loader adds itself (:data:`BOOTLOADER_ADDED`), and
    the words left out. Other bytes are kept; the ends are stripped of whitespace."""
    dropped: list[str] = []
    pos, n, out = 0, len(line), []
    while pos < n:
        start = pos
        while pos < n and line[pos] in WHITESPACE:
            pos += 1
        end = pos
        while end < n and line[end] not in WHITESPACE:
            end += 1
        word = line[pos:end]
        if word.startswith(BOOTLOADER_ADDED):
            dropped.append(word)
        else:
            out.append(line[start:end])
        pos = end
    return "".join(out).strip(WHITESPACE), tuple(dropped)


def comment_lines(text: str, prefix: str = "# ", width: int = 96) -> list[str]:
    """``text`` wrapped into comment lines (words are never split)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(prefix) + len(line) + 1 + len(word) > width:
            lines.append(prefix + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(prefix + line)
    return lines


def single_size_mib(words: tuple[str, ...]) -> int | None:
    """N when the plan is exactly ``crashkernel=<size>`` with a size of N MiB (N > 0): one plain
    word, simple syntax, no ``@offset``, no suffix, a whole number of MiB. Else None."""
    if len(words) != 1 or not words[0].startswith(NAME):
        return None
    value = words[0][len(NAME):]
    size, end = memparse(value, 0)
    if end == 0 or end != len(value) or size <= 0 or size % MiB:
        return None
    return size // MiB


def plan_features(words: tuple[str, ...]) -> list[str]:
    """What a plan uses beyond one plain size, in words for messages: a range table, a fixed
    base, ``,high``, ``,low``, ``,cma``, several words, a size that is not whole MiB."""
    features: list[str] = []

    def add(text: str) -> None:
        if text not in features:
            features.append(text)

    if len(words) > 1:
        add(f"{len(words)} crashkernel= words")
    for word in words:
        value = word[len(NAME):] if word.startswith(NAME) else word
        if value.endswith(",high"):
            add("a ,high size")
        elif value.endswith(",low"):
            add("a ,low size")
        elif value.endswith(",cma"):
            add("a ,cma size")
        elif ":" in value:
            add("a range table (RAM-dependent sizes)")
        elif "@" in value:
            add("a fixed base (@offset)")
        else:
            size, end = memparse(value, 0)
            if end and end == len(value) and size % MiB:
                add("a size that is not a whole number of MiB")
    return features
