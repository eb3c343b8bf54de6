"""The overview: sort, filter, add / edit / remove sites; starting with several inspections."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from inspect_tui.core.i18n import set_language
from inspect_tui.paths import find_checklist
from inspect_tui.store.workspace import Workspace
from tests.tui.helpers import app_on, type_text, until_screen, wait_for


async def overview(pilot: Pilot[None]) -> DataTable[object]:
    await until_screen(pilot, "OverviewScreen")
    table = pilot.app.screen.query_one("#sites", DataTable)
    await wait_for(pilot, lambda: table.row_count > 0)
    return table


def names(table: DataTable[object]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_sort_and_filter(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await overview(pilot)
        assert table.row_count == 16
        await pilot.press("s")  # by name
        assert names(table) == sorted(names(table))
        await pilot.press("s", "s", "s", "s")  # by score: like with like, table by table
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        kinds = [str(row[1]) for row in rows]
        scores = [str(row[4]) for row in rows]
        assert kinds[:4] == ["乡镇街道"] * 4 and scores[:4] == ["89", "97", "98", "98.5"]
        assert scores[4:9] == ["-"] * 5  # then the units: the 5 not visited yet first
        await pilot.press("S")  # reversed: highest first
        top = [float(str(table.get_row_at(i)[4])) for i in range(3)]
        assert top == sorted(top, reverse=True)
        assert "得分降序" in str(app.screen.query_one("#overview-status").render())
        await pilot.press("slash")
        await type_text(pilot, "第一检查组")
        assert sorted(names(table)) == ["市交通运输局", "市公安局", "市教育局", "马涧镇"]
        await pilot.press("escape")
        assert table.row_count == 16 and app.focused is table


async def test_add_edit_and_remove_a_site(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await overview(pilot)
        await pilot.press("a")
        await until_screen(pilot, "SiteDialog")
        await type_text(pilot, "马涧镇")  # already there: refused inside the dialog
        await pilot.press("enter")
        assert "已有名为" in str(app.screen.query_one("#dialog-problem").render())
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "游埠镇")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        assert "游埠镇" in names(table)
        assert str(table.get_row_at(table.cursor_row)[0]) == "游埠镇"  # the cursor follows it

        await pilot.press("r")
        await until_screen(pilot, "SiteDialog")
        await pilot.press("end", *"中心")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        assert "游埠镇中心" in names(table)

        await pilot.press("x")
        await until_screen(pilot, "ConfirmDialog")
        await pilot.press("n")  # no: nothing happens
        assert "游埠镇中心" in names(table)
        await pilot.press("x")
        await until_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await until_screen(pilot, "OverviewScreen")
        assert "游埠镇中心" not in names(table) and table.row_count == 16
        assert app.session is not None
        removed = [s for s in app.session.inspection.sites(include_removed=True) if s.removed]
        assert [s.name for s in removed] == ["游埠镇中心"]  # hidden, history kept


async def test_score_then_back_updates_the_row(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await overview(pilot)
        table.move_cursor(row=15)
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        await pilot.press("4", "enter", "escape")
        await until_screen(pilot, "OverviewScreen")
        row = table.get_row_at(15)
        # a grassroots unit: 4 of its table's 50 points, shown 折算 to 100
        assert str(row[3]).strip() == "1/21" and str(row[4]).strip() == "8"


async def test_several_inspections_ask_which(demo: Path) -> None:
    checklist = find_checklist("duty-system")
    assert checklist is not None
    with Workspace.open(demo) as ws:
        ws.create_inspection(checklist.read_bytes(), checklist.name, title="另一次检查",
                             inspection_id="another")
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "PickInspectionDialog")
        await pilot.press("enter")  # the first: "another"
        await until_screen(pilot, "OverviewScreen")
        assert app.session is not None and app.session.inspection.id == "another"
        assert "还没有检查点" in str(app.screen.query_one("#overview-status").render())


async def test_a_locked_workspace_ends_with_the_reason(demo: Path) -> None:
    with Workspace.open(demo, author="另一位检查员"):
        app = app_on(demo)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: app._exit)
    assert app.return_code == 2


async def test_english(demo: Path) -> None:
    set_language("en")
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await overview(pilot)
        screen = app.export_screenshot()
        assert "Progress" in screen and "Quit" in screen and "进度" not in screen
        await pilot.press("f5")  # light / dark
        assert not app.current_theme.dark


async def test_the_site_dialog_offers_only_kinds_the_checklist_scores(demo: Path) -> None:
    """The demo's checklist has no table for 村(社区): the dialog does not offer it (a site of
    that kind would have nothing to score)."""
    from textual.widgets import Select

    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await overview(pilot)
        await pilot.press("a")
        await until_screen(pilot, "SiteDialog")
        kinds = app.screen.query_one("#site-kind", Select)
        offered = [value for _, value in kinds._options]
        assert offered == ["乡镇街道", "部门", "基层单位"]
