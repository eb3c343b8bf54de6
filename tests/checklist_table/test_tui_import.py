"""The TUI's 从 Excel/WPS 表导入…: the report is shown before anything is written or created,
then the inspection is created with the imported checklist pinned."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from inspect_tui.store.workspace import Workspace
from tests.checklist_table.tables import TOWNSHIP_MERGES, TOWNSHIP_ROWS, write_table
from tests.tui.helpers import app_on, type_text, until_screen, wait_for


async def test_import_a_table_when_creating_an_inspection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_TUI_INSPECTOR", "测试员")
    table = write_table(tmp_path / "jiedao.xlsx", {"考核表": (TOWNSHIP_ROWS, TOWNSHIP_MERGES)})
    (tmp_path / "broken.xlsx").write_bytes(b"plain text")
    saved = tmp_path / "jiedao.toml"
    app = app_on(tmp_path / "ws")
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "NewInspectionDialog")
        await pilot.click("#table-import")
        await until_screen(pilot, "TableImportDialog")
        dialog = app.screen

        await type_text(pilot, str(tmp_path / "broken.xlsx"))
        await pilot.press("enter")
        problem = dialog.query_one("#dialog-problem")
        await wait_for(pilot, lambda: "不是 Excel/WPS 表格文件" in str(problem.render()))

        path_input = dialog.query_one("#table-path", Input)
        path_input.value = str(table)
        path_input.focus()
        await pilot.press("enter")
        report = dialog.query_one("#report-text", Static)
        await wait_for(pilot, lambda: "导入报告" in str(report.render()))
        shown = str(report.render())
        assert "6 项" in shown and "第 9 行 D 列" in shown and "已作为说明保留" in shown
        assert dialog.query_one("#out-path", Input).value == str(saved)
        assert not saved.exists()  # nothing is written before the user confirms

        await pilot.press("enter")  # confirms: saves the checklist
        await until_screen(pilot, "NewInspectionDialog")
        assert saved.exists()
        select = app.screen.query_one("#checklist", Select)
        assert select.value == saved
        await type_text(pilot, "街道考核")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+q")

    with Workspace.open(tmp_path / "ws") as ws:
        (inspection_id,) = ws.inspection_ids()
        checklist = ws.inspection(inspection_id).checklist
        assert checklist.title == "XX街道普法依法治理工作考核评分表"
        assert len(checklist.criteria) == 6 and checklist.criteria[0].source == "001 第3行"
