"""检查记录表: one site's visit as the inspectors sign it and the unit countersigns it —
every criterion with its score, the reason for each lost point, 不适用, methods, the evidence
logged and the problems found."""

from __future__ import annotations

from inspect_tui.core.documents.inputs import DocInputs, SiteDoc, num
from inspect_tui.core.documents.model import (
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    SignatureLine,
    Signatures,
    Table,
    Title,
)
from inspect_tui.core.documents.parts import (
    criterion_reason,
    facts_table,
    header,
    problem_text,
    sentence,
)
from inspect_tui.core.i18n import t

KIND = "record"


def _criteria_table(inputs: DocInputs, s: SiteDoc) -> Table:
    checklist = inputs.checklist
    head = (
        (Cell(t("doc.rec.h.item"), span=2), Cell(t("doc.rec.h.max"), rows=2),
         Cell(t("doc.rec.h.score"), rows=2), Cell(t("doc.rec.h.found"), span=2)),
        (Cell(t("doc.rec.h.no")), Cell(t("doc.rec.h.title")), Cell(t("doc.rec.h.reason")),
         Cell(t("doc.rec.h.methods"))),
    )
    subtotal = {x.section_id: x for x in s.result.sections}
    rows: list[tuple[str, ...]] = []
    strong: list[int] = []
    for section in checklist.sections:
        criteria = [c for c in section.criteria if c.applies(s.site.kind or None)]
        if not criteria:
            continue
        sub = subtotal.get(section.id)
        strong.append(len(rows))
        rows.append((section.id, section.title, num(sub.max) if sub else "",
                     num(sub.score) if sub else "", "", ""))
        for c in criteria:
            why = criterion_reason(checklist, s, c.id)
            max_text = t("doc.rec.bonus_max", max=num(c.max)) if c.bonus else num(c.max)
            rows.append((c.id, c.title, max_text, why["score"], why["reason"], why["methods"]))
    return Table(head, tuple(rows), (1.0, 3.0, 1.0, 1.0, 4.1, 1.8), numeric=(0, 2, 3),
                 strong=tuple(strong))


def _evidence(inputs: DocInputs, s: SiteDoc) -> list[Block]:
    rows = tuple((c.id, c.title, ev.name, ev.caption)
                 for c in inputs.checklist.criteria if c.id in s.records
                 for ev in s.records[c.id].evidence)
    if not rows:
        return [Paragraph(t("doc.rec.no_evidence"))]
    return [Table(header(t("doc.rec.h.no"), t("doc.rec.h.title"), t("doc.rec.h.file"),
                         t("doc.rec.h.caption")), rows, (0.7, 3.0, 3.0, 3.0), numeric=(0,))]


def _problems(inputs: DocInputs, s: SiteDoc) -> list[Block]:
    if not s.problems:
        return [Paragraph(t("doc.rec.no_problems"))]
    out: list[Block] = []
    for i, p in enumerate(s.problems, 1):
        advice = t("doc.advice", advice=sentence(p.advice)) if p.advice else ""
        out.append(Paragraph(f"{i}. {problem_text(inputs.checklist, p)}。{advice}"))
    return out


def build(inputs: DocInputs, s: SiteDoc) -> Document:
    v = s.visit
    blocks: list[Block] = [
        Title(t("doc.rec.title")),
        facts_table(inputs, s),
        Heading(t("doc.rec.criteria"), 1),
        _criteria_table(inputs, s),
        Heading(t("doc.rec.evidence"), 1),
        *_evidence(inputs, s),
        Heading(t("doc.rec.problems"), 1),
        *_problems(inputs, s),
    ]
    if v and v.notes:
        blocks += [Heading(t("doc.rec.notes"), 1), Paragraph(v.notes)]
    inspectors = "、".join(v.inspectors) if v and v.inspectors else ""
    contact = v.contact if v else ""
    blocks.append(Signatures((
        SignatureLine(t("doc.sign.inspectors"), inspectors),
        SignatureLine(t("doc.sign.unit"), contact),
        SignatureLine(t("doc.sign.date")),
    )))
    name = f"{t('doc.name.record')}-{s.site.name}"
    return Document(KIND, name, t("doc.rec.title"), tuple(blocks))
