"""Real-looking tables → checklists that the real loader accepts, with an honest report."""

from __future__ import annotations

from pathlib import Path

from inspect_tui.core.checklist import Method, Shortfall
from inspect_tui.xlsx.convert import import_file
from tests.checklist_table.tables import TOWNSHIP_MERGES, TOWNSHIP_ROWS, write_table


def test_township_table(tmp_path: Path) -> None:
    path = write_table(tmp_path / "街道考核表.xlsx",
                       {"考核表": (TOWNSHIP_ROWS, TOWNSHIP_MERGES)})
    imported = import_file(path, checklist_id="jiedao-2024")
    c = imported.checklist
    assert c.title == "XX街道普法依法治理工作考核评分表" and c.id == "jiedao-2024"
    assert [s.title for s in c.sections] == ["组织领导", "工作保障"]
    assert [cr.max for cr in c.criteria] == [3, 3, 2, 4, 4, 3] and c.total == 19
    first = c.criteria[0]
    assert first.deductions[0].zero and first.methods == (Method.RECORDS,)
    assert c.criteria[1].methods == (Method.REPORT, Method.RECORDS)
    news = c.criteria[3]
    assert news.target is not None and news.target.min == 12
    assert news.deductions[0].shortfall is Shortfall.EACH and news.deductions[0].cap == 2
    # Each criterion cites its own row of the file and sheet.
    assert [cr.source for cr in c.criteria] == [f"001 第{r}行" for r in (3, 4, 5, 7, 8, 9)]
    assert c.sources[0].file == "街道考核表.xlsx" and "考核表" in c.sources[0].title
    report = [str(n) for n in imported.notes]
    # 组织领导 says 9 but its items add to 8 (rows 3–5); 合计 says 21, the items 19; the
    # example sentence of row 9 stays as guidance. Reported, never fixed.
    assert any("组织领导" in n and "注明 9 分" in n and "合计 8 分" in n and "3–5" in n
               for n in report)
    assert any("合计" in n and "21" in n and "19" in n for n in report)
    assert any("第 9 行 D 列" in n and "例：某街道建成宪法公园" in n for n in report)
    assert "例：某街道建成宪法公园" in c.criteria[5].guide


def test_synonyms_section_rows_and_no_merges(tmp_path: Path) -> None:
    """考评项目 | 评分项 | 标准分 | 扣分项 | 自评分 | 考评分, sections as rows of their own."""
    rows = [
        ["某区司法局2024年度普法责任制考评表"], [],
        ["序号", "评分项", "标准分", "扣分项", "自评分", "考评分"],
        ["一、普法责任清单（共5分）"],
        [1, "制定普法责任清单并向社会公开", 5, "未制定普法责任清单的，一票否决", None, None],
        ["二、以案释法（5分）"],
        [2, "建立以案释法制度", 2.5, "未建立的扣2.5分", None, None],
        [3, "典型案例：每半年报送1篇以上", 2.5, "每少报送1篇扣1分", None, None],
    ]
    path = write_table(tmp_path / "sfj.xlsx", {"Sheet1": (rows, [(4, 1, 4, 6), (6, 1, 6, 6)])})
    imported = import_file(path)
    c = imported.checklist
    assert c.id == "sfj" and [s.title for s in c.sections] == ["普法责任清单", "以案释法"]
    assert c.criteria[0].can_veto and not c.criteria[0].na_allowed
    assert c.criteria[2].deductions[0].per == "篇"
    assert imported.notes == []


def test_one_sheet_per_unit_type(tmp_path: Path) -> None:
    township = [["乡镇街道考核表"], ["考核项目", "考核内容", "分值", "评分标准"],
                ["组织领导（10分）", "领导小组", 10, "未建立的扣10分"]]
    department = [["部门考核表"], ["考核项目", "考核内容", "分值", "评分标准"],
                  ["谁执法谁普法（6分）", "普法责任清单", 6, "未制定的不得分"],
                  ["以案释法（4分）", "以案释法", 4, "未开展的扣4分"]]
    path = write_table(tmp_path / "two.xlsx", {"乡镇街道": (township, []),
                                                "部门": (department, []), "Sheet3": ([], [])})
    c = import_file(path, checklist_id="two").checklist
    assert c.site_kinds == ("乡镇街道", "部门")
    assert [cr.applies_to for cr in c.criteria] == [("乡镇街道",), ("部门",), ("部门",)]
    assert [s.id for s in c.sections] == ["1", "2", "3"]
    assert [cr.source for cr in c.criteria] == ["001 第3行", "002 第3行", "002 第4行"]
    assert c.total == 20  # each site is scored on its own table and converted (折算)


def test_kinds_given_per_sheet(tmp_path: Path) -> None:
    rows = [["考核内容", "分值", "评分标准"], ["领导小组", 5, "未建立的扣5分"]]
    path = write_table(tmp_path / "ab.xlsx", {"表一": (rows, []), "表二": (rows, [])})
    c = import_file(path, kinds=["部门", "基层单位"], checklist_id="ab").checklist
    assert c.site_kinds == ("部门", "基层单位")
    one = import_file(path, sheets=["表二"], checklist_id="ab").checklist
    assert len(one.criteria) == 1 and one.site_kinds == ()


def test_template_imports_cleanly(tmp_path: Path) -> None:
    from inspect_tui.xlsx.template import example_checklist
    from inspect_tui.xlsx.write import save, workbook

    path = tmp_path / "template.xlsx"
    save(workbook(example_checklist()), path, force=False)
    imported = import_file(path, checklist_id="template")
    assert imported.notes == [] and len(imported.checklist.criteria) == 2
    assert imported.checklist.criteria[1].target is not None
