"""反馈意见: what the group reads at the closing meeting (反馈会) — the result, what was done
well (sections and criteria with full marks, with what the inspectors saw), each problem with
its advice, and the 整改时限."""

from __future__ import annotations

from inspect_tui.core.documents.inputs import DocInputs, SiteDoc, num
from inspect_tui.core.documents.model import Block, Document, Heading, Paragraph, Title
from inspect_tui.core.documents.parts import (
    addressee,
    closing,
    cn_number,
    criterion_reason,
    deadline_text,
    issuer,
    nested,
    problem_text,
    score_line,
    sentence,
    visit_day,
)
from inspect_tui.core.i18n import t

KIND = "feedback"
MAX_DONE_WELL = 6  # points read out as done well; more becomes a list nobody hears


def _short(title: str) -> str:
    """A section title without its "乡镇街道：" prefix."""
    return title.split("：", 1)[-1]


def done_well(inputs: DocInputs, s: SiteDoc) -> list[str]:
    """Sections with full marks, then full-mark criteria with the inspectors' notes."""
    full = [x for x in s.result.sections if x.scored == x.total and x.score >= x.max > 0]
    out = [t("doc.fb.section_full", section=nested(_short(x.title))) for x in full]
    said = {x.section_id for x in full}
    for c in inputs.checklist.criteria_for(s.site.kind or None):
        if inputs.checklist.section_of(c.id).id in said:
            continue  # its section is already named as a whole
        why = criterion_reason(inputs.checklist, s, c.id)
        if why["full"]:
            note = s.records[c.id].notes.strip().rstrip("。")
            out.append(t("doc.fb.criterion_full", title=nested(c.title))
                       + (t("doc.fb.seen", note=note) if note else ""))
    return out[:MAX_DONE_WELL]


def build(inputs: DocInputs, s: SiteDoc) -> Document:
    title = t("doc.fb.title", site=s.site.name)
    blocks: list[Block] = [
        Title(title),
        addressee(s.site.name),
        Paragraph(t("doc.fb.intro", group=s.site.group or issuer(inputs), day=visit_day(s),
                    inspection=inputs.settings.title)),
        Heading(t("doc.fb.h.result"), 1),
        Paragraph(t("doc.fb.result", score=score_line(s))),
    ]
    if s.result.sections:
        parts = "；".join(f"{_short(x.title)}{num(x.score)}/{num(x.max)}"
                         for x in s.result.sections)
        blocks.append(Paragraph(t("doc.fb.sections", parts=parts)))
    blocks.append(Heading(t("doc.fb.h.well"), 1))
    well = done_well(inputs, s)
    blocks += [Paragraph(f"{i}. {x}。") for i, x in enumerate(well, 1)] or [
        Paragraph(t("doc.fb.none_well"))]
    blocks.append(Heading(t("doc.fb.h.problems"), 1))
    if not s.problems:
        blocks.append(Paragraph(t("doc.fb.no_problems")))
    for i, p in enumerate(s.problems, 1):
        blocks.append(Heading(f"（{cn_number(i)}）{problem_text(inputs.checklist, p)}", 2))
        if p.advice:
            blocks.append(Paragraph(t("doc.advice", advice=sentence(p.advice))))
        blocks.append(Paragraph(t("doc.fb.deadline", deadline=deadline_text(p))))
    blocks += [Heading(t("doc.fb.h.next"), 1),
               Paragraph(t("doc.fb.next", issuer=issuer(inputs))), closing(inputs, seal=False)]
    return Document(KIND, f"{t('doc.name.feedback')}-{s.site.name}", title, tuple(blocks))

