"""report.pdf with reportlab: cover, one part per site, a QR code beside every record.

The text is set in an embedded subset of a CJK TrueType font (export.fonts), so it renders on
machines without Chinese fonts and `pdftotext` gives it back. Record QR codes are printed
QR_SIZE wide (a phone reads them from A4); the cover carries the report's own QR code.
Signing the finished bytes is export.pdf_sign; the pieces are in export.pdf_parts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Report, ReportConflict, ReportSite
from inspect_tui.export import view
from inspect_tui.export.fonts import register_cjk_font
from inspect_tui.export.pdf_chart import section_chart
from inspect_tui.export.pdf_parts import (
    ACCENT,
    COVER_QR,
    DETAILS,
    MARGIN,
    PAD,
    QR_SIZE,
    RULE,
    SHADE,
    WIDTH,
    OneLine,
    Styles,
    fit,
    grid,
    kpi_strip,
    labelled,
    para,
    qr_image,
    table,
)

BODY = A4[1] - 3.1 * cm  # the height of the frame the story flows into (its padding inside)


def _cover(report: Report, cover_png: bytes, st: Styles) -> list[Flowable]:
    meta = grid([[para(k, st.label), para(v, st.cell)] for k, v in view.cover_rows(report)],
                [3.0 * cm, WIDTH - COVER_QR - 3.6 * cm],
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
    qr = grid([[qr_image(cover_png, COVER_QR)],
               [para(t("report.cover_qr_caption"), st.caption)]], [COVER_QR + 0.4 * cm])
    top = grid([[meta, qr]], [WIDTH - COVER_QR - 0.4 * cm, COVER_QR + 0.4 * cm],
               ("LEFTPADDING", (0, 0), (-1, -1), 0))
    out: list[Flowable] = [
        para(report.title, st.title), para(t("report.doc_title"), st.subtitle), top,
        para(t("report.summary_title"), st.h2),
        table(view.summary_header(), view.summary_rows(report),
              [3.8 * cm, 2.0 * cm, 2.2 * cm, 1.4 * cm, 3.6 * cm, 2.8 * cm, 1.6 * cm], st.cell),
    ]
    if report.conflicts:
        names = {s.site_id: s.name for s in report.sites}
        out += [para(t("report.conflicts_title"), st.h2),
                para(t("report.conflicts_note", count=len(report.conflicts)), st.warn),
                table(view.conflict_header(), view.conflict_rows(report.conflicts, names),
                      [3 * cm, 2 * cm, 2.2 * cm, 6 * cm, 4.4 * cm], st.cell)]
    out += [para(t("report.howto_title"), st.h2), para(view.verify_howto(report), st.body)]
    return out


def _records(site: ReportSite, pngs: dict[str, bytes], conflicts: Sequence[ReportConflict],
             st: Styles) -> list[Flowable]:
    """One small table per record (laid out once; a record never splits across pages, unless
    it is taller than a page: a very long note would otherwise make reportlab give up)."""
    out: list[Flowable] = []
    section = None
    for r in site.records:
        if r.section_id != section:
            section = r.section_id
            band = grid([[para(f"{section} {r.section_title}", st.body)]], [WIDTH],
                        ("BACKGROUND", (0, 0), (-1, -1), SHADE))
            out += [CondPageBreak(QR_SIZE + 1.6 * cm), band]
        details = [labelled("", view.record_title(r), st.record, DETAILS - 2 * PAD)] + [
            labelled(line.label, line.text, st.alert if line.alert else st.cell,
                     DETAILS - 2 * PAD)
            for line in view.record_lines(r, conflicts, site.table.rules)]
        qr = [qr_image(pngs[r.record_id], QR_SIZE), para(r.record_id, st.caption)]
        record = grid([[details, qr]], [DETAILS, WIDTH - DETAILS],
                      ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                      ("LEFTPADDING", (1, 0), (1, -1), 0.3 * cm))
        if any(not isinstance(f, OneLine) for f in details) \
                and record.wrap(WIDTH, BODY)[1] > BODY - 12:  # the frame pads 6 pt above, below
            record.splitInRow = 1  # split inside its one row: the long lines go on overleaf
        out.append(record)
    return out


def _problems(site: ReportSite, st: Styles) -> list[Flowable]:
    lines = view.problem_lines(site)
    out: list[Flowable] = [para(t("report.problems_title"), st.h2)]
    if not lines:
        out.append(para(t("report.no_problems"), st.body))
    for n, (problem, advice) in enumerate(lines, start=1):
        out.append(para(f"{n}. {problem}", st.body))
        if advice:
            out.append(para(f"{t('report.label.advice')}：{advice}", st.advice))
    return out


def _scoring(site: ReportSite, st: Styles) -> list[Flowable]:
    """计分说明: one labelled line each (long ones wrap), in a shaded box."""
    rows = [[labelled(line.label, line.text, st.alert if line.alert else st.cell,
                      WIDTH - 2 * PAD)] for line in view.scoring_lines(site)]
    return [para(t("report.scoring.title"), st.h2),
            grid(rows, [WIDTH], ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                 ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5))]


def _site(site: ReportSite, pngs: dict[str, bytes], conflicts: Sequence[ReportConflict],
          st: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        PageBreak(), para(site.name, st.h1), para(view.site_heading(site), st.small),
        Spacer(1, 6), kpi_strip(view.site_kpis(site), st),
        *_scoring(site, st),
        para(t("report.sections_title"), st.h2),
        table(view.section_header(), view.section_rows(site),
              [1.4 * cm, WIDTH - 7.4 * cm, 2 * cm, 2 * cm, 2 * cm], st.cell),
        Spacer(1, 8), section_chart(site.sections, st.font, WIDTH),
        *_problems(site, st),
        CondPageBreak(4 * cm), para(t("report.records_title"), st.h2),
        *_records(site, pngs, conflicts, st),
    ]
    if evidence := view.evidence_rows(site):
        out += [para(t("report.evidence_title"), st.h2),
                table(view.evidence_header(), evidence,
                      [1.4 * cm, 4.6 * cm, 1.8 * cm, WIDTH - 7.8 * cm], st.mono)]
    return out


def build_pdf(report: Report, pngs: dict[str, bytes], cover_png: bytes) -> bytes:
    """The unsigned PDF; `pngs` maps record IDs to their QR images."""
    font = register_cjk_font()
    st = Styles(font)
    out = io.BytesIO()

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        if doc.page > 1:  # the cover says all this in large type
            signer = view.clean(f"{report.signer.name}  {report.signer.fingerprint}")
            room = WIDTH - stringWidth(signer, font, 7.5) - 12  # the title must not run into it
            canvas.drawString(MARGIN, A4[1] - 1.1 * cm,
                              fit(view.clean(report.title), font, 7.5, room))
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 1.1 * cm, signer)
            canvas.setStrokeColor(ACCENT)
            canvas.setLineWidth(0.6)
            canvas.line(MARGIN, A4[1] - 1.25 * cm, A4[0] - MARGIN, A4[1] - 1.25 * cm)
        canvas.drawCentredString(A4[0] / 2, 0.9 * cm, view.footer(report, doc.page))
        canvas.restoreState()

    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=1.6 * cm, bottomMargin=1.5 * cm, initialFontName=font,
                          title=view.clean(report.title),
                          author=view.clean(report.signer.name),
                          subject=t("report.doc_title"), creator="inspect-tui",
                          keywords=report.report_id)
    frame = Frame(MARGIN, 1.5 * cm, WIDTH, BODY, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    story = _cover(report, cover_png, st)
    for site in report.sites:
        story += _site(site, pngs, report.conflicts, st)
    doc.build(story)
    return out.getvalue()
