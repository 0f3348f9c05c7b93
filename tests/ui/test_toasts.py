"""Toasts (notifications) never cover the words and totals or the footer, do not pile up, and
are never cut: the same message again replaces its toast, and past the limit for the terminal's
height the oldest goes."""

from __future__ import annotations

import pytest

from tests.ui.conftest import make_app, settle

MESSAGES = ("first message about the plan", "second message about the map",
            "third message, a longer one that has to wrap onto a second line in a toast",
            "arm64 does not read crashkernel=…,cma (x86_64 since 6.17, ppc64le since 6.18).")


@pytest.mark.parametrize("size", [(160, 48), (120, 36), (80, 24), (40, 12)])
async def test_toasts_stay_above_the_words_and_do_not_pile_up(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        for message in (*MESSAGES, MESSAGES[-1]):
            app.notify(message, timeout=30)
            await pilot.pause()
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert 1 <= len(toasts) <= (1 if size[1] < 20 else 3)
        texts = [str(toast.render()) for toast in toasts]
        assert MESSAGES[-1] in texts[-1] and sum(MESSAGES[-1] in t for t in texts) == 1
        covered = [app.screen.query_one("#summary").region,
                   app.screen.query_one("KeyBar").region]
        for toast in toasts:
            assert not any(toast.region.overlaps(region) for region in covered), toast.region
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        for toast, text in zip(toasts, texts, strict=True):  # every toast whole, on screen
            region = toast.region
            drawn = " ".join(rows[y][region.x:region.right].lstrip("▌")
                             for y in range(region.y, region.bottom))
            assert " ".join(drawn.split()) == " ".join(text.split()), (drawn, text)
        rack = app.screen.query_one("ToastRack")
        assert rack.region.y >= 0 and rack.scroll_offset.y == 0  # nothing scrolled out of sight
        assert rack.virtual_size.height <= rack.size.height
