"""The summary bar draws its one line itself (the words and the totals as two segments): it must
draw what Textual's own Content rendering draws, under every theme and with or without the
focus; when the text does not fit, it takes two lines wrapped by Textual."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.visual import Visual

from tests.ui.conftest import make_app, settle

LONG = "crashkernel=512M,high crashkernel=256M,low crashkernel=1G,cma"


def segments(strip: object) -> list[tuple[str, object]]:
    return [(s.text, s.style) for s in Segment.simplify(list(strip))]  # type: ignore[call-overload]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord", "gruvbox"])
async def test_one_line_is_what_textual_draws(theme: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = theme
        await pilot.pause()
        bar = app.screen.query_one("#summary")
        for focused in ("#detail", "#tree"):  # the bar's colours do not follow the focus
            app.screen.query_one(focused).focus()
            await pilot.pause()
            width = bar.content_size.width
            ours = bar.render_line(0)
            textual = Visual.to_strips(bar, bar.content, width, 1, bar.visual_style)
            assert bar.size.height == 1 and len(textual) == 1
            assert segments(ours) == segments(textual[0])
            assert ours.cell_length == textual[0].cell_length
            assert ours.text.startswith("crashkernel=96M │ static 96 MiB")


async def test_the_words_style_follows_the_theme() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#summary")
        colours = []
        for theme in ("textual-dark", "nord"):  # their accents differ
            app.theme = theme
            await pilot.pause()
            colours.append(segments(bar.render_line(0))[0][1].color)
        assert colours[0] != colours[1]


async def test_text_wider_than_the_bar_takes_two_wrapped_lines() -> None:
    app = make_app(cmdline=LONG, kernel="6.17")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#summary")
        plain = bar.content.plain
        words = plain.split(" │ ")[0]
        assert words.startswith("crashkernel=512M,high") and words.endswith("crashkernel=1G,cma")
        assert len(plain) > bar.content_size.width
        assert bar.size.height == 2 and app.screen.has_class("-summary-2")
        lines = [bar.render_line(y).text.rstrip() for y in range(2)]
        assert lines[0].startswith(words)
        assert " ".join(" ".join(lines).split()) == " ".join(plain.split())
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        region = bar.region
        assert rows[region.y].strip().startswith(words)  # drawn where the bar is
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert bar.size.height == 1 and not app.screen.has_class("-summary-2")
        assert bar.render_line(0).text.startswith(words + " │ static")


async def test_the_words_can_be_selected_with_the_mouse_and_copied() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#summary")
        words = bar.content.plain.split(" │ ")[0]
        plain = segments(bar.render_line(0))
        x0 = bar.content_region.x - bar.region.x
        await pilot.mouse_down(bar, offset=(x0, 0))
        await pilot.hover(bar, offset=(x0 + len(words) - 1, 0))
        await pilot.mouse_up(bar, offset=(x0 + len(words) - 1, 0))
        await pilot.pause()
        assert app.screen.get_selected_text() == words
        selected = segments(bar.render_line(0))  # Textual draws it while selected
        assert "".join(t for t, _ in selected) == "".join(t for t, _ in plain)
        assert selected[0][0] == words and selected[0][1] != plain[0][1]  # highlighted
        app.screen.clear_selection()
        await pilot.pause()
        assert segments(bar.render_line(0)) == plain
