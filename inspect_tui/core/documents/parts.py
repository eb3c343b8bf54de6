"""Pieces several documents share: the site's facts table, why a criterion scored what it
did, the addressee line, the closing and problem wording."""

from __future__ import annotations

from typing import Any

from inspect_tui.core.checklist import Checklist
from inspect_tui.core.documents.inputs import (
    DocInputs,
    SiteDoc,
    iso_to_chinese,
    num,
)
from inspect_tui.core.documents.model import Align, Cell, Closing, Paragraph, Table
from inspect_tui.core.explain import criterion_explained
from inspect_tui.core.i18n import t
from inspect_tui.core.rectification import Problem

BLANK = "＿＿＿＿＿＿"  # a blank to fill in by hand when a setting is missing


def issuer(inputs: DocInputs) -> str:
    return inputs.settings.issuer or BLANK


def closing(inputs: DocInputs, seal: bool = True) -> Closing:
    return Closing(issuer(inputs), inputs.settings.day_text, seal)


def addressee(name: str) -> Paragraph:
    return Paragraph(f"{name}：", indent=False, align=Align.LEFT)


def score_line(s: SiteDoc) -> str:
    """总分 with grade, or how far an unfinished site got (never a 0 that looks like a score)."""
    r = s.result
    if r.vetoed_by:
        return t("doc.score.vetoed", total=num(r.total), grade=r.grade or "")
    if not s.finished:
        return t("doc.score.unfinished", scored=r.scored, count=r.count)
    return t("doc.score.done", total=num(r.total), max=num(r.max), grade=r.grade or "")


def visit_day(s: SiteDoc) -> str:
    return iso_to_chinese(s.visit.date) if s.visit and s.visit.date else BLANK


def facts_table(inputs: DocInputs, s: SiteDoc) -> Table:
    """The site's facts as a 4-column table (label, value, label, value)."""
    v = s.visit
    inspectors = "、".join(v.inspectors) if v and v.inspectors else ""
    contact = " ".join(x for x in (v.contact, v.contact_phone) if x) if v else ""
    rows = (
        (t("doc.f.site"), s.site.name, t("doc.f.kind"), s.site.kind),
        (t("doc.f.group"), s.site.group, t("doc.f.day"), visit_day(s)),
        (t("doc.f.inspectors"), inspectors, t("doc.f.contact"), contact),
        (t("doc.f.table"), inputs.checklist.title, t("doc.f.score"), score_line(s)),
    )
    return Table((), rows, (1.2, 2.6, 1.2, 2.6))


def criterion_reason(checklist: Checklist, s: SiteDoc, criterion_id: str) -> dict[str, Any]:
    """Score, reason text and methods of one criterion, from core.explain's one shape."""
    c = checklist.criterion(criterion_id)
    e = criterion_explained(c, s.records[criterion_id])
    parts: list[str] = []
    if e["not_applicable"]:
        score = t("doc.na")
        parts.append(t("doc.na_reason", reason=e["na_reason"]))
    elif e["score"] is None:
        score = t("doc.unscored")
    else:
        score = num(e["score"])
        for x in e["losses"]:
            times = t("doc.times", n=x["times"]) if x["times"] > 1 else ""
            key = "doc.bonus_item" if c.bonus else "doc.loss"
            parts.append(t(key, reason=x["reason"], points=num(x["points"]), times=times))
    target = e["target"]
    if target and target["count"] is not None:
        parts.append(t("doc.target", count=target["count"], min=target["min"],
                       unit=target["unit"]))
    if e["notes"]:
        parts.append(e["notes"])
    return {"score": score, "reason": "；".join(parts), "methods": "、".join(e["methods"]),
            "full": e["score"] is not None and not e["not_applicable"] and e["lost"] == 0
            and not c.bonus}


def problem_text(checklist: Checklist, p: Problem) -> str:
    title = checklist.criterion(p.criterion_id).title if checklist.has_criterion(
        p.criterion_id) else ""
    text = p.text.rstrip("。；;")
    return f"{text}（{title}）" if title and title != text else text


def deadline_text(p: Problem) -> str:
    return iso_to_chinese(p.deadline) if p.deadline else t("doc.deadline_default")


def owner_text(p: Problem, site_name: str) -> str:
    return "／".join(x for x in (p.owner_unit or site_name, p.owner_person) if x)


def nested(text: str) -> str:
    """Text to be put inside “…”: its own double quotes become single ones (‘…’)."""
    return text.replace("“", "‘").replace("”", "’")


def sentence(text: str) -> str:
    """Text ending as a sentence: "。" added unless it already ends in punctuation."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；.!?;" else text + "。"


def header(*labels: str) -> tuple[tuple[Cell, ...], ...]:
    return (tuple(Cell(x) for x in labels),)


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for （一） headings; up to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
