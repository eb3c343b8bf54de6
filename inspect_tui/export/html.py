"""report.html: the same structure as the PDF, self-contained and printable.

Cover with the issuing body and the conclusion, one part per inspected site (visit, scores,
problems, scored records each beside its QR code, unscored criteria listed compactly, a
signature block), the sites not yet inspected, and one verification appendix. QR codes are
inline SVG (vector, sharp in print); each carries its text in `data-qr`, so the page can be
checked without scanning. Styles are in report.css (screen and A4 print), inlined.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from importlib import resources

from inspect_tui.core.i18n import language, t
from inspect_tui.core.report import (
    Report,
    ReportConflict,
    ReportRecord,
    ReportSite,
    SectionScore,
)
from inspect_tui.core.report_conclusion import not_inspected
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.export import view, view_print
from inspect_tui.export.palette import bar_hex
from inspect_tui.export.qr_images import QrCode


def escape(text: str) -> str:
    """Text for the page, escaped for HTML, without control characters (view.clean)."""
    return html.escape(view.clean(text))


def _qr(code: QrCode, caption: str, css_class: str = "qr") -> str:
    return (f'<figure class="{css_class}" data-qr="{escape(code.text)}">'
            f'{code.svg()}<figcaption>{escape(caption)}</figcaption></figure>')


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], code_col: int = -1) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="code">{escape(v)}</td>' if i == code_col
                         else f"<td>{escape(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pairs(rows: Sequence[tuple[str, str]], css_class: str = "pairs") -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="{css_class}">{body}</table>'


def _chart(sections: Sequence[SectionScore]) -> str:
    bars = []
    for s in sections:
        fraction = s.score / s.max if s.max else 0.0
        width = f"{fraction * 100:.1f}%" if s.scored else "0"
        bars.append(
            f'<div class="bar"><span>{escape(s.section_id)} {escape(s.title)}</span>'
            f'<div class="track"><div class="fill" style="width:{width};'
            f'background:{bar_hex(fraction)}"></div></div>'
            f"<span>{view.num(s.score)} / {view.num(s.max)}</span></div>")
    return f'<div class="chart" role="img">{"".join(bars)}</div>'


def _lines(lines: Sequence[view.Line]) -> str:
    return "".join(f'<div class="line{" alert" if line.alert else ""}">'
                   f'<span class="label">{escape(line.label)}：</span>{escape(line.text)}</div>'
                   for line in lines)


def _record(r: ReportRecord, code: QrCode | None, conflicts: Sequence[ReportConflict],
            rules: str) -> str:
    lines = _lines(view.record_lines(r, conflicts, rules))
    return (f'<div class="record" id="{escape(r.record_id)}"><div class="body">'
            f'<div class="title">{escape(view.record_title(r))}</div>{lines}</div>'
            f"{_qr(code, r.record_id) if code else ''}</div>")


def _records(site: ReportSite, codes: Mapping[str, QrCode],
             conflicts: Sequence[ReportConflict]) -> list[str]:
    out, section = [], None
    for r in site.records:
        if not view_print.printed_in_full(r):
            continue
        if r.section_id != section:
            section = r.section_id
            out.append(f'<div class="section-row">{escape(section)} '
                       f"{escape(r.section_title)}</div>")
        out.append(_record(r, codes.get(r.record_id), conflicts, site.table.rules))
    return out


def _h3(key: str, **params: object) -> str:
    return f"<h3>{escape(t(key, **params))}</h3>"


def _site(site: ReportSite, head: Letterhead, codes: Mapping[str, QrCode],
          conflicts: Sequence[ReportConflict]) -> str:
    problems = "".join(
        f"<li>{escape(p)}" + (f'<div class="muted">{escape(t("report.label.advice"))}：'
                              f"{escape(a)}</div>" if a else "") + "</li>"
        for p, a in view.problem_lines(site))
    kpis = "".join(f"<div><span>{escape(k)}</span><strong>{escape(v)}</strong></div>"
                   for k, v in view.site_kpis(site))
    unscored = view_print.unscored_rows(site)
    evidence = view_print.evidence_names(site)
    signatures = "".join(f"<p>{escape(x)}</p>" for x in view_print.signature_lines(site))
    return "".join([
        f'<section class="site" id="{escape(site.site_id)}"><h2>{escape(site.name)}</h2>',
        f'<div class="muted">{escape(view.site_heading(site))}</div>',
        _h3("report.layout.visit_title"),
        _pairs(view_print.visit_rows(head.visits.get(site.site_id))),
        f'<div class="kpis">{kpis}</div>',
        _h3("report.scoring.title"),
        f'<div class="scoring">{_lines(view.scoring_lines(site))}</div>',
        _h3("report.sections_title"),
        _table(view.section_header(), view.section_rows(site)), _chart(site.sections),
        _h3("report.problems_title"),
        f"<ol>{problems}</ol>" if problems else f"<p>{escape(t('report.no_problems'))}</p>",
        _h3("report.layout.scored_title"), *_records(site, codes, conflicts),
        (_h3("report.layout.unscored_title", count=len(unscored))
         + _table(view_print.unscored_header(), unscored)) if unscored else "",
        (_h3("report.evidence_title") + _table(view.evidence_header()[:3], evidence))
        if evidence else "",
        _h3("report.layout.signature_title"), f'<div class="signatures">{signatures}</div>',
        "</section>",
    ])


def _cover(report: Report, head: Letterhead) -> str:
    conflicts = ""
    if report.conflicts:
        names = {s.site_id: s.name for s in report.sites}
        note = t("report.conflicts_note", count=len(report.conflicts))
        conflicts = (_h3("report.conflicts_title") + f'<p class="warn">{escape(note)}</p>'
                     + _table(view.conflict_header(),
                              view.conflict_rows(report.conflicts, names)))
    letterhead = "".join([
        f'<div class="issuer">{escape(head.issuer)}</div>' if head.issuer else "",
        f'<div class="doc-number">{escape(head.doc_number)}</div>' if head.doc_number else "",
        '<hr class="red-rule">' if head.issuer or head.doc_number else ""])
    conclusion = "".join(f"<h3>{escape(h)}</h3>" + "".join(f'<p class="text">{escape(p)}</p>'
                                                            for p in paragraphs)
                         for h, paragraphs in view_print.conclusion(report))
    issued = "".join(f"<div>{escape(x)}</div>"
                     for x in (head.issuer, view_print.doc_date(report, head)) if x)
    return "".join([
        f'<header class="cover">{letterhead}<h1>{escape(report.title)}</h1>',
        f'<div class="subtitle">{escape(t("report.doc_title"))}</div></header>',
        conclusion, _h3("report.summary_title"),
        _table(view.summary_header(), view_print.summary_rows(report)), conflicts,
        f'<div class="issued">{issued}</div>',
    ])


def _unvisited(report: Report) -> str:
    rows = view_print.unvisited_rows(report)
    if not rows:
        return ""
    return (f'<section class="site unvisited"><h2>'
            f'{escape(t("report.layout.unvisited_title"))}</h2>'
            f'<div class="muted">{escape(t("report.layout.unvisited_note"))}</div>'
            f"{_table(view_print.unvisited_header(), rows)}</section>")


def _appendix(report: Report, cover: QrCode) -> str:
    digests = view_print.evidence_digests(report)
    evidence = (_h3("report.layout.appendix_evidence") + _table(
        (t("report.layout.col_evidence_site"), *view.evidence_header()[:2],
         t("report.col.sha256")), digests, code_col=3)) if digests else ""
    return "".join([
        f'<section class="site appendix"><h2>{escape(t("report.layout.appendix_title"))}</h2>',
        f'<div class="muted">{escape(t("report.layout.appendix_note"))}</div>',
        _pairs(view_print.appendix_rows(report), "pairs code-values"),
        '<div class="howto">', _qr(cover, t("report.layout.report_qr"), "qr cover-qr"),
        f"<p>{escape(view.verify_howto(report))}</p></div>", evidence, "</section>",
    ])


def build_html(report: Report, codes: Mapping[str, QrCode], cover: QrCode,
               head: Letterhead | None = None) -> bytes:
    head = head or Letterhead()
    css = resources.files("inspect_tui.export").joinpath("report.css").read_text("utf-8")
    lang = "zh-CN" if language() == "zh" else "en"
    page = "".join([
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)} · {escape(report.report_id)}</title>",
        f"<style>{css}</style></head><body>", _cover(report, head),
        *(_site(site, head, codes, report.conflicts) for site in report.sites
          if not not_inspected(site)),
        _unvisited(report), _appendix(report, cover),
        f"<footer>{escape(view.footer(report))}</footer>",
        "</body></html>\n",
    ])
    return page.encode("utf-8")
