"""The words of the reworked report's new parts, shared by the PDF and the HTML: the letterhead
and the conclusion on the cover, visit details, unscored criteria, the signature block and the
verification appendix. (The scoring words are export.view's.)"""

from __future__ import annotations

from datetime import datetime

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Report, ReportRecord, ReportSite
from inspect_tui.core.report_conclusion import Conclusion, conclude, not_inspected
from inspect_tui.core.report_cover import Letterhead, chinese_date
from inspect_tui.core.visit import Visit
from inspect_tui.export.view import Rows, grade_text, num, score_text

SEP = t("report.layout.list_sep")


def has_qr(record: ReportRecord) -> bool:
    """Only a record with a decision (a score, or 不适用) is printed with its signed QR code."""
    return record.score is not None or record.not_applicable


def doc_date(report: Report, head: Letterhead) -> str:
    day = head.doc_date or datetime.fromisoformat(report.generated).date().isoformat()
    return chinese_date(day)


def _names(sites: tuple[ReportSite, ...]) -> str:
    return SEP.join(s.name for s in sites)


def overall(c: Conclusion) -> str:
    text = t("report.layout.overall", sites=c.sites, finished=len(c.finished),
             partial=len(c.partial), missing=len(c.not_inspected))
    if c.mean is not None:
        grades = SEP.join(t("report.layout.grade_count", grade=g, count=n) for g, n in c.grades)
        text += t("report.layout.overall_mean", mean=num(c.mean), grades=grades or "—")
    if c.best:
        text += t("report.layout.overall_best", sites=SEP.join(
            f"{s.name}（{num(s.total)}）" for s in c.best))
    return text


def issues(c: Conclusion) -> str:
    if not c.problems:
        text = t("report.layout.no_issues")
    else:
        text = t("report.layout.issues", problems=c.problems, sites=c.problem_sites)
        if c.areas:
            text += t("report.layout.issue_areas", areas=SEP.join(t(
                "report.layout.issue_area", section=a.section, problems=a.problems,
                sites=a.sites) for a in c.areas))
    if c.failing:
        text += t("report.layout.failing", sites=_names(c.failing))
    return text


def advice(c: Conclusion) -> list[str]:
    out = []
    if c.not_inspected:
        out.append(t("report.layout.advise_visit", sites=_names(c.not_inspected)))
    if c.partial:
        out.append(t("report.layout.advise_finish", sites=_names(c.partial)))
    if c.problems:
        out.append(t("report.layout.advise_rectify", sites=c.problem_sites,
                     problems=c.problems))
    if c.areas:
        out.append(t("report.layout.advise_area", section=c.areas[0].section))
    if c.failing:
        out.append(t("report.layout.advise_failing", sites=_names(c.failing)))
    return out or [t("report.layout.advise_keep")]


def conclusion(report: Report) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) for 总体评价, 存在问题, 下一步建议 — numbered as a document does."""
    c = conclude(report)
    tips = [f"{n}. {text}" for n, text in enumerate(advice(c), start=1)]
    return [(t("report.layout.h_overall"), [overall(c)]),
            (t("report.layout.h_issues"), [issues(c)]),
            (t("report.layout.h_advice"), tips)]


def summary_rows(report: Report) -> Rows:
    """The summary table; a site never visited says 未检查 instead of 0 points."""
    missing = t("report.layout.not_inspected")
    return [(s.name, s.kind, s.group, f"{s.scored}/{s.count}",
             missing if not_inspected(s) else score_text(s),
             missing if not_inspected(s) else grade_text(s),
             "—" if not_inspected(s) else str(len(s.problems))) for s in report.sites]


def visit_rows(visit: Visit | None) -> list[tuple[str, str]]:
    v = visit or Visit()
    contact = "　".join(x for x in (v.contact, v.contact_phone) if x)
    rows = [(t("report.layout.visit_date"), chinese_date(v.date) if v.date else "—"),
            (t("report.layout.visit_inspectors"), SEP.join(v.inspectors) or "—"),
            (t("report.layout.visit_contact"), contact or "—")]
    if v.notes.strip():
        rows.append((t("report.layout.visit_notes"), v.notes.strip()))
    return rows


def printed_in_full(record: ReportRecord) -> bool:
    """Scored, or unscored with something written (a note, a problem): never left out."""
    return has_qr(record) or record.changes > 0


def unscored_header() -> tuple[str, ...]:
    return (t("report.col.criterion"), t("report.col.title"), t("report.col.max"))


def unscored_rows(site: ReportSite) -> Rows:
    return [(r.criterion_id, r.title, num(r.max)) for r in site.records if not has_qr(r)]


def unvisited_header() -> tuple[str, ...]:
    return (t("report.col.site"), t("report.col.kind"), t("report.col.group"),
            t("report.layout.col_criteria"), t("report.layout.col_status"))


def unvisited_rows(report: Report) -> Rows:
    return [(s.name, s.kind, s.group or "—", str(s.count), t("report.layout.not_inspected"))
            for s in report.sites if not_inspected(s)]


def signature_lines(site: ReportSite) -> list[str]:
    return [t("report.layout.sign_inspectors"), t("report.layout.sign_unit", site=site.name),
            t("report.layout.sign_date")]


def appendix_rows(report: Report) -> list[tuple[str, str]]:
    cl = report.checklist
    return [
        (t("report.field.report_id"), report.report_id),
        (t("report.field.signer"), report.signer.name),
        (t("report.field.fingerprint"), report.signer.fingerprint),
        (t("report.layout.key_id"), report.signer.key_id),
        (t("report.field.date"), report.generated),
        (t("report.field.checklist"), t("report.checklist_value", title=cl.title, id=cl.id,
                                        version=cl.version)),
        (t("report.field.checklist_hash"), cl.hash),
        (t("report.field.history"), t("report.history_value", entries=report.history.entries,
                                      digest=report.history.digest)),
        (t("report.field.inspection_id"), report.inspection_id),
        (t("report.field.team"), SEP.join(report.team) or "—"),
        (t("report.field.inspectors"), SEP.join(report.inspectors) or "—"),
        (t("report.field.scope"), t("report.scope_value", sites=len(report.sites),
                                    records=sum(len(s.records) for s in report.sites))),
        (t("report.layout.qr_count"), str(sum(has_qr(r) for _, r in report.records()))),
    ]


def evidence_names(site: ReportSite) -> Rows:
    return [(r.criterion_id, ev.name + (f"（{ev.caption}）" if ev.caption else ""),
             f"{ev.size:,}") for r in site.records for ev in r.evidence]


def evidence_digests(report: Report) -> Rows:
    return [(s.name, r.criterion_id, ev.name, ev.sha256)
            for s in report.sites for r in s.records for ev in r.evidence]
