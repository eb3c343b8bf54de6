"""The inspector's day in one test: create an inspection, add a site, score criteria by
keyboard, attach evidence, quit, start again — and everything is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_tui.core.checklist import Method
from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from tests.tui.helpers import app_on, screen_name, type_text, until_screen, wait_for


async def test_create_score_attach_restart(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # evidence paths are typed relative to here
    workspace = tmp_path / "ws"
    (tmp_path / "宪法日.jpg").write_bytes(b"\xff\xd8 a photo")

    app = app_on(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "NewInspectionDialog")  # an empty workspace offers to create
        await type_text(pilot, "兰溪检查")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")

        await pilot.press("a")
        await until_screen(pilot, "SiteDialog")
        await type_text(pilot, "马涧镇")
        await pilot.press("enter")
        await until_screen(pilot, "OverviewScreen")
        assert app.screen.query_one("#sites").row_count == 1  # type: ignore[attr-defined]

        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        tree = app.screen.query_one(CriterionTree)
        first = tree.criterion
        assert first is not None
        await pilot.press("3", "enter")  # digits score the criterion; Enter saves
        await pilot.press("n")  # the next unscored criterion
        second = tree.criterion
        assert second is not None and second.id != first.id
        await pilot.press("2", ".", "5", "enter")
        await pilot.press("e")
        await until_screen(pilot, "EvidenceDialog")
        await type_text(pilot, "宪法")
        await pilot.press("right")  # accepts the completion: 宪法日.jpg
        await pilot.press("enter")
        await type_text(pilot, "现场照片")
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        await pilot.press("ctrl+q")

    assert app.return_code in (0, None)
    with Workspace.open(workspace) as ws:  # the lock was released on quit
        (inspection_id,) = ws.inspection_ids()
        inspection = ws.inspection(inspection_id)
        (site,) = inspection.sites()
        assert inspection.record(site.site_id, first.id).points == 3.0
        record = inspection.record(site.site_id, second.id)
        assert record.points == 2.5
        assert [(e.name, e.caption) for e in record.evidence] == [("宪法日.jpg", "现场照片")]
        assert record.updated_by == "测试员"

    again = app_on(workspace)
    async with again.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")  # one inspection: opened directly
        table = again.screen.query_one("#sites")
        await wait_for(pilot, lambda: table.row_count == 1)  # type: ignore[attr-defined]
        assert str(table.get_row_at(0)[0]) == "马涧镇"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        tree = again.screen.query_one(CriterionTree)
        assert tree.records[first.id].points == 3.0
        assert tree.records[second.id].evidence[0].caption == "现场照片"
        await pilot.press("ctrl+q")


async def test_methods_notes_deductions_and_count(demo: Path) -> None:
    app = app_on(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("ctrl+end", "enter")  # the last site: nothing scored yet
        await until_screen(pilot, "ScoringScreen")
        screen = app.screen
        site = screen.site  # type: ignore[attr-defined]
        tree = screen.query_one(CriterionTree)
        # a grassroots unit: on the department table, whose first criterion is 5.1
        assert tree.criterion is not None and tree.criterion.id == "5.1"
        screen.query_one("#deductions Checkbox").focus()
        await pilot.press("space")  # tick the first deduction: scored by deductions
        screen.query_one("#methods Checkbox").focus()
        await pilot.press("space")
        screen.query_one("#notes").focus()
        await type_text(pilot, "台账齐全")
        await pilot.press("escape")  # leaving the field saves what was typed
        inspection = app.session.inspection  # type: ignore[union-attr]
        record = inspection.record(site.site_id, "5.1")
        assert record.deductions == (0,) and record.scored
        assert record.methods == (Method.REPORT,)
        assert record.notes == "台账齐全"
        counted = next(c for c in inspection.checklist.criteria_for(site.kind)
                       if c.target is not None)
        tree.select_criterion(counted.id)
        await wait_for(pilot, lambda: bool(screen.query("#count")))
        screen.query_one("#count").focus()
        await type_text(pilot, str(counted.target.min - 1))  # type: ignore[union-attr]
        await pilot.press("enter")
        assert inspection.record(site.site_id, counted.id).count == counted.target.min - 1  # type: ignore[union-attr]
        assert "未达标" in str(screen.query_one("#target-status").render())
        assert screen_name(pilot) == "ScoringScreen"
