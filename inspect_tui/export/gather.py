"""Collect a report's plain data from an open inspection, and re-check its evidence files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from inspect_tui.core.records import Site
from inspect_tui.core.report import Signer
from inspect_tui.core.report_build import ReportInputs, SiteData
from inspect_tui.core.report_cover import Letterhead
from inspect_tui.export.errors import EvidenceMissingError, ExportError
from inspect_tui.store.inspection import Inspection


def select_sites(insp: Inspection, wanted: Sequence[str]) -> list[Site]:
    """The sites named (by id or name, in the order given), or every site when none is named."""
    sites = insp.sites()
    if not wanted:
        return sites
    chosen: list[Site] = []
    for name in wanted:
        site = next((s for s in sites if name in (s.site_id, s.name)), None)
        if site is None:
            raise ExportError("export.no_such_site", site=name, inspection=insp.id,
                              known="、".join(s.name for s in sites) or "-")
        if site not in chosen:
            chosen.append(site)
    return chosen


def check_evidence(insp: Inspection, sites: Sequence[SiteData]) -> None:
    """Every evidence file still present and still hashing to its name, or a clear error."""
    for data in sites:
        for record in data.records.values():
            for ev in record.evidence:
                if not insp.evidence.verify(ev.sha256):
                    path = insp.evidence.path_of(ev.sha256)
                    key = "export.evidence_altered" if path.exists() else "export.evidence_missing"
                    raise EvidenceMissingError(key, path=str(path), name=ev.name,
                                               site=data.site.name, record=record.record_id,
                                               criterion=record.criterion_id)


def letterhead(insp: Inspection, sites: Sequence[Site]) -> Letterhead:
    """The issuing body, 文号, date and signatories (settings), and each site's visit."""
    return Letterhead(insp.setting("issuer"), insp.setting("doc_number"),
                      insp.setting("doc_date"), tuple(insp.setting("signatories")),
                      {s.site_id: insp.visit(s.site_id) for s in sites})


def report_inputs(insp: Inspection, sites: Sequence[Site], *, signer: Signer,
                  generated: datetime, allow_conflicts: bool) -> ReportInputs:
    data = [SiteData(s, insp.records(s.site_id), insp.result(s.site_id)) for s in sites]
    if not data:
        raise ExportError("export.no_sites", inspection=insp.id)
    check_evidence(insp, data)
    return ReportInputs(
        inspection_id=insp.id, title=insp.title, team=insp.team, checklist=insp.checklist,
        sites=data, entries=insp.all_entries(), signer=signer, generated=generated,
        allow_conflicts=allow_conflicts, letterhead=letterhead(insp, sites),
    )
