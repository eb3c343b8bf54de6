"""The 整改台账 screen and the visit dialog, driven with Pilot on a copy of the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from inspect_tui.core.rectification import Status
from inspect_tui.demo import DEMO_ID
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.commands import screen_commands
from tests.tui.helpers import app_on, demo_copy, type_text, until_screen, wait_for


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.getbasetemp(), tmp_path / "demo")


async def open_problems(pilot: Pilot[None]) -> DataTable[object]:
    await until_screen(pilot, "OverviewScreen")
    sites = pilot.app.screen.query_one("#sites", DataTable)
    await wait_for(pilot, lambda: sites.row_count > 0)
    palette = {c.name: c.keys for c in screen_commands(pilot.app.screen)}
    assert palette["整改台账"] == ["p"] and palette["检查情况"] == ["i"]  # Footer and palette
    await pilot.press("p")
    await until_screen(pilot, "ProblemsScreen")
    assert "登记整改" in {c.name for c in screen_commands(pilot.app.screen)}
    return pilot.app.screen.query_one("#problems", DataTable)


def column(table: DataTable[object], key: str) -> list[str]:
    return [str(c) for c in table.get_column(key)]


async def test_ledger_lists_filters_and_marks_overdue(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(140, 40)) as pilot:
        table = await open_problems(pilot)
        assert table.row_count == 20
        assert set(column(table, "status")) == {s.value for s in Status}
        marked = [i for i, v in enumerate(column(table, "overdue")) if v]
        assert len(marked) == 1 and column(table, "site")[marked[0]] == "赤溪街道"
        screen = app.screen
        screen.query_one("#status-filter", Select).value = Status.PASSED.value
        await pilot.pause()
        assert set(column(table, "status")) == {Status.PASSED.value} and table.row_count == 3
        screen.query_one("#status-filter", Select).value = "*"
        await pilot.press("o")  # overdue only
        assert column(table, "site") == ["赤溪街道"]
        assert "已逾期 1 个" in str(screen.query_one("#problems-status").render())
        await pilot.press("o")
        sites = {s.name: s.site_id for s in screen.inspection.sites()}
        screen.query_one("#site-filter", Select).value = sites["马涧镇"]
        await pilot.pause()
        assert set(column(table, "site")) == {"马涧镇"} and table.row_count == 2


async def test_editing_a_problem_saves_and_refuses_bad_input(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(140, 45)) as pilot:
        table = await open_problems(pilot)
        pending = column(table, "status").index(Status.PENDING.value)
        table.move_cursor(row=pending)
        record_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("enter")
        await until_screen(pilot, "ProblemDialog")
        dialog = app.screen
        deadline = dialog.query_one("#p-deadline", Input)
        deadline.value = ""
        await type_text(pilot, "2026/12/31")
        await pilot.press("enter")
        problem = dialog.query_one("#dialog-problem")
        assert problem.display and "YYYY-MM-DD" in str(problem.render())
        assert app.screen is dialog  # refused: the dialog stays, with what was typed
        deadline.value = "2099-12-31"
        dialog.query_one("#p-owner-unit", Input).value = "市司法局"
        dialog.query_one("#p-status", Select).value = Status.PASSED.value  # skips 已整改
        deadline.focus()
        await pilot.press("enter")
        assert app.screen is dialog and "已整改" in str(problem.render())
        dialog.query_one("#p-status", Select).value = Status.IN_PROGRESS.value
        deadline.focus()
        await pilot.press("enter")
        await until_screen(pilot, "ProblemsScreen")
        row = table.get_row(record_id)
        assert "2099-12-31" in map(str, row) and Status.IN_PROGRESS.value in map(str, row)
    with Workspace.open(demo, readonly=True) as ws:  # saved in the files
        (p,) = [p for p in ws.inspection(DEMO_ID).problems() if p.record_id == record_id]
        assert (p.deadline, p.owner_unit, p.status) == ("2099-12-31", "市司法局",
                                                        Status.IN_PROGRESS)


async def test_visit_dialog_from_the_overview(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(120, 45)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        sites = app.screen.query_one("#sites", DataTable)
        await wait_for(pilot, lambda: sites.row_count > 0)
        names = [str(sites.get_row_at(i)[0]) for i in range(sites.row_count)]
        sites.move_cursor(row=names.index("浙能兰溪电厂"))  # not visited yet: empty form
        await pilot.press("i")
        await until_screen(pilot, "VisitDialog")
        dialog = app.screen
        assert dialog.query_one("#visit-date", Input).value == ""
        await type_text(pilot, "明天")
        await pilot.press("enter")
        assert app.screen is dialog and "YYYY-MM-DD" in str(
            dialog.query_one("#dialog-problem").render())
        dialog.query_one("#visit-date", Input).value = date(2026, 5, 6).isoformat()
        dialog.query_one("#visit-inspectors", Input).value = "李华、王芳"
        dialog.query_one("#visit-contact", Input).value = "厂办 陈主任"
        dialog.query_one("#visit-date", Input).focus()
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
    with Workspace.open(demo, readonly=True) as ws:
        insp = ws.inspection(DEMO_ID)
        site = next(s for s in insp.sites() if s.name == "浙能兰溪电厂")
        v = insp.visit(site.site_id)
        assert (v.date, v.inspectors, v.contact) == ("2026-05-06", ("李华", "王芳"), "厂办 陈主任")


async def test_problem_dialog_fits_a_24_row_terminal(demo: Path) -> None:
    """On 80×24 the dialog's buttons stay on screen and the last field can be reached (the
    fields scroll); a save from there still lands."""
    app = app_on(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_problems(pilot)
        record_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("enter")
        await until_screen(pilot, "ProblemDialog")
        dialog = app.screen
        screen = dialog.region
        assert screen.contains_region(dialog.query_one("#ok").region)
        note = dialog.query_one("#p-recheck-note", Input)
        note.focus()
        await pilot.pause()
        await wait_for(pilot, lambda: screen.contains_region(note.region))
        await type_text(pilot, "已复核")
        await pilot.press("enter")
        await until_screen(pilot, "ProblemsScreen")
    with Workspace.open(demo, readonly=True) as ws:
        (p,) = [p for p in ws.inspection(DEMO_ID).problems() if p.record_id == record_id]
        assert p.recheck_note.endswith("已复核")
