"""The scoring screen under the 考核细则 rules: a department sees only its table, records
不适用 with a reason, is told why points were lost, and writes the reason a typed score needs;
repeats set elsewhere survive ticking another rule."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from inspect_tui.store.workspace import Workspace
from inspect_tui.tui.widgets.criterion_tree import CriterionTree
from tests.test_scoring_rules import V2
from tests.tui.helpers import app_on, type_text, until_screen, wait_for


def workspace(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "ws"
    with Workspace.open(root, author="准备人") as ws:
        insp = ws.create_inspection(V2.encode(), "rules.toml", title="规则测试")
        site = insp.add_site("市公安局", "部门", "")
        insp.set_fields(site.site_id, "1.3", deductions=[0, 0, 0])  # 3 times, set by the CLI
    return root, site.site_id



async def test_department_table_na_reason_and_repeats(tmp_path: Path) -> None:
    root, site_id = workspace(tmp_path)
    app = app_on(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        tree = app.screen.query_one(CriterionTree)
        assert [c.id for c in tree.criteria] == ["1.1", "1.2", "1.3", "1.4", "3.1"]
        assert tree.criterion is not None and tree.criterion.id == "1.1"
        assert " 0/3 " in str(tree._section_nodes["3"].label)  # the 加分 section: what it adds
        assert " 3.1/50.5 " in str(tree._section_nodes["1"].label)  # the department table

        # 1.2 does not apply here: `u`, a reason, Enter.
        await pilot.press("j", "u")
        assert app.focused is app.screen.query_one("#na", Input)
        await type_text(pilot, "本年度无此职责")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session is not None and app.session.record(
            site_id, "1.2").na == "本年度无此职责")
        assert "不适用" in str(app.screen.query_one("#effective", Label).render())

        # 1.3: three repeats from the CLI; ticking rule 2 keeps them.
        await pilot.press("j")
        await wait_for(pilot, lambda: tree.criterion is not None and tree.criterion.id == "1.3")
        times = app.screen.query_one(".rule-times", Input)
        assert times.value == "3"
        # rule 2's tick box: the one shown (every row holds the parts of each kind of row)
        next(box for box in app.screen.query("#deductions Checkbox") if box.display).value = True
        await wait_for(pilot, lambda: app.session is not None and list(app.session.record(
            site_id, "1.3").deductions) == [0, 0, 0, 1])
        why = str(app.screen.query_one("#why", Label).render())
        assert "缺少一次学法记录 × 3" in why and "未建立学法制度" in why

        # 1.4: a typed score below the maximum asks for its reason until one is written.
        await pilot.press("j", "3", "0", "enter")
        await wait_for(pilot, lambda: app.session is not None and app.session.record(
            site_id, "1.4").points == 30)
        assert "须写扣分理由" in str(app.screen.query_one("#why", Label).render())
        assert app.session is not None
        assert app.session.inspection.result(site_id).unexplained == ("1.4",)
        app.screen.set_focus(app.screen.query_one("#reason", Input))
        await type_text(pilot, "制度不全")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session is not None and app.session.record(
            site_id, "1.4").reason == "制度不全")
        assert app.session.inspection.result(site_id).unexplained == ()


async def test_summary_explains_the_total(tmp_path: Path) -> None:
    root, site_id = workspace(tmp_path)
    with Workspace.open(root) as ws:
        insp = ws.inspection(ws.inspection_ids()[0])
        insp.set_fields(site_id, "1.2", na="本年度无此职责")
    app = app_on(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await until_screen(pilot, "OverviewScreen")
        await pilot.press("enter")
        await until_screen(pilot, "ScoringScreen")
        await pilot.press("v")
        await until_screen(pilot, "SummaryScreen")
        text = str(app.screen.query_one("#breakdown").render())
        assert "《规则样例表》（部门，4 项）" in text
        assert "基础分 3.1 / 47" in text  # only 1.3 scored: 4 − 0.9
        assert "不适用 [1.2] 联席会议：本年度无此职责" in text
        assert "缺少一次学法记录 × 3" in text


def test_score_sort_ranks_like_tables_together() -> None:
    from inspect_tui.core.records import Site
    from inspect_tui.core.scoring import SiteResult
    from inspect_tui.tui.site_rows import Column, SiteRow, arrange

    def row(name: str, table: tuple[str, ...], total: float) -> SiteRow:
        return SiteRow(Site(name, name, "", ""), SiteResult(total, 100, 1, 1, (), None),
                       table)

    street, dept = ("1.1", "2.1"), ("1.1",)
    rows = [row("甲街道", street, 70), row("公安局", dept, 95), row("乙街道", street, 90),
            row("司法局", dept, 60)]
    ranked = [r.site.name for r in arrange(rows, "", Column.SCORE, True, [])]
    assert ranked in (["乙街道", "甲街道", "公安局", "司法局"],
                      ["公安局", "司法局", "乙街道", "甲街道"])
