"""A checklist → a printable 考核评分表 (.xlsx): title, header, merged 考核项目 cells, widths,
wrapped text, borders; printed A4 landscape, fitted to the page width, header on every page."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.table_export import WIDTHS, TableLayout, layout

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook  # type: ignore[import-untyped]

LINE_HEIGHT = 13.5  # points per line of 10-point text
FONT = "宋体"  # what offices' tables use; LibreOffice substitutes an installed Song face


def workbook(checklist: Checklist, sheet: str = "考核评分表") -> Workbook:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import (  # type: ignore[import-untyped]
        Alignment,
        Border,
        Font,
        PatternFill,
        Side,
    )

    table = layout(checklist)
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([table.title])
    for line in table.lead:
        ws.append([line])
    ws.append(list(table.header))
    for row in table.rows:
        ws.append(list(row))
    for r1, c1, r2, c2 in table.merged:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 30
    head = table.header_row
    last = head + len(table.rows)
    narrow = {i + 1 for i, h in enumerate(table.header) if WIDTHS.get(h, 10) <= 8}
    for row in ws.iter_rows(min_row=head, max_row=last, max_col=table.width):
        for cell in row:
            cell.border = border
            cell.font = Font(name=FONT, size=10, bold=cell.row == head)
            cell.alignment = centre if cell.row == head or cell.column in narrow else wrap
    for col in range(1, table.width + 1):
        ws.cell(head, col).fill = PatternFill("solid", fgColor="DDDDDD")
    for r in range(2, head):
        ws.cell(r, 1).font = Font(name=FONT, size=11)
    for r, c in table.section_cells:
        ws.cell(r, c).alignment = centre
    _widths(ws, table)
    _heights(ws, table)
    _print_setup(ws, table)
    return book


def _widths(ws: Any, table: TableLayout) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    for i, name in enumerate(table.header, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(name, 10)


def _lines(value: object, width: float) -> int:
    """Lines a wrapped cell takes: CJK characters are about two units of column width."""
    if value is None:
        return 1
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(sum(1.9 if ord(ch) > 0x2E80 else 1.0 for ch in part) / usable))
               for part in str(value).split("\n"))


def _heights(ws: Any, table: TableLayout) -> None:
    """Row heights for the wrapped text: neither Excel nor LibreOffice sizes them on opening."""
    widths = [WIDTHS.get(h, 10) for h in table.header]
    merged_cells = set(table.section_cells)
    for offset, row in enumerate(table.rows):
        r = table.header_row + 1 + offset
        lines = max(_lines(v, w) for c, (v, w) in enumerate(zip(row, widths, strict=False), 1)
                    if (r, c) not in merged_cells and r not in table.footer_rows)  \
            if r not in table.footer_rows else 1
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 4


def _print_setup(ws: Any, table: TableLayout) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    head = table.header_row
    ws.print_title_rows = f"{head}:{head}"  # on every page
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.freeze_panes = f"A{head + 1}"


def save(book: Workbook, path: Path, *, force: bool) -> None:
    """Write through a temporary file: a failure leaves nothing half-written, and an existing
    file is replaced only with `force` (FileExistsError otherwise)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent or ".")
    os.close(fd)
    try:
        book.save(tmp)
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the file exists: never overwritten by accident
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
