"""The scoring screen's quick paths show the same as the slow ones: kept criterion texts and
scroll bars draw exactly what a fresh drawing does, a move shows its item before the next
frame, and a text field kept between criteria carries nothing over."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rich.segment import Segment
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.visual import RenderOptions, RichVisual

from inspect_tui.core.checklist import Criterion
from inspect_tui.tui.screens.scoring import ScoringScreen
from inspect_tui.tui.widgets.criterion_detail import CriterionDetail
from inspect_tui.tui.widgets.criterion_text import CriterionText
from inspect_tui.tui.widgets.fields import TextField
from inspect_tui.tui.widgets.kept_scrollbar import KeptScrollBar
from tests.tui.helpers import app_on, wait_for
from tests.tui.test_scoring import open_site


def segments(strips: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


async def test_kept_texts_draw_what_a_fresh_drawing_does(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 8)
        text = app.screen.query_one(CriterionText)
        items = text._items  # every section and criterion, in the tree's order
        await wait_for(pilot, lambda: len(text._ready) == len(items))  # all made ready ahead
        rules = cast(RulesMap, text.styles)
        options = RenderOptions(text._get_style, rules)
        for width in (text.size.width, 31):  # the width drawn ahead, and one never seen
            for item in items:
                kept = text._kept_visual(item)
                fresh = RichVisual(text, text._criterion(item) if isinstance(item, Criterion)
                                   else text._section(item))
                height = fresh.get_height(rules, width)
                assert kept.get_height(rules, width) == height, item.id
                expected = segments(fresh.render_strips(width, height, text.visual_style,
                                                        options))
                for _ in range(2):  # drawn, then taken from what was kept
                    got = kept.render_strips(width, height, text.visual_style, options)
                    assert segments(got) == expected, item.id


async def test_a_move_shows_its_item_before_the_next_frame(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 8)
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        detail = screen.query_one(CriterionDetail)
        for step in (1, 1, -1, 1):
            await screen.action_move(step)  # no pause: nothing else has run yet
            assert tree.cursor_node is not None
            assert detail.item is tree.cursor_node.data
        await screen.action_next_unscored()
        assert tree.cursor_node is not None and detail.item is tree.cursor_node.data


async def test_a_text_field_kept_between_criteria_cannot_undo_into_the_next(
        demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 9)  # unscored: empty notes everywhere
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        notes = screen.query_one("#notes", TextField)
        notes.insert("写了又删")
        notes.replace("", (0, 0), notes.document.end)
        assert notes.text == ""
        await pilot.pause()
        before = screen.criterion
        await screen.action_next_unscored()  # a criterion (j may land on a section)
        await pilot.pause()
        assert screen.criterion is not None and screen.criterion is not before
        assert notes.text == ""  # the next criterion's notes, shown without a reload
        notes.action_undo()
        assert notes.text == ""  # not the words typed on the criterion before
        assert notes.cursor_location == (0, 0)


async def test_kept_scroll_bars_draw_what_a_fresh_drawing_does(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 8)
        detail = app.screen.query_one(CriterionDetail)
        drawings = set()
        for _ in range(12):  # criteria of several heights; the tree scrolls on the way
            await pilot.press("j")
            await pilot.pause()
            detail.scroll_to(y=3, animate=False, immediate=True)  # the thumb moves
            await pilot.pause()
            for bar in (tree.vertical_scrollbar, detail.vertical_scrollbar):
                assert isinstance(bar, KeptScrollBar)
                crop = Region(0, 0, *bar.size)
                kept = segments(bar.render_lines(crop))
                bar._styles_cache.clear()
                assert kept == segments(ScrollBar.render_lines(bar, crop))
                drawings.add(str(kept))
        assert len(drawings) > 2  # states changed, and each was drawn anew
