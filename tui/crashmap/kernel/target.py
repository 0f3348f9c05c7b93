"""The target kernel: the kernel that will boot next and read the ``crashkernel=`` words.

A plan is for the next boot, which is not always the running kernel. The target comes from
``--kernel VERSION``, else the snapshot's ``kernel_release``, else it is *assumed*
(:data:`ASSUMED_RELEASE`, the newest kernel modelled) and every answer says so.

Pure domain code (no UI imports); :mod:`crashmap.kernel.versions` holds the rules keyed by it.
"""

from __future__ import annotations

import re
from collections import namedtuple

from crashmap.errors import CrashmapError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Literal

    Source = Literal["given", "snapshot", "live", "assumed"]
else:
    Source = str

ASSUMED_RELEASE = "7.3"
"""The version assumed when nothing tells: the newest mainline kernel crashmap models (and the
one booted in ``tests/data/kernel-oracle``)."""

_RELEASE = re.compile(
    r"^(?:linux[- ]?|v)?([0-9]{1,3})\.([0-9]{1,3})(?:\.([0-9]{1,5}))?(?P<rest>\S*)$",
    re.IGNORECASE)
_EL = re.compile(r"\.el([0-9]{1,2})(?:_([0-9]{1,2}))?(uek)?(?=[._+-]|$)")


class TargetKernel(namedtuple("TargetKernel", "release version distro el el_minor source")):
    """The kernel a prediction is for.

    - ``release``: the text it came from (``6.17.2-300.fc43.x86_64``, ``7.3``)
    - ``version``: ``(major, minor, patch)``; patch 0 when not given
    - ``distro``: ``rhel`` for Red Hat family kernels (``.elN``), ``uek`` for Oracle's
      Unbreakable Enterprise Kernel (``.elNuek``), else None (a mainline or other distro build)
    - ``el``/``el_minor``: the ``.elN_M`` numbers of a Red Hat family release (None otherwise)
    - ``source``: ``given`` (``--kernel``), ``snapshot`` (its ``kernel_release``), ``live`` (the
      running kernel of this machine) or ``assumed``
    """

    __slots__ = ()

    @property
    def assumed(self) -> bool:
        return self.source == "assumed"

    @property
    def major_minor(self) -> tuple[int, int]:
        return self.version[0], self.version[1]

    def at_least(self, since: tuple[int, int]) -> bool:
        """This kernel's ``major.minor`` is ``since`` or newer."""
        return self.major_minor >= since

    @property
    def version_text(self) -> str:
        major, minor, patch = self.version
        return f"{major}.{minor}.{patch}" if patch else f"{major}.{minor}"

    @property
    def name(self) -> str:
        """``Linux 7.3.4``, ``Linux 4.18.0 (RHEL 8.10)``."""
        text = f"Linux {self.version_text}"
        if self.distro == "rhel" and self.el is not None:
            minor = f".{self.el_minor}" if self.el_minor is not None else ""
            text += f" (RHEL {self.el}{minor} family)"
        elif self.distro == "uek":
            text += " (Oracle UEK)"
        return text

    @property
    def origin(self) -> str:
        return {"given": "given with --kernel", "snapshot": "from the snapshot",
                "live": "the running kernel",
                "assumed": "assumed: the source does not say; give --kernel"}[self.source]

    def describe(self) -> str:
        """``Linux 7.3.4 (from the snapshot)``: the words every answer starts with."""
        return f"{self.name} ({self.origin})"

    def as_dict(self) -> dict[str, object]:
        return {"release": self.release, "version": self.version_text,
                "distro": self.distro, "source": self.source, "assumed": self.assumed,
                "name": self.name}


def parse_release(text: str, source: Source = "given") -> TargetKernel:
    """A :class:`TargetKernel` from ``uname -r``-like text; CrashmapError if it is not one.

    Accepts ``7.3``, ``7.3.4``, ``v6.17``, ``6.17.2-300.fc43.x86_64``,
    ``4.18.0-553.el8_10.x86_64``, ``5.15.0-200.131.27.el8uek.x86_64``, ``6.12.0-55.el10``.
    """
    release = text.strip()
    match = _RELEASE.match(release)
    if not match:
        raise CrashmapError(f"not a kernel version: {text!r} (expected e.g. 7.3, 6.17.2 or "
                            f"4.18.0-553.el8_10.x86_64)")
    major, minor = int(match.group(1)), int(match.group(2))
    patch = int(match.group(3) or 0)
    if not 2 <= major <= 99:
        raise CrashmapError(f"not a kernel version: {text!r} (major version {major})")
    distro = el = el_minor = None
    el_match = _EL.search(match.group("rest"))
    if el_match:
        el = int(el_match.group(1))
        el_minor = int(el_match.group(2)) if el_match.group(2) else None
        distro = "uek" if el_match.group(3) else "rhel"
    return TargetKernel(release, (major, minor, patch), distro, el, el_minor, source)


def assumed_kernel() -> TargetKernel:
    return parse_release(ASSUMED_RELEASE, "assumed")


def resolve_target(given: str | None = None, release: str | None = None, *,
                   live: bool = False) -> TargetKernel:
    """``--kernel`` if given, else the snapshot's ``kernel_release``, else assumed.

    A snapshot release that is not a version (garbage in an old YAML) counts as unknown.
    ``live``: the release is this machine's running kernel.
    """
    if given is not None:
        return parse_release(given, "given")
    if release:
        try:
            return parse_release(release, "live" if live else "snapshot")
        except CrashmapError:
            pass
    return assumed_kernel()
