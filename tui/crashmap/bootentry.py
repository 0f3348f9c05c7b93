"""The boot loader's default entry in a report folder (or on this machine): its kernel command line.

Read from the Boot Loader Specification layout GRUB's ``blscfg`` boots on Fedora, RHEL 8+ and
their kin (sosreport's ``grub2`` plugin copies ``/boot/loader/entries`` and
``/boot/grub2/grubenv``), else from a generated ``grub.cfg`` (:mod:`crashmap.grubcfg`; Debian,
Ubuntu, older RHEL). For BLS:

- the default entry is ``grubenv``'s ``saved_entry`` (the entry's file name without ``.conf``:
  what ``grub2-set-default`` and ``grubby --set-default`` write, and what ``grub.cfg``'s
  ``set default="${saved_entry}"`` boots); without one, the entry whose ``linux`` line is the
  running kernel's ``/vmlinuz-RELEASE`` stands in, and the note says so;
- its ``options`` line with ``$name`` / ``${name}`` taken from ``grubenv`` (RHEL 8 keeps
  ``kernelopts`` there), an unset name empty, as GRUB expands it.

Anything else (``/etc/default/grub`` not yet run through grub-mkconfig, zipl, systemd-boot's own
loader.conf) is not read: None, and the caller says so.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from crashmap.errors import CrashmapError
from crashmap.files import read_capped
from crashmap.iomem import read_text

GRUBENV = ("boot/grub2/grubenv", "boot/grub/grubenv")
ENTRIES = "boot/loader/entries"
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_MAX_ENTRIES = 256


class BootEntry(namedtuple("BootEntry", "options source note")):
    """The default entry's kernel command line, the file it came from, and how it was chosen."""

    __slots__ = ()


def read_grubenv(text: str) -> dict[str, str]:
    """``name=value`` lines of a GRUB environment block (``#`` padding and comments skipped)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        values[name.strip()] = value
    return values


def read_entry(text: str) -> dict[str, str]:
    """The keys of one BLS entry (``key value`` lines): several ``options`` lines are joined
    with spaces, as the Boot Loader Specification says; another repeated key keeps the last."""
    keys: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.replace("\t", " ").partition(" ")
        value = value.strip()
        if key == "options" and keys.get("options"):
            value = f"{keys['options']} {value}"
        keys[key] = value
    return keys


def expand(options: str, env: dict[str, str]) -> str:
    """``$kernelopts`` and ``${name}`` from grubenv; a name grubenv lacks expands to nothing."""
    return " ".join(_VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""),
                                  options).split())


def default_entry(root: Path, release: str | None = None) -> BootEntry | None:
    """The default entry under ``root`` (a report folder, or ``/``): BLS first, else a
    generated grub.cfg (:mod:`crashmap.grubcfg`); None when neither says."""
    env: dict[str, str] = {}
    env_file = None
    for relative in GRUBENV:
        text = _read(root / relative)
        if text is not None:
            env, env_file = read_grubenv(text), relative
            break
    return _bls_entry(root, release, env, env_file) or _grub_cfg_entry(root, env)


def _grub_cfg_entry(root: Path, env: dict[str, str]) -> BootEntry | None:
    from crashmap.grubcfg import CFG_FILES, parse_menu, pick

    for relative in CFG_FILES:
        text = _read(root / relative)
        if text is None:
            continue
        menu, default = parse_menu(text)
        if default == "${saved_entry}":
            default = env.get("saved_entry", "").strip() or None
        entry = pick(menu, default)
        if entry is not None:
            how = f"default {default!r}" if default else "no default: entry 0"
            return BootEntry(expand(entry.linux, env), relative,
                             f"{how}, menu entry {entry.title!r}")
    return None


def _bls_entry(root: Path, release: str | None, env: dict[str, str],
               env_file: str | None) -> BootEntry | None:
    folder = root / ENTRIES
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".conf")[:_MAX_ENTRIES]
    except OSError:
        return None
    saved = env.get("saved_entry", "").strip()
    chosen, note = None, ""
    if saved:
        chosen = next((p for p in files if p.stem == saved), None)
        note = f"saved_entry in {env_file}" if chosen else ""
    if chosen is None and release:
        for path in files:
            text = _read(path)
            linux = read_entry(text).get("linux", "") if text is not None else ""
            if linux.rsplit("/", 1)[-1] == f"vmlinuz-{release}":
                chosen = path
                note = (f"saved_entry {saved!r} names no entry" if saved else
                        "no saved_entry") + "; the running kernel's entry"
                break
    if chosen is None:
        return None
    text = _read(chosen)
    if text is None:
        return None
    options = read_entry(text).get("options", "")
    return BootEntry(expand(options, env), f"{ENTRIES}/{chosen.name}", note)


def source_root(spec: str | None) -> Path | None:
    """The folder SOURCE ``spec``'s files live under: ``/`` for ``live``, a report folder
    itself, else None (a snapshot file or a bundled map carries no other files)."""
    if spec in (None, "live"):
        return Path("/")
    if spec == "demo" or spec.startswith("map:"):
        return None
    path = Path(spec)
    try:
        return path if path.is_dir() else None
    except OSError:  # a name too long for a path
        return None


def boot_entry_for(spec: str | None, release: str | None) -> BootEntry | None:
    """The default entry for SOURCE ``spec`` (see :func:`source_root`), or None."""
    root = source_root(spec)
    return default_entry(root, release) if root is not None else None


def _read(path: Path) -> str | None:
    try:
        if not path.is_file():
            return None
        return read_text(read_capped(path, 1 << 20), str(path))
    except (CrashmapError, OSError):
        return None
