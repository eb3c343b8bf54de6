"""Render a core.documents Document as PDF (reportlab) with the geometry of the .docx.

reportlab embeds only TrueType outlines, so the faces offices use are replaced by the closest
free TrueType fonts from Debian: AR PL UMing (a 宋/明 face) for the body, AR PL UKai for 楷体
headings, WenQuanYi Micro Hei for the title, 黑体 headings and the 发文机关标志. A face that is
missing falls back to the font the report uses (export/fonts.py: at worst the subset shipped with
the app), and `notes` says so, for the command to print.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import TopPadder

from inspect_tui.core.documents import model as m
from inspect_tui.core.i18n import t
from inspect_tui.export import gov_layout as g
from inspect_tui.export.fonts import register_cjk_font

ARPHIC = Path("/usr/share/fonts/truetype/arphic")
# role: (registered name, file, subfont index, what it stands in for)
FACES = {
    "song": ("GovSong", ARPHIC / "uming.ttc", 0, g.FONT_BODY),
    "kai": ("GovKai", ARPHIC / "ukai.ttc", 0, g.FONT_KAI),
    "hei": ("GovHei", Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, g.FONT_HEI),
}
ALIGN = {m.Align.JUSTIFY: TA_JUSTIFY, m.Align.CENTER: TA_CENTER, m.Align.RIGHT: TA_RIGHT,
         m.Align.LEFT: TA_LEFT}
RED = colors.Color(*(x / 255 for x in g.RED))


@dataclass
class Fonts:
    song: str
    kai: str
    hei: str
    notes: list[str] = field(default_factory=list)


def gov_fonts() -> Fonts:
    """Register the faces (once per process is enough; again is harmless)."""
    chosen: dict[str, str] = {}
    notes = []
    fallback = ""
    for role, (name, path, index, stands_for) in FACES.items():
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
            chosen[role] = name
        except (TTFError, OSError):
            fallback = fallback or register_cjk_font()
            chosen[role] = fallback
            notes.append(t("doc.font_missing", face=stands_for, path=str(path)))
    return Fonts(chosen["song"], chosen["kai"], chosen["hei"], notes)


class _Styles:
    def __init__(self, f: Fonts) -> None:
        def style(name: str, font: str, size: float, leading: float, **kw: object) -> \
                ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                                  wordWrap="CJK", **kw)

        indent = g.BODY_PT * 2
        self.body = style("body", f.song, g.BODY_PT, g.LINE_PT, alignment=TA_JUSTIFY)
        self.title = style("title", f.hei, g.TITLE_PT, 35, alignment=TA_CENTER,
                           spaceAfter=g.LINE_PT)
        self.h1 = style("h1", f.hei, g.BODY_PT, g.LINE_PT, firstLineIndent=indent)
        self.h2 = style("h2", f.kai, g.BODY_PT, g.LINE_PT, firstLineIndent=indent)
        self.cell = style("cell", f.song, g.TABLE_PT, g.TABLE_LINE_PT)
        self.head = style("head", f.hei, g.TABLE_PT, g.TABLE_LINE_PT, alignment=TA_CENTER)
        self.mark = style("mark", f.hei, g.MARK_PT, g.MARK_PT * 1.3, alignment=TA_CENTER,
                          textColor=RED)
        self.number = style("number", f.song, g.BODY_PT, g.LINE_PT, alignment=TA_CENTER)
        self.record = style("record", f.song, g.PAGE_NO_PT, g.LINE_PT)
        self.fonts = f


def _p(text: str, st: ParagraphStyle, **kw: object) -> Paragraph:
    if kw:
        st = ParagraphStyle(st.name + "x", parent=st, **kw)
    return Paragraph(escape(text).replace("\n", "<br/>"), st)


def _table(b: m.Table, s: _Styles) -> Table:
    width = g.TEXT_W_MM * mm
    total = sum(b.widths)
    widths = [width * w / total for w in b.widths]
    data: list[list[object]] = []
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.song),  # empty merged cells: no Helvetica
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(b.header):
        cells: list[object] = [""] * len(widths)
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            cells[c] = _p(cell.text, s.head)
            if (cell.rows, cell.span) != (1, 1):
                commands.append(("SPAN", (c, r), (c + cell.span - 1, r + cell.rows - 1)))
            taken |= {(rr, cc) for rr in range(r, r + cell.rows) for cc in range(c, c + cell.span)}
            c += cell.span
        data.append(cells)
    centred = ParagraphStyle("cellc", parent=s.cell, alignment=TA_CENTER)
    strong = ParagraphStyle("cells", parent=s.cell, fontName=s.fonts.hei)
    strong_centred = ParagraphStyle("cellsc", parent=strong, alignment=TA_CENTER)
    for r, values in enumerate(b.rows):
        plain, middle = (strong, strong_centred) if r in b.strong else (s.cell, centred)
        data.append([_p(x, middle if i in b.numeric else plain) for i, x in enumerate(values)])
    return Table(data, colWidths=widths, repeatRows=len(b.header), style=TableStyle(commands),
                 hAlign="CENTER")


def _closing(b: m.Closing, s: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, g.LINE_PT * (3 if b.seal else 1))]
    indents = g.closing_indents(b.issuer, b.day)
    out += [_p(x, s.body, alignment=TA_RIGHT, rightIndent=right)
            for x, right in zip((b.issuer, b.day), indents, strict=True)]
    return out


def _distribution(b: m.Distribution, s: _Styles) -> list[Flowable]:
    rows = [[_p(b.copy_to, s.record), ""]] if b.copy_to else []
    rows.append([_p(b.printed_by, s.record), _p(b.printed_on, s.record,
                                                alignment=TA_RIGHT)])
    width = g.TEXT_W_MM * mm
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), s.fonts.song),
                        ("LINEABOVE", (0, 0), (-1, 0), 0.75, colors.black),
                        ("LINEBELOW", (0, -1), (-1, -1), 0.75, colors.black),
                        ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)])
    # 版记 sits at the foot of the last page (GB/T 9704-2012 10)
    return [Spacer(1, g.LINE_PT),
            TopPadder(Table(rows, colWidths=[width / 2, width / 2], style=style))]


def _flowables(b: m.Block, s: _Styles) -> list[Flowable]:
    indent = g.BODY_PT * 2
    if isinstance(b, m.IssuerMark):
        return [_p(b.issuer, s.mark), Spacer(1, g.LINE_PT), _p(b.doc_number, s.number),
                HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=4,
                           spaceAfter=g.LINE_PT)]
    if isinstance(b, m.Title):
        return [_p(b.text, s.title)]
    if isinstance(b, m.Heading):
        return [_p(b.text, s.h1 if b.level == 1 else s.h2)]
    if isinstance(b, m.Paragraph):
        return [_p(b.text, s.body, alignment=ALIGN[b.align],
                   firstLineIndent=indent if b.indent else 0)]
    if isinstance(b, m.Table):
        head = [_p(b.caption, s.body, alignment=TA_CENTER)] if b.caption else []
        return [*head, _table(b, s), Spacer(1, g.TABLE_LINE_PT)]
    if isinstance(b, m.Signatures):
        lines = [_p(f"{x.label}：{x.names or '＿' * 10}", s.body) for x in b.lines]
        return [Spacer(1, g.LINE_PT), *lines]
    if isinstance(b, m.Closing):
        return _closing(b, s)
    if isinstance(b, m.Distribution):
        return _distribution(b, s)
    return [PageBreak()]


def _page_number(canvas: Canvas, font: str) -> None:
    """"— n —" 7 mm under the 版心: odd pages right, even pages left, one character in."""
    n = canvas.getPageNumber()
    text = g.page_number(n)
    size = g.PAGE_NO_PT
    y = (g.BOTTOM_MM - g.PAGE_NO_GAP_MM) * mm - size
    canvas.setFont(font, size)
    if n % 2:
        x = (g.PAGE_W_MM - g.RIGHT_MM) * mm - size - stringWidth(text, font, size)
    else:
        x = g.LEFT_MM * mm + size
    canvas.drawString(x, y, text)


def render_pdf(document: m.Document, fonts: Fonts | None = None) -> bytes:
    s = _Styles(fonts or gov_fonts())
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(g.PAGE_W_MM * mm, g.PAGE_H_MM * mm),
                            leftMargin=g.LEFT_MM * mm, rightMargin=g.RIGHT_MM * mm,
                            topMargin=g.TOP_MM * mm, bottomMargin=g.BOTTOM_MM * mm,
                            title=document.title, author=t("doc.pdf_author"),
                            creator="inspect-tui", initialFontName=s.fonts.song,
                            initialFontSize=g.BODY_PT)  # else an unused Helvetica is listed
    story = [f for b in document.blocks for f in _flowables(b, s)]

    def on_page(canvas: Canvas, _doc: object) -> None:
        _page_number(canvas, s.fonts.song)

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
