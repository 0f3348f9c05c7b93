"""The header: which machine and map this is, and what it reserves today."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from crashmap.app.evaluation import MapContext
from crashmap.units import format_size


def describe_source(source: str) -> str:
    """``live`` / ``demo`` / ``map:NAME`` / a path, for people."""
    if source == "demo":
        from crashmap.sources import DEMO_MAP

        return f"demo (bundled map {DEMO_MAP})"
    if source.startswith("map:"):
        return f"bundled map {source[4:]}"
    return source


def current_crashkernel(ctx: MapContext) -> str:
    """The ``crashkernel=`` words of the map's command line and what the map shows reserved."""
    snapshot = ctx.snapshot
    if snapshot.cmdline is None:
        words = "command line unknown"
    else:
        found = [w for w in snapshot.cmdline.split(" ") if "crashkernel=" in w]
        words = " ".join(found) if found else "no crashkernel= on the command line"
    crash = snapshot.memmap.crash_resources
    if crash and not snapshot.hidden:
        held = ", ".join(f"{format_size(r.size)} @ {r.start:#x}" for r in crash)
        return f"{words}  →  Crash kernel {held}"
    return words


def target_kernel(ctx: MapContext) -> list[tuple[str, str]]:
    """``for Linux 7.3.4`` and how it was decided: assumed (warning), given, the snapshot's."""
    kernel = ctx.kernel
    release = ctx.snapshot.kernel_release
    if kernel.assumed:
        return [(f"for {kernel.name}", "bold $warning"), (" (assumed: K to set)", "$warning")]
    if kernel.source == "given":
        running = f"; runs {release}" if release and release != kernel.release else ""
        return [(f"for {kernel.name}", "bold $accent"), (f" (chosen{running})", "dim")]
    return [(f"for {kernel.name}", "bold")]  # the snapshot's own kernel


class HeaderBar(Static):
    """Host, arch, kernel, RAM and source on one line; the current configuration on the next."""

    def __init__(self, ctx: MapContext, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ctx = ctx

    def on_mount(self) -> None:
        self.update(self.describe())

    def describe(self) -> Content:
        snapshot, arch = self.ctx.snapshot, self.ctx.arch
        ram = format_size(self.ctx.ram) if self.ctx.ram else "RAM unknown"
        facts = [snapshot.hostname or "unknown host", arch.name, f"RAM {ram}"]
        first = Content.assemble(
            (" · ".join(facts), "bold"), (" · ", "bold"), *target_kernel(self.ctx),
            ("  source ", "dim"), describe_source(snapshot.source),
        )
        second = Content.assemble(("now  ", "dim"), current_crashkernel(self.ctx))
        return Content("\n").join([first, second])
