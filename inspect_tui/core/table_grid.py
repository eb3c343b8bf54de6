"""A sheet of an office's table as plain data, and where its header row and columns are.

The xlsx reader turns a workbook into `Grid`s (cell values and merged ranges); everything that
understands the table works on those, so it is tested without files. Rows and columns count
from 1, as Excel and WPS show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from inspect_tui.core.errors import InspectError
from inspect_tui.core.i18n import t

CellValue = str | int | float | bool | None
Merged = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col

# Column roles and the header names offices use for them (compared without spaces/brackets).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "项目编号"),
    "section": ("考核项目", "考评项目", "项目", "考核类别", "类别", "一级指标", "考核指标"),
    "content": ("考核内容", "评分项", "内容", "考评内容", "考核要点", "二级指标", "工作任务",
                "考核要求", "评分项目"),
    "points": ("分值", "标准分", "标准分值", "分数", "满分", "权重分"),
    "standard": ("评分标准", "扣分项", "考核标准", "评分细则", "扣分标准", "考评标准",
                 "评分办法", "计分办法", "扣分细则"),
    "method": ("考核方式", "考核方法", "考评方式", "考核办法", "检查方式", "考评方法"),
    "kinds": ("适用对象", "适用单位", "适用范围"),
    "self": ("自评得分", "自评分", "自评"),
    "score": ("考核得分", "考评分", "考评得分", "得分", "实得分", "考核评分"),
    "note": ("备注", "说明"),
}
_ROLE_OF = {name: role for role, names in SYNONYMS.items() for name in names}
HEADER_SCAN_ROWS = 20


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Grid:
    """One sheet: its rows of values (row 1 first) and merged ranges."""

    sheet: str
    rows: tuple[tuple[CellValue, ...], ...]
    merged: tuple[Merged, ...] = ()

    def filled(self) -> list[list[str]]:
        """Cell texts with each merged range's value copied into all its cells."""
        width = max((len(r) for r in self.rows), default=0)
        out = [[text(v) for v in row] + [""] * (width - len(row)) for row in self.rows]
        for r1, c1, r2, c2 in self.merged:
            if r1 > len(out) or c1 > width:
                continue
            value = out[r1 - 1][c1 - 1]
            for r in range(r1, min(r2, len(out)) + 1):
                for c in range(c1, min(c2, width) + 1):
                    out[r - 1][c - 1] = value
        return out


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def header_name(cell: str) -> str:
    """A header cell as compared with the synonyms: no spaces, no "（分）"-style brackets."""
    cell = re.sub(r"\s+", "", cell)
    return re.sub(r"[（(][^）)]*[）)]", "", cell)


@dataclass(frozen=True)
class Header:
    row: int
    columns: dict[str, int]  # role -> column (1-based)


def find_header(rows: list[list[str]]) -> Header | None:
    """The first row naming a content and a 分值 column (each role's first column wins)."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row, 1):
            role = _ROLE_OF.get(header_name(cell))
            if role is not None and role not in columns:
                columns[role] = col
        if "points" in columns and ("content" in columns or "section" in columns):
            if "content" not in columns:  # 项目 | 分值 | 评分标准: the 项目 is the item
                columns["content"] = columns.pop("section")
            return Header(index + 1, columns)
    return None


class TableError(InspectError):
    """A table that cannot become a checklist: names file, sheet, row and column."""

    def __init__(self, file: str, sheet: str, row: int, col: int, problem: str) -> None:
        self.file, self.sheet, self.row, self.col, self.problem = file, sheet, row, col, problem
        where = t("ctable.where", sheet=sheet, row=row, col=column_letter(col)) if row else \
            t("ctable.where_sheet", sheet=sheet)
        super().__init__("ctable.error", file=file, where=where, problem=problem)


@dataclass(frozen=True)
class Note:
    """One line of the import report."""

    sheet: str
    row: int
    col: int
    message: str

    def __str__(self) -> str:
        where = (t("ctable.where", sheet=self.sheet, row=self.row, col=column_letter(self.col))
                 if self.col else t("ctable.where_row", sheet=self.sheet, row=self.row))
        return f"{where}：{self.message}"


def report_lines(notes: list[Note]) -> list[str]:
    """The import report as the CLI prints it and the TUI shows it."""
    if not notes:
        return [t("ctable.report_clean")]
    return [t("ctable.report_head", count=len(notes))] + [f"  - {n}" for n in notes]
