"""report.pdf with reportlab: cover, one part per site, a QR code beside every record.

The text is set in an embedded subset of a CJK TrueType font (export.fonts), so it renders on
machines without Chinese fonts and `pdftotext` gives it back. Record QR codes are printed
QR_SIZE wide (a phone reads them from A4); the cover carries the report's own QR code.
Signing the finished bytes is export.pdf_sign.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Report, ReportSite
from inspect_tui.export import view
from inspect_tui.export.fonts import FONT_NAME, register_cjk_font
from inspect_tui.export.pdf_chart import section_chart

QR_SIZE = 2.4 * cm  # printed size of a record QR (>= 2 cm: phones read it from A4)
COVER_QR = 4.2 * cm
MARGIN = 1.7 * cm
WIDTH = A4[0] - 2 * MARGIN
ACCENT = colors.HexColor("#1d3f72")
RULE = colors.HexColor("#c5cad3")
SHADE = colors.HexColor("#eef2f8")
MUTED_HEX = "#6b7280"
MUTED = colors.HexColor(MUTED_HEX)
DETAILS = WIDTH - QR_SIZE - 0.6 * cm  # the record column, beside its QR code
PAD = 6  # reportlab's default cell padding (points)


class _Styles:
    def __init__(self, font: str) -> None:
        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.4,
                                  wordWrap="CJK", **kw)

        self.font = font
        self.title = style("title", 20, textColor=ACCENT, spaceAfter=4)
        self.subtitle = style("subtitle", 11, textColor=colors.grey, spaceAfter=12)
        self.h1 = style("h1", 16, textColor=ACCENT, spaceAfter=2)
        self.h2 = style("h2", 11.5, textColor=ACCENT, spaceBefore=10, spaceAfter=4)
        self.body = style("body", 9)
        self.small = style("small", 7.5, textColor=colors.HexColor("#374151"))
        self.cell = style("cell", 8.5)
        self.label = style("label", 8.5, textColor=colors.grey)
        self.mono = style("mono", 7)
        self.record = style("record", 10, textColor=ACCENT)
        self.caption = style("caption", 6.5, alignment=1)
        self.warn = style("warn", 9, textColor=colors.HexColor("#b71c1c"))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class _Line(Flowable):
    """One line of text in one or more colours: the cheap case of a Paragraph.

    Most record lines fit on one line; laying them out as CJK paragraphs (which measure every
    character, twice) took most of the PDF's time. Text stays real, extractable text.
    """

    def __init__(self, runs: Sequence[tuple[str, Any]], style: ParagraphStyle) -> None:
        super().__init__()
        self.runs, self.style = runs, style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, self.style.leading

    def draw(self) -> None:
        canvas, x = self.canv, 0.0
        font, size = self.style.fontName, self.style.fontSize
        canvas.setFont(font, size)
        for text, colour in self.runs:
            canvas.setFillColor(colour)
            canvas.drawString(x, self.style.leading - size * 1.05, text)
            x += stringWidth(text, font, size)


def _labelled(label: str, text: str, style: ParagraphStyle, width: float) -> Flowable:
    """`label：text` (label in grey, if any): a _Line when it fits on one line, else a Paragraph."""
    head = f"{label}：" if label else ""
    if stringWidth(head + text, style.fontName, style.fontSize) <= width:
        return _Line([(head, MUTED), (text, style.textColor)], style)
    markup = f'<font color="{MUTED_HEX}">{escape(head)}</font>' if head else ""
    return Paragraph(markup + escape(text), style)


def _grid(data: list[list[Any]], widths: Sequence[float], *commands: tuple[Any, ...],
          repeat: int = 0) -> Table:
    """A Table in our font: reportlab sets every cell's font, Helvetica unless told, and a
    non-embedded Helvetica would be the one font of the PDF not carried inside it."""
    style = [("FONT", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             *commands]
    return Table(data, colWidths=list(widths), repeatRows=repeat, style=TableStyle(style))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           st: _Styles, style: ParagraphStyle | None = None) -> Table:
    cell = style or st.cell
    data = [[_p(h, cell) for h in header]] + [[_p(v, cell) for v in row] for row in rows]
    return _grid(data, widths, ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                 ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), repeat=1)


def _qr(png: bytes, size: float) -> Image:
    return Image(io.BytesIO(png), width=size, height=size)


def _cover(report: Report, cover_png: bytes, st: _Styles) -> list[Flowable]:
    meta = _grid([[_p(k, st.label), _p(v, st.cell)] for k, v in view.cover_rows(report)],
                 [3.0 * cm, WIDTH - COVER_QR - 3.6 * cm],
                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
    qr = _grid([[_qr(cover_png, COVER_QR)], [_p(t("report.cover_qr_caption"), st.caption)]],
               [COVER_QR + 0.4 * cm])
    top = _grid([[meta, qr]], [WIDTH - COVER_QR - 0.4 * cm, COVER_QR + 0.4 * cm],
                ("LEFTPADDING", (0, 0), (-1, -1), 0))
    out: list[Flowable] = [
        _p(report.title, st.title), _p(t("report.doc_title"), st.subtitle), top,
        _p(t("report.summary_title"), st.h2),
        _table(view.summary_header(), view.summary_rows(report),
               [4.4 * cm, 2.0 * cm, 2.4 * cm, 1.6 * cm, 2.4 * cm, 2.8 * cm, 1.8 * cm], st),
    ]
    if report.conflicts:
        names = {s.site_id: s.name for s in report.sites}
        out += [_p(t("report.conflicts_title"), st.h2),
                _p(t("report.conflicts_note", count=len(report.conflicts)), st.warn),
                _table(view.conflict_header(), view.conflict_rows(report.conflicts, names),
                       [3 * cm, 1.6 * cm, 2.2 * cm, 6.4 * cm, 4.4 * cm], st)]
    out += [_p(t("report.howto_title"), st.h2), _p(view.verify_howto(report), st.body)]
    return out


def _records(site: ReportSite, pngs: dict[str, bytes], st: _Styles) -> list[Flowable]:
    """One small table per record (laid out once; a record never splits across pages)."""
    titles = {s.section_id: s.title for s in site.sections}
    out: list[Flowable] = []
    section = None
    for r in site.records:
        if r.section_id != section:
            section = r.section_id
            band = _grid([[_p(f"{section} {titles.get(section, '')}", st.body)]], [WIDTH],
                         ("BACKGROUND", (0, 0), (-1, -1), SHADE))
            out += [CondPageBreak(QR_SIZE + 1.6 * cm), band]
        details = [_labelled("", view.record_title(r), st.record, DETAILS - 2 * PAD)] + [
            _labelled(label, text, st.cell, DETAILS - 2 * PAD)
            for label, text in view.record_lines(r)]
        qr = [_qr(pngs[r.record_id], QR_SIZE), _p(r.record_id, st.caption)]
        out.append(_grid([[details, qr]], [DETAILS, WIDTH - DETAILS],
                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                         ("LEFTPADDING", (1, 0), (1, -1), 0.3 * cm)))
    return out


def _site(site: ReportSite, pngs: dict[str, bytes], st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [
        PageBreak(), _p(site.name, st.h1), _p(view.site_heading(site), st.small),
        _p(view.site_facts(site), st.body),
        _p(t("report.sections_title"), st.h2),
        _table(view.section_header(), view.section_rows(site),
               [1.4 * cm, WIDTH - 7.4 * cm, 2 * cm, 2 * cm, 2 * cm], st),
        Spacer(1, 8), section_chart(site.sections, st.font, WIDTH),
        _p(t("report.problems_title"), st.h2),
    ]
    problems = view.problem_lines(site)
    if not problems:
        out.append(_p(t("report.no_problems"), st.body))
    for n, (problem, advice) in enumerate(problems, start=1):
        text = f"{n}. {problem}" + (f"　{t('report.label.advice')}：{advice}" if advice else "")
        out.append(_p(text, st.body))
    out += [CondPageBreak(4 * cm), _p(t("report.records_title"), st.h2),
            *_records(site, pngs, st)]
    if evidence := view.evidence_rows(site):
        out += [_p(t("report.evidence_title"), st.h2),
                _table(view.evidence_header(), evidence,
                       [1.4 * cm, 4.6 * cm, 1.8 * cm, WIDTH - 7.8 * cm], st, st.mono)]
    return out


def build_pdf(report: Report, pngs: dict[str, bytes], cover_png: bytes,
              progress: Callable[[int, int], None] | None = None) -> bytes:
    """The unsigned PDF; `pngs` maps record IDs to their QR images."""
    font = register_cjk_font()
    st = _Styles(font)
    out = io.BytesIO()

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, A4[1] - 1.1 * cm, report.title)
        canvas.drawRightString(A4[0] - MARGIN, A4[1] - 1.1 * cm,
                               f"{report.signer.name}  {report.signer.fingerprint}")
        canvas.drawCentredString(A4[0] / 2, 0.9 * cm, view.footer(report, doc.page))
        canvas.restoreState()
        if progress:
            progress(doc.page, 0)

    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=1.6 * cm, bottomMargin=1.5 * cm, initialFontName=font,
                          title=report.title, author=report.signer.name,
                          subject=t("report.doc_title"), creator="inspect-tui",
                          keywords=report.report_id)
    frame = Frame(MARGIN, 1.5 * cm, WIDTH, A4[1] - 3.1 * cm, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    story = _cover(report, cover_png, st)
    for site in report.sites:
        story += _site(site, pngs, st)
    doc.build(story)
    return out.getvalue()
