"""import(export(x)) == x for every shipped checklist, through real .xlsx files and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.checklist_loader import load_checklist
from inspect_tui.core.table_rules import parse_rules, render_rules
from inspect_tui.paths import shipped_checklists
from tests.test_cli import cli

SHIPPED = shipped_checklists()


def scoring_data(c: Checklist) -> Any:
    """Everything that decides a score, a grade and what the inspector reads for it."""
    return (c.title, c.total, c.bonus_cap, c.site_kinds, c.grades, c.format, [
        (s.id, s.title, [(cr.id, cr.title, cr.requirement, cr.max, cr.methods, cr.deductions,
                          cr.target, cr.veto, cr.applies_to, cr.deduction_cap, cr.bonus,
                          cr.na_allowed) for cr in s.criteria])
        for s in c.sections])


def test_there_are_shipped_checklists() -> None:
    assert len(SHIPPED) >= 4


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_rule_reads_back(path: Path) -> None:
    c = load_checklist(path)
    for cr in c.criteria:
        rules = parse_rules(render_rules(cr, c.bonus_cap), cr.max)
        assert (rules.deductions, rules.target, rules.leftover) == (cr.deductions, cr.target, ())


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_export_then_import_is_the_same_checklist(path: Path, tmp_path: Path) -> None:
    original = load_checklist(path)
    table, out = tmp_path / f"{original.id}.xlsx", tmp_path / "back.toml"
    r = cli("checklist", "export", original.id, "--xlsx", str(table))
    assert r.returncode == 0, r.stderr
    r = cli("checklist", "import", str(table), "--id", original.id, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "全部识别" in r.stdout
    assert cli("checklist", "validate", str(out)).returncode == 0
    back = load_checklist(out)
    assert scoring_data(back) == scoring_data(original)
    # The table is the layout offices print: title, merged 考核项目 cells, print set-up.
    ws = openpyxl.load_workbook(table).active
    header_row = 3 if original.site_kinds else 2
    assert ws.cell(1, 1).value == original.title
    assert [ws.cell(header_row, i).value for i in range(1, 6)] == [
        "序号", "考核项目", "考核内容", "分值", "评分标准"]
    assert any(m.min_col == 2 and m.max_row > m.min_row for m in ws.merged_cells.ranges)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == f"${header_row}:${header_row}"  # on every printed page
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.cell(header_row + 1, 5).alignment.wrap_text
