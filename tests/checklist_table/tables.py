"""Tables as offices make them, built with openpyxl for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

Rows = Sequence[Sequence[Any]]
Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col


def write_table(path: Path, sheets: dict[str, tuple[Rows, Sequence[Merge]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    book.save(path)
    return path


# A 乡镇街道 table the way a 普法办 writes it: title row, header with 自评得分/考核得分/备注,
# 考核项目 merged down over its items with the section total in its name, full-width digits,
# "3分" suffixes, a blank spacer row and a 合计 row.
TOWNSHIP_HEADER = ("考核项目", "考核内容", "分值", "评分标准", "考核方式", "自评得分", "考核得分",
                   "备注")
TOWNSHIP_ROWS: list[list[Any]] = [
    ["XX街道普法依法治理工作考核评分表"],
    list(TOWNSHIP_HEADER),
    ["一、组织领导（9分）", "建立普法依法治理领导小组，明确分管领导", "3分",
     "未建立普法领导机构的不得分", "查阅资料", None, None, None],
    [None, "制定“八五”普法规划和年度计划", "３",
     "未制定规划的扣2分，未召开启动会议的扣2分", "听取汇报、查阅台账", None, None, None],
    [None, "落实普法责任制：履职报告、情况通报、工作考核", 2,
     "履职报告、情况通报、工作考核等制度每缺一项扣0.5分，累计不超过1.5分", "查阅台账", None,
     None, "含下属单位"],
    [None, None, None, None, None, None, None, None],
    ["二、工作保障(12分)", "普法信息报送", "4分",
     "全年不少于12篇，普法信息少报送一条扣0.25分，最多扣2分", "查阅台账", None, None, None],
    [None, "“公共法律服务日”", 4, "每月不少于3次，每少1次扣0.5分", "实地查看", None, None, None],
    [None, "法治文化阵地", 3, "阵地闲置的扣1分；例：某街道建成宪法公园", "实地检查", None, None,
     None],
    ["合计", None, 21, None, None, None, None, None],
]
TOWNSHIP_MERGES = [(1, 1, 1, 8), (3, 1, 5, 1), (7, 1, 9, 1)]
