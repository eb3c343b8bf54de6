"""通报 draft: how the inspection went, the sites commended, the problems many sites share
(counted across sites), the sites named for falling below 合格 or for a veto ("对措施不力、工作
不到位、目标未完成的单位，予以通报", seed 004 三(三)), and what comes next."""

from __future__ import annotations

from collections import Counter, defaultdict

from inspect_tui.core.documents.inputs import (
    DocInputs,
    below_pass,
    iso_to_chinese,
    num,
    standing,
)
from inspect_tui.core.documents.model import (
    Block,
    Distribution,
    Document,
    Heading,
    IssuerMark,
    Paragraph,
    Title,
)
from inspect_tui.core.documents.parts import addressee, closing, cn_number, issuer, nested
from inspect_tui.core.i18n import t
from inspect_tui.core.ranking import by_kind
from inspect_tui.core.records import SiteKind

KIND = "bulletin"
KIND_ORDER = tuple(k.value for k in SiteKind)
TOP = 3  # sites commended per type, at most
COMMON_MIN = 2  # a problem found at this many sites or more is a common problem
COMMON_MAX = 5


def _recipients(inputs: DocInputs) -> str:
    kinds = [k for k in KIND_ORDER if any(s.site.kind == k for s in inputs.sites)]
    return "、".join(t(f"doc.bl.to.{SiteKind(k).name.lower()}") for k in kinds)


def commended(inputs: DocInputs) -> list[str]:
    """Per type, the first TOP ranked sites in the top grade band (never a vetoed one)."""
    top_band = max(inputs.checklist.grades, key=lambda b: b.min).name
    names = []
    for r in by_kind([standing(s) for s in inputs.sites], KIND_ORDER):
        names += [x.site.name for x in r.ranked
                  if x.rank <= TOP and x.site.grade == top_band and not x.site.vetoed]
    return names


def named(inputs: DocInputs) -> list[str]:
    """Sites below 合格 or with a veto, each with its score and why."""
    out = []
    for s in inputs.sites:
        r = s.result
        if r.vetoed_by:
            titles = "、".join(nested(inputs.checklist.criterion(c).title) for c in r.vetoed_by)
            out.append(t("doc.bl.named_veto", site=s.site.name, why=titles))
        elif s.finished and below_pass(inputs.checklist.grades, r.grade):
            out.append(t("doc.bl.named_low", site=s.site.name, total=num(r.total),
                         grade=r.grade or ""))
    return out


def common_problems(inputs: DocInputs) -> list[tuple[str, list[str]]]:
    """(criterion title, sites) for criteria with problems at COMMON_MIN sites or more."""
    where: dict[str, list[str]] = defaultdict(list)
    for s in inputs.sites:
        for cid in dict.fromkeys(p.criterion_id for p in s.problems):
            where[cid].append(s.site.name)
    counted = Counter({cid: len(sites) for cid, sites in where.items()})
    return [(inputs.checklist.criterion(cid).title, where[cid])
            for cid, n in counted.most_common() if n >= COMMON_MIN
            and inputs.checklist.has_criterion(cid)][:COMMON_MAX]


def _overview(inputs: DocInputs) -> list[Block]:
    done = [s for s in inputs.sites if s.finished]
    grades = Counter(s.result.grade for s in done)
    bands = sorted(inputs.checklist.grades, key=lambda b: -b.min)
    spread = "，".join(t("doc.bl.grade_count", grade=b.name, n=grades[b.name])
                      for b in bands if grades[b.name])
    days = sorted(s.visit.date for s in inputs.sites if s.visit and s.visit.date)
    groups = sorted({s.site.group for s in inputs.sites if s.site.group})
    out: list[Block] = [Paragraph(t(
        "doc.bl.intro", issuer=issuer(inputs), inspection=inputs.settings.title,
        when=t("doc.bl.when", first=iso_to_chinese(days[0]), last=iso_to_chinese(days[-1]))
        if days else "",
        groups=len(groups) or 1, sites=len(inputs.sites)))]
    out.append(Heading(t("doc.bl.h.overview"), 1))
    text = t("doc.bl.overview", done=len(done), spread=spread or "-")
    unfinished = len(inputs.sites) - len(done)
    if unfinished:
        text += t("doc.bl.unfinished", n=unfinished)
    out.append(Paragraph(text))
    return out


def build(inputs: DocInputs) -> Document:
    title = t("doc.bl.title", inspection=inputs.settings.title)
    blocks: list[Block] = [IssuerMark(issuer(inputs), inputs.settings.doc_number), Title(title),
                           addressee(_recipients(inputs)), *_overview(inputs)]
    blocks.append(Heading(t("doc.bl.h.commend"), 1))
    best = commended(inputs)
    blocks.append(Paragraph(t("doc.bl.commend", sites="、".join(best)) if best
                            else t("doc.bl.commend_none")))
    blocks.append(Heading(t("doc.bl.h.problems"), 1))
    common = common_problems(inputs)
    if not common:
        blocks.append(Paragraph(t("doc.bl.problems_none")))
    for i, (what, sites) in enumerate(common, 1):
        blocks.append(Paragraph(t("doc.bl.problem", i=cn_number(i), what=nested(what),
                                  n=len(sites),
                                  sites="、".join(sites))))
    blocks.append(Heading(t("doc.bl.h.named"), 1))
    low = named(inputs)
    blocks.append(Paragraph(t("doc.bl.named", sites="；".join(low)) if low
                            else t("doc.bl.named_none")))
    blocks += [Heading(t("doc.bl.h.next"), 1), Paragraph(t("doc.bl.next1")),
               Paragraph(t("doc.bl.next2", issuer=issuer(inputs))), closing(inputs),
               Distribution(printed_by=issuer(inputs),
                            printed_on=t("doc.printed", day=inputs.settings.day_text))]
    return Document(KIND, t("doc.name.bulletin"), title, tuple(blocks))
