"""OneLine writes its operators itself: exactly those reportlab's text object writes (colour,
subset font, text per run, the heading font for characters the body font lacks), a line seen
before in the document reused."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from inspect_tui.export.pdf_parts import MUTED, OneLine, Styles
from inspect_tui.export.report_fonts import report_fonts
from tests.export.conftest import needs_font

RUNS = [("扣分：", MUTED), ("−1.2（活动台账缺少照片）", colors.black), ("", MUTED),
        ("ABC xyz (1) \\ 100%", colors.HexColor("#b71c1c"))]


def _operators(draw_by_text_object: bool) -> list[str]:
    canvas = Canvas(io.BytesIO())
    st = Styles(*report_fonts())
    for style in (st.cell, st.record, st.alert, st.cell):  # the last: written once, reused
        line = OneLine(RUNS, style)
        line.wrap(400, 100)
        line.canv = canvas
        if draw_by_text_object:
            line._draw_by_text_object()
        else:
            line.draw()
    return list(canvas._code)


@needs_font
def test_one_line_operators_are_reportlabs() -> None:
    ours, theirs = _operators(False), _operators(True)
    assert ours == theirs
    assert len(ours) == 4 and ours[0] == ours[3] and all(" Tj" in op and " rg" in op for op in ours)


@needs_font
def test_a_cmyk_colour_goes_through_reportlab() -> None:
    canvas = Canvas(io.BytesIO())
    line = OneLine([("页", colors.CMYKColor(0, 1, 1, 0))], Styles(*report_fonts()).cell)
    line.wrap(400, 100)
    line.canv = canvas
    line.draw()
    assert " k " in canvas._code[-1]  # reportlab's CMYK fill operator


@needs_font
def test_draw_on_writes_what_draw_on_through_reportlab_writes() -> None:
    st = Styles(*report_fonts())
    ours, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for n, style in enumerate((st.cell, st.alert)):
        OneLine(RUNS, style).draw_on(ours, 6, 100.25 - 13 * n)
        line = OneLine(RUNS, style)
        line.wrap(400, 100)
        line.drawOn(theirs, 6, 100.25 - 13 * n)
    assert ours._code == theirs._code and ours._code[0] == "q"
