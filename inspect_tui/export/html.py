"""report.html: the same content as the PDF, self-contained (QR images inline) and printable.

Each record's QR image also carries its payload text in `data-qr`, so the page can be checked
without scanning. Styles are in report.css (screen and A4 print), inlined into the page.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from importlib import resources

from inspect_tui.core.i18n import language, t
from inspect_tui.core.report import (
    Report,
    ReportConflict,
    ReportRecord,
    ReportSite,
    SectionScore,
)
from inspect_tui.export import view
from inspect_tui.export.palette import bar_hex


def escape(text: str) -> str:
    """Text for the page, escaped for HTML, without control characters (view.clean)."""
    return html.escape(view.clean(text))


def _img(png: bytes, alt: str, qr_text: str = "") -> str:
    data = base64.b64encode(png).decode("ascii")
    extra = f' data-qr="{escape(qr_text)}"' if qr_text else ""
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}"{extra}>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], code_col: int = -1) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="code">{escape(v)}</td>' if i == code_col
                         else f"<td>{escape(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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


def _record(r: ReportRecord, png: bytes, conflicts: Sequence[ReportConflict],
            rules: str) -> str:
    lines = _lines(view.record_lines(r, conflicts, rules))
    return (f'<div class="record" id="{escape(r.record_id)}"><div class="body">'
            f'<div class="title">{escape(view.record_title(r))}</div>{lines}</div>'
            f'<figure class="qr">{_img(png, r.record_id, r.qr)}'
            f"<figcaption>{escape(r.record_id)}</figcaption></figure></div>")


def _site(site: ReportSite, pngs: dict[str, bytes],
          conflicts: Sequence[ReportConflict]) -> str:
    problems = "".join(
        f"<li>{escape(p)}" + (f'<div class="muted">{escape(t("report.label.advice"))}：'
                              f"{escape(a)}</div>" if a else "") + "</li>"
        for p, a in view.problem_lines(site))
    kpis = "".join(f"<div><span>{escape(k)}</span><strong>{escape(v)}</strong></div>"
                   for k, v in view.site_kpis(site))
    records, section = [], None
    for r in site.records:
        if r.section_id != section:
            section = r.section_id
            records.append(f'<div class="section-row">{escape(section)} '
                           f"{escape(r.section_title)}</div>")
        records.append(_record(r, pngs[r.record_id], conflicts, site.table.rules))
    evidence = view.evidence_rows(site)
    return "".join([
        f'<section class="site" id="{escape(site.site_id)}"><h2>{escape(site.name)}</h2>',
        f'<div class="muted">{escape(view.site_heading(site))}</div>',
        f'<div class="kpis">{kpis}</div>',
        f"<h3>{escape(t('report.scoring.title'))}</h3>",
        f'<div class="scoring">{_lines(view.scoring_lines(site))}</div>',
        f"<h3>{escape(t('report.sections_title'))}</h3>",
        _table(view.section_header(), view.section_rows(site)), _chart(site.sections),
        f"<h3>{escape(t('report.problems_title'))}</h3>",
        f"<ol>{problems}</ol>" if problems else f"<p>{escape(t('report.no_problems'))}</p>",
        f"<h3>{escape(t('report.records_title'))}</h3>", *records,
        (f"<h3>{escape(t('report.evidence_title'))}</h3>"
         + _table(view.evidence_header(), evidence, code_col=3)) if evidence else "",
        "</section>",
    ])


def _cover(report: Report, cover_png: bytes) -> str:
    meta = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                   for k, v in view.cover_rows(report))
    conflicts = ""
    if report.conflicts:
        names = {s.site_id: s.name for s in report.sites}
        note = t("report.conflicts_note", count=len(report.conflicts))
        conflicts = (f"<h3>{escape(t('report.conflicts_title'))}</h3>"
                     f'<p class="warn">{escape(note)}</p>'
                     + _table(view.conflict_header(),
                              view.conflict_rows(report.conflicts, names)))
    return "".join([
        f"<header><h1>{escape(report.title)}</h1>",
        f'<div class="subtitle">{escape(t("report.doc_title"))}</div></header>',
        f'<div class="cover"><table>{meta}</table><figure class="cover-qr">',
        _img(cover_png, report.report_id),
        f"<figcaption>{escape(t('report.cover_qr_caption'))}</figcaption></figure></div>",
        f"<h3>{escape(t('report.summary_title'))}</h3>",
        _table(view.summary_header(), view.summary_rows(report)), conflicts,
        f"<h3>{escape(t('report.howto_title'))}</h3><p>{escape(view.verify_howto(report))}</p>",
    ])


def build_html(report: Report, pngs: dict[str, bytes], cover_png: bytes) -> bytes:
    css = resources.files("inspect_tui.export").joinpath("report.css").read_text("utf-8")
    lang = "zh-CN" if language() == "zh" else "en"
    page = "".join([
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)} · {escape(report.report_id)}</title>",
        f"<style>{css}</style></head><body>", _cover(report, cover_png),
        *(_site(site, pngs, report.conflicts) for site in report.sites),
        f"<footer>{escape(view.footer(report))}</footer>",
        "</body></html>\n",
    ])
    return page.encode("utf-8")
