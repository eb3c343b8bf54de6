"""Building blocks of report.pdf: page geometry, colours, styles, one-line text, tables."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from inspect_tui.export.fonts import FONT_NAME
from inspect_tui.export.view import clean

QR_SIZE = 2.4 * cm  # printed size of a record QR (>= 2 cm: phones read it from A4)
COVER_QR = 4.2 * cm
MARGIN = 1.7 * cm
WIDTH = A4[0] - 2 * MARGIN
DETAILS = WIDTH - QR_SIZE - 0.6 * cm  # the record column, beside its QR code
PAD = 6  # reportlab's default cell padding (points)
ACCENT = colors.HexColor("#1d3f72")
RULE = colors.HexColor("#c5cad3")
SHADE = colors.HexColor("#eef2f8")
ALERT = colors.HexColor("#b71c1c")
MUTED_HEX = "#6b7280"
MUTED = colors.HexColor(MUTED_HEX)


class Styles:
    def __init__(self, font: str = FONT_NAME) -> None:
        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.4,
                                  wordWrap="CJK", **kw)

        self.font = font
        self.title = style("title", 20, textColor=ACCENT, spaceAfter=4)
        self.subtitle = style("subtitle", 11, textColor=colors.grey, spaceAfter=12)
        self.h1 = style("h1", 16, textColor=ACCENT, spaceAfter=2)
        self.h2 = style("h2", 11.5, textColor=ACCENT, spaceBefore=10, spaceAfter=4)
        self.body = style("body", 9)
        self.advice = style("advice", 8.5, textColor=MUTED, leftIndent=12, spaceAfter=3)
        self.small = style("small", 7.5, textColor=MUTED)
        self.cell = style("cell", 8.5)
        self.alert = style("alert", 8.5, textColor=ALERT)
        self.label = style("label", 8.5, textColor=colors.grey)
        self.kpi = style("kpi", 13, textColor=ACCENT)
        self.mono = style("mono", 7)
        self.record = style("record", 10, textColor=ACCENT)
        self.caption = style("caption", 6.5, alignment=1)
        self.warn = style("warn", 9, textColor=ALERT)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """`text` printed literally: reportlab's markup escaped, control characters removed."""
    return Paragraph(escape(clean(text)), style)


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut to `width` with an ellipsis (for a line that cannot wrap): the longest
    prefix that fits, found by halving, so a 10,000-character title costs 14 measurements."""
    if stringWidth(text, font, size) <= width:
        return text
    short, long = 0, len(text)  # text[:short] + "…" fits; text[:long] + "…" does not
    while long - short > 1:
        middle = (short + long) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            short = middle
        else:
            long = middle
    return text[:short] + "…"


class OneLine(Flowable):
    """One line of text in one or more colours: the cheap case of a Paragraph.

    Most record lines fit on one line; laying them out as CJK paragraphs (which measure every
    character, twice) took most of the PDF's time. Text stays real, extractable text.
    """

    def __init__(self, runs: Sequence[tuple[str, Any]], style: ParagraphStyle) -> None:
        super().__init__()
        self.runs, self.style = runs, style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Kept on the flowable too: a table splitting a record inside its row measures each
        # flowable by its `height` (0 until set), and would let a long paragraph below run
        # one line further down the page for every OneLine above it.
        self.width, self.height = available_width, self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas, x = self.canv, 0.0
        font, size = self.style.fontName, self.style.fontSize
        canvas.setFont(font, size)
        for text, colour in self.runs:
            canvas.setFillColor(colour)
            canvas.drawString(x, self.style.leading - size * 1.05, text)
            x += stringWidth(text, font, size)


def labelled(label: str, text: str, style: ParagraphStyle, width: float) -> Flowable:
    """`label：text` (label in grey, if any): OneLine when it fits on a line, else a Paragraph."""
    head, text = f"{clean(label)}：" if label else "", clean(text)
    if stringWidth(head + text, style.fontName, style.fontSize) <= width:
        return OneLine([(head, MUTED), (text, style.textColor)], style)
    markup = f'<font color="{MUTED_HEX}">{escape(head)}</font>' if head else ""
    return Paragraph(markup + escape(text), style)


def grid(data: list[list[Any]], widths: Sequence[float], *commands: tuple[Any, ...],
         repeat: int = 0) -> Table:
    """A Table in our font: reportlab sets every cell's font, Helvetica unless told, and a
    non-embedded Helvetica would be the one font of the PDF not carried inside it."""
    style = [("FONT", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             *commands]
    return Table(data, colWidths=list(widths), repeatRows=repeat, style=TableStyle(style))


def table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
          style: ParagraphStyle) -> Table:
    """A ruled table with a shaded header row that repeats on every page."""
    data = [[para(h, style) for h in header]] + [[para(v, style) for v in row] for row in rows]
    return grid(data, widths, ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), repeat=1)


def kpi_strip(figures: Sequence[tuple[str, str]], st: Styles) -> Table:
    """Key figures side by side: a small grey label above a large value; each column as wide
    as its value needs (a grade with a veto note is long), the rest shared out."""
    needed = [max(stringWidth(clean(value), st.kpi.fontName, st.kpi.fontSize) + 2 * PAD, 50.0)
              for _, value in figures]
    spare = max(WIDTH - sum(needed), 0) / len(figures)
    widths = [w + spare for w in needed]
    if sum(needed) > WIDTH:  # too many or too long: every column narrower, the long ones wrap
        widths = [w * WIDTH / sum(needed) for w in needed]
    return grid([[para(label, st.small) for label, _ in figures],
                 [para(value, st.kpi) for _, value in figures]], widths,
                ("BACKGROUND", (0, 0), (-1, -1), SHADE), ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6))


def qr_image(png: bytes, size: float) -> Image:
    return Image(io.BytesIO(png), width=size, height=size)
