"""汇总表: the sites ranked within their type (and per 检查组), with total, grade and problem
counts; unfinished sites listed apart, never ranked."""

from __future__ import annotations

from inspect_tui.core.documents.inputs import DocInputs, num, standing
from inspect_tui.core.documents.model import (
    Block,
    Document,
    Heading,
    Paragraph,
    SignatureLine,
    Signatures,
    Table,
    Title,
)
from inspect_tui.core.documents.parts import closing, cn_number, header
from inspect_tui.core.i18n import t
from inspect_tui.core.ranking import Ranking, SiteStanding, by_group, by_kind
from inspect_tui.core.records import SiteKind

KIND = "summary"
KIND_ORDER = tuple(k.value for k in SiteKind)


def _remark(s: SiteStanding, tied: bool) -> str:
    notes = [t("doc.st.vetoed")] if s.vetoed else []
    return "；".join(notes + ([t("doc.st.tied")] if tied else []))


def _ranked_table(r: Ranking, with_group: bool) -> Table:
    rows = tuple(
        (str(x.rank), x.site.name, *((x.site.group,) if with_group else ()), num(x.site.total),
         x.site.grade or "", str(x.site.problems), str(x.site.open_problems),
         _remark(x.site, x.tied))
        for x in r.ranked)
    labels = [t("doc.st.h.rank"), t("doc.f.site"), *([t("doc.f.group")] if with_group else []),
              t("doc.st.h.total"), t("doc.st.h.grade"), t("doc.st.h.problems"),
              t("doc.st.h.open"), t("doc.st.h.remark")]
    widths = (0.9, 2.6, *((1.6,) if with_group else ()), 1.0, 0.9, 1.0, 1.0, 1.4)
    n = len(labels)
    return Table(header(*labels), rows, widths, numeric=(0, n - 5, n - 4, n - 3, n - 2))


def _unfinished(sites: tuple[SiteStanding, ...]) -> list[Block]:
    if not sites:
        return []
    rows = tuple((s.name, s.group, t("doc.st.progress", scored=s.scored, count=s.count),
                  str(s.problems)) for s in sites)
    return [Paragraph(t("doc.st.unfinished_lead", count=len(sites))),
            Table(header(t("doc.f.site"), t("doc.f.group"), t("doc.st.h.progress"),
                         t("doc.st.h.problems")), rows, (2.6, 1.6, 1.6, 1.0), numeric=(2, 3))]


def build(inputs: DocInputs) -> Document:
    standings = [standing(s) for s in inputs.sites]
    title = t("doc.st.title", inspection=inputs.settings.title)
    blocks: list[Block] = [Title(title), Paragraph(t("doc.st.rules"))]
    for i, r in enumerate(by_kind(standings, KIND_ORDER), 1):
        blocks += [Heading(f"{cn_number(i)}、{r.kind}", 1), _ranked_table(r, True),
                   *_unfinished(r.unfinished)]
    groups = by_group(standings, KIND_ORDER)
    if groups:
        n = len(by_kind(standings, KIND_ORDER)) + 1
        blocks.append(Heading(f"{cn_number(n)}、{t('doc.st.by_group')}", 1))
        for j, r in enumerate(groups, 1):
            blocks.append(Heading(f"（{cn_number(j)}）{r.group} {r.kind}", 2))
            blocks.append(_ranked_table(r, False) if r.ranked
                          else Paragraph(t("doc.st.none_ranked")))
            blocks += _unfinished(r.unfinished)
    signatories = "、".join(inputs.settings.signatories)
    blocks += [Signatures((SignatureLine(t("doc.sign.lead"), signatories),
                           SignatureLine(t("doc.sign.date")))), closing(inputs, seal=False)]
    return Document(KIND, t("doc.name.summary"), title, tuple(blocks))
