"""Building blocks of report.pdf: page geometry, colours, styles, one-line text, tables, QR codes.

The page follows GB/T 9704-2012 (党政机关公文格式): A4 with margins of 37 mm (top), 35 mm
(bottom), 28 mm (left) and 26 mm (right), a 156 × 225 mm type area, black text set in a Song
face, headings in a Hei face, red only for the issuing body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from inspect_tui.export.fonts import FONT_NAME
from inspect_tui.export.pdf_glyphs import markup, segments
from inspect_tui.export.pdf_para import paragraph
from inspect_tui.export.qr_images import PDF_MODULE, QUIET, QrCode
from inspect_tui.export.view import clean

TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
MARGIN = LEFT  # the left margin (tests check nothing is printed outside the margins)
WIDTH = A4[0] - LEFT - RIGHT  # 156 mm
HEIGHT = A4[1] - TOP - BOTTOM  # 225 mm
# A record QR module is 2 pt (0.71 mm): a V8 code (a 190-character payload at level M) is
# 34.6 mm wide, 40 mm with its quiet zone. Its edges are put on whole points of the page, so
# a 72 dpi scan or render (1 pixel = 1 pt) gets two clean pixels per module, and 100 dpi gets
# 2.8: zbarimg then reads every code (see benchmarks/qr_decode_rates.py).
MODULE = float(PDF_MODULE)
PAD = 6  # reportlab's default cell padding (points)
ACCENT = colors.HexColor("#1a1a1a")  # headings: near-black, as a government document
RED = colors.HexColor("#c00000")  # the issuing body and its rule (版头)
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#f2f2f2")
ALERT = colors.HexColor("#b71c1c")
MUTED_HEX = "#555555"
MUTED = colors.HexColor(MUTED_HEX)


class Styles:
    """Body text in the Song face (`font`), headings in the Hei face (`head`)."""

    def __init__(self, font: str = FONT_NAME, head: str = FONT_NAME) -> None:
        def style(name: str, size: float, face: str = font, **kw: Any) -> ParagraphStyle:
            kw.setdefault("leading", size * 1.45)
            return ParagraphStyle(name, fontName=face, fontSize=size, wordWrap="CJK", **kw)

        self.font, self.head = font, head
        self.issuer = style("issuer", 26, head, textColor=RED, alignment=1, leading=34)
        self.doc_number = style("doc_number", 12, alignment=1, spaceBefore=6)
        self.title = style("title", 20, alignment=1, spaceBefore=14, spaceAfter=2, leading=28)
        self.subtitle = style("subtitle", 11, textColor=MUTED, alignment=1, spaceAfter=10)
        self.h1 = style("h1", 15, head, textColor=ACCENT, spaceAfter=2)
        self.h2 = style("h2", 11.5, head, textColor=ACCENT, spaceBefore=9, spaceAfter=4)
        self.text = style("text", 11, firstLineIndent=22, spaceAfter=3, leading=18)
        self.body = style("body", 9.5)
        self.advice = style("advice", 9, textColor=MUTED, leftIndent=12, spaceAfter=3)
        self.small = style("small", 8, textColor=MUTED)
        self.cell = style("cell", 9)
        self.alert = style("alert", 9, textColor=ALERT)
        self.label = style("label", 9, textColor=MUTED)
        self.kpi = style("kpi", 13, head, textColor=ACCENT)
        self.mono = style("mono", 7)
        self.record = style("record", 10, head, textColor=ACCENT)
        self.caption = style("caption", 7, alignment=1)
        self.warn = style("warn", 9.5, textColor=ALERT)
        self.sign = style("sign", 11, leading=26)
        self.issued = style("issued", 12, alignment=2, leading=20)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """`text` printed literally: reportlab's markup escaped, control characters removed."""
    return paragraph(markup(escape(clean(text)), style.fontName), style)


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

    def draw_on(self, canvas: Any, x: float, y: float) -> None:
        """drawOn's operators (save, move, draw, restore) without its state bookkeeping: the
        line changes no state of the canvas and asks nothing of it."""
        code = canvas._code
        code += ["q", f"{fp_str(1, 0, 0, 1, x, y)} cm"]
        self.canv = canvas
        self.draw()
        del self.canv
        code.append("Q")

    def draw(self) -> None:
        # One text object for the line, its operators written here: exactly those reportlab's
        # text object writes for beginText, setFillColor, setFont and textOut per run (fill
        # colour, subset font, text), without its per-call bookkeeping (a third of the PDF's
        # layout time went there). The subsets are still reportlab's (splitString).
        canvas = self.canv
        if any(type(colour) is not colors.Color for _, colour in self.runs):
            self._draw_by_text_object()  # CMYK, spot or named colours: reportlab's own way
            return
        size, font, leading = self.style.fontSize, self.style.fontName, self.style.leading
        # The same line (a criterion's title at every site, a label with its value) is
        # written once per document: a glyph keeps its subset code once it has one.
        known: dict[tuple[Any, ...], str] = canvas.__dict__.setdefault("_inspect_lines", {})
        key = (font, size, leading, *((text, colour.rgb()) for text, colour in self.runs))
        if (text := known.get(key)) is None:
            text = known[key] = self._operators(canvas, font, size, leading)
        canvas._code.append(text)

    def _operators(self, canvas: Any, font: str, size: float, leading: float) -> str:
        doc, escape = canvas._doc, canvas._escape
        tf = f" {fp_str(size)} Tf {fp_str(size * 1.2)} TL"  # setFont's default leading
        code = ["BT", f"1 0 0 1 {fp_str(0, leading - size * 1.05)} Tm"]
        for text, colour in self.runs:
            if not text:
                continue
            code.append(f"{fp_str((colour.red, colour.green, colour.blue))} rg")
            for piece, face in segments(text, font):
                ttf, current = getFont(face), -1
                for subset, chunk in ttf.splitString(piece, doc):
                    if subset != current:
                        code.append(ttf.getSubsetInternalName(subset, doc) + tf)
                        current = subset
                    code.append(f"({escape(chunk)}) Tj")
        code.append("ET")
        return " ".join(code)

    def _draw_by_text_object(self) -> None:
        font, size = self.style.fontName, self.style.fontSize
        line = self.canv.beginText(0, self.style.leading - size * 1.05)
        for text, colour in self.runs:
            if text:
                line.setFillColor(colour)
                for piece, face in segments(text, font):
                    line.setFont(face, size)
                    line.textOut(piece)
        self.canv.drawText(line)


def labelled(label: str, text: str, style: ParagraphStyle, width: float) -> Flowable:
    """`label：text` (label in grey, if any): OneLine when it fits on a line, else a Paragraph."""
    head, text = f"{clean(label)}：" if label else "", clean(text)
    if stringWidth(head + text, style.fontName, style.fontSize) <= width:
        return OneLine([(head, MUTED), (text, style.textColor)], style)
    prefix = f'<font color="{MUTED_HEX}">{escape(head)}</font>' if head else ""
    return Paragraph(markup(prefix + escape(text), style.fontName), style)


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


def qr_side(code: QrCode) -> float:
    """Printed width of a code with its quiet zone, in points."""
    return (code.modules + 2 * QUIET) * MODULE


class QrFlowable(Flowable):
    """A QR code drawn as vectors: its dark runs as rectangles of one filled path, module
    edges on whole points of the page (see MODULE). `stacked`: codes printed one above the
    other keep half the quiet zone above and below, so two of them are still a full quiet
    zone apart (the page margins are white)."""

    def __init__(self, code: QrCode, stacked: bool = False) -> None:
        super().__init__()
        self.code = code  # looked at first when laid out: pdf_worker streams codes in
        self.quiet_top = QUIET // 2 if stacked else QUIET

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = qr_side(self.code)
        self.height = (self.code.modules + 2 * self.quiet_top) * MODULE
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 0)
        page_height = canvas._pagesize[1]
        # pdftoppm and scanners count pixel rows from the top of the page.
        canvas.translate(round(x) - x, page_height - round(page_height - y) - y)
        # Written as operators: drawn through reportlab's path object, the ~620 rectangles
        # of a code cost 4 ms.
        path = self.code.stacked_pdf_path if self.quiet_top == QUIET // 2 \
            else self.code.pdf_path(self.quiet_top)
        canvas.addLiteral(f"q 0 g {path}f Q")
