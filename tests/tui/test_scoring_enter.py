"""Scoring by keys ("n", a digit, Enter) costs no more drawing than it shows: the tree is
not drawn afresh at each focus change (its look does not depend on the focus), and a label
whose new text takes the same room is drawn in place without a layout of the screen."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree

from inspect_tui.tui.screens.scoring import ScoringScreen
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from inspect_tui.tui.widgets.fields import LineField, NumberField
from inspect_tui.tui.widgets.one_layout import SteadyLabel
from tests.tui.helpers import app_on
from tests.tui.test_scoring import open_site


def drawing(tree: CriterionTree) -> list[list[Segment]]:
    strips: list[Strip] = tree.render_lines(Region(0, 0, *tree.size))
    return [list(strip) for strip in strips]


def fresh_drawing(tree: CriterionTree) -> list[list[Segment]]:
    Tree._invalidate(tree)  # what Textual's Tree does on any change of its styles
    tree._styles_cache.clear()
    return drawing(tree)


async def test_scoring_by_keys_never_draws_the_whole_tree_again(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 9)  # unscored
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        await pilot.pause()
        whole_tree_drawn = tree._updates  # counts the times every line was thrown away
        for digit in "000":  # (a 0 fits every criterion)
            await pilot.press("n", digit)
            await pilot.pause()
            assert screen.focused is not None and screen.focused.id == "points"
            in_field = drawing(tree)
            await pilot.press("enter")
            await pilot.pause()
            assert screen.focused is tree
            assert tree.criterion is not None
            assert app.session is not None
            record = app.session.record(screen.site.site_id, tree.criterion.id)
            assert record.points == float(digit)
            # the tree looks the same whichever of the two has the focus (but for the
            # criterion just scored and its section's subtotal)
            node = tree.cursor_node
            assert node is not None and node.parent is not None
            changed = {n.line - tree.scroll_offset.y for n in (node, node.parent)}
            assert [line for y, line in enumerate(drawing(tree)) if y not in changed] == [
                line for y, line in enumerate(in_field) if y not in changed]
        assert tree._updates == whole_tree_drawn
        # and what it kept drawing is what a fresh drawing shows (marks, subtotals, cursor)
        kept = drawing(tree)
        assert fresh_drawing(tree) == kept
        assert any("✓" in segment.text for line in kept for segment in line)


class Labels(App[None]):
    CSS = "#narrow { width: 5; } #wide { width: auto; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SteadyLabel("已保存 10:40:52", id="wide")
            yield SteadyLabel("ab cdefgh", id="narrow")


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[Screen[object]]:
    seen: list[Screen[object]] = []
    original = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        seen.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return seen


@contextlib.asynccontextmanager
async def label(name: str) -> AsyncIterator[tuple[Pilot[None], SteadyLabel]]:
    """The Labels app running, with its label `name` drawn once."""
    app = Labels()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        yield pilot, app.query_one(f"#{name}", SteadyLabel)


async def test_a_label_of_the_same_shape_is_drawn_without_a_layout(
        layouts: list[Screen[object]]) -> None:
    async with label("wide") as (pilot, wide):
        size = wide.size
        layouts.clear()
        wide.update("已保存 10:41:07")
        await pilot.pause()
        assert not layouts
        assert "10:41:07" in "".join(s.text for s in wide.render_lines(Region(0, 0, *size))[0])
        wide.update("已保存 10:41:07")  # the same again: nothing to do
        assert not wide._repaint_required
        wide.update("已保存 10:41")  # narrower: laid out again
        await pilot.pause()
        assert layouts
        assert wide.size.width == size.width - 3


async def test_a_wrapped_label_is_laid_out_again_even_at_the_same_length(
        layouts: list[Screen[object]]) -> None:
    async with label("narrow") as (pilot, narrow):
        assert narrow.size.height == 3  # "ab" / "cdefg" / "h"
        layouts.clear()
        narrow.update("abcdef gh")  # as long, wrapped on two lines: "abcde" / "f gh"
        await pilot.pause()
        assert layouts
        assert narrow.size.height == 2


async def test_typing_into_a_field_asks_for_no_layout_and_long_text_still_scrolls(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Widget] = []
    original = Widget.refresh

    def refresh(self: Widget, *regions: Region, **kwargs: bool) -> Widget:
        if kwargs.get("layout"):
            asked.append(self)
        return original(self, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", refresh)
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 9)
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        await pilot.press("n", "1")
        await pilot.pause()
        asked.clear()
        await pilot.press("0")  # "10"
        await pilot.pause()
        points = screen.query_one("#points", NumberField)
        assert points.value == "10"
        assert points not in asked
        await pilot.press("enter")
        await pilot.pause()
        reason = screen.query_one("#reason", LineField)
        if not reason.parent or not reason.parent.display:
            return  # (a criterion without the field)
        screen.set_focus(reason)
        await pilot.press(*"一二三四五六七八九十" * 8)
        await pilot.pause()
        assert reason.value.endswith("九十")
        assert reason.scroll_offset.x > 0  # the cursor at the end is in view
        shown = "".join(s.text for s in reason.render_line(0))
        assert "九十" in shown and not shown.startswith("一二")
