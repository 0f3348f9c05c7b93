"""``crashmap [SOURCE]``: pick what to show first, then run the app."""

from __future__ import annotations

import gc

from crashmap.arch import normalize_arch
from crashmap.errors import CrashmapError
from crashmap.iomem import HIDDEN_MESSAGE
from crashmap.snapshot import Snapshot
from crashmap.sources import DEMO_MAP, load_source

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from crashmap.app.app import CrashmapApp
    from crashmap.app.learn.lessons import Lesson


def initial_snapshot(source: str | None, arch: str | None) -> tuple[Snapshot, str | None]:
    """The snapshot to open and, when the live map is unreadable, the banner explaining why.

    An explicit SOURCE that cannot be read raises :class:`CrashmapError` (the CLI prints it and
    exits 2). An unreadable *live* map is not an error: the bundled demo map stands in for it.
    """
    spec = source or "live"
    if arch is not None:
        normalize_arch(arch)  # an unknown --arch is a usage error (exit 2), never the demo
    if spec != "live":
        return load_source(spec, arch=arch), None
    try:
        snapshot = load_source("live", arch=arch)
    except CrashmapError as error:
        reason = str(error)
    else:
        if not snapshot.hidden:
            return snapshot, None
        reason = HIDDEN_MESSAGE
    banner = (f"The live map cannot be read — {reason}. Showing the bundled demo map "
              f"({DEMO_MAP}) instead; o opens another source.")
    return load_source("demo"), banner


def run_app(source: str | None = None, arch: str | None = None, cmdline: str | None = None,
            kernel: str | None = None, lesson: Lesson | None = None) -> int:
    """Open the TUI on SOURCE (default: live); returns the process exit code.

    The garbage collector stays paused until the first frame is out (the app turns it back on):
    importing Textual and building the screen allocate some 100 000 objects that all stay in
    use, and each full collection on the way would walk them for nothing. Started any other
    way, the app pauses it itself from :meth:`CrashmapApp.run_async` on.
    """
    if kernel is not None:
        from crashmap.cli.common import target_kernel

        target_kernel(kernel)  # a bad --kernel is a usage error before anything opens
    gc.disable()
    try:
        app = build_app(source, arch, cmdline, lesson, kernel)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0


def build_app(source: str | None = None, arch: str | None = None, cmdline: str | None = None,
              lesson: Lesson | None = None, kernel: str | None = None) -> CrashmapApp:
    """The app as ``crashmap [SOURCE] [--arch] [--cmdline] [--lesson] [--kernel]`` starts it.

    A ``lesson`` brings its map, plan and kernel (SOURCE, ``cmdline`` and ``kernel`` override
    them) and shows its chapter beside the map.
    """
    if lesson is not None:
        source = source or lesson.map
        cmdline = lesson.cmdline if cmdline is None else cmdline
        kernel = lesson.kernel if kernel is None else kernel
    snapshot, banner = initial_snapshot(source, arch)
    from crashmap.app.app import CrashmapApp  # Textual is imported only now

    return CrashmapApp(snapshot, source=source or "live", banner=banner, cmdline=cmdline,
                       arch=arch, kernel=kernel, lesson=lesson)
