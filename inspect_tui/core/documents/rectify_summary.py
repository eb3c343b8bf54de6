"""整改情况汇总: every problem of every site with its status, 复查 and whether it is overdue,
and the counts per status."""

from __future__ import annotations

from inspect_tui.core.documents.inputs import DocInputs, iso_to_chinese
from inspect_tui.core.documents.model import Block, Document, Paragraph, Table, Title
from inspect_tui.core.documents.parts import (
    closing,
    deadline_text,
    header,
    owner_text,
    problem_text,
)
from inspect_tui.core.i18n import t
from inspect_tui.core.rectification import is_overdue, status_counts

KIND = "rectify-summary"


def build(inputs: DocInputs) -> Document:
    items = [(s, p) for s in inputs.sites for p in s.problems]
    overdue = sum(1 for _, p in items if is_overdue(p, inputs.today))
    counts = status_counts(p for _, p in items)
    summary = "，".join(t("doc.rs.count", status=status.value, n=n)
                       for status, n in counts.items() if n)
    rows = []
    for i, (s, p) in enumerate(items, 1):
        recheck = "，".join(x for x in (iso_to_chinese(p.recheck_date), p.recheck_by,
                                       p.recheck_note) if x)
        rows.append((str(i), s.site.name, problem_text(inputs.checklist, p),
                     owner_text(p, s.site.name), deadline_text(p),
                     p.status.value, recheck,
                     t("doc.rs.overdue") if is_overdue(p, inputs.today) else ""))
    blocks: list[Block] = [
        Title(t("doc.rs.title", inspection=inputs.settings.title)),
        Paragraph(t("doc.rs.intro", sites=len({s.site.site_id for s, _ in items}),
                    count=len(items), summary=summary or "-", overdue=overdue,
                    today=iso_to_chinese(inputs.today.isoformat()))),
    ]
    if rows:
        blocks.append(Table(
            header(t("doc.rn.h.no"), t("doc.f.site"), t("doc.rn.h.problem"), t("doc.rn.h.owner"),
                   t("doc.rn.h.deadline"), t("doc.rs.h.status"), t("doc.rs.h.recheck"),
                   t("doc.rs.h.overdue")),
            tuple(rows), (0.5, 1.4, 3.6, 1.4, 1.4, 1.1, 2.0, 0.7), numeric=(0, 5, 7)))
    else:
        blocks.append(Paragraph(t("doc.rs.none")))
    blocks.append(closing(inputs, seal=False))
    return Document(KIND, t("doc.name.rectify_summary"), t("doc.rs.title",
                    inspection=inputs.settings.title), tuple(blocks))
