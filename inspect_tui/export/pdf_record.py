"""One scored record of report.pdf: its lines at the left, its QR code at the right, a rule under
the lines — placed exactly where a one-row reportlab Table with pdf_parts.grid's style puts
them (cell paddings 6/6/3/3 around the lines, none around the code, contents at the top, the
rule 0.4 pt with round caps), without a Table's cost per record.

A Table per record was most of the PDF's layout time (style commands parsed, cell geometry
measured twice, a graphics state per cell); 960 records cost about 0.5 s more that way. A
record taller than a page still goes through the Table, which can split inside its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from inspect_tui.export.pdf_parts import PAD, RULE, OneLine

V_PAD = 3  # reportlab's default top and bottom cell padding
RULE_WIDTH = 0.4
EMPTY_CELL = 12  # an empty Table cell's height: its style's leading (1.2 × 10 pt)


class RecordRow(Flowable):
    hAlign = "CENTER"  # as a Table's

    def __init__(self, details: Sequence[Flowable], qr: Flowable | None, details_width: float,
                 qr_width: float) -> None:
        super().__init__()
        self.details, self.qr = list(details), qr
        self.details_width, self.width = details_width, details_width + qr_width
        self._heights: list[float] = []

    def text_height(self) -> float:
        """The height of the lines with their padding (the QR code not looked at)."""
        canvas: Any = getattr(self, "canv", None)
        inner = self.details_width - 2 * PAD
        self._heights = [f.wrapOn(canvas, inner, 72000 - 2 * V_PAD)[1] for f in self.details]
        text = sum(self._heights) + sum(f.getSpaceBefore() + f.getSpaceAfter()
                                        for f in self.details)
        if self.details:  # as Table._listCellGeom: no space before the first, after the last
            text -= self.details[0].getSpaceBefore() + self.details[-1].getSpaceAfter()
        return text + 2 * V_PAD

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas: Any = getattr(self, "canv", None)
        side = self.qr.wrapOn(canvas, self.width - self.details_width, 72000)[1] if self.qr \
            else EMPTY_CELL
        self.height = max(self.text_height(), side)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - V_PAD
        if self.details:
            y += self.details[0].getSpaceBefore()
        for flowable, height in zip(self.details, self._heights, strict=True):
            y -= flowable.getSpaceBefore() + height
            if type(flowable) is OneLine:
                flowable.draw_on(canvas, PAD, y)
            else:
                flowable.drawOn(canvas, PAD, y)
            y -= flowable.getSpaceAfter()
        if self.qr:
            self.qr.drawOn(canvas, self.details_width, self.height - self.qr.height)
        canvas.saveState()
        canvas.setLineCap(1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(RULE_WIDTH)
        canvas.line(0, 0, self.details_width, 0)
        canvas.restoreState()
