"""Visit details and the 整改 ledger of an inspection, stored as history in the site files.

`Inspection.visit/set_visit/problems/set_problem` call these. Visit fields are the entity
`visit:<site>`, ledger fields `rectify:<record_id>` (see core.visit, core.rectification); both
are written to the site's own file, so packs, merges and conflict checks carry them as they
carry scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_tui.core.i18n import t
from inspect_tui.core.record_id import normalize_record_id
from inspect_tui.core.records import EVIDENCE_PREFIX, EvidenceRef
from inspect_tui.core.rectification import (
    RECTIFY_DEFAULTS,
    Problem,
    clean_problem,
    ledger_problems,
    rectify_entity,
)
from inspect_tui.core.visit import (
    VISIT_DEFAULTS,
    Visit,
    clean_visit,
    visit_entity,
    visit_from_fields,
)
from inspect_tui.store.errors import StoreError

if TYPE_CHECKING:
    from inspect_tui.store.inspection import Inspection


def part_of(entity: str) -> str:
    """Which part of a site an entity's fields belong to, for people ("" for scores)."""
    kind = entity.partition(":")[0]
    return t(f"ledger.part.{kind}") if kind in ("visit", "rectify") else ""


def field_label(entity: str, field: str) -> str | None:
    """A visit or ledger field's name as people know it (None for other entities)."""
    kind = entity.partition(":")[0]
    if kind not in ("visit", "rectify"):
        return None
    if field.startswith(EVIDENCE_PREFIX):
        return t("ledger.field_name.evidence")
    known = VISIT_DEFAULTS if kind == "visit" else RECTIFY_DEFAULTS
    return t(f"ledger.field_name.{kind}.{field}") if field in known else field


def visit(insp: Inspection, site_id: str) -> Visit:
    insp.site(site_id)
    return visit_from_fields(insp._fields.get(visit_entity(site_id), {}))


def set_visit(insp: Inspection, site_id: str, values: dict[str, Any]) -> Visit:
    insp.site(site_id)
    clean = clean_visit(values)
    insp._write(insp._site_file(site_id), visit_entity(site_id), clean, {"site": site_id})
    return visit(insp, site_id)


def site_problems(insp: Inspection, site_id: str) -> list[Problem]:
    records = {cid: r for cid, r in insp.records(site_id).items()}
    ledger = {r.record_id: insp._fields.get(rectify_entity(r.record_id), {})
              for r in records.values()}
    return ledger_problems(insp.checklist, insp.site(site_id).kind or None, records, ledger)


def problems(insp: Inspection, site_id: str | None) -> list[Problem]:
    if site_id is not None:
        return site_problems(insp, site_id)
    return [p for site in insp.sites() for p in site_problems(insp, site.site_id)]


def problem(insp: Inspection, record_id: str) -> Problem:
    """The ledger entry of a record (by its ID, as typed); StoreError if there is none."""
    rid = normalize_record_id(record_id) or record_id.strip()
    record = insp.find_record(rid)
    if record is None:
        raise StoreError("ledger.no_record", record=record_id.strip()[:40], inspection=insp.id)
    for p in site_problems(insp, record.site_id):
        if p.record_id == rid:
            return p
    raise StoreError("ledger.no_problem", record=rid)


def set_problem(insp: Inspection, record_id: str, values: dict[str, Any], *,
                transitions: bool = True) -> Problem:
    """Save ledger fields; `transitions=False` when settling a conflict (any rival's status
    may be picked, whatever the shown one is)."""
    old = problem(insp, record_id)
    clean = clean_problem(old, values, transitions=transitions)
    _write(insp, old, clean)
    return problem(insp, old.record_id)


def attach_recheck_evidence(insp: Inspection, record_id: str, source: Path,
                            caption: str = "") -> EvidenceRef:
    old = problem(insp, record_id)
    insp._writable(insp.evidence.folder)
    ref = insp.evidence.add(Path(source), caption)
    _write(insp, old, {EVIDENCE_PREFIX + ref.sha256: ref.to_value()})
    return ref


def recheck_evidence(insp: Inspection, record_id: str) -> list[EvidenceRef]:
    """The 复查 evidence files of a problem, with their names and captions."""
    p = problem(insp, record_id)
    fields = insp._fields.get(rectify_entity(p.record_id), {})
    return [EvidenceRef(sha, **fields[EVIDENCE_PREFIX + sha].value)
            for sha in p.recheck_evidence]


def _write(insp: Inspection, p: Problem, values: dict[str, Any]) -> None:
    insp._write(insp._site_file(p.site_id), rectify_entity(p.record_id), values,
                {"site": p.site_id, "criterion": p.criterion_id})
