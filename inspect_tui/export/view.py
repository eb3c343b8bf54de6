"""The words and numbers of a report, shared by the PDF and the HTML (so they say the same).

Every function turns part of the report model into localised strings (report.* messages); the
renderers only lay them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Report, ReportConflict, ReportRecord, ReportSite
from inspect_tui.terminal_safe import strip_controls

Rows = list[tuple[str, ...]]


def clean(text: str) -> str:
    """Text as the PDF and the HTML show it: without control characters (C0 but tab and
    newline, DEL, C1, the bidi overrides and isolates; the set terminal_safe removes). A PDF
    font draws them as blank or box glyphs (and `pdfinfo` would pass an ESC in the title to the
    terminal), HTML does not allow them, and a bidi override would reorder what is shown.
    report.json, the signed data, keeps them: only what is drawn is cleaned."""
    return strip_controls(text)


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def local_time(iso: str) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def generated_date(report: Report) -> str:
    return datetime.fromisoformat(report.generated).strftime("%Y-%m-%d")


def cover_rows(report: Report) -> Rows:
    cl = report.checklist
    rows = [
        (t("report.field.inspection"), report.title),
        (t("report.field.inspection_id"), report.inspection_id),
        (t("report.field.team"), "、".join(report.team) or "—"),
        (t("report.field.inspectors"), "、".join(report.inspectors) or "—"),
        (t("report.field.date"), local_time(report.generated)),
        (t("report.field.checklist"), t("report.checklist_value", title=cl.title, id=cl.id,
                                        version=cl.version)),
        (t("report.field.checklist_hash"), cl.hash),
        (t("report.field.report_id"), report.report_id),
        (t("report.field.signer"), report.signer.name),
        (t("report.field.fingerprint"), report.signer.fingerprint),
        (t("report.field.history"), t("report.history_value", entries=report.history.entries,
                                      digest=report.history.digest)),
        (t("report.field.scope"), t("report.scope_value", sites=len(report.sites),
                                    records=sum(len(s.records) for s in report.sites))),
    ]
    return rows


def grade_text(site: ReportSite) -> str:
    if site.vetoed_by:
        return t("report.grade_vetoed", grade=site.grade or "", criteria="、".join(site.vetoed_by))
    return site.grade or t("report.grade_pending")


def summary_header() -> tuple[str, ...]:
    return (t("report.col.site"), t("report.col.kind"), t("report.col.group"),
            t("report.col.progress"), t("report.col.score"), t("report.col.grade"),
            t("report.col.problems"))


def summary_rows(report: Report) -> Rows:
    return [(s.name, s.kind, s.group, f"{s.scored}/{s.count}", f"{num(s.total)} / {num(s.max)}",
             grade_text(s), str(len(s.problems))) for s in report.sites]


def site_heading(site: ReportSite) -> str:
    return t("report.site_heading", name=site.name, kind=site.kind, group=site.group or "—")


def site_kpis(site: ReportSite) -> list[tuple[str, str]]:
    """The site's key figures, each (label, value), printed as a strip under its name."""
    return [(t("report.kpi.score"), f"{num(site.total)} / {num(site.max)}"),
            (t("report.kpi.grade"), grade_text(site)),
            (t("report.kpi.scored"), f"{site.scored} / {site.count}"),
            (t("report.kpi.problems"), str(len(site.problems))),
            (t("report.kpi.site_id"), site.site_id)]


def section_header() -> tuple[str, ...]:
    return (t("report.col.section"), t("report.col.title"), t("report.col.score"),
            t("report.col.max"), t("report.col.scored"))


def section_rows(site: ReportSite) -> Rows:
    return [(s.section_id, s.title, num(s.score), num(s.max), f"{s.scored}/{s.total}")
            for s in site.sections]


def problem_lines(site: ReportSite) -> list[tuple[str, str]]:
    """(problem, advice) per problem, the problem prefixed with its criterion and kind."""
    out = []
    for p in site.problems:
        text = p.text
        if p.kind == "target":
            text = t("report.problem_target", title=p.text, count=num(p.count),
                     min=num(p.target_min))
        elif p.kind == "veto":
            text = t("report.problem_veto", title=p.text)
        out.append((f"{p.criterion_id} {text}", p.advice))
    return out


def record_title(r: ReportRecord) -> str:
    return f"{r.criterion_id} {r.title}"


class Line(NamedTuple):
    label: str
    text: str
    alert: bool = False  # problems, vetoes, unmet targets, conflicts: printed in red


def record_lines(r: ReportRecord, conflicts: Sequence[ReportConflict] = ()) -> list[Line]:
    """The lines describing one record, empty ones left out; `conflicts` are the report's
    open conflicts (this record's are shown)."""
    score = (t("report.unscored", max=num(r.max)) if r.score is None
             else f"{num(r.score)} / {num(r.max)}")
    lines = [Line(t("report.label.score"), score + (f"，{t('report.veto_triggered')}"
                                                    if r.veto else ""), r.veto)]
    if r.methods:
        lines.append(Line(t("report.label.methods"), "、".join(r.methods)))
    if r.target is not None:
        status = t(f"report.target.{r.target_status}")
        period = f"/{r.target.period}" if r.target.period else ""
        lines.append(Line(t("report.label.count"), t(
            "report.count_value", count=num(r.count), min=r.target.min, unit=r.target.unit,
            period=period, status=status), r.target_status == "unmet"))
    if r.deductions:
        lines.append(Line(t("report.label.deductions"), "；".join(
            f"{d.reason}（−{num(d.points)}）" for d in r.deductions)))
    for label, text in (("problems", r.problems), ("advice", r.advice), ("notes", r.notes)):
        if text.strip():
            lines.append(Line(t(f"report.label.{label}"), text.strip(), label == "problems"))
    lines += [Line(t("report.label.evidence"), f"{ev.caption or ev.name}，SHA-256 "
                   f"{ev.sha256[:16]}…") for ev in r.evidence]
    lines += [Line(t("report.label.conflict"), t("report.conflict_value", field=c.field, values=(
        "；".join(f"{v.value}（{v.author}）" for v in c.values))), True)
        for c in conflicts if c.record_id == r.record_id]
    meta = (t("report.record_meta", id=r.record_id, who=r.updated_by or "—",
              when=local_time(r.updated_at), changes=r.changes) if r.changes
            else t("report.record_untouched", id=r.record_id))
    lines.append(Line(t("report.label.record"), meta))
    return lines


def evidence_header() -> tuple[str, ...]:
    return (t("report.col.criterion"), t("report.col.file"), t("report.col.size"),
            t("report.col.sha256"))


def evidence_rows(site: ReportSite) -> Rows:
    return [(r.criterion_id, ev.name + (f"（{ev.caption}）" if ev.caption else ""),
             f"{ev.size:,}", ev.sha256) for r in site.records for ev in r.evidence]


def conflict_rows(conflicts: tuple[ReportConflict, ...],
                  names: dict[str, str]) -> Rows:
    return [(names.get(c.site_id, c.site_id), c.criterion_id, c.field,
             "；".join(f"{v.value}（{v.author}）" for v in c.values), c.record_id)
            for c in conflicts]


def conflict_header() -> tuple[str, ...]:
    return (t("report.col.site"), t("report.col.criterion"), t("report.col.field"),
            t("report.col.values"), t("report.col.record"))


def footer(report: Report, page: int | None = None) -> str:
    if page is None:
        return t("report.footer_plain", report_id=report.report_id,
                 fingerprint=report.signer.fingerprint)
    return t("report.footer", report_id=report.report_id, page=page)


def verify_howto(report: Report) -> str:
    return t("report.howto", signer=report.signer.name)
