"""A checklist laid out as the office's 考核评分表: the cells the xlsx writer fills.

Title row, the 适用对象 line when the checklist names its site kinds, header row, one row per
criterion with its section's 考核项目 cell merged down over it ("工作保障（28分）"), a 合计 row
and the 等次 line: exactly what `table_checklist` reads back, so import(export(x)) is x.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_tui.core.checklist import Checklist, Criterion
from inspect_tui.core.table_grid import CellValue, Merged
from inspect_tui.core.table_rules import render_rules

BASE_HEADER = ("序号", "考核项目", "考核内容", "分值", "评分标准", "考核方式")
KINDS_HEADER = "适用对象"
SCORE_HEADER = ("自评得分", "考核得分", "备注")
# Column widths in characters, by header name (the writer applies them).
WIDTHS = {"序号": 6, "考核项目": 16, "考核内容": 40, "分值": 6, "评分标准": 52, "考核方式": 14,
          KINDS_HEADER: 12, "自评得分": 8, "考核得分": 8, "备注": 12}


@dataclass(frozen=True)
class TableLayout:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]  # data rows (after title and header)
    merged: tuple[Merged, ...]  # in sheet coordinates (title row 1, header row 2)
    section_cells: tuple[tuple[int, int], ...]  # (row, col) of 考核项目 cells
    footer_rows: tuple[int, ...]  # sheet rows of 合计 and 等次
    lead: tuple[str, ...] = ()  # lines between the title and the header (适用对象)

    @property
    def header_row(self) -> int:
        return 2 + len(self.lead)

    @property
    def width(self) -> int:
        return len(self.header)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _content(c: Criterion) -> str:
    return f"{c.title}\n{c.requirement}"


def layout(checklist: Checklist) -> TableLayout:
    has_kinds = any(c.applies_to for c in checklist.criteria)
    lead = (f"{KINDS_HEADER}：{'、'.join(checklist.site_kinds)}",) if checklist.site_kinds else ()
    header = BASE_HEADER + ((KINDS_HEADER,) if has_kinds else ()) + SCORE_HEADER
    rows: list[tuple[CellValue, ...]] = []
    merged: list[Merged] = [(1, 1, 1, len(header))]
    section_cells = []
    first_data = 3 + len(lead)
    merged += [(2 + i, 1, 2 + i, len(header)) for i in range(len(lead))]
    for section in checklist.sections:
        start = first_data + len(rows)
        only_bonus = all(c.bonus for c in section.criteria)
        name = section.title if only_bonus else f"{section.title}（{section.max:g}分）"
        for n, c in enumerate(section.criteria):
            row: list[CellValue] = [
                c.id, name if n == 0 else None, _content(c), _num(c.max),
                render_rules(c, checklist.bonus_cap), "、".join(m.value for m in c.methods)]
            if has_kinds:
                row.append("、".join(c.applies_to))
            rows.append((*row, None, None, None))
        end = first_data + len(rows) - 1
        section_cells.append((start, 2))
        if end > start:
            merged.append((start, 2, end, 2))
    total_row = first_data + len(rows)
    rows.append(("合计", None, None, _num(checklist.total)) + (None,) * (len(header) - 4))
    merged.append((total_row, 1, total_row, 3))
    grades = "；".join(f"{g.name}{g.min:g}–{g.max:g}分" for g in checklist.grades)
    rows.append((f"等次：{grades}",) + (None,) * (len(header) - 1))
    merged.append((total_row + 1, 1, total_row + 1, len(header)))
    return TableLayout(checklist.title, header, tuple(rows), tuple(merged),
                       tuple(section_cells), (total_row, total_row + 1), lead)
