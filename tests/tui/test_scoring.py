"""The scoring screen: moving never writes, a failed write keeps the value, undo, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from inspect_tui.store.errors import WriteFailed
from inspect_tui.store.inspection import Inspection
from inspect_tui.tui.app import InspectApp
from inspect_tui.tui.commands import screen_commands
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from tests.tui.helpers import app_on, until_screen, wait_for


async def open_site(pilot: Pilot[None], row: int) -> CriterionTree:
    """From the overview, open the site on `row` (the demo's last 5 sites are unscored)."""
    await until_screen(pilot, "OverviewScreen")
    table = pilot.app.screen.query_one("#sites")
    await wait_for(pilot, lambda: table.row_count > row)  # type: ignore[attr-defined]
    table.move_cursor(row=row)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await until_screen(pilot, "ScoringScreen")
    return pilot.app.screen.query_one(CriterionTree)


def entry_count(app: InspectApp) -> int:
    assert app.session is not None
    return len(app.session.inspection.all_entries())


def site_files(demo: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in demo.rglob("*.json")}


async def test_moving_between_criteria_writes_nothing(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 8)  # half scored
        before, files = entry_count(app), site_files(demo)
        await pilot.press(*"jjjjkkjj", "down", "down", "up", "n", "n", "p", "tab", "tab",
                          "escape", "j")
        await pilot.pause()
        assert entry_count(app) == before
        assert site_files(demo) == files


async def test_next_and_previous_unscored(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 8)
        start = tree.criterion
        assert start is not None and not tree.records[start.id].scored  # opens at the first to do
        await pilot.press("n")
        following = tree.criterion
        assert following is not None and following.id != start.id
        assert not tree.records[following.id].scored
        await pilot.press("p")
        assert tree.criterion == start


async def test_write_failure_keeps_the_typed_value(demo: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_on(demo)
    real = Inspection.set_fields

    def disk_full(self: Inspection, *args: object, **kwargs: object) -> object:
        raise WriteFailed("sites/x.json", "No space left on device")

    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 15)
        criterion = tree.criterion
        assert criterion is not None
        monkeypatch.setattr(Inspection, "set_fields", disk_full)
        await pilot.press("2", "enter")
        screen = app.screen
        assert screen.query_one("#points").value == "2"  # type: ignore[attr-defined]
        assert "未保存" in str(screen.query_one("#save-state").render())
        assert any("No space left" in n.message for n in app._notifications)
        assert criterion.id in tree.unsaved
        assert "ctrl+s" in {b.binding.key for b in screen.active_bindings.values()}

        monkeypatch.setattr(Inspection, "set_fields", real)
        await pilot.press("ctrl+s")  # retry
        assert app.session is not None
        site_id = screen.site.site_id  # type: ignore[attr-defined]
        assert app.session.record(site_id, criterion.id).points == 2.0
        assert not app.session.unsaved and criterion.id not in tree.unsaved
        assert "已保存 09:30:00" in str(screen.query_one("#save-state").render())


async def test_out_of_range_score_is_refused_in_place(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 15)
        before = entry_count(app)
        await pilot.press("9", "9", "enter")
        problem = app.screen.query_one("#points-problem")
        assert problem.display and "超出范围" in str(problem.render())
        assert entry_count(app) == before
        assert tree.criterion is not None and not tree.records[tree.criterion.id].scored


async def test_undo_puts_the_last_change_back(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 15)
        first = tree.criterion
        assert first is not None and app.session is not None
        await pilot.press("1", "enter", "n", "2", "enter")
        second = tree.criterion
        assert second is not None
        await pilot.press("ctrl+z")
        site_id = app.screen.site.site_id  # type: ignore[attr-defined]
        assert app.session.record(site_id, second.id).points is None
        assert app.session.record(site_id, first.id).points == 1.0
        await pilot.press("ctrl+z")
        assert app.session.record(site_id, first.id).points is None
        assert tree.criterion == first  # undo shows where it happened


async def test_typed_notes_are_saved_after_a_pause(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 15)
        assert app.session is not None and tree.criterion is not None
        app.screen.query_one("#problems").focus()
        await pilot.press(*"ab")
        site_id = app.screen.site.site_id  # type: ignore[attr-defined]
        record = lambda: app.session.record(site_id, tree.criterion.id)  # type: ignore[union-attr]  # noqa: E731
        await wait_for(pilot, lambda: record().problems == "ab", timeout=3)
        assert tree.records[tree.criterion.id].problems == "ab"


async def test_keys_are_in_the_footer_and_the_palette(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot, 15)
        names = {c.name for c in screen_commands(app.screen)}
        assert {"上下移动", "下一未评", "上一未评", "打分", "搜索", "帮助", "撤销上一次修改",
                "修改记录", "附加佐证", "汇总"} <= names
        footer = {key.key for key in app.screen.query("FooterKey")}  # type: ignore[attr-defined]
        assert {"j", "n", "p", "0", "slash", "question_mark"} <= footer


async def test_search_help_history_and_summary_open(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = await open_site(pilot, 0)
        await pilot.press("slash")
        await until_screen(pilot, "CommandPalette")
        await pilot.press(*"3.2", "enter")
        await until_screen(pilot, "ScoringScreen")
        assert tree.criterion is not None and tree.criterion.id == "3.2"
        await pilot.press("h")
        await until_screen(pilot, "HistoryDialog")
        assert "张明" in app.export_screenshot()  # the demo's inspector for this site
        await pilot.press("escape", "question_mark")
        await until_screen(pilot, "HelpDialog")
        await pilot.press("escape", "v")
        await until_screen(pilot, "SummaryScreen")
        await pilot.press("escape")
        await until_screen(pilot, "ScoringScreen")
