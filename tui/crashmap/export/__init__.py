"""Export a crashkernel= plan as what a user pastes: a command line, a boot-loader or installer
snippet, or a command. Nothing is ever applied to the system: every function returns text.

Public API (used by ``crashmap export`` and the TUI's export screen):

- :data:`FORMATS`: format name → one-line description, in display order
- :func:`export` ``(fmt, words, current_cmdline, arch, *, snapshot=None, ram=None)`` →
  :class:`ExportResult` (``text``, ``warnings``, ``new_cmdline``, and more)
- :func:`cmdline_diff` ``(current, new)`` → a readable whole-line diff (str);
  :func:`diff_words` ``(current, new)`` → the structured form (removed and added words)
- :func:`plan_words` ``(cmdline)`` → the crashkernel= parameters of a command line (the plan)

Each family of formats lives in its own module (``lines``, ``tools``, ``grub``, ``installer``,
``sysconfig``); each formatter documents the source it follows and what it does with a plan its
format cannot carry.
"""

from __future__ import annotations

import importlib

from crashmap.arch import Arch, get_arch, normalize_arch
from crashmap.errors import CrashmapError
from crashmap.export.common import NAME, WHITESPACE, ExportInput
from crashmap.export.diff import CmdlineDiff, DiffWord, cmdline_diff, diff_words
from crashmap.kernel.cmdline_edit import crashkernel_spans, init_args_start, replace_crashkernel
from crashmap.kernel.cmdline_limit import check_length
from crashmap.kernel.fadump import PARAM, dump_mode
from crashmap.kernel.grammar import CrashkernelResult, find_words, parse_crashkernel
from crashmap.kernel.plan_words import plan_words
from crashmap.units import format_size

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from crashmap.snapshot import Snapshot

__all__ = [
    "FORMATS", "CmdlineDiff", "DiffWord", "ExportResult", "boot_entry", "cmdline_diff",
    "diff_words", "export", "plan_words",
]

FORMATS: dict[str, str] = {
    "cmdline": "the whole new kernel command line",
    "grub": "an /etc/default/grub.d/ snippet for update-grub (Debian, Ubuntu)",
    "grubby": "the grubby command for the running kernel's boot entry, or all (Fedora, RHEL)",
    "bls": "the options line of a Boot Loader Specification entry",
    "rpm-ostree": "the rpm-ostree kargs command (Fedora CoreOS, Atomic desktops, RHEL for Edge)",
    "zipl": "the parameters line of /etc/zipl.conf, then zipl (s390x)",
    "kickstart": "the %addon com_redhat_kdump section of an Anaconda kickstart",
    "autoyast": "the <kdump> section of an AutoYaST profile",
    "suse-sysconfig": "KDUMP_CRASHKERNEL for /etc/sysconfig/kdump (openSUSE, SLES)",
    "json": "all of the above with the words, both command lines and the diff, as JSON",
}
"""Export formats: name → one-line description, in the order to show them."""

_FORMATTERS: dict[str, tuple[str, str]] = {
    "cmdline": ("lines", "export_cmdline"),
    "grub": ("grub", "export_grub"),
    "grubby": ("tools", "export_grubby"),
    "bls": ("lines", "export_bls"),
    "rpm-ostree": ("tools", "export_rpm_ostree"),
    "zipl": ("lines", "export_zipl"),
    "kickstart": ("installer", "export_kickstart"),
    "autoyast": ("installer", "export_autoyast"),
    "suse-sysconfig": ("sysconfig", "export_suse_sysconfig"),
}


class ExportResult:
    """One export. Attributes (read them by name; this is not a tuple):

    - ``format``: the format name
    - ``text``: what to paste, ending in a newline (for ``json``: the JSON document)
    - ``warnings``: one-line messages for people: the plan's lint findings, look-alike
      parameters the kernel still reads, and what the format cannot carry
    - ``new_cmdline`` / ``current_cmdline``: the whole command line after and before
    - ``words``: the plan's crashkernel= words
    - ``diff``: :class:`CmdlineDiff` of the two command lines
    - ``plan``: the kernel's reading of the plan words alone (:class:`CrashkernelResult`), or
      None when RAM or the architecture is unknown
    - ``new``: the kernel's reading of the whole new command line, or None likewise
    - ``data``: for ``json``, the document as a dict; else None
    - ``verdict``: what ``crashmap check`` says of the new command line on the snapshot's map
      (:class:`crashmap.checks.Verdict`, the same function), or None without a readable map
    - ``update_kernel``: the boot entry ``grubby`` and ``bls`` change: a kernel image path or
      ``"ALL"``
    """

    __slots__ = ("format", "text", "warnings", "new_cmdline", "current_cmdline", "words", "diff",
                 "plan", "new", "data", "verdict", "update_kernel")

    def __init__(self, format: str, text: str, warnings: tuple[str, ...], new_cmdline: str,
                 current_cmdline: str, words: tuple[str, ...], diff: CmdlineDiff,
                 plan: CrashkernelResult | None, new: CrashkernelResult | None,
                 data: dict[str, Any] | None = None, verdict: Any = None, *,
                 update_kernel: str | None = None) -> None:
        self.format = format
        self.text = text
        self.warnings = warnings
        self.new_cmdline = new_cmdline
        self.current_cmdline = current_cmdline
        self.words = words
        self.diff = diff
        self.plan = plan
        self.new = new
        self.data = data
        self.verdict = verdict
        self.update_kernel = update_kernel

    @property
    def rejected(self) -> bool:
        """The kernel would reject the plan (it has words, but parse_crashkernel() fails)."""
        return bool(self.words) and self.plan is not None and not self.plan.ok

    @property
    def failure(self) -> str | None:
        """Why the plan must not be applied, in one sentence, or None when it passes: the
        verdict of ``crashmap check`` on the map, or the kernel's grammar without a map."""
        if self.verdict is not None and self.verdict.ok:
            return None
        if self.rejected:
            return f"the kernel rejects the plan: {self.plan.error}"  # type: ignore[union-attr]
        if self.verdict is None:
            return None
        errors = self.verdict.errors
        return errors[0].message if errors else self.verdict.verdict_line

    def __repr__(self) -> str:
        return (f"ExportResult(format={self.format!r}, words={self.words!r}, "
                f"warnings={len(self.warnings)}, new_cmdline={self.new_cmdline!r})")


def _normalize_words(words: Sequence[str] | str) -> tuple[str, ...]:
    """The plan's words: crashkernel= words, and at most one ``fadump=on|nocma|off`` (the values
    of ``kdumpctl reset-crashkernel --fadump=``; any other is refused as kdumpctl's
    ``get_dump_mode_by_fadump_val`` refuses it)."""
    items = words.split() if isinstance(words, str) else list(words)
    fadump = []
    for word in items:
        if isinstance(word, str) and word.startswith(PARAM) and not any(
                c in WHITESPACE for c in word):
            try:
                dump_mode(word[len(PARAM):])
            except ValueError as error:
                raise CrashmapError(str(error)) from None
            fadump.append(word)
            continue
        if not isinstance(word, str) or not word.startswith(NAME) or any(
                c in WHITESPACE for c in word):
            raise CrashmapError(f"not a crashkernel= word (nor a fadump= word): {word!r}")
    if len(fadump) > 1:
        raise CrashmapError(f"the plan has {len(fadump)} fadump= words ({' '.join(fadump)}): "
                            "give one")
    return tuple(items)


def _resolve_arch(arch: str | Arch | None, snapshot: Snapshot | None) -> Arch | None:
    if isinstance(arch, Arch):
        return arch
    name = arch if arch is not None else (snapshot.arch if snapshot is not None else None)
    return get_arch(normalize_arch(name)) if name else None


def export(fmt: str, words: Sequence[str] | str, current_cmdline: str | None,
           arch: str | Arch | None, *, snapshot: Snapshot | None = None,
           ram: int | None = None, kernel: Any = None,
           update_kernel: str | None = None) -> ExportResult:
    """Turn the plan ``words`` into format ``fmt``; print-only, nothing is applied.

    ``words`` are ``crashkernel=`` words (a sequence, or one string of them; ``()`` means "no
    reservation": every format then removes the parameters). ``current_cmdline`` is the whole
    current kernel command line (None: the snapshot's, else ""). ``arch`` is a name or an
    :class:`Arch` (None: the snapshot's). ``ram`` is the kernel's ``system_ram`` in bytes (None:
    the snapshot's); with RAM and arch known, the plan and the new line are read with the
    kernel's grammar and the result's ``warnings`` say what the kernel makes of them.
    ``kernel`` is the target kernel (:class:`~crashmap.kernel.target.TargetKernel`; None: the
    snapshot's release, else the newest kernel modelled). ``update_kernel`` is the boot entry
    the ``grubby`` and ``bls`` formats change: a kernel image path or ``"ALL"`` (None: the
    running kernel, ``/boot/vmlinuz-`` + the snapshot's kernel release, as
    ``kdumpctl reset-crashkernel`` defaults to; ``$(uname -r)`` when the release is unknown).

    Raises :class:`CrashmapError` for an unknown format, a word that is not ``crashkernel=`` or
    a current line longer than any kernel command line (:func:`check_length`).
    A plan the kernel rejects is still exported (``result.rejected`` says so, and a warning).
    """
    if fmt not in FORMATS:
        raise CrashmapError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    plan = _normalize_words(words)
    if current_cmdline is None:
        current_cmdline = (snapshot.cmdline if snapshot is not None else None) or ""
    check_length(current_cmdline, "the current command line")
    spec = _resolve_arch(arch, snapshot)
    if ram is None and snapshot is not None:
        ram = snapshot.system_ram
    from crashmap.kernel import fadump

    fadump_word = next((w for w in plan if w.startswith(fadump.PARAM)), None)
    if fadump_word not in (None, fadump.PARAM + "off") and not fadump.supported(spec):
        raise CrashmapError(fadump.refusal(spec))  # type: ignore[arg-type]
    new_cmdline = replace_crashkernel(current_cmdline,
                                      [w for w in plan if not w.startswith(fadump.PARAM)])
    if fadump_word is not None:
        new_cmdline = fadump.replace_fadump(new_cmdline, fadump_word)
    data = ExportInput(plan, current_cmdline, new_cmdline, plan_words(current_cmdline), spec,
                       update_kernel=_update_kernel(update_kernel, snapshot))
    if kernel is None and snapshot is not None:
        from crashmap.kernel.target import resolve_target

        kernel = resolve_target(None, snapshot.kernel_release)
    plan_result, new_result, warnings = _check(data, ram, kernel)
    verdict = check_on_map(new_cmdline, spec, ram, snapshot, kernel)
    diff = diff_words(current_cmdline, new_cmdline)
    if fmt == "json":
        import json

        document = _json_document(data, ram, diff, warnings, kernel)
        document["check"] = _check_json(verdict)
        return ExportResult(fmt, json.dumps(document, indent=2) + "\n", tuple(warnings),
                            new_cmdline, current_cmdline, plan, diff, plan_result, new_result,
                            document, verdict, update_kernel=data.update_kernel)
    text, format_warnings = _format(fmt, data)
    return ExportResult(fmt, text, tuple(warnings + format_warnings), new_cmdline,
                        current_cmdline, plan, diff, plan_result, new_result, None, verdict,
                        update_kernel=data.update_kernel)


def _update_kernel(path: str | None, snapshot: Snapshot | None) -> str:
    """The boot entry to change: ``ALL``, a kernel image path, or the running kernel's."""
    return boot_entry(path, snapshot.kernel_release if snapshot is not None else None)


def boot_entry(path: str | None, release: str | None) -> str:
    """``--update-kernel=PATH|ALL`` as grubby and bls take it: ``ALL``, a kernel image path, or
    (None) the running kernel's image, ``/boot/vmlinuz-RELEASE`` (``$(uname -r)`` without a
    release), as ``kdumpctl reset-crashkernel`` defaults to. Raises :class:`CrashmapError` for
    anything else."""
    from crashmap.export.common import ALL_ENTRIES, kernel_image

    if path is None:
        return kernel_image(release)
    if path.upper() == ALL_ENTRIES:
        return ALL_ENTRIES
    if not path.startswith("/") or any(c in WHITESPACE for c in path):
        raise CrashmapError(f"--update-kernel: {path!r} is not a kernel image path (such as "
                            "/boot/vmlinuz-6.12.0) nor ALL")
    return path


def check_on_map(new_cmdline: str, arch: Arch | None, ram: int | None,
                 snapshot: Snapshot | None, kernel: Any = None) -> Any:
    """``crashmap check``'s verdict (:func:`crashmap.checks.evaluate_cmdline`) of the whole new
    command line on the snapshot's map for the target ``kernel``; None when there is no map to
    place it on (no snapshot, its addresses hidden, or no RAM in it) or the arch is unknown."""
    if snapshot is None or arch is None:
        return None
    try:
        if snapshot.hidden or not snapshot.memmap.ram:
            return None
    except CrashmapError:  # no map in it (a snapshot made of facts only)
        return None
    from crashmap.checks import evaluate_cmdline
    from crashmap.placement import shared_context

    line = new_cmdline[:-1] if new_cmdline.endswith("\n") else new_cmdline
    return evaluate_cmdline(shared_context(snapshot, arch, kernel=kernel), line, system_ram=ram)


def _check_json(verdict: Any) -> dict[str, Any] | None:
    """``"check"`` of the JSON document: the verdict's gist (``crashmap check --json`` has it
    all), or None when the plan was not checked on a map."""
    if verdict is None:
        return None
    return {"ok": verdict.ok, "outcome": verdict.placement.outcome,
            "verdict": verdict.verdict_line,
            "errors": [f.to_json() for f in verdict.errors]}


def _format(fmt: str, data: ExportInput) -> tuple[str, list[str]]:
    module, function = _FORMATTERS[fmt]
    formatter = getattr(importlib.import_module(f"crashmap.export.{module}"), function)
    return formatter(data)


def _json_document(data: ExportInput, ram: int | None, diff: CmdlineDiff,
                   warnings: list[str], kernel: Any = None) -> dict[str, Any]:
    """``{"format", "arch", "ram", "words", "current_cmdline", "new_cmdline", "diff",
    "outputs", "warnings", "format_warnings", "kernel", "update_kernel"}``: every other format's
    text and warnings, the kernel the plan was checked for and the boot entry grubby changes."""
    outputs: dict[str, str] = {}
    format_warnings: dict[str, list[str]] = {}
    for name in _FORMATTERS:
        outputs[name], format_warnings[name] = _format(name, data)
    return {
        "format": "json",
        "arch": data.arch.name if data.arch is not None else None,
        "ram": ram,
        "words": list(data.words),
        "current_cmdline": data.current,
        "new_cmdline": data.new,
        "diff": diff.as_dict(),
        "outputs": outputs,
        "warnings": list(warnings),
        "format_warnings": format_warnings,
        "kernel": kernel.as_dict() if kernel is not None else None,
        "update_kernel": data.update_kernel,
    }


def _lookalikes(line: str) -> list[str]:
    """Warnings for crashkernel= hits the kernel reads that are not whole parameters: each
    names the parameter it stands in, as ``next_arg()`` splits them (``xcrashkernel=1G``,
    ``foo="a crashkernel=64M b"``)."""
    from crashmap.kernel.params import parameter_at

    whole = {start for start, _ in crashkernel_spans(line)}
    found = []
    for word in find_words(line):
        if word.start in whole:
            continue
        token_start, token_end = parameter_at(line, word.start)
        found.append(
            f"{line[token_start:token_end]!r} is left as it is (it is not a crashkernel= "
            f"parameter), but the kernel still reads {word.text!r} from it: it finds "
            "crashkernel= by raw substring search (kernel/crash_reserve.c get_last_crashkernel())")
    return found


def _init_words(current: str) -> list[str]:
    """A warning for each crashkernel= parameter of ``current`` that stands after ``--``."""
    separator = init_args_start(current)
    return [f"{current[start:end]!r} stands after '--', so init gets it as an argument (and the "
            "kernel still reads it: get_last_crashkernel() searches the whole line); it is "
            "removed, and the plan goes in front of '--'"
            for start, end in crashkernel_spans(current) if start > separator]


def _summary(result: CrashkernelResult) -> str:
    """What the kernel goes on to reserve, in a few words."""
    if not result.ok:
        text = "no reservation"
        if result.cma_kept:
            text += f" but a {format_size(result.cma_size)} CMA area"
        return text
    main = format_size(result.crash_size)
    if result.crash_base:
        main += f" at {result.crash_base:#x}"
    parts = [main + (",high" if result.high else "")]
    if result.high:
        parts.append(f"{format_size(result.low_size)} low")
    if result.cma_kept:
        parts.append(f"{format_size(result.cma_size)} CMA")
    return " + ".join(parts)


def _key(result: CrashkernelResult) -> tuple[object, ...]:
    if not result.ok:
        return (False, result.cma_kept, result.cma_size if result.cma_kept else 0)
    return (True, result.crash_size, result.crash_base, result.high,
            result.low_size if result.high else 0, result.cma_kept,
            result.cma_size if result.cma_kept else 0)


def _check(data: ExportInput, ram: int | None,
           kernel: Any) -> tuple[CrashkernelResult | None, CrashkernelResult | None, list[str]]:
    """The kernel's reading of the plan and of the new line, and the warnings about both."""
    warnings = _lookalikes(data.new) + _init_words(data.current) + _fadump_notes(data, ram)
    if not data.crash_words:
        warnings.append("the plan has no crashkernel= words: the kernel reserves nothing")
    if ram is None or data.arch is None:
        missing = "system RAM" if ram is None else "the architecture"
        warnings.append(f"{missing} is unknown, so the plan was not checked against the "
                        "kernel's rules")
        return None, None, warnings
    from crashmap.kernel.lint import lint_crashkernel

    plan = parse_crashkernel(" ".join(data.crash_words), ram, data.arch, kernel=kernel)
    line = data.new[:-1] if data.new.endswith("\n") else data.new  # a file's newline, not the
    new = parse_crashkernel(line, ram, data.arch, kernel=kernel)  # kernel's (spec §2.10)
    warnings.extend(str(finding) for finding in lint_crashkernel(new)
                    if finding.code == "cmdline-too-long")
    if data.crash_words:
        if not plan.ok:
            warnings.append(f"the kernel rejects the plan: {plan.error}")
        warnings.extend(str(finding) for finding in lint_crashkernel(plan)
                        if finding.severity != "info")
    if _key(plan) != _key(new):
        warnings.append(f"on the new command line the kernel gets {_summary(new)}, not the "
                        f"plan's {_summary(plan)}: see the look-alike parameters above")
    return plan, new, warnings


def _fadump_notes(data: ExportInput, ram: int | None) -> list[str]:
    """What fadump= in the new line means: the boot memory the kernel then preserves
    (``fadump_calculate_reserve_size()``, arch/powerpc/kernel/fadump.c)."""
    from crashmap.kernel import fadump

    line = data.new[:-1] if data.new.endswith("\n") else data.new
    mode = fadump.fadump_mode(line)
    if mode == "off" or data.arch is None or not fadump.supported(data.arch):
        return []
    text = (f"fadump={mode}: the firmware, not a kexec'd capture kernel, saves the dump; "
            "crashkernel= sizes the boot memory it preserves")
    if ram:
        crash = parse_crashkernel(line, ram, data.arch)
        size, how = fadump.boot_memory_size(crash.crash_size if crash.ok else None, ram)
        text += f": {format_size(size)} ({how}; arch/powerpc/kernel/fadump.c " \
                "fadump_calculate_reserve_size)"
        if crash.ok and crash.crash_base:
            text += "; its @offset is ignored (fadump reserves at its own offset)"
    if mode == "on":
        text += ("; fadump=on gives the area to CMA, so the running system keeps using it "
                 "for movable pages, whose content the dump then loses (fadump=nocma keeps it "
                 "reserved: Documentation/arch/powerpc/firmware-assisted-dump.rst)")
    return [text]
