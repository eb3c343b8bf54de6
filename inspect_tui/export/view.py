"""The words and numbers of a report, shared by the PDF and the HTML (so they say the same).

Every function turns part of the report model into localised strings (report.* messages); the
renderers only lay them out. The scoring (report.scoring.*) is shown as the report states it:
the table each site used, 基础分, 不适用 with reasons, 折算 and its rule, 加分, 总分; per record
each lost point with its reason, count and cap, and 自评得分 beside the inspector's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from inspect_tui.core.i18n import t
from inspect_tui.core.report import Loss, Report, ReportConflict, ReportRecord, ReportSite
from inspect_tui.core.scoring_rules import RULES_V1
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


class Line(NamedTuple):
    label: str
    text: str
    alert: bool = False  # problems, vetoes, unmet targets, conflicts: printed in red


def grade_text(site: ReportSite) -> str:
    if site.vetoed_by:
        return t("report.grade_vetoed", grade=site.grade or "", criteria="、".join(site.vetoed_by))
    if site.grade is None and site.unexplained and site.scored == site.count:
        return t("report.scoring.grade_unexplained")
    return site.grade or t("report.grade_pending")


def score_text(site: ReportSite) -> str:
    """总分 / 满分, marked when it was converted (折算; the site's page says from what)."""
    text = f"{num(site.total)} / {num(site.max)}"
    if site.conversion != "none":
        text += t("report.scoring.summary_converted")
    return text


def summary_header() -> tuple[str, ...]:
    return (t("report.col.site"), t("report.col.kind"), t("report.col.group"),
            t("report.col.progress"), t("report.col.score"), t("report.col.grade"),
            t("report.col.problems"))


def summary_rows(report: Report) -> Rows:
    return [(s.name, s.kind, s.group, f"{s.scored}/{s.count}", score_text(s), grade_text(s),
             str(len(s.problems))) for s in report.sites]


def site_heading(site: ReportSite) -> str:
    return t("report.scoring.site_heading", kind=site.kind, group=site.group or "—",
             site_id=site.site_id)


def site_kpis(site: ReportSite) -> list[tuple[str, str]]:
    """The site's key figures, each (label, value), printed as a strip under its name."""
    figures = [(t("report.scoring.kpi.total"), f"{num(site.total)} / {num(site.max)}"),
               (t("report.kpi.grade"), grade_text(site)),
               (t("report.scoring.kpi.base"), f"{num(site.base)} / {num(site.base_max)}")]
    if site.bonus_cap is not None or site.bonus:
        figures.append((t("report.scoring.kpi.bonus"), num(site.bonus)))
    return [*figures, (t("report.kpi.scored"), f"{site.scored} / {site.count}"),
            (t("report.kpi.problems"), str(len(site.problems)))]


def scoring_lines(site: ReportSite) -> list[Line]:
    """计分说明: the table used, 基础分, 折算 and its rule, 加分, 总分, what was 不适用 and
    why, points lost without a reason, and what triggered a veto."""
    table = site.table
    lines = [Line(t("report.scoring.label.table"), t(
        "report.scoring.table_value", title=table.title, criteria=table.criteria,
        kind=table.kind or t("report.scoring.all_kinds"), rules=table.rules))]
    base = t("report.scoring.base_value", base=num(site.base), base_max=num(site.base_max))
    if site.not_applicable:
        base += t("report.scoring.base_na", count=len(site.not_applicable))
    lines.append(Line(t("report.scoring.label.base"), base))
    if site.conversion != "none":
        lines.append(Line(t("report.scoring.label.converted"), t(
            "report.scoring.converted_value", base=num(site.base), base_max=num(site.base_max),
            total=num(site.max), converted=num(site.converted), rule=site.conversion)))
    has_bonus = site.bonus_cap is not None or bool(site.bonus)
    if has_bonus:
        lines.append(Line(t("report.scoring.label.bonus"), t(
            "report.scoring.bonus_value", bonus=num(site.bonus), cap=num(site.bonus_cap))
            if site.bonus_cap is not None else t("report.scoring.bonus_uncapped",
                                                 bonus=num(site.bonus))))
    total = (t("report.scoring.total_with_bonus", score=num(site.converted),
               bonus=num(site.bonus), total=num(site.total), max=num(site.max)) if site.bonus
             else t("report.scoring.total_plain", total=num(site.total), max=num(site.max)))
    lines.append(Line(t("report.scoring.label.total"), total))
    lines += [Line(t("report.scoring.label.na"), t(
        "report.scoring.na_item", criterion=n.criterion_id, title=n.title, reason=n.reason))
        for n in site.not_applicable]
    titles = {r.criterion_id: r.title for r in site.records}
    lines += [Line(t("report.scoring.label.unexplained"), t(
        "report.scoring.unexplained_item", criterion=cid, title=titles.get(cid, "")), True)
        for cid in site.unexplained]
    lines += [Line(t("report.scoring.label.veto"), t(
        "report.scoring.veto_item", criterion=v.criterion_id, title=v.title,
        why="；".join(v.why)), True) for v in site.vetoes]
    return lines


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


def _score_lines(r: ReportRecord) -> list[Line]:
    """得分 (or 不适用 and why, or 加分), with 自评得分 beside it."""
    label = t("report.label.score")
    if r.not_applicable:
        return [Line(label, t("report.scoring.na_score")),
                Line(t("report.scoring.label.na_reason"), r.na_reason.strip())]
    if r.bonus:
        score = (t("report.scoring.bonus_none", max=num(r.max)) if r.score is None
                 else t("report.scoring.bonus_score", score=num(r.score), max=num(r.max)))
    else:
        score = (t("report.unscored", max=num(r.max)) if r.score is None
                 else f"{num(r.score)} / {num(r.max)}")
    if r.veto:
        score += f"，{t('report.veto_triggered')}"
    if r.self_points is not None:
        score += t("report.scoring.self", points=num(r.self_points))
    return [Line(label, score, r.veto)]


def _loss_line(r: ReportRecord, loss: Loss, rules: str) -> Line:
    """One lost (or, on a 加分项, gained) amount and why: the rule with its count and cap, or
    the reason written for a typed score."""
    if loss.typed:
        if loss.reason.strip():
            return Line(t("report.scoring.label.reason"), t(
                "report.scoring.typed_loss", points=num(loss.points), reason=loss.reason.strip()))
        key = ("report.scoring.typed_no_reason_v1" if rules == RULES_V1
               else "report.scoring.typed_unexplained")
        return Line(t("report.scoring.label.loss"), t(key, points=num(loss.points)),
                    r.unexplained)
    sign = "gain" if r.bonus else "loss"
    shape = "capped" if loss.capped else "times" if loss.times > 1 else "once"
    return Line(t(f"report.scoring.label.{sign}"), t(
        f"report.scoring.{sign}_{shape}", points=num(loss.points), reason=loss.reason,
        times=loss.times, each=num(loss.each), raw=num(round(loss.times * loss.each, 4))))


def record_lines(r: ReportRecord, conflicts: Sequence[ReportConflict] = (),
                 rules: str = "") -> list[Line]:
    """The lines describing one record, empty ones left out; `conflicts` are the report's
    open conflicts (this record's are shown), `rules` the report's scoring rules."""
    lines = _score_lines(r)
    if r.methods:
        lines.append(Line(t("report.label.methods"), "、".join(r.methods)))
    if r.target is not None and not (r.not_applicable and r.count is None):
        status = t(f"report.target.{r.target_status}")
        period = f"/{r.target.period}" if r.target.period else ""
        lines.append(Line(t("report.label.count"), t(
            "report.count_value", count=num(r.count), min=r.target.min, unit=r.target.unit,
            period=period, status=status), r.target_status == "unmet"))
    lines += [_loss_line(r, loss, rules) for loss in r.losses]
    counted = {loss.reason for loss in r.losses if not loss.typed}
    unused = list(dict.fromkeys(  # ticked, yet not in the score: a typed score won, say
        f"{d.reason}（{'+' if r.bonus else '−'}{num(d.points)}）" for d in r.deductions
        if d.reason not in counted))
    if unused:
        lines.append(Line(t("report.scoring.label.unused"), t(
            "report.scoring.unused_typed" if r.points is not None else "report.scoring.unused",
            rules="；".join(unused))))
    if r.zeroed:
        lines.append(Line(t("report.scoring.label.loss"), t("report.scoring.zeroed")))
    if r.capped:
        lines.append(Line(t(f"report.scoring.label.{'gain' if r.bonus else 'loss'}"), t(
            "report.scoring.bonus_capped" if r.bonus else "report.scoring.criterion_capped",
            lost=num(r.lost), score=num(r.score))))
    if r.full_marks_with_target_unmet:
        lines.append(Line(t("report.scoring.label.warning"),
                          t("report.scoring.target_unmet_full"), True))
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
