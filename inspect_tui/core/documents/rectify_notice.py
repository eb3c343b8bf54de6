"""整改通知书: one site's problems as a list to fix, each with its requirement, owner and
整改时限; the unit reports back in writing and a 复查 follows."""

from __future__ import annotations

from inspect_tui.core.documents.inputs import DocInputs, SiteDoc
from inspect_tui.core.documents.model import Block, Document, Paragraph, Table, Title
from inspect_tui.core.documents.parts import (
    addressee,
    closing,
    deadline_text,
    header,
    issuer,
    owner_text,
    problem_text,
    visit_day,
)
from inspect_tui.core.i18n import t

KIND = "rectify"


def build(inputs: DocInputs, s: SiteDoc) -> Document:
    rows = tuple(
        (str(i), problem_text(inputs.checklist, p), p.advice or t("doc.rn.fix_default"),
         owner_text(p, s.site.name), deadline_text(p))
        for i, p in enumerate(s.problems, 1))
    blocks: list[Block] = [
        Title(t("doc.rn.title")),
        addressee(s.site.name),
        Paragraph(t("doc.rn.intro", day=visit_day(s), inspection=inputs.settings.title,
                    count=len(s.problems))),
    ]
    if rows:
        blocks.append(Table(header(t("doc.rn.h.no"), t("doc.rn.h.problem"), t("doc.rn.h.fix"),
                                   t("doc.rn.h.owner"), t("doc.rn.h.deadline")),
                            rows, (0.6, 4.0, 3.6, 1.8, 1.6), numeric=(0, 4)))
    else:
        blocks.append(Paragraph(t("doc.rn.none")))
    blocks += [Paragraph(t("doc.rn.require", issuer=issuer(inputs))), closing(inputs)]
    return Document(KIND, f"{t('doc.name.rectify')}-{s.site.name}", t("doc.rn.title"),
                    tuple(blocks))
