"""Start-up: the first frame carries the map, the panels follow, and the covered containers keep
no cut-up copies of their lines (the memory budget of issue 5 depends on both)."""

from __future__ import annotations

from crashmap.app.app import CrashmapApp
from crashmap.app.widgets.detail_grid import DetailGrid

from tests.ui.conftest import make_app, settle


class RecordingApp(CrashmapApp):
    """Notes what is on the screen when ``Ready`` (the first frame is out) is handled.

    Textual calls the ``on_ready`` of every class in the MRO, this one first."""

    at_ready: dict[str, bool] = {}

    def on_ready(self) -> None:
        screen = self.screen
        self.at_ready = {
            "map drawn": screen.query_one(DetailGrid).grid is not None,
            "panels mounted": bool(screen.query("#tree, #plan, #findings")),
        }


async def test_the_first_frame_has_the_map_and_the_panels_follow() -> None:
    base = make_app()
    app = RecordingApp(base.snapshot, source=base.source)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.at_ready == {"map drawn": True, "panels mounted": False}
        assert all(app.screen.query(selector) for selector in ("#tree", "#plan", "#findings"))


async def test_covered_containers_keep_no_cut_pieces() -> None:
    """The compositor cuts each rendered line at every widget edge and caches the pieces on
    the line. The screen and ``#panels`` are blank (they cache no lines); the framed panels
    hand out copies, so the lines they keep hold no pieces."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        for blank in (screen, screen.query_one("#panels")):
            assert not blank._styles_cache._cache, blank
        for framed in ("#map", "#plan", "#findings"):
            assert cached_lines(screen.query_one(framed)), framed
            assert not any(line._divide_cache for line in cached_lines(screen.query_one(framed)))
        # The probe sees pieces where they are kept: the tree is not framed.
        assert any(line._divide_cache for line in cached_lines(screen.query_one("#tree")))


def cached_lines(widget: object) -> list:
    """The lines a widget keeps, and the theme-filtered copies (what the compositor cuts)."""
    lines = list(widget._styles_cache._cache.values())  # type: ignore[attr-defined]
    return lines + [copy for line in lines for copy in line._filter_cache._cache.values()]
