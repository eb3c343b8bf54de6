"""RecordRow draws a scored record exactly as the one-row Table it replaces: same heights, same
pages pixel for pixel, same text (one-line and wrapping details, with and without a QR code,
across page breaks)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from inspect_tui.export import pdf
from inspect_tui.export.pdf_parts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    PAD,
    WIDTH,
    QrFlowable,
    Styles,
    labelled,
    qr_side,
)
from inspect_tui.export.pdf_record import RecordRow
from inspect_tui.export.qr_images import qr_codes
from inspect_tui.export.report_fonts import report_fonts
from tests.export.conftest import needs_font
from tests.export.pdf_render import render

LONG = "活动台账缺少现场照片和签到表，规范活动台账，做到方案、记录、照片齐全。" * 6


def _records(make: type[Flowable] | object) -> list[Flowable]:
    st = Styles(*report_fonts())
    codes = qr_codes([f"IT1-RECORD-{n:03d}-" + "X" * (20 + 9 * n) for n in range(8)])
    qr_width = max(qr_side(c) for c in codes)
    width = WIDTH - qr_width
    out = []
    for n, code in enumerate(codes * 3):
        details = [labelled("", f"{n}. 评分项：宣传教育活动开展情况", st.record, width - 2 * PAD),
                   labelled("得分", f"{n % 5}.5 / 5", st.cell, width - 2 * PAD),
                   labelled("问题", LONG[:8 + 17 * (n % 6)], st.alert, width - 2 * PAD)]
        qr = None if n % 7 == 3 else QrFlowable(code, stacked=True)
        out.append(make(details, qr, width, qr_width))  # type: ignore[operator]
    return out


def _render(flowables: list[Flowable], folder: Path, name: str) -> tuple[list[bytes], str]:
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4)
    frame = Frame(LEFT, BOTTOM, WIDTH, HEIGHT, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)  # the report's
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.build(flowables)
    return render(out.getvalue(), folder, name, dpi=72)


@needs_font
def test_record_row_is_the_table_it_replaces(tmp_path: Path) -> None:
    rows, tables = _records(RecordRow), _records(pdf._record_table)
    assert [r.wrap(WIDTH, 700)[1] for r in rows] == [t.wrap(WIDTH, 700)[1] for t in tables]
    assert len({r.height for r in rows}) > 3  # heights from the text and from the code
    row_pages, row_text = _render(rows, tmp_path, "rows")
    table_pages, table_text = _render(tables, tmp_path, "tables")
    assert len(row_pages) == len(table_pages) > 2
    assert row_pages == table_pages
    assert row_text == table_text and "评分项" in row_text
