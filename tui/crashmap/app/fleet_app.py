"""``crashmap fleet PATH --tui`` and ``crashmap FLEET-FOLDER``: the fleet screen first, a host's
map on ``enter`` (``escape`` goes back). Imported only for a fleet: the one-map TUI never loads
this module or the fleet screen."""

from __future__ import annotations

import gc
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from crashmap.app.app import CrashmapApp
from crashmap.errors import CrashmapError

MAP_ACTIONS = frozenset({"export", "estimate", "ranges", "learn", "reload", "save_snapshot",
                         "open_source"})
"""App keys that act on one map: off while the fleet screen is on top."""


def load_hosts(paths: list[str], arch: str | None) -> tuple[list[tuple[str, Any]], list[str]]:
    """Every host under ``paths`` as (member label, snapshot), and the unreadable members' lines."""
    from crashmap.fleet import FleetRun, walk

    reader = FleetRun(arch=arch)
    hosts: list[tuple[str, Any]] = []
    bad: list[str] = []
    for item in walk(paths):
        if item.kind == "skipped":
            continue
        if item.kind == "bad":
            bad.append(str(item.value))
            continue
        try:
            snapshot = reader.snapshot_of(item)
        except CrashmapError as error:
            bad.append(str(error))
            continue
        if snapshot.hidden:
            bad.append(f"{item.label}: addresses are hidden: run as root, or load a snapshot")
            continue
        hosts.append((item.label, snapshot))
    return hosts, bad


class FleetApp(CrashmapApp):
    """The crashmap app opened on a fleet: :class:`~crashmap.app.screens.fleet.FleetScreen`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CrashmapApp.BINDINGS, Binding("F", "back", "Fleet", tooltip="Back to the fleet")]

    def __init__(self, hosts: list[tuple[str, Any]], *, cmdline: str | None = None,
                 arch: str | None = None, kernel: str | None = None,
                 unreadable: int = 0) -> None:
        super().__init__(hosts[0][1], source=hosts[0][0], arch=arch)
        self.fleet_hosts = hosts
        self.fleet_options = {"cmdline": cmdline, "arch": arch, "kernel": kernel,
                              "unreadable": unreadable}

    def get_default_screen(self) -> Any:
        from crashmap.app.screens.fleet import FleetScreen

        return FleetScreen(self.fleet_hosts, **self.fleet_options)

    def on_ready(self, event: Any) -> None:
        """The first frame is out: collect again (there is no map screen to fill yet)."""
        gc.enable()
        event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from crashmap.app.screens.fleet import FleetScreen

        return not (action in MAP_ACTIONS and isinstance(self.screen, FleetScreen))

    def open_host(self, snapshot: Any, cmdline: str | None) -> None:
        """Push the host's map with ``cmdline``'s plan, as the target kernel reads it there."""
        from crashmap.app.evaluation import context_for, initial_plan
        from crashmap.app.main_screen import MainScreen
        from crashmap.fleet.evaluate import target

        self.ctx = context_for(snapshot, target(self.fleet_options["kernel"],
                                                snapshot.kernel_release))
        self.source = snapshot.source
        screen = MainScreen(self.ctx, initial_plan(self.ctx, cmdline))
        self.push_screen(screen)
        screen.first_frame_out()

    def action_back(self) -> None:
        """Back to the fleet screen from a host's map (and whatever was opened over it)."""
        from crashmap.app.screens.fleet import FleetScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, FleetScreen):
            self.pop_screen()


def run_fleet_app(paths: list[str], *, cmdline: str | None = None, arch: str | None = None,
                  kernel: str | None = None) -> int:
    """Read the fleet, then run the app on it; returns the exit code."""
    import sys

    hosts, bad = load_hosts(paths, arch)
    for message in bad:
        print(f"crashmap: {message}", file=sys.stderr)
    if not hosts:
        raise CrashmapError("no host could be read", path=" ".join(paths))
    app = FleetApp(hosts, cmdline=cmdline, arch=arch, kernel=kernel, unreadable=len(bad))
    app.run()
    return app.return_code or 0
