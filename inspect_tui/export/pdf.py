"""report.pdf with reportlab, laid out after GB/T 9704: a cover with the issuing body, the
document number, the title and a conclusion drawn from the data; one part per inspected site
(visit, scores, problems, each scored record beside its signed QR code, the unscored criteria
listed compactly, a signature block); the sites not yet inspected in one short list; and one
verification appendix holding the fingerprints and digests (no page repeats them).

The text is set in embedded subsets of CJK TrueType fonts (export.report_fonts), so it renders
on machines without Chinese fonts and `pdftotext` gives it back. QR codes are vectors
(pdf_parts.QrFlowable). Signing the finished bytes is export.pdf_sign.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
)

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Report, ReportConflict, ReportSite
from inspect_tui.core.report_conclusion import not_inspected
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.export import view, view_print
from inspect_tui.export.pdf_canvas import ReportCanvas
from inspect_tui.export.pdf_chart import section_chart
from inspect_tui.export.pdf_parts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    PAD,
    RED,
    RULE,
    SHADE,
    TOP,
    WIDTH,
    OneLine,
    QrFlowable,
    Styles,
    fit,
    grid,
    kpi_strip,
    labelled,
    para,
    qr_side,
    table,
)
from inspect_tui.export.pdf_record import RecordRow
from inspect_tui.export.qr_images import QrCode
from inspect_tui.export.report_fonts import report_fonts

Codes = Mapping[str, QrCode]  # record ID -> its QR code


def _cover(report: Report, head: Letterhead, st: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    if head.issuer:
        out.append(para(head.issuer, st.issuer))
    if head.doc_number:
        out.append(para(head.doc_number, st.doc_number))
    if head.issuer or head.doc_number:
        out.append(HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=4,
                              spaceAfter=6))
    out += [para(report.title, st.title), para(t("report.doc_title"), st.subtitle)]
    for heading, paragraphs in view_print.conclusion(report):
        out += [para(heading, st.h2), *(para(p, st.text) for p in paragraphs)]
    out += [para(t("report.summary_title"), st.h2),
            table(view.summary_header(), view_print.summary_rows(report),
                  [37 * mm, 18 * mm, 21 * mm, 14 * mm, 31 * mm, 22 * mm, 13 * mm],
                  st.cell)]
    if report.conflicts:
        names = {s.site_id: s.name for s in report.sites}
        out += [para(t("report.conflicts_title"), st.h2),
                para(t("report.conflicts_note", count=len(report.conflicts)), st.warn),
                table(view.conflict_header(), view.conflict_rows(report.conflicts, names),
                      [28 * mm, 18 * mm, 20 * mm, 52 * mm, 38 * mm], st.cell)]
    issued = [para(x, st.issued) for x in (head.issuer, view_print.doc_date(report, head)) if x]
    return [*out, Spacer(1, 10), KeepTogether(issued)]


def _record_rows(site: ReportSite, codes: Codes, conflicts: Sequence[ReportConflict],
                 st: Styles, qr_width: float) -> list[Flowable]:
    """One row per scored record, its QR code at the right (laid out once; a record never
    splits across pages unless it is taller than a page)."""
    details_width = WIDTH - qr_width
    out: list[Flowable] = []
    section = None
    for r in site.records:
        if not view_print.printed_in_full(r):
            continue
        if r.section_id != section:
            section = r.section_id
            band = grid([[para(f"{section} {r.section_title}", st.body)]], [WIDTH],
                        ("BACKGROUND", (0, 0), (-1, -1), SHADE))
            out += [CondPageBreak(qr_width + 12 * mm), band]
        details = [labelled("", view.record_title(r), st.record, details_width - 2 * PAD)] + [
            labelled(line.label, line.text, st.alert if line.alert else st.cell,
                     details_width - 2 * PAD)
            for line in view.record_lines(r, conflicts, site.table.rules)]
        qr = QrFlowable(codes[r.record_id], stacked=True) if view_print.has_qr(r) else None
        row = RecordRow(details, qr, details_width, qr_width)
        # A QR code is far shorter than a page: only the lines can make a record too tall.
        if any(not isinstance(f, OneLine) for f in details) and row.text_height() > HEIGHT:
            table = _record_table(details, qr, details_width, qr_width)
            table.splitInRow = 1  # split inside its one row: the long lines go on overleaf
            out.append(table)
        else:
            out.append(row)
    return out


def _record_table(details: list[Flowable], qr: Flowable | None, details_width: float,
                  qr_width: float) -> Any:
    """A record as a one-row Table, for a record taller than a page (a Table can split inside
    its row); RecordRow draws the others exactly so, faster."""
    return grid([[details, qr or ""]],
                [details_width, qr_width], ("LINEBELOW", (0, 0), (0, -1), 0.4, RULE),
                ("LEFTPADDING", (1, 0), (1, -1), 0), ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (1, 0), (1, -1), 0), ("BOTTOMPADDING", (1, 0), (1, -1), 0))


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


def _pairs(rows: Sequence[tuple[str, str]], st: Styles, label_width: float,
           value_style: Any = None) -> Flowable:
    return grid([[para(k, st.label), para(v, value_style or st.cell)] for k, v in rows],
                [label_width, WIDTH - label_width], ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5))


def _signatures(site: ReportSite, st: Styles) -> list[Flowable]:
    lines = [para(text, st.sign) for text in view_print.signature_lines(site)]
    return [KeepTogether([para(t("report.layout.signature_title"), st.h2), *lines])]


def _site(site: ReportSite, head: Letterhead, codes: Codes,
          conflicts: Sequence[ReportConflict], st: Styles, qr_width: float) -> list[Flowable]:
    out: list[Flowable] = [
        PageBreak(), para(site.name, st.h1), para(view.site_heading(site), st.small),
        para(t("report.layout.visit_title"), st.h2),
        _pairs(view_print.visit_rows(head.visits.get(site.site_id)), st, 32 * mm),
        Spacer(1, 6), kpi_strip(view.site_kpis(site), st),
        *_scoring(site, st),
        para(t("report.sections_title"), st.h2),
        table(view.section_header(), view.section_rows(site),
              [12 * mm, WIDTH - 66 * mm, 18 * mm, 18 * mm, 18 * mm], st.cell),
        Spacer(1, 6), section_chart(site.sections, st.font, WIDTH),
        *_problems(site, st),
        CondPageBreak(qr_width + 40), para(t("report.layout.scored_title"), st.h2),
        *_record_rows(site, codes, conflicts, st, qr_width),
    ]
    if unscored := view_print.unscored_rows(site):
        out += [para(t("report.layout.unscored_title", count=len(unscored)), st.h2),
                table(view_print.unscored_header(), unscored,
                      [16 * mm, WIDTH - 34 * mm, 18 * mm], st.cell)]
    if evidence := view_print.evidence_names(site):
        out += [para(t("report.evidence_title"), st.h2),
                table(view.evidence_header()[:3], evidence,
                      [16 * mm, WIDTH - 40 * mm, 24 * mm], st.cell)]
    return out + _signatures(site, st)


def _unvisited(report: Report, st: Styles) -> list[Flowable]:
    rows = view_print.unvisited_rows(report)
    if not rows:
        return []
    return [PageBreak(), para(t("report.layout.unvisited_title"), st.h1),
            para(t("report.layout.unvisited_note"), st.small), Spacer(1, 6),
            table(view_print.unvisited_header(), rows,
                  [50 * mm, 24 * mm, 30 * mm, 22 * mm, 30 * mm], st.cell)]


def _appendix(report: Report, cover: QrCode, st: Styles) -> list[Flowable]:
    qr = grid([[QrFlowable(cover)], [para(t("report.layout.report_qr"), st.caption)]],
              [qr_side(cover)], ("LEFTPADDING", (0, 0), (-1, -1), 0),
              ("RIGHTPADDING", (0, 0), (-1, -1), 0))
    out: list[Flowable] = [
        PageBreak(), para(t("report.layout.appendix_title"), st.h1),
        para(t("report.layout.appendix_note"), st.small), Spacer(1, 6),
        _pairs(view_print.appendix_rows(report), st, 34 * mm, st.mono),
        Spacer(1, 8),
        grid([[qr, para(view.verify_howto(report), st.body)]],
             [qr_side(cover) + 8, WIDTH - qr_side(cover) - 8],
             ("LEFTPADDING", (0, 0), (0, -1), 0)),
    ]
    if digests := view_print.evidence_digests(report):
        out += [para(t("report.layout.appendix_evidence"), st.h2),
                table((t("report.layout.col_evidence_site"), *view.evidence_header()[:2],
                       t("report.col.sha256")), digests,
                      [28 * mm, 14 * mm, 34 * mm, WIDTH - 76 * mm], st.mono)]
    return out


def build_pdf(report: Report, codes: Codes, cover: QrCode,
              head: Letterhead | None = None, qr_width: float | None = None) -> bytes:
    """The unsigned PDF; `codes` maps record IDs to their QR codes, `cover` is the whole
    report's signed code (printed in the appendix). `qr_width`: the widest record code's
    printed width when known beforehand (pdf_worker lays out while the codes stream in)."""
    head = head or Letterhead()
    body, heading = report_fonts()
    st = Styles(body, heading)
    out = io.BytesIO()

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(body, 8)
        canvas.setFillColor(colors.grey)
        if doc.page > 1:  # a running head with the title only: no fingerprint on every page
            canvas.drawString(LEFT, A4[1] - TOP + 14,
                              fit(view.clean(report.title), body, 8, WIDTH))
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(LEFT, A4[1] - TOP + 10, LEFT + WIDTH, A4[1] - TOP + 10)
        canvas.drawCentredString(LEFT + WIDTH / 2, BOTTOM - 22, view.footer(report, doc.page))
        canvas.restoreState()

    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=LEFT, rightMargin=A4[0] - LEFT - WIDTH,
                          topMargin=TOP, bottomMargin=BOTTOM, initialFontName=body,
                          title=view.clean(report.title),
                          author=view.clean(head.issuer or report.signer.name),
                          subject=t("report.doc_title"), creator="inspect-tui",
                          keywords=report.report_id)
    frame = Frame(LEFT, BOTTOM, WIDTH, HEIGHT, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    if qr_width is None:
        qr_width = max((qr_side(c) for c in codes.values()), default=0.0)
    story = _cover(report, head, st)
    for site in report.sites:
        if not not_inspected(site):
            story += _site(site, head, codes, report.conflicts, st, qr_width)
    story += _unvisited(report, st) + _appendix(report, cover, st)
    doc.build(story, canvasmaker=ReportCanvas)
    return out.getvalue()
