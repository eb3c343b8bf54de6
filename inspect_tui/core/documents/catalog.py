"""Which documents there are, and building a chosen set of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from inspect_tui.core.documents import (
    bulletin,
    feedback,
    record_sheet,
    rectify_notice,
    rectify_summary,
    summary_table,
)
from inspect_tui.core.documents.inputs import DocInputs, SiteDoc
from inspect_tui.core.documents.model import Document

PerSite = Callable[[DocInputs, SiteDoc], Document]
Whole = Callable[[DocInputs], Document]

PER_SITE: dict[str, PerSite] = {
    record_sheet.KIND: record_sheet.build,
    feedback.KIND: feedback.build,
    rectify_notice.KIND: rectify_notice.build,
}
WHOLE: dict[str, Whole] = {
    rectify_summary.KIND: rectify_summary.build,
    summary_table.KIND: summary_table.build,
    bulletin.KIND: bulletin.build,
}
KINDS = (*PER_SITE, *WHOLE)


def planned(inputs: DocInputs, kinds: Sequence[str],
            every_site: bool = False) -> list[tuple[str, SiteDoc | None]]:
    """(kind, site) for each document to build, in KINDS order. A per-site document is made
    for each site visited (something scored), or for every site given when `every_site` (a
    blank 检查记录表 to take along); a 整改通知书 only for a site with problems."""
    out: list[tuple[str, SiteDoc | None]] = []
    for kind in (k for k in KINDS if k in kinds):
        if kind in WHOLE:
            out.append((kind, None))
            continue
        for s in inputs.sites:
            blank = every_site and kind == record_sheet.KIND
            if (s.started or blank) and (kind != rectify_notice.KIND or s.problems):
                out.append((kind, s))
    return out


def build(inputs: DocInputs, kind: str, site: SiteDoc | None) -> Document:
    if site is None:
        return WHOLE[kind](inputs)
    return PER_SITE[kind](inputs, site)
