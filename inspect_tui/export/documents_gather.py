"""Collect the documents' plain data from an open inspection (call it where the inspection
is owned; the result is a snapshot a worker thread may render)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inspect_tui.core.documents.inputs import DocInputs, Settings, SiteDoc
from inspect_tui.core.errors import InspectError
from inspect_tui.export.gather import select_sites
from inspect_tui.store.inspection import Inspection


def doc_day(insp: Inspection, today: date) -> date:
    """成文日期: the doc_date setting, or today when it is empty."""
    text = insp.setting("doc_date")
    if not text:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InspectError("doc.bad_doc_date", value=text, inspection=insp.id) from None


def document_inputs(insp: Inspection, wanted: Sequence[str] = (),
                    today: date | None = None) -> DocInputs:
    today = today or date.today()
    settings = Settings(insp.id, insp.title, insp.setting("issuer"), insp.setting("doc_number"),
                        doc_day(insp, today), tuple(insp.setting("signatories")),
                        tuple(insp.team))
    ledger = insp.problems()
    sites = tuple(
        SiteDoc(s, insp.records(s.site_id), insp.result(s.site_id), insp.visit(s.site_id),
                tuple(p for p in ledger if p.site_id == s.site_id))
        for s in select_sites(insp, wanted))
    return DocInputs(settings, insp.checklist, sites, today)
