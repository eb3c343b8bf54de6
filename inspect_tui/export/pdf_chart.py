"""A drawn chart (reportlab graphics, vector) of one site's section scores.

One horizontal bar per section: the grey bar is the section's maximum, the coloured bar its
score, coloured by the grade band the percentage would fall in.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from inspect_tui.core.report import SectionScore
from inspect_tui.export import palette
from inspect_tui.export.pdf_parts import fit
from inspect_tui.export.view import clean, num

BAR = 11.0
GAP = 7.0
FONT_SIZE = 8.0
TRACK = colors.HexColor(palette.TRACK)
INK = colors.HexColor(palette.INK)


def section_chart(sections: Sequence[SectionScore], font: str, width: float) -> Drawing:
    label_w = width * 0.42
    value_w = 48.0
    track_w = width - label_w - value_w
    top = len(sections) * (BAR + GAP) + 14
    drawing = Drawing(width, top + 4)
    drawing.initialFontName = font  # else the renderer starts with a non-embedded Helvetica
    for tick in (0.0, 0.6, 0.8, 0.9, 1.0):
        x = label_w + track_w * tick
        drawing.add(Line(x, 10, x, top - 4, strokeColor=colors.HexColor("#c5cad3"),
                         strokeWidth=0.4, strokeDashArray=(2, 2)))
        drawing.add(String(x, 1, f"{tick:.0%}", fontName=font, fontSize=6.5,
                           fillColor=colors.grey, textAnchor="middle"))
    for i, s in enumerate(sections):
        y = top - (i + 1) * (BAR + GAP)
        fraction = s.score / s.max if s.max else 0.0
        label = fit(clean(f"{s.section_id} {s.title}"), font, FONT_SIZE, label_w - 6)
        drawing.add(String(0, y + 2.5, label, fontName=font, fontSize=FONT_SIZE, fillColor=INK))
        drawing.add(Rect(label_w, y, track_w, BAR, fillColor=TRACK, strokeColor=None))
        if s.scored:
            fill = colors.HexColor(palette.bar_hex(fraction))
            drawing.add(Rect(label_w, y, track_w * fraction, BAR, fillColor=fill,
                             strokeColor=None))
        drawing.add(String(width, y + 2.5, f"{num(s.score)} / {num(s.max)}", fontName=font,
                           fontSize=FONT_SIZE, fillColor=INK, textAnchor="end"))
    return drawing
